// Owns a simulated ZVT card terminal on 127.0.0.1 (tests and the demo): it answers Registration,
// Authorization, Reversal, Refund and Abort as a terminal does (ACK, Intermediate Status, Status
// Information with result code, amount, trace and receipt numbers, Completion; or Abort 06 1E with a
// result code), waits for the ECR's ACK of each, and can be told to approve, decline, hang (never
// answer) or disconnect (drop the line on a command). Every command it receives is recorded and emitted.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { TypedEmitter } from '../events';
import * as zvt from './zvt';

export type ZvtBehaviour = 'approve' | 'decline' | 'hang' | 'disconnect';

export type ZvtSimCommand = { name: ReturnType<typeof zvt.commandOf>; hex: string; amountMinor: number | null; receiptNumber: number | null };
/** A payment the simulated terminal approved (reversed: given back since). */
export type ZvtSimPayment = { receiptNumber: number; traceNumber: number; amountMinor: number; approvalCode: string; reversed: boolean; refund: boolean };

type Events = { command: [ZvtSimCommand]; payment: [ZvtSimPayment] };

export class ZvtSimulator extends TypedEmitter<Events> {
  behaviour: ZvtBehaviour = 'approve';
  readonly commands: ZvtSimCommand[] = [];
  readonly payments: ZvtSimPayment[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #receipt = 0;
  #trace = 1000;

  constructor(server: Server) {
    super();
    this.#server = server;
    server.on('connection', (socket) => this.#serve(socket));
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  #serve(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.on('end', () => socket.end());
    const reader = new zvt.ApduReader();
    // Terminal messages that wait for the ECR's ACK, sent one after another.
    const queue: Buffer[] = [];
    let awaitingAck = false;
    const sendNext = () => {
      const next = queue.shift();
      if (!next) return;
      awaitingAck = next[0] !== 0x80 && next[0] !== 0x84;
      socket.write(next);
      if (!awaitingAck) sendNext();
    };
    const send = (...messages: Buffer[]) => {
      queue.push(...messages);
      if (!awaitingAck) sendNext();
    };
    socket.on('data', (chunk) => {
      for (const apdu of reader.push(chunk)) {
        const name = zvt.commandOf(apdu);
        if (name === 'ack' && awaitingAck) {
          awaitingAck = false;
          sendNext();
          continue;
        }
        const fields = apdu.cls === 0x06 ? zvt.readFields(apdu.ins === 0x01 ? apdu.data : apdu.data.subarray(3)).fields : new Map<number, Buffer>();
        const amountMinor = fields.has(0x04) ? zvt.fromBcd(fields.get(0x04)!) : null;
        const receiptNumber = fields.has(0x87) ? zvt.fromBcd(fields.get(0x87)!) : null;
        const command = { name, hex: zvt.encodeApdu(apdu.cls, apdu.ins, apdu.data).toString('hex'), amountMinor, receiptNumber };
        this.commands.push(command);
        this.emit('command', command);
        if (this.behaviour === 'hang') continue;
        if (this.behaviour === 'disconnect') {
          socket.destroy();
          return;
        }
        send(zvt.ACK);
        this.#answer(name, amountMinor, receiptNumber, send);
      }
    });
  }

  #answer(name: ZvtSimCommand['name'], amountMinor: number | null, receiptNumber: number | null, send: (...m: Buffer[]) => void): void {
    const progress = zvt.encodeApdu(0x04, 0xff, Buffer.from([0x0a]));
    switch (name) {
      case 'registration':
        return send(zvt.completion());
      case 'authorization':
      case 'refund': {
        if (this.behaviour === 'decline' || amountMinor === null) return send(progress, zvt.abortWith(zvt.RESULT.declined));
        const payment = { receiptNumber: ++this.#receipt, traceNumber: ++this.#trace, amountMinor, approvalCode: `AP${this.#trace}`, reversed: false, refund: name === 'refund' };
        this.payments.push(payment);
        this.emit('payment', payment);
        return send(
          progress,
          zvt.statusInformation({ resultCode: 0, amountMinor, traceNumber: payment.traceNumber, receiptNumber: payment.receiptNumber, aid: payment.approvalCode, currency: 978 }),
          zvt.completion(),
        );
      }
      case 'reversal': {
        const payment = this.payments.find((p) => p.receiptNumber === receiptNumber && !p.reversed && !p.refund);
        if (!payment) return send(zvt.abortWith(zvt.RESULT.systemError));
        payment.reversed = true;
        return send(zvt.statusInformation({ resultCode: 0, amountMinor: payment.amountMinor, traceNumber: ++this.#trace, receiptNumber: payment.receiptNumber }), zvt.completion());
      }
      default:
        // Abort (06 B0) and anything else: the ACK was all.
        return;
    }
  }

  /** Drops every open line (a terminal switched off). */
  dropConnections(): void {
    for (const s of this.#sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A simulated terminal listening on 127.0.0.1 (port 0: any free port). */
export async function startZvtSimulator(port = 0): Promise<ZvtSimulator> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return new ZvtSimulator(server);
}
