import { join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, isAppUrl, resolveAppPath, secureWebPreferences } from '../../electron/main/security';

describe('window hardening', () => {
  it('keeps every window isolated and sandboxed', () => {
    const p = secureWebPreferences('/x/preload.cjs');
    expect(p).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true });
  });
  it('allows navigation only within the app origin', () => {
    expect(isAppUrl(`${APP_ORIGIN}/index.html?mode=gate`)).toBe(true);
    for (const u of ['https://example.com/', 'file:///etc/passwd', 'app://other/index.html', 'javascript:alert(1)', 'not a url'])
      expect(isAppUrl(u)).toBe(false);
  });
  it('serves only files inside the renderer folder', () => {
    const root = '/opt/admit/renderer';
    expect(resolveAppPath(`${APP_ORIGIN}/`, root, join, normalize)).toBe('/opt/admit/renderer/index.html');
    expect(resolveAppPath(`${APP_ORIGIN}/assets/a.js`, root, join, normalize)).toBe('/opt/admit/renderer/assets/a.js');
    expect(resolveAppPath(`${APP_ORIGIN}/..%2f..%2fetc/passwd`, root, join, normalize)).toBeNull();
    expect(resolveAppPath('https://evil/x', root, join, normalize)).toBeNull();
  });
});
