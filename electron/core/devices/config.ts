// Owns the per-terminal device configuration (which scanner, printer and relay this terminal drives),
// validated with zod and persisted in the terminal's database.
import { z } from 'zod';

export const DeviceConfig = z.discriminatedUnion('driver', [
  z.object({
    id: z.string(),
    name: z.string(),
    kind: z.literal('scanner'),
    driver: z.literal('serial-scanner'),
    path: z.string(),
    baudRate: z.number().int().default(9600),
    terminator: z.enum(['CR', 'LF', 'CRLF', 'any']).default('any'),
  }),
  z.object({
    id: z.string(),
    name: z.string(),
    kind: z.literal('relay'),
    driver: z.literal('lcus-relay'),
    path: z.string(),
    baudRate: z.number().int().default(9600),
    channel: z.number().int().min(1).max(8).default(1),
    pulseMs: z.number().int().min(50).max(5000).default(300),
  }),
  z.object({
    id: z.string(),
    name: z.string(),
    kind: z.literal('printer'),
    driver: z.literal('escpos-tcp'),
    host: z.string(),
    port: z.number().int().min(1).max(65535).default(9100),
  }),
]);
export type DeviceConfig = z.infer<typeof DeviceConfig>;
export const DeviceConfigs = z.array(DeviceConfig);
