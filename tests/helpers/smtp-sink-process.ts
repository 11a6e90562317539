// Owns the SMTP server a test runs as a process of its own: the smtp-sink on 127.0.0.1 (a random port),
// which says on stdout, one JSON object a line, first {"port": n} once it listens and then each message
// it accepted ({"message": {to, subject, text, messageId, attachments}} with each attachment's bytes in
// base64). It ends on SIGTERM or when its stdin closes, so it never outlives the test that started it.
import { startSmtpSink } from './smtp-sink';

export type SinkLine =
  | { port: number }
  | {
      message: {
        to: string[];
        subject: string;
        text: string;
        messageId: string;
        attachments: { filename: string; contentType: string; cid: string; base64: string }[];
      };
    };

const say = (line: SinkLine) => process.stdout.write(`${JSON.stringify(line)}\n`);

const sink = await startSmtpSink();
sink.events.on('message', (mail) =>
  say({
    message: {
      to: mail.to,
      subject: mail.parsed.subject ?? '',
      text: mail.parsed.text ?? '',
      messageId: mail.parsed.messageId ?? '',
      attachments: mail.parsed.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, cid: a.cid ?? '', base64: a.content.toString('base64') })),
    },
  }),
);
const stop = () => void sink.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
say({ port: sink.port });
