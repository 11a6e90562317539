// The shell's kiosk lockdown as wired in electron/main/main.ts, run under plain Node against a stand-in
// for the `electron` module: it records the windows, handlers and calls main.ts makes, and lets the test
// press keys, ask for permissions, close windows and answer the core's calls as Electron would.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { windowOptionsFor } from '../../electron/main/security';

type Handler = (...args: never[]) => unknown;
type Call = { t: string; id: number; sessionId: string; name: string; input: unknown };

/** A fresh stand-in for Electron; `world` is what the test reads and drives. */
function fakeElectron(packaged: boolean) {
  let nextWebContentsId = 1;
  const windows: FakeWindow[] = [];
  const ipc = new Map<string, Handler>();
  const handlers: Record<string, Handler> = {};
  const calls: Call[] = [];
  const app = Object.assign(new EventEmitter(), {
    isPackaged: packaged,
    requestSingleInstanceLock: () => true,
    quit: vi.fn(),
    enableSandbox: vi.fn(),
    whenReady: () => Promise.resolve(),
    getPath: () => '/tmp/admit-fake',
  });

  class FakeWebContents extends EventEmitter {
    id = nextWebContentsId++;
    sent: unknown[][] = [];
    zoomFactor = 1;
    visualZoom: [number, number] | null = null;
    devToolsClosed = 0;
    send(...a: unknown[]) {
      this.sent.push(a);
    }
    setZoomFactor(f: number) {
      this.zoomFactor = f;
    }
    setVisualZoomLevelLimits(a: number, b: number) {
      this.visualZoom = [a, b];
      return Promise.resolve();
    }
    closeDevTools() {
      this.devToolsClosed++;
    }
    setWindowOpenHandler(h: Handler) {
      handlers[`windowOpen:${this.id}`] = h;
    }
  }

  class FakeWindow extends EventEmitter {
    webContents = new FakeWebContents();
    destroyed = false;
    state = { fullScreen: false, kiosk: false, closable: true, alwaysOnTop: false, shown: false, url: '' };
    log: string[] = [];
    constructor(public options: Record<string, unknown> = {}) {
      super();
      this.state.fullScreen = options['fullscreen'] === true;
      this.state.kiosk = options['kiosk'] === true;
      this.state.closable = options['closable'] !== false;
      app.emit('web-contents-created', {}, this.webContents);
      windows.push(this);
      app.emit('browser-window-created', {}, this);
    }
    static getAllWindows = () => windows.filter((w) => !w.destroyed);
    static fromWebContents = (wc: FakeWebContents) => windows.find((w) => w.webContents === wc && !w.destroyed) ?? null;
    loadURL(url: string) {
      this.state.url = url;
      return Promise.resolve();
    }
    isDestroyed = () => this.destroyed;
    isMinimized = () => false;
    setAlwaysOnTop(on: boolean, level?: string) {
      this.state.alwaysOnTop = on;
      this.log.push(`alwaysOnTop ${on}${level ? ` ${level}` : ''}`);
    }
    removeMenu() {
      this.log.push('removeMenu');
    }
    show() {
      this.state.shown = true;
    }
    focus() {}
    restore() {
      this.log.push('restore');
    }
    setKiosk(on: boolean) {
      this.state.kiosk = on;
      this.log.push(`kiosk ${on}`);
    }
    setFullScreen(on: boolean) {
      this.state.fullScreen = on;
      this.log.push(`fullScreen ${on}`);
    }
    setClosable(on: boolean) {
      this.state.closable = on;
    }
    /** As Electron: 'close' may be prevented; else the window is gone and 'closed' follows. */
    close() {
      if (this.destroyed) return;
      let prevented = false;
      this.emit('close', { preventDefault: () => (prevented = true) });
      if (prevented) return;
      this.destroy();
    }
    destroy() {
      if (this.destroyed) return;
      this.destroyed = true;
      this.emit('closed');
    }
  }

  class FakeCore extends EventEmitter {
    postMessage(msg: Call) {
      if (msg.t === 'call') calls.push(msg);
    }
    /** Answers the oldest call of that name as the core would. */
    answer(name: string, result: unknown) {
      const i = calls.findIndex((c) => c.name === name);
      const [c] = calls.splice(i, 1);
      this.emit('message', { t: 'result', id: c!.id, result });
    }
  }
  const core = new FakeCore();

  const session = {
    defaultSession: Object.assign(new EventEmitter(), {
      setPermissionRequestHandler: (h: Handler) => (handlers['permissionRequest'] = h),
      setPermissionCheckHandler: (h: Handler) => (handlers['permissionCheck'] = h),
      setDevicePermissionHandler: (h: Handler) => (handlers['devicePermission'] = h),
      setDisplayMediaRequestHandler: (h: Handler) => (handlers['displayMedia'] = h),
      webRequest: { onHeadersReceived: (h: Handler) => (handlers['headers'] = h) },
    }),
  };
  const module = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (channel: string, h: Handler) => ipc.set(channel, h) },
    Menu: { setApplicationMenu: vi.fn() },
    net: { fetch: vi.fn() },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    safeStorage: { isEncryptionAvailable: () => false },
    session,
    utilityProcess: { fork: () => core },
  };
  return { module, world: { app, windows, ipc, handlers, calls, core, session: session.defaultSession, FakeWindow } };
}

type World = ReturnType<typeof fakeElectron>['world'];
const argv = process.argv;

/** Loads main.ts afresh on a fake Electron with these launch arguments and waits for its windows. */
async function launch(args: string[], packaged = true): Promise<World> {
  const fake = fakeElectron(packaged);
  vi.resetModules();
  vi.doMock('electron', () => ({ ...fake.module, default: fake.module }));
  process.argv = [...argv.slice(0, 2), ...args];
  await import('../../electron/main/main');
  await vi.waitFor(() => expect(fake.world.ipc.size).toBeGreaterThan(0));
  await new Promise((r) => setImmediate(r));
  return fake.world;
}

afterEach(() => {
  process.argv = argv;
  vi.doUnmock('electron');
});

const press = (w: World['windows'][number], key: string, m: Partial<{ control: boolean; alt: boolean; meta: boolean; shift: boolean; code: string }> = {}) => {
  let prevented = false;
  w.webContents.emit('before-input-event', { preventDefault: () => (prevented = true) }, { type: 'keyDown', key, code: m.code ?? '', control: false, alt: false, meta: false, shift: false, ...m });
  return prevented;
};
const kioskPage = 'app://admit/index.html?mode=kiosk';
const callFrom = (world: World, win: World['windows'][number], name: string, input: unknown) =>
  (world.ipc.get(`admit:call:${name}`) as (e: unknown, i: unknown) => Promise<unknown>)({ sender: win.webContents, senderFrame: { url: kioskPage } }, input);
const tick = () => new Promise((r) => setImmediate(r));

describe('the shell with a kiosk', () => {
  it('opens the kiosk alone, with the kiosk options, locked on top and shown once painted', async () => {
    const world = await launch(['--modes=box-office,kiosk']);
    expect(world.windows).toHaveLength(1);
    const [kiosk] = world.windows;
    const preload = (kiosk!.options['webPreferences'] as { preload: string }).preload;
    expect(preload).toMatch(/preload\.cjs$/);
    expect(kiosk!.options).toEqual(windowOptionsFor('kiosk', true, preload));
    expect(kiosk!.state.url).toBe(kioskPage);
    expect(kiosk!.log).toContain('alwaysOnTop true screen-saver');
    expect(kiosk!.log).toContain('removeMenu');
    expect(kiosk!.webContents.visualZoom).toEqual([1, 1]);
    expect(kiosk!.state.shown).toBe(false);
    kiosk!.emit('ready-to-show');
    expect(kiosk!.state.shown).toBe(true);
  });

  it('refuses the attendee keys, keeps typing, and puts back full screen and zoom', async () => {
    const world = await launch(['--modes=kiosk']);
    const kiosk = world.windows[0]!;
    for (const [k, m] of [
      ['F4', { alt: true }],
      ['w', { control: true }],
      ['q', { meta: true }],
      ['F5', {}],
      ['Escape', {}],
      ['ArrowLeft', { alt: true }],
      ['=', { control: true }],
    ] as const)
      expect(press(kiosk, k, m), k).toBe(true);
    for (const k of ['a', 'Backspace', 'Enter', '7']) expect(press(kiosk, k), k).toBe(false);
    kiosk.emit('leave-full-screen');
    expect(kiosk.state.fullScreen).toBe(true);
    kiosk.webContents.emit('leave-html-full-screen');
    expect(kiosk.log.filter((l) => l === 'fullScreen true')).toHaveLength(2);
    kiosk.webContents.setZoomFactor(1.5);
    kiosk.webContents.emit('zoom-changed', {}, 'in');
    expect(kiosk.webContents.zoomFactor).toBe(1);
    let commandPrevented = false;
    kiosk.emit('app-command', { preventDefault: () => (commandPrevented = true) }, 'browser-backward');
    expect(commandPrevented).toBe(true);
  });

  it('gives the camera to the kiosk for video alone, and nothing else to anyone', async () => {
    const world = await launch(['--modes=kiosk']);
    const kiosk = world.windows[0]!;
    const request = (wc: unknown, permission: string, details: unknown) =>
      new Promise<boolean>((resolve) => (world.handlers['permissionRequest'] as (...a: unknown[]) => void)(wc, permission, resolve, details));
    expect(await request(kiosk.webContents, 'media', { mediaTypes: ['video'], requestingUrl: kioskPage, isMainFrame: true })).toBe(true);
    expect(await request(kiosk.webContents, 'media', { mediaTypes: ['video', 'audio'], requestingUrl: kioskPage, isMainFrame: true })).toBe(false);
    expect(await request(kiosk.webContents, 'geolocation', { requestingUrl: kioskPage, isMainFrame: true })).toBe(false);
    expect(await request({ id: 999 }, 'media', { mediaTypes: ['video'], requestingUrl: kioskPage, isMainFrame: true })).toBe(false);
    const check = world.handlers['permissionCheck'] as (...a: unknown[]) => boolean;
    expect(check(kiosk.webContents, 'media', 'app://admit', { mediaType: 'video', isMainFrame: true })).toBe(true);
    expect(check(kiosk.webContents, 'media', 'app://admit', { mediaType: 'audio', isMainFrame: true })).toBe(false);
    expect(check(null, 'media', 'app://admit', { mediaType: 'video', isMainFrame: true })).toBe(false);
    expect(check(kiosk.webContents, 'serial', 'app://admit', { isMainFrame: true })).toBe(false);
    expect((world.handlers['devicePermission'] as (...a: unknown[]) => boolean)({ deviceType: 'usb', origin: 'app://admit' })).toBe(false);
    let streams: unknown = 'none';
    (world.handlers['displayMedia'] as (...a: unknown[]) => void)({}, (s: unknown) => (streams = s));
    expect(streams).toEqual({});
    for (const event of ['select-hid-device', 'select-usb-device']) {
      let prevented = false;
      const cb = vi.fn();
      world.session.emit(event, { preventDefault: () => (prevented = true) }, {}, cb);
      expect(prevented, event).toBe(true);
      expect(cb, event).toHaveBeenCalledWith(...(event === 'select-hid-device' ? [null] : []));
    }
    const serial = vi.fn();
    world.session.emit('select-serial-port', { preventDefault: () => undefined }, [{ portId: '1' }], kiosk.webContents, serial);
    expect(serial).toHaveBeenCalledWith('');
  });

  it('keeps the kiosk open until a manager’s PIN is granted, then leaves full screen and closes it', async () => {
    const world = await launch(['--modes=kiosk']);
    const kiosk = world.windows[0]!;
    kiosk.close();
    expect(kiosk.destroyed).toBe(false);

    // A wrong PIN: the page gets the refusal, the kiosk stays.
    const refused = callFrom(world, kiosk, 'kiosk.exit', { pin: '000000' });
    await vi.waitFor(() => expect(world.calls.map((c) => c.name)).toContain('kiosk.exit'));
    expect(world.calls[0]).toMatchObject({ sessionId: `window-${kiosk.webContents.id}`, input: { pin: '000000' } });
    world.core.answer('kiosk.exit', { ok: false, error: { code: 'bad_pin' } });
    expect(await refused).toEqual({ ok: false, error: { code: 'bad_pin' } });
    await tick();
    expect(kiosk.destroyed).toBe(false);
    kiosk.close();
    expect(kiosk.destroyed).toBe(false);

    // Another call that answers { exited: true } is not an exit.
    const other = callFrom(world, kiosk, 'kiosk.maintenance', { pin: '999999' });
    await vi.waitFor(() => expect(world.calls).toHaveLength(1));
    world.core.answer('kiosk.maintenance', { ok: true, value: { exited: true } });
    await other;
    await tick();
    expect(kiosk.destroyed).toBe(false);

    // The manager's PIN: the answer reaches the page first, then the window leaves and closes.
    const granted = callFrom(world, kiosk, 'kiosk.exit', { pin: '999999' });
    await vi.waitFor(() => expect(world.calls).toHaveLength(1));
    world.core.answer('kiosk.exit', { ok: true, value: { exited: true } });
    expect(await granted).toEqual({ ok: true, value: { exited: true } });
    await vi.waitFor(() => expect(kiosk.destroyed).toBe(true));
    expect(kiosk.log).toEqual(expect.arrayContaining(['alwaysOnTop false', 'kiosk false', 'fullScreen false']));
    expect(kiosk.state.closable).toBe(true);
    // The window is gone: it does not come back full screen.
    kiosk.emit('leave-full-screen');
    expect(kiosk.log.at(-1)).not.toBe('fullScreen true');
  });

  it('lets the system end the app: a kiosk closes once the app is quitting', async () => {
    const world = await launch(['--modes=kiosk']);
    const kiosk = world.windows[0]!;
    kiosk.close();
    expect(kiosk.destroyed).toBe(false);
    world.app.emit('before-quit');
    kiosk.close();
    expect(kiosk.destroyed).toBe(true);
  });

  it('destroys a window it did not open, and refuses dev tools, new windows and navigation', async () => {
    const world = await launch(['--modes=kiosk'], false);
    const kiosk = world.windows[0]!;
    const stray = new world.FakeWindow({});
    await tick();
    expect(stray.destroyed).toBe(true);
    expect(kiosk.destroyed).toBe(false);
    kiosk.webContents.emit('devtools-opened');
    expect(kiosk.webContents.devToolsClosed).toBe(1);
    expect((world.handlers[`windowOpen:${kiosk.webContents.id}`] as () => unknown)()).toEqual({ action: 'deny' });
    let prevented = false;
    kiosk.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://example.com/');
    expect(prevented).toBe(true);
  });

  it('leaves other windows as they were: closable, no camera, a kiosk.exit from them closes nothing', async () => {
    const world = await launch(['--modes=manager,gate'], false);
    expect(world.windows).toHaveLength(2);
    const [manager, gate] = world.windows as [World['windows'][number], World['windows'][number]];
    expect(gate.options).not.toHaveProperty('closable');
    expect(press(gate, 'F5')).toBe(false);
    const request = (wc: unknown, details: unknown) =>
      new Promise<boolean>((resolve) => (world.handlers['permissionRequest'] as (...a: unknown[]) => void)(wc, 'media', resolve, details));
    expect(await request(gate.webContents, { mediaTypes: ['video'], requestingUrl: 'app://admit/index.html?mode=gate', isMainFrame: true })).toBe(true);
    expect(await request(manager.webContents, { mediaTypes: ['video'], requestingUrl: 'app://admit/index.html?mode=manager', isMainFrame: true })).toBe(false);
    const exit = callFrom(world, manager, 'kiosk.exit', { pin: '999999' });
    await vi.waitFor(() => expect(world.calls).toHaveLength(1));
    world.core.answer('kiosk.exit', { ok: true, value: { exited: true } });
    await exit;
    await tick();
    expect(manager.destroyed).toBe(false);
    // A stray window in an unpackaged run without a kiosk is left alone (developer tools may open some).
    const stray = new world.FakeWindow({});
    await tick();
    expect(stray.destroyed).toBe(false);
    manager.close();
    expect(manager.destroyed).toBe(true);
  });
});
