// Owns the sync client's HTTP connections to its server: kept alive between requests, and dropped all
// at once when the link is known to be down. A half-open link (nothing answers, nothing closes) leaves
// idle kept-alive sockets that look healthy; a request sent on one after the link came back would wait
// for an answer that never comes. Dropping the pool when the heartbeat finds the link down makes every
// request after a reconnect go out on a fresh connection.
import http from 'node:http';
import https from 'node:https';

export type HttpReply = { status: number; ok: boolean; header(name: string): string | null; text: string; bytes: Buffer };

/** The reply's body grew past the limit the request set: the connection was dropped, nothing kept. */
export class ReplyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the reply is larger than ${limit} bytes`);
    this.name = 'ReplyTooLargeError';
  }
}

export class HttpPool {
  private agents = HttpPool.fresh();

  private static fresh() {
    return { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  }

  /** One request; the whole reply body is read (at most `maxReplyBytes`, else ReplyTooLargeError). Rejects
   *  with the signal's reason when it aborts, and with the socket's error when the connection fails. */
  request(
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string | Uint8Array; signal: AbortSignal; maxReplyBytes?: number },
  ): Promise<HttpReply> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    return new Promise<HttpReply>((resolve, reject) => {
      if (init.signal.aborted) {
        reject(init.signal.reason);
        return;
      }
      const length = init.body === undefined ? null : typeof init.body === 'string' ? Buffer.byteLength(init.body) : init.body.byteLength;
      const headers = { ...init.headers, ...(length !== null ? { 'content-length': String(length) } : {}) };
      const req = (secure ? https : http).request(target, { method: init.method, headers, agent: secure ? this.agents.https : this.agents.http });
      const onAbort = () => req.destroy(init.signal.reason instanceof Error ? init.signal.reason : new Error('aborted'));
      init.signal.addEventListener('abort', onAbort, { once: true });
      const done = () => init.signal.removeEventListener('abort', onAbort);
      req.on('error', (e) => {
        done();
        reject(tooLarge ?? (init.signal.aborted ? init.signal.reason : e));
      });
      let tooLarge: ReplyTooLargeError | null = null;
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (init.maxReplyBytes !== undefined && size > init.maxReplyBytes && tooLarge === null) {
            tooLarge = new ReplyTooLargeError(init.maxReplyBytes);
            chunks.length = 0;
            req.destroy(tooLarge);
            return;
          }
          if (tooLarge === null) chunks.push(c);
        });
        res.on('error', (e) => {
          done();
          reject(tooLarge ?? (init.signal.aborted ? init.signal.reason : e));
        });
        // Cut off before its end (the request was aborted, the connection dropped): no half-read reply.
        res.on('close', () => {
          if (res.complete) return;
          done();
          reject(tooLarge ?? (init.signal.aborted ? init.signal.reason : new Error('connection closed before the reply ended')));
        });
        res.on('end', () => {
          done();
          const status = res.statusCode ?? 0;
          const bytes = Buffer.concat(chunks);
          resolve({
            status,
            ok: status >= 200 && status < 300,
            header: (name) => {
              const v = res.headers[name.toLowerCase()];
              return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
            },
            get text() {
              return bytes.toString('utf8');
            },
            bytes,
          });
        });
      });
      req.end(init.body);
    });
  }

  /** Drops every connection, idle or busy; the next request opens a new one. */
  reset(): void {
    const old = this.agents;
    this.agents = HttpPool.fresh();
    old.http.destroy();
    old.https.destroy();
  }
}
