// Wall times in an event's time zone: what an organizer types (datetime-local) to the instant the server
// stores and back, across daylight-saving changes, and refusal of impossible dates and unknown zones.
import { describe, expect, it } from 'vitest';
import { instantToZoned, isTimeZone, zonedToInstant } from '../../domain/zoned-time';

describe('zoned wall times', () => {
  it('reads a wall time in the zone and shows an instant on its clock', () => {
    expect(zonedToInstant('2031-05-01T19:00', 'Asia/Shanghai')).toBe('2031-05-01T11:00:00.000Z');
    expect(zonedToInstant('2025-06-01T19:30', 'Europe/Moscow')).toBe('2025-06-01T16:30:00.000Z');
    expect(zonedToInstant('2025-07-01T12:00', 'America/New_York')).toBe('2025-07-01T16:00:00.000Z');
    expect(zonedToInstant('2025-01-15T12:00:30', 'America/New_York')).toBe('2025-01-15T17:00:30.000Z');
    expect(instantToZoned('2031-05-01T11:00:00.000Z', 'Asia/Shanghai')).toBe('2031-05-01T19:00');
    expect(instantToZoned('2025-01-15T17:00:00Z', 'America/New_York')).toBe('2025-01-15T12:00');
  });

  it('follows daylight saving: a skipped wall time lands after the gap, a repeated one is the earlier', () => {
    expect(zonedToInstant('2025-03-30T01:30', 'Europe/Berlin')).toBe('2025-03-30T00:30:00.000Z');
    expect(zonedToInstant('2025-03-30T02:30', 'Europe/Berlin')).toBe('2025-03-30T01:30:00.000Z');
    expect(zonedToInstant('2025-03-30T03:30', 'Europe/Berlin')).toBe('2025-03-30T01:30:00.000Z');
    expect(zonedToInstant('2025-10-26T02:30', 'Europe/Berlin')).toBe('2025-10-26T00:30:00.000Z');
    expect(zonedToInstant('2025-10-26T03:30', 'Europe/Berlin')).toBe('2025-10-26T02:30:00.000Z');
    for (const iso of ['2025-03-30T00:59:00.000Z', '2025-03-30T01:00:00.000Z', '2025-10-26T00:30:00.000Z', '2025-10-26T01:30:00.000Z']) {
      const wall = instantToZoned(iso, 'Europe/Berlin');
      expect(Math.abs(Date.parse(zonedToInstant(wall, 'Europe/Berlin')!) - Date.parse(iso))).toBeLessThanOrEqual(3_600_000);
    }
  });

  it('refuses what is not a wall time, an impossible date, or an unknown zone', () => {
    expect(zonedToInstant('2025-02-30T10:00', 'UTC')).toBeNull();
    expect(zonedToInstant('2025-01-01T24:00', 'UTC')).toBeNull();
    expect(zonedToInstant('2025-01-01 10:00', 'UTC')).toBeNull();
    expect(zonedToInstant('', 'UTC')).toBeNull();
    expect(zonedToInstant('2025-01-01T10:00', 'Mars/Olympus')).toBeNull();
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(instantToZoned('not a date', 'UTC')).toBe('');
    expect(instantToZoned(null, 'UTC')).toBe('');
  });
});
