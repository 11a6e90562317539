// Claims over the terminal's WebSocket, against a real server on a real port (PGlite and PostgreSQL):
// the hello with the server's clock, claims answered by their request id (accepted, duplicate,
// conflict, errors), pings answered with the clock, many sockets claiming one ticket at once with
// exactly one winner, and hostile messages — not JSON, binary, oversized, unknown, malformed — each
// answered with an error that changes nothing while the socket keeps working. HTTP answers carry the
// server's clock in a header.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WS_MESSAGE_BYTES, SERVER_TIME_HEADER, WsServerMessage } from '../../domain/wire';
import type { AdmitServer } from '../../server/src/app';
import { backends, type Backend, createTestEvent, makeServer, openBackend, pairTerminal, sell, TestClock, uuidv7 } from './harness';

type Msg = WsServerMessage;

/** A raw terminal socket that collects what the server says. */
async function openSocket(url: string, token: string) {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/v1/ws', { headers: { authorization: `Bearer ${token}` } });
  const received: Msg[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    received.push(WsServerMessage.parse(JSON.parse(String(data))));
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  const next = async (pred: (m: Msg) => boolean): Promise<Msg> => {
    const until = Date.now() + 30_000;
    for (;;) {
      const found = received.find(pred);
      if (found) {
        received.splice(received.indexOf(found), 1);
        return found;
      }
      if (Date.now() > until) throw new Error(`no matching message; got ${JSON.stringify(received)}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };
  return { ws, next, byId: (id: string) => next((m) => 'id' in m && m.id === id) };
}

describe.each(backends)('claims over the WebSocket on %s', (name) => {
  let backend: Backend;
  let server: AdmitServer;
  let url: string;
  let token: string;
  const clock = new TestClock();
  let eventId: string;
  let typeId: string;

  beforeAll(async () => {
    backend = await openBackend(name);
    // The server's clock is 4 minutes ahead of the wall clock (request ids of this harness still pass):
    // what it says must be its own time.
    clock.offsetMs = 4 * 60_000;
    server = makeServer(backend, { now: clock.now });
    url = (await server.listen({ host: '127.0.0.1', port: 0 })).url;
    ({ token } = await pairTerminal(server));
    const event = await createTestEvent(server);
    eventId = event.id;
    typeId = event.ticketTypes[0]!.id;
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });

  const claim = (ticketId: string, checkinId = uuidv7()) => ({
    checkinId,
    ticketId,
    at: clock.now().toISOString(),
    pointId: null,
    direction: 'entry' as const,
  });
  const checkinCount = async (ticketId: string) => (await server.admin.listCheckins({ ticketId, limit: 100 })).length;

  it('says hello with its clock, answers a claim by its id, a retry as duplicate and a second use as conflict', async () => {
    const before = clock.now().getTime();
    const s = await openSocket(url, token);
    const hello = await s.next((m) => m.type === 'hello');
    expect(hello.type === 'hello' && hello.serverTime).toBeGreaterThanOrEqual(before);

    const ticket = (await sell(server, token, eventId, typeId)).tickets[0]!;
    const first = claim(ticket.id);
    s.ws.send(JSON.stringify({ type: 'claim', id: 'a1', claim: first }));
    s.ws.send(JSON.stringify({ type: 'ping', id: 'p1' }));
    const answer = await s.byId('a1');
    expect(answer).toMatchObject({ type: 'claimed', id: 'a1', result: { status: 'accepted' } });
    expect(answer.type === 'claimed' && answer.serverTime).toBeGreaterThanOrEqual(before);
    expect(await s.byId('p1')).toMatchObject({ type: 'pong', id: 'p1' });

    s.ws.send(JSON.stringify({ type: 'claim', id: 'a2', claim: first }));
    expect(await s.byId('a2')).toMatchObject({ type: 'claimed', result: { status: 'duplicate' } });
    s.ws.send(JSON.stringify({ type: 'claim', id: 'a3', claim: claim(ticket.id) }));
    expect(await s.byId('a3')).toMatchObject({ type: 'claimed', result: { status: 'conflict', reason: 'already_used', firstAt: expect.any(String) } });
    expect(await checkinCount(ticket.id)).toBe(1);
    s.ws.close();
  });

  it('answers a claim of an unknown ticket with an error carrying its id', async () => {
    const s = await openSocket(url, token);
    s.ws.send(JSON.stringify({ type: 'claim', id: 'u1', claim: claim(uuidv7()) }));
    expect(await s.byId('u1')).toMatchObject({ type: 'error', id: 'u1', error: { code: 'not_found' } });
    s.ws.close();
  });

  it('lets exactly one of 20 sockets claiming the same tickets at the same instant win each', async () => {
    const sockets = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => openSocket(url, (await pairTerminal(server, `Gate ${i}`)).token)),
    );
    const tickets = (await sell(server, token, eventId, typeId, 10)).tickets;
    for (const t of tickets) for (const [i, s] of sockets.entries()) s.ws.send(JSON.stringify({ type: 'claim', id: `${t.id}:${i}`, claim: claim(t.id) }));
    for (const t of tickets) {
      const answers = await Promise.all(sockets.map((s, i) => s.byId(`${t.id}:${i}`)));
      const statuses = answers.map((a) => (a.type === 'claimed' ? a.result.status : a.type));
      expect(statuses.filter((x) => x === 'accepted')).toHaveLength(1);
      expect(statuses.filter((x) => x === 'conflict')).toHaveLength(19);
      expect(await checkinCount(t.id)).toBe(1);
    }
    for (const s of sockets) s.ws.close();
  });

  it('answers garbage with an error, changes nothing and keeps the socket working', async () => {
    const s = await openSocket(url, token);
    const ticket = (await sell(server, token, eventId, typeId)).tickets[0]!;
    s.ws.send('{not json');
    expect(await s.next((m) => m.type === 'error')).toMatchObject({ id: null, error: { code: 'bad_message' } });
    s.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await s.next((m) => m.type === 'error')).toMatchObject({ id: null, error: { code: 'bad_message' } });
    s.ws.send(JSON.stringify({ type: 'claim', id: 'big', claim: { ...claim(ticket.id), pad: 'x'.repeat(MAX_WS_MESSAGE_BYTES) } }));
    expect(await s.next((m) => m.type === 'error')).toMatchObject({ id: null, error: { code: 'payload_too_large' } });
    s.ws.send(JSON.stringify({ type: 'admit_everyone', id: 'x1' }));
    expect(await s.byId('x1')).toMatchObject({ type: 'error', error: { code: 'bad_message' } });
    s.ws.send(JSON.stringify({ type: 'claim', id: 'x2', claim: { ...claim(ticket.id), ticketId: 'not-a-uuid' } }));
    expect(await s.byId('x2')).toMatchObject({ type: 'error', error: { code: 'bad_message' } });
    s.ws.send(JSON.stringify({ type: 'claim', id: 'x3', claim: { ...claim(ticket.id), at: '0000-01-01T00:00:00Z' } }));
    expect(await s.byId('x3')).toMatchObject({ type: 'error', error: { code: 'bad_request' } });
    s.ws.send(JSON.stringify({ type: 'claim', id: 'x4', claim: { ...claim(ticket.id), extra: true } }));
    expect(await s.byId('x4')).toMatchObject({ type: 'error', error: { code: 'bad_message' } });
    expect(await checkinCount(ticket.id)).toBe(0);
    // Still open and still answering.
    s.ws.send(JSON.stringify({ type: 'claim', id: 'ok', claim: claim(ticket.id) }));
    expect(await s.byId('ok')).toMatchObject({ type: 'claimed', result: { status: 'accepted' } });
    expect(s.ws.readyState).toBe(WebSocket.OPEN);
    s.ws.close();
  });

  it('tells its clock in a header on every HTTP answer, errors included', async () => {
    const before = clock.now().getTime();
    const ok = await fetch(`${url}/v1/changes?since=0&limit=1`, { headers: { authorization: `Bearer ${token}` } });
    const refused = await fetch(`${url}/v1/changes`);
    for (const res of [ok, refused]) {
      const t = Number(res.headers.get(SERVER_TIME_HEADER));
      expect(t).toBeGreaterThanOrEqual(before);
      expect(t).toBeLessThanOrEqual(clock.now().getTime());
    }
    expect(refused.status).toBe(401);
  });
});
