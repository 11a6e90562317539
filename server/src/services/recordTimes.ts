// Owns which times a terminal may give its records (claims, pushed check-ins, annulments, failed scans):
// not older than maxAgeMs and not further ahead of the server's clock than maxAheadMs. A record outside
// is refused as implausible_time instead of entering the history (a check-in dated 2001, or one dated
// next week that would block the ticket in advance).
import { RECORD_MAX_AGE_MS, RECORD_MAX_AHEAD_MS } from '../../../domain/outbox';

export interface RecordTimeLimits {
  maxAgeMs: number;
  maxAheadMs: number;
}

export const DEFAULT_RECORD_TIMES: RecordTimeLimits = { maxAgeMs: RECORD_MAX_AGE_MS, maxAheadMs: RECORD_MAX_AHEAD_MS };

/** Null when `at` is plausible at `now`; else why not, as a detail starting with the error code. */
export function implausibleTime(at: string, now: Date, limits: RecordTimeLimits = DEFAULT_RECORD_TIMES): string | null {
  const ms = Date.parse(at);
  if (!Number.isFinite(ms)) return 'implausible_time: not an instant';
  if (ms < now.getTime() - limits.maxAgeMs)
    return `implausible_time: ${at} is more than ${Math.round(limits.maxAgeMs / 3_600_000)} h before the server's clock`;
  if (ms > now.getTime() + limits.maxAheadMs)
    return `implausible_time: ${at} is more than ${Math.round(limits.maxAheadMs / 60_000)} min after the server's clock`;
  return null;
}
