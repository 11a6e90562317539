// A terminal in its own process, for tests that kill one with SIGKILL: it boots a core on a data
// directory, pairs when asked, and scans codes it is sent over IPC, answering with the verdict.
import { createCore } from '../../electron/core/core';

type Msg = { type: 'pair'; url: string; code: string; name: string } | { type: 'scan'; id: number; code: string } | { type: 'stats' };

const dataDir = process.argv[2]!;
const send = (m: unknown) => process.send?.(m);

createCore({ dataDir, migrationsFolder: 'migrations/local', shell: 'service', demo: false, version: 'test', logger: { warn: () => undefined, error: () => undefined } })
  .then((core) => {
    process.on('message', (raw) => {
      const msg = raw as Msg;
      if (msg.type === 'pair') {
        core.sync
          .pair(msg.url, msg.code, msg.name)
          .then(() => {
            core.sync.start();
            return core.sync.pull();
          })
          .then(() => send({ type: 'paired' }))
          .catch((e: unknown) => send({ type: 'error', message: String(e) }));
      } else if (msg.type === 'scan') {
        core.gate
          .scan(msg.code, null)
          .then((v) => send({ type: 'verdict', id: msg.id, verdict: v }))
          .catch((e: unknown) => send({ type: 'error', id: msg.id, message: String(e) }));
      } else if (msg.type === 'stats') {
        send({ type: 'stats', outbox: core.outbox.count(), online: core.sync.isOnline, lastSeq: core.sync.lastSeq() });
      }
    });
    if (core.sync.paired) core.sync.start();
    send({ type: 'ready', paired: core.sync.paired });
  })
  .catch((e: unknown) => {
    send({ type: 'error', message: String(e) });
    process.exit(1);
  });
