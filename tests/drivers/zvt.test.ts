// ZVT: the bytes of each command and of a terminal's Status Information against hex fixtures, then the
// driver against the simulated terminal over real TCP — approved, declined, a terminal that never
// answers (timeout, and it is told to abort), one that drops the line, and one that is not there.
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isDriverError, zvt, ZvtTerminal } from '../../drivers';
import { startZvtSimulator, type ZvtSimCommand, type ZvtSimulator } from '../../drivers/simulators';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('ZVT bytes', () => {
  it('frames APDUs with a short or an extended length', () => {
    expect(hex(zvt.ACK)).toBe('800000');
    expect(hex(zvt.encodeApdu(0x06, 0x0f))).toBe('060f00');
    const long = zvt.encodeApdu(0x04, 0x0f, Buffer.alloc(300, 0xaa));
    expect(hex(long.subarray(0, 5))).toBe('040fff2c01');
    expect(long.length).toBe(305);
  });

  it('encodes the commands the box office sends', () => {
    expect(hex(zvt.registration('000000', 'EUR'))).toBe('060006000000860978');
    expect(hex(zvt.authorization(1234, 'EUR'))).toBe('06010a04000000001234490978');
    expect(hex(zvt.authorization(999_999_999_999, 'XXX'))).toBe('06010704999999999999');
    expect(hex(zvt.reversal('000000', 12))).toBe('063006000000870012');
    expect(hex(zvt.refund('123456', 500))).toBe('06310a12345604000000000500');
    expect(hex(zvt.abort())).toBe('06b000');
    expect(hex(zvt.abortWith(0x05))).toBe('061e0105');
  });

  it('refuses amounts and passwords a terminal cannot take', () => {
    expect(() => zvt.authorization(0, 'EUR')).toThrow(RangeError);
    expect(() => zvt.authorization(1_000_000_000_000, 'EUR')).toThrow(RangeError);
    expect(() => zvt.authorization(1.5, 'EUR')).toThrow(RangeError);
    expect(() => zvt.reversal('12345', 1)).toThrow(RangeError);
    expect(() => zvt.toBcd(100, 1)).toThrow(RangeError);
  });

  it('reads a Status Information: result code, amount, trace and receipt numbers, terminal, card name, AID', () => {
    const fixture = Buffer.from(
      '040f25' + '2700' + '04000000001234' + '0b000123' + '870045' + '2912345678' + '8bf0f4' + '56495341' + '3b' + '4150313233343536',
      'hex',
    );
    const [apdu] = new zvt.ApduReader().push(fixture);
    expect(zvt.commandOf(apdu!)).toBe('statusInformation');
    expect(zvt.parseStatusInfo(apdu!.data)).toEqual({
      resultCode: 0,
      amountMinor: 1234,
      traceNumber: 123,
      receiptNumber: 45,
      terminalId: 12345678,
      currency: null,
      time: null,
      date: null,
      aid: 'AP123456',
      cardName: 'VISA',
      unread: null,
    });
  });

  it('stops at a field it cannot walk past, keeping what came before', () => {
    const info = zvt.parseStatusInfo(Buffer.from('2705' + 'fe0102' + '870001', 'hex'));
    expect(info).toMatchObject({ resultCode: 5, receiptNumber: null, unread: 0xfe });
    expect(zvt.parseStatusInfo(Buffer.from('8bf9', 'hex')).unread).toBe(0x8b);
  });

  it('splits a stream into APDUs whatever the chunks', () => {
    const reader = new zvt.ApduReader();
    const stream = Buffer.concat([zvt.ACK, Buffer.from('04ff010a', 'hex'), zvt.encodeApdu(0x04, 0x0f, Buffer.alloc(260, 1)), Buffer.from('060f00', 'hex')]);
    const got: zvt.Apdu[] = [];
    for (let i = 0; i < stream.length; i += 7) got.push(...reader.push(stream.subarray(i, i + 7)));
    expect(got.map((a) => [zvt.commandOf(a), a.data.length])).toEqual([
      ['ack', 0],
      ['intermediateStatus', 1],
      ['statusInformation', 260],
      ['completion', 0],
    ]);
    expect(reader.pending).toBe(0);
    expect(zvt.commandOf({ cls: 0x84, ins: 0x9c, data: Buffer.alloc(0) })).toBe('nak');
  });

  it('tells a card refusal from a terminal failure', () => {
    expect(zvt.isDecline(0x05)).toBe(true);
    expect(zvt.isDecline(0x33)).toBe(true);
    expect(zvt.isDecline(0x6c)).toBe(false);
    expect(zvt.isDecline(0xff)).toBe(false);
  });
});

describe('a ZVT terminal over TCP', () => {
  let sim: ZvtSimulator;
  afterEach(async () => sim?.close());
  const terminal = (extra: Partial<ConstructorParameters<typeof ZvtTerminal>[0]> = {}) => new ZvtTerminal({ host: '127.0.0.1', port: sim.port, ...extra });
  const nextCommand = (name: ZvtSimCommand['name']) => new Promise<ZvtSimCommand>((resolve) => {
    const on = (c: ZvtSimCommand) => {
      if (c.name !== name) return;
      sim.off('command', on);
      resolve(c);
    };
    sim.on('command', on);
  });

  it('registers, charges an approved card and reverses it by its receipt number', async () => {
    sim = await startZvtSimulator();
    const t = terminal();
    await t.register('EUR');
    const paid = await t.authorize(4500, 'EUR');
    expect(paid).toEqual({ resultCode: 0, amountMinor: 4500, receiptNumber: 1, traceNumber: 1001, approvalCode: 'AP1001' });
    expect(sim.commands.map((c) => c.name)).toEqual(['registration', 'authorization']);
    expect(sim.commands[1]!.hex).toBe('06010a04000000004500490978');
    await t.reverse(1);
    expect(sim.payments[0]).toMatchObject({ receiptNumber: 1, reversed: true });
    // A receipt the terminal does not know cannot be reversed.
    await expect(t.reverse(99)).rejects.toMatchObject({ code: 'refused', resultCode: 0xff });
    expect((await t.refund(1000)).amountMinor).toBe(1000);
  });

  it('reports a declined card with its result code', async () => {
    sim = await startZvtSimulator();
    sim.behaviour = 'decline';
    const err = await terminal().authorize(4500, 'EUR').catch((e: unknown) => e);
    expect(isDriverError(err, 'declined')).toBe(true);
    expect(err).toMatchObject({ resultCode: 0x05 });
  });

  it('gives up on a terminal that never answers, and tells it to abort', async () => {
    sim = await startZvtSimulator();
    sim.behaviour = 'hang';
    const aborted = nextCommand('abort');
    const err = await terminal({ ackMs: 300 }).authorize(4500, 'EUR').catch((e: unknown) => e);
    expect(isDriverError(err, 'timeout')).toBe(true);
    expect(await aborted).toMatchObject({ hex: '06b000' });
    expect(sim.payments).toEqual([]);
  });

  it('fails with disconnected when the terminal drops the line mid-command', async () => {
    sim = await startZvtSimulator();
    sim.behaviour = 'disconnect';
    const err = await terminal().authorize(4500, 'EUR').catch((e: unknown) => e);
    expect(isDriverError(err, 'disconnected')).toBe(true);
  });

  it('fails with unreachable when nothing listens there', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    sim = await startZvtSimulator();
    const err = await new ZvtTerminal({ host: '127.0.0.1', port }).authorize(100, 'EUR').catch((e: unknown) => e);
    expect(isDriverError(err, 'unreachable')).toBe(true);
  });
});
