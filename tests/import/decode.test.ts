// Decoding attendee files: every supported encoding from real bytes (made here with iconv-lite),
// BOMs, detection between GB18030 and Windows-1251, and clear errors for wrong or damaged bytes.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../server/src/import/decode';
import { readCsv } from '../../server/src/import/csv';
import { ImportFileError } from '../../server/src/import/table';

const CSV = 'externalId,attendeeName,phone\r\nA1,张伟,13800138000\r\nA2,李娜,+86 139 0000 1111\r\nA3,王芳,13700001234\r\n';
const RU =
  'externalId;attendeeName;phone\r\nR1;Иванов Иван Иванович;+7 912 345-67-89\r\nR2;Смирнова Анна;89160001122\r\nR3;Ёлкин Пётр;+79990000000\r\n';

function caught(fn: () => unknown): ImportFileError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImportFileError);
    return err as ImportFileError;
  }
  throw new Error('expected an ImportFileError');
}

describe('decodeText', () => {
  it('reads UTF-8 with and without BOM', () => {
    const plain = decodeText(Buffer.from(CSV, 'utf8'));
    expect(plain).toMatchObject({ text: CSV, encoding: 'utf-8', bom: false, detected: true });
    const withBom = decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV, 'utf8')]));
    expect(withBom).toMatchObject({ text: CSV, encoding: 'utf-8', bom: true });
  });

  it('reads UTF-16 LE and BE with BOM', () => {
    const le = iconv.encode(RU, 'utf-16le', { addBOM: true });
    expect(le.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(decodeText(le)).toMatchObject({ text: RU, encoding: 'utf-16le', bom: true });
    const be = iconv.encode(RU, 'utf-16be', { addBOM: true });
    expect(be.subarray(0, 2)).toEqual(Buffer.from([0xfe, 0xff]));
    expect(decodeText(be)).toMatchObject({ text: RU, encoding: 'utf-16be', bom: true });
  });

  it('detects GB18030 (GBK) Chinese and Windows-1251 Russian, and reports the choice', () => {
    const gb = decodeText(iconv.encode(CSV, 'gbk'));
    expect(gb.text).toBe(CSV);
    expect(gb.encoding).toBe('gb18030');
    expect(gb.detected).toBe(true);
    expect(gb.scores!.gb18030!).toBeGreaterThan(gb.scores!['windows-1251']!);

    const ru = decodeText(iconv.encode(RU, 'windows-1251'));
    expect(ru.text).toBe(RU);
    expect(ru.encoding).toBe('windows-1251');
    expect(ru.scores!['windows-1251']!).toBeGreaterThan(ru.scores!.gb18030!);
  });

  it('decodes four-byte GB18030 characters and the encoding the caller names', () => {
    const text = 'name\n𠀀 Ā €\n';
    const bytes = iconv.encode(text, 'gb18030');
    expect(decodeText(bytes, { encoding: 'GB18030' })).toMatchObject({ text, encoding: 'gb18030', detected: false });
    expect(decodeText(iconv.encode(RU, 'windows-1251'), { encoding: 'cp1251' }).text).toBe(RU);
    expect(decodeText(iconv.encode(CSV, 'gbk'), { encoding: 'gbk' }).text).toBe(CSV);
  });

  it('refuses the wrong encoding named by the caller with the byte offset and line', () => {
    const gbk = iconv.encode(CSV, 'gbk');
    const err = caught(() => decodeText(gbk, { encoding: 'utf-8' }));
    expect(err.code).toBe('invalid_bytes');
    const firstHigh = gbk.findIndex((b) => b >= 0x80);
    expect(err.details).toMatchObject({ offset: firstHigh, line: 2, encoding: 'utf-8' });
    expect(err.message).toMatch(/offset \d+ \(line 2\)/);

    const bom = caught(() =>
      decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV)]), { encoding: 'gb18030' }),
    );
    expect(bom.code).toBe('invalid_bytes');
    expect(bom.message).toMatch(/UTF-8 byte order mark/);

    expect(caught(() => decodeText(gbk, { encoding: 'latin-9' })).code).toBe('unknown_encoding');
  });

  it('names the first damaged byte of a GB18030 file instead of decoding it to U+FFFD', () => {
    const names = ['张伟', '李娜', '王芳', '刘洋', '陈静', '杨磊', '赵敏', '黄勇', '周杰', '吴霞'];
    const text = 'externalId,attendeeName\r\n' + names.map((n, i) => `A${i},${n}\r\n`).join('');
    const damaged = Buffer.from(iconv.encode(text, 'gbk'));
    // Line 4's first hanzi loses its trail byte to a comma.
    const lead = Buffer.byteLength(iconv.encode(text.slice(0, text.indexOf('王芳')), 'gbk'));
    damaged[lead + 1] = 0x2c;
    const err = caught(() => decodeText(damaged));
    expect(err.code).toBe('invalid_bytes');
    expect(err.details).toMatchObject({ offset: lead, line: 4, encoding: 'gb18030' });
    expect(err.message).toMatch(/reads best as GB18030/);
    const named = caught(() => decodeText(damaged, { encoding: 'gbk' }));
    expect(named.details).toMatchObject({ offset: lead, line: 4 });
    expect(named.message).toMatch(/not valid GB18030/);
  });

  it('refuses the undefined Windows-1251 byte, odd UTF-16 and lone surrogates, and undeterminable bytes', () => {
    const ru = Buffer.concat([iconv.encode('name\nИван', 'windows-1251'), Buffer.from([0x98])]);
    expect(caught(() => decodeText(ru, { encoding: 'windows-1251' })).details).toMatchObject({ offset: 9, line: 2 });
    const odd = Buffer.concat([iconv.encode('ab', 'utf-16le', { addBOM: true }), Buffer.from([0x41])]);
    expect(caught(() => decodeText(odd)).details).toMatchObject({ offset: 6 });
    const lone = Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x0a, 0x00, 0x00, 0xd8, 0x41, 0x00]);
    expect(caught(() => decodeText(lone)).details).toMatchObject({ offset: 6, line: 2 });
    // Bytes that read as nothing plausible: stray symbols in Windows-1251, broken sequences in the others.
    const garbage = Buffer.from([0x61, 0xff, 0x86, 0x0a, 0xa4, 0x0a, 0x99, 0x0a, 0xb1, 0x20]);
    expect(caught(() => decodeText(garbage)).code).toBe('encoding_undetermined');
  });

  it('reads a CSV file end to end in each encoding', () => {
    for (const [bytes, encoding] of [
      [iconv.encode(CSV, 'gb18030'), 'gb18030'],
      [iconv.encode(CSV, 'utf-16le', { addBOM: true }), 'utf-16le'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV)]), 'utf-8'],
    ] as const) {
      const file = readCsv(bytes);
      expect(file.decoded.encoding).toBe(encoding);
      expect(file.header).toEqual(['externalId', 'attendeeName', 'phone']);
      expect(file.records.map((r) => r.cells[1])).toEqual(['张伟', '李娜', '王芳']);
    }
    const ru = readCsv(iconv.encode(RU, 'windows-1251'));
    expect(ru.delimiter).toBe(';');
    expect(ru.records.map((r) => [r.line, r.cells[1]])).toEqual([
      [2, 'Иванов Иван Иванович'],
      [3, 'Смирнова Анна'],
      [4, 'Ёлкин Пётр'],
    ]);
  });
});
