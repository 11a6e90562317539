// The phone-held-up test video the kiosk's camera test plays to Chromium: a Y4M file of the size and
// rate asked, every frame holding a QR code zxing-wasm reads back as the text given (a rotating code:
// each text in turn; none, a blank phone, which can be swapped in place for a code), and a file ffmpeg
// itself accepts as a 4:2:0 Y4M video.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeQrFromPng } from '../../drivers/simulators';
import { lumaToPng, qrVideo, readY4m, swapQrVideo, writeQrVideo } from '../helpers/qr-video';

const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;
/** As long as a signed ticket code ("S1" + 154 base32 characters). */
const SIGNED_LIKE = `S1${'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.repeat(5).slice(0, 154)}`;

describe('the QR test video', () => {
  const work = mkdtempSync(join(tmpdir(), 'admit-qr-video-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is a Y4M of the size and rate asked whose every frame reads back as the code', async () => {
    const video = readY4m(qrVideo(SIGNED_LIKE, { width: 640, height: 480, fps: 10, seconds: 2 }));
    expect([video.width, video.height, video.fps, video.frames.length]).toEqual([640, 480, 10, 20]);
    for (const i of [0, 5, 10, 19]) expect(await decodeQrFromPng(lumaToPng(video.frames[i]!, 640, 480))).toEqual([SIGNED_LIKE]);
    // The hand sways: the frames differ.
    expect(Buffer.compare(Buffer.from(video.frames[0]!), Buffer.from(video.frames[5]!))).not.toBe(0);
  });

  it('shows a rotating code in turn', async () => {
    const video = readY4m(qrVideo(['R1FIRSTCODE', 'R1SECONDCODE'], { seconds: 2 }));
    expect(await decodeQrFromPng(lumaToPng(video.frames[0]!, video.width, video.height))).toEqual(['R1FIRSTCODE']);
    expect(await decodeQrFromPng(lumaToPng(video.frames.at(-1)!, video.width, video.height))).toEqual(['R1SECONDCODE']);
  });

  it('reads back at a smaller share of the frame (farther from the camera)', async () => {
    const video = readY4m(qrVideo('HELLO-KIOSK', { width: 1280, height: 720, seconds: 0.2, phoneShare: 0.6 }));
    expect(await decodeQrFromPng(lumaToPng(video.frames[0]!, 1280, 720))).toEqual(['HELLO-KIOSK']);
  });

  it('shows a blank phone, swapped in place for one with a code (and a video of another size refused)', async () => {
    const file = writeQrVideo(join(work, 'swap.y4m'), null, { seconds: 1 });
    const blank = readY4m(readFileSync(file));
    expect(await decodeQrFromPng(lumaToPng(blank.frames[0]!, blank.width, blank.height))).toEqual([]);
    swapQrVideo(file, qrVideo('SWAPPED-IN', { seconds: 1 }));
    const swapped = readY4m(readFileSync(file));
    expect(swapped.frames.length).toBe(blank.frames.length);
    expect(await decodeQrFromPng(lumaToPng(swapped.frames[0]!, swapped.width, swapped.height))).toEqual(['SWAPPED-IN']);
    expect(() => swapQrVideo(file, qrVideo(null, { seconds: 2 }))).toThrow(/in place/);
  });

  it.skipIf(!hasFfmpeg)('is a video ffmpeg decodes, frame by frame, to the same code', async () => {
    const file = writeQrVideo(join(work, 'phone.y4m'), SIGNED_LIKE, { seconds: 1 });
    const png = join(work, 'frame.png');
    const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', file, '-frames:v', '1', png]);
    expect(r.status, String(r.stderr)).toBe(0);
    const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height,pix_fmt,nb_read_frames', '-count_frames', '-of', 'json', file]);
    const stream = (JSON.parse(String(probe.stdout)) as { streams: Record<string, unknown>[] }).streams[0];
    expect(stream).toMatchObject({ width: 640, height: 480, nb_read_frames: '10' });
    expect(String(stream!['pix_fmt'])).toMatch(/^yuvj?420p$/);
    expect(await decodeQrFromPng(readFileSync(png))).toEqual([SIGNED_LIKE]);
  });
});
