// Owns the typed key map of every user-visible string. `Messages` is the shape of en.ts with every leaf
// widened to string; zh-CN.ts and ru.ts are declared as `Messages`, so the compiler refuses a missing or
// an extra key, and the checks below refuse an ErrorCode or VerdictReason without a translation.
import type { DeviceStatus, ErrorCode, Mode, VerdictReason } from '../contract';
import type { en } from './locales/en';

type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof en>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export type ErrorKeysComplete = Assert<Same<keyof Messages['errors'], ErrorCode>>;
export type ReasonKeysComplete = Assert<Same<keyof Messages['reasons'], VerdictReason>>;
export type ModeKeysComplete = Assert<Same<keyof Messages['mode'], Mode>>;
export type DeviceKindKeysComplete = Assert<Same<keyof Messages['devices']['kind'], DeviceStatus['kind']>>;
export type DeviceStateKeysComplete = Assert<Same<keyof Messages['devices']['state'], DeviceStatus['state']>>;
