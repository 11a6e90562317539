// Owns the organizer's delivery settings: the SMTP server and sender for email, the SMS provider for
// text messages. The password and the API key are sealed under the key-encryption key before they are
// stored, are never returned by a read (only whether one is set) and never logged; a write that leaves
// them out keeps the stored one.
import { eq } from 'drizzle-orm';
import type { DeliveryChannel, MailSettings, MailSettingsInput, SmsSettings, SmsSettingsInput } from '../../../domain/delivery';
import { MailSettingsInput as MailInput, SmsSettingsInput as SmsInput } from '../../../domain/delivery';
import type { ServerDb } from '../db/client';
import { deliverySettings } from '../db/schema';
import { ApiFailure } from '../errors';
import type { Keyring } from '../keyring';

type StoredMail = Omit<MailSettingsInput, 'password'> & { fromName: string | null };
type StoredSms = Omit<SmsSettingsInput, 'apiKey'>;

/** What the sender needs to reach the SMTP server (the password opened). */
export type MailTransportSettings = StoredMail & { password: string | null };
export type SmsProviderSettings = StoredSms & { apiKey: string | null };

const purposeOf = (channel: DeliveryChannel) => `delivery/${channel}`;

async function readRow(db: ServerDb, channel: DeliveryChannel) {
  const [row] = await db.select().from(deliverySettings).where(eq(deliverySettings.channel, channel));
  return row ?? null;
}

function openSecret(keyring: Keyring, channel: DeliveryChannel, sealed: string | null): string | null {
  if (sealed === null) return null;
  const plain = keyring.openSecret(purposeOf(channel), sealed);
  // A secret sealed under another key: the settings are there, the secret must be entered again.
  return plain;
}

export async function readMailSettings(db: ServerDb): Promise<MailSettings> {
  const row = await readRow(db, 'email');
  const s = row ? MailInput.omit({ password: true }).safeParse(row.settings) : null;
  if (!row || !s?.success) return { configured: false, host: null, port: null, security: null, user: null, passwordSet: false, from: null, fromName: null };
  const v = s.data;
  return { configured: true, host: v.host, port: v.port, security: v.security, user: v.user, passwordSet: row.secret !== null, from: v.from, fromName: v.fromName };
}

export async function readSmsSettings(db: ServerDb): Promise<SmsSettings> {
  const row = await readRow(db, 'sms');
  const s = row ? SmsInput.omit({ apiKey: true }).safeParse(row.settings) : null;
  if (!row || !s?.success) return { configured: false, provider: null, url: null, sender: null, apiKeySet: false };
  return { configured: true, provider: s.data.provider, url: s.data.url, sender: s.data.sender, apiKeySet: row.secret !== null };
}

/** The settings the sender uses, secrets opened; null when the channel is not set up. */
export async function mailTransportSettings(db: ServerDb, keyring: Keyring): Promise<MailTransportSettings | null> {
  const row = await readRow(db, 'email');
  const s = row ? MailInput.omit({ password: true }).safeParse(row.settings) : null;
  if (!row || !s?.success) return null;
  return { ...s.data, password: openSecret(keyring, 'email', row.secret) };
}

export async function smsProviderSettings(db: ServerDb, keyring: Keyring): Promise<SmsProviderSettings | null> {
  const row = await readRow(db, 'sms');
  const s = row ? SmsInput.omit({ apiKey: true }).safeParse(row.settings) : null;
  if (!row || !s?.success) return null;
  return { ...s.data, apiKey: openSecret(keyring, 'sms', row.secret) };
}

/** Stores settings of `channel`; `secret` undefined keeps the stored one, null removes it. */
async function store(db: ServerDb, keyring: Keyring, channel: DeliveryChannel, settings: Record<string, unknown>, secret: string | null | undefined, now: Date) {
  const sealed = secret === undefined ? undefined : secret === null ? null : keyring.sealSecret(purposeOf(channel), secret);
  await db
    .insert(deliverySettings)
    .values({ channel, settings, secret: sealed ?? null, updatedAt: now })
    .onConflictDoUpdate({ target: deliverySettings.channel, set: { settings, updatedAt: now, ...(sealed !== undefined ? { secret: sealed } : {}) } });
}

export async function writeMailSettings(db: ServerDb, keyring: Keyring, input: MailSettingsInput, now: Date): Promise<MailSettings> {
  const { password, ...rest } = MailInput.parse(input);
  if (rest.security === 'none' && password) throw new ApiFailure('bad_request', 'a password is never sent over a plain connection: choose tls or starttls');
  if (rest.user === null && password) throw new ApiFailure('bad_request', 'a password needs a user');
  await store(db, keyring, 'email', rest, rest.user === null || rest.security === 'none' ? null : password, now);
  return readMailSettings(db);
}

export async function writeSmsSettings(db: ServerDb, keyring: Keyring, input: SmsSettingsInput, now: Date): Promise<SmsSettings> {
  const { apiKey, ...rest } = SmsInput.parse(input);
  if (rest.provider === 'simulated') {
    const host = new URL(rest.url).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]')
      throw new ApiFailure('bad_request', 'the simulated SMS provider runs on this machine only (127.0.0.1)');
  }
  await store(db, keyring, 'sms', rest, apiKey, now);
  return readSmsSettings(db);
}
