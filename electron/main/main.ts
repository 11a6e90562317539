// Owns the Electron shell and nothing else: one window per mode, window hardening and the kiosk's
// lockdown, the app:// protocol serving the built renderer, and the core hosted in a utilityProcess.
// Each contract call arrives on its own IPC channel, is stamped with the calling window's session and
// forwarded to the core, which checks it.
import { app, BrowserWindow, ipcMain, Menu, net, protocol, safeStorage, session, utilityProcess, type UtilityProcess } from 'electron';
import { join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { callNames, Mode } from '../contract';
import { isSecretRequest, type SecretReply, type SecretRequest } from '../contract/secret-channel';
import {
  APP_ORIGIN,
  APP_SCHEME,
  CSP,
  isAppUrl,
  isBlockedKioskShortcut,
  isBlockedShortcut,
  KIOSK_ON_TOP_LEVEL,
  kioskExitGranted,
  mayCloseWindow,
  mayKeepWindow,
  mayUsePermission,
  resolveAppPath,
  singleInstanceAction,
  windowOptionsFor,
  windowsToOpen,
} from './security';

// One Admit per user data directory: a second launch brings the first one's window forward instead of
// starting a second core (and demo world) on the same data.
const firstInstance = singleInstanceAction(app.requestSingleInstanceLock()) === 'run';
if (!firstInstance) app.quit();
app.on('second-instance', () => {
  const win = BrowserWindow.getAllWindows()[0];
  if (win?.isMinimized()) win.restore();
  win?.focus();
});

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

const rendererDir = join(__dirname, '..', 'renderer');
const pending = new Map<number, (result: unknown) => void>();
let nextId = 1;
let core: UtilityProcess | null = null;

function startCore(): UtilityProcess {
  const child = utilityProcess.fork(join(__dirname, 'core-host.cjs'), process.argv.filter((a) => a.startsWith('--data-dir=') || a.startsWith('--idle-sign-out-min=') || a === '--no-demo'), {
    serviceName: 'Admit core',
    env: { ...process.env, ADMIT_DATA_DIR: process.env['ADMIT_DATA_DIR'] ?? join(app.getPath('userData')) },
  });
  child.on('message', (msg: { t: string; id?: number; result?: unknown; name?: string; payload?: unknown; sessions?: string[]; message?: string }) => {
    if (isSecretRequest(msg)) child.postMessage(answerSecret(msg));
    else if (msg.t === 'result' && msg.id !== undefined) {
      pending.get(msg.id)?.(msg.result);
      pending.delete(msg.id);
    } else if (msg.t === 'event') {
      // Only windows an operator is signed in on receive events.
      const signedIn = new Set(msg.sessions ?? []);
      for (const w of BrowserWindow.getAllWindows()) {
        if (signedIn.has(`window-${w.webContents.id}`)) w.webContents.send('admit:event', msg.name, msg.payload);
      }
    } else if (msg.t === 'fatal') {
      console.error('Admit core failed:', msg.message);
    }
  });
  child.on('exit', () => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'internal', detail: 'core exited' } });
    pending.clear();
    if (!quitting) core = startCore();
  });
  return child;
}

/** The core's secrets file, sealed and opened with the OS key store; only the core's own utility process
 *  can ask, and only these two verbs. Linux without a keyring would "encrypt" with a fixed password:
 *  that is reported unavailable, and the core keeps an owner-only file instead. */
function answerSecret(req: SecretRequest): SecretReply {
  const usable = safeStorage.isEncryptionAvailable() && (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');
  if (!usable) return { t: 'secret', id: req.id, ok: false, error: 'unavailable' };
  try {
    const data = Buffer.from(req.data, 'base64');
    const out = req.op === 'seal' ? safeStorage.encryptString(data.toString('base64')) : Buffer.from(safeStorage.decryptString(data), 'base64');
    return { t: 'secret', id: req.id, ok: true, data: out.toString('base64') };
  } catch {
    return { t: 'secret', id: req.id, ok: false, error: 'failed' };
  }
}

function callCore(sessionId: string, name: string, input: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    if (!core) return resolve({ ok: false, error: { code: 'internal', detail: 'core not running' } });
    const id = nextId++;
    pending.set(id, resolve);
    core.postMessage({ t: 'call', id, sessionId, name, input });
  });
}

/** The mode of every window the shell opened, by its webContents id: permissions and the kiosk's guards
 *  ask it. A window missing here was not opened by the shell. */
const windowModes = new Map<number, Mode>();
/** Kiosk windows whose exit a manager's PIN granted. */
const exitGranted = new Set<number>();

function openWindow(mode: Mode) {
  const win = new BrowserWindow(windowOptionsFor(mode, app.isPackaged, join(__dirname, 'preload.cjs')));
  const id = win.webContents.id;
  windowModes.set(id, mode);
  const sessionId = `window-${id}`;
  win.on('closed', () => {
    windowModes.delete(id);
    exitGranted.delete(id);
    core?.postMessage({ t: 'closeSession', sessionId });
  });
  if (mode === 'kiosk') lockDownKiosk(win);
  void win.loadURL(`${APP_ORIGIN}/index.html?mode=${mode}`);
}

/** The kiosk window's guards beyond its options: the attendee's keys, closing, leaving full screen,
 *  zooming and the history keys of a mouse are refused until a manager's PIN grants the exit. */
function lockDownKiosk(win: BrowserWindow) {
  const id = win.webContents.id;
  const locked = () => !exitGranted.has(id) && !quitting;
  win.setAlwaysOnTop(true, KIOSK_ON_TOP_LEVEL);
  win.removeMenu();
  win.once('ready-to-show', () => {
    win.show();
    win.focus();
  });
  win.webContents.on('before-input-event', (event, input) => {
    if (isBlockedKioskShortcut(input)) event.preventDefault();
  });
  win.on('close', (event) => {
    if (!mayCloseWindow('kiosk', { exitGranted: exitGranted.has(id), quitting })) event.preventDefault();
  });
  const refullscreen = () => {
    if (locked() && !win.isDestroyed()) win.setFullScreen(true);
  };
  win.on('leave-full-screen', refullscreen);
  win.webContents.on('leave-html-full-screen', refullscreen);
  win.on('minimize', () => {
    if (locked()) win.restore();
  });
  win.on('app-command', (event) => event.preventDefault()); // browser-back/forward of a mouse or keyboard
  win.webContents.on('zoom-changed', () => win.webContents.setZoomFactor(1));
  void win.webContents.setVisualZoomLevelLimits(1, 1); // no pinch zoom
}

/** A granted `kiosk.exit` from a kiosk window: it leaves full screen and the OS kiosk mode and closes;
 *  with it the app ends (a kiosk is the only window). */
function leaveKiosk(win: BrowserWindow) {
  exitGranted.add(win.webContents.id);
  win.setAlwaysOnTop(false);
  win.setKiosk(false);
  win.setFullScreen(false);
  win.setClosable(true);
  win.close();
}

let quitting = false;
app.on('before-quit', () => {
  quitting = true;
  core?.postMessage({ t: 'shutdown' });
});

// Only windows the shell opened may exist beside a kiosk (and in a packaged build): anything else is
// destroyed as soon as it appears. Checked once openWindow has recorded its own window.
app.on('browser-window-created', (_e, win) => {
  setImmediate(() => {
    if (win.isDestroyed()) return;
    const kioskOpen = [...windowModes.values()].includes('kiosk');
    if (!mayKeepWindow(windowModes.has(win.webContents.id), kioskOpen, app.isPackaged)) win.destroy();
  });
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  if (app.isPackaged) {
    // No console in a packaged build: the dev-tools keys are swallowed, and dev tools opened any other
    // way are closed at once.
    contents.on('before-input-event', (event, input) => {
      if (isBlockedShortcut(input, true)) event.preventDefault();
    });
  }
  // Nor in a kiosk, in any run (its mode is known once its window is recorded, after this event).
  contents.on('devtools-opened', () => {
    if (app.isPackaged || windowModes.get(contents.id) === 'kiosk') contents.closeDevTools();
  });
});

void app.whenReady().then(() => {
  if (!firstInstance) return;
  // No default application menu: it carries Reload and Toggle Developer Tools with their accelerators.
  Menu.setApplicationMenu(null);
  // Every permission is refused but the camera, for video alone, to a kiosk or gate window; no device
  // (HID, serial, USB) is ever granted to a page, and no screen capture.
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((wc, permission, cb, details) =>
    cb(mayUsePermission(windowModes.get(wc.id), permission, details as Parameters<typeof mayUsePermission>[2])),
  );
  ses.setPermissionCheckHandler((wc, permission, requestingOrigin, details) =>
    mayUsePermission(wc ? windowModes.get(wc.id) : undefined, permission, { ...details, securityOrigin: details.securityOrigin ?? requestingOrigin }),
  );
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_req, cb) => cb({}));
  ses.on('select-hid-device', (event, _details, cb) => {
    event.preventDefault();
    cb(null);
  });
  ses.on('select-serial-port', (event, _ports, _wc, cb) => {
    event.preventDefault();
    cb('');
  });
  ses.on('select-usb-device', (event, _details, cb) => {
    event.preventDefault();
    cb();
  });
  session.defaultSession.webRequest.onHeadersReceived((details, cb) =>
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }),
  );
  protocol.handle(APP_SCHEME, async (req) => {
    // resolveAppPath never throws; a missing file is a 404 too, never an error page or a rejection.
    const file = resolveAppPath(req.url, rendererDir, join, normalize);
    if (!file) return new Response('not found', { status: 404 });
    try {
      return await net.fetch(pathToFileURL(file).toString());
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  for (const name of callNames) {
    ipcMain.handle(`admit:call:${name}`, async (event, input: unknown) => {
      if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) return { ok: false, error: { code: 'forbidden' } };
      const result = await callCore(`window-${event.sender.id}`, name, input);
      // A kiosk is left only by the core's answer to a manager's PIN, after the page has it.
      const win = BrowserWindow.fromWebContents(event.sender);
      if (win && windowModes.get(event.sender.id) === 'kiosk' && kioskExitGranted(name, result)) setImmediate(() => leaveKiosk(win));
      return result;
    });
  }
  core = startCore();
  const requested = process.argv.find((a) => a.startsWith('--modes='))?.slice('--modes='.length).split(',') ?? ['box-office'];
  const modes = requested.flatMap((m) => {
    const mode = Mode.safeParse(m);
    return mode.success ? [mode.data] : [];
  });
  for (const mode of windowsToOpen(modes)) openWindow(mode);
});

app.on('window-all-closed', () => app.quit());
