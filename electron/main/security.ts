// Owns the window hardening rules, kept free of Electron imports so they are tested under plain Node:
// which URLs a window may show, which file an app:// request may read, the CSP header, the web
// preferences every window gets, which keys are refused in a packaged build, and the second-launch rule.
export const APP_SCHEME = 'app';
export const APP_HOST = 'admit';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** Non-special schemes have an opaque `origin` in WHATWG URL: compare scheme and host instead. */
const isOurs = (u: URL) => u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

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
