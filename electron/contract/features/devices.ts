// Owns the devices slice of the contract: the terminal's devices and their status, adding and removing
// one at runtime, a read that failed at a scanner or ID reader (the gate asks for the code again), the
// emergency open-all of every turnstile, and printing as the UI sees it: why a print is still queued or failed
// (one code per cause, translated on screen) and each print job's outcome once it settles.
import { z } from 'zod';
import { DeviceStatus, ReadFaultKind } from '../domain';
import { call, Empty } from '../spec';

/** Turnstiles held open (emergency) or not, and the relays that could not be switched. */
const EmergencyState = z.object({ emergency: z.boolean(), failed: z.array(z.object({ id: z.string(), reason: z.string() })) });

/** Why a print has not (yet) come out. Queued jobs print by themselves once the cause is gone;
 *  failed ones need an operator. */
export const PRINT_REASONS = [
  /** No printer is configured on this terminal. */
  'no_printer',
  /** No printer of this terminal takes this kind of job (e.g. a receipt with only a ticket printer). */
  'no_printer_for_kind',
  'paper_out',
  'cover_open',
  'jam',
  'ribbon_out',
  /** The printer reports an error of its own. */
  'printer_error',
  /** The printer says it is offline (paused, or not ready). */
  'offline',
  /** The printer could not be reached (link down, unplugged, switched off). */
  'unreachable',
  /** Still in line when the sale stopped waiting. */
  'timeout',
  /** Sent several times without a confirmation: an operator decides. */
  'unconfirmed',
  /** The printer cannot take this document. */
  'rejected',
  /** An operator cancelled the job. */
  'cancelled',
  /** Anything else. */
  'failed',
] as const;
export const PrintReason = z.enum(PRINT_REASONS);
export type PrintReason = z.infer<typeof PrintReason>;

/** What became of a print request when the caller stopped waiting. */
export const PrintOutcome = z.discriminatedUnion('state', [
  z.object({ state: z.literal('printed'), jobIds: z.array(z.string()) }),
  /** Still in line: prints once the reason is gone (print.job says when). */
  z.object({ state: z.literal('queued'), reason: PrintReason, jobIds: z.array(z.string()) }),
  /** Will not print without an operator (or nothing was queued, e.g. no printer). */
  z.object({ state: z.literal('failed'), reason: PrintReason, jobIds: z.array(z.string()) }),
]);
export type PrintOutcome = z.infer<typeof PrintOutcome>;

/** What a print job is; the print queue's kinds must all be listed (checked in the core). */
export const PrintJobKind = z.enum(['ticket', 'receipt', 'badge']);
export type PrintJobKind = z.infer<typeof PrintJobKind>;

/** A print job settled (printed or failed) or is held in line for a reason. */
export const PrintJobEvent = z.object({
  jobId: z.string(),
  kind: PrintJobKind,
  state: z.enum(['printed', 'failed', 'queued']),
  reason: PrintReason.nullable(),
});
export type PrintJobEvent = z.infer<typeof PrintJobEvent>;

/**
 * Something was presented to a scanner or ID reader and could not be read: the screen of that lane
 * asks for it again. (The device's status counts it too.)
 */
export const ReadFaultEvent = z.object({
  deviceId: z.string(),
  deviceKind: z.enum(['scanner', 'id-reader']),
  deviceName: z.string(),
  /** The device's lane; null: the default lane. */
  lane: z.string().nullable(),
  fault: ReadFaultKind,
  at: z.string(),
});
export type ReadFaultEvent = z.infer<typeof ReadFaultEvent>;

export const devicesCalls = {
  'devices.list': call({ input: Empty, output: z.array(DeviceStatus), roles: ['cashier', 'gate', 'badge', 'manager', 'admin'] }),
  /** Emergency: hold every turnstile open (across reconnects) until devices.release. */
  'devices.openAll': call({ input: Empty, output: EmergencyState, roles: ['manager', 'admin'] }),
  'devices.release': call({ input: Empty, output: EmergencyState, roles: ['manager', 'admin'] }),
  /** Add a device to this terminal's configuration (or, with replace, change the one with its id) and
   *  start it now. `device` is one entry as the devices CLI writes it (id, name, kind, driver and the
   *  protocol's settings), validated by the core: invalid_input with the issues, nothing changed. */
  'devices.add': call({
    input: z.object({ device: z.record(z.string(), z.unknown()), replace: z.boolean().optional() }).strict(),
    output: z.array(DeviceStatus),
    roles: ['manager', 'admin'],
  }),
  /** Remove a device from this terminal's configuration and close it now (not_found: no such id). */
  'devices.remove': call({ input: z.object({ id: z.string().min(1).max(64) }).strict(), output: z.array(DeviceStatus), roles: ['manager', 'admin'] }),
  /** Read the stored configuration again (the devices CLI changed it) and bring the running devices to it. */
  'devices.reload': call({ input: Empty, output: z.array(DeviceStatus), roles: ['manager', 'admin'] }),
} as const;

export const devicesEvents = {
  'device.status': DeviceStatus,
  'device.readFault': ReadFaultEvent,
  'print.job': PrintJobEvent,
} as const;
