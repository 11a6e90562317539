// Owns the kiosk-settings slice of admin mode's contract: reading and saving one event's self-service
// kiosk settings (idle reset and its countdown, the welcome screen's language, finding oneself by phone
// digits, printing a badge at check-in, where the help desk is). Admin operators only, online only; the
// server checks the operator again and keeps the audit trail (kiosk_settings_saved).
import { z } from 'zod';
import { KioskSettings } from '../../../domain/kiosk-wire';
import { call } from '../spec';

export {
  EntitlementKind,
  KIOSK_LANGUAGES,
  KioskLanguage,
  DEFAULT_KIOSK_SETTINGS,
  KioskSettings,
} from '../../../domain/kiosk-wire';

const Id = z.string().uuid();
const shape = KioskSettings.shape;

/** Limits of the numbers, for a form to check before it sends. */
export const KIOSK_IDLE_RESET_S = { min: 10, max: 600 } as const;
export const KIOSK_COUNTDOWN_S = { min: 3, max: 60 } as const;

/** Every setting, none left to a default: a save replaces the event's settings whole. */
export const KioskSettingsInput = z
  .object({
    eventId: Id,
    idleResetS: shape.idleResetS.removeDefault(),
    countdownS: shape.countdownS.removeDefault(),
    defaultLanguage: shape.defaultLanguage.removeDefault(),
    findByPhone: shape.findByPhone.removeDefault(),
    printBadge: shape.printBadge.removeDefault(),
    helpDesk: shape.helpDesk.removeDefault(),
  })
  .strict()
  .refine((s) => s.countdownS <= s.idleResetS, { message: 'the countdown is longer than the idle time', path: ['countdownS'] });
export type KioskSettingsInput = z.input<typeof KioskSettingsInput>;

export const adminKioskCalls = {
  'admin.kiosk.settings': call({ input: z.object({ eventId: Id }).strict(), output: KioskSettings, roles: ['admin'] }),
  'admin.kiosk.saveSettings': call({ input: KioskSettingsInput, output: KioskSettings, roles: ['admin'] }),
} as const;

export const adminKioskEvents = {} as const;
