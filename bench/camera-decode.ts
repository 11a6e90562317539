// Camera decode time per frame, p50/p95: zxing-wasm's reader (`readBarcodes`, the decoder the kiosk's
// camera uses, with the options it scans with) on RGBA camera frames of 1280×720 and 640×480 showing a
// phone screen held at arm's length: a signed ticket code (156 characters) upright, the same turned and
// smaller (held further away), a rotating code turned the other way, and a frame with no code (what
// most frames at a kiosk are). Frames are drawn beforehand: a noisy, unevenly lit background, the
// phone's bezel and its screen with the QR code, sampled through the rotation and scale. Every decode
// must read the right text. Baseline in the same run: one bare pass over the same frame's bytes (its
// luminance sum), the least any decoder must do with a frame.
// Run: npx tsx bench/camera-decode.ts [samples]
import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import { rotatingCode, signCode } from '../domain/codes';
import { fmt, percentile } from './lib';

const SAMPLES = Number(process.argv[2] ?? 60);
const WARMUP = 5;

/** What the kiosk's camera scanner asks of the reader: QR codes only, one per frame, turned ones too. */
const OPTIONS: ReaderOptions = { formats: ['QRCode'], tryHarder: true, tryRotate: true, maxNumberOfSymbols: 1 };

// The reader's .wasm from the installed package (zxing-wasm would fetch it from a CDN otherwise).
const wasm = await readFile(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true });

const { privateKey } = generateKeyPairSync('ed25519');
const signed = signCode(
  { keyId: 1, eventNo: 42, typeNo: 3, ticketId: '0190a000-0000-7000-8000-000000000042', validFrom: 1_790_000_000, validTo: 1_790_086_400 },
  privateKey,
);
const rotating = rotatingCode(Buffer.alloc(32, 7), '0190a000-0000-7000-8000-000000000042', Date.UTC(2026, 11, 3, 9), 30);

type Frame = { data: Uint8ClampedArray; width: number; height: number };
type View = { text: string | null; angleDeg: number; qrPx: number; cx: number; cy: number };

/** A deterministic pseudo-random source, so every run draws the same frames. */
function noise(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A camera frame of a phone screen showing `view.text` as a QR code (`qrPx` wide, quiet zone apart),
 *  turned by `angleDeg` around (cx, cy) in fractions of the frame; the phone's bezel around the screen. */
function drawFrame(width: number, height: number, view: View, seed: number): Frame {
  const data = new Uint8ClampedArray(width * height * 4);
  const rand = noise(seed);
  const qr = view.text === null ? null : QRCode.create(view.text, { errorCorrectionLevel: 'M' }).modules;
  const modules = qr?.size ?? 33;
  const quiet = 3;
  const modulePx = view.qrPx / modules;
  const screenHalf = ((modules + 2 * quiet) * modulePx) / 2;
  const bezel = screenHalf * 0.18;
  const cx = view.cx * width;
  const cy = view.cy * height;
  const a = (view.angleDeg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Into the phone's own coordinates: turned back, centred on the screen.
      const dx = x - cx;
      const dy = y - cy;
      const u = dx * cos + dy * sin;
      const v = -dx * sin + dy * cos;
      // A room lit from the left, with sensor noise.
      let lum = 70 + (60 * x) / width + (rand() - 0.5) * 24;
      if (Math.abs(u) < screenHalf + bezel && Math.abs(v) < screenHalf * 1.9 + bezel) lum = 25 + rand() * 10; // bezel and the screen's dark part
      if (Math.abs(u) < screenHalf && Math.abs(v) < screenHalf) {
        lum = 225 + (rand() - 0.5) * 20; // the lit screen
        if (qr) {
          const col = Math.floor((u + screenHalf) / modulePx) - quiet;
          const row = Math.floor((v + screenHalf) / modulePx) - quiet;
          if (row >= 0 && col >= 0 && row < modules && col < modules && qr.get(row, col)) lum = 35 + (rand() - 0.5) * 20;
        }
      }
      const i = (y * width + x) * 4;
      data[i] = lum * 0.96;
      data[i + 1] = lum;
      data[i + 2] = lum * 1.05;
      data[i + 3] = 255;
    }
  }
  return { data, width, height };
}

const views: { name: string; view: View }[] = [
  { name: 'signed code (156 ch), upright', view: { text: signed, angleDeg: 0, qrPx: 0.36, cx: 0.5, cy: 0.5 } },
  { name: 'signed code, turned 30°, further away', view: { text: signed, angleDeg: 30, qrPx: 0.27, cx: 0.42, cy: 0.55 } },
  { name: `rotating code (${rotating.length} ch), turned -15°`, view: { text: rotating, angleDeg: -15, qrPx: 0.3, cx: 0.6, cy: 0.45 } },
  { name: 'no code in view', view: { text: null, angleDeg: 10, qrPx: 0.3, cx: 0.5, cy: 0.5 } },
];
const sizes = [
  { width: 1280, height: 720 },
  { width: 640, height: 480 },
];

/** The QR code's size is a fraction of the frame's height (a phone at arm's length fills about a third). */
const cases = sizes.flatMap(({ width, height }, s) =>
  views.map(({ name, view }, v) => ({
    size: `${width}×${height}`,
    name,
    expect: view.text,
    frame: drawFrame(width, height, { ...view, qrPx: Math.round(view.qrPx * height) }, 1 + s * 10 + v),
  })),
);

const now = () => performance.now();
let sink = 0;
/** The baseline: one pass over the frame's bytes, summing its luminance as a decoder's first step would. */
function bare(frame: Frame): number {
  const t0 = now();
  const d = frame.data;
  let sum = 0;
  for (let i = 0; i < d.length; i += 4) sum += (306 * d[i]! + 601 * d[i + 1]! + 117 * d[i + 2]! + 512) >> 10;
  sink += sum;
  return now() - t0;
}
async function decode(frame: Frame, expect: string | null): Promise<number> {
  const t0 = now();
  // The reader takes any { data, width, height } as ImageData (Node has no ImageData of its own).
  const results = await readBarcodes(frame as unknown as ImageData, OPTIONS);
  const t = now() - t0;
  const read = results.filter((r) => r.isValid).map((r) => r.text);
  if (expect === null ? read.length > 0 : read[0] !== expect) throw new Error(`decoded ${JSON.stringify(read)}, expected ${expect ?? 'nothing'}`);
  return t;
}

const summary = (times: number[]) => {
  const sorted = [...times].sort((x, y) => x - y);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
};

// The bare pass warms up too (it is plain JavaScript: compiled once it is hot).
for (let i = 0; i < 20; i++) for (const c of cases) bare(c.frame);
// Interleaved: every round decodes every frame once and takes each frame's bare pass beside it, so the
// shared machine's load swings fall on all alike.
const decodeTimes: number[][] = cases.map(() => []);
const bareTimes: number[][] = sizes.map(() => []);
for (let i = 0; i < WARMUP + SAMPLES; i++) {
  for (let k = 0; k < cases.length; k++) {
    const j = (i + k) % cases.length;
    const c = cases[j]!;
    const t = await decode(c.frame, c.expect);
    const b = bare(c.frame);
    if (i >= WARMUP) {
      decodeTimes[j]!.push(t);
      if (c.name === views[0]!.name) bareTimes[sizes.findIndex((s) => `${s.width}×${s.height}` === c.size)]!.push(b);
    }
  }
}

console.log(`camera decode per frame, zxing-wasm readBarcodes (QR, tryHarder, tryRotate) on RGBA frames in Node, ${SAMPLES} samples each`);
const row = (what: string, r: { p50: number; p95: number }, base: { p50: number; p95: number } | null) =>
  console.log(
    `  ${what.padEnd(58)} p50 ${fmt(r.p50).padStart(9)}  p95 ${fmt(r.p95).padStart(9)}${base ? `  (${(r.p50 / base.p50).toFixed(1)}x / ${(r.p95 / base.p95).toFixed(1)}x bare)` : ''}`,
  );
sizes.forEach(({ width, height }, s) => {
  const size = `${width}×${height}`;
  const base = summary(bareTimes[s]!);
  console.log(`${size} (${((width * height * 4) / 1e6).toFixed(1)} MB a frame)`);
  row('bare pass over the frame (luminance sum)', base, null);
  cases.forEach((c, j) => {
    if (c.size === size) row(c.name, summary(decodeTimes[j]!), base);
  });
});
if (Number.isNaN(sink)) console.log(sink);
