// Owns how the box office takes money: the payment port every method implements (authorize before the
// order is made, capture once it exists, void when it could not be made) and its cash implementation.
// A card terminal or QR pay is another PaymentPort; the sale does not change.
import { changeFor, type PaymentMethod, type Tender } from '../../../domain/tender';
import { AdmitError } from '../../contract';
import { newId } from '../ids';

export type PaymentRequest = { amountMinor: number; currency: string; tender: Tender };

/** Money set aside for one sale: not yet taken. */
export type Authorization = {
  id: string;
  method: PaymentMethod;
  amountMinor: number;
  currency: string;
  /** What the customer handed over (cash) or the amount charged (card). */
  tenderedMinor: number;
  changeMinor: number;
};

export interface PaymentPort {
  readonly method: PaymentMethod;
  /** Sets the amount aside, or refuses with a coded error (payment_insufficient, invalid_input), in
   *  which case nothing was taken. */
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
export type Refund = { id: string; method: PaymentMethod; amountMinor: number; currency: string; paymentId: string };

/** Cash in the drawer: authorizing checks the tender covers the total and works out the change; capture
 *  and void are the cashier keeping the money or handing it back. */
export class CashPayment implements PaymentPort {
  readonly method = 'cash' as const;

  async authorize({ amountMinor, currency, tender }: PaymentRequest): Promise<Authorization> {
    if (tender.method !== 'cash') throw new AdmitError('invalid_input', `a ${tender.method} tender is not cash`);
    const paid = changeFor(tender, amountMinor);
    if (!paid.ok) throw paid.reason === 'insufficient' ? new AdmitError('payment_insufficient') : new AdmitError('invalid_input', paid.reason);
    return { id: newId(), method: 'cash', amountMinor, currency, tenderedMinor: paid.tenderedMinor, changeMinor: paid.changeMinor };
  }

  async capture(auth: Authorization): Promise<Authorization> {
    return auth;
  }

  async void(): Promise<void> {
    // The cashier hands the tender back; nothing was recorded.
  }

  /** Cash back from the drawer: at most what the sale took. */
  async refund({ payment, amountMinor }: RefundRequest): Promise<Refund> {
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0 || amountMinor > payment.amountMinor)
      throw new AdmitError('invalid_input', `refund of ${amountMinor} against a payment of ${payment.amountMinor}`);
    return { id: newId(), method: 'cash', amountMinor, currency: payment.currency, paymentId: payment.id };
  }
}
