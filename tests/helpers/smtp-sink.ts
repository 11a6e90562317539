// Owns a real SMTP server for tests (smtp-server on 127.0.0.1, a random port): it keeps each message it
// accepted, parsed with mailparser, and answers recipients by their local part — bounce@… is refused for
// good (550), later@… is told to try later (451) the first time and accepted after.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  parsed: ParsedMail;
}

export interface SmtpSink {
  port: number;
  messages: ReceivedMail[];
  /** Recipients refused with a reply code, in order. */
  refusals: { to: string; code: number }[];
  events: EventEmitter<{ message: [ReceivedMail] }>;
  close(): Promise<void>;
}

const refusal = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const refusals: { to: string; code: number }[] = [];
  const events = new EventEmitter<{ message: [ReceivedMail] }>();
  const toldLater = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const local = address.address.split('@')[0]!;
      if (local === 'bounce') {
        refusals.push({ to: address.address, code: 550 });
        return callback(refusal(550, '5.1.1 no such user here'));
      }
      if (local === 'later' && !toldLater.has(address.address)) {
        toldLater.add(address.address);
        refusals.push({ to: address.address, code: 451 });
        return callback(refusal(451, '4.7.1 greylisted, try again later'));
      }
      callback();
    },
    onData(stream, session, callback) {
      // Image links kept as sent (cid:…), so a test sees which attachment the HTML shows.
      simpleParser(stream, { skipImageLinks: true }).then(
        (parsed) => {
          const mail = { to: session.envelope.rcptTo.map((r) => r.address), parsed };
          messages.push(mail);
          events.emit('message', mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, messages, refusals, events, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
