// A cuttable network link for tests: a TCP proxy on 127.0.0.1 in front of a server. cut(ms) drops
// every open connection and refuses new ones for a while — a pulled cable, as the terminal sees it.
import net from 'node:net';

export type Link = { port: number; url: string; cut(ms: number): void; heal(): void; readonly up: boolean; close(): Promise<void> };

export async function startLink(targetPort: number): Promise<Link> {
  const sockets = new Set<net.Socket>();
  let downUntil = 0;
  const server = net.createServer((client) => {
    if (Date.now() < downUntil) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    cut(ms: number) {
      downUntil = Date.now() + ms;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    /** Ends a cut now: new connections get through again. */
    heal() {
      downUntil = 0;
    },
    get up() {
      return Date.now() >= downUntil;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
