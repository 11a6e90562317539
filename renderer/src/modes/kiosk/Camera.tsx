// Owns the kiosk's camera panel: the live picture behind a frame guide, QR codes read from it with
// zxing-wasm (its .wasm file served by this renderer, never fetched from elsewhere), a few frames a
// second and one at a time, and what the attendee is told ("Hold your code inside the frame", "Reading…",
// "Code read"). Only the kiosk mounts it; a camera that cannot be opened is said once, with its cause.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type * as ZXingReader from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

export type CameraProblem = 'camera_denied' | 'camera_failed' | 'no_camera';
type CameraState = 'starting' | 'live' | 'reading' | 'read' | 'failed';

/** Between two decode attempts (the decode itself runs one at a time). */
const FRAME_GAP_MS = 120;
/** The same code again within this time is the same presentation (a phone held still, or still in view
 *  after the screen came back to the camera): it is not sent again, so it cannot end a newer visit. */
const SAME_CODE_MS = 10_000;
/** The last code read, kept across the panel's mounts (the panel is remounted on every welcome screen). */
let lastRead: { text: string; at: number } | null = null;
/** Frames wider than this are scaled down before decoding. */
const MAX_DECODE_WIDTH = 1280;

type Reader = typeof ZXingReader;
let readerPromise: Promise<Reader> | null = null;

/** zxing-wasm's reader, its .wasm located at this renderer's own copy (bundled by Vite). */
function loadReader(): Promise<Reader> {
  readerPromise ??= import('zxing-wasm/reader').then((reader) => {
    reader.prepareZXingModule({
      overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
      fireImmediately: false,
    });
    return reader;
  });
  return readerPromise;
}

export function cameraProblem(err: unknown): CameraProblem {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'camera_denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'no_camera';
  return 'camera_failed';
}

export function CameraPanel(props: {
  /** A code was read: resolves when the core has answered (the panel says "Reading…" meanwhile). */
  onCode: (text: string) => Promise<void>;
  onProblem: (problem: CameraProblem) => void;
}) {
  const { t } = useTranslation();
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const [state, setState] = useState<CameraState>('starting');
  const [frames, setFrames] = useState(0);
  const [decodeMs, setDecodeMs] = useState<number | null>(null);
  const onCode = useRef(props.onCode);
  const onProblem = useRef(props.onProblem);
  useEffect(() => {
    onCode.current = props.onCode;
    onProblem.current = props.onProblem;
  });

  useEffect(() => {
    let live = true;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });

    const fail = (err: unknown) => {
      if (!live) return;
      setState('failed');
      onProblem.current(cameraProblem(err));
    };

    const tick = async (reader: Reader) => {
      timer = null;
      const video = videoRef.current;
      if (!live || !video || !context) return;
      if (video.readyState >= 2 && video.videoWidth > 0) {
        const scale = Math.min(1, MAX_DECODE_WIDTH / video.videoWidth);
        const w = Math.round(video.videoWidth * scale);
        const h = Math.round(video.videoHeight * scale);
        if (canvas.width !== w) canvas.width = w;
        if (canvas.height !== h) canvas.height = h;
        context.drawImage(video, 0, 0, w, h);
        const started = performance.now();
        let text: string | null = null;
        try {
          const results = await reader.readBarcodes(context.getImageData(0, 0, w, h), {
            formats: ['QRCode'],
            tryHarder: true,
            maxNumberOfSymbols: 1,
          });
          text = results.find((r) => r.isValid && r.text !== '')?.text ?? null;
        } catch (err) {
          console.warn('[kiosk] camera decode failed', err instanceof Error ? err.name : 'error');
        }
        if (!live) return;
        setDecodeMs(Math.round(performance.now() - started));
        setFrames((n) => n + 1);
        const now = Date.now();
        if (text !== null && !(lastRead && lastRead.text === text && now - lastRead.at < SAME_CODE_MS)) {
          lastRead = { text, at: now };
          setState('reading');
          await onCode.current(text);
          if (!live) return;
          setState('read');
        } else if (text !== null) {
          lastRead = { text, at: now };
        }
      }
      if (live) timer = setTimeout(() => void tick(reader), FRAME_GAP_MS);
    };

    void (async () => {
      if (!navigator.mediaDevices?.getUserMedia) return fail(new DOMException('no media devices', 'NotFoundError'));
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          audio: false,
          video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' },
        });
      } catch (err) {
        return fail(err);
      }
      if (!live) return stream.getTracks().forEach((track) => track.stop());
      const video = videoRef.current;
      if (!video) return;
      video.srcObject = stream;
      try {
        await video.play();
      } catch (err) {
        if (live) fail(err);
        return;
      }
      stream.getVideoTracks()[0]?.addEventListener('ended', () => fail(new DOMException('ended', 'AbortError')));
      let reader: Reader;
      try {
        reader = await loadReader();
      } catch (err) {
        return fail(err);
      }
      if (!live) return;
      setState('live');
      timer = setTimeout(() => void tick(reader), 0);
    })();

    return () => {
      live = false;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);

  const status =
    state === 'starting'
      ? t('kiosk.camera.starting')
      : state === 'reading'
        ? t('kiosk.camera.reading')
        : state === 'read'
          ? t('kiosk.camera.read')
          : state === 'failed'
            ? t('kiosk.camera.unavailable')
            : t('kiosk.camera.hold');

  return (
    <div
      className={`kiosk-camera kiosk-camera--${state}`}
      data-testid="kiosk-camera"
      data-state={state}
      data-frames={frames}
      data-decode-ms={decodeMs ?? ''}
    >
      <div className="kiosk-camera__view">
        <video
          ref={videoRef}
          className="kiosk-camera__video"
          data-testid="kiosk-camera-video"
          muted
          playsInline
          aria-label={t('kiosk.camera.label')}
        />
        <div className="kiosk-camera__guide" aria-hidden="true" />
      </div>
      <p className="kiosk-camera__status" role="status" aria-live="polite" data-testid="kiosk-camera-status">
        {status}
      </p>
    </div>
  );
}
