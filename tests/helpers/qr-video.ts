// Owns the test videos of a phone held up to a kiosk's camera: a Y4M file (planar I420, what Chromium's
// --use-file-for-fake-video-capture plays in a loop) of a phone — a dark body, a bright screen with a
// white margin and a QR code of a given text on it — against a dim room, moving a little from frame to
// frame as a hand does. Several texts make a rotating code: each shows for its share of the frames; none,
// a phone with a blank screen. A video Chromium is playing can be swapped for another of the same size
// in place (Chromium reads the file frame by frame, looping at its end). Also reads such a file back (its
// frames' luma) for checks.
import { closeSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

export type QrVideoOptions = {
  width?: number;
  height?: number;
  fps?: number;
  /** Length of the video (Chromium loops it). */
  seconds?: number;
  /** The phone's height as a share of the frame's (arm's length: most of it; farther: less). */
  phoneShare?: number;
  /** How far the hand sways, in pixels either way. */
  sway?: number;
  errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
};

export type Y4mVideo = { width: number; height: number; fps: number; frames: Uint8Array[] };

const HEADER = (w: number, h: number, fps: number) => `YUV4MPEG2 W${w} H${h} F${fps}:1 Ip A1:1 C420jpeg\n`;

/** Luma levels of the scene (full range, as C420jpeg says). */
const ROOM_TOP = 120;
const ROOM_BOTTOM = 70;
const BODY = 28;
const SCREEN = 238;
const INK = 22;

/** The Y4M bytes of a phone showing a QR code of `texts` (one, or several in turn; none: a blank screen). */
export function qrVideo(texts: string | string[] | null, options: QrVideoOptions = {}): Buffer {
  const { width = 640, height = 480, fps = 10, seconds = 3, phoneShare = 0.9, sway = 3, errorCorrectionLevel = 'M' } = options;
  if (width % 2 || height % 2) throw new Error('the frame size must be even');
  const list = texts === null ? [] : Array.isArray(texts) ? texts : [texts];
  const matrices = list.map((t) => QRCode.create(t, { errorCorrectionLevel }).modules);
  const frameCount = Math.max(list.length, Math.round(fps * seconds));

  // The phone: portrait, 1:1.8, centred; its screen inset by a bezel; the code across the screen's
  // width less a white margin, drawn in whole pixels per module so every module is sharp.
  const phoneH = Math.round(height * phoneShare);
  const phoneW = Math.min(Math.round(phoneH / 1.8), width - 2 * (sway + 2));
  const bezel = Math.max(4, Math.round(phoneW * 0.05));
  const screenW = phoneW - 2 * bezel;
  const screenH = phoneH - 2 * bezel;

  const ySize = width * height;
  const cSize = (width / 2) * (height / 2);
  const header = Buffer.from(HEADER(width, height, fps), 'latin1');
  const frameHeader = Buffer.from('FRAME\n', 'latin1');
  const out = Buffer.alloc(header.length + frameCount * (frameHeader.length + ySize + 2 * cSize));
  header.copy(out, 0);
  let at = header.length;

  // The room: a soft vertical gradient, slightly warm.
  const room = new Uint8Array(ySize);
  for (let y = 0; y < height; y++) room.fill(Math.round(ROOM_TOP + ((ROOM_BOTTOM - ROOM_TOP) * y) / (height - 1)), y * width, (y + 1) * width);

  for (let f = 0; f < frameCount; f++) {
    const modules = matrices[Math.min(list.length - 1, Math.floor((f * list.length) / frameCount))] ?? null;
    const size = modules?.size ?? 0;
    const margin = 2; // modules of white around the code, on top of the screen's own edge
    const px = Math.max(1, Math.floor((screenW * 0.92) / (size + 2 * margin)));
    const codeW = px * size;

    const dx = Math.round(sway * Math.sin((2 * Math.PI * f) / frameCount));
    const dy = Math.round(sway * Math.cos((2 * Math.PI * f) / frameCount));
    const phoneX = Math.round((width - phoneW) / 2) + dx;
    const phoneY = Math.round((height - phoneH) / 2) + dy;
    const screenX = phoneX + bezel;
    const screenY = phoneY + bezel;
    const codeX = screenX + Math.round((screenW - codeW) / 2);
    const codeY = screenY + Math.round((screenH - codeW) / 2);

    const luma = Uint8Array.from(room);
    const corner = Math.round(bezel * 1.5);
    for (let y = Math.max(0, phoneY); y < Math.min(height, phoneY + phoneH); y++) {
      for (let x = Math.max(0, phoneX); x < Math.min(width, phoneX + phoneW); x++) {
        // Rounded corners: outside a corner's quarter circle the room shows.
        const cx = x < phoneX + corner ? phoneX + corner - x : x >= phoneX + phoneW - corner ? x - (phoneX + phoneW - corner - 1) : 0;
        const cy = y < phoneY + corner ? phoneY + corner - y : y >= phoneY + phoneH - corner ? y - (phoneY + phoneH - corner - 1) : 0;
        if (cx * cx + cy * cy > corner * corner) continue;
        let v = BODY;
        if (x >= screenX && x < screenX + screenW && y >= screenY && y < screenY + screenH) {
          v = SCREEN;
          const mx = Math.floor((x - codeX) / px);
          const my = Math.floor((y - codeY) / px);
          if (x >= codeX && y >= codeY && mx < size && my < size && modules?.get(my, mx)) v = INK;
        }
        luma[y * width + x] = v;
      }
    }

    frameHeader.copy(out, at);
    at += frameHeader.length;
    out.set(luma, at);
    at += ySize;
    out.fill(126, at, at + cSize); // U: a touch warm
    at += cSize;
    out.fill(131, at, at + cSize); // V
    at += cSize;
  }
  return out;
}

/** Writes the video to `path` and returns the path (for --use-file-for-fake-video-capture). */
export function writeQrVideo(path: string, texts: string | string[] | null, options: QrVideoOptions = {}): string {
  writeFileSync(path, qrVideo(texts, options));
  return path;
}

/** Replaces the video at `path` by `bytes` of the same length, in place: a reader that holds the file open
 *  (Chromium's fake camera) goes on reading whole frames, of the new video from its next frame on. */
export function swapQrVideo(path: string, bytes: Buffer): void {
  const size = statSync(path).size;
  if (size !== bytes.length) throw new Error(`a video of ${bytes.length} bytes cannot replace one of ${size} in place`);
  const fd = openSync(path, 'r+');
  try {
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at, at);
  } finally {
    closeSync(fd);
  }
}

/** A Y4M file's size, rate and each frame's luma plane (4:2:0 only). */
export function readY4m(bytes: Uint8Array): Y4mVideo {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = buf.indexOf(0x0a);
  const header = buf.subarray(0, end).toString('latin1').split(' ');
  if (header[0] !== 'YUV4MPEG2') throw new Error('not a Y4M file');
  const tag = (c: string) => header.find((t) => t.startsWith(c))?.slice(1);
  const width = Number(tag('W'));
  const height = Number(tag('H'));
  const [num, den] = (tag('F') ?? '25:1').split(':').map(Number);
  const colour = tag('C') ?? '420jpeg';
  if (!colour.startsWith('420')) throw new Error(`unsupported colour space C${colour}`);
  const ySize = width * height;
  const frameBytes = ySize + 2 * (width / 2) * (height / 2);
  const frames: Uint8Array[] = [];
  let at = end + 1;
  while (at < buf.length) {
    const nl = buf.indexOf(0x0a, at);
    if (nl < 0 || !buf.subarray(at, nl).toString('latin1').startsWith('FRAME')) throw new Error(`no FRAME at byte ${at}`);
    at = nl + 1;
    if (at + frameBytes > buf.length) throw new Error('a frame is cut short');
    frames.push(buf.subarray(at, at + ySize));
    at += frameBytes;
  }
  return { width, height, fps: num! / (den || 1), frames };
}

/** One frame's luma as a grey PNG (to decode with zxing-wasm, or to look at). */
export function lumaToPng(luma: Uint8Array, width: number, height: number): Buffer {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  png.data = Buffer.from(luma);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}
