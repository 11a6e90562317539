// A terminal that restarts after claiming a check-in it never acted on annuls it itself (reason
// not_acted), however long ago the claim was: accepted only that narrowly — the device's own check-in,
// with no later use of the ticket. Another device's check-in, or one followed by a later use, stays.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PushResponse } from '../../domain/wire';
import type { AdmitServer } from '../../server/src/app';
import { checkins } from '../../server/src/db/schema';
import { type Backend, call, createTestEvent, makeServer, openBackend, pairTerminal, sell, uuidv7 } from './harness';

describe('not_acted annulments (PGlite)', () => {
  let backend: Backend;
  let server: AdmitServer;
  let gate: string;
  let other: string;

  beforeAll(async () => {
    backend = await openBackend('PGlite');
  });
  afterAll(async () => {
    await backend?.close();
  });
  beforeEach(async () => {
    server = makeServer(backend);
    ({ token: gate } = await pairTerminal(server, 'Gate'));
    ({ token: other } = await pairTerminal(server, 'Other gate'));
  });
  afterEach(async () => {
    await server.close();
  });

  const claim = (token: string, ticketId: string, checkinId: string, at: string) =>
    call(server.app, 'POST', '/v1/checkins/claim', { token, body: { checkinId, ticketId, at } });
  const annul = async (token: string, checkinId: string) => {
    const res = await call(server.app, 'POST', '/v1/push', {
      token,
      body: { records: [{ id: uuidv7(), kind: 'annul', checkinId, at: new Date().toISOString(), reason: 'not_acted' }] },
    });
    expect(res.status).toBe(200);
    return PushResponse.parse(res.json).results[0]!;
  };
  const statusOf = async (id: string) => (await backend.handle.db.select().from(checkins).where(eq(checkins.id, id)))[0]?.status;

  it("annuls the device's own claim made long before the restart, and the ticket admits its holder again", async () => {
    const event = await createTestEvent(server);
    const { tickets } = await sell(server, gate, event.id, event.ticketTypes[0]!.id);
    const held = uuidv7();
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    expect((await claim(gate, tickets[0]!.id, held, hourAgo)).json).toMatchObject({ status: 'accepted' });
    expect(await annul(gate, held)).toMatchObject({ status: 'accepted' });
    expect(await statusOf(held)).toBe('annulled');
    expect((await claim(gate, tickets[0]!.id, uuidv7(), new Date().toISOString())).json).toMatchObject({ status: 'accepted' });
  });

  it("refuses another device's check-in and one the ticket was used after, changing nothing", async () => {
    const event = await createTestEvent(server);
    const { tickets } = await sell(server, gate, event.id, event.ticketTypes[0]!.id, 2);
    const theirs = uuidv7();
    await claim(gate, tickets[0]!.id, theirs, new Date().toISOString());
    expect(await annul(other, theirs)).toMatchObject({ status: 'invalid', detail: expect.stringMatching(/only its own check-ins/) });
    expect(await statusOf(theirs)).toBe('accepted');

    // An entry followed by a later use of the same ticket (an exit): the holder did get through.
    const entry = uuidv7();
    const t0 = Date.now() - 60_000;
    await claim(gate, tickets[1]!.id, entry, new Date(t0).toISOString());
    const exit = await call(server.app, 'POST', '/v1/push', {
      token: gate,
      body: { records: [{ id: uuidv7(), kind: 'checkin', ticketId: tickets[1]!.id, at: new Date(t0 + 1000).toISOString(), direction: 'exit' }] },
    });
    expect(PushResponse.parse(exit.json).results[0]).toMatchObject({ status: 'accepted' });
    expect(await annul(gate, entry)).toMatchObject({ status: 'conflict', detail: expect.stringMatching(/used after/) });
    expect(await statusOf(entry)).toBe('accepted');
  });
});
