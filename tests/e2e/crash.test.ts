// Crashes lose nothing and ghost nothing: a real server process (PGlite on disk) and a terminal core in
// its own process, killed with SIGKILL at random points of a sale and of a check-in (a seeded plan, so
// a failing run replays with CRASH_SEED), then started again on the same data directory. Afterwards:
//  - no lost sale: every order the server made for one of the terminal's carts is recorded on the
//    terminal and its receipt is in the print queue;
//  - no duplicate sale: the server sold exactly the carts that were asked for (per cart the tickets
//    asked for, nothing else); a cart sold again after the restart is the same order;
//  - no ghost use: every check-in the server holds for the terminal is one the terminal acted on; a
//    claim it never acted on is annulled by the terminal itself, and the holder is admitted afterwards.
// And a sale whose reply is lost after the server committed it (a proxy drops the answer): selling
// the same cart again answers with the same order, the seats sold once.
// The server's side is read through its own APIs: a second paired device's change feed (tickets and
// ticket types) and the admin check-in list.
import Database from 'better-sqlite3';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Verdict } from '../../electron/contract';
import { startEscPosSimulator, type EscPosSimulator } from '../../drivers/printers/escpos-simulator';
import { REQUEST_ID_HEADER, type Change } from '../../domain/wire';
import { waitFor } from '../helpers/wait';

const SALE_KILLS = Number(process.env['CRASH_SALES'] ?? 8);
const SCAN_KILLS = Number(process.env['CRASH_SCANS'] ?? 8);
let seed = Number(process.env['CRASH_SEED'] ?? 20260301);
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const ADMIN_TOKEN = randomUUID();
const quiet = () => undefined;

type Line = { ticketTypeId: string; quantity: number };
type CallResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; detail?: string } };
type Sold = CallResult<{ order: { id: string; code: string } }>;

/** A TCP proxy in front of the server that can drop the answer to the next order request: the server
 *  receives and commits it, the terminal never hears back. */
async function startProxy(targetPort: number) {
  let dropNextOrderReply = false;
  let dropped = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let dropThisReply = false;
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (d: Buffer) => {
      if (dropNextOrderReply && d.toString('latin1').startsWith('POST /v1/orders ')) {
        dropNextOrderReply = false;
        dropThisReply = true;
      }
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (dropThisReply) {
        dropped++;
        drop();
        return;
      }
      client.write(d);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    armDropOrderReply: () => {
      dropNextOrderReply = true;
    },
    dropped: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('kill -9 during sales and check-ins', () => {
  let work: string;
  let serverProc: ChildProcess;
  let serverUrl: string;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let printer: EscPosSimulator;
  let termDir: string;
  let child: ChildProcess | null = null;
  let deviceId: string;
  let auditorToken: string;
  const waiters = new Map<number, (m: unknown) => void>();
  let nextId = 1;

  const admin = async <T>(method: 'GET' | 'POST', path: string): Promise<T> => {
    const res = await fetch(serverUrl + path, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, [REQUEST_ID_HEADER]: uuidv7(), ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      ...(method === 'POST' ? { body: '{}' } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const pairingCode = async () => (await admin<{ code: string }>('POST', '/admin/v1/pairing-codes')).code;

  /** Every ticket and ticket type as the server has them now (an auditing device's change feed). */
  const serverState = async () => {
    const tickets = new Map<string, Extract<Change, { kind: 'ticket' }>['row']>();
    const types = new Map<string, Extract<Change, { kind: 'ticket_type' }>['row']>();
    const points: Extract<Change, { kind: 'check_in_point' }>['row'][] = [];
    for (let since = 0; ; ) {
      const res = await fetch(`${serverUrl}/v1/changes?since=${since}&limit=10000`, { headers: { authorization: `Bearer ${auditorToken}` } });
      const page = (await res.json()) as { changes: Change[]; next: number; more: boolean };
      for (const c of page.changes) {
        if (c.kind === 'ticket') tickets.set(c.row.id, c.row);
        else if (c.kind === 'ticket_type') types.set(c.row.id, c.row);
        else if (c.kind === 'check_in_point') points.push(c.row);
      }
      since = page.next;
      if (!page.more) break;
    }
    return { tickets, types, points };
  };
  const serverCheckins = async (ticketId: string) =>
    (await admin<{ checkins: { id: string; deviceId: string; status: string }[] }>('GET', `/admin/v1/checkins?ticketId=${ticketId}&limit=100`)).checkins;

  const terminalDb = () => new Database(join(termDir, 'terminal.sqlite'), { readonly: true, fileMustExist: true });
  const fromTerminal = <T>(read: (db: Database.Database) => T): T => {
    const db = terminalDb();
    try {
      return read(db);
    } finally {
      db.close();
    }
  };

  const startChild = () =>
    new Promise<{ paired: boolean }>((resolve, reject) => {
      const c = fork('tests/helpers/crash-terminal.ts', [termDir], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      child = c;
      c.on('message', (raw) => {
        const m = raw as { type: string; id?: number; paired?: boolean; message?: string };
        if (m.type === 'ready') resolve({ paired: m.paired ?? false });
        else if (m.id !== undefined) {
          waiters.get(m.id)?.(m);
          waiters.delete(m.id);
        } else if (m.type === 'error') reject(new Error(m.message));
      });
      c.on('exit', () => {
        for (const w of waiters.values()) w({ type: 'killed' });
        waiters.clear();
        if (child === c) child = null;
      });
    });
  const ask = <T>(msg: object, type: string) =>
    new Promise<T>((resolve, reject) => {
      const c = child!;
      const on = (raw: unknown) => {
        const m = raw as { type: string; message?: string };
        if (m.type === type || m.type === 'error') {
          c.off('message', on);
          if (m.type === 'error') reject(new Error(m.message));
          else resolve(raw as T);
        }
      };
      c.on('message', on);
      c.send(msg);
    });
  /** A request with an id; answered with null when the process died first. */
  const request = <T>(msg: object): { id: number; answer: Promise<T | null> } => {
    const id = nextId++;
    const answer = new Promise<T | null>((resolve) => {
      if (!child) return resolve(null);
      waiters.set(id, (m) => resolve((m as { type: string }).type === 'killed' ? null : (m as T)));
      child.send({ ...msg, id });
    });
    return { id, answer };
  };
  const kill = async () => {
    const c = child;
    if (!c) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  const restart = async () => {
    const { paired } = await startChild();
    expect(paired).toBe(true);
    await waitFor(async () => (await ask<{ online: boolean }>({ type: 'stats' }, 'stats')).online, 60_000, 'the restarted terminal to be online');
  };
  const sell = async (cartId: string, lines: Line[]) =>
    (await request<{ result: Sold }>({ type: 'sell', cartId, lines, tenderedMinor: 10_000_000 }).answer)?.result ?? null;
  const scan = async (code: string) => (await request<{ verdict: Verdict }>({ type: 'scan', code }).answer)?.verdict ?? null;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'admit-crash-'));
    serverProc = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', '--port', '0', '--data-dir', join(work, 'server'), '--demo', '--demo-tickets', '400'], {
      env: { ...process.env, ADMIT_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    serverUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      serverProc.stdout!.on('data', (d) => {
        out += String(d);
        const url = /Admit server listening on (http:\/\/[\d.]+:\d+)/.exec(out)?.[1];
        if (url) resolve(url.replace('0.0.0.0', '127.0.0.1'));
      });
      serverProc.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
    });
    proxy = await startProxy(Number(new URL(serverUrl).port));
    printer = await startEscPosSimulator({ port: 0 });
    printer.on('error', quiet);

    const pair = await fetch(`${serverUrl}/v1/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [REQUEST_ID_HEADER]: uuidv7() },
      body: JSON.stringify({ code: await pairingCode(), name: 'Auditor' }),
    });
    auditorToken = ((await pair.json()) as { token: string }).token;

    termDir = join(work, 'terminal');
    mkdirSync(termDir, { recursive: true });
    await startChild();
    deviceId = (await ask<{ deviceId: string }>({ type: 'pair', url: proxy.url, code: await pairingCode(), name: 'Till and gate' }, 'paired')).deviceId;
    await ask({ type: 'printer', port: printer.port }, 'printer');
  }, 300_000);

  afterAll(async () => {
    await kill();
    await proxy?.close();
    await printer?.close();
    if (serverProc && serverProc.exitCode === null) {
      const exited = new Promise((r) => serverProc.once('exit', r));
      serverProc.kill('SIGTERM');
      await exited;
    }
    if (work) rmSync(work, { recursive: true, force: true });
  }, 300_000);

  it('loses no sale and sells no cart twice when the till is killed mid-sale', async () => {
    const before = await serverState();
    const types = [...before.types.values()].filter((t) => t.eventId === [...before.types.values()][0]!.eventId);
    const carts = new Map<string, Line[]>();
    const retried = new Set<string>();
    for (let i = 0; i < SALE_KILLS; i++) {
      const picked = [...types].sort(() => rand() - 0.5).slice(0, 1 + Math.floor(rand() * 2));
      const lines = picked.map((t) => ({ ticketTypeId: t.id, quantity: 1 + Math.floor(rand() * 3) }));
      const cartId = randomUUID();
      carts.set(cartId, lines);
      const delay = Math.floor(rand() * 250);
      const pending = sell(cartId, lines);
      await new Promise((r) => setTimeout(r, delay));
      await kill();
      await pending;
      await restart();
      // Every other time the cashier sells the same cart again after the restart: the same order.
      if (i % 2 === 0) {
        retried.add(cartId);
        const again = await sell(cartId, lines);
        expect(again).toMatchObject({ ok: true, value: { order: { id: cartId } } });
      }
    }
    // The restarted terminal settles what it left in flight by itself.
    await waitFor(
      () => fromTerminal((db) => (db.prepare("select count(*) as n from pending_sales where state in ('pending', 'recorded')").get() as { n: number }).n === 0),
      60_000,
      'the pending sales to be settled',
    );

    const after = await serverState();
    const sold = new Map<string, Map<string, number>>();
    for (const t of after.tickets.values()) {
      if (!t.orderId || !carts.has(t.orderId)) continue;
      const perType = sold.get(t.orderId) ?? new Map<string, number>();
      perType.set(t.ticketTypeId, (perType.get(t.ticketTypeId) ?? 0) + 1);
      sold.set(t.orderId, perType);
    }
    // No duplicate: each cart the server sold is exactly what was asked for, and nothing else was sold.
    let soldTickets = 0;
    for (const [cartId, perType] of sold) {
      const asked = new Map(carts.get(cartId)!.map((l) => [l.ticketTypeId, l.quantity]));
      expect(Object.fromEntries(perType)).toEqual(Object.fromEntries(asked));
      for (const n of perType.values()) soldTickets += n;
    }
    const delta = [...after.types.values()].reduce((sum, t) => sum + t.sold - (before.types.get(t.id)?.sold ?? 0), 0);
    expect(delta).toBe(soldTickets);
    for (const cartId of retried) expect(sold.has(cartId)).toBe(true);

    // No lost sale: every order the server made is recorded on the terminal, with its receipt queued or printed.
    const terminal = fromTerminal((db) => ({
      orders: db.prepare('select id, code from orders').all() as { id: string; code: string }[],
      receipts: (db.prepare("select document from print_jobs where kind = 'receipt'").all() as { document: string }[]).map((r) => r.document),
      failed: (db.prepare("select order_id as id from pending_sales where state = 'failed'").all() as { id: string }[]).map((r) => r.id),
    }));
    const recorded = new Map(terminal.orders.map((o) => [o.id, o.code]));
    for (const cartId of sold.keys()) {
      expect(recorded.has(cartId), `order ${cartId} sold by the server is recorded on the terminal`).toBe(true);
      const code = recorded.get(cartId)!;
      expect(terminal.receipts.filter((d) => d.includes(`"Order ${code}`)), `one receipt for order ${code}`).toHaveLength(1);
    }
    // The terminal records no order the server did not make, and a failed sale has no order.
    for (const id of recorded.keys()) if (carts.has(id)) expect(sold.has(id)).toBe(true);
    for (const id of terminal.failed) expect(sold.has(id)).toBe(false);
    console.log(`sales: ${SALE_KILLS} kills, ${sold.size} carts sold, ${SALE_KILLS - sold.size} never reached the server`);
  }, 300_000);

  it('leaves no ghost use when the gate is killed mid-check-in: unacted claims are annulled and the holder gets in', async () => {
    const state = await serverState();
    const entry = state.points.find((p) => p.direction === 'entry' && p.active);
    const fresh = [...state.tickets.values()].filter(
      (t) => t.status === 'valid' && t.paid && !t.orderId && (!entry || entry.ticketTypeIds.length === 0 || entry.ticketTypeIds.includes(t.ticketTypeId)),
    );
    let released = 0;
    for (let i = 0; i < SCAN_KILLS; i++) {
      const ticket = fresh[i * 7]!;
      const delay = Math.floor(rand() * 120);
      const pending = scan(ticket.code);
      await new Promise((r) => setTimeout(r, delay));
      await kill();
      await pending;
      await restart();
      await waitFor(async () => (await ask<{ outbox: number }>({ type: 'stats' }, 'stats')).outbox === 0, 60_000, 'the outbox to drain');

      // What the terminal acted on: its own check-ins of the ticket that stand (recorded with a verdict).
      const acted = () =>
        fromTerminal((db) =>
          (db.prepare("select id from checkins where ticket_id = ? and own = 1 and state <> 'annulled'").all(ticket.id) as { id: string }[]).map((r) => r.id),
        );
      // No ghost: every use the server holds for this terminal is one the terminal acted on.
      await waitFor(
        async () => {
          const held = (await serverCheckins(ticket.id)).filter((c) => c.deviceId === deviceId && c.status === 'accepted').map((c) => c.id);
          const own = new Set(acted());
          return held.every((id) => own.has(id));
        },
        60_000,
        `no ghost use of ticket ${ticket.id}`,
      );
      released += (await serverCheckins(ticket.id)).filter((c) => c.deviceId === deviceId && c.status === 'annulled').length;

      const actedOn = acted().length > 0;
      const again = await scan(ticket.code);
      if (!actedOn) expect(again, 'the holder is admitted after the restart').toMatchObject({ admitted: true });
      else expect(again).toMatchObject({ admitted: false, reason: 'already_used' });
    }
    console.log(`check-ins: ${SCAN_KILLS} kills, ${released} claims the server held were released by the terminal`);
  }, 300_000);

  it('answers a sale whose reply was lost with the same order when the cart is sold again, selling its seats once', async () => {
    const before = await serverState();
    const type = [...before.types.values()][0]!;
    const cartId = randomUUID();
    const lines = [{ ticketTypeId: type.id, quantity: 2 }];
    proxy.armDropOrderReply();
    const first = await sell(cartId, lines);
    expect(proxy.dropped()).toBe(1);
    expect(first).toMatchObject({ ok: false, error: { code: 'offline', detail: 'outcome_unknown' } });
    // The server did make the order: its reply was what got lost.
    const committed = [...(await serverState()).tickets.values()].filter((t) => t.orderId === cartId);
    expect(committed).toHaveLength(2);

    await waitFor(async () => (await ask<{ online: boolean }>({ type: 'stats' }, 'stats')).online, 60_000, 'the terminal to be online again');
    const again = await sell(cartId, lines);
    expect(again).toMatchObject({ ok: true, value: { order: { id: cartId } } });
    const after = await serverState();
    expect([...after.tickets.values()].filter((t) => t.orderId === cartId).map((t) => t.id).sort()).toEqual(committed.map((t) => t.id).sort());
    expect(after.types.get(type.id)!.sold - type.sold).toBe(2);
    const code = (again as Extract<Sold, { ok: true }>).value.order.code;
    const receipts = fromTerminal((db) => db.prepare("select count(*) as n from print_jobs where kind = 'receipt' and document like ?").get(`%"Order ${code}%`) as { n: number });
    expect(receipts.n).toBe(1);
    expect(fromTerminal((db) => db.prepare('select count(*) as n from orders where id = ?').get(cartId))).toEqual({ n: 1 });
  }, 300_000);
});
