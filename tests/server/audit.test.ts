// The server's audit trails, on PGlite and a real PostgreSQL cluster: a device's chain pushed over
// /v1/audit is verified entry by entry — a chain that follows is stored without a break; a changed entry,
// a gap, an entry sent again with other content and an item that is not an entry are each flagged, and the
// entries after a break are still stored; every admin API write lands in the server's own chain, which
// verifies, and no secret (the pairing code) is in it; the tables refuse UPDATE and DELETE.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalDetail, GENESIS_HASH, type AuditEntry } from '../../domain/audit';
import { auditHash } from '../../domain/audit-chain';
import type { AdmitServer } from '../../server/src/app';
import { type Backend, backends, call, makeServer, openBackend, pairTerminal, uuidv7 } from './harness';

const ADMIN = 'test-admin-token';

/** A chain of `n` entries as a terminal would record it, starting after `prev`. */
function chain(n: number, deviceId: string, from = 1, prevHash = GENESIS_HASH): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev = prevHash;
  for (let seq = from; seq < from + n; seq++) {
    const unhashed = {
      id: uuidv7(),
      seq,
      at: new Date(Date.UTC(2030, 5, 1, 12, 0, seq)).toISOString(),
      deviceId,
      operatorId: null,
      action: 'login_failed',
      subject: null,
      detail: canonicalDetail({ result: 'bad_pin' }),
      prevHash: prev,
    };
    const e = { ...unhashed, hash: auditHash(unhashed) };
    out.push(e);
    prev = e.hash;
  }
  return out;
}

describe.each(backends)('audit trails at the server on %s', (backendName) => {
  let backend: Backend;
  let server: AdmitServer;

  beforeAll(async () => {
    backend = await openBackend(backendName);
    server = makeServer(backend);
    await server.app.ready();
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  const push = (token: string, entries: unknown[]) => call(server.app, 'POST', '/v1/audit', { token, body: { entries } });
  const admin = (url: string) => call(server.app, 'GET', url, { token: ADMIN });

  it('stores a chain that follows, acknowledges it, and takes the same entries again as duplicates', async () => {
    const { deviceId, token } = await pairTerminal(server, 'Audit ok');
    const entries = chain(5, deviceId);
    const first = await push(token, entries.slice(0, 3));
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ ackedSeq: 3, breaks: 0 });
    // Sent again with the rest (a reply lost on the way): nothing flagged.
    expect((await push(token, entries)).json).toEqual({ ackedSeq: 5, breaks: 0 });
    const stored = (await admin(`/admin/v1/audit?chain=${deviceId}`)).json.entries;
    expect(stored.map((e: { seq: number }) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(stored.every((e: { hashOk: boolean }) => e.hashOk)).toBe(true);
    expect((await admin(`/admin/v1/audit/verify?chain=${deviceId}`)).json).toMatchObject({ length: 5, verified: true, breaks: [] });
    expect((await admin(`/admin/v1/audit/breaks?chain=${deviceId}`)).json.breaks).toEqual([]);
  });

  it('flags a changed entry, a gap, a rewritten entry and a malformed item, and keeps what follows', async () => {
    const { deviceId, token } = await pairTerminal(server, 'Audit tampered');
    const entries = chain(8, deviceId);
    // Entry 2's detail changed after it was hashed.
    const changed = entries.map((e) => (e.seq === 2 ? { ...e, detail: canonicalDetail({ result: 'ok' }) } : e));
    expect((await push(token, changed.slice(0, 4))).json).toEqual({ ackedSeq: 4, breaks: 1 });
    // Entries 5 and 6 never arrive: 7 opens a gap.
    expect((await push(token, changed.slice(6, 7))).json).toEqual({ ackedSeq: 7, breaks: 2 });
    // Entry 3 sent again with other content: the stored one stays.
    const rewritten = { ...entries[2]!, detail: canonicalDetail({ result: 'forbidden' }) };
    rewritten.hash = auditHash(rewritten);
    expect((await push(token, [rewritten])).json).toEqual({ ackedSeq: 7, breaks: 3 });
    // Not an entry at all, with a readable seq: flagged once, and the chain moves past it.
    expect((await push(token, [{ seq: 8, hash: entries[7]!.hash, action: 42 }])).json).toEqual({ ackedSeq: 8, breaks: 4 });

    const breaks = (await admin(`/admin/v1/audit/breaks?chain=${deviceId}`)).json.breaks as { seq: number; kind: string }[];
    expect(breaks.map((b) => `${b.seq}:${b.kind}`).sort()).toEqual(['2:hash', '3:rewritten', '7:gap', '8:malformed']);
    const stored = (await admin(`/admin/v1/audit?chain=${deviceId}`)).json.entries as { seq: number; hashOk: boolean; detail: string }[];
    expect(stored.map((e) => e.seq)).toEqual([7, 4, 3, 2, 1]);
    expect(stored.find((e) => e.seq === 2)!.hashOk).toBe(false);
    expect(stored.find((e) => e.seq === 3)!.detail).toBe(canonicalDetail({ result: 'bad_pin' }));
    const chains = (await admin('/admin/v1/audit/chains')).json.chains as { chain: string; headSeq: number; breaks: number }[];
    expect(chains.find((c) => c.chain === deviceId)).toMatchObject({ headSeq: 8, breaks: 4 });
    // The late entries 5 and 6 are still taken (their own hashes checked).
    expect((await push(token, entries.slice(4, 6))).json).toEqual({ ackedSeq: 8, breaks: 4 });
    expect((await admin(`/admin/v1/audit/verify?chain=${deviceId}`)).json.verified).toBe(false);
  });

  it('refuses a push that is not one, and a device without a token', async () => {
    const { token } = await pairTerminal(server, 'Audit bad');
    expect((await push(token, [])).status).toBe(400);
    expect((await call(server.app, 'POST', '/v1/audit', { token, body: { records: [] } })).status).toBe(400);
    expect((await call(server.app, 'POST', '/v1/audit', { body: { entries: [{}] } })).status).toBe(401);
  });

  it('records every admin API write in its own chain, without secrets', async () => {
    const before = (await admin('/admin/v1/audit/chains')).json.chains.find((c: { chain: string }) => c.chain === 'server')?.headSeq ?? 0;
    const pairing = await call(server.app, 'POST', '/admin/v1/pairing-codes', { token: ADMIN, body: {} });
    expect(pairing.status).toBe(200);
    const code = pairing.json.code as string;
    const paired = await call(server.app, 'POST', '/v1/pair', { body: { code, name: 'Revoked soon' } });
    const deviceId = paired.json.deviceId as string;
    expect((await call(server.app, 'POST', `/admin/v1/devices/${deviceId}/revoke`, { token: ADMIN })).status).toBe(200);
    const event = await call(server.app, 'POST', '/admin/v1/events', {
      token: ADMIN,
      body: { name: { en: 'Audited' }, startsAt: '2030-06-01T10:00:00Z', endsAt: '2030-06-01T22:00:00Z', timezone: 'UTC', currency: 'EUR', ticketTypes: [{ name: { en: 'Adult' }, priceMinor: 1000, capacity: null }] },
    });
    expect(event.status).toBe(200);

    const entries = (await admin('/admin/v1/audit?chain=server&limit=50')).json.entries as { seq: number; action: string; subject: string | null; detail: string }[];
    const mine = entries.filter((e) => e.seq > before).reverse();
    expect(mine.map((e) => e.action)).toEqual(['pairing_code_created', 'device_paired', 'device_revoked', 'event_created']);
    expect(mine[2]!.subject).toBe(deviceId);
    expect(mine[3]!.subject).toBe(event.json.event.id);
    const text = JSON.stringify(entries);
    expect(text).not.toContain(code);
    expect(text).not.toContain(code.replace('-', ''));
    expect((await admin('/admin/v1/audit/verify?chain=server')).json).toMatchObject({ verified: true });
  });

  it('keeps the stored trail append-only', async () => {
    const db = backend.handle.db;
    /** The database's own refusal (drizzle wraps it). */
    const refusal = async (query: ReturnType<typeof sql>) => {
      try {
        await db.execute(query);
        return 'done';
      } catch (e) {
        return String((e as { cause?: unknown }).cause ?? e);
      }
    };
    expect(await refusal(sql`update audit_entries set detail = '{}'`)).toMatch(/audit_entries is append-only/);
    expect(await refusal(sql`delete from audit_entries`)).toMatch(/audit_entries is append-only/);
    expect(await refusal(sql`delete from audit_breaks`)).toMatch(/audit_breaks is append-only/);
  });
});
