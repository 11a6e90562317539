// Owns a simulated QR-code payment provider on 127.0.0.1 (tests and the demo; the real Alipay, WeChat
// Pay and SBP gateways are not reachable here). Over HTTP it creates a payment and answers the QR
// payload the customer scans, reports its state (pending → paid, or declined / expired), and captures,
// cancels (a void) and refunds it — the calls the core's QR payment port makes. The customer's side
// (paying, declining) is driven by the test or the demo through pay()/decline(), or automatically.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TypedEmitter } from '../events';

export type QrSimState = 'pending' | 'paid' | 'declined' | 'expired' | 'captured' | 'cancelled';
export type QrSimPayment = { id: string; method: string; amountMinor: number; currency: string; reference: string; qrPayload: string; state: QrSimState; refundedMinor: number };
/** What the simulated customers do with each QR shown: nothing until told, pay it, or decline it. */
export type QrSimCustomer = 'manual' | 'pay' | 'decline';

type Events = { created: [QrSimPayment]; changed: [QrSimPayment] };

function payloadFor(method: string, id: string, amountMinor: number, currency: string): string {
  if (method === 'qr_alipay') return `https://qr.alipay.com/sim/${id}`;
  if (method === 'qr_wechat') return `weixin://wxpay/bizpayurl?pr=${id}`;
  return `https://qr.nspk.ru/${id}?type=02&sum=${amountMinor}&cur=${currency}`;
}

export class QrPaySimulator extends TypedEmitter<Events> {
  customer: QrSimCustomer = 'manual';
  readonly payments = new Map<string, QrSimPayment>();
  readonly #server: Server;
  #seq = 0;

  constructor(server: Server) {
    super();
    this.#server = server;
    server.on('request', (req, res) => void this.#handle(req, res));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The customer scanned and paid. */
  pay(id: string): void {
    this.#move(id, 'pending', 'paid');
  }

  /** The customer's wallet refused. */
  decline(id: string): void {
    this.#move(id, 'pending', 'declined');
  }

  #move(id: string, from: QrSimState, to: QrSimState): boolean {
    const p = this.payments.get(id);
    if (!p || p.state !== from) return false;
    p.state = to;
    this.emit('changed', p);
    return true;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    let body: Record<string, unknown>;
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      return reply(400, { error: 'bad_json' });
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname.split('/').filter(Boolean);
    if (req.method === 'POST' && path.join('/') === 'v1/payments') {
      const { method, amountMinor, currency, reference } = body;
      if (typeof method !== 'string' || typeof amountMinor !== 'number' || !Number.isSafeInteger(amountMinor) || amountMinor <= 0 || typeof currency !== 'string')
        return reply(400, { error: 'bad_request' });
      const id = `sim${String(++this.#seq).padStart(6, '0')}`;
      const p: QrSimPayment = { id, method, amountMinor, currency, reference: String(reference ?? ''), qrPayload: payloadFor(method, id, amountMinor, currency), state: 'pending', refundedMinor: 0 };
      this.payments.set(id, p);
      this.emit('created', p);
      reply(201, p);
      if (this.customer === 'pay') this.pay(id);
      else if (this.customer === 'decline') this.decline(id);
      return;
    }
    const p = path[0] === 'v1' && path[1] === 'payments' && path[2] ? this.payments.get(path[2]) : undefined;
    if (!p) return reply(404, { error: 'not_found' });
    if (req.method === 'GET' && path.length === 3) return reply(200, p);
    if (req.method !== 'POST' || path.length !== 4) return reply(404, { error: 'not_found' });
    switch (path[3]) {
      case 'capture':
        if (p.state === 'captured' || this.#move(p.id, 'paid', 'captured')) return reply(200, p);
        return reply(409, { error: 'not_paid', state: p.state });
      case 'cancel':
        if (p.state === 'cancelled' || this.#move(p.id, 'pending', 'cancelled') || this.#move(p.id, 'paid', 'cancelled') || p.state === 'declined') return reply(200, p);
        return reply(409, { error: 'not_cancellable', state: p.state });
      case 'refund': {
        const amount = body.amountMinor;
        if (p.state !== 'captured') return reply(409, { error: 'not_captured', state: p.state });
        if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0 || p.refundedMinor + amount > p.amountMinor) return reply(400, { error: 'bad_amount' });
        p.refundedMinor += amount;
        this.emit('changed', p);
        return reply(200, { ...p, refundId: `${p.id}-r${p.refundedMinor}` });
      }
      default:
        return reply(404, { error: 'not_found' });
    }
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A simulated QR-pay provider on 127.0.0.1 (port 0: any free port). */
export async function startQrPaySimulator(port = 0): Promise<QrPaySimulator> {
  const server = createServer();
  const sim = new QrPaySimulator(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return sim;
}
