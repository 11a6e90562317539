// Scan at the kiosk → badge bytes at the card printer, p50/p95: from the moment a scanned ticket code
// reaches the kiosk (kiosk.code, through the core's dispatch: signature, status and window checked, a
// visit opened with the masked candidate), through the attendee's confirmation (kiosk.confirm: the
// check-in claimed at the server, the badge rendered from the event's template, dithered and sent
// through the badge desk's print path), to the arrival of the card's last byte (Se) at an Evolis
// simulator running in its own process over TCP. The terminal's core runs on real SQLite and the
// central server on PGlite in this process, as in the tests. Each run is a fresh attendee (a badge
// prints once at a kiosk). Baseline in the same run: the same number of bytes, prepared beforehand,
// written at once on a bare socket to a TCP sink in the simulator's process.
// Run: npx tsx bench/kiosk-badge.ts [samples]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { v7 as uuidv7 } from 'uuid';
import type { KioskCheckIn, KioskFound } from '../electron/contract';
import { createCore, type Core } from '../electron/core/core';
import { EvolisSimulator } from '../drivers/badges/evolis-simulator';
import type { DeviceSession } from '../drivers/printers/printer-simulator';
import { createServer } from '../server/src/app';
import { openServerDb } from '../server/src/db/client';
import { fmt, percentile } from './lib';

const now = () => performance.timeOrigin + performance.now();
type Arrival = { job: number; at: number; bytes: number; errors: number };
type SinkArrival = { sink: true; at: number };

if (process.argv[2] === 'child') {
  // The printer's side: when the chunk holding each card's Se arrived, on the shared clock, and how
  // many bytes the card took; and a bare TCP sink that says when it has received `expect` bytes.
  class TimedSimulator extends EvolisSimulator {
    lastChunkAt = 0;
    bytes = 0;
    protected override createSession(reply: (bytes: Uint8Array) => void): DeviceSession {
      const inner = super.createSession(reply);
      return {
        push: (chunk) => {
          this.lastChunkAt = now();
          this.bytes += chunk.length;
          inner.push(chunk);
        },
        end: () => inner.end(),
      };
    }
  }
  const sim = new TimedSimulator();
  sim.on('job', (job) => {
    process.send!({ job: job.id, at: sim.lastChunkAt, bytes: sim.bytes, errors: job.errors.length } satisfies Arrival);
    sim.bytes = 0;
    sim.jobs.length = 0;
  });
  await sim.listen(0);
  let expect = Infinity;
  let received = 0;
  const sink = net.createServer((s) => {
    s.on('data', (chunk) => {
      received += chunk.length;
      while (received >= expect) {
        received -= expect;
        process.send!({ sink: true, at: now() } satisfies SinkArrival);
      }
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  process.send!({ port: sim.port, sinkPort: (sink.address() as net.AddressInfo).port });
  process.on('message', (m: { stop?: boolean; expect?: number }) => {
    if (m.expect !== undefined) expect = m.expect;
    if (m.stop) {
      sink.close();
      void sim.close().then(() => process.exit(0));
    }
  });
} else {
  const SAMPLES = Number(process.argv[2] ?? 40);
  const WARMUP = 5;
  const ORDER = 10;
  const quiet = { warn: () => undefined, error: () => undefined, info: () => undefined };
  const cleanups: (() => unknown)[] = [];

  const child = fork(fileURLToPath(import.meta.url), ['child'], { execArgv: ['--import', 'tsx'] });
  cleanups.push(() => child.send({ stop: true }));
  const { port, sinkPort } = await new Promise<{ port: number; sinkPort: number }>((resolve) => child.once('message', resolve));
  const cards: ((a: Arrival) => void)[] = [];
  const sinks: ((a: SinkArrival) => void)[] = [];
  child.on('message', (m: Arrival | SinkArrival | { port: number }) => {
    if ('job' in m) cards.shift()?.(m);
    else if ('sink' in m) sinks.shift()?.(m);
  });
  const nextCard = () => new Promise<Arrival>((resolve) => cards.push(resolve));
  const nextSink = () => new Promise<SinkArrival>((resolve) => sinks.push(resolve));

  try {
    // The central server (PGlite) with the demo event, and the kiosk's terminal paired to it.
    const work = mkdtempSync(join(tmpdir(), 'admit-bench-kiosk-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    const db = await openServerDb();
    cleanups.push(() => db.close());
    const server = await createServer({ db, dataDir: join(work, 'server') });
    cleanups.push(() => server.close());
    const { url } = await server.listen({ host: '127.0.0.1', port: 0 });
    await server.admin.seedDemo({ tickets: 5 });
    const kiosk: Core = await createCore({
      dataDir: join(work, 'kiosk'),
      migrationsFolder: 'migrations/local',
      shell: 'service',
      demo: false,
      version: 'bench',
      modes: ['kiosk', 'box-office', 'manager'],
      devices: { usbEvents: false },
      logger: quiet,
    });
    cleanups.push(() => kiosk.close());
    kiosk.configureDevices([
      { id: 'badges', name: 'Badge printer', kind: 'printer', driver: 'evolis', transport: { type: 'tcp', host: '127.0.0.1', port }, kinds: ['badge'] },
    ]);
    await kiosk.restartDevices();
    const { code } = await server.admin.createPairingCode();
    const paired = await kiosk.dispatch('setup', 'terminal.pair', { serverUrl: url, code, terminalName: 'Kiosk 1' });
    if (!paired.ok) throw new Error(`pairing: ${JSON.stringify(paired.error)}`);
    const until = async (cond: () => boolean | Promise<boolean>, what: string) => {
      const deadline = Date.now() + 120_000;
      while (!(await cond())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    type Operator = { id: string; role: string };
    let operators: Operator[] = [];
    await until(async () => {
      const r = await kiosk.dispatch('x', 'session.operators', {});
      operators = r.ok ? (r.value as Operator[]) : [];
      return operators.length > 0;
    }, 'the operators');
    const signIn = async (session: string, roles: string[], pin: Record<string, string>) => {
      const op = roles.map((role) => operators.find((o) => o.role === role)).find(Boolean);
      if (!op) throw new Error(`no ${roles.join(' or ')} operator`);
      const r = await kiosk.dispatch(session, 'session.login', { operatorId: op.id, pin: pin[op.role] });
      if (!r.ok) throw new Error(`sign-in: ${JSON.stringify(r.error)}`);
    };
    // The kiosk's screen runs signed in as the demo's manager (the kiosk calls allow kiosk and manager).
    await signIn('kiosk', ['manager'], { manager: '999999' });
    await signIn('cashier', ['cashier'], { cashier: '111111' });
    const call = async <T>(session: string, name: string, input: unknown): Promise<T> => {
      const r = await kiosk.dispatch(session, name as never, input);
      if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
      return r.value as T;
    };

    // Attendees with names and phones, sold at the box office, their codes in the kiosk's cache.
    const catalog = await call<{ ticketTypes: { id: string; priceMinor: number }[] }>('cashier', 'boxOffice.catalog', {});
    const type = catalog.ticketTypes.find((t) => t.priceMinor > 0)!;
    const names = ['张三丰', 'Иванов Пётр', 'Alexandra Smith-Jones', '李小龙', 'Мария Петрова'];
    const tickets: { id: string; code: string }[] = [];
    while (tickets.length < WARMUP + SAMPLES) {
      const group = Array.from({ length: ORDER }, (_, index) => ({
        ticketTypeId: type.id,
        index,
        name: `${names[(tickets.length + index) % names.length]} ${tickets.length + index}`,
        phone: `+49 170 ${String(1_000_000 + tickets.length + index)}`,
      }));
      const sold = await call<{ order: { tickets: { id: string; code: string }[] } }>('cashier', 'boxOffice.sell', {
        lines: [{ ticketTypeId: type.id, quantity: ORDER }],
        attendees: group,
        payment: { method: 'cash', tenderedMinor: type.priceMinor * ORDER },
      });
      tickets.push(...sold.order.tickets);
    }
    await until(() => tickets.every((t) => kiosk.cache.ticketById(t.id) !== null && kiosk.cache.ticketById(t.id) !== undefined), 'the tickets in the cache');
    await call('kiosk', 'kiosk.state', {});

    /** The scan reaches the kiosk at t0: everything from here to the card's last byte is the measured
     *  path (the attendee's tap on "this is me" taken as instant). */
    let next = 0;
    let cardBytes = 0;
    const identify: number[] = [];
    async function scanned(): Promise<number> {
      const ticket = tickets[next++]!;
      const card = nextCard();
      const t0 = now();
      const found = await call<KioskFound>('kiosk', 'kiosk.code', { code: ticket.code, by: 'scanner' });
      if (!found.ok) throw new Error(`kiosk.code refused: ${found.refusal.reason}`);
      identify.push(now() - t0);
      const done = await call<KioskCheckIn>('kiosk', 'kiosk.confirm', { visitId: found.visitId, candidateId: found.candidates[0]!.candidateId, requestId: uuidv7() });
      if (done.checkIn === 'refused' || done.print?.state !== 'printed') throw new Error(`kiosk.confirm: ${JSON.stringify(done)}`);
      const a = await card;
      if (a.errors > 0) throw new Error(`the simulator found ${a.errors} errors in a card`);
      cardBytes = a.bytes;
      await call('kiosk', 'kiosk.reset', { visitId: found.visitId });
      return a.at - t0;
    }

    for (let i = 0; i < WARMUP; i++) await scanned();
    identify.length = 0;
    child.send({ expect: cardBytes });
    const prepared = Buffer.alloc(cardBytes, 0x55);
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: sinkPort, noDelay: true }, () => resolve(s));
      s.on('error', reject);
    });
    cleanups.push(() => socket.destroy());
    async function bare(): Promise<number> {
      const arrival = nextSink();
      const t0 = now();
      socket.write(prepared);
      return (await arrival).at - t0;
    }
    for (let i = 0; i < WARMUP; i++) await bare();

    const summary = (times: number[]) => {
      const sorted = [...times].sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
    };
    // Interleaved, alternating which goes first, so the shared machine's load swings fall on both alike.
    const paths = [bare, scanned];
    const times: number[][] = paths.map(() => []);
    for (let i = 0; i < SAMPLES; i++) {
      for (let k = 0; k < paths.length; k++) {
        const j = (i + k) % paths.length;
        times[j]!.push(await paths[j]!());
      }
    }
    const [b, s] = times.map(summary) as [ReturnType<typeof summary>, ReturnType<typeof summary>];
    console.log(
      `kiosk: scan → check-in → badge bytes at the Evolis printer (core on SQLite, server on PGlite in process, TCP, simulator in its own process), ${SAMPLES} samples each`,
    );
    const row = (what: string, r: { p50: number; p95: number }, ratio: boolean) =>
      console.log(`  ${what.padEnd(66)} p50 ${fmt(r.p50).padStart(9)}  p95 ${fmt(r.p95).padStart(9)}${ratio ? `  (${(r.p50 / b.p50).toFixed(1)}x / ${(r.p95 / b.p95).toFixed(1)}x bare)` : ''}`);
    row(`bare socket write to a TCP sink (${cardBytes} B, the card's size)`, b, false);
    row('scan → kiosk.code → kiosk.confirm → check-in, badge, card bytes', s, true);
    row('  of which the scan to the masked candidate (kiosk.code)', summary(identify), false);
  } finally {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  }
}
