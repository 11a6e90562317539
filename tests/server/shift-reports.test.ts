// Shift reports from the box offices reach the server through the outbox push and are kept once each:
// the same X or Z report pushed again (a lost answer, a retry, twice in one batch) is a duplicate and
// changes nothing; a report that is not one (an amount that is not a whole number, a payment kind
// that is not a code) is answered invalid and not stored; managers read them newest first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shiftRecord, type ShiftRecord } from '../../domain/outbox';
import type { ShiftTotals } from '../../domain/shifts';
import { ShiftReportsResponse } from '../../server/src/adminSchemas';
import type { AdmitServer } from '../../server/src/app';
import { type Backend, backends, call, makeServer, openBackend, pairTerminal, uuidv7 } from './harness';

const ADMIN = 'test-admin-token';

const totals: ShiftTotals = {
  currency: 'EUR',
  floatMinor: 10_000,
  sales: { count: 3, amountMinor: 13_500 },
  refunds: { count: 1, amountMinor: 4_500 },
  voids: { count: 0, amountMinor: 0 },
  cashIn: { count: 1, amountMinor: 5_000 },
  cashOut: { count: 1, amountMinor: 2_000 },
  cashTenderedMinor: 14_500,
  cashChangeMinor: 1_000,
  cashRefundsMinor: 4_500,
  expectedCashMinor: 22_000,
  byMethod: [{ method: 'cash', sales: { count: 3, amountMinor: 13_500 }, refunds: { count: 1, amountMinor: 4_500 } }],
  byOperator: [{ operatorId: uuidv7(), sales: { count: 3, amountMinor: 13_500 }, refunds: { count: 1, amountMinor: 4_500 }, voids: { count: 0, amountMinor: 0 } }],
};

function report(kind: 'x' | 'z', shiftId: string): ShiftRecord {
  const now = new Date();
  const openedAt = new Date(now.getTime() - 3_600_000).toISOString();
  return shiftRecord({
    id: uuidv7(),
    shiftId,
    report: kind,
    at: now.toISOString(),
    openedAt,
    openedBy: totals.byOperator[0]!.operatorId,
    closedAt: kind === 'z' ? now.toISOString() : null,
    closedBy: kind === 'z' ? totals.byOperator[0]!.operatorId : null,
    countedMinor: kind === 'z' ? 21_700 : null,
    varianceMinor: kind === 'z' ? -300 : null,
    totals,
  });
}

describe.each(backends)('shift reports on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;
  let token: string;
  let deviceId: string;

  beforeAll(async () => {
    backend = await openBackend(backendName);
    server = makeServer(backend);
    ({ token, deviceId } = await pairTerminal(server, 'Box office 1'));
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  const push = (records: unknown[]) => call(server.app, 'POST', '/v1/push', { token, body: { records } });
  const listed = async (query = '') => {
    const res = await call(server.app, 'GET', `/admin/v1/shift-reports${query}`, { token: ADMIN });
    expect(res.status).toBe(200);
    return ShiftReportsResponse.parse(res.json).shiftReports;
  };

  it('keeps each report once, however often it is pushed', async () => {
    const shiftId = uuidv7();
    const x = report('x', shiftId);
    const z = report('z', shiftId);
    const first = await push([x, z, z]);
    expect(first.status).toBe(200);
    expect(first.json.results).toEqual([
      { id: x.id, status: 'accepted' },
      { id: z.id, status: 'accepted' },
      { id: z.id, status: 'duplicate' },
    ]);
    // The answer was lost: the terminal pushes both again under a new request id.
    const again = await push([x, z]);
    expect(again.json.results).toEqual([
      { id: x.id, status: 'duplicate' },
      { id: z.id, status: 'duplicate' },
    ]);
    const reports = await listed(`?shiftId=${shiftId}`);
    expect(reports.map((r) => [r.id, r.report])).toEqual(
      expect.arrayContaining([
        [x.id, 'x'],
        [z.id, 'z'],
      ]),
    );
    expect(reports).toHaveLength(2);
    const zListed = reports.find((r) => r.report === 'z')!;
    expect(zListed).toMatchObject({ deviceId, deviceName: 'Box office 1', shiftId, countedMinor: 21_700, varianceMinor: -300, closedBy: totals.byOperator[0]!.operatorId });
    expect(zListed.totals).toEqual(totals);
    expect(Date.parse(zListed.closedAt!)).toBe(Date.parse(z.closedAt!));
  });

  it('answers a report that is not one invalid and stores nothing of it', async () => {
    const before = (await listed()).length;
    const shiftId = uuidv7();
    const good = report('z', shiftId);
    const fractional = { ...good, id: uuidv7(), varianceMinor: 1.5 };
    const unknownKind = { ...good, id: uuidv7(), totals: { ...totals, byMethod: [{ ...totals.byMethod[0]!, method: 'Bit Coin; drop table' }] } };
    const tooLarge = { ...good, id: uuidv7(), totals: { ...totals, expectedCashMinor: 2 ** 64 } };
    const negativeCount = { ...good, id: uuidv7(), countedMinor: -1 };
    const res = await push([fractional, unknownKind, tooLarge, negativeCount]);
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
    expect(await listed()).toHaveLength(before);
  });

  it('is for managers only', async () => {
    const res = await call(server.app, 'GET', '/admin/v1/shift-reports', { token });
    expect(res.status).toBe(401);
  });
});
