// Owns QR-code payment (Alipay, WeChat Pay, SBP) as PaymentPorts over a provider: authorize creates the
// payment at the provider, shows its QR payload to the customer, and waits (polling) until the
// provider says it was paid — or declined, or the wait ran out, which cancels it there; capture, void
// and refund are the provider's. The provider's HTTP API here is the simulated one's
// (drivers/payments/qr-pay-simulator.ts); a real gateway is another QrProvider.
import type { QrMethod } from '../../../domain/tender';
import { AdmitError } from '../../contract';
import { newId } from '../ids';
import { checkRefund, type Authorization, type PaymentPort, type PaymentRequest, type Refund, type RefundRequest } from './payment';

export type QrState = 'pending' | 'paid' | 'declined' | 'expired' | 'captured' | 'cancelled';

/** A QR payment provider's calls. Each throws AdmitError('payment_failed') when the provider cannot be
 *  reached or refuses. */
export interface QrProvider {
  create(req: { method: QrMethod; amountMinor: number; currency: string; reference: string }): Promise<{ id: string; qrPayload: string }>;
  state(id: string): Promise<QrState>;
  capture(id: string): Promise<void>;
  cancel(id: string): Promise<void>;
  refund(id: string, amountMinor: number): Promise<{ refundId: string }>;
}

/** What the customer is shown while a QR payment waits. */
export type QrPrompt = { method: QrMethod; orderId: string | null; amountMinor: number; currency: string; qrPayload: string };

/** A provider over HTTP (JSON): POST /v1/payments, GET /v1/payments/:id, POST …/capture, …/cancel, …/refund. */
export class HttpQrProvider implements QrProvider {
  readonly #base: string;
  readonly #timeoutMs: number;

  constructor(baseUrl: string, timeoutMs = 15_000) {
    this.#base = baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = timeoutMs;
  }

  async #call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.#base}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      throw new AdmitError(timedOut ? 'payment_timeout' : 'payment_failed', `provider: ${e instanceof Error ? e.message : String(e)}`);
    }
    const json = (await res.json().catch(() => null)) as (T & { error?: string }) | null;
    if (!res.ok || json === null) throw new AdmitError('payment_failed', `provider answered ${res.status} ${json?.error ?? ''}`.trim());
    return json;
  }

  async create(req: { method: QrMethod; amountMinor: number; currency: string; reference: string }) {
    const r = await this.#call<{ id: string; qrPayload: string }>('POST', '/v1/payments', req);
    return { id: r.id, qrPayload: r.qrPayload };
  }
  async state(id: string): Promise<QrState> {
    return (await this.#call<{ state: QrState }>('GET', `/v1/payments/${encodeURIComponent(id)}`)).state;
  }
  async capture(id: string): Promise<void> {
    await this.#call('POST', `/v1/payments/${encodeURIComponent(id)}/capture`, {});
  }
  async cancel(id: string): Promise<void> {
    await this.#call('POST', `/v1/payments/${encodeURIComponent(id)}/cancel`, {});
  }
  async refund(id: string, amountMinor: number) {
    const r = await this.#call<{ refundId: string }>('POST', `/v1/payments/${encodeURIComponent(id)}/refund`, { amountMinor });
    return { refundId: r.refundId };
  }
}

export type QrPaymentOptions = {
  /** Shows the QR to the customer (the customer display, the cashier's screen). */
  present?: (prompt: QrPrompt) => void;
  /** How often the provider is asked whether it was paid. */
  pollMs?: number;
  /** How long the customer has to pay before the payment is cancelled (payment_timeout). */
  payMs?: number;
};

export class QrPayment implements PaymentPort {
  readonly method: QrMethod;
  readonly #provider: QrProvider;
  readonly #opts: Required<Omit<QrPaymentOptions, 'present'>> & Pick<QrPaymentOptions, 'present'>;

  constructor(method: QrMethod, provider: QrProvider, opts: QrPaymentOptions = {}) {
    this.method = method;
    this.#provider = provider;
    this.#opts = { pollMs: opts.pollMs ?? 1000, payMs: opts.payMs ?? 180_000, present: opts.present };
  }

  async authorize({ amountMinor, currency, tender, orderId }: PaymentRequest): Promise<Authorization> {
    if (tender.method !== this.method) throw new AdmitError('invalid_input', `a ${tender.method} tender is not ${this.method}`);
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new AdmitError('invalid_input', `amount ${amountMinor}`);
    const created = await this.#provider.create({ method: this.method, amountMinor, currency, reference: orderId ?? '' });
    this.#opts.present?.({ method: this.method, orderId: orderId ?? null, amountMinor, currency, qrPayload: created.qrPayload });
    const started = performance.now();
    for (;;) {
      const state = await this.#provider.state(created.id);
      if (state === 'paid') break;
      if (state === 'declined' || state === 'expired' || state === 'cancelled') throw new AdmitError('payment_declined', `${this.method}: ${state}`);
      if (performance.now() - started >= this.#opts.payMs) {
        // The customer did not pay in time: cancelled at the provider so a late scan cannot pay it.
        await this.#provider.cancel(created.id).catch(() => undefined);
        throw new AdmitError('payment_timeout', `${this.method}: not paid within ${this.#opts.payMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, this.#opts.pollMs));
    }
    return { id: newId(), method: this.method, amountMinor, currency, tenderedMinor: amountMinor, changeMinor: 0, reference: created.id };
  }

  async capture(auth: Authorization): Promise<Authorization> {
    await this.#provider.capture(this.#ref(auth));
    return auth;
  }

  async void(auth: Authorization): Promise<void> {
    await this.#provider.cancel(this.#ref(auth));
  }

  async refund(request: RefundRequest): Promise<Refund> {
    checkRefund(request);
    const r = await this.#provider.refund(this.#ref(request.payment), request.amountMinor);
    return { id: r.refundId || newId(), method: this.method, amountMinor: request.amountMinor, currency: request.payment.currency, paymentId: request.payment.id };
  }

  #ref(auth: Authorization): string {
    if (!auth.reference) throw new AdmitError('payment_failed', 'a QR payment without its provider id');
    return auth.reference;
  }
}
