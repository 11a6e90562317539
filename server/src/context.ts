// Owns what every route module shares: the database, the clock, the poke hub and the secrets the server
// checks requests against. Built once per createServer call.
import type { ServerDb } from './db/client';
import type { Keyring } from './keyring';
import type { PokeHub } from './pokes';
import type { FailureLimiter } from './rateLimit';
import type { RecordTimeLimits } from './services/recordTimes';

export interface ServerContext {
  db: ServerDb;
  /** Injectable clock: pairing expiry and request-id freshness are judged against it. */
  now: () => Date;
  hub: PokeHub;
  requestMaxAgeMs: number;
  adminToken: string;
  serverId: () => Promise<string>;
  /** The secrets sealed under the key-encryption key (private signing keys, the PIN key); checked once
   *  at start-up: a wrong key rejects here, and everything that needs a secret fails with it. */
  keyring: () => Promise<Keyring>;
  /** When each device's last_seen_at was last written, to write it at most every LAST_SEEN_WRITE_MS. */
  lastSeenWrites: Map<string, number>;
  /** Failed device authentications, pairings and admin-token checks (per address, per token prefix). */
  failures: FailureLimiter;
  /** How old or how far ahead a record's time may be. */
  recordTimes: RecordTimeLimits;
  /** Retention of attendees' personal data when the organizer has not set one (days after an event ends). */
  personalDataRetentionDays: number;
  /** Seconds after a seat lease's end before its unsold seats are reclaimed. */
  leaseGraceS: number;
}
