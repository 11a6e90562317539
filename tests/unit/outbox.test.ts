// Outbox records: the terminal builds them through the domain's constructors, which validate against the
// same schema the server reads pushed records with.
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import {
  annulRecord,
  checkinRecord,
  FAILED_SCAN_CODE_MAX,
  failedScanRecord,
  PUSH_RECORD_KINDS,
  PushRecord,
} from '../../domain/outbox';

const at = '2026-05-01T10:00:00.000Z';

describe('outbox records', () => {
  it('lists every kind of the push schema', () => {
    expect(PushRecord.options.map((o) => o.shape.kind.value)).toEqual([...PUSH_RECORD_KINDS]);
  });

  it('builds check-ins, annulments and failed scans the server accepts as they are', () => {
    const records = [
      checkinRecord({ id: uuidv7(), ticketId: uuidv7(), at, pointId: null, direction: 'exit' }),
      annulRecord({ id: uuidv7(), checkinId: uuidv7(), at, reason: 'no_passage' }),
      failedScanRecord({ id: uuidv7(), code: 'T-1', ticketId: null, reason: 'unknown', at, pointId: uuidv7() }),
    ];
    expect(records.map((r) => r.kind)).toEqual(['checkin', 'annul', 'failed_scan']);
    for (const r of records) expect(PushRecord.parse(JSON.parse(JSON.stringify(r)))).toEqual(r);
  });

  it('fills the check-in defaults the server would', () => {
    expect(checkinRecord({ id: uuidv7(), ticketId: uuidv7(), at })).toMatchObject({ pointId: null, direction: 'entry' });
  });

  it('keeps what a failed scan read, cut to size and with control characters made visible', () => {
    const record = failedScanRecord({
      id: uuidv7(),
      code: 'AB\u0000C\r\n' + 'x'.repeat(600),
      ticketId: null,
      reason: 'malformed',
      at,
      pointId: null,
    });
    expect(record.code).toHaveLength(FAILED_SCAN_CODE_MAX);
    expect(record.code.startsWith('AB\ufffdC\ufffd\ufffdxxx')).toBe(true);
    // The server refuses raw control characters in a pushed record.
    expect(PushRecord.safeParse({ ...record, code: 'A\u0007' }).success).toBe(false);
  });

  it('refuses to build a record the server would refuse', () => {
    expect(() => checkinRecord({ id: 'not-a-uuid', ticketId: uuidv7(), at })).toThrow();
    expect(() => checkinRecord({ id: uuidv7(), ticketId: uuidv7(), at: 'yesterday' })).toThrow();
    expect(() => annulRecord({ id: uuidv7(), checkinId: uuidv7(), at, reason: 'bored' as 'operator' })).toThrow();
  });
});
