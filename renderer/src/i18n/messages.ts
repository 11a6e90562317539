// Owns the typed key map of every user-visible string. `Messages` is the shape of en.ts with every leaf
// widened to string; zh-CN.ts and ru.ts are declared as `Messages`, so the compiler refuses a missing or
// an extra key, and the checks below refuse an ErrorCode, VerdictReason or other contract enum value
// shown on screen (direction, re-entry rule, ticket status, print reason, device reason, read fault)
// without a translation.
import type {
  AuditAction,
  CheckInPoint,
  DeviceReason,
  KioskAlertView,
  KioskInfo,
  DeviceStatus,
  ErrorCode,
  Mode,
  PrintReason,
  ReadFaultEvent,
  TicketMatch,
  Verdict,
  VerdictReason,
} from '../contract';
import type { en } from './locales/en';

type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof en>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export type ErrorKeysComplete = Assert<Same<keyof Messages['errors'], ErrorCode>>;
export type ReasonKeysComplete = Assert<Same<keyof Messages['reasons'], VerdictReason>>;
export type PrintReasonKeysComplete = Assert<Same<keyof Messages['printReasons'], PrintReason>>;
export type ModeKeysComplete = Assert<Same<keyof Messages['mode'], Mode>>;
export type DeviceKindKeysComplete = Assert<Same<keyof Messages['devices']['kind'], DeviceStatus['kind']>>;
export type DeviceStateKeysComplete = Assert<Same<keyof Messages['devices']['state'], DeviceStatus['state']>>;
export type DeviceReasonKeysComplete = Assert<Same<keyof Messages['devices']['reason'], DeviceReason>>;
export type ReadFaultKindKeysComplete = Assert<Same<keyof Messages['readFault']['kind'], ReadFaultEvent['fault']>>;
export type ReadFaultDeviceKeysComplete = Assert<
  Same<Exclude<keyof Messages['readFault'], 'kind' | 'lane'>, ReadFaultEvent['deviceKind']>
>;
export type DirectionKeysComplete = Assert<Same<keyof Messages['gate']['direction'], Verdict['direction']>>;
export type PointDirectionKeysComplete = Assert<Same<keyof Messages['gate']['direction'], CheckInPoint['direction']>>;
export type AnnulKeysComplete = Assert<Same<keyof Messages['gate']['annul'], Verdict['direction']>>;
export type AnnulledKeysComplete = Assert<Same<keyof Messages['gate']['annulled'], Verdict['direction']>>;
export type ReentryKeysComplete = Assert<Same<keyof Messages['gate']['reentry'], CheckInPoint['reentry']>>;
export type TicketStatusKeysComplete = Assert<Same<keyof Messages['search']['ticketStatus'], TicketMatch['status']>>;
export type AuditActionKeysComplete = Assert<Same<keyof Messages['audit']['actions'], AuditAction>>;
export type KioskAlertKindKeysComplete = Assert<Same<keyof Messages['kiosk']['alertKinds'], KioskAlertView['kind']>>;
export type KioskInfoKindKeysComplete = Assert<
  Same<keyof Messages['kiosk']['info']['kinds'], KioskInfo['items'][number]['kind']>
>;
