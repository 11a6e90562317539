// Owns wall-clock times in a named time zone: converting between an instant and the wall clock of an
// IANA zone, and formatting that wall clock. What an organizer types into a date-and-time field
// ("2025-06-01T19:30", read in the event's IANA zone) becomes the ISO instant the server stores, and
// back; exports print an instant as the zone's "YYYY-MM-DD HH:mm:ss"; entry rules ask which day it is
// there and what the zone's offset is. Pure, on Intl only: the zone's offset at the instant is read
// from the runtime's time-zone data, so daylight-saving changes are followed. A wall time skipped by a
// spring-forward gap is read with the offset before the gap (it lands after it); one repeated by a
// fall-back is read as the earlier one.

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
// Building an Intl.DateTimeFormat costs tens of microseconds; the server decides thousands per second.
const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f;
}

type WallParts = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;

/** The zone's wall clock at `at` as text parts: numeric year, two-digit month to second (hour 00–23). */
function partsAt(at: Date | number, timeZone: string): WallParts {
  const parts = formatIn(timeZone).formatToParts(typeof at === 'number' ? new Date(at) : at);
  return Object.fromEntries(parts.map((p) => [p.type, p.value])) as WallParts;
}

/** The zone's wall clock at `ms`, as if it were UTC (milliseconds, whole seconds). Throws on an unknown zone. */
export function wallAt(ms: number, timeZone: string): number {
  const p = partsAt(ms, timeZone);
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
}

/** "YYYY-MM-DD HH:mm:ss" on the wall clock of `timeZone` at `at`. Throws on an unknown zone. */
export function formatZoned(at: Date, timeZone: string): string {
  const p = partsAt(at, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** "YYYY-MM-DD": the calendar day in `timeZone` at the ISO instant `iso`. Throws on an unknown zone. */
export function zonedDay(iso: string, timeZone: string): string {
  const p = partsAt(new Date(iso), timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** True when the runtime knows `timeZone` as an IANA zone. */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    formatIn(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * "YYYY-MM-DDTHH:mm" (seconds optional) read in `timeZone` → ISO instant ("…Z"); null when the text is
 * not such a wall time, names an impossible date, or the zone is unknown.
 */
export function zonedToInstant(local: string, timeZone: string): string | null {
  const m = LOCAL.exec(local.trim());
  if (!m || !isTimeZone(timeZone)) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(wall);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  // The offset before the wall time, then corrected once by the offset at the first guess.
  const before = wallAt(wall - 86_400_000, timeZone) - (wall - 86_400_000);
  let guess = wall - before;
  const offset = wallAt(guess, timeZone) - guess;
  if (offset !== before && wallAt(wall - offset, timeZone) === wall) guess = wall - offset;
  return new Date(guess).toISOString();
}

/** An ISO instant → "YYYY-MM-DDTHH:mm" on the wall clock of `timeZone` (for a datetime-local input);
 *  '' for a missing instant or an unknown zone. */
export function instantToZoned(iso: string | null | undefined, timeZone: string): string {
  if (!iso || !isTimeZone(timeZone)) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return new Date(wallAt(ms, timeZone)).toISOString().slice(0, 16);
}
