import { describe, expect, it } from 'vitest';
import type { Mode } from '../../electron/contract';
import {
  APP_ORIGIN,
  CSP,
  isBlockedKioskShortcut,
  isBlockedShortcut,
  kioskExitGranted,
  mayCloseWindow,
  mayKeepWindow,
  mayUsePermission,
  windowOptionsFor,
  windowsToOpen,
} from '../../electron/main/security';

const MODES: Mode[] = ['box-office', 'gate', 'badge-desk', 'kiosk', 'manager', 'admin'];

type Key = { type: string; key: string; code: string; control: boolean; meta: boolean; shift: boolean; alt: boolean };
/** A key press as Electron's before-input-event reports it: the key, its physical code, modifiers. */
const key = (k: string, m: Partial<Omit<Key, 'key'>> = {}): Key => ({
  type: 'keyDown',
  key: k,
  code: k.length === 1 && /[a-z]/i.test(k) ? `Key${k.toUpperCase()}` : k.length === 1 && /\d/.test(k) ? `Digit${k}` : k,
  control: false,
  meta: false,
  shift: false,
  alt: false,
  ...m,
});

describe('the kiosk window', () => {
  it('is full screen, frameless, fixed and on top, in the OS kiosk mode when packaged', () => {
    for (const packaged of [true, false]) {
      const o = windowOptionsFor('kiosk', packaged, '/p/preload.cjs');
      expect(o).toMatchObject({
        kiosk: packaged,
        fullscreen: true,
        frame: false,
        autoHideMenuBar: true,
        closable: false,
        minimizable: false,
        maximizable: false,
        resizable: false,
        movable: false,
        alwaysOnTop: true,
        skipTaskbar: true,
        backgroundColor: '#000000',
        show: false,
      });
    }
  });
  it('keeps the secure web preferences, dev tools only in an unpackaged run', () => {
    for (const packaged of [true, false]) {
      const p = windowOptionsFor('kiosk', packaged, '/p/preload.cjs').webPreferences;
      expect(p).toMatchObject({
        preload: '/p/preload.cjs',
        devTools: !packaged,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        zoomFactor: 1,
      });
    }
  });
  it('leaves the gate as it was: full screen in kiosk mode when packaged, closable, no lockdown', () => {
    expect(windowOptionsFor('gate', true, '/p')).toEqual({
      width: 1280,
      height: 800,
      title: 'Admit',
      kiosk: true,
      autoHideMenuBar: true,
      webPreferences: windowOptionsFor('box-office', true, '/p').webPreferences,
    });
    expect(windowOptionsFor('gate', false, '/p').kiosk).toBe(false);
    for (const mode of MODES.filter((m) => m !== 'kiosk' && m !== 'gate')) {
      const o = windowOptionsFor(mode, true, '/p');
      expect(o.kiosk, mode).toBe(false);
      expect(o, mode).not.toHaveProperty('closable');
      expect(o, mode).not.toHaveProperty('alwaysOnTop');
      expect(o.webPreferences.devTools).toBe(false);
    }
  });
  it('opens alone: no other window beside a kiosk', () => {
    expect(windowsToOpen(['box-office', 'kiosk', 'gate'])).toEqual(['kiosk']);
    expect(windowsToOpen(['kiosk', 'kiosk'])).toEqual(['kiosk']);
    expect(windowsToOpen(['box-office', 'gate', 'box-office'])).toEqual(['box-office', 'gate']);
    expect(windowsToOpen([])).toEqual(['box-office']);
  });
  it('destroys a window the shell did not open beside a kiosk or in a packaged build', () => {
    expect(mayKeepWindow(true, true, true)).toBe(true);
    expect(mayKeepWindow(false, true, false)).toBe(false);
    expect(mayKeepWindow(false, false, true)).toBe(false);
    expect(mayKeepWindow(false, false, false)).toBe(true);
  });
});

describe('keys in a kiosk window', () => {
  it('refuses the keys that close, quit, reload, print, zoom, navigate or open tools', () => {
    const blocked: [string, Key][] = [
      ['Alt+F4', key('F4', { alt: true })],
      ['Ctrl+W', key('w', { control: true })],
      ['Cmd+W', key('w', { meta: true })],
      ['Ctrl+Q', key('q', { control: true })],
      ['Cmd+Q', key('q', { meta: true })],
      ['Ctrl+R', key('r', { control: true })],
      ['Ctrl+Shift+R', key('R', { control: true, shift: true })],
      ['Cmd+R', key('r', { meta: true })],
      ['F5', key('F5')],
      ['Ctrl+F5', key('F5', { control: true })],
      ['F11', key('F11')],
      ['Ctrl+N', key('n', { control: true })],
      ['Ctrl+T', key('t', { control: true })],
      ['Ctrl+Shift+T', key('T', { control: true, shift: true })],
      ['Alt+Left', key('ArrowLeft', { alt: true })],
      ['Alt+Right', key('ArrowRight', { alt: true })],
      ['Alt+Home', key('Home', { alt: true })],
      ['Alt+Space', key(' ', { alt: true, code: 'Space' })],
      ['Ctrl+P', key('p', { control: true })],
      ['Ctrl+plus', key('+', { control: true, shift: true, code: 'Equal' })],
      ['Ctrl+=', key('=', { control: true, code: 'Equal' })],
      ['Ctrl+minus', key('-', { control: true, code: 'Minus' })],
      ['Ctrl+0', key('0', { control: true })],
      ['Ctrl+numpad plus', key('+', { control: true, code: 'NumpadAdd' })],
      ['F1', key('F1')],
      ['F3', key('F3')],
      ['F7', key('F7')],
      ['F10', key('F10')],
      ['F12', key('F12')],
      ['Shift+F10', key('F10', { shift: true })],
      ['Ctrl+Shift+I', key('I', { control: true, shift: true })],
      ['Cmd+Opt+I', key('i', { meta: true, alt: true })],
      ['Ctrl+U', key('u', { control: true })],
      ['Ctrl+O', key('o', { control: true })],
      ['Ctrl+S', key('s', { control: true })],
      ['Ctrl+F', key('f', { control: true })],
      ['Ctrl+Tab', key('Tab', { control: true })],
      ['Cmd+H', key('h', { meta: true })],
      ['Cmd+M', key('m', { meta: true })],
      ['Escape', key('Escape')],
      ['Ctrl+W on a Russian layout', key('ц', { control: true, code: 'KeyW' })],
      ['Ctrl+Q on a Russian layout', key('й', { control: true, code: 'KeyQ' })],
      ['browser back', key('BrowserBack')],
      ['browser refresh', key('BrowserRefresh')],
      ['zoom key', key('ZoomIn')],
      ['print key', key('Print')],
    ];
    for (const [name, k] of blocked) expect(isBlockedKioskShortcut(k), name).toBe(true);
  });
  it('lets the attendee type in any script and use the keys of the screen', () => {
    const allowed: [string, Key][] = [
      ['a letter', key('a')],
      ['a capital', key('A', { shift: true })],
      ['a digit', key('4')],
      ['Cyrillic', key('ж', { code: 'Semicolon' })],
      ['an input method composing Chinese', key('Process', { code: 'KeyZ' })],
      ['Backspace', key('Backspace')],
      ['Enter', key('Enter')],
      ['Tab', key('Tab')],
      ['Shift+Tab', key('Tab', { shift: true })],
      ['an arrow', key('ArrowDown')],
      ['Space', key(' ', { code: 'Space' })],
      ['AltGr typing ł', key('ł', { control: true, alt: true, code: 'KeyL' })],
      ['AltGr typing @', key('@', { control: true, alt: true, code: 'KeyQ' })],
      ['Alt+a letter', key('a', { alt: true })],
    ];
    for (const [name, k] of allowed) expect(isBlockedKioskShortcut(k), name).toBe(false);
  });
  it('refuses presses only: releases pass', () => {
    expect(isBlockedKioskShortcut({ ...key('F4', { alt: true }), type: 'keyUp' })).toBe(false);
  });
  it('leaves the other windows to the packaged dev-tools rule', () => {
    expect(isBlockedShortcut(key('F5'), true)).toBe(false);
    expect(isBlockedShortcut(key('F12'), true)).toBe(true);
  });
});

describe('the camera', () => {
  const page = `${APP_ORIGIN}/index.html?mode=kiosk`;
  it('is granted to a kiosk or gate window asking for video alone', () => {
    for (const mode of ['kiosk', 'gate'] as const) {
      expect(mayUsePermission(mode, 'media', { mediaTypes: ['video'], requestingUrl: page, isMainFrame: true }), mode).toBe(true);
      // The permission check names one media type and the page's origin.
      expect(mayUsePermission(mode, 'media', { mediaType: 'video', securityOrigin: APP_ORIGIN }), mode).toBe(true);
    }
  });
  it('is refused with the microphone, or for the microphone alone', () => {
    expect(mayUsePermission('kiosk', 'media', { mediaTypes: ['video', 'audio'], requestingUrl: page })).toBe(false);
    expect(mayUsePermission('kiosk', 'media', { mediaTypes: ['audio'], requestingUrl: page })).toBe(false);
    expect(mayUsePermission('kiosk', 'media', { mediaType: 'audio', securityOrigin: APP_ORIGIN })).toBe(false);
    expect(mayUsePermission('kiosk', 'media', { mediaType: 'unknown', securityOrigin: APP_ORIGIN })).toBe(false);
    expect(mayUsePermission('kiosk', 'media', { mediaTypes: [], requestingUrl: page })).toBe(false);
    expect(mayUsePermission('kiosk', 'media', { requestingUrl: page })).toBe(false);
  });
  it('is refused to every other mode, to a window the shell did not open, and to another page', () => {
    for (const mode of MODES.filter((m) => m !== 'kiosk' && m !== 'gate'))
      expect(mayUsePermission(mode, 'media', { mediaTypes: ['video'], requestingUrl: page }), mode).toBe(false);
    expect(mayUsePermission(undefined, 'media', { mediaTypes: ['video'], requestingUrl: page })).toBe(false);
    expect(mayUsePermission('kiosk', 'media', { mediaTypes: ['video'], requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(mayUsePermission('kiosk', 'media', { mediaTypes: ['video'] })).toBe(false);
    expect(mayUsePermission('kiosk', 'media', { mediaTypes: ['video'], requestingUrl: page, isMainFrame: false })).toBe(false);
  });
  it('is the only permission: everything else is refused everywhere', () => {
    const others = ['geolocation', 'notifications', 'fullscreen', 'display-capture', 'clipboard-read', 'clipboard-sanitized-write', 'midi', 'midiSysex', 'hid', 'serial', 'usb', 'openExternal', 'pointerLock', 'keyboardLock', 'idle-detection', 'window-management', 'fileSystem', 'mediaKeySystem', 'unknown'];
    for (const mode of [...MODES, undefined])
      for (const p of others) expect(mayUsePermission(mode, p, { mediaTypes: ['video'], requestingUrl: page }), `${mode} ${p}`).toBe(false);
  });
});

describe('leaving the kiosk', () => {
  it('is granted only by a successful kiosk.exit', () => {
    expect(kioskExitGranted('kiosk.exit', { ok: true, value: { exited: true } })).toBe(true);
    expect(kioskExitGranted('kiosk.exit', { ok: false, error: { code: 'bad_pin' } })).toBe(false);
    expect(kioskExitGranted('kiosk.exit', { ok: true, value: {} })).toBe(false);
    expect(kioskExitGranted('kiosk.exit', { ok: true, value: { exited: 'yes' } })).toBe(false);
    expect(kioskExitGranted('kiosk.exit', null)).toBe(false);
    expect(kioskExitGranted('kiosk.exit', 'ok')).toBe(false);
    expect(kioskExitGranted('kiosk.maintenance', { ok: true, value: { exited: true } })).toBe(false);
    expect(kioskExitGranted('session.logout', { ok: true, value: { exited: true } })).toBe(false);
  });
  it('closes a kiosk window only after the exit or when the system ends the app', () => {
    expect(mayCloseWindow('kiosk', { exitGranted: false, quitting: false })).toBe(false);
    expect(mayCloseWindow('kiosk', { exitGranted: true, quitting: false })).toBe(true);
    expect(mayCloseWindow('kiosk', { exitGranted: false, quitting: true })).toBe(true);
    for (const mode of MODES.filter((m) => m !== 'kiosk')) expect(mayCloseWindow(mode, { exitGranted: false, quitting: false }), mode).toBe(true);
  });
});

describe('the content security policy', () => {
  const directives = new Map(
    CSP.split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
  it('lets WebAssembly compile (the camera decoder) and nothing else run that is not our own file', () => {
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(CSP).not.toMatch(/'unsafe-eval'|'unsafe-inline'|'unsafe-hashes'|'strict-dynamic'|\*|https?:|blob:/);
  });
  it('stays otherwise as strict as before', () => {
    expect(Object.fromEntries(directives)).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'", "'wasm-unsafe-eval'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });
});
