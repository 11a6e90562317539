import { readFileSync } from 'node:fs';
import { join, normalize, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  isAppUrl,
  isBlockedShortcut,
  resolveAppPath,
  secureWebPreferences,
  singleInstanceAction,
} from '../../electron/main/security';

describe('window hardening', () => {
  it('keeps every window isolated and sandboxed', () => {
    const p = secureWebPreferences('/x/preload.cjs');
    expect(p).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true });
  });
  it('gives dev tools only to an unpackaged run', () => {
    expect(secureWebPreferences('/p', true).devTools).toBe(false);
    expect(secureWebPreferences('/p').devTools).toBe(false);
    expect(secureWebPreferences('/p', false).devTools).toBe(true);
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
  it('answers malformed or hostile app:// paths with null (404), never a throw', () => {
    const root = '/opt/admit/renderer';
    const hostile = [
      `${APP_ORIGIN}/%E0%A4%A`, // truncated percent-escape: decodeURIComponent would throw
      `${APP_ORIGIN}/%`,
      `${APP_ORIGIN}/%zz`,
      `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`,
      `${APP_ORIGIN}/.%2e/secret`,
      `${APP_ORIGIN}/assets/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd`,
      `${APP_ORIGIN}/..%5c..%5cwindows%5cwin.ini`,
      `${APP_ORIGIN}/a\\..\\..\\x`,
      `${APP_ORIGIN}/index.html%00.png`,
      `${APP_ORIGIN}/../../etc/passwd`,
      `${APP_ORIGIN}/..`,
      `${APP_ORIGIN}//etc/passwd`,
      'app://other/index.html',
      'app:index.html',
      'file:///etc/passwd',
      '',
      'app://',
    ];
    for (const u of hostile) {
      let got: string | null = 'threw';
      expect(() => (got = resolveAppPath(u, root, join, normalize)), u).not.toThrow();
      if (got !== null) expect(got.startsWith(`${root}/`), `${u} -> ${got}`).toBe(true);
    }
    expect(resolveAppPath(`${APP_ORIGIN}/%E0%A4%A`, root, join, normalize)).toBeNull();
    expect(resolveAppPath(`${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`, root, join, normalize)).not.toBe('/etc/passwd');
    expect(resolveAppPath(`${APP_ORIGIN}/index.html%00.png`, root, join, normalize)).toBeNull();
    expect(resolveAppPath(`${APP_ORIGIN}/..%5c..%5cwindows%5cwin.ini`, root, join, normalize)).toBeNull();
    // A sibling folder sharing the prefix is not inside the renderer folder.
    expect(resolveAppPath(`${APP_ORIGIN}/x`, '/opt/admit/renderer', () => '/opt/admit/renderer-evil/x', normalize)).toBeNull();
    // A legal escape still decodes; query and fragment are not part of the file.
    expect(resolveAppPath(`${APP_ORIGIN}/assets/a%20b.js?v=1#x`, root, join, normalize)).toBe('/opt/admit/renderer/assets/a b.js');
  });
  it('keeps Windows paths inside the renderer folder too', () => {
    const root = 'C:\\Program Files\\Admit\\resources\\renderer';
    expect(resolveAppPath(`${APP_ORIGIN}/assets/a.js`, root, win32.join, win32.normalize)).toBe(`${root}\\assets\\a.js`);
    expect(resolveAppPath(`${APP_ORIGIN}/..%5c..%5cx`, root, win32.join, win32.normalize)).toBeNull();
    expect(resolveAppPath(`${APP_ORIGIN}/a\\..\\..\\x`, root, win32.join, win32.normalize)).toBeNull();
  });
  it('swallows the dev-tools keys only in a packaged build', () => {
    const key = (k: string, m: Partial<{ control: boolean; meta: boolean; shift: boolean; alt: boolean }> = {}, type = 'keyDown') => ({
      type,
      key: k,
      control: false,
      meta: false,
      shift: false,
      alt: false,
      ...m,
    });
    for (const k of [key('F12'), key('I', { control: true, shift: true }), key('j', { control: true, shift: true }), key('C', { control: true, shift: true }), key('i', { meta: true, alt: true })])
      expect(isBlockedShortcut(k, true), JSON.stringify(k)).toBe(true);
    for (const k of [key('i'), key('I', { shift: true }), key('c', { control: true }), key('Enter'), key('F12', {}, 'keyUp')]) expect(isBlockedShortcut(k, true), JSON.stringify(k)).toBe(false);
    expect(isBlockedShortcut(key('F12'), false)).toBe(false);
  });
  it('lets only the first launch run; a second one quits', () => {
    expect(singleInstanceAction(true)).toBe('run');
    expect(singleInstanceAction(false)).toBe('quit');
  });
  it('packages with the file-protocol privileges fuse off and the other fuses kept', () => {
    const yml = readFileSync(join(__dirname, '../../electron-builder.yml'), 'utf8');
    const fuses = yml.slice(yml.indexOf('electronFuses:'));
    for (const line of [
      'runAsNode: false',
      'enableCookieEncryption: true',
      'enableNodeOptionsEnvironmentVariable: false',
      'enableNodeCliInspectArguments: false',
      'enableEmbeddedAsarIntegrityValidation: true',
      'onlyLoadAppFromAsar: true',
      'grantFileProtocolExtraPrivileges: false',
    ])
      expect(fuses).toContain(line);
  });
});
