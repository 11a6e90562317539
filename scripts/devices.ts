// Owns the installer's command line for a terminal's devices (`npm run devices -- <command>`): what is
// plugged in, what this terminal is configured to drive, opening one device to see it answer, a test
// page, a relay pulse, an ID read (name and masked number only), and adding or removing a device in
// the terminal's configuration (its SQLite database in the data directory). Devices are opened the
// way the running terminal opens them (the drivers' registry, drivers/index.ts), so what works here
// works there. A running terminal picks up what add and remove changed on devices.reload (or restart).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SerialPort } from 'serialport';
import { openLocalDb, type LocalDb } from '../electron/core/db/open';
import {
  DEVICES_META_KEY,
  DRIVER_NAMES,
  loadDeviceConfigs,
  parseDeviceConfig,
  printerKinds,
  type DeviceConfig,
  type IdReaderConfig,
  type PaymentTerminalConfig,
  type PrinterConfig,
  type RelayConfig,
  type ScannerConfig,
} from '../electron/core/devices/config';
import { discover, type Discovered } from '../electron/core/devices/discovery';
import { resolveResources } from '../electron/core/resources';
import { Meta as Store } from '../electron/core/db/meta';
import {
  describeDevice,
  DriverError,
  entryPulse,
  hex4,
  maskIdNumber,
  openContext,
  openDevice,
  printerRefusal,
  type ConnectionStatus,
  type OpenContext,
  type PrintDocument,
} from '../drivers';

const USAGE = `Admit device set-up: npm run devices -- <command> [options]

Commands:
  list                        serial ports, HID and USB devices found, and this terminal's devices
  probe <device-id|path>      open a configured device (or a serial port by path) and report it
                              (a card terminal: it takes this till's registration)
  test-print <printer-id>     print a test page with a QR code
  pulse <relay-id> [ms]       close the relay's entry channel for ms (default: its configured pulse)
  read-id <reader-id>         read an ID card or passport: the name and the masked number only
  add '<json>'                add a device to this terminal's configuration
  remove <device-id>          remove a device from it
  help                        this text

Options:
  --data-dir <dir>   the terminal's data directory (default: Admit's data directory/terminal)
  --json             machine-readable output on stdout
  --timeout <ms>     how long to wait for a device (default 10000; read-id 30000)
  --baud <n>         probe by path: baud rate (default 9600)
  --listen <ms>      probe: also show what the device sends for this long
  --replace          add: replace the device with the same id

Drivers: ${DRIVER_NAMES.join(', ')}
Example: npm run devices -- add '{"id":"gate-scanner","name":"Gate scanner","kind":"scanner","driver":"serial-scanner","path":"/dev/ttyACM0"}'
Card terminal (ZVT over TCP): npm run devices -- add '{"id":"card-terminal","name":"Card terminal","kind":"payment-terminal","driver":"zvt","host":"192.168.1.60","port":20007,"password":"000000","currency":"EUR"}'`;

/** A failure to report: exit code 2 for bad input, 1 for a device or system problem. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

interface Options {
  dataDir: string;
  json: boolean;
  timeoutMs: number | null;
  baud: number;
  listenMs: number;
  replace: boolean;
}

type Output = (json: unknown, text: string) => void;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const errText = (e: unknown) => (e instanceof DriverError ? `${e.code}: ${e.detail}` : e instanceof Error ? e.message : String(e));

/** Known adapters and devices, to help an installer tell what is what. */
const KNOWN: Record<string, string> = {
  '1a86:7523': 'CH340 serial adapter (LCUS relay boards, scanners)',
  '10c4:ea60': 'CP210x serial adapter',
  '0403:6001': 'FTDI serial adapter',
  '0403:6015': 'FTDI serial adapter',
  '16c0:05df': 'dcttech USB HID relay',
  '0400:c35a': 'resident ID card reader (SAM)',
  '0c2e': 'Honeywell scanner',
  '05e0': 'Zebra / Symbol scanner',
  '05f9': 'Datalogic scanner',
  '1eab': 'Newland scanner',
  '0519': 'Star printer',
  '04b8': 'Epson printer',
};
const known = (vid?: number | string, pid?: number | string): string => {
  if (vid === undefined) return '';
  const v = typeof vid === 'number' ? hex4(vid) : vid.toLowerCase();
  const p = pid === undefined ? '' : typeof pid === 'number' ? hex4(pid) : pid.toLowerCase();
  return KNOWN[`${v}:${p}`] ?? KNOWN[v] ?? '';
};

function parseOptions(argv: string[]): { command: string | undefined; args: string[]; options: Options; explicitDataDir: string | undefined } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean' },
        timeout: { type: 'string' },
        baud: { type: 'string' },
        listen: { type: 'string' },
        replace: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new CliError((e as Error).message, 2);
  }
  const { values, positionals } = parsed;
  const num = (name: string, v: string | undefined, min: number, max: number): number | null => {
    if (v === undefined) return null;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`--${name} must be a whole number from ${min} to ${max}`, 2);
    return n;
  };
  const [command, ...args] = values.help ? ['help'] : positionals;
  return {
    command,
    args,
    explicitDataDir: values['data-dir'],
    options: {
      dataDir: values['data-dir'] ? resolve(values['data-dir']) : '',
      json: values.json === true,
      timeoutMs: num('timeout', values.timeout, 100, 600_000),
      baud: num('baud', values.baud, 300, 4_000_000) ?? 9600,
      listenMs: num('listen', values.listen, 0, 600_000) ?? 0,
      replace: values.replace === true,
    },
  };
}

// ---- the terminal's database -------------------------------------------------------------------

const dbFile = (o: Options) => join(o.dataDir, 'terminal.sqlite');

function openStore(o: Options, create: boolean): { db: LocalDb; store: Store } | null {
  if (!create && !existsSync(dbFile(o))) return null;
  const db = openLocalDb(dbFile(o), resolveResources().localMigrations);
  return { db, store: new Store(db.$client) };
}

function withStore<T>(o: Options, create: boolean, fn: (store: Store | null) => T): T {
  const opened = openStore(o, create);
  try {
    return fn(opened?.store ?? null);
  } finally {
    opened?.db.$client.close();
  }
}

function configuredDevice(o: Options, id: string): DeviceConfig {
  const found = withStore(o, false, (store) => (store ? loadDeviceConfigs(store).configs.find((c) => c.id === id) : undefined));
  if (!found) throw new CliError(`no device '${id}' in the configuration at ${dbFile(o)} (see: npm run devices -- list)`, 1);
  return found;
}

function rawList(store: Store): unknown[] {
  const text = store.getMeta(DEVICES_META_KEY);
  if (!text) return [];
  try {
    const raw: unknown = JSON.parse(text);
    if (Array.isArray(raw)) return raw;
  } catch {
    // fall through
  }
  throw new CliError('the stored device list is unreadable; it was not changed', 1);
}

// ---- waiting for devices -----------------------------------------------------------------------

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CliError(`${what}: no answer within ${ms} ms`, 1)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolve once the link says connected; reject after `ms` with the last error seen. */
function connected(
  link: { readonly status: ConnectionStatus; on(event: 'status', l: (s: ConnectionStatus) => void): unknown },
  lastError: () => string | null,
  ms: number,
  what: string,
): Promise<void> {
  if (link.status === 'connected') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new CliError(`${what} did not connect within ${ms} ms${lastError() ? ` (${lastError()})` : ''}`, 1)), ms);
    link.on('status', (s) => {
      if (s !== 'connected') return;
      clearTimeout(timer);
      resolve();
    });
  });
}

// ---- commands ----------------------------------------------------------------------------------

async function cmdList(o: Options, out: Output): Promise<void> {
  const found: Discovered = await discover();
  const { configs, problems, present } = withStore(o, false, (store) =>
    store ? { ...loadDeviceConfigs(store), present: true } : { configs: [] as DeviceConfig[], problems: [], present: false },
  );
  const lines: string[] = [];
  lines.push('Serial ports:');
  if (found.serial.length === 0) lines.push('  (none found; listing needs udevadm on Linux — a path still opens without it)');
  for (const p of found.serial) lines.push(`  ${p.path}${p.vendorId ? `  ${p.vendorId}:${p.productId ?? '????'}` : ''}${p.manufacturer ? `  ${p.manufacturer}` : ''}${known(p.vendorId, p.productId) ? `  — ${known(p.vendorId, p.productId)}` : ''}`);
  lines.push('HID devices:');
  if (found.hid.length === 0) lines.push('  (none found, or HID is not available here)');
  for (const d of found.hid) {
    const usage = d.usagePage !== undefined ? `  usage ${hex4(d.usagePage)}:${hex4(d.usage ?? 0)}${d.usagePage === 0x8c ? ' (HID POS scanner)' : ''}` : '';
    lines.push(`  ${hex4(d.vendorId)}:${hex4(d.productId)}  ${d.product ?? ''}${usage}  ${d.path ?? ''}${known(d.vendorId, d.productId) ? `  — ${known(d.vendorId, d.productId)}` : ''}`);
  }
  lines.push('USB devices:');
  if (found.usb.length === 0) lines.push('  (none found, or there is no USB bus here)');
  for (const d of found.usb) lines.push(`  ${hex4(d.vendorId)}:${hex4(d.productId)}  ${d.manufacturer ?? ''} ${d.product ?? ''}${known(d.vendorId, d.productId) ? `  — ${known(d.vendorId, d.productId)}` : ''}`);
  lines.push(`Configured devices (${present ? dbFile(o) : `no terminal database at ${dbFile(o)} yet`}):`);
  if (configs.length === 0) lines.push('  (none)');
  for (const c of configs) {
    const routing = c.kind === 'printer' ? `  [${printerKinds(c).join(', ')}]` : 'lane' in c && c.lane ? `  [lane ${c.lane}]` : '';
    lines.push(`  ${c.id.padEnd(16)} ${c.kind.padEnd(9)} ${c.driver.padEnd(15)} ${describeDevice(c).padEnd(34)} ${c.name}${routing}`);
  }
  for (const p of problems) lines.push(`  ! entry ${p.index}${p.id ? ` (${p.id})` : ''} is skipped: ${p.issues.join('; ')}`);
  out({ dataDir: o.dataDir, discovered: found, configured: configs, problems }, lines.join('\n'));
}

async function cmdProbe(o: Options, out: Output, target: string | undefined, ctx: OpenContext): Promise<void> {
  if (!target) throw new CliError('probe needs a device id or a serial port path', 2);
  const timeout = o.timeoutMs ?? 10_000;
  const isPath = /[\\/]/.test(target) || /^COM\d+$/i.test(target);
  const c = isPath ? null : configuredDevice(o, target);
  if (!c) return probePath(o, out, target, timeout);
  switch (c.kind) {
    case 'scanner':
      return probeScanner(o, out, c, ctx, timeout);
    case 'id-reader':
      return probeIdReader(out, c, ctx, timeout);
    case 'relay':
      return probeRelay(out, c, ctx, timeout);
    case 'printer':
      return probePrinter(out, c, ctx, timeout);
    case 'payment-terminal':
      return probePaymentTerminal(out, c, ctx, timeout);
  }
}

/** A card terminal answers when it takes this till's registration (nothing is charged). */
async function probePaymentTerminal(out: Output, c: PaymentTerminalConfig, ctx: OpenContext, timeout: number): Promise<void> {
  const t = openDevice(c, ctx);
  try {
    const state = await within(
      new Promise<string>((resolve) => {
        if (t.state === 'registered') return resolve(t.state);
        t.on('state', (s) => {
          if (s === 'registered' || s === 'fault') resolve(s);
        });
      }),
      timeout,
      c.name,
    );
    if (state !== 'registered') throw new CliError(`${c.name} (${describeDevice(c)}) does not take the registration: ${t.cause ? errText(t.cause) : 'fault'}`, 1);
    out(
      { ok: true, id: c.id, kind: c.kind, driver: c.driver, target: describeDevice(c), state: 'registered', currency: t.currency },
      `${c.name} (${describeDevice(c)}) took the registration (${t.currency}): ready for cards.`,
    );
  } finally {
    await t.close().catch(() => undefined);
  }
}

async function probePath(o: Options, out: Output, path: string, timeout: number): Promise<void> {
  const port = new SerialPort({ path, baudRate: o.baud, autoOpen: false });
  await within(
    new Promise<void>((resolve, reject) =>
      port.open((err) =>
        err
          ? reject(new CliError(`cannot open ${path}: ${err.message} (is the user in the dialout group? is brltty or ModemManager holding it?)`, 1))
          : resolve(),
      ),
    ),
    timeout,
    `opening ${path}`,
  );
  const received: Buffer[] = [];
  port.on('data', (d: Buffer) => received.push(d));
  port.on('error', () => undefined);
  if (o.listenMs > 0) await sleep(o.listenMs);
  await new Promise<void>((r) => port.close(() => r()));
  const bytes = Buffer.concat(received);
  const printable = bytes.toString('latin1').replace(/[^\x20-\x7e]/g, '.');
  out(
    { ok: true, path, baudRate: o.baud, opened: true, receivedHex: bytes.toString('hex'), receivedText: printable },
    [`${path} opens at ${o.baud} baud.`, o.listenMs > 0 ? (bytes.length ? `Received ${bytes.length} bytes: ${printable}  [${bytes.toString('hex')}]` : `Nothing received in ${o.listenMs} ms.`) : '']
      .filter(Boolean)
      .join('\n'),
  );
}

async function probeScanner(o: Options, out: Output, c: ScannerConfig, ctx: OpenContext, timeout: number): Promise<void> {
  const d = openDevice(c, ctx);
  let last: string | null = null;
  const scans: string[] = [];
  d.on('error', (e) => (last = `${e.code}: ${e.detail}`));
  d.on('scan', (e) => void scans.push(e.code));
  try {
    await connected(d, () => last, timeout, c.name);
    if (o.listenMs > 0) await sleep(o.listenMs);
  } finally {
    await d.close().catch(() => undefined);
  }
  out(
    { ok: true, id: c.id, kind: c.kind, driver: c.driver, target: describeDevice(c), state: 'connected', scans },
    [`${c.name} (${describeDevice(c)}) is connected.`, ...scans.map((s) => `Scanned: ${s}`)].join('\n'),
  );
}

async function probeIdReader(out: Output, c: IdReaderConfig, ctx: OpenContext, timeout: number): Promise<void> {
  const r = openDevice(c, ctx);
  if (r.mode === 'push') {
    let last: string | null = null;
    r.on('error', (e) => (last = e.code));
    try {
      await connected(r, () => last, timeout, c.name);
    } finally {
      await r.close().catch(() => undefined);
    }
    out({ ok: true, id: c.id, kind: c.kind, driver: c.driver, target: describeDevice(c), state: 'connected' }, `${c.name} (${describeDevice(c)}) is connected.`);
    return;
  }
  const link = r;
  let last: string | null = null;
  link.on('error', (e) => (last = e.code));
  try {
    await connected(link, () => last, timeout, c.name);
    const sam = await within(link.samId(), timeout, `${c.name} SAM id`);
    out(
      { ok: true, id: c.id, kind: c.kind, driver: c.driver, target: describeDevice(c), state: 'connected', samId: sam.id },
      `${c.name} (${describeDevice(c)}) is connected; SAM ${sam.id}.`,
    );
  } finally {
    await link.close().catch(() => undefined);
  }
}

async function probeRelay(out: Output, c: RelayConfig, ctx: OpenContext, timeout: number): Promise<void> {
  const board = openDevice(c, ctx);
  let last: string | null = null;
  board.on('status', () => undefined);
  try {
    let inputs: boolean[] | null = null;
    if (board.readInputs) {
      // Modbus boards connect on first request.
      inputs = await within(board.readInputs(), timeout, c.name).catch((e: unknown) => {
        last = errText(e);
        throw new CliError(`${c.name} does not answer: ${last}`, 1);
      });
    } else await connected(board, () => last, timeout, c.name);
    out(
      { ok: true, id: c.id, kind: c.kind, driver: c.driver, target: describeDevice(c), state: 'connected', channels: board.channels, inputs },
      `${c.name} (${describeDevice(c)}) is connected: ${board.channels} channels, entry on channel ${c.channel}${inputs ? `; inputs ${inputs.map((b) => (b ? 1 : 0)).join('')}` : ''}.`,
    );
  } finally {
    await board.close().catch(() => undefined);
  }
}

async function probePrinter(out: Output, c: PrinterConfig, ctx: OpenContext, timeout: number): Promise<void> {
  const p = openDevice(c, ctx);
  try {
    const s = await within(p.status(), timeout, c.name).catch((e: unknown) => {
      throw e instanceof CliError ? e : new CliError(`${c.name} does not answer: ${errText(e)}`, 1);
    });
    const refusal = printerRefusal(s);
    out(
      { ok: refusal === null, id: c.id, kind: c.kind, driver: c.driver, target: describeDevice(c), status: s, refusal },
      `${c.name} (${describeDevice(c)}) answers: ${refusal ? `cannot print (${refusal})` : s.paperNearEnd ? 'ready, paper low' : 'ready'}.`,
    );
    if (refusal) throw new CliError(`${c.name} cannot print: ${refusal}`, 1);
  } finally {
    await p.close().catch(() => undefined);
  }
}

export function testPage(c: PrinterConfig, at = new Date()): PrintDocument {
  const code = `ADMIT-TEST-${c.id}`;
  return {
    blocks: [
      { type: 'text', text: 'Admit', align: 'center', bold: true, size: 2 },
      { type: 'text', text: 'Printer test page', align: 'center' },
      { type: 'rule' },
      { type: 'text', text: `Device: ${c.name} (${c.id})` },
      { type: 'text', text: `Driver: ${c.driver}, ${describeDevice(c)}` },
      { type: 'text', text: `Printed: ${at.toISOString().slice(0, 19).replace('T', ' ')} UTC` },
      { type: 'qr', data: code, moduleSize: 6 },
      { type: 'text', text: code, align: 'center' },
      { type: 'text', text: 'A gate scanner must read this code.', align: 'center' },
      { type: 'feed', lines: 2 },
      { type: 'cut' },
    ],
  };
}

async function cmdTestPrint(o: Options, out: Output, id: string | undefined, ctx: OpenContext): Promise<void> {
  if (!id) throw new CliError('test-print needs a printer id', 2);
  const c = configuredDevice(o, id);
  if (c.kind !== 'printer') throw new CliError(`'${id}' is a ${c.kind}, not a printer`, 2);
  const p = openDevice(c, ctx);
  try {
    await within(p.print(testPage(c)), o.timeoutMs ?? 15_000, c.name).catch((e: unknown) => {
      throw e instanceof CliError ? e : new CliError(`test page not printed on ${c.name}: ${errText(e)}`, 1);
    });
  } finally {
    await p.close().catch(() => undefined);
  }
  out({ ok: true, id: c.id, printed: true, qr: `ADMIT-TEST-${c.id}` }, `Test page printed on ${c.name} (${describeDevice(c)}).`);
}

async function cmdPulse(o: Options, out: Output, id: string | undefined, msArg: string | undefined, ctx: OpenContext): Promise<void> {
  if (!id) throw new CliError('pulse needs a relay id', 2);
  const c = configuredDevice(o, id);
  if (c.kind !== 'relay') throw new CliError(`'${id}' is a ${c.kind}, not a relay`, 2);
  const { channel, pulseMs } = entryPulse(c);
  let ms = pulseMs;
  if (msArg !== undefined) {
    ms = Number(msArg);
    if (!Number.isInteger(ms) || ms < 50 || ms > 5000) throw new CliError('the pulse length must be a whole number of milliseconds from 50 to 5000', 2);
  }
  const timeout = o.timeoutMs ?? 10_000;
  const board = openDevice(c, ctx);
  board.on('status', () => undefined);
  try {
    if (!board.readInputs) await connected(board, () => null, timeout, c.name);
    let failure: unknown = null;
    try {
      await within(board.set(channel, true), timeout, c.name);
      await sleep(ms);
    } catch (e) {
      failure = e;
    }
    // Always end with "off": a failed "on" may still have reached the board.
    await within(board.set(channel, false), timeout, c.name).catch((e: unknown) => (failure ??= e));
    if (failure) throw failure instanceof CliError ? failure : new CliError(`pulse failed on ${c.name}: ${errText(failure)}`, 1);
  } finally {
    await board.close().catch(() => undefined);
  }
  out({ ok: true, id: c.id, channel, ms }, `Pulsed channel ${channel} of ${c.name} for ${ms} ms.`);
}

async function cmdReadId(o: Options, out: Output, id: string | undefined, ctx: OpenContext): Promise<void> {
  if (!id) throw new CliError('read-id needs an ID reader id', 2);
  const c = configuredDevice(o, id);
  if (c.kind !== 'id-reader') throw new CliError(`'${id}' is a ${c.kind}, not an ID reader`, 2);
  const timeout = o.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeout;
  const r = openDevice(c, ctx);
  if (!o.json) process.stderr.write(`Place the ${r.mode === 'push' ? 'passport' : 'ID card'} on ${c.name}…\n`);
  if (r.mode === 'push') {
    try {
      const doc = await within(
        new Promise<{ names: { surname: string; givenNames: string }; documentNumber: string | null; documentType: string; valid: boolean }>((resolve) =>
          r.on('document', (e) => resolve(e.document)),
        ),
        timeout,
        c.name,
      );
      const name = `${doc.names.surname}, ${doc.names.givenNames}`.replace(/^, |, $/g, '');
      const masked = doc.documentNumber ? maskIdNumber(doc.documentNumber) : null;
      out({ ok: true, id: c.id, name, documentType: doc.documentType, number: masked, valid: doc.valid }, `Name: ${name}\nDocument: ${doc.documentType} ${masked ?? '(no number)'}${doc.valid ? '' : ' (check digits or fields failed)'}`);
    } finally {
      await r.close().catch(() => undefined);
    }
    return;
  }
  const link = r;
  link.on('error', () => undefined);
  try {
    await connected(link, () => null, timeout, c.name);
    for (;;) {
      try {
        const card = await link.read();
        // Only what the installer needs to see it worked: never the full number, address or photo.
        out({ ok: true, id: c.id, name: card.name, number: maskIdNumber(card.idNumber) }, `Name: ${card.name}\nID number: ${maskIdNumber(card.idNumber)}`);
        return;
      } catch (e) {
        const code = e instanceof DriverError ? e.code : 'io';
        if (code === 'bad_id_number') throw new CliError(`the card's ID number fails its check digit: a misread or not a genuine card`, 1);
        if (Date.now() > deadline) throw new CliError(code === 'no_card' ? `no card on ${c.name} within ${timeout} ms` : `reading failed: ${code}`, 1);
        await sleep(300);
      }
    }
  } finally {
    await link.close().catch(() => undefined);
  }
}

function cmdAdd(o: Options, out: Output, json: string | undefined): void {
  if (!json) throw new CliError(`add needs a device configuration as JSON, e.g.\n  npm run devices -- add '{"id":"printer-1","name":"Receipt printer","kind":"printer","driver":"escpos","transport":{"type":"tcp","host":"192.168.1.50"}}'`, 2);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new CliError(`the configuration is not valid JSON: ${(e as Error).message}`, 2);
  }
  const parsed = parseDeviceConfig(raw);
  if (!parsed.ok) throw new CliError(`invalid device configuration:\n${parsed.issues.map((i) => `  - ${i}`).join('\n')}\nDrivers: ${DRIVER_NAMES.join(', ')}`, 2);
  const config = parsed.config;
  const replaced = withStore(o, true, (store) => {
    const list = rawList(store!);
    const at = list.findIndex((e) => (e as { id?: unknown })?.id === config.id);
    if (at >= 0 && !o.replace) throw new CliError(`a device '${config.id}' is already configured (remove it first, or add --replace)`, 1);
    if (at >= 0) list[at] = config;
    else list.push(config);
    store!.setMeta(DEVICES_META_KEY, JSON.stringify(list));
    return at >= 0;
  });
  out(
    { ok: true, [replaced ? 'replaced' : 'added']: config },
    `${replaced ? 'Replaced' : 'Added'} ${config.id}: ${config.kind} ${config.driver}, ${describeDevice(config)}. Restart Admit (or reload its devices) to use it.`,
  );
}

function cmdRemove(o: Options, out: Output, id: string | undefined): void {
  if (!id) throw new CliError('remove needs a device id', 2);
  withStore(o, false, (store) => {
    const list = store ? rawList(store) : [];
    const kept = list.filter((e) => (e as { id?: unknown })?.id !== id);
    if (kept.length === list.length) throw new CliError(`no device '${id}' in the configuration at ${dbFile(o)}`, 1);
    store!.setMeta(DEVICES_META_KEY, JSON.stringify(kept));
  });
  out({ ok: true, removed: id }, `Removed ${id}. Restart Admit (or reload its devices) to apply.`);
}

export async function main(argv: string[], ctx: OpenContext = openContext()): Promise<number> {
  let json = argv.includes('--json');
  const out: Output = (value, text) => console.log(json ? JSON.stringify(value, null, 2) : text);
  try {
    const { command, args, options, explicitDataDir } = parseOptions(argv);
    json = options.json;
    if (!command || command === 'help') {
      console.log(USAGE);
      return command ? 0 : 2;
    }
    if (!explicitDataDir) {
      // Only now: boot pulls in the whole core.
      const { defaultDataDir } = await import('../electron/core/boot');
      options.dataDir = join(defaultDataDir(), 'terminal');
    }
    const extra = (n: number) => {
      if (args.length > n) throw new CliError(`${command}: unexpected argument '${args[n]}'`, 2);
    };
    switch (command) {
      case 'list':
        extra(0);
        await cmdList(options, out);
        break;
      case 'probe':
        extra(1);
        await cmdProbe(options, out, args[0], ctx);
        break;
      case 'test-print':
        extra(1);
        await cmdTestPrint(options, out, args[0], ctx);
        break;
      case 'pulse':
        extra(2);
        await cmdPulse(options, out, args[0], args[1], ctx);
        break;
      case 'read-id':
        extra(1);
        await cmdReadId(options, out, args[0], ctx);
        break;
      case 'add':
        extra(1);
        cmdAdd(options, out, args[0]);
        break;
      case 'remove':
        extra(1);
        cmdRemove(options, out, args[0]);
        break;
      default:
        throw new CliError(`unknown command '${command}'`, 2);
    }
    return 0;
  } catch (e) {
    const code = e instanceof CliError ? e.exitCode : 1;
    const message = e instanceof CliError ? e.message : `unexpected failure: ${errText(e)}`;
    if (json) console.log(JSON.stringify({ ok: false, error: message }, null, 2));
    console.error(`devices: ${message}`);
    if (code === 2) console.error('Usage: npm run devices -- help');
    return code;
  }
}

const entry = process.argv[1] ?? '';
if (/devices\.ts$/.test(entry)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    () => process.exit(1),
  );
}
