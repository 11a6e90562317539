// Owns the one event every scanner and ID-reader driver sends when a read fails: `fault`, a ReadFault
// of one kind from the closed set in domain/device-faults.ts, whatever the protocol's own error code
// (kept beside it for logs and tests). Drivers still report the same failure as a coded `error`; the
// `fault` is what the terminal counts and shows. Link trouble (io, closed, not found) is never a fault:
// the driver's status tells it.
import type { ReadFaultKind } from '../domain/device-faults';

export type { ReadFaultKind } from '../domain/device-faults';

export interface ReadFault {
  kind: ReadFaultKind;
  /** The protocol's own error code (garbled, bad_checksum, parity, …). */
  code: string;
  detail: string;
  /**
   * Something was presented (a code scanned, a card or document on the reader) and could not be read:
   * the holder should present it again. false: the reader itself failed while nothing was presented
   * (a card reader that did not answer its poll).
   */
  presented: boolean;
  at: Date;
}

/** Each protocol error code that means "this read failed", by its kind (each kind is its own code too). */
const KINDS: Readonly<Record<string, ReadFaultKind>> = {
  // Scanners (serial, HID POS, Wiegand) and MRZ lines.
  garbled: 'garbled',
  bad_length: 'garbled',
  bad_format: 'garbled',
  too_long: 'too_long',
  incomplete: 'incomplete',
  truncated: 'incomplete',
  parity: 'parity',
  // Check digits and checksums (MRZ document numbers, SAM replies, resident ID numbers).
  checksum: 'checksum',
  check_digit: 'checksum',
  bad_checksum: 'checksum',
  bad_id_number: 'checksum',
  // A card found but not read.
  unreadable: 'unreadable',
  select_failed: 'unreadable',
  bad_text: 'unreadable',
  unsupported_card: 'unreadable',
  device_error: 'unreadable',
  timeout: 'timeout',
};

/** The kind of read fault a driver error code is, or null when it is not one (link trouble, refusals). */
export function readFaultKind(code: string): ReadFaultKind | null {
  return Object.prototype.hasOwnProperty.call(KINDS, code) ? KINDS[code]! : null;
}

/** A ReadFault for a driver error code, or null when the code is not a read fault. */
export function readFault(code: string, detail: string, presented = true, at: Date = new Date()): ReadFault | null {
  const kind = readFaultKind(code);
  return kind ? { kind, code, detail, presented, at } : null;
}
