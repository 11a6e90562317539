// MRZ readers: check digits, parsing through the `mrz` package, line assembly, keyboard-wedge input on
// a German layout, and the serial reader against its simulator on a socat PTY pair.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MrzAssembler, MrzWedge, composeMrz, mrzCheckDigit, parseMrz, type MrzEvent, type MrzInput } from '../../drivers/id-readers/mrz';
import { openMrzReader, type MrzDocumentEvent, type MrzReader, type MrzReaderError } from '../../drivers/id-readers/mrz-reader';
import { startMrzSimulator, type MrzSimulator } from '../../drivers/id-readers/mrz-simulator';
import { createPtyPair, type PtyPair } from '../../drivers/testing/pty';
import { isDriverError } from '../../drivers/errors';
import type { KeyEvent } from '../../drivers/scanners/wedge';
import { sleep, waitFor } from './helpers';

// The German passport specimen (ERIKA MUSTERMANN), whose MRZ is printed in every ICAO 9303 tutorial.
const ERIKA_TD3 = ['P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<', 'C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4'];
// ICAO 9303 part 5's TD1 example (state "UTO" is fictional, so the package flags the state fields).
const ICAO_TD1 = ['I<UTOD23145890<1233<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<2', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
const IVANOVA: MrzInput = {
  shape: 'TD2',
  documentCode: 'I',
  issuingState: 'RUS',
  surname: 'Ivanova',
  givenNames: 'Anna',
  documentNumber: '123456789',
  nationality: 'RUS',
  birthDate: '850301',
  sex: 'F',
  expiryDate: '290301',
};
const MARTIN: MrzInput = { ...IVANOVA, shape: 'TD1', documentCode: 'ID', issuingState: 'FRA', nationality: 'FRA', surname: 'Martin', givenNames: 'Jean Pierre', documentNumber: 'X4RTBPFW4', sex: 'M' };
const now = new Date('2025-06-01T00:00:00Z');
const kinds = (es: MrzEvent[]) => es.map((e) => (e.kind === 'document' ? `${e.document.format}:${e.document.valid}` : e.code));

describe('MRZ parsing', () => {
  it('check digits: weights 7,3,1; < = 0; A–Z = 10–35', () => {
    expect(mrzCheckDigit('C01X00T47')).toBe('8');
    expect(mrzCheckDigit('640812')).toBe('5');
    expect(mrzCheckDigit('D23145890')).toBe('7');
    expect(mrzCheckDigit('<<<')).toBe('0');
    expect(() => mrzCheckDigit('a')).toThrow(RangeError);
  });

  it('composes the specimen TD3 byte for byte', () => {
    const lines = composeMrz({ ...IVANOVA, shape: 'TD3', documentCode: 'P', issuingState: 'D', nationality: 'D', surname: 'Mustermann', givenNames: 'Erika', documentNumber: 'C01X00T47', birthDate: '640812', expiryDate: '270228' });
    expect(lines).toEqual(ERIKA_TD3);
  });

  it('parses TD3, TD2 and TD1 into one shape', () => {
    expect(parseMrz(ERIKA_TD3, { now })).toEqual({
      format: 'TD3',
      documentType: 'passport',
      documentCode: 'P',
      issuingState: 'D',
      documentNumber: 'C01X00T47',
      names: { surname: 'MUSTERMANN', givenNames: 'ERIKA' },
      nationality: 'D',
      birthDate: '1964-08-12',
      expiryDate: '2027-02-28',
      sex: 'female',
      valid: true,
      failedChecks: [],
      lines: ERIKA_TD3,
    });
    expect(parseMrz(composeMrz(IVANOVA), { now })).toMatchObject({ format: 'TD2', documentType: 'id_card', names: { surname: 'IVANOVA', givenNames: 'ANNA' }, birthDate: '1985-03-01', valid: true });
    expect(parseMrz(composeMrz(MARTIN), { now })).toMatchObject({ format: 'TD1', documentCode: 'ID', names: { givenNames: 'JEAN PIERRE' }, sex: 'male', valid: true });
  });

  it('lists failed checks, keeping the raw text of fields the package rejects', () => {
    const d = parseMrz(ICAO_TD1, { now });
    expect(d.valid).toBe(false);
    expect(d.failedChecks).toEqual(['issuingState', 'nationality']);
    expect(d.nationality).toBe('UTO');
    expect(d.documentNumber).toBe('D23145890123');
    expect(d.birthDate).toBe('1974-08-12');
    expect(d.expiryDate).toBe('2012-04-15');
    // One wrong digit in the birth date breaks its check digit and the composite.
    const bad = [ERIKA_TD3[0]!, ERIKA_TD3[1]!.replace('6408125', '6408135')];
    const b = parseMrz(bad, { now });
    expect(b.valid).toBe(false);
    expect(b.failedChecks).toEqual(expect.arrayContaining(['birthDateCheckDigit', 'compositeCheckDigit']));
  });

  it('throws bad_format for an unknown layout', () => {
    try {
      parseMrz(['ABC', 'DEF']);
      expect.unreachable();
    } catch (e) {
      expect(isDriverError(e, 'bad_format')).toBe(true);
    }
  });
});

describe('MRZ line assembly', () => {
  it('makes a document when the right number of lines of one length arrived', () => {
    const a = new MrzAssembler({ now: () => now });
    const td1 = composeMrz(MARTIN);
    expect(a.push(td1[0]!)).toEqual([]);
    expect(a.push(td1[1]!)).toEqual([]);
    expect(a.pending).toBe(2);
    expect(kinds(a.push(td1[2]!))).toEqual(['TD1:true']);
    expect(kinds([...a.push(ERIKA_TD3[0]!), ...a.push(ERIKA_TD3[1]!)])).toEqual(['TD3:true']);
    expect(kinds(a.push(' ' + ERIKA_TD3.join('') + ' '))).toEqual(['TD3:true']); // the whole zone in one run
  });

  it.each([
    ['garbage', ['P<D<<MÜSTERMANN'], ['garbled']],
    ['lower case', [ERIKA_TD3[0]!.toLowerCase()], ['garbled']],
    ['wrong length', ['P<D<<MUSTERMANN<<ERIKA'], ['bad_length']],
    ['overlong', ['<'.repeat(200)], ['bad_length']],
    ['mixed shapes', [ERIKA_TD3[0]!, composeMrz(IVANOVA)[0]!, composeMrz(IVANOVA)[1]!], ['incomplete', 'TD2:true']],
    ['garbage mid-document', [ERIKA_TD3[0]!, '###', ...ERIKA_TD3], ['incomplete', 'garbled', 'TD3:true']],
    // Nonsense of the right shape is parsed, and every check fails.
    ['nonsense of the right shape', ['X'.repeat(44), 'Y'.repeat(44)], ['TD3:false']],
  ])('%s', (_name, lines, expected) => {
    const a = new MrzAssembler();
    expect(kinds(lines.flatMap((l) => a.push(l)))).toEqual(expected);
  });

  it('a document whose last line never came is incomplete after the timeout', () => {
    const a = new MrzAssembler({ documentTimeoutMs: 500 });
    a.push(ERIKA_TD3[0]!, 1000);
    expect(a.flushIdle(1400)).toEqual([]);
    expect(kinds(a.flushIdle(1500))).toEqual(['incomplete']);
    expect(kinds([...a.push(ERIKA_TD3[0]!, 2000), ...a.push(ERIKA_TD3[1]!, 2010)])).toEqual(['TD3:true']);
  });
});

describe('MRZ reader in keyboard-wedge mode', () => {
  const type = (lines: string[], t0: number, layoutMap: (c: string) => string = (c) => c): KeyEvent[] => {
    const out: KeyEvent[] = [];
    let t = t0;
    for (const l of lines) {
      for (const c of l) out.push({ key: layoutMap(c), time: (t += 4) });
      out.push({ key: 'Enter', time: (t += 4) });
      t += 30; // the reader pauses briefly between lines
    }
    return out;
  };

  it('assembles lines typed as fast bursts', () => {
    const w = new MrzWedge({ assembler: { now: () => now } });
    const out = type(composeMrz(MARTIN), 0).flatMap((e) => w.push(e));
    expect(kinds(out)).toEqual(['TD1:true']);
  });

  it('undoes a German layout: the reader’s "<" (Shift+,) arrives as ";" and Y/Z swap', () => {
    const german = (c: string) => ({ '<': ';', Y: 'Z', Z: 'Y' })[c] ?? c;
    const doc = composeMrz({ ...IVANOVA, surname: 'Zhyvago', givenNames: 'Yuri' });
    const w = new MrzWedge({ wedge: { layout: 'de' }, assembler: { now: () => now } });
    const out = type(doc, 0, german).flatMap((e) => w.push(e));
    expect(kinds(out)).toEqual(['TD2:true']);
    expect(out[0]!.kind === 'document' && out[0]!.document.names).toEqual({ surname: 'ZHYVAGO', givenNames: 'YURI' });
    // Without the remap the same keys are garbage.
    const plain = new MrzWedge();
    expect(kinds(type(doc, 0, german).flatMap((e) => plain.push(e)))).toEqual(['garbled', 'garbled']);
  });

  it('human typing never becomes a document', () => {
    const w = new MrzWedge();
    const slow = [...ERIKA_TD3[0]!].map((key, i) => ({ key, time: i * 150 }));
    expect(slow.flatMap((e) => w.push(e))).toEqual([]);
    expect(w.flushIdle(1e6)).toEqual([]);
  });
});

describe('MRZ reader over a PTY', () => {
  let pair: PtyPair;
  let sim: MrzSimulator;
  let reader: MrzReader;
  let docs: MrzDocumentEvent[];
  let errors: MrzReaderError[];

  beforeEach(async () => {
    pair = await createPtyPair();
    sim = await startMrzSimulator(pair.devicePath, { terminator: 'CRLF' });
    docs = [];
    errors = [];
    reader = openMrzReader({ path: pair.hostPath, lineTimeoutMs: 150, documentTimeoutMs: 300 });
    reader.on('document', (d) => docs.push(d));
    reader.on('error', (e) => errors.push(e));
    await waitFor(() => reader.status === 'connected', 5000, 'reader connected');
  });

  afterEach(async () => {
    await reader.close();
    await sim.close().catch(() => undefined);
    await pair.close();
  });

  it('reads TD1, TD2 and TD3 documents', async () => {
    await sim.present(MARTIN);
    await sim.present(IVANOVA);
    await sim.present(ERIKA_TD3);
    await waitFor(() => docs.length === 3, 3000, 'three documents');
    expect(docs.map((d) => [d.document.format, d.document.documentNumber, d.document.valid])).toEqual([
      ['TD1', 'X4RTBPFW4', true],
      ['TD2', '123456789', true],
      ['TD3', 'C01X00T47', true],
    ]);
    expect(docs[2]!.document).toMatchObject({ names: { surname: 'MUSTERMANN', givenNames: 'ERIKA' }, nationality: 'D', sex: 'female' });
    expect(errors).toEqual([]);
  });

  it('reports malformed input as coded errors and keeps reading', async () => {
    const cases: Array<{ send: () => Promise<void>; codes: string[] }> = [
      { send: () => sim.sendRaw([0x00, 0xff, 0x1b, 0x0d]), codes: ['garbled'] }, // garbage bytes
      { send: () => sim.sendLines(['P<D<<MUSTERMANN<<ERIKA']), codes: ['bad_length'] }, // wrong length
      { send: () => sim.sendLines(['<'.repeat(120)]), codes: ['too_long'] }, // overlong line
      { send: () => sim.sendLines([ERIKA_TD3[0]!]), codes: ['incomplete'] }, // truncated document
      { send: () => sim.sendRaw(Buffer.from('P<D<<MUST')), codes: ['incomplete'] }, // line cut off
      // Check digit broken: still a document, flagged invalid.
      { send: () => sim.sendLines([ERIKA_TD3[0]!, ERIKA_TD3[1]!.replace('C01X00T478', 'C01X00T479')]), codes: [] },
    ];
    let errorCount = 0;
    for (const [i, c] of cases.entries()) {
      const docsBefore = docs.length;
      await c.send();
      errorCount += c.codes.length;
      if (c.codes.length > 0) await waitFor(() => errors.length === errorCount, 3000, `errors of case ${i}`);
      else await waitFor(() => docs.length === docsBefore + 1, 3000, `flagged document of case ${i}`);
      expect(errors.slice(errorCount - c.codes.length).map((e) => e.code)).toEqual(c.codes);
      const before = docs.length;
      await sim.present(IVANOVA);
      await waitFor(() => docs.length === before + 1, 3000, `good document after case ${i}`);
      expect(docs.at(-1)!.document).toMatchObject({ format: 'TD2', valid: true });
    }
    await sleep(400);
    const invalid = docs.filter((d) => !d.document.valid);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]!.document.failedChecks).toEqual(expect.arrayContaining(['documentNumberCheckDigit']));
    expect(errors.map((e) => e.code)).toEqual(['garbled', 'bad_length', 'too_long', 'incomplete', 'incomplete']);
  });
});
