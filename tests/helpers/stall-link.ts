// A TCP proxy on 127.0.0.1 in front of a server whose link can stall without closing: a half-open
// link, as when a switch or a NAT on the way stops passing packets. stall() stops forwarding bytes in
// both directions on every connection, open or new, and keeps every socket open (a peer's close is
// not passed on either); resume() lets everything flow again, held bytes and closes included, as TCP's
// retransmissions would. blackhole() makes the stalled connections stall for good and lets new ones
// through: the old link is dead but a fresh connection is possible.
import net from 'node:net';

type Pipe = { client: net.Socket; upstream: net.Socket; stalled: boolean; held: { to: net.Socket; chunk: Buffer | null }[] };

export type StallLink = {
  port: number;
  url: string;
  /** Connections accepted so far. */
  readonly accepted: number;
  stall(): void;
  resume(): void;
  blackhole(): void;
  close(): Promise<void>;
};

export async function startStallLink(targetPort: number): Promise<StallLink> {
  const pipes = new Set<Pipe>();
  let stalled = false;
  let accepted = 0;

  /** Forwards one side to the other: passed through when flowing, held while stalled. */
  const forward = (pipe: Pipe, from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (pipe.stalled) pipe.held.push({ to, chunk });
      else to.write(chunk);
    });
    // null: the peer ended its side (FIN); passed on like a byte, in order.
    from.on('end', () => {
      if (pipe.stalled) pipe.held.push({ to, chunk: null });
      else to.end();
    });
    from.on('error', () => undefined);
    from.on('close', () => {
      if (pipe.stalled) return; // a close on the far side of a stalled link is never seen
      to.destroy();
      pipes.delete(pipe);
    });
  };

  const flush = (pipe: Pipe) => {
    pipe.stalled = false;
    for (const { to, chunk } of pipe.held.splice(0)) {
      if (chunk === null) to.end();
      else if (!to.destroyed) to.write(chunk);
    }
    // A side that closed while stalled closes the other now.
    if (pipe.client.destroyed || pipe.upstream.destroyed) {
      pipe.client.destroy();
      pipe.upstream.destroy();
      pipes.delete(pipe);
    }
  };

  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pipe: Pipe = { client, upstream, stalled, held: [] };
    pipes.add(pipe);
    forward(pipe, client, upstream);
    forward(pipe, upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    stall() {
      stalled = true;
      for (const p of pipes) p.stalled = true;
    },
    resume() {
      stalled = false;
      for (const p of [...pipes]) flush(p);
    },
    blackhole() {
      // The stalled connections stay stalled (their bytes are lost) until the proxy closes; new ones flow.
      stalled = false;
      for (const p of pipes) p.held.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const p of pipes) {
          p.client.destroy();
          p.upstream.destroy();
        }
        pipes.clear();
        server.close(() => resolve());
      }),
  };
}
