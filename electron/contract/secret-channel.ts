// Owns the one narrow channel between Electron's main process and the core host for secrets: the core
// asks the main process (the only one where Electron's safeStorage works) to seal or open one blob,
// and nothing else. Main answers only these two verbs, on the utility process's own port.

/** The core host → main: seal (encrypt) or open (decrypt) one blob, base64. */
export type SecretRequest = { t: 'secret'; id: number; op: 'seal' | 'open'; data: string };

/** main → the core host. `unavailable`: the OS offers no key store (Linux without a keyring, where
 *  safeStorage would fall back to a fixed password), so the core keeps an owner-only file instead. */
export type SecretReply =
  | { t: 'secret'; id: number; ok: true; data: string }
  | { t: 'secret'; id: number; ok: false; error: 'unavailable' | 'failed' };

export const isSecretRequest = (m: unknown): m is SecretRequest =>
  typeof m === 'object' &&
  m !== null &&
  (m as SecretRequest).t === 'secret' &&
  Number.isInteger((m as SecretRequest).id) &&
  ((m as SecretRequest).op === 'seal' || (m as SecretRequest).op === 'open') &&
  typeof (m as SecretRequest).data === 'string';

export const isSecretReply = (m: unknown): m is SecretReply =>
  typeof m === 'object' && m !== null && (m as SecretReply).t === 'secret' && Number.isInteger((m as SecretReply).id) && typeof (m as SecretReply).ok === 'boolean';
