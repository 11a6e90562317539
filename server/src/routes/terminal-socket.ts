// Owns what a terminal says over its WebSocket (/v1/ws) and the answers: claims (the same claim as
// POST /v1/checkins/claim, answered with the request's id so the terminal matches answer to claim) and
// pings (a heartbeat answered with the server's clock). Every answer carries the server's clock. A
// message that is too large, unreadable or not one of these is answered with an error and changes
// nothing; the socket stays open.
import type { RawData, WebSocket } from 'ws';
import {
  MAX_WS_CLAIMS_IN_FLIGHT,
  MAX_WS_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  WsTerminalMessage,
  type WsServerMessage,
} from '../../../domain/wire';
import type { ServerContext } from '../context';
import { ApiFailure } from '../errors';
import { claimTicket, storableInstant } from '../services/checkins';

export interface SocketLog {
  error(obj: object, msg: string): void;
}

const byteLength = (data: RawData): number =>
  Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;

/** A readable id of a message that failed validation, so the terminal can still match the error. */
function idOf(value: unknown): string | null {
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.length >= 1 && id.length <= 64 ? id : null;
}

export function serveTerminalSocket(ctx: ServerContext, socket: WebSocket, deviceId: string, log: SocketLog): void {
  let inFlight = 0;
  const send = (message: WsServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const fail = (id: string | null, code: string, detail?: string) =>
    send({ type: 'error', id, serverTime: ctx.now().getTime(), error: { code, ...(detail ? { detail: detail.slice(0, 500) } : {}) } });

  // The terminal learns the server's clock from the first message (and from every answer after it).
  send({ type: 'hello', serverTime: ctx.now().getTime(), protocol: PROTOCOL_VERSION });

  socket.on('message', (data, isBinary) => {
    if (isBinary) return fail(null, 'bad_message', 'text frames only');
    if (byteLength(data) > MAX_WS_MESSAGE_BYTES) return fail(null, 'payload_too_large', `message larger than ${MAX_WS_MESSAGE_BYTES} bytes`);
    let raw: unknown;
    try {
      raw = JSON.parse(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as Buffer).toString('utf8'));
    } catch {
      return fail(null, 'bad_message', 'not JSON');
    }
    const parsed = WsTerminalMessage.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(idOf(raw), 'bad_message', issue ? `${issue.path.map(String).join('.') || '(message)'}: ${issue.message}` : undefined);
    }
    const msg = parsed.data;
    if (msg.type === 'ping') return send({ type: 'pong', id: msg.id, serverTime: ctx.now().getTime() });
    if (inFlight >= MAX_WS_CLAIMS_IN_FLIGHT) return fail(msg.id, 'busy', `more than ${MAX_WS_CLAIMS_IN_FLIGHT} claims in flight`);
    if (!storableInstant(msg.claim.at)) return fail(msg.id, 'bad_request', 'at: out of range');
    inFlight++;
    claimTicket(ctx.db, deviceId, msg.claim, ctx.now(), ctx.recordTimes)
      .then(
        (outcome) => {
          ctx.hub.poke(outcome.seq);
          send({ type: 'claimed', id: msg.id, serverTime: ctx.now().getTime(), result: outcome.response });
        },
        (err: unknown) => {
          if (err instanceof ApiFailure) {
            const body = err.body();
            return fail(msg.id, body.error.code, body.error.detail);
          }
          log.error({ err }, 'claim over WebSocket failed');
          fail(msg.id, 'internal');
        },
      )
      .finally(() => inFlight--);
  });
}
