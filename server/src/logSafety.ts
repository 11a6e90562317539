// Owns what of an error may reach a log line. Database errors carry the statement's parameters (drizzle's
// "Failed query: … params: …", in message and stack) and PostgreSQL quotes values in its messages and
// details ("value "2147483648" is out of range", "Key (code)=(…) already exists"): those are attendees'
// data, tokens' hashes, amounts. The serializer keeps the error's type, its SQL text without parameters,
// PostgreSQL's code and the names of the constraint, table and column, and the stack frames — never a
// value.

const PARAMS_LINE = /\nparams: [\s\S]*$/;
/** "…", '…' and (…)=(…) spans of PostgreSQL's messages hold values. */
const QUOTED = /"[^"]*"|'[^']*'|\)=\([^)]*\)/g;

export interface SafeError {
  type: string;
  message: string;
  code?: string;
  query?: string;
  constraint?: string;
  table?: string;
  column?: string;
  routine?: string;
  stack?: string;
  cause?: SafeError;
}

const redact = (text: string) => text.replace(PARAMS_LINE, '').replace(QUOTED, (m) => (m.startsWith(')=(') ? ')=(…)' : `${m[0]}…${m[0]}`));

/** The stack's frames only: its first line repeats the message (with any parameters in it). */
const framesOf = (stack: unknown) =>
  typeof stack === 'string'
    ? stack
        .split('\n')
        .filter((line) => /^\s+at /.test(line))
        .join('\n')
    : undefined;

export function safeError(err: unknown, depth = 0): SafeError {
  if (!(err instanceof Error) && (typeof err !== 'object' || err === null))
    return { type: typeof err, message: redact(String(err)) };
  const e = err as Error & Record<string, unknown>;
  const out: SafeError = { type: e.name ?? e.constructor?.name ?? 'Error', message: redact(String(e.message ?? '')) };
  if (typeof e.query === 'string') out.query = e.query;
  for (const key of ['code', 'constraint', 'table', 'column', 'routine'] as const) {
    const value = e[key];
    if (typeof value === 'string') out[key] = value;
  }
  const frames = framesOf(e.stack);
  if (frames) out.stack = frames;
  if (e.cause !== undefined && depth < 3) out.cause = safeError(e.cause, depth + 1);
  return out;
}
