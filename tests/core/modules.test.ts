// The module registry: every contract call is answered by exactly one feature module. A list that
// leaves a call out or answers one twice does not compile, and — for what the types cannot see (a
// cast, a handler added at run time) — the registry refuses to start with it.
import { describe, expect, it } from 'vitest';
import { callNames, type CallName } from '../../electron/contract';
import { adminCalls } from '../../electron/contract/features/admin';
import { adminEventsCalls } from '../../electron/contract/features/admin-events';
import { adminPointsCalls } from '../../electron/contract/features/admin-points';
import { adminTerminalsCalls } from '../../electron/contract/features/admin-terminals';
import { adminImportCalls } from '../../electron/contract/features/admin-import';
import { adminFormsCalls } from '../../electron/contract/features/admin-forms';
import { adminBoxOfficeCalls } from '../../electron/contract/features/admin-box-office';
import { adminBadgesCalls } from '../../electron/contract/features/admin-badges';
import { adminKioskCalls } from '../../electron/contract/features/admin-kiosk';
import { badgeDeskCalls } from '../../electron/contract/features/badge-desk';
import { kioskCalls } from '../../electron/contract/features/kiosk';
import { appCalls } from '../../electron/contract/features/app';
import { auditCalls } from '../../electron/contract/features/audit';
import { boxOfficeCalls } from '../../electron/contract/features/box-office';
import { eTicketsCalls } from '../../electron/contract/features/e-tickets';
import { refundsCalls } from '../../electron/contract/features/refunds';
import { devicesCalls } from '../../electron/contract/features/devices';
import { formsCalls } from '../../electron/contract/features/forms';
import { shiftsCalls } from '../../electron/contract/features/shifts';
import { gateCalls } from '../../electron/contract/features/gate';
import { sessionCalls } from '../../electron/contract/features/session';
import { syncCalls } from '../../electron/contract/features/sync';
import { ModuleRegistryError, registerModules, type CoreModule, type Handler } from '../../electron/core/dispatcher';

/** A module answering the calls of one contract slice with stubs. */
function stub<K extends CallName>(name: string, slice: Record<K, unknown>): CoreModule<K> {
  const handlers = Object.fromEntries(Object.keys(slice).map((call) => [call, () => ({ answeredBy: name })])) as unknown as { [P in K]: Handler<P> };
  return { name, handlers };
}

const app = stub('app', appCalls);
const sessions = stub('sessions', sessionCalls);
const sync = stub('sync', syncCalls);
const boxOffice = stub('box-office', { ...boxOfficeCalls, ...refundsCalls });
const gate = stub('gate', gateCalls);
const devices = stub('devices', devicesCalls);
const audit = stub('audit', auditCalls);
const admin = stub('admin', { ...adminCalls, ...adminEventsCalls, ...adminTerminalsCalls, ...adminPointsCalls, ...adminImportCalls, ...adminFormsCalls, ...adminBoxOfficeCalls, ...adminBadgesCalls, ...adminKioskCalls });
const forms = stub('forms', formsCalls);
const shifts = stub('shifts', shiftsCalls);
const eTickets = stub('e-tickets', eTicketsCalls);
const badgeDesk = stub('badge-desk', badgeDeskCalls);
const kiosk = stub('kiosk', kioskCalls);

describe('module registry', () => {
  it('merges one handler per contract call from the feature modules', async () => {
    const handlers = registerModules([app, sessions, sync, boxOffice, gate, devices, audit, admin, forms, shifts, eTickets, badgeDesk, kiosk] as const);
    expect(Object.keys(handlers).sort()).toEqual([...callNames].sort());
    const ctx = { sessionId: 's', session: null };
    expect(await handlers['gate.scan']({ code: 'X' }, ctx)).toEqual({ answeredBy: 'gate' });
    expect(await handlers['boxOffice.catalog']({}, ctx)).toEqual({ answeredBy: 'box-office' });
  });

  it('does not compile with a call left unanswered or answered twice', () => {
    // Never run: these lines are here for the compiler, which must refuse each marked one.
    const compileOnly = () => {
      // @ts-expect-error gate.* and the others have no handler
      registerModules([app, sessions] as const);
      // @ts-expect-error the gate's calls are answered by two modules
      registerModules([app, sessions, sync, boxOffice, gate, devices, audit, admin, forms, shifts, eTickets, gate] as const);
      const rogue: CoreModule<'gate.scan'> = { name: 'rogue', handlers: { 'gate.scan': () => gate.handlers['gate.scan']({ code: 'X' }, { sessionId: '', session: null }) } };
      // @ts-expect-error gate.scan is answered by gate and by rogue
      registerModules([app, sessions, sync, boxOffice, gate, devices, audit, admin, forms, shifts, eTickets, rogue] as const);
    };
    expect(typeof compileOnly).toBe('function');
  });

  it('refuses at start-up a call without a handler, a call with two, and a name outside the contract', () => {
    const list = (...modules: CoreModule<CallName>[]) => modules as unknown as Parameters<typeof registerModules>[0];
    const all = [app, sessions, sync, boxOffice, gate, devices, audit, forms] as unknown as CoreModule<CallName>[];
    expect(() => registerModules(list(...all.filter((m) => m.name !== 'devices')))).toThrow(ModuleRegistryError);
    expect(() => registerModules(list(...all.filter((m) => m.name !== 'devices')))).toThrow(/no module answers devices\.list, devices\.openAll, devices\.release/);
    expect(() => registerModules(list(...all, gate as unknown as CoreModule<CallName>))).toThrow(/'gate\.scan' is answered by both gate and gate/);
    const extra = { name: 'extra', handlers: { 'fs.readFile': () => null } } as unknown as CoreModule<CallName>;
    expect(() => registerModules(list(...all, extra))).toThrow(/module extra answers 'fs\.readFile', which is not in the contract/);
  });
});
