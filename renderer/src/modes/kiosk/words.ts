// Owns how the kiosk's coded facts become words: which kind screen a refusal reason shows, an alert's code
// (a printer reason, a refusal reason, a camera or scanner problem) in the reader's language, and where
// the help desk is.
import type { TFunction } from 'i18next';
import type { KioskRefusal, PrintReason, VerdictReason } from '../../contract';
import { pickLocalized, type LocalizedText } from '../../i18n/format';

export type RefusalGroup = 'unpaid' | 'used' | 'notYet' | 'expired' | 'unknownCode' | 'notFound' | 'tooMany' | 'other';

/** Every refusal reason the kiosk can meet and the screen it shows. */
export const REFUSAL_GROUP: Record<KioskRefusal['reason'], RefusalGroup> = {
  unpaid: 'unpaid',
  already_used: 'used',
  badge_printed: 'used',
  not_yet_valid: 'notYet',
  expired: 'expired',
  unknown: 'unknownCode',
  invalid_signature: 'unknownCode',
  malformed: 'unknownCode',
  ambiguous: 'unknownCode',
  not_found: 'notFound',
  too_many: 'tooMany',
  ok: 'other',
  cancelled: 'other',
  refunded: 'other',
  revoked: 'other',
  wrong_type: 'other',
  wrong_zone: 'other',
  no_entitlement: 'other',
};

const OWN_CODES = [
  'camera_denied',
  'camera_failed',
  'no_camera',
  'scanner_offline',
  'help_requested',
  'not_found',
  'too_many',
  'badge_printed',
] as const;
type OwnCode = (typeof OWN_CODES)[number];

/** An alert's code in words: the kiosk's own codes, else a printer reason, else a check-in reason. */
export function alertCodeText(t: TFunction, code: string): string {
  if ((OWN_CODES as readonly string[]).includes(code)) return t(`kiosk.alertCodes.${code as OwnCode}`);
  const printReasons = t('printReasons', { returnObjects: true }) as Record<string, string>;
  if (code in printReasons) return t(`printReasons.${code as PrintReason}`);
  const reasons = t('reasons', { returnObjects: true }) as Record<string, string>;
  if (code in reasons) return t(`reasons.${code as VerdictReason}`);
  return code;
}

/** The event's own words for its help desk, else "the help desk". */
export function helpDeskText(t: TFunction, helpDesk: LocalizedText | null, language: string): string {
  const own = pickLocalized(helpDesk, language).trim();
  return own !== '' ? own : t('kiosk.helpDeskDefault');
}
