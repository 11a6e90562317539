// Owns sending deliveries, in the background of the request that asked for them: each queued delivery
// is claimed (queued → sending, so two runs never send one twice), its content built, and sent through
// SMTP (nodemailer) or the SMS provider. A temporary failure (SMTP 4xx, no connection, provider busy)
// goes back to queued with the next delay of the backoff until the attempts run out (then failed); a
// permanent one ends it at once: failed, or bounced when the mail server refused the recipient (5xx to
// RCPT TO). Only the delivery's own row changes; the order and its tickets never do. Passwords and
// message bodies never reach a log line.
import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { DeliveryError, DeliveryLanguage, DeliveryState, MailTestResult } from '../../../domain/delivery';
import type { ServerContext } from '../context';
import { deliveries } from '../db/schema';
import { buildEmail, buildSms, loadOrderContent } from './content';
import { mailTransportSettings, type MailTransportSettings, smsProviderSettings } from './settings';
import { smsProviderOf } from './sms';

export interface DeliverySenderOptions {
  /** The delay before each retry of a temporary failure; its length + 1 is the number of attempts. */
  retryDelaysMs?: readonly number[];
  /** How long one SMTP exchange may take (connection, greeting, each reply). */
  smtpTimeoutMs?: number;
}

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [30_000, 120_000, 600_000, 1_800_000];
const DEFAULT_SMTP_TIMEOUT_MS = 60_000;
const BATCH = 20;

interface SenderLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

type Attempt =
  | { kind: 'sent' }
  | { kind: 'permanent'; state: Extract<DeliveryState, 'failed' | 'bounced'>; code: DeliveryError; replyCode: number | null }
  | { kind: 'temporary'; code: DeliveryError; replyCode: number | null };

type SmtpError = { responseCode?: unknown; code?: unknown; command?: unknown };

/** What a nodemailer failure means for the delivery. */
export function classifySmtpError(error: unknown): Attempt {
  const e = (error ?? {}) as SmtpError;
  const replyCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (e.code === 'EAUTH') return { kind: 'permanent', state: 'failed', code: 'smtp_auth_failed', replyCode };
  if (replyCode !== null && replyCode >= 500) {
    const recipient = e.code === 'EENVELOPE' || (typeof e.command === 'string' && /^RCPT/i.test(e.command));
    return recipient ? { kind: 'permanent', state: 'bounced', code: 'recipient_rejected', replyCode } : { kind: 'permanent', state: 'failed', code: 'smtp_rejected', replyCode };
  }
  if (replyCode !== null && replyCode >= 400) return { kind: 'temporary', code: 'smtp_temporary', replyCode };
  return { kind: 'temporary', code: 'smtp_unreachable', replyCode };
}

function transportOf(s: MailTransportSettings, timeoutMs: number) {
  return nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.security === 'tls',
    requireTLS: s.security === 'starttls',
    ignoreTLS: s.security === 'none',
    ...(s.user !== null && s.security !== 'none' ? { auth: { user: s.user, pass: s.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: false,
    debug: false,
  });
}

/** The test message's words, in each language tickets are sent in. */
const TEST_MESSAGE: Partial<Record<DeliveryLanguage, { subject: string; body: string }>> & { en: { subject: string; body: string } } = {
  en: { subject: 'Admit: test message', body: 'This test message shows that the mail settings of your box office work.' },
  'zh-CN': { subject: 'Admit：测试邮件', body: '这封测试邮件说明售票处的邮件设置可以正常使用。' },
  ru: { subject: 'Admit: тестовое письмо', body: 'Это тестовое письмо показывает, что настройки почты вашей кассы работают.' },
};

export class DeliverySender {
  readonly #retryDelaysMs: readonly number[];
  readonly #smtpTimeoutMs: number;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #closed = false;
  #recovered: Promise<void> | null = null;

  constructor(
    private readonly ctx: ServerContext,
    private readonly log: SenderLog,
    options: DeliverySenderOptions = {},
  ) {
    this.#retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.#smtpTimeoutMs = options.smtpTimeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
  }

  /** Looks for due deliveries now (after a request queued one, and at start-up). */
  kick(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#run()
      .catch((err: unknown) => this.log.warn({ err: err instanceof Error ? err.name : 'error' }, 'sending deliveries failed'))
      .finally(() => {
        this.#running = null;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  async #run(): Promise<void> {
    // A delivery a stopped server left in 'sending' is taken up again: it may go out twice, never not at all.
    this.#recovered ??= this.ctx.db
      .update(deliveries)
      .set({ state: 'queued', nextAttemptAt: null })
      .where(eq(deliveries.state, 'sending'))
      .then(() => undefined);
    await this.#recovered;
    for (;;) {
      if (this.#closed) return;
      const now = this.ctx.now();
      const due = await this.ctx.db
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(and(eq(deliveries.state, 'queued'), or(isNull(deliveries.nextAttemptAt), lte(deliveries.nextAttemptAt, now))))
        .orderBy(asc(deliveries.createdAt))
        .limit(BATCH);
      if (due.length === 0) break;
      for (const { id } of due) await this.#attempt(id);
    }
    this.#scheduleNext();
  }

  /** A timer for the earliest retry still waiting. */
  #scheduleNext(): void {
    void this.ctx.db
      .select({ at: sql<Date | string | null>`min(${deliveries.nextAttemptAt})` })
      .from(deliveries)
      .where(eq(deliveries.state, 'queued'))
      .then(([row]) => {
        if (this.#closed || !row?.at) return;
        if (this.#timer) clearTimeout(this.#timer);
        const delay = Math.max(0, new Date(row.at).getTime() - this.ctx.now().getTime());
        this.#timer = setTimeout(() => {
          this.#timer = null;
          this.kick();
        }, delay);
        this.#timer.unref();
      })
      .catch(() => undefined);
  }

  async #attempt(id: string): Promise<void> {
    const [claimed] = await this.ctx.db
      .update(deliveries)
      .set({ state: 'sending', attempts: sql`${deliveries.attempts} + 1`, updatedAt: this.ctx.now() })
      .where(and(eq(deliveries.id, id), eq(deliveries.state, 'queued')))
      .returning();
    if (!claimed) return;
    let outcome: Attempt;
    try {
      outcome = await this.#send(claimed);
    } catch (err) {
      outcome = { kind: 'temporary', code: claimed.channel === 'email' ? 'smtp_unreachable' : 'sms_unreachable', replyCode: null };
      this.log.warn({ deliveryId: id, err: err instanceof Error ? err.name : 'error' }, 'a delivery attempt failed unexpectedly');
    }
    const now = this.ctx.now();
    if (outcome.kind === 'sent') {
      await this.ctx.db.update(deliveries).set({ state: 'sent', errorCode: null, replyCode: null, nextAttemptAt: null, sentAt: now, updatedAt: now }).where(eq(deliveries.id, id));
      this.log.info({ deliveryId: id, channel: claimed.channel, attempts: claimed.attempts }, 'tickets delivered');
      return;
    }
    const delay = outcome.kind === 'temporary' ? this.#retryDelaysMs[claimed.attempts - 1] : undefined;
    if (outcome.kind === 'temporary' && delay !== undefined) {
      await this.ctx.db
        .update(deliveries)
        .set({ state: 'queued', errorCode: outcome.code, replyCode: outcome.replyCode, nextAttemptAt: new Date(now.getTime() + delay), updatedAt: now })
        .where(eq(deliveries.id, id));
      this.log.info({ deliveryId: id, code: outcome.code, replyCode: outcome.replyCode, attempts: claimed.attempts }, 'a delivery will be tried again');
      return;
    }
    const state = outcome.kind === 'permanent' ? outcome.state : 'failed';
    await this.ctx.db.update(deliveries).set({ state, errorCode: outcome.code, replyCode: outcome.replyCode, nextAttemptAt: null, updatedAt: now }).where(eq(deliveries.id, id));
    this.log.warn({ deliveryId: id, state, code: outcome.code, replyCode: outcome.replyCode, attempts: claimed.attempts }, 'a delivery did not go through');
  }

  /** One short test message to `to` through the stored mail settings, at once and only once (no retry):
   *  the organizer learns whether the server, user and password work. Nothing is queued or kept. */
  async sendTest(to: string, language: DeliveryLanguage): Promise<MailTestResult> {
    const settings = await mailTransportSettings(this.ctx.db, await this.ctx.keyring());
    if (!settings) return { sent: false, error: 'not_configured', replyCode: null };
    const text = TEST_MESSAGE[language] ?? TEST_MESSAGE.en;
    const transport = transportOf(settings, this.#smtpTimeoutMs);
    try {
      await transport.sendMail({
        from: settings.fromName ? { name: settings.fromName, address: settings.from } : settings.from,
        to,
        subject: text.subject,
        text: text.body,
        headers: { 'Content-Language': language },
      });
      return { sent: true, error: null, replyCode: null };
    } catch (err) {
      const outcome = classifySmtpError(err);
      return { sent: false, error: outcome.kind === 'sent' ? null : outcome.code, replyCode: outcome.kind === 'sent' ? null : outcome.replyCode };
    } finally {
      transport.close();
    }
  }

  async #send(row: typeof deliveries.$inferSelect): Promise<Attempt> {
    const language = row.language as DeliveryLanguage;
    const content = await loadOrderContent(this.ctx.db, row.orderId, row.ticketIds, language);
    if (!content || content.tickets.length === 0) return { kind: 'permanent', state: 'failed', code: 'no_tickets', replyCode: null };
    const keyring = await this.ctx.keyring();
    if (row.channel === 'email') {
      const settings = await mailTransportSettings(this.ctx.db, keyring);
      if (!settings) return { kind: 'permanent', state: 'failed', code: 'not_configured', replyCode: null };
      const mail = await buildEmail(content, language);
      const transport = transportOf(settings, this.#smtpTimeoutMs);
      try {
        await transport.sendMail({
          from: settings.fromName ? { name: settings.fromName, address: settings.from } : settings.from,
          to: row.address,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          attachments: mail.attachments,
          messageId: `<${row.id}@admit>`,
          headers: { 'Content-Language': language },
        });
        return { kind: 'sent' };
      } catch (err) {
        return classifySmtpError(err);
      } finally {
        transport.close();
      }
    }
    const settings = await smsProviderSettings(this.ctx.db, keyring);
    if (!settings) return { kind: 'permanent', state: 'failed', code: 'not_configured', replyCode: null };
    const result = await smsProviderOf(settings).send({ to: row.address, from: settings.sender, text: buildSms(content, language), id: row.id });
    if (result.kind === 'sent') return { kind: 'sent' };
    if (result.kind === 'rejected') return { kind: 'permanent', state: 'failed', code: 'sms_rejected', replyCode: null };
    return { kind: 'temporary', code: 'sms_unreachable', replyCode: null };
  }
}
