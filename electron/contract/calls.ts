// Owns the list of every call the UI can make into the core and every event the core pushes to the UI.
// Both bridges (Electron preload and the service-mode WebSocket) are generated from these tables, and
// the core validates each input against them before any handler runs.
import { z } from 'zod';
import { CashTender } from '../../domain/tender';
import {
  DeviceStatus,
  EventInfo,
  Mode,
  Order,
  type Role,
  Session,
  SyncStatus,
  TicketType,
  Verdict,
  CheckInPoint,
  TicketMatch,
} from './domain';

type CallSpec<I extends z.ZodType, O extends z.ZodType> = {
  input: I;
  output: O;
  /** 'public' calls need no operator; otherwise the operator's role must be listed. */
  roles: 'public' | readonly Role[];
};
const call = <I extends z.ZodType, O extends z.ZodType>(spec: CallSpec<I, O>) => spec;

const Empty = z.object({}).strict();
/** Turnstiles held open (emergency) or not, and the relays that could not be switched. */
const EmergencyState = z.object({ emergency: z.boolean(), failed: z.array(z.object({ id: z.string(), reason: z.string() })) });
/** Scanned codes are bounded: no legitimate ticket code is longer. */
export const MAX_CODE_LENGTH = 512;

export const calls = {
  'app.info': call({
    input: Empty,
    output: z.object({
      version: z.string(),
      shell: z.enum(['electron', 'service']),
      demo: z.boolean(),
      modes: z.array(Mode),
    }),
    roles: 'public',
  }),
  'session.login': call({
    input: z.object({ pin: z.string().regex(/^\d{4,8}$/) }).strict(),
    output: Session,
    roles: 'public',
  }),
  'session.logout': call({ input: Empty, output: z.object({}), roles: 'public' }),
  'session.current': call({ input: Empty, output: Session.nullable(), roles: 'public' }),
  'terminal.pair': call({
    input: z
      .object({
        serverUrl: z.string().url().max(300),
        code: z.string().regex(/^[A-Z0-9]{4}-?[A-Z0-9]{4}$/),
        terminalName: z.string().min(1).max(80),
      })
      .strict(),
    output: SyncStatus,
    roles: 'public',
  }),
  'sync.status': call({ input: Empty, output: SyncStatus, roles: 'public' }),
  'sync.now': call({ input: Empty, output: SyncStatus, roles: ['cashier', 'gate', 'badge', 'manager', 'admin'] }),
  'boxOffice.catalog': call({
    input: Empty,
    output: z.object({ event: EventInfo.nullable(), ticketTypes: z.array(TicketType) }),
    roles: ['cashier', 'manager'],
  }),
  'boxOffice.sell': call({
    input: z
      .object({
        lines: z
          .array(
            z.object({ ticketTypeId: z.string().uuid(), quantity: z.number().int().min(1).max(50) }).strict(),
          )
          .min(1)
          .max(20),
        /** Cash only: the box office has no card terminal behind it yet. */
        payment: CashTender,
      })
      .strict(),
    output: z.object({ order: Order, printed: z.boolean(), printError: z.string().nullable() }),
    roles: ['cashier', 'manager'],
  }),
  'gate.scan': call({
    input: z.object({ code: z.string().min(1).max(MAX_CODE_LENGTH) }).strict(),
    output: Verdict,
    roles: ['gate', 'manager'],
  }),
  'gate.recent': call({
    input: z.object({ limit: z.number().int().min(1).max(200) }).strict(),
    output: z.array(Verdict),
    roles: ['gate', 'manager'],
  }),
  'gate.search': call({
    input: z.object({ query: z.string().min(2).max(80) }).strict(),
    output: z.array(TicketMatch),
    roles: ['gate', 'manager'],
  }),
  'gate.admitTicket': call({
    input: z.object({ ticketId: z.string().uuid() }).strict(),
    output: Verdict,
    roles: ['gate', 'manager'],
  }),
  'gate.annul': call({
    input: z.object({ checkinId: z.string().uuid() }).strict(),
    output: z.object({ checkinId: z.string().uuid(), annulled: z.literal(true) }),
    roles: ['gate', 'manager'],
  }),
  'gate.points': call({
    input: Empty,
    output: z.object({ points: z.array(CheckInPoint), current: z.string().uuid().nullable() }),
    roles: ['gate', 'manager', 'admin'],
  }),
  'gate.setPoint': call({
    input: z.object({ pointId: z.string().uuid() }).strict(),
    output: CheckInPoint,
    roles: ['manager', 'admin'],
  }),
  'devices.list': call({ input: Empty, output: z.array(DeviceStatus), roles: ['cashier', 'gate', 'badge', 'manager', 'admin'] }),
  /** Emergency: hold every turnstile open (across reconnects) until devices.release. */
  'devices.openAll': call({ input: Empty, output: EmergencyState, roles: ['manager', 'admin'] }),
  'devices.release': call({ input: Empty, output: EmergencyState, roles: ['manager', 'admin'] }),
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Calls[K]['output']>;

export const events = {
  'scan.verdict': Verdict,
  'device.status': DeviceStatus,
  'sync.status': SyncStatus,
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];
export const isCallName = (name: unknown): name is CallName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
