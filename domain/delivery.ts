// Owns the shapes of e-ticket delivery shared by the server, the terminal's core and the contract: a
// request to send an order's tickets by email or SMS, a delivery as listed on the order (address masked),
// its states and stable error codes, the organizer's mail and SMS settings (secrets write-only), and how
// an address is checked and masked.
import { z } from 'zod';
import { EVENT_LANGUAGES } from './catalog';

export const DELIVERY_CHANNELS = ['email', 'sms'] as const;
export const DeliveryChannel = z.enum(DELIVERY_CHANNELS);
export type DeliveryChannel = z.infer<typeof DeliveryChannel>;

/** queued → sending → sent; a temporary failure goes back to queued with a later attempt; a permanent
 *  one ends failed, a recipient the mail server refuses ends bounced. */
export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'failed', 'bounced'] as const;
export const DeliveryState = z.enum(DELIVERY_STATES);
export type DeliveryState = z.infer<typeof DeliveryState>;

/** Why a delivery failed or bounced, or why its last attempt did not go through. */
export const DELIVERY_ERRORS = [
  /** The mail server refused the recipient for good (5xx to RCPT TO): the address bounces. */
  'recipient_rejected',
  /** The mail server refused the message for good (5xx, not the recipient). */
  'smtp_rejected',
  /** The mail server refused the configured user and password. */
  'smtp_auth_failed',
  /** The mail server answered "try later" (4xx) until the attempts ran out. */
  'smtp_temporary',
  /** The mail server could not be reached until the attempts ran out. */
  'smtp_unreachable',
  /** The SMS provider refused the number or the message for good. */
  'sms_rejected',
  /** The SMS provider could not be reached, or answered "try later", until the attempts ran out. */
  'sms_unreachable',
  /** The channel's settings were removed before the delivery went out. */
  'not_configured',
  /** The order has no valid tickets any more (refunded or revoked before the delivery went out). */
  'no_tickets',
] as const;
export const DeliveryError = z.enum(DELIVERY_ERRORS);
export type DeliveryError = z.infer<typeof DeliveryError>;

export const DeliveryLanguage = z.enum(EVENT_LANGUAGES);
export type DeliveryLanguage = z.infer<typeof DeliveryLanguage>;

const Uuid = z.string().uuid();
export const MAX_ADDRESS_LENGTH = 254;

/** POST /v1/orders/:id/deliveries. `deliveryId` is made once by the terminal and sent again with every
 *  retry of the same request: the server answers a known id with the delivery it has (no second send). */
export const DeliveryRequest = z
  .object({
    deliveryId: Uuid,
    channel: DeliveryChannel,
    address: z.string().min(1).max(MAX_ADDRESS_LENGTH),
    language: DeliveryLanguage,
    /** The cashier or manager who asked (the server checks the role and records it). */
    operatorId: Uuid,
    /** Some of the order's tickets; absent: every valid ticket of the order. */
    ticketIds: z.array(Uuid).min(1).max(200).optional(),
  })
  .strict();
export type DeliveryRequest = z.infer<typeof DeliveryRequest>;

/** A delivery as the order lists it. The address is masked (j***@example.com, +7******4567). */
export const Delivery = z.object({
  id: Uuid,
  orderId: Uuid,
  ticketIds: z.array(Uuid),
  channel: DeliveryChannel,
  address: z.string(),
  language: DeliveryLanguage,
  state: DeliveryState,
  attempts: z.number().int().nonnegative(),
  /** Set while a temporary failure is retried, and on failed or bounced. */
  errorCode: DeliveryError.nullable(),
  /** The SMTP reply code of the last refusal (451, 550 …), when there was one. */
  replyCode: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sentAt: z.string().nullable(),
  /** When the next attempt is due (queued after a temporary failure). */
  nextAttemptAt: z.string().nullable(),
});
export type Delivery = z.infer<typeof Delivery>;
export const DeliveryResponse = z.object({ delivery: Delivery });
export const DeliveriesResponse = z.object({ deliveries: z.array(Delivery) });

// ---- settings (admin) -----------------------------------------------------------------------------
export const SMTP_SECURITY = ['tls', 'starttls', 'none'] as const;
const Host = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or address');

/** PUT /admin/v1/settings/mail. `password`: absent keeps the stored one, null removes it. */
export const MailSettingsInput = z
  .object({
    host: Host,
    port: z.number().int().min(1).max(65535),
    /** tls: TLS from the first byte (465); starttls: upgrade required (587); none: plain (local relays). */
    security: z.enum(SMTP_SECURITY),
    user: z.string().min(1).max(254).nullable(),
    password: z.string().min(1).max(1024).nullable().optional(),
    from: z.email().max(MAX_ADDRESS_LENGTH),
    fromName: z.string().min(1).max(100).nullable().default(null),
  })
  .strict();
export type MailSettingsInput = z.input<typeof MailSettingsInput>;
/** What GET answers: never the password, only whether one is stored. */
export const MailSettings = z.object({
  configured: z.boolean(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  security: z.enum(SMTP_SECURITY).nullable(),
  user: z.string().nullable(),
  passwordSet: z.boolean(),
  from: z.string().nullable(),
  fromName: z.string().nullable(),
});
export type MailSettings = z.infer<typeof MailSettings>;

/** The SMS providers the server speaks. 'simulated': the demo and test provider on 127.0.0.1. */
export const SMS_PROVIDERS = ['simulated'] as const;
/** PUT /admin/v1/settings/sms. `apiKey`: absent keeps the stored one, null removes it. */
export const SmsSettingsInput = z
  .object({
    provider: z.enum(SMS_PROVIDERS),
    url: z.url({ protocol: /^https?$/ }).max(500),
    sender: z.string().min(1).max(20),
    apiKey: z.string().min(1).max(1024).nullable().optional(),
  })
  .strict();
export type SmsSettingsInput = z.input<typeof SmsSettingsInput>;
export const SmsSettings = z.object({
  configured: z.boolean(),
  provider: z.enum(SMS_PROVIDERS).nullable(),
  url: z.string().nullable(),
  sender: z.string().nullable(),
  apiKeySet: z.boolean(),
});
export type SmsSettings = z.infer<typeof SmsSettings>;

/** POST /admin/v1/settings/mail/test: one short message through the stored settings to `to`, in
 *  `language`, so the organizer sees at once whether the server, user and password work. */
export const MailTestRequest = z.object({ to: z.email().max(MAX_ADDRESS_LENGTH), language: DeliveryLanguage.default('en') }).strict();
export type MailTestRequest = z.input<typeof MailTestRequest>;
/** Whether the mail server took the message; if not, why (the delivery's codes) and its reply code. */
export const MailTestResult = z.object({ sent: z.boolean(), error: DeliveryError.nullable(), replyCode: z.number().int().nullable() });
export type MailTestResult = z.infer<typeof MailTestResult>;

// ---- addresses -------------------------------------------------------------------------------------
const EmailAddress = z.email();
/** E.164: a plus, then 7 to 15 digits. */
const PHONE = /^\+[1-9][0-9]{6,14}$/;

/** The address in the form it is stored and sent to, or null when it cannot be one of `channel`. */
export function normalizeAddress(channel: DeliveryChannel, raw: string): string | null {
  const trimmed = raw.trim();
  if (channel === 'email') return EmailAddress.safeParse(trimmed).success ? trimmed : null;
  const phone = trimmed.replace(/[\s().-]/g, '');
  return PHONE.test(phone) ? phone : null;
}

/** An address as a list shows it: enough to recognize, not enough to collect. */
export function maskAddress(channel: DeliveryChannel, address: string): string {
  if (channel === 'sms') return address.length <= 6 ? '*'.repeat(address.length) : `${address.slice(0, 2)}${'*'.repeat(address.length - 6)}${address.slice(-4)}`;
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}
