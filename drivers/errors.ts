// Owns the one error shape every driver uses: a stable machine-readable code (for UI strings, logs and
// tests) plus a human detail, so callers branch on `code` and never parse messages.
export class DriverError<C extends string = string> extends Error {
  readonly code: C;
  readonly detail: string;
  constructor(code: C, detail: string, options?: { cause?: unknown }) {
    super(`${code}: ${detail}`, options);
    this.name = 'DriverError';
    this.code = code;
    this.detail = detail;
  }
}

export function isDriverError<C extends string = string>(e: unknown, code?: C): e is DriverError<C> {
  return e instanceof DriverError && (code === undefined || e.code === code);
}

/** Connection state of a device link, shared by every driver's `status` event. */
export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';
