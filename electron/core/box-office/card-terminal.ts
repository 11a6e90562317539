// Owns the card payment on an integrated terminal (card_terminal): the PaymentPort over a card-terminal
// driver (ZVT over TCP: drivers/payments). The terminal charges on authorize — there is no separate
// capture — so a void is the terminal's reversal of that receipt; a terminal that never answers has
// been told to abort by the driver, and the sale sees payment_timeout with nothing taken.
import { isDriverError } from '../../../drivers';
import { AdmitError } from '../../contract';
import { newId } from '../ids';
import { checkRefund, type Authorization, type PaymentPort, type PaymentRequest, type Refund, type RefundRequest } from './payment';

/** What the port needs of a terminal's driver (ZvtTerminal has it). */
export interface CardTerminal {
  authorize(amountMinor: number, currency: string): Promise<{ receiptNumber: number | null; traceNumber: number | null; approvalCode: string | null }>;
  reverse(receiptNumber: number): Promise<unknown>;
  refund(amountMinor: number): Promise<unknown>;
  describe(): string;
}

/** A driver's failure as the error the cashier sees. */
export function terminalError(e: unknown): AdmitError {
  if (e instanceof AdmitError) return e;
  if (isDriverError(e)) {
    if (e.code === 'timeout') return new AdmitError('payment_timeout', e.detail);
    if (e.code === 'declined') return new AdmitError('payment_declined', e.detail);
    return new AdmitError('payment_failed', `${e.code}: ${e.detail}`);
  }
  return new AdmitError('payment_failed', e instanceof Error ? e.message : String(e));
}

export class CardTerminalPayment implements PaymentPort {
  readonly method = 'card_terminal' as const;
  readonly #terminal: CardTerminal;

  constructor(terminal: CardTerminal) {
    this.#terminal = terminal;
  }

  async authorize({ amountMinor, currency, tender }: PaymentRequest): Promise<Authorization> {
    if (tender.method !== 'card_terminal') throw new AdmitError('invalid_input', `a ${tender.method} tender is not a card on the terminal`);
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new AdmitError('invalid_input', `amount ${amountMinor}`);
    let paid: Awaited<ReturnType<CardTerminal['authorize']>>;
    try {
      paid = await this.#terminal.authorize(amountMinor, currency);
    } catch (e) {
      throw terminalError(e);
    }
    if (paid.receiptNumber === null) {
      // Approved without a receipt number cannot be reversed by it: not a payment Admit can stand behind.
      throw new AdmitError('payment_failed', 'approved without a receipt number');
    }
    return { id: newId(), method: 'card_terminal', amountMinor, currency, tenderedMinor: amountMinor, changeMinor: 0, reference: String(paid.receiptNumber) };
  }

  async capture(auth: Authorization): Promise<Authorization> {
    // The terminal took the money on authorize; the order existing is all capture means here.
    return auth;
  }

  async void(auth: Authorization): Promise<void> {
    const receipt = Number(auth.reference);
    if (!Number.isSafeInteger(receipt)) throw new AdmitError('payment_failed', `no receipt number to reverse: ${auth.reference ?? '-'}`);
    try {
      await this.#terminal.reverse(receipt);
    } catch (e) {
      throw terminalError(e);
    }
  }

  async refund(request: RefundRequest): Promise<Refund> {
    checkRefund(request);
    try {
      await this.#terminal.refund(request.amountMinor);
    } catch (e) {
      throw terminalError(e);
    }
    return { id: newId(), method: 'card_terminal', amountMinor: request.amountMinor, currency: request.payment.currency, paymentId: request.payment.id };
  }
}
