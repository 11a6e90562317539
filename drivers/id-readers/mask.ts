// Owns how an ID or document number appears on screens and in the installer CLI: masked to its last
// four characters. Hashing the number for lookups is the core's job (domain/hashing.ts), not a driver's.

/** Mask an ID or document number: only the last four characters show. */
export function maskIdNumber(id: string): string {
  const clean = id.replace(/\s+/g, '');
  return clean.length <= 4 ? '*'.repeat(clean.length) : `${'*'.repeat(clean.length - 4)}${clean.slice(-4)}`;
}
