// The one price function of a cart (screen, core and server): totals in integer minor units, one
// currency per cart, and a clear refusal for what cannot be priced.
import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_MINOR } from '../../domain/money';
import { priceCart, type TicketPrice } from '../../domain/pricing';

const day: TicketPrice = { id: 'day', priceMinor: 4500, currency: 'EUR' };
const vip: TicketPrice = { id: 'vip', priceMinor: 12_050, currency: 'EUR' };
const free: TicketPrice = { id: 'free', priceMinor: 0, currency: 'EUR' };
const yen: TicketPrice = { id: 'yen', priceMinor: 3000, currency: 'JPY' };
const types = [day, vip, free, yen];

describe('priceCart', () => {
  it('prices every line and sums the total, in the cart currency', () => {
    const priced = priceCart(
      [
        { ticketTypeId: 'day', quantity: 2 },
        { ticketTypeId: 'vip', quantity: 1 },
        { ticketTypeId: 'free', quantity: 3 },
      ],
      types,
      'EUR',
    );
    expect(priced).toEqual({
      ok: true,
      currency: 'EUR',
      totalMinor: 21_050,
      lines: [
        { ticketTypeId: 'day', quantity: 2, unitMinor: 4500, totalMinor: 9000 },
        { ticketTypeId: 'vip', quantity: 1, unitMinor: 12_050, totalMinor: 12_050 },
        { ticketTypeId: 'free', quantity: 3, unitMinor: 0, totalMinor: 0 },
      ],
    });
  });

  it('takes the currency from the first line when none is given, and keeps repeated types as lines', () => {
    const priced = priceCart(
      [
        { ticketTypeId: 'yen', quantity: 1 },
        { ticketTypeId: 'yen', quantity: 2 },
      ],
      types,
    );
    expect(priced).toMatchObject({ ok: true, currency: 'JPY', totalMinor: 9000 });
    expect(priced.ok && priced.lines).toHaveLength(2);
  });

  it('prices an empty cart at zero when the currency is known, and refuses it otherwise', () => {
    expect(priceCart([], types, 'EUR')).toEqual({ ok: true, currency: 'EUR', totalMinor: 0, lines: [] });
    expect(priceCart([], types)).toEqual({ ok: false, reason: 'empty_cart' });
  });

  it('names the unknown ticket type', () => {
    expect(
      priceCart(
        [
          { ticketTypeId: 'day', quantity: 1 },
          { ticketTypeId: 'gone', quantity: 1 },
        ],
        types,
        'EUR',
      ),
    ).toEqual({
      ok: false,
      reason: 'unknown_ticket_type',
      ticketTypeId: 'gone',
    });
  });

  it('refuses a type in another currency than the cart', () => {
    expect(priceCart([{ ticketTypeId: 'yen', quantity: 1 }], types, 'EUR')).toEqual({
      ok: false,
      reason: 'mixed_currency',
      ticketTypeId: 'yen',
    });
    expect(
      priceCart(
        [
          { ticketTypeId: 'day', quantity: 1 },
          { ticketTypeId: 'yen', quantity: 1 },
        ],
        types,
      ),
    ).toMatchObject({
      ok: false,
      reason: 'mixed_currency',
      ticketTypeId: 'yen',
    });
  });

  it('refuses a line or a total beyond the largest amount, never wrapping or losing precision', () => {
    const dear: TicketPrice = { id: 'dear', priceMinor: 100_000_000, currency: 'EUR' };
    expect(priceCart([{ ticketTypeId: 'dear', quantity: 22 }], [dear], 'EUR')).toEqual({
      ok: false,
      reason: 'overflow',
      ticketTypeId: 'dear',
    });
    // Each line fits, their sum does not.
    const lines = Array.from({ length: 3 }, () => ({ ticketTypeId: 'dear', quantity: 8 }));
    expect(priceCart(lines, [dear], 'EUR')).toMatchObject({ ok: false, reason: 'overflow' });
    // Exactly the limit is still an amount.
    const edge: TicketPrice = { id: 'edge', priceMinor: MAX_AMOUNT_MINOR, currency: 'EUR' };
    expect(priceCart([{ ticketTypeId: 'edge', quantity: 1 }], [edge], 'EUR')).toMatchObject({
      ok: true,
      totalMinor: MAX_AMOUNT_MINOR,
    });
    const huge: TicketPrice = { id: 'huge', priceMinor: Number.MAX_SAFE_INTEGER, currency: 'EUR' };
    expect(priceCart([{ ticketTypeId: 'huge', quantity: 50 }], [huge], 'EUR')).toMatchObject({ ok: false, reason: 'overflow' });
  });

  it('refuses quantities that are not whole numbers of at least one', () => {
    for (const quantity of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(priceCart([{ ticketTypeId: 'day', quantity }], types, 'EUR')).toEqual({
        ok: false,
        reason: 'bad_quantity',
        ticketTypeId: 'day',
      });
    }
  });

  it('refuses prices that are not whole, non-negative minor units', () => {
    for (const priceMinor of [-1, 0.5, Number.NaN]) {
      const odd: TicketPrice = { id: 'odd', priceMinor, currency: 'EUR' };
      expect(priceCart([{ ticketTypeId: 'odd', quantity: 1 }], [odd], 'EUR')).toEqual({
        ok: false,
        reason: 'bad_price',
        ticketTypeId: 'odd',
      });
    }
  });
});
