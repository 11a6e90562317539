// Owns money: an amount is an integer count of minor units with an ISO 4217 currency code, never a
// float. Also how an amount appears on screen and on receipts (localized text out) and the cashier's
// typed amount back to integer minor units: formatting hands Intl an exact decimal string and parsing
// works on the digits, so no floating-point arithmetic touches an amount.
import { z } from 'zod';

export const Currency = z.string().length(3);
/** Money is always integer minor units with an ISO 4217 currency code. */
export const Money = z.object({ amountMinor: z.number().int(), currency: Currency });
export type Money = z.infer<typeof Money>;

/** The largest amount of one order or payment: the server stores amounts as 32-bit integers. */
export const MAX_AMOUNT_MINOR = 2_147_483_647;
/** The largest amount a cashier may take as tendered cash. */
export const MAX_TENDERED_MINOR = 100_000_000;

/** An amount Admit can charge: a whole, non-negative number of minor units no larger than MAX_AMOUNT_MINOR. */
export const isAmountMinor = (amountMinor: number): boolean =>
  Number.isSafeInteger(amountMinor) && amountMinor >= 0 && amountMinor <= MAX_AMOUNT_MINOR;

const digitsCache = new Map<string, number>();

/** Minor-unit digits of a currency as Intl knows them (EUR 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string): number {
  const code = currency.toUpperCase();
  let digits = digitsCache.get(code);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(code, digits);
  }
  return digits;
}

/** Exact decimal string for an integer amount of minor units: 4500, 2 digits → "45.00". */
export function minorToDecimalString(amountMinor: number, digits: number): string {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`not an integer amount: ${amountMinor}`);
  const sign = amountMinor < 0 ? '-' : '';
  const text = String(Math.abs(amountMinor)).padStart(digits + 1, '0');
  if (digits === 0) return sign + text;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let nf = formatters.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, nf);
  }
  const exact = minorToDecimalString(amountMinor, currencyDigits(currency));
  // Intl.NumberFormat v3 formats a decimal string exactly (no binary rounding).
  return nf.format(exact as `${number}`);
}

/** "1.000.000" → "1000000"; null unless every group after the first has exactly three digits. */
function ungroup(text: string, sep: string): string | null {
  const [first = '', ...rest] = text.split(sep);
  if (!/^\d{1,3}$/.test(first) || rest.some((g) => !/^\d{3}$/.test(g))) return null;
  return first + rest.join('');
}

export type ParsedAmount =
  { ok: true; amountMinor: number } | { ok: false; reason: 'empty' | 'invalid' | 'too_many_decimals' | 'too_large' };

/**
 * Parses what a cashier typed ("50", "45.5", "45,50", "1 000,50", "1,000.50") into minor units.
 * A single separator is the decimal separator, so "1,000" in EUR is refused as too many decimals
 * rather than silently read as one thousand or as one.
 */
export function parseMoneyInput(text: string, currency: string, maxMinor = MAX_TENDERED_MINOR): ParsedAmount {
  const digits = currencyDigits(currency);
  const compact = text.trim().replace(/[\s\u00a0\u202f'’_]/g, '');
  if (compact === '') return { ok: false, reason: 'empty' };
  if (!/^[0-9.,]+$/.test(compact)) return { ok: false, reason: 'invalid' };

  let whole: string;
  let fraction = '';
  const lastDot = compact.lastIndexOf('.');
  const lastComma = compact.lastIndexOf(',');
  const dots = compact.split('.').length - 1;
  const commas = compact.split(',').length - 1;
  if (dots === 0 && commas === 0) {
    whole = compact;
  } else if (dots > 0 && commas > 0) {
    // Both present: the last one is the decimal separator, the other groups thousands.
    const decimalAt = Math.max(lastDot, lastComma);
    const group = lastDot > lastComma ? ',' : '.';
    if ((group === '.' ? commas : dots) !== 1) return { ok: false, reason: 'invalid' };
    const ungrouped = ungroup(compact.slice(0, decimalAt), group);
    if (ungrouped === null) return { ok: false, reason: 'invalid' };
    whole = ungrouped;
    fraction = compact.slice(decimalAt + 1);
  } else {
    const sep = dots > 0 ? '.' : ',';
    const count = dots > 0 ? dots : commas;
    const afterSep = compact.length - compact.lastIndexOf(sep) - 1;
    if (count > 1 || (digits === 0 && afterSep === 3)) {
      // "1.000.000" (or "1,000" in a currency without minor units): the separator can only be grouping.
      const ungrouped = ungroup(compact, sep);
      if (ungrouped === null) return { ok: false, reason: 'invalid' };
      whole = ungrouped;
    } else {
      const at = compact.indexOf(sep);
      whole = compact.slice(0, at);
      fraction = compact.slice(at + 1);
    }
  }
  if (whole === '') whole = '0';
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction)) return { ok: false, reason: 'invalid' };
  if (fraction.length > digits) return { ok: false, reason: 'too_many_decimals' };
  const wholeTrimmed = whole.replace(/^0+(?=\d)/, '');
  if (wholeTrimmed.length > 15) return { ok: false, reason: 'too_large' };
  const amountMinor = Number(wholeTrimmed + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(amountMinor) || amountMinor > maxMinor) return { ok: false, reason: 'too_large' };
  return { ok: true, amountMinor };
}
