// Owns the sync feature as the UI sees it: pairing this terminal, its sync status and a sync on demand
// (the sync slice of the contract), over the sync client.
import { AdmitError, type SyncCall } from '../../contract';
import type { CoreModule } from '../dispatcher';
import type { SyncClient } from './client';
import type { StatusReporter } from './status-report';

export function syncModule(sync: SyncClient, statusReport?: StatusReporter): CoreModule<SyncCall> {
  return {
    name: 'sync',
    handlers: {
      'terminal.pair': async ({ serverUrl, code, terminalName }) => {
        await sync.pair(serverUrl, code, terminalName);
        sync.start();
        await sync.pull().catch(() => undefined);
        return sync.status();
      },
      'sync.status': () => sync.status(),
      'sync.now': async () => {
        if (!sync.paired) throw new AdmitError('not_paired');
        if (!sync.isOnline) throw new AdmitError('offline');
        await Promise.all([sync.pull(), sync.push()]);
        return sync.status();
      },
    },
    close: async () => {
      await statusReport?.stop();
      await sync.stop();
    },
  };
}
