// Owns the assembled contract: every call the UI can make into the core and every event the core pushes
// to the UI, gathered from each feature's slice (features/*). Both bridges (Electron preload and the
// service-mode WebSocket) are generated from these tables, and the core validates each input against
// them before any handler runs. A name declared by two slices is a compile error here.
import type { z } from 'zod';
import { adminCalls, adminEvents } from './features/admin';
import { adminEventsCalls, adminEventsEvents } from './features/admin-events';
import { adminPointsCalls, adminPointsEvents } from './features/admin-points';
import { adminKioskCalls, adminKioskEvents } from './features/admin-kiosk';
import { adminTerminalsCalls, adminTerminalsEvents } from './features/admin-terminals';
import { adminImportCalls, adminImportEvents } from './features/admin-import';
import { adminFormsCalls, adminFormsEvents } from './features/admin-forms';
import { adminBoxOfficeCalls, adminBoxOfficeEvents } from './features/admin-box-office';
import { appCalls, appEvents } from './features/app';
import { auditCalls, auditEvents } from './features/audit';
import { boxOfficeCalls, boxOfficeEvents } from './features/box-office';
import { eTicketsCalls, eTicketsEvents } from './features/e-tickets';
import { refundsCalls, refundsEvents } from './features/refunds';
import { devicesCalls, devicesEvents } from './features/devices';
import { formsCalls, formsEvents } from './features/forms';
import { gateCalls, gateEvents } from './features/gate';
import { sessionCalls, sessionEvents } from './features/session';
import { syncCalls, syncEvents } from './features/sync';
import { shiftsCalls, shiftsEvents } from './features/shifts';
import { badgeDeskCalls, badgeDeskEvents } from './features/badge-desk';
import { adminBadgesCalls, adminBadgesEvents } from './features/admin-badges';
import { kioskCalls, kioskEvents } from './features/kiosk';
import type { SharedKeys } from './spec';

export { MAX_CODE_LENGTH } from './features/gate';
export { AUDIT_ACTIONS, AuditChainState, AuditListEntry, type AuditAction } from './features/audit';
export { REPRINT_REASONS, ReprintReason, Shift, ShiftReport, ShiftTotals } from './features/shifts';
export { Delivery, DELIVERY_ERRORS, DELIVERY_STATES, DeliveryChannel, DeliveryError, DeliveryLanguage, DeliveryState } from './features/e-tickets';
export { AttentionSale, AttentionState, PaymentPromptEvent, SalesSettledEvent } from './features/box-office';
export { OrderView, Payout, PayoutPart, POLICY_ACTORS, RefundRow, type PolicyActor, type PolicyRule, type RefundPolicy } from './features/refunds';
export { PRINT_REASONS, PrintJobEvent, PrintJobKind, PrintOutcome, PrintReason, ReadFaultEvent } from './features/devices';
export { AdminSessionProblem, AdminStatus, StaffChange, StaffMember } from './features/admin';
export * from './features/admin-events';
export * from './features/admin-box-office';
export { AdminPoint, AdminPointsEvent, PointStaff, PointWindow } from './features/admin-points';
export * from './features/admin-kiosk';
export { AdminTerminal, PairingCode, TerminalChange, TerminalStatus } from './features/admin-terminals';
export {
  ADMIN_FILE_MAX_BYTES,
  AdminImportEvent,
  EXPORT_FORMATS,
  EXPORT_KINDS,
  EXPORT_LANGS,
  ExportFile,
  IMPORT_BUILT_IN_TARGETS,
  IMPORT_CHUNK_MAX_BYTES,
  IMPORT_REPORT_PAGE_MAX,
  ImportFileRefusal,
  ImportFormField,
  ImportJob,
  ImportMappingProblem,
  ImportProblem,
  ImportReportPage,
  ImportTarget,
  ImportUpload,
} from './features/admin-import';
export { AdminFormState, FormProblem, FormSaveOutcome, FormsCatalogEvent, FormsCatalogType } from './features/admin-forms';
export type { CallSpec } from './spec';
export * from './features/badge-desk';
export * from './features/admin-badges';
export * from './features/kiosk';
export { OperatorChoice, OperatorLockout } from './features/session';
export { TerminalForm } from './features/forms';

type CallSlices = [typeof appCalls, typeof sessionCalls, typeof syncCalls, typeof boxOfficeCalls, typeof gateCalls, typeof devicesCalls, typeof auditCalls, typeof adminCalls, typeof adminEventsCalls, typeof adminTerminalsCalls, typeof adminPointsCalls, typeof adminImportCalls, typeof adminFormsCalls, typeof adminBoxOfficeCalls, typeof formsCalls, typeof shiftsCalls, typeof eTicketsCalls, typeof refundsCalls, typeof badgeDeskCalls, typeof adminBadgesCalls, typeof kioskCalls, typeof adminKioskCalls];
type EventSlices = [typeof appEvents, typeof sessionEvents, typeof syncEvents, typeof boxOfficeEvents, typeof gateEvents, typeof devicesEvents, typeof auditEvents, typeof adminEvents, typeof adminEventsEvents, typeof adminTerminalsEvents, typeof adminPointsEvents, typeof adminImportEvents, typeof adminFormsEvents, typeof adminBoxOfficeEvents, typeof formsEvents, typeof shiftsEvents, typeof eTicketsEvents, typeof refundsEvents, typeof badgeDeskEvents, typeof adminBadgesEvents, typeof kioskEvents, typeof adminKioskEvents];
const _callNamesDisjoint: [SharedKeys<CallSlices>] extends [never] ? true : false = true;
const _eventNamesDisjoint: [SharedKeys<EventSlices>] extends [never] ? true : false = true;

export const calls = { ...appCalls, ...sessionCalls, ...syncCalls, ...boxOfficeCalls, ...gateCalls, ...devicesCalls, ...auditCalls, ...adminCalls, ...adminEventsCalls, ...adminTerminalsCalls, ...adminPointsCalls, ...adminImportCalls, ...adminFormsCalls, ...adminBoxOfficeCalls, ...formsCalls, ...shiftsCalls, ...eTicketsCalls, ...refundsCalls, ...badgeDeskCalls, ...adminBadgesCalls, ...kioskCalls, ...adminKioskCalls } as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Calls[K]['output']>;

/** The names each feature's slice declares, for the core's modules. */
export type AppCall = keyof typeof appCalls;
export type SessionCall = keyof typeof sessionCalls;
export type SyncCall = keyof typeof syncCalls;
export type BoxOfficeCall = keyof typeof boxOfficeCalls;
export type GateCall = keyof typeof gateCalls;
export type DevicesCall = keyof typeof devicesCalls;
export type AuditCall = keyof typeof auditCalls;
export type AdminCall = keyof typeof adminCalls;
export type AdminEventsCall = keyof typeof adminEventsCalls;
export type AdminTerminalsCall = keyof typeof adminTerminalsCalls;
export type AdminPointsCall = keyof typeof adminPointsCalls;
export type AdminImportCall = keyof typeof adminImportCalls;
export type AdminFormsCall = keyof typeof adminFormsCalls;
export type AdminBoxOfficeCall = keyof typeof adminBoxOfficeCalls;
export type FormsCall = keyof typeof formsCalls;
export type ShiftsCall = keyof typeof shiftsCalls;

export type ETicketsCall = keyof typeof eTicketsCalls;
export type BadgeDeskCall = keyof typeof badgeDeskCalls;
export type AdminBadgesCall = keyof typeof adminBadgesCalls;
export type KioskCall = keyof typeof kioskCalls;
export type AdminKioskCall = keyof typeof adminKioskCalls;

export const events = { ...appEvents, ...sessionEvents, ...syncEvents, ...boxOfficeEvents, ...gateEvents, ...devicesEvents, ...auditEvents, ...adminEvents, ...adminEventsEvents, ...adminTerminalsEvents, ...adminPointsEvents, ...adminImportEvents, ...adminFormsEvents, ...adminBoxOfficeEvents, ...formsEvents, ...shiftsEvents, ...eTicketsEvents, ...refundsEvents, ...badgeDeskEvents, ...adminBadgesEvents, ...kioskEvents, ...adminKioskEvents } as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];
export const isCallName = (name: unknown): name is CallName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
