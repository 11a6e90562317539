// Owns the window hardening rules, kept free of Electron imports so they are tested under plain Node:
// which URLs a window may show, which file an app:// request may read, the CSP header, the web
// preferences every window gets, which keys are refused in a packaged build, and the second-launch rule;
// and the kiosk lockdown: the kiosk window's options, the keys an attendee may not use, who may use the
// camera, when a kiosk window may close, and which windows may exist beside a kiosk.
import type { Mode } from '../contract';

export const APP_SCHEME = 'app';
export const APP_HOST = 'admit';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** Non-special schemes have an opaque `origin` in WHATWG URL: compare scheme and host instead. */
const isOurs = (u: URL) => u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;

/** 'wasm-unsafe-eval' lets the page compile WebAssembly (the camera's zxing-wasm decoder) and nothing
 *  else: eval, new Function and inline scripts stay refused. */
export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Dev tools only in an unpackaged (developer) run: a packaged window never opens a console holding the
 *  signed-in operator's bridge. */
export const secureWebPreferences = (preload: string, packaged = true) =>
  ({
    preload,
    devTools: !packaged,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
  }) as const;

/** Only our own origin may be shown; every navigation elsewhere and every new window is refused. */
export function isAppUrl(url: string): boolean {
  try {
    return isOurs(new URL(url));
  } catch {
    return false;
  }
}

/** Maps an app:// request to a file inside the renderer folder, or null (answered 404) for anything that
 *  is malformed or escapes it: another origin, a bad percent-escape, a NUL, an encoded separator or dot
 *  segment, a backslash, or a path that normalizes outside the folder. Never throws. */
export function resolveAppPath(url: string, rendererDir: string, join: (...p: string[]) => string, normalize: (p: string) => string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (!isOurs(u)) return null;
  const raw = u.pathname === '/' ? '/index.html' : u.pathname;
  // The renderer's own files never need an encoded '/', '\\' or '.', nor a raw backslash.
  if (/%(2f|5c|2e|00)/i.test(raw) || raw.includes('\\')) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.split('/').some((seg) => seg === '..')) return null;
  const root = normalize(rendererDir);
  const full = normalize(join(root, rel));
  const sep = root.includes('\\') && !root.includes('/') ? '\\' : '/';
  const prefix = root.endsWith(sep) ? root : root + sep;
  return full.startsWith(prefix) && full.length > prefix.length ? full : null;
}

/** A packaged build refuses the keys that open dev tools (a second line behind the removed menu and
 *  `devTools: false`). `input` is Electron's before-input-event Input, reduced to what is read here. */
export function isBlockedShortcut(input: { type: string; key: string; control: boolean; meta: boolean; shift: boolean; alt: boolean }, packaged: boolean): boolean {
  if (!packaged || input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  const mod = input.control || input.meta;
  if (key === 'f12') return true;
  if (mod && input.shift && (key === 'i' || key === 'j' || key === 'c')) return true; // Ctrl+Shift+I/J/C
  if (input.meta && input.alt && (key === 'i' || key === 'j' || key === 'c')) return true; // Cmd+Opt+I/J/C
  return false;
}

/** What a launch does about the single-instance lock: the first instance runs; a later one hands over to
 *  the first (which focuses its window) and quits before starting a core of its own. */
export function singleInstanceAction(gotLock: boolean): 'run' | 'quit' {
  return gotLock ? 'run' : 'quit';
}

/** Modes whose window is full screen at a fixed place: the kiosk (locked down, below) and the gate
 *  (full screen in a packaged build, as before the kiosk existed). */
const isFixedTerminal = (mode: Mode) => mode === 'kiosk' || mode === 'gate';

/** The background behind a kiosk's page, so no white flashes before it paints. */
export const KIOSK_BACKGROUND = '#000000';
/** A kiosk stays above every other window (the level passed to setAlwaysOnTop). */
export const KIOSK_ON_TOP_LEVEL = 'screen-saver';

/** The BrowserWindow options of a mode's window.
 *
 *  Kiosk (every run, packaged or not, so the lockdown is what a developer sees too): full screen,
 *  no frame and no menu bar, not closable, minimizable, maximizable, resizable nor movable by the
 *  attendee, above every other window, not in the task bar, a dark background, shown once painted; in
 *  a packaged build also the OS kiosk mode (`kiosk: true`). Dev tools only in an unpackaged run, as for
 *  every window, though the kiosk's keys to open them are refused in every run.
 *
 *  Gate (unchanged): 1280×800 with the menu bar hidden, full screen in the OS kiosk mode in a packaged
 *  build; it can be closed and left like any window. Every other mode: the same without kiosk mode. */
export function windowOptionsFor(mode: Mode, packaged: boolean, preload: string) {
  const webPreferences = secureWebPreferences(preload, packaged);
  if (mode !== 'kiosk') {
    return {
      width: 1280,
      height: 800,
      title: 'Admit',
      kiosk: isFixedTerminal(mode) && packaged,
      autoHideMenuBar: true,
      webPreferences,
    };
  }
  return {
    width: 1280,
    height: 800,
    title: 'Admit',
    kiosk: packaged,
    fullscreen: true,
    fullscreenable: true,
    frame: false,
    autoHideMenuBar: true,
    closable: false,
    minimizable: false,
    maximizable: false,
    resizable: false,
    movable: false,
    alwaysOnTop: true,
    skipTaskbar: true,
    backgroundColor: KIOSK_BACKGROUND,
    show: false,
    webPreferences: { ...webPreferences, zoomFactor: 1 },
  };
}

/** Which windows a launch opens: a kiosk is alone (no other window beside it), else each mode asked
 *  for once, in order; nothing asked for opens the box office. */
export function windowsToOpen(requested: readonly Mode[]): Mode[] {
  if (requested.includes('kiosk')) return ['kiosk'];
  const modes = [...new Set(requested)];
  return modes.length > 0 ? modes : ['box-office'];
}

/** A window that appears without having been opened by the shell (by a page, an extension, a bug) is
 *  destroyed while a kiosk is open and in any packaged build. */
export function mayKeepWindow(ours: boolean, kioskOpen: boolean, packaged: boolean): boolean {
  return ours || (!kioskOpen && !packaged);
}

type KeyInput = { type: string; key: string; code?: string; control: boolean; meta: boolean; shift: boolean; alt: boolean };

/** Keys that leave, reload, zoom, print, switch or navigate a page, in the browser's own names. */
const BROWSER_KEYS = new Set([
  'browserback',
  'browserforward',
  'browserrefresh',
  'browserhome',
  'browsersearch',
  'browserfavorites',
  'browserstop',
  'zoomin',
  'zoomout',
  'zoomtoggle',
  'help',
  'print',
  'close',
  'new',
  'open',
  'save',
  'launchapplication1',
  'launchapplication2',
]);
/** Alt with these moves in the history, opens the home page or the window menu, or switches windows. */
const ALT_KEYS = new Set(['arrowleft', 'arrowright', 'arrowup', 'arrowdown', 'home', 'end', ' ', 'spacebar', 'escape', 'tab', 'enter']);

/** The keys refused in a kiosk window, in every run (`input`: Electron's before-input-event Input,
 *  reduced to what is read here). An attendee types letters, digits, Backspace, Enter and arrows, in
 *  any script and through an input method; nothing else is theirs:
 *  - every function key F1–F24, with or without modifiers (Alt+F4, F5, F11, F12 …);
 *  - Escape (leaves full screen);
 *  - every Ctrl or Cmd combination: close (W), quit (Q), reload (R, Shift+R), new window or tab (N, T),
 *    print (P), zoom (plus, minus, 0), open, save, find, history, dev tools (Shift+I/J/C) … — except
 *    AltGr (Ctrl+Alt, no Cmd) typing a character that is not a Latin letter, a digit or a zoom key;
 *  - Alt with an arrow (history), Home, Space (window menu), Tab, Escape or Enter;
 *  - the keyboard's browser, zoom, print and application keys.
 *  Letters are read from the physical key too (`code`), so Ctrl+W on a Russian layout (key "ц") is
 *  refused as well. Only key presses are refused; releases pass. */
export function isBlockedKioskShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  const code = (input.code ?? '').toLowerCase();
  if (/^f\d{1,2}$/.test(key) || /^f\d{1,2}$/.test(code)) return true;
  if (key === 'escape' || code === 'escape') return true;
  if (BROWSER_KEYS.has(key) || BROWSER_KEYS.has(code)) return true;
  if (input.meta) return true;
  if (input.control) {
    const altGr = input.alt && [...input.key].length === 1 && !/^[a-z0-9+=\-_]$/i.test(input.key);
    return !altGr;
  }
  if (input.alt && (ALT_KEYS.has(key) || ALT_KEYS.has(code))) return true;
  return false;
}

/** What a permission request or check says about itself: a request lists `mediaTypes`, a check names
 *  one `mediaType`; `requestingUrl` (or the check's origin) is the page asking. */
export type PermissionDetails = {
  mediaTypes?: readonly string[];
  mediaType?: string;
  requestingUrl?: string;
  securityOrigin?: string;
  isMainFrame?: boolean;
};

/** Every permission is refused except the camera, and that only to our own page in a kiosk or gate
 *  window asking for video alone (no microphone: a request naming audio is refused whole). `mode` is
 *  the mode of the asking window, undefined when it is not one the shell opened. */
export function mayUsePermission(mode: Mode | undefined, permission: string, details: PermissionDetails): boolean {
  if (mode === undefined || !isFixedTerminal(mode)) return false;
  if (permission !== 'media') return false;
  if (details.isMainFrame === false) return false;
  const asker = details.requestingUrl ?? details.securityOrigin;
  if (asker === undefined || !isAppUrl(asker)) return false;
  const types = details.mediaTypes ?? (details.mediaType === undefined ? [] : [details.mediaType]);
  return types.length > 0 && types.every((t) => t === 'video');
}

/** Whether a call's answer lets the kiosk be left: a granted `kiosk.exit` (a manager's PIN, checked and
 *  audited by the core). The shell then leaves full screen and closes that kiosk window. */
export function kioskExitGranted(callName: string, result: unknown): boolean {
  if (callName !== 'kiosk.exit' || typeof result !== 'object' || result === null) return false;
  const r = result as { ok?: unknown; value?: unknown };
  return r.ok === true && typeof r.value === 'object' && r.value !== null && (r.value as { exited?: unknown }).exited === true;
}

/** A kiosk window closes only after a granted exit, or when the system ends the app (shutdown, a
 *  signal); the attendee's close (Alt+F4, the window manager) is refused. Other windows always close. */
export function mayCloseWindow(mode: Mode, state: { exitGranted: boolean; quitting: boolean }): boolean {
  return mode !== 'kiosk' || state.exitGranted || state.quitting;
}
