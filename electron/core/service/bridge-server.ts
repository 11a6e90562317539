// Owns service mode's UI transport: the built renderer served on 127.0.0.1 and the bridge over a
// WebSocket. A socket must first present the per-launch token (constant-time compare) and come from
// our own origin; each socket is one UI session. Only contract envelopes are understood. Events (scan
// verdicts carry attendee names) reach a socket only while an operator is signed in on its session.
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { EventName } from '../../contract';
import type { Core } from '../core';
import { newId } from '../ids';

export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** A UI message is a small JSON envelope; anything larger is refused by the socket. */
const MAX_MESSAGE_BYTES = 64 * 1024;

export type BridgeServer = { url: string; port: number; token: string; close(): Promise<void> };

export async function startBridgeServer(
  core: { dispatch: Core['dispatch']; events: Core['events']; sessions: Pick<Core['sessions'], 'logout' | 'signedIn'> },
  opts: { rendererDir: string; port?: number; token?: string },
): Promise<BridgeServer> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const app = Fastify({ logger: false, bodyLimit: MAX_MESSAGE_BYTES });
  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_MESSAGE_BYTES } });
  app.addHook('onSend', async (req, reply) => {
    // The camera's QR reader (zxing-wasm) compiles its own .wasm: streamed compilation needs this type.
    if (req.url.split('?')[0]?.endsWith('.wasm')) reply.header('content-type', 'application/wasm');
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cross-origin-opener-policy', 'same-origin');
  });
  let origin = '';
  /** Sockets past the handshake, with the UI session each one is. */
  const sockets = new Map<{ send(data: string): void }, string>();
  const onEvent = ({ name, payload }: { name: EventName; payload: unknown }) => {
    let msg: string | null = null;
    for (const [s, sessionId] of sockets) {
      if (!core.sessions.signedIn(sessionId)) continue;
      msg ??= JSON.stringify({ t: 'event', name, payload });
      s.send(msg);
    }
  };
  core.events.on('event', onEvent);

  app.get('/bridge', { websocket: true }, (socket, req) => {
    if (req.headers.origin !== undefined && req.headers.origin !== origin) {
      socket.close(4403, 'origin');
      return;
    }
    const sessionId = newId();
    let ready = false;
    const helloTimer = setTimeout(() => socket.close(4401, 'token'), 5000);
    socket.on('message', (data: Buffer) => {
      let msg: { t?: unknown; id?: unknown; name?: unknown; input?: unknown; token?: unknown };
      try {
        msg = JSON.parse(data.toString('utf8')) as typeof msg;
      } catch {
        socket.close(4400, 'malformed');
        return;
      }
      if (!ready) {
        const given = Buffer.from(typeof msg.token === 'string' ? msg.token : '');
        if (msg.t !== 'hello' || given.length !== tokenBuf.length || !timingSafeEqual(given, tokenBuf)) {
          socket.close(4401, 'token');
          return;
        }
        ready = true;
        clearTimeout(helloTimer);
        sockets.set(socket, sessionId);
        socket.send(JSON.stringify({ t: 'ready' }));
        return;
      }
      if (msg.t !== 'call' || typeof msg.id !== 'number') {
        socket.close(4400, 'malformed');
        return;
      }
      const id = msg.id;
      void core.dispatch(sessionId, msg.name, msg.input).then((result) => {
        socket.send(JSON.stringify({ t: 'result', id, result }));
      });
    });
    socket.on('close', () => {
      clearTimeout(helloTimer);
      sockets.delete(socket);
      core.sessions.logout(sessionId);
    });
  });

  await app.register(fastifyStatic, { root: opts.rendererDir, index: 'index.html' });
  const address = await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const port = Number(new URL(address).port);
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    port,
    token,
    async close() {
      core.events.off('event', onEvent);
      await app.close();
    },
  };
}

