// Badge requested → card bytes at the printer, p50/p95: from the moment the badge desk hands the
// driver a PrintDocument with one badge block (a 300 dpi CR80 template, a Chinese name) through the
// template check, the badge renderer, the 1-bit dither and the k panel, the status read (Pem;2, Rse;f)
// and every command of the card answered in turn, to the arrival of the card's last byte (Se) at an
// Evolis simulator running in its own process over TCP. Baseline in the same run: the same card's
// command bytes, prepared beforehand, written at once on a bare socket to the same simulator.
// Run: npx tsx bench/badge-print.ts [samples]
import { fork } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { defaultBadgeTemplate } from '../domain/badge-template';
import { EvolisSimulator } from '../drivers/badges/evolis-simulator';
import { openContext, openDevice, type EvolisPrinter, type PrintDocument } from '../drivers';
import type { DeviceSession } from '../drivers/printers/printer-simulator';
import { fmt, percentile } from './lib';

const now = () => performance.timeOrigin + performance.now();
type Arrival = { job: number; at: number; errors: number };

if (process.argv[2] === 'child') {
  // The simulator's side: report when the chunk holding each card's Se arrived, on the shared clock.
  class TimedSimulator extends EvolisSimulator {
    lastChunkAt = 0;
    protected override createSession(reply: (bytes: Uint8Array) => void): DeviceSession {
      const inner = super.createSession(reply);
      return {
        push: (chunk) => {
          this.lastChunkAt = now();
          inner.push(chunk);
        },
        end: () => inner.end(),
      };
    }
  }
  const sim = new TimedSimulator();
  sim.on('job', (job) => {
    process.send!({ job: job.id, at: sim.lastChunkAt, errors: job.errors.length } satisfies Arrival);
    sim.jobs.length = 0;
  });
  await sim.listen(0);
  process.send!({ port: sim.port });
  process.on('message', (m: { stop?: boolean }) => {
    if (m.stop) void sim.close().then(() => process.exit(0));
  });
} else {
  const SAMPLES = Number(process.argv[2] ?? 60);
  const WARMUP = 5;
  const child = fork(fileURLToPath(import.meta.url), ['child'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const waiting: ((a: Arrival) => void)[] = [];
  child.on('message', (m: Arrival | { port: number }) => {
    if ('job' in m) waiting.shift()?.(m);
  });
  const nextArrival = () => new Promise<Arrival>((resolve) => waiting.push(resolve));

  const template = defaultBadgeTemplate();
  if (template.dpi !== 300 || template.stock.kind !== 'cr80')
    throw new Error('the standard template is no longer a 300 dpi CR80 card');
  const doc: PrintDocument = {
    blocks: [
      {
        type: 'badge',
        template,
        attendee: { name: '张三丰', company: 'Admit Expo', ticketType: 'Speaker', ticketCode: 'BENCH-0001' },
      },
    ],
  };
  const config = {
    kind: 'printer' as const,
    driver: 'evolis',
    transport: { type: 'tcp', host: '127.0.0.1', port },
    timeoutMs: 10_000,
  };
  const printer = openDevice(config, openContext()) as EvolisPrinter;

  /** The badge is requested at t0: everything from here to the card's last byte is the measured path. */
  async function requested(): Promise<number> {
    const arrival = nextArrival();
    const t0 = now();
    await printer.print(doc);
    const a = await arrival;
    if (a.errors > 0) throw new Error(`the simulator found ${a.errors} errors in a card`);
    return a.at - t0;
  }

  const prepared = Buffer.concat(printer.cardsFor(doc)[0]!);
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => resolve(s));
    s.on('error', reject);
  });
  socket.on('data', () => undefined); // the answers, unread
  async function bare(): Promise<number> {
    const arrival = nextArrival();
    const t0 = now();
    socket.write(prepared);
    return (await arrival).at - t0;
  }

  const summary = (times: number[]) => {
    const sorted = [...times].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
  };
  // Interleaved, alternating which goes first, so the shared machine's load swings fall on both alike.
  const paths = [bare, requested];
  const times: number[][] = paths.map(() => []);
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    for (let k = 0; k < paths.length; k++) {
      const j = (i + k) % paths.length;
      const t = await paths[j]!();
      if (i >= WARMUP) times[j]!.push(t);
    }
  }
  const [b, r] = times.map(summary) as [ReturnType<typeof summary>, ReturnType<typeof summary>];

  console.log(
    `badge requested → card bytes at the Evolis printer (300 dpi CR80, TCP, simulator in its own process), ${SAMPLES} samples each`,
  );
  const row = (what: string, s: { p50: number; p95: number }, ratio: boolean) =>
    console.log(
      `  ${what.padEnd(62)} p50 ${fmt(s.p50).padStart(9)}  p95 ${fmt(s.p95).padStart(9)}${ratio ? `  (${(s.p50 / b.p50).toFixed(1)}x / ${(s.p95 / b.p95).toFixed(1)}x bare)` : ''}`,
    );
  row(`bare socket write, prepared card commands (${prepared.length} B)`, b, false);
  row('badge block → check, render, dither, panel, status, commands', r, true);

  socket.destroy();
  await printer.close();
  child.send({ stop: true });
}
