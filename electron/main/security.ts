// Owns the window hardening rules, kept free of Electron imports so they are tested under plain Node:
// which URLs a window may show, the CSP header, and the web preferences every window gets.
export const APP_SCHEME = 'app';
export const APP_HOST = 'admit';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** Non-special schemes have an opaque `origin` in WHATWG URL: compare scheme and host instead. */
const isOurs = (u: URL) => u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const secureWebPreferences = (preload: string) =>
  ({
    preload,
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

/** Maps an app:// request to a file inside the renderer folder, or null for anything that escapes it. */
export function resolveAppPath(url: string, rendererDir: string, join: (...p: string[]) => string, normalize: (p: string) => string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (!isOurs(u)) return null;
  const rel = decodeURIComponent(u.pathname === '/' ? '/index.html' : u.pathname);
  if (rel.includes('\0')) return null;
  const full = normalize(join(rendererDir, rel));
  const root = normalize(rendererDir.endsWith('/') || rendererDir.endsWith('\\') ? rendererDir : rendererDir + '/');
  return full.startsWith(root) ? full : null;
}
