// An HTTP proxy for tests that can hold back one kind of request: every request and WebSocket upgrade
// goes through to the server unchanged, except requests matching `hold` while holding is on, which wait
// until release(). A terminal's outbox then stays full while it is online, for as long as a test needs.
import http from 'node:http';
import net from 'node:net';

export type HoldProxy = {
  url: string;
  port: number;
  hold(match: (method: string, path: string) => boolean): void;
  /** Sends every held request on and stops holding. */
  release(): void;
  readonly held: number;
  close(): Promise<void>;
};

export async function startHoldProxy(targetPort: number): Promise<HoldProxy> {
  let matcher: ((method: string, path: string) => boolean) | null = null;
  const waiting: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const upstream = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const server = http.createServer((req, res) => {
    if (matcher?.(req.method ?? '', (req.url ?? '').split('?')[0]!)) {
      req.pause();
      waiting.push(() => {
        req.resume();
        forward(req, res);
      });
    } else forward(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = net.connect(targetPort, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    const drop = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const release = () => {
    matcher = null;
    for (const go of waiting.splice(0)) go();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hold(match) {
      matcher = match;
    },
    release,
    get held() {
      return waiting.length;
    },
    async close() {
      release();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
