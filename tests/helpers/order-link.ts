// A TCP proxy on 127.0.0.1 in front of a server that loses order requests on purpose, for tests of
// sales left in flight: the reply to the next POST /v1/orders can be dropped (the server commits the
// order, the terminal never hears back), or the request itself (the server never sees it) with the
// link then kept down — every connection dropped and new ones refused — until up() is called.
import net from 'node:net';

export type OrderLink = {
  url: string;
  /** The server receives the next order request and commits it; its reply never arrives. */
  dropNextOrderReply(): void;
  /** The next order request never reaches the server, and the link stays down from then on. */
  dropNextOrderRequestAndGoDown(): void;
  up(): void;
  readonly isDown: boolean;
  /** Order requests and replies dropped so far. */
  readonly dropped: number;
  close(): Promise<void>;
};

const isOrderRequest = (d: Buffer) => d.toString('latin1').startsWith('POST /v1/orders ');

export async function startOrderLink(targetPort: number): Promise<OrderLink> {
  let dropReply = false;
  let dropRequest = false;
  let down = false;
  let dropped = 0;
  const sockets = new Set<net.Socket>();
  const dropAll = () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };
  const server = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let dropThisReply = false;
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (d: Buffer) => {
      if (dropRequest && isOrderRequest(d)) {
        dropRequest = false;
        dropped++;
        down = true;
        dropAll();
        return;
      }
      if (dropReply && isOrderRequest(d)) {
        dropReply = false;
        dropThisReply = true;
      }
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (dropThisReply) {
        dropped++;
        drop();
        return;
      }
      client.write(d);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    dropNextOrderReply: () => {
      dropReply = true;
    },
    dropNextOrderRequestAndGoDown: () => {
      dropRequest = true;
    },
    up: () => {
      down = false;
    },
    get isDown() {
      return down;
    },
    get dropped() {
      return dropped;
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
