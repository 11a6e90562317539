// Owns how the box office takes money: the payment port every method implements (authorize before the
// order is made, capture once it exists, void when it could not be made, refund after), and the two
// methods that need no device: cash in the drawer, and a card on a stand-alone terminal whose approval
// the cashier confirms with its code. The integrated card terminal (card-terminal.ts) and QR pay
// (qr-pay.ts) are further PaymentPorts; the sale does not change.
import { changeFor, type Tender, type TenderMethod } from '../../../domain/tender';
import { AdmitError } from '../../contract';
import { newId } from '../ids';

/** Authorize `amountMinor` (this tender's part of the sale) for the order `orderId`. */
export type PaymentRequest = { amountMinor: number; currency: string; tender: Tender; orderId?: string };

/** Money set aside for one sale: not yet taken. */
export type Authorization = {
  id: string;
  method: TenderMethod;
  amountMinor: number;
  currency: string;
  /** What the customer handed over (cash) or the amount charged (card, QR). */
  tenderedMinor: number;
  changeMinor: number;
  /** Where the payment is known outside Admit: a terminal's receipt number, a keyed approval code, a
   *  provider's payment id (null: cash). */
  reference?: string | null;
};

export interface PaymentPort {
  readonly method: TenderMethod;
  /** Sets the amount aside, or refuses with a coded error (payment_insufficient, payment_declined,
   *  payment_timeout, payment_failed, invalid_input), in which case nothing was taken. */
  authorize(request: PaymentRequest): Promise<Authorization>;
  /** Takes an authorized amount once the order exists. */
  capture(auth: Authorization): Promise<Authorization>;
  /** Gives an authorized amount back because the order could not be made. */
  void(auth: Authorization): Promise<void>;
  /** Pays back part or all of a captured amount (a refund), to the same payment kind; refuses with a
   *  coded error (payment_failed, invalid_input) having paid nothing. */
  refund(request: RefundRequest): Promise<Refund>;
}

/** A refund of a captured payment: which one, and how much of it (at most what it took). */
export type RefundRequest = { payment: Authorization; amountMinor: number; reason: string };
/** Money paid back. */
export type Refund = { id: string; method: TenderMethod; amountMinor: number; currency: string; paymentId: string };

/** A refund the payment can take: a whole amount of minor units, more than 0, at most what it took. */
export function checkRefund({ payment, amountMinor }: RefundRequest): void {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0 || amountMinor > payment.amountMinor)
    throw new AdmitError('invalid_input', `refund of ${amountMinor} against a payment of ${payment.amountMinor}`);
}

/** Cash in the drawer: authorizing checks the tender covers its part and works out the change; capture
 *  and void are the cashier keeping the money or handing it back. */
export class CashPayment implements PaymentPort {
  readonly method = 'cash' as const;

  async authorize({ amountMinor, currency, tender }: PaymentRequest): Promise<Authorization> {
    if (tender.method !== 'cash') throw new AdmitError('invalid_input', `a ${tender.method} tender is not cash`);
    const paid = changeFor(tender, amountMinor);
    if (!paid.ok) throw paid.reason === 'insufficient' ? new AdmitError('payment_insufficient') : new AdmitError('invalid_input', paid.reason);
    return { id: newId(), method: 'cash', amountMinor, currency, tenderedMinor: paid.tenderedMinor, changeMinor: paid.changeMinor, reference: null };
  }

  async capture(auth: Authorization): Promise<Authorization> {
    return auth;
  }

  async void(): Promise<void> {
    // The cashier hands the tender back; nothing was recorded.
  }

  /** Cash back from the drawer: at most what the sale took. */
  async refund(request: RefundRequest): Promise<Refund> {
    checkRefund(request);
    return { id: newId(), method: 'cash', amountMinor: request.amountMinor, currency: request.payment.currency, paymentId: request.payment.id };
  }
}

/**
 * A card charged on a stand-alone terminal: the cashier runs the amount there, sees it approved and
 * keys the approval code, which is the authorization's reference. Voiding and refunding are done on
 * that terminal by the cashier; Admit records them against the code.
 */
export class CardManualPayment implements PaymentPort {
  readonly method = 'card_manual' as const;

  async authorize({ amountMinor, currency, tender }: PaymentRequest): Promise<Authorization> {
    if (tender.method !== 'card_manual') throw new AdmitError('invalid_input', `a ${tender.method} tender is not a manual card payment`);
    const paid = changeFor({ ...tender, amountMinor: tender.amountMinor ?? amountMinor }, amountMinor);
    if (!paid.ok) throw new AdmitError('invalid_input', paid.reason);
    return { id: newId(), method: 'card_manual', amountMinor, currency, tenderedMinor: amountMinor, changeMinor: 0, reference: tender.approvalCode.toUpperCase() };
  }

  async capture(auth: Authorization): Promise<Authorization> {
    return auth;
  }

  async void(): Promise<void> {
    // The cashier reverses it on the stand-alone terminal; the journal keeps the void.
  }

  async refund(request: RefundRequest): Promise<Refund> {
    checkRefund(request);
    return { id: newId(), method: 'card_manual', amountMinor: request.amountMinor, currency: request.payment.currency, paymentId: request.payment.id };
  }
}
