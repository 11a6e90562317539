// Owns the core's life inside Electron's utilityProcess: it boots the terminal and speaks the bridge
// envelopes with the main process over `process.parentPort`. No `electron` import: the port is a
// global the utility process provides.
import { bootTerminal, parseBootArgs } from '../boot';
import { osSealer } from '../secrets/os-sealer';

type ParentPort = {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
};
type HostMessage =
  | { t: 'call'; id: number; sessionId: string; name: string; input: unknown }
  | { t: 'closeSession'; sessionId: string }
  | { t: 'shutdown' };

const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!port) throw new Error('the core host must run in a utility process');

const args = parseBootArgs(process.argv.slice(2));
bootTerminal({ shell: 'electron', sealer: osSealer(port), demo: args.demo, tickets: args.tickets, ...(args.dataDir ? { dataDir: args.dataDir } : {}), ...(args.idleSignOutMs !== undefined ? { idleSignOutMs: args.idleSignOutMs } : {}) })
  .then((terminal) => {
    // An event (a verdict with an attendee's name …) goes only to windows an operator is signed in on.
    terminal.core.events.on('event', (e) => {
      const sessions = terminal.core.sessions.signedInSessions();
      if (sessions.length > 0) port.postMessage({ t: 'event', name: e.name, payload: e.payload, sessions });
    });
    port.on('message', ({ data }) => {
      const msg = data as HostMessage;
      if (msg.t === 'call') {
        void terminal.core.dispatch(msg.sessionId, msg.name, msg.input).then((result) => port.postMessage({ t: 'result', id: msg.id, result }));
      } else if (msg.t === 'closeSession') terminal.core.sessions.logout(msg.sessionId);
      else if (msg.t === 'shutdown') void terminal.shutdown().finally(() => process.exit(0));
    });
    port.postMessage({ t: 'ready', dataDir: terminal.dataDir });
  })
  .catch((e: unknown) => {
    port.postMessage({ t: 'fatal', message: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  });
