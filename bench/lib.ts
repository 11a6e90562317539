// Shared helpers for benchmarks: percentiles, a synthetic million-ticket cache, printing figures.
import { randomBytes } from 'node:crypto';
import type { Change } from '../domain/wire';
import type { SyncClient } from '../electron/core/sync/client';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function summarize(samplesMs: number[]) {
  const s = [...samplesMs].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

export const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);

export const EVENT_ID = '0190a000-0000-7000-8000-00000000e001';
export const TYPE_IDS = ['0190a000-0000-7000-8000-00000000a001', '0190a000-0000-7000-8000-00000000a002'];

const uuid = (n: number) => `0190b000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
export const ticketCode = (prefix: string, n: number) => `${prefix}${n.toString(36).toUpperCase().padStart(8, '0')}`;

/** Fills a terminal cache with an event, two ticket types and `count` tickets, the way sync does. */
export function fillCache(sync: Pick<SyncClient, 'applyChanges'>, count: number, prefix = 'B' + randomBytes(3).toString('hex').toUpperCase()): string {
  const base: Change[] = [
    {
      seq: 1,
      kind: 'event',
      row: { id: EVENT_ID, name: { en: 'Bench' }, startsAt: '2026-01-01T00:00:00Z', endsAt: '2027-01-01T00:00:00Z', timezone: 'UTC', currency: 'EUR', no: 1, rotationPeriodS: null, idSalt: 'x' },
    },
    ...TYPE_IDS.map((id, i) => ({
      seq: 2 + i,
      kind: 'ticket_type' as const,
      row: { id, eventId: EVENT_ID, name: { en: `Type ${i}` }, priceMinor: 1000, currency: 'EUR', capacity: null, sold: 0, no: i + 1, zones: [] },
    })),
  ];
  sync.applyChanges(base, 3);
  const page = 5000;
  for (let start = 0; start < count; start += page) {
    const changes: Change[] = [];
    for (let n = start; n < Math.min(count, start + page); n++) {
      changes.push({
        seq: 10 + n,
        kind: 'ticket',
        row: {
          id: uuid(n),
          eventId: EVENT_ID,
          ticketTypeId: TYPE_IDS[n % 2]!,
          orderId: null,
          code: ticketCode(prefix, n),
          status: 'valid',
          paid: true,
          attendeeName: null,
          orderCode: null,
          phoneLast4: null,
          idHash: null,
          rotatingSecret: null,
          validFrom: null,
          validTo: null,
        },
      });
    }
    sync.applyChanges(changes, 10 + Math.min(count, start + page));
  }
  return prefix;
}
