// Sale confirmed → ticket bytes at the printer, p50/p95: from the moment the box office holds the
// confirmed order, through the printed words and the ticket document (receipts.ts), the ESC/POS driver
// (status before, bytes, status after) over TCP, to the arrival of the ticket's last byte at an ESC/POS
// printer simulator running in its own process. Two tickets: a Latin one the printer's code page
// prints as text, and one with a Chinese holder and the ruble sign, whose lines are drawn with the
// shipped fonts and sent as raster images. Baseline in the same run: the same Latin ticket's bytes,
// rendered beforehand, written on a bare socket to the same simulator.
// Run: npx tsx bench/sale-to-printer.ts [samples]
import { fork } from 'node:child_process';
import net from 'node:net';
import { createEscPosPrinter } from '../drivers/printers/escpos-printer';
import { printLabels } from '../electron/core/box-office/print-labels';
import { ticketDocuments, type PrintedOrder } from '../electron/core/box-office/receipts';
import { fmt, percentile } from './lib';

const SAMPLES = Number(process.argv[2] ?? 300);
const WARMUP = 30;
const now = () => performance.timeOrigin + performance.now();

type Arrival = { job: number; at: number; bytes: number; errors: number };
const child = fork('bench/printer-child.ts', [], { execArgv: ['--import', 'tsx'] });
const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
const waiting: ((a: Arrival) => void)[] = [];
child.on('message', (m: Arrival | { port: number }) => {
  if ('job' in m) waiting.shift()?.(m);
});
const nextArrival = () => new Promise<Arrival>((resolve) => waiting.push(resolve));

const order = (currency: string, holder: string | null): PrintedOrder => ({
  id: '0190a000-0000-7000-8000-000000000001',
  code: 'ORD-7Q2K',
  eventId: '0190a000-0000-7000-8000-00000000e001',
  totalMinor: 150_000,
  currency,
  paymentMethod: 'cash',
  tenderedMinor: 150_000,
  changeMinor: 0,
  createdAt: '2026-12-02T11:40:00.000Z',
  tickets: [
    {
      id: '0190a000-0000-7000-8000-000000000003',
      code: 'T-4F7Q9ZK2',
      ticketTypeId: '0190a000-0000-7000-8000-00000000a001',
      ticketTypeName: { en: 'Day pass', ru: 'Дневной билет', 'zh-CN': '日票' },
      priceMinor: 150_000,
      attendeeName: holder,
    },
  ],
});
const event = { name: { en: 'Winter Fest', ru: 'Зимний фестиваль', 'zh-CN': '冬季音乐节' }, timezone: 'Europe/Moscow', startsAt: '2026-12-20T16:00:00Z' };
const latin = { order: order('USD', 'Anna Smith'), lang: 'en' };
const cjk = { order: order('RUB', '张三丰'), lang: 'ru' };

const printer = createEscPosPrinter({ host: '127.0.0.1', port });

/** The sale is confirmed at t0: everything from here to the last byte is the measured path. */
async function saleToPrinter(sale: { order: PrintedOrder; lang: string }): Promise<number> {
  const arrival = nextArrival();
  const t0 = now();
  const [ticket] = ticketDocuments(sale.order, printLabels(sale.lang, event));
  await printer.print(ticket!);
  const a = await arrival;
  if (a.errors > 0) throw new Error(`the simulator found ${a.errors} errors in a ticket`);
  return a.at - t0;
}

const bareBytes = printer.render(ticketDocuments(latin.order, printLabels(latin.lang, event))[0]!);
const socket = await new Promise<net.Socket>((resolve, reject) => {
  const s = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => resolve(s));
  s.on('error', reject);
});
async function bare(): Promise<number> {
  const arrival = nextArrival();
  const t0 = now();
  socket.write(bareBytes);
  return (await arrival).at - t0;
}

const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
};

const rasterBytes = printer.render(ticketDocuments(cjk.order, printLabels(cjk.lang, event))[0]!).length;
// Interleaved, in a rotating order, so the shared machine's load swings fall on all three alike.
const paths = [bare, () => saleToPrinter(latin), () => saleToPrinter(cjk)];
const times: number[][] = paths.map(() => []);
for (let i = 0; i < WARMUP + SAMPLES; i++) {
  for (let k = 0; k < paths.length; k++) {
    const j = (i + k) % paths.length;
    const t = await paths[j]!();
    if (i >= WARMUP) times[j]!.push(t);
  }
}
const [b, l, c] = times.map(summary) as [ReturnType<typeof summary>, ReturnType<typeof summary>, ReturnType<typeof summary>];

console.log(`sale confirmed → ticket bytes at the ESC/POS printer (TCP, simulator in its own process), ${SAMPLES} samples each`);
const row = (what: string, r: { p50: number; p95: number }, ratio: boolean) =>
  console.log(`  ${what.padEnd(52)} p50 ${fmt(r.p50).padStart(9)}  p95 ${fmt(r.p95).padStart(9)}${ratio ? `  (${(r.p50 / b.p50).toFixed(1)}x / ${(r.p95 / b.p95).toFixed(1)}x bare)` : ''}`);
row(`bare socket write, rendered Latin ticket (${bareBytes.length} B)`, b, false);
row(`Latin ticket, code-page text (${bareBytes.length} B)`, l, true);
row(`Chinese holder and ₽, raster lines (${rasterBytes} B)`, c, true);

socket.destroy();
await printer.close();
child.send({ stop: true });
