// Owns the core host's side of the secret channel to Electron's main process (electron/contract/
// secret-channel.ts): each seal or open is one request on the utility process's port, answered by main
// with safeStorage. No `electron` import: the port is the global the utility process provides.
import { isSecretReply, type SecretReply, type SecretRequest } from '../../contract/secret-channel';
import { SealerUnavailable, type Sealer } from './store';

export type HostPort = {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
};

export function osSealer(port: HostPort, timeoutMs = 30_000): Sealer {
  const pending = new Map<number, (reply: SecretReply) => void>();
  let nextId = 1;
  port.on('message', ({ data }) => {
    if (!isSecretReply(data)) return;
    pending.get(data.id)?.(data);
    pending.delete(data.id);
  });
  const ask = (op: SecretRequest['op'], blob: Buffer) =>
    new Promise<Buffer>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('the main process did not answer a secret request'));
      }, timeoutMs);
      pending.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.ok) resolve(Buffer.from(reply.data, 'base64'));
        else reject(reply.error === 'unavailable' ? new SealerUnavailable() : new Error(`the OS key store could not ${op} a secret`));
      });
      port.postMessage({ t: 'secret', id, op, data: blob.toString('base64') } satisfies SecretRequest);
    });
  return { seal: (plain) => ask('seal', plain), open: (sealed) => ask('open', sealed) };
}
