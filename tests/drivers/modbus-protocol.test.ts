// The Modbus bytes (drivers/relays/modbus.ts) against literal frames: HARDWARE.md's RTU examples,
// CRC-16/MODBUS check values, exception replies, Modbus TCP headers, and the stream readers.
import { describe, expect, it } from 'vitest';
import {
  EXCEPTION,
  FC,
  RtuRequestReader,
  TcpFrameReader,
  crc16Modbus,
  crcOk,
  decodeRtuRequest,
  decodeRtuResponse,
  encodeRtuRequest,
  encodeRtuResponse,
  encodeTcpFrame,
  exceptionName,
  rtuReadInputs,
  rtuWriteCoil,
  withCrc,
  type ModbusRequest,
} from '../../drivers/relays/modbus';
import { hex, prng, randomBytes, toHex } from './helpers';

describe('CRC-16/MODBUS', () => {
  it('matches the standard check value and the HARDWARE.md frames', () => {
    expect(crc16Modbus(Buffer.from('123456789'))).toBe(0x4b37);
    expect(crc16Modbus(hex('01 05 00 00 ff 00'))).toBe(0x3a8c);
    expect(toHex(withCrc(hex('01 05 00 00 00 00')))).toBe('01 05 00 00 00 00 cd ca');
    expect(crcOk(hex('01 02 00 00 00 08 79 cc'))).toBe(true);
    expect(crcOk(hex('01 02 00 00 00 08 79 cd'))).toBe(false);
    expect(crcOk(hex('01'))).toBe(false);
  });
});

describe('RTU requests', () => {
  it('encodes the literal frames of HARDWARE.md', () => {
    expect(toHex(rtuWriteCoil(1, 0, true))).toBe('01 05 00 00 ff 00 8c 3a');
    expect(toHex(rtuWriteCoil(1, 0, false))).toBe('01 05 00 00 00 00 cd ca');
    expect(toHex(rtuReadInputs(1, 0, 8))).toBe('01 02 00 00 00 08 79 cc');
  });

  it('encodes write multiple coils with packed bits, LSB first', () => {
    const req: ModbusRequest = { unit: 1, fc: FC.writeMultipleCoils, address: 0, states: [true, false, true, true, false, false, false, false, true] };
    // 0x0d = coils 0, 2, 3; 0x01 = coil 8
    expect(toHex(encodeRtuRequest(req))).toBe(toHex(withCrc(hex('01 0f 00 00 00 09 02 0d 01'))));
  });

  it('decodes what it encodes', () => {
    for (const f of ['01 05 00 00 ff 00 8c 3a', '01 05 00 00 00 00 cd ca', '01 02 00 00 00 08 79 cc']) {
      const d = decodeRtuRequest(hex(f));
      expect(d.ok).toBe(true);
      if (d.ok) expect(toHex(encodeRtuRequest(d.value))).toBe(f);
    }
    expect(decodeRtuRequest(hex('01 05 00 00 ff 00 8c 3a'))).toMatchObject({ ok: true, value: { unit: 1, fc: 5, address: 0, on: true } });
  });

  it('rejects a bad CRC, a bad coil value and a short frame with codes', () => {
    expect(decodeRtuRequest(hex('01 05 00 00 ff 00 8c 3b'))).toMatchObject({ ok: false, error: { code: 'bad_crc' } });
    expect(decodeRtuRequest(withCrc(hex('01 05 00 00 12 34')))).toMatchObject({ ok: false, error: { code: 'bad_value' } });
    expect(decodeRtuRequest(hex('01 05 00'))).toMatchObject({ ok: false, error: { code: 'bad_length' } });
    expect(decodeRtuRequest(withCrc(hex('01 02 00 00 00 00')))).toMatchObject({ ok: false, error: { code: 'bad_value' } });
  });

  it('passes an unknown function through as unsupported (a slave answers illegal function)', () => {
    expect(decodeRtuRequest(withCrc(hex('01 2b 0e 01 00')))).toMatchObject({ ok: true, value: { unit: 1, fc: 0x2b, unsupported: true } });
  });
});

describe('RTU replies', () => {
  const readInputs: ModbusRequest = { unit: 1, fc: FC.readDiscreteInputs, address: 0, count: 8 };
  const coilOn: ModbusRequest = { unit: 1, fc: FC.writeSingleCoil, address: 0, on: true };

  it('encodes and decodes input reads and coil echoes', () => {
    const reply = encodeRtuResponse({ unit: 1, fc: FC.readDiscreteInputs, bits: [true, false, false, false, false, false, false, true] });
    expect(toHex(reply)).toBe(toHex(withCrc(hex('01 02 01 81'))));
    expect(decodeRtuResponse(reply, readInputs)).toMatchObject({ ok: true, value: { bits: [true, false, false, false, false, false, false, true] } });
    // The reply to write single coil echoes the request.
    expect(toHex(encodeRtuResponse({ unit: 1, fc: 5, address: 0, on: true }))).toBe('01 05 00 00 ff 00 8c 3a');
    expect(decodeRtuResponse(hex('01 05 00 00 ff 00 8c 3a'), coilOn)).toMatchObject({ ok: true });
  });

  it('reports an exception reply with its code and name', () => {
    const frame = encodeRtuResponse({ unit: 1, fc: FC.writeSingleCoil, exception: EXCEPTION.illegalDataAddress });
    expect(toHex(frame)).toBe(toHex(withCrc(hex('01 85 02'))));
    const d = decodeRtuResponse(frame, coilOn);
    expect(d).toMatchObject({ ok: false, error: { code: 'exception' } });
    if (!d.ok) expect(d.error.detail).toContain('illegal data address');
    expect(exceptionName(0x06)).toBe('slave device busy');
  });

  it('rejects a bad CRC, another function, another unit, a different echo and a short read', () => {
    expect(decodeRtuResponse(hex('01 05 00 00 ff 00 8c 3b'), coilOn)).toMatchObject({ ok: false, error: { code: 'bad_crc' } });
    expect(decodeRtuResponse(withCrc(hex('01 01 01 00')), readInputs)).toMatchObject({ ok: false, error: { code: 'unexpected' } });
    expect(decodeRtuResponse(withCrc(hex('02 02 01 00')), readInputs)).toMatchObject({ ok: false, error: { code: 'bad_unit' } });
    expect(decodeRtuResponse(hex('01 05 00 00 00 00 cd ca'), coilOn)).toMatchObject({ ok: false, error: { code: 'unexpected' } });
    expect(decodeRtuResponse(withCrc(hex('01 02 02 00 00')), readInputs)).toMatchObject({ ok: false, error: { code: 'bad_length' } });
  });
});

describe('RtuRequestReader', () => {
  it('splits back-to-back frames and frames split across chunks', () => {
    const r = new RtuRequestReader();
    const both = Buffer.concat([hex('01 05 00 00 ff 00 8c 3a'), hex('01 02 00 00 00 08 79 cc')]);
    expect(r.push(both.subarray(0, 5))).toEqual([]);
    const out = r.push(both.subarray(5));
    expect(out.map((d) => d.ok && d.value.fc)).toEqual([5, 2]);
    expect(r.pending).toBe(0);
  });

  it('drops a bad-CRC frame whole, ends an unknown function and a truncated frame at idle', () => {
    const r = new RtuRequestReader();
    expect(r.push(hex('01 05 00 00 ff 00 00 00'))).toMatchObject([{ ok: false, error: { code: 'bad_crc' } }]);
    expect(r.push(withCrc(hex('01 2b 0e 01 00')))).toEqual([]);
    expect(r.idle()).toMatchObject([{ ok: true, value: { fc: 0x2b } }]);
    expect(r.push(hex('01 05 00'))).toEqual([]);
    expect(r.idle()).toMatchObject([{ ok: false, error: { code: 'bad_length' } }]);
  });

  it('never throws on random bytes', () => {
    const rand = prng(502);
    const r = new RtuRequestReader();
    for (let i = 0; i < 300; i++) {
      r.push(randomBytes(rand, 1 + Math.floor(rand() * 40)));
      if (i % 7 === 0) r.idle();
    }
    expect(r.pending).toBeLessThanOrEqual(256);
  });
});

describe('Modbus TCP framing', () => {
  it('wraps a PDU in an MBAP header with the unit id and no CRC', () => {
    const f = encodeTcpFrame({ transactionId: 0x0102, unit: 1, pdu: hex('05 00 00 ff 00') });
    expect(toHex(f)).toBe('01 02 00 00 00 06 01 05 00 00 ff 00');
  });

  it('reads frames from a split stream and reports a broken header', () => {
    const r = new TcpFrameReader();
    const a = encodeTcpFrame({ transactionId: 7, unit: 1, pdu: hex('02 01 81') });
    expect(r.push(a.subarray(0, 4))).toEqual([]);
    expect(r.push(a.subarray(4))).toMatchObject([{ ok: true, value: { transactionId: 7, unit: 1 } }]);
    expect(r.push(hex('00 01 5a 5a 00 06 01 05 00 00 ff 00'))).toMatchObject([{ ok: false, error: { code: 'bad_protocol' } }]);
    expect(r.push(hex('00 01 00 00 ff ff 01'))).toMatchObject([{ ok: false, error: { code: 'bad_protocol' } }]);
    expect(r.pending).toBe(0);
  });
});
