// Owns the simulated SMS provider (demo mode and tests only): an HTTP server on 127.0.0.1 that takes
// POST {to, from, text, id}, keeps every message it accepted, and can be told to refuse a number for
// good (400) or to answer "try later" (503) a number of times, so the sender's outcomes can be shown.
import { createServer, type Server } from 'node:http';
import { EventEmitter } from 'node:events';

export interface SimulatedSms {
  to: string;
  from: string;
  text: string;
  id: string;
  at: Date;
}

export interface SmsSimulator {
  url: string;
  messages: SimulatedSms[];
  /** Emits 'message' with each accepted SimulatedSms. */
  events: EventEmitter<{ message: [SimulatedSms] }>;
  /** Numbers refused for good. */
  refuse: Set<string>;
  /** Answers "try later" to the next `times` messages. */
  busyFor(times: number): void;
  close(): Promise<void>;
}

export async function startSmsSimulator(options: { apiKey?: string } = {}): Promise<SmsSimulator> {
  const messages: SimulatedSms[] = [];
  const events = new EventEmitter<{ message: [SimulatedSms] }>();
  const refuse = new Set<string>();
  let busy = 0;
  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST') return reply(405, { error: 'method' });
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return reply(401, { error: 'unauthorized' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Partial<SimulatedSms>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<SimulatedSms>;
      } catch {
        return reply(400, { error: 'bad_json' });
      }
      if (typeof body.to !== 'string' || typeof body.text !== 'string' || typeof body.id !== 'string') return reply(400, { error: 'bad_message' });
      if (busy > 0) {
        busy--;
        return reply(503, { error: 'busy' });
      }
      if (refuse.has(body.to)) return reply(400, { error: 'number_refused' });
      const message: SimulatedSms = { to: body.to, from: String(body.from ?? ''), text: body.text, id: body.id, at: new Date() };
      messages.push(message);
      events.emit('message', message);
      reply(200, { id: `sim-${messages.length}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/messages`,
    messages,
    events,
    refuse,
    busyFor: (times) => {
      busy = times;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
