// Owns the app slice of the contract: what a UI asks the terminal before anything else (version, shell,
// demo or not, the modes it offers).
import { z } from 'zod';
import { Mode } from '../domain';
import { call, Empty } from '../spec';

export const appCalls = {
  'app.info': call({
    input: Empty,
    output: z.object({
      version: z.string(),
      shell: z.enum(['electron', 'service']),
      demo: z.boolean(),
      modes: z.array(Mode),
    }),
    roles: 'public',
  }),
} as const;

export const appEvents = {} as const;
