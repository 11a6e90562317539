// Owns the Electron shell and nothing else: one window per mode, window hardening, the app:// protocol
// serving the built renderer, and the core hosted in a utilityProcess. Each contract call arrives on its
// own IPC channel, is stamped with the calling window's session and forwarded to the core, which checks it.
import { app, BrowserWindow, ipcMain, Menu, net, protocol, safeStorage, session, utilityProcess, type UtilityProcess } from 'electron';
import { join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { callNames, Mode } from '../contract';
import { isSecretRequest, type SecretReply, type SecretRequest } from '../contract/secret-channel';
import { APP_ORIGIN, APP_SCHEME, CSP, isAppUrl, isBlockedShortcut, resolveAppPath, secureWebPreferences, singleInstanceAction } from './security';

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

function openWindow(mode: Mode) {
  const kiosk = mode === 'kiosk' || mode === 'gate';
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Admit',
    kiosk: kiosk && app.isPackaged,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(join(__dirname, 'preload.cjs'), app.isPackaged),
  });
  const sessionId = `window-${win.webContents.id}`;
  win.on('closed', () => core?.postMessage({ t: 'closeSession', sessionId }));
  void win.loadURL(`${APP_ORIGIN}/index.html?mode=${mode}`);
}

let quitting = false;
app.on('before-quit', () => {
  quitting = true;
  core?.postMessage({ t: 'shutdown' });
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
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
});

void app.whenReady().then(() => {
  if (!firstInstance) return;
  // No default application menu: it carries Reload and Toggle Developer Tools with their accelerators.
  Menu.setApplicationMenu(null);
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
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
    ipcMain.handle(`admit:call:${name}`, (event, input: unknown) => {
      if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) return { ok: false, error: { code: 'forbidden' } };
      return callCore(`window-${event.sender.id}`, name, input);
    });
  }
  core = startCore();
  const requested = process.argv.find((a) => a.startsWith('--modes='))?.slice('--modes='.length).split(',') ?? ['box-office'];
  for (const m of requested) {
    const mode = Mode.safeParse(m);
    if (mode.success) openWindow(mode.data);
  }
});

app.on('window-all-closed', () => app.quit());
