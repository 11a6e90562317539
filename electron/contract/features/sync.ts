// Owns the sync slice of the contract: pairing the terminal with a server, its sync status, a sync on
// demand, and the status pushed whenever it changes.
import { z } from 'zod';
import { SyncStatus } from '../domain';
import { call, Empty } from '../spec';

export const syncCalls = {
  'terminal.pair': call({
    input: z
      .object({
        serverUrl: z.string().url().max(300),
        code: z.string().regex(/^[A-Z0-9]{4}-?[A-Z0-9]{4}$/),
        terminalName: z.string().min(1).max(80),
      })
      .strict(),
    output: SyncStatus,
    roles: 'public',
  }),
  'sync.status': call({ input: Empty, output: SyncStatus, roles: 'public' }),
  'sync.now': call({ input: Empty, output: SyncStatus, roles: ['cashier', 'gate', 'badge', 'manager', 'admin'] }),
} as const;

export const syncEvents = {
  'sync.status': SyncStatus,
} as const;
