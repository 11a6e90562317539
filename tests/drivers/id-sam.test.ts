// Hex fixtures for the SAM (resident ID card reader) protocol: frames built by hand and checked against
// HARDWARE.md's literal examples, stream reassembly, the card text and the ID number check digit.
import { describe, expect, it } from 'vitest';
import {
  SAM_COMMANDS,
  SW3,
  SamFrameReader,
  buildReadData,
  decodeIdCardText,
  decodeSamFrame,
  encodeIdCardText,
  encodeSamReply,
  encodeSamRequest,
  formatSamId,
  idNumberCheckDigit,
  isValidIdNumber,
  NATIONS,
  parseSamReply,
  parseSamRequest,
  samCommand,
  samXor,
  splitReadData,
  type IdCardTextInput,
  type SamFrameResult,
} from '../../drivers/id-readers/sam';
import { isDriverError } from '../../drivers/errors';
import { SAMPLE_ID_CARD } from '../../drivers/id-readers/sam-simulator';
import { hex, prng, randomBytes, toHex } from './helpers';

const PRE = 'aa aa aa 96 69';

const ZHANG_SAN: IdCardTextInput = SAMPLE_ID_CARD;

const summary = (rs: SamFrameResult[]) => rs.map((r) => (r.ok ? `ok:${toHex(r.body)}` : r.code));

describe('SAM frames', () => {
  it('builds the requests of HARDWARE.md byte for byte', () => {
    expect(toHex(samCommand('find'))).toBe(`${PRE} 00 03 20 01 22`);
    expect(toHex(samCommand('select'))).toBe(`${PRE} 00 03 20 02 21`);
    expect(toHex(samCommand('read'))).toBe(`${PRE} 00 03 30 01 32`);
    expect(toHex(samCommand('readWithFingerprint'))).toBe(`${PRE} 00 03 30 10 23`);
    expect(toHex(samCommand('samId'))).toBe(`${PRE} 00 03 12 ff ee`);
    expect(toHex(samCommand('status'))).toBe(`${PRE} 00 03 11 ff ed`);
    expect(toHex(encodeSamRequest(SAM_COMMANDS.find.cmd, SAM_COMMANDS.find.para))).toBe(`${PRE} 00 03 20 01 22`);
  });

  it('Len counts every byte after the length, XOR runs from LenH to the last data byte', () => {
    // Hand-computed: 00 ^ 03 ^ 20 ^ 01 = 22.
    expect(samXor(hex('00 03 20 01'))).toBe(0x22);
    // Find-card reply: Len 8 = SW1 SW2 SW3 + 4 data + XOR; 00^08^00^00^9F^00^00^00^00 = 97.
    const found = hex(`${PRE} 00 08 00 00 9f 00 00 00 00 97`);
    expect(found.readUInt16BE(5)).toBe(found.length - 7);
    expect(samXor(found, 5, found.length - 1)).toBe(0x97);
    expect(toHex(encodeSamReply(SW3.findOk, Buffer.alloc(4)))).toBe(toHex(found));
    // No card: Len 4 = SW + XOR; 04 ^ 80 = 84.
    expect(toHex(encodeSamReply(SW3.findFailed))).toBe(`${PRE} 00 04 00 00 80 84`);
  });

  it('decodes the literal replies', () => {
    const r = decodeSamFrame(hex(`${PRE} 00 08 00 00 9f 00 00 00 00 97`));
    expect(r.ok).toBe(true);
    expect(r.ok && parseSamReply(r.body)).toEqual({ sw1: 0, sw2: 0, sw3: 0x9f, data: Buffer.alloc(4) });
    const nc = decodeSamFrame(hex(`${PRE} 00 04 00 00 80 84`));
    expect(nc.ok && parseSamReply(nc.body)?.sw3).toBe(0x80);
    const req = decodeSamFrame(hex(`${PRE} 00 03 20 01 22`));
    expect(req.ok && parseSamRequest(req.body)).toEqual({ cmd: 0x20, para: 0x01, data: Buffer.alloc(0) });
  });

  it.each([
    [`${PRE} 00 08 00 00 9f 00 00 00 00 96`, 'bad_checksum'],
    [`${PRE} 00 04 00 00 80`, 'truncated'],
    [`${PRE} 00 04 00 00 80 84 00`, 'bad_length'],
    [`${PRE} 00 02 00 02`, 'bad_length'],
    [`${PRE} ff ff 00 00 90 6f`, 'bad_length'],
    [`aa aa aa 96 68 00 04 00 00 80 84`, 'garbled'],
    [`aa aa`, 'truncated'],
  ])('rejects %s as %s', (frame, code) => {
    const r = decodeSamFrame(hex(frame));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      expect(r.detail.length).toBeGreaterThan(10);
    }
  });

  it('reassembles frames from a byte-at-a-time stream: 7 header bytes, then Len more', () => {
    const reader = new SamFrameReader();
    const stream = hex(`${PRE} 00 08 00 00 9f 00 00 00 00 97 ${PRE} 00 04 00 00 80 84`);
    const out: SamFrameResult[] = [];
    for (const b of stream) {
      out.push(...reader.push(Uint8Array.of(b)));
      if (out.length === 0) expect(reader.pending).toBeGreaterThan(0);
    }
    expect(summary(out)).toEqual(['ok:00 00 9f 00 00 00 00', 'ok:00 00 80']);
    expect(reader.pending).toBe(0);
  });

  it('reports noise, then still finds the frame after it', () => {
    const reader = new SamFrameReader();
    const out = reader.push(hex(`01 02 03 aa aa ${PRE} 00 04 00 00 80 84`));
    expect(summary(out)).toEqual(['garbled', 'ok:00 00 80']);
    expect(!out[0]!.ok && toHex(out[0]!.bytes)).toBe('01 02 03 aa aa');
  });

  it('keeps a split preamble across chunks without calling it noise', () => {
    const reader = new SamFrameReader();
    expect(reader.push(hex('aa aa'))).toEqual([]);
    expect(reader.push(hex('aa 96'))).toEqual([]);
    expect(summary(reader.push(hex('69 00 04 00 00 80 84')))).toEqual(['ok:00 00 80']);
  });

  it('rejects a bad XOR, then resynchronises', () => {
    const reader = new SamFrameReader();
    const out = reader.push(hex(`${PRE} 00 04 00 00 80 85 ${PRE} 00 04 00 00 80 84`));
    expect(summary(out)).toEqual(['bad_checksum', 'ok:00 00 80']);
  });

  it('rejects an overlong declared length and drops its body quietly up to the next preamble', () => {
    const reader = new SamFrameReader();
    const out = reader.push(Buffer.concat([hex(`${PRE} ff ff 00 00 90`), Buffer.alloc(100, 0x11), hex(`${PRE} 00 04 00 00 80 84`)]));
    expect(summary(out)).toEqual(['bad_length', 'ok:00 00 80']);
  });

  it('flush() reports a truncated reply with how much came', () => {
    const reader = new SamFrameReader();
    reader.push(hex(`${PRE} 05 08 00 00 90 01 00`));
    const out = reader.flush();
    expect(summary(out)).toEqual(['truncated']);
    expect(!out[0]!.ok && out[0]!.detail).toMatch(/got 12 of 1295 bytes/);
    expect(reader.pending).toBe(0);
  });

  it('never throws on random bytes, and everything it accepts has a correct XOR', () => {
    const rand = prng(0x5a11);
    const reader = new SamFrameReader();
    for (let i = 0; i < 2000; i++) {
      // Sprinkle preambles so the length/XOR paths get exercised, not just noise.
      const chunk = rand() < 0.2 ? Buffer.concat([hex(PRE), randomBytes(rand, 1 + Math.floor(rand() * 20))]) : randomBytes(rand, 1 + Math.floor(rand() * 30));
      for (const r of reader.push(chunk)) {
        if (r.ok) expect(samXor(r.bytes, 5, r.bytes.length - 1)).toBe(r.bytes[r.bytes.length - 1]);
        else expect(['garbled', 'bad_length', 'bad_checksum', 'truncated']).toContain(r.code);
      }
    }
    reader.flush();
  });
});

describe('read reply and card text', () => {
  it('a read reply is 1,295 bytes: 00 00 90, text length 0x0100, photo length 0x0400, text, photo, XOR', () => {
    const text = encodeIdCardText(ZHANG_SAN);
    const photo = Buffer.alloc(1024, 0x77);
    const frame = encodeSamReply(SW3.ok, buildReadData(text, photo));
    expect(frame.length).toBe(1295);
    expect(toHex(frame.subarray(0, 14))).toBe(`${PRE} 05 08 00 00 90 01 00 04 00`);
    const r = decodeSamFrame(frame);
    expect(r.ok).toBe(true);
    const parts = splitReadData(parseSamReply(r.ok ? r.body : Buffer.alloc(0))!.data);
    expect(parts.text.equals(text)).toBe(true);
    expect(parts.photo.equals(photo)).toBe(true);
    expect(parts.fingerprint).toBeNull();
  });

  it('decodes the UTF-16LE text fields at their byte offsets, trimming the space padding', () => {
    const text = encodeIdCardText(ZHANG_SAN);
    expect(text.length).toBe(256);
    // Name at 0: 张 U+5F20, 三 U+4E09, then spaces (20 00).
    expect(toHex(text.subarray(0, 6))).toBe('20 5f 09 4e 20 00');
    expect(text.subarray(30, 32).toString('utf16le')).toBe('1');
    expect(text.subarray(122, 158).toString('utf16le')).toBe('11010519491231002X');
    const t = decodeIdCardText(text);
    expect(t).toEqual({
      name: '张三',
      sex: 'male',
      sexCode: '1',
      nationCode: '01',
      nation: '汉',
      birthDate: '1949-12-31',
      address: '北京市西城区复兴门外大街999号院11号楼3单元502室',
      idNumber: '11010519491231002X',
      idNumberValid: true,
      authority: '北京市公安局西城分局',
      validFrom: '2010-01-01',
      validTo: '2030-01-01',
      cardType: 'resident',
    });
  });

  it('reads 长期 as long_term, female, other nations, and HMT residence permits', () => {
    const t = decodeIdCardText(encodeIdCardText({ ...ZHANG_SAN, name: '阿依古丽', sex: 'female', nationCode: '05', validTo: 'long_term' }));
    expect(t).toMatchObject({ name: '阿依古丽', sex: 'female', nation: '维吾尔', validTo: 'long_term' });
    const raw = encodeIdCardText(ZHANG_SAN);
    expect(raw.subarray(204, 220).toString('utf16le').trim()).toBe('20300101');
    expect(NATIONS['56']).toBe('基诺');
    const hmt = decodeIdCardText(encodeIdCardText({ ...ZHANG_SAN, nationCode: '', cardType: 'hmt_residence_permit' }));
    expect(hmt.cardType).toBe('hmt_residence_permit');
  });

  it('rejects malformed text with coded errors', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isDriverError(e) ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => decodeIdCardText(Buffer.alloc(255)))).toBe('bad_length');
    const badDate = encodeIdCardText(ZHANG_SAN);
    Buffer.from('1949-1-3', 'utf16le').copy(badDate, 36);
    expect(code(() => decodeIdCardText(badDate))).toBe('bad_text');
    const surrogate = encodeIdCardText(ZHANG_SAN);
    surrogate.writeUInt16LE(0xd800, 0); // a lone surrogate in the name
    expect(code(() => decodeIdCardText(surrogate))).toBe('bad_text');
    const foreign = encodeIdCardText(ZHANG_SAN);
    Buffer.from('I', 'utf16le').copy(foreign, 248);
    expect(code(() => decodeIdCardText(foreign))).toBe('unsupported_card');
    expect(code(() => splitReadData(Buffer.concat([hex('01 00 04 00'), Buffer.alloc(100)])))).toBe('bad_length');
    expect(code(() => splitReadData(hex('01')))).toBe('bad_length');
  });

  it('flags an ID number with a wrong check digit or a birth date that does not match', () => {
    expect(decodeIdCardText(encodeIdCardText({ ...ZHANG_SAN, idNumber: '110105194912310021' })).idNumberValid).toBe(false);
    expect(decodeIdCardText(encodeIdCardText({ ...ZHANG_SAN, birthDate: '1950-01-01' })).idNumberValid).toBe(false);
  });
});

describe('ID number check digit (ISO 7064 MOD 11-2)', () => {
  it('computes it with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 and the map 1 0 X 9 8 7 6 5 4 3 2', () => {
    // Σ = 167, 167 mod 11 = 2 → 'X'.
    expect(idNumberCheckDigit('11010519491231002')).toBe('X');
    // Σ = 176 ≡ 0 → '1'.
    expect(idNumberCheckDigit('44030419900101001')).toBe('1');
    expect(idNumberCheckDigit('00000000000000000')).toBe('1'); // remainder 0
    expect(idNumberCheckDigit('00000001000000000')).toBe('0'); // weight 1 → remainder 1
    expect(idNumberCheckDigit('00000000000000001')).toBe('X'); // weight 2 → remainder 2
    expect(idNumberCheckDigit('00000000000000010')).toBe('8'); // weight 4 → remainder 4
    expect(idNumberCheckDigit('00000000010000000')).toBe('9'); // weight 3 → remainder 3
  });

  it('validates whole numbers', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('11010519491231002')).toBe(false);
    expect(isValidIdNumber('1101051949123100XX')).toBe(false);
    expect(() => idNumberCheckDigit('1234')).toThrow(RangeError);
  });
});

describe('SAM id', () => {
  it('formats the 16 bytes as u16.u16-u32-u32-u32 (little-endian)', () => {
    const raw = hex('05 00 01 00 20 c7 5f 01 71 e0 c3 1d 4d 3a 0a 0e');
    expect(formatSamId(raw)).toBe(`05.01-${String(0x015fc720).padStart(8, '0')}-${String(0x1dc3e071).padStart(10, '0')}-${String(0x0e0a3a4d).padStart(10, '0')}`);
    expect(() => formatSamId(raw.subarray(0, 8))).toThrow();
  });
});
