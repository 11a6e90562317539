// The check-in rules: one reason code for every outcome, re-entry policies, windows, zones.
import { describe, expect, it } from 'vitest';
import { decide, DEFAULT_POINT, needsClaim, type PastCheckin, type PointRules, type TicketFacts } from '../../domain/rules';

const ticket: TicketFacts = { status: 'valid', paid: true, ticketTypeId: 'day', zones: [], validFrom: null, validTo: null };
const now = new Date('2026-07-01T12:00:00Z');
const point = (p: Partial<PointRules>): PointRules => ({ ...DEFAULT_POINT, ...p });
const entry = (at: string, state: PastCheckin['state'] = 'accepted'): PastCheckin => ({ at, direction: 'entry', state });
const exit = (at: string): PastCheckin => ({ at, direction: 'exit', state: 'accepted' });

describe('check-in rules', () => {
  it('ok for a paid, valid, unused ticket', () => {
    expect(decide(ticket, DEFAULT_POINT, [], now)).toEqual({ reason: 'ok', admitted: true, firstUsedAt: null });
  });
  it('unknown', () => expect(decide(undefined, DEFAULT_POINT, [], now).reason).toBe('unknown'));
  it.each(['cancelled', 'refunded', 'revoked'] as const)('%s', (status) => {
    expect(decide({ ...ticket, status }, DEFAULT_POINT, [], now)).toMatchObject({ reason: status, admitted: false });
  });
  it('unpaid', () => expect(decide({ ...ticket, paid: false }, DEFAULT_POINT, [], now).reason).toBe('unpaid'));
  it('wrong_type', () => expect(decide(ticket, point({ ticketTypeIds: ['vip'] }), [], now).reason).toBe('wrong_type'));
  it('wrong_zone, unless the type admits everywhere', () => {
    expect(decide({ ...ticket, zones: ['floor'] }, point({ zone: 'vip' }), [], now).reason).toBe('wrong_zone');
    expect(decide({ ...ticket, zones: [] }, point({ zone: 'vip' }), [], now).reason).toBe('ok');
    expect(decide({ ...ticket, zones: ['vip'] }, point({ zone: 'vip' }), [], now).reason).toBe('ok');
  });
  it('at a point that redeems an entitlement, the voucher is the right to pass, whatever zones the type has', () => {
    const meal = point({ zone: 'meal', entitlement: 'meal', reentry: 'once_per_day' });
    const voucher = [{ kind: 'meal', from: null, to: null }];
    expect(decide({ ...ticket, zones: ['floor'], entitlements: voucher }, meal, [], now).reason).toBe('ok');
    expect(decide({ ...ticket, zones: ['floor'], entitlements: [] }, meal, [], now).reason).toBe('no_entitlement');
    const lunchToday = { at: '2026-07-01T11:00:00Z', direction: 'entry' as const, state: 'accepted' as const, zone: 'meal' };
    expect(decide({ ...ticket, zones: ['floor'], entitlements: voucher }, meal, [lunchToday], now).reason).toBe('already_used');
    // The main entrance's entry today does not use up the meal.
    expect(decide({ ...ticket, zones: ['floor'], entitlements: voucher }, meal, [{ ...lunchToday, zone: null }], now).reason).toBe('ok');
  });
  it('not_yet_valid and expired by ticket validity and by point windows', () => {
    expect(decide({ ...ticket, validFrom: '2026-07-02T00:00:00Z' }, DEFAULT_POINT, [], now).reason).toBe('not_yet_valid');
    expect(decide({ ...ticket, validTo: '2026-06-30T00:00:00Z' }, DEFAULT_POINT, [], now).reason).toBe('expired');
    const later = point({ windows: [{ from: '2026-07-01T18:00:00Z', to: '2026-07-01T23:00:00Z' }] });
    expect(decide(ticket, later, [], now).reason).toBe('not_yet_valid');
    const earlier = point({ windows: [{ from: '2026-07-01T06:00:00Z', to: '2026-07-01T10:00:00Z' }] });
    expect(decide(ticket, earlier, [], now).reason).toBe('expired');
  });
  it('already_used for single entry, naming the first use; conflicts and annulments are not uses', () => {
    const d = decide(ticket, DEFAULT_POINT, [entry('2026-07-01T11:00:00Z'), entry('2026-07-01T10:00:00Z', 'local')], now);
    expect(d).toEqual({ reason: 'already_used', admitted: false, firstUsedAt: '2026-07-01T10:00:00Z' });
    expect(decide(ticket, DEFAULT_POINT, [entry('2026-07-01T10:00:00Z', 'conflict'), entry('2026-07-01T10:01:00Z', 'annulled')], now).reason).toBe('ok');
  });
  it('unlimited re-entry always admits and needs no claim', () => {
    const p = point({ reentry: 'unlimited' });
    expect(decide(ticket, p, [entry('2026-07-01T10:00:00Z')], now).reason).toBe('ok');
    expect(needsClaim(p)).toBe(false);
    expect(needsClaim(DEFAULT_POINT)).toBe(true);
  });
  it('entry after exit', () => {
    const p = point({ reentry: 'after_exit' });
    expect(decide(ticket, p, [entry('2026-07-01T10:00:00Z')], now).reason).toBe('already_used');
    expect(decide(ticket, p, [entry('2026-07-01T10:00:00Z'), exit('2026-07-01T11:00:00Z')], now).reason).toBe('ok');
  });
  it('auto check-out counts everyone inside as gone', () => {
    const p = point({ reentry: 'after_exit', autoCheckoutAt: '04:00', timezone: 'Europe/Berlin' });
    // Entered the evening before, 04:00 Berlin (02:00Z) passed since.
    expect(decide(ticket, p, [entry('2026-06-30T20:00:00Z')], now).reason).toBe('ok');
    expect(decide(ticket, p, [entry('2026-07-01T03:00:00Z')], now).reason).toBe('already_used');
  });
  it('once per day, in the event time zone', () => {
    const p = point({ reentry: 'once_per_day', timezone: 'Asia/Shanghai' });
    expect(decide(ticket, p, [entry('2026-07-01T01:00:00Z')], now).reason).toBe('already_used');
    // 2026-06-30T15:00Z is 23:00 on June 30 in Shanghai: yesterday.
    expect(decide(ticket, p, [entry('2026-06-30T15:00:00Z')], now).reason).toBe('ok');
  });
  it('exits always pass', () => {
    expect(decide(ticket, point({ direction: 'exit' }), [entry('2026-07-01T10:00:00Z')], now).reason).toBe('ok');
  });
});
