// Owns decoding QR codes from rendered images in Node, for tests and the demo: zxing-wasm's reader
// with its .wasm read from the installed package. zxing-wasm would otherwise fetch the binary from a
// CDN on first use, which an offline kiosk (and CI) cannot do.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

let ready: Promise<unknown> | null = null;

function wasmPath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve('zxing-wasm/reader/zxing_reader.wasm');
}

function prepare(): Promise<unknown> {
  ready ??= (async () => {
    const bytes = await readFile(wasmPath());
    // Copy into a fresh ArrayBuffer: a pooled Buffer's backing store can be larger than the file.
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  })().catch((e: unknown) => {
    ready = null;
    throw e;
  });
  return ready;
}

/** Every valid QR code found in an encoded image (PNG/JPEG), as text, in reading order. */
export async function decodeQrFromPng(png: Uint8Array): Promise<string[]> {
  await prepare();
  const results = await readBarcodes(new Uint8Array(png), { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 16 });
  return results.filter((r) => r.isValid).map((r) => r.text);
}

/** Every valid barcode of the given formats (e.g. 'Code128') found in an encoded image, as text. */
export async function decodeBarcodesFromPng(png: Uint8Array, formats: NonNullable<Parameters<typeof readBarcodes>[1]>['formats']): Promise<string[]> {
  await prepare();
  const results = await readBarcodes(new Uint8Array(png), { formats, tryHarder: true, maxNumberOfSymbols: 16 });
  return results.filter((r) => r.isValid).map((r) => r.text);
}
