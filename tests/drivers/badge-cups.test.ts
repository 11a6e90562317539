// The OS print queue path for badges: a real CUPS scheduler started in a temp dir (own cupsd.conf,
// spool, logs, socket; a file:/ queue made with lpadmin), `lp -d <queue> -o media=CR80` spawned with
// an argument list, the printed file's QR decoded. Skipped, saying why, where CUPS is not installed.
// The Windows spooler path cannot run here: only its command line is checked.
import { readFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CR80_GENERIC, defaultBadgeTemplate, renderBadge } from '../../drivers/badges/badge';
import { cupsUnavailable, startCupsSandbox, type CupsSandbox } from '../../drivers/badges/cups-sandbox';
import { createOsQueueBadgePrinter, lpArgs, parseLpstat, submitToCups, windowsPrintCommand } from '../../drivers/badges/os-queue';
import { decodeQrFromPng } from '../../drivers/testing/qr-decode';
import { artifactsDir, sleep } from './helpers';

async function waitForFile(path: string, done: (b: Buffer) => boolean, timeoutMs: number): Promise<Buffer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const b = await readFile(path).catch(() => null);
    if (b && done(b)) return b;
    if (Date.now() > deadline) throw new Error(`${path} was not complete within ${timeoutMs} ms`);
    await sleep(50);
  }
}

const unavailable = cupsUnavailable();
if (unavailable) console.warn(`[badge-cups] skipping the CUPS tests: ${unavailable}`);

describe('badge OS queue: command lines', () => {
  it('builds lp arguments as a list, and refuses a queue name that is not one', () => {
    expect(lpArgs('badge-desk', { copies: 2 })).toEqual(['-d', 'badge-desk', '-o', 'media=CR80', '-n', '2', '-t', 'Admit badge']);
    expect(() => lpArgs('evil; rm -rf /')).toThrowError(expect.objectContaining({ code: 'bad_document' }));
  });

  it('reads lpstat -p', () => {
    expect(parseLpstat('printer badge is idle.  enabled since Sun Nov 22 10:49:01 2026\n', 'badge')).toEqual({ online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false });
    expect(parseLpstat('printer badge disabled since Sun Nov 22 10:49:01 2026 -\n\tPaused\n', 'badge')).toMatchObject({ online: false, error: true });
    expect(() => parseLpstat('printer other is idle.\n', 'badge')).toThrowError(expect.objectContaining({ code: 'bad_reply' }));
  });

  it('builds the (untested here) Windows PrintTo command with quoting', () => {
    const c = windowsPrintCommand("C:\\Temp\\it's.png", 'Evolis Primacy');
    expect(c.command).toBe('powershell.exe');
    expect(c.args.at(-1)).toBe(`Start-Process -FilePath 'C:\\Temp\\it''s.png' -Verb PrintTo -ArgumentList '"Evolis Primacy"' -Wait -WindowStyle Hidden`);
  });
});

describe.skipIf(unavailable !== null)('badge OS queue through a sandboxed CUPS', () => {
  let cups: CupsSandbox;
  let out: string;

  beforeAll(async () => {
    cups = await startCupsSandbox();
    out = await cups.addFileQueue('admit-badge');
  });
  afterAll(async () => {
    await cups?.close();
  });

  it('submits the badge PNG with lp -o media=CR80; the queue output decodes to the ticket code', async () => {
    const printer = createOsQueueBadgePrinter({ queue: 'admit-badge', env: cups.env });
    expect(await printer.status()).toMatchObject({ online: true, error: false });
    await printer.printBadge({ attendeeName: 'Katherine Johnson', company: 'NASA Langley', ticketType: 'VIP', ticketCode: 'CUPS-BADGE-0001' });
    expect(printer.jobs[0]).toMatch(/^admit-badge-\d+$/);
    // The file device may still be writing: wait for a complete PNG, i.e. one that ends with the whole
    // IEND chunk (length, type and CRC), not merely contains its name.
    const iend = Buffer.from('0000000049454e44ae426082', 'hex');
    const bytes = await waitForFile(out, (b) => b.length > iend.length && b.subarray(-iend.length).equals(iend), 60_000);
    writeFileSync(join(artifactsDir('badge-cups'), 'badge-cups-output.png'), bytes);
    expect(await decodeQrFromPng(bytes)).toEqual(['CUPS-BADGE-0001']);
    const expected = renderBadge({ attendeeName: 'Katherine Johnson', company: 'NASA Langley', ticketType: 'VIP', ticketCode: 'CUPS-BADGE-0001' }, defaultBadgeTemplate(), CR80_GENERIC);
    expect(bytes.equals(expected.greyPng())).toBe(true);
  }, 300_000);

  it('reports an unknown queue and a disabled queue as coded errors / status', async () => {
    await expect(submitToCups(Buffer.from('x'), { queue: 'no-such-queue', env: cups.env })).rejects.toMatchObject({ code: 'unreachable' });
    const missing = createOsQueueBadgePrinter({ queue: 'no-such-queue', env: cups.env });
    await expect(missing.status()).rejects.toMatchObject({ code: 'unreachable' });
    await cups.addFileQueue('paused-badge');
    await cups.disable('paused-badge');
    expect(await createOsQueueBadgePrinter({ queue: 'paused-badge', env: cups.env }).status()).toMatchObject({ online: false, error: true });
  });

  it('refuses a badge it cannot render before calling lp', async () => {
    const printer = createOsQueueBadgePrinter({ queue: 'admit-badge', env: cups.env });
    await expect(printer.printBadge({ attendeeName: '', ticketCode: 'X' })).rejects.toMatchObject({ code: 'bad_document' });
  });
});
