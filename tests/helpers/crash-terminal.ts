// A box-office and gate terminal in its own process, for tests that kill it with SIGKILL mid-sale or
// mid-scan: it boots a core on a data directory, pairs and configures its receipt printer when asked,
// and sells carts (through the dispatcher, signed in as the cashier) and scans codes it is sent over
// IPC, answering with the outcome. Its database is read by the test through the file.
import { loginAs } from './login';
import { createCore } from '../../electron/core/core';

type Msg =
  | { type: 'pair'; url: string; code: string; name: string }
  | { type: 'printer'; port: number }
  | { type: 'sell'; id: number; cartId: string; lines: { ticketTypeId: string; quantity: number }[]; tenderedMinor: number }
  | { type: 'scan'; id: number; code: string }
  | { type: 'stats' };

const dataDir = process.argv[2]!;
const send = (m: unknown) => process.send?.(m);
const SESSION = 'crash-test-cashier';

createCore({
  dataDir,
  migrationsFolder: 'migrations/local',
  shell: 'service',
  demo: false,
  version: 'test',
  logger: { warn: () => undefined, error: () => undefined },
})
  .then((core) => {
    let signedIn = false;
    const signIn = async () => {
      if (signedIn) return;
      const r = await loginAs(core, SESSION, { role: 'cashier' }, '111111');
      if (!r.ok) throw new Error(`cashier sign-in refused: ${JSON.stringify(r.error)}`);
      signedIn = true;
    };
    process.on('message', (raw) => {
      const msg = raw as Msg;
      if (msg.type === 'pair') {
        core.sync
          .pair(msg.url, msg.code, msg.name)
          .then(() => {
            core.sync.start();
            return core.sync.pull();
          })
          .then(() => send({ type: 'paired', deviceId: core.sync.deviceId }))
          .catch((e: unknown) => send({ type: 'error', message: String(e) }));
      } else if (msg.type === 'printer') {
        core.configureDevices([{ id: 'till', name: 'Till printer', kind: 'printer', driver: 'escpos', transport: { type: 'tcp', host: '127.0.0.1', port: msg.port } }]);
        void core.restartDevices().then(() => send({ type: 'printer' }));
      } else if (msg.type === 'sell') {
        signIn()
          .then(() => core.dispatch(SESSION, 'boxOffice.sell', { cartId: msg.cartId, lines: msg.lines, payment: { method: 'cash', tenderedMinor: msg.tenderedMinor } }))
          .then((result) => send({ type: 'sold', id: msg.id, result }))
          .catch((e: unknown) => send({ type: 'error', id: msg.id, message: String(e) }));
      } else if (msg.type === 'scan') {
        core.gate
          .scan(msg.code, null)
          .then((v) => send({ type: 'verdict', id: msg.id, verdict: v }))
          .catch((e: unknown) => send({ type: 'error', id: msg.id, message: String(e) }));
      } else if (msg.type === 'stats') {
        send({ type: 'stats', outbox: core.outbox.count(), online: core.sync.isOnline, deviceId: core.sync.deviceId });
      }
    });
    send({ type: 'ready', paired: core.sync.paired });
  })
  .catch((e: unknown) => {
    send({ type: 'error', message: String(e) });
    process.exit(1);
  });
