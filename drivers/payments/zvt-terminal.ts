// Owns talking ZVT to a card terminal over TCP: one connection per command, the ECR's side of each
// exchange (send, wait for the ACK, acknowledge every Intermediate and Status Information, end on
// Completion or Abort), and deadlines on every wait — a terminal that never answers is given an Abort
// (06 B0) and the command fails with `timeout`, one that drops the line fails with `disconnected`. The
// caller (the core's card-terminal payment port) decides what a failure means for the money.
import { Socket } from 'node:net';
import { z } from 'zod';
import { startDeadline, type Deadline } from '../deadline';
import { DriverError } from '../errors';
import { Host, Port } from '../settings';
import * as zvt from './zvt';

export type ZvtErrorCode =
  /** The terminal could not be reached. */
  | 'unreachable'
  /** It took the line down before the command ended. */
  | 'disconnected'
  /** No ACK or no end of the command within its deadline. */
  | 'timeout'
  /** NAK, or an Abort with a result code that is not the card's bank refusing. */
  | 'refused'
  /** The card or its bank refused (Abort or Status Information with a decline code). */
  | 'declined'
  /** Bytes that are not ZVT. */
  | 'protocol';
export type ZvtError = DriverError<ZvtErrorCode> & { resultCode?: number };

/** A ZVT terminal's place on the network and its ECR password. */
export const ZvtSettings = z
  .object({
    host: Host,
    port: Port.default(20007),
    /** The ECR password the terminal is set up with (6 digits). */
    password: z.string().regex(/^\d{6}$/).default('000000'),
    /** Longest wait for the terminal to acknowledge a command. */
    ackMs: z.number().int().min(100).max(60_000).default(5_000),
    /** Longest silence while the customer pays (the terminal reports progress, which restarts it). */
    answerMs: z.number().int().min(100).max(600_000).default(120_000),
  })
  .strict();
export type ZvtSettings = z.output<typeof ZvtSettings>;
export type ZvtSettingsInput = z.input<typeof ZvtSettings>;

/** How a command that went through ended, from its Status Information. */
export type ZvtResult = { resultCode: number; amountMinor: number | null; receiptNumber: number | null; traceNumber: number | null; approvalCode: string | null };

const fail = (code: ZvtErrorCode, detail: string, resultCode?: number): ZvtError => Object.assign(new DriverError(code, detail), resultCode === undefined ? {} : { resultCode });

export class ZvtTerminal {
  readonly settings: ZvtSettings;

  constructor(settings: ZvtSettingsInput) {
    this.settings = ZvtSettings.parse(settings);
  }

  describe(): string {
    return `zvt tcp ${this.settings.host}:${this.settings.port}`;
  }

  /** Registration: the terminal takes commands from this ECR in this currency. */
  async register(currency: string): Promise<void> {
    await this.#exchange(zvt.registration(this.settings.password, currency), false);
  }

  /** Charges `amountMinor`; resolves when the terminal approved, with its receipt number. */
  authorize(amountMinor: number, currency: string): Promise<ZvtResult> {
    return this.#exchange(zvt.authorization(amountMinor, currency), true);
  }

  /** Reverses the payment with this receipt number (before the day's end: nothing is charged). */
  reverse(receiptNumber: number): Promise<ZvtResult> {
    return this.#exchange(zvt.reversal(this.settings.password, receiptNumber), true);
  }

  /** Pays `amountMinor` back to the card presented. */
  refund(amountMinor: number): Promise<ZvtResult> {
    return this.#exchange(zvt.refund(this.settings.password, amountMinor), true);
  }

  /** Asks the terminal to give up what it is doing; resolves once it acknowledged, or its deadline passed. */
  async abort(): Promise<boolean> {
    try {
      await this.#exchange(zvt.abort(), false, true);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * One command on its own connection: the command, its ACK within ackMs, then the terminal's messages
   * (each acknowledged) until Completion or Abort, never more than answerMs apart.
   */
  #exchange(command: Buffer, needsResult: boolean, ackOnly = false): Promise<ZvtResult> {
    const { host, port, ackMs, answerMs } = this.settings;
    return new Promise<ZvtResult>((resolve, reject) => {
      const socket = new Socket();
      const reader = new zvt.ApduReader();
      let acked = false;
      let status: zvt.StatusInfo | null = null;
      let finished = false;
      let deadline: Deadline | null = null;

      const finish = (error: ZvtError | null, result?: ZvtResult) => {
        if (finished) return;
        finished = true;
        deadline?.cancel();
        socket.removeAllListeners('data');
        // What was written (the last ACK) goes out before the line is closed.
        socket.end(() => socket.destroy());
        if (error) reject(error);
        else resolve(result!);
      };
      const onTimeout = () => {
        if (finished) return;
        finish(fail('timeout', acked ? `no end of the command within ${answerMs} ms` : `no ACK within ${ackMs} ms`));
        // A terminal still busy with the command is told to give it up (its own connection, best effort).
        if (!ackOnly) void this.abort();
      };
      const result = (): ZvtResult => ({
        resultCode: status?.resultCode ?? 0,
        amountMinor: status?.amountMinor ?? null,
        receiptNumber: status?.receiptNumber ?? null,
        traceNumber: status?.traceNumber ?? null,
        approvalCode: status?.aid || null,
      });

      let connected = false;
      socket.on('error', (e) => finish(fail(connected ? 'disconnected' : 'unreachable', e.message)));
      socket.on('close', () => finish(fail(connected ? 'disconnected' : 'unreachable', acked ? 'the terminal closed the line mid-command' : 'the terminal closed the line')));
      socket.on('data', (chunk) => {
        let apdus: zvt.Apdu[];
        try {
          apdus = reader.push(chunk);
        } catch (e) {
          return finish(fail('protocol', String(e)));
        }
        for (const apdu of apdus) {
          if (finished) return;
          const name = zvt.commandOf(apdu);
          if (!acked) {
            if (name === 'ack') {
              acked = true;
              if (ackOnly) return finish(null, result());
              deadline?.cancel();
              deadline = startDeadline(answerMs, onTimeout);
              continue;
            }
            if (name === 'nak') return finish(fail('refused', `NAK ${apdu.ins.toString(16).padStart(2, '0')}`));
            return finish(fail('protocol', `expected ACK, got ${apdu.cls.toString(16)} ${apdu.ins.toString(16)}`));
          }
          deadline?.restart();
          switch (name) {
            case 'intermediateStatus':
              socket.write(zvt.ACK);
              break;
            case 'statusInformation':
              status = zvt.parseStatusInfo(apdu.data);
              socket.write(zvt.ACK);
              break;
            case 'completion': {
              socket.write(zvt.ACK);
              const code = status?.resultCode ?? 0;
              if (code !== zvt.RESULT.approved) return finish(fail(zvt.isDecline(code) ? 'declined' : 'refused', `result code ${code.toString(16)}`, code));
              if (needsResult && status === null) return finish(fail('protocol', 'completion without status information'));
              return finish(null, result());
            }
            case 'abortFromTerminal': {
              socket.write(zvt.ACK);
              const code = apdu.data[0] ?? zvt.RESULT.systemError;
              return finish(fail(zvt.isDecline(code) ? 'declined' : 'refused', `aborted, result code ${code.toString(16)}`, code));
            }
            default:
              // A message Admit does not use (a print line, a menu): acknowledged and passed over.
              socket.write(zvt.ACK);
          }
        }
      });
      deadline = startDeadline(ackMs, onTimeout);
      socket.connect({ host, port }, () => {
        connected = true;
        if (!finished) socket.write(command);
      });
    });
  }
}
