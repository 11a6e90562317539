// Owns how bytes read in error details, logs and simulator records: one `hex()` for every driver and
// simulator ("aa aa 96 69", cut after `max` bytes with the full length noted), and the fixed-width hex
// of one byte and of a 16-bit USB vendor / product id.

/** Spaced lower-case hex of `bytes`; past `max` bytes it is cut and says how long the whole was. */
export function hex(bytes: Uint8Array, max = Number.POSITIVE_INFINITY): string {
  const shown = Buffer.from(bytes.subarray(0, max)).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  return bytes.length > max ? `${shown} … (${bytes.length} bytes)` : shown;
}

/** One byte as two hex digits ("0d"). */
export const hex2 = (n: number): string => (n & 0xff).toString(16).padStart(2, '0');

/** A 16-bit id as four hex digits ("0c2e"), as USB ids are written. */
export const hex4 = (n: number): string => (n & 0xffff).toString(16).padStart(4, '0');
