// Owns telling a keyboard-wedge scanner from a person typing: a scanner "types" a whole code in a
// burst (characters < ~40 ms apart) and usually ends it with Enter or Tab; a person types slower.
// Also owns undoing keyboard layouts: a scanner sends US key positions, so on a German, French or
// Russian layout the OS turns them into other characters; the tables below map them back.
// Pure TypeScript with no DOM or Node imports: the renderer (keydown events) and the core
// (webContents 'before-input-event') feed it the same {key, time} events. The caller owns the clock:
// it passes times and calls flushIdle() from its own timer.

/** One key press. `key` is a KeyboardEvent.key value ('a', 'A', '1', 'Enter', 'Shift', 'Dead', …). */
export interface KeyEvent {
  key: string;
  /** Milliseconds, any monotonic origin (event.timeStamp, performance.now()). */
  time: number;
}

export type WedgeTerminator = 'Enter' | 'Tab' | 'EnterOrTab' | 'none';
export type KeyboardLayout = 'us' | 'de' | 'fr' | 'ru';

export interface WedgeOptions {
  /** Largest gap between two characters of one scan. */
  interCharMs?: number;
  /** What ends a scan; 'none' for scanners that send no suffix (then an idle gap ends it). */
  terminator?: WedgeTerminator;
  /** With terminator 'none': quiet time after the last character that ends a scan. */
  idleTimeoutMs?: number;
  /** Shorter bursts are typing (a fast typist's "ok" + Enter is not a ticket). */
  minLength?: number;
  maxLength?: number;
  /** The OS keyboard layout the scanner's US key codes pass through; characters are mapped back to US. */
  layout?: KeyboardLayout;
}

export type WedgeEvent =
  | { kind: 'scan'; code: string; startedAt: number; endedAt: number }
  /**
   * Keys that turned out not to be a scan (typing, or a burst too short or never terminated), as
   * typed (not remapped), so the caller can hand them on to the focused field.
   */
  | { kind: 'typed'; keys: string[] };

export const DEFAULT_INTER_CHAR_MS = 40;
export const DEFAULT_WEDGE_IDLE_MS = 100;
export const DEFAULT_WEDGE_MIN_LENGTH = 4;
export const DEFAULT_WEDGE_MAX_LENGTH = 4096;

// Physical key positions, row by row (digits, top letters, home row, bottom row), as the characters
// each layout produces there without and with Shift. '' marks a dead key or no character: the
// scanner's character at that position cannot be recovered on that layout.
interface LayoutTable {
  plain: string[];
  shifted: string[];
}
const row = (s: string) => [...s];
const LAYOUT_TABLES: Record<KeyboardLayout, LayoutTable> = {
  us: {
    plain: [...row('`1234567890-='), ...row('qwertyuiop[]\\'), ...row("asdfghjkl;'"), ...row('zxcvbnm,./')],
    shifted: [...row('~!@#$%^&*()_+'), ...row('QWERTYUIOP{}|'), ...row('ASDFGHJKL:"'), ...row('ZXCVBNM<>?')],
  },
  // German QWERTZ: Y/Z swapped, umlauts on the punctuation keys; ^ ´ ` are dead keys.
  de: {
    plain: ['', ...row('1234567890ß'), '', ...row('qwertzuiopü+#'), ...row('asdfghjklöä'), ...row('yxcvbnm,.-')],
    shifted: ['°', ...row('!"§$%&/()=?'), '', ...row('QWERTZUIOPÜ*\''), ...row('ASDFGHJKLÖÄ'), ...row('YXCVBNM;:_')],
  },
  // French AZERTY: the digit row gives symbols unshifted and digits only with Shift; A/Q, Z/W swapped;
  // M sits where US has ';'. ^ and ¨ are dead keys.
  fr: {
    plain: [...row('²&é"\'(-è_çà)='), ...row('azertyuiop'), '', ...row('$*'), ...row('qsdfghjklmù'), ...row('wxcvbn,;:!')],
    shifted: ['', ...row('1234567890°+'), ...row('AZERTYUIOP'), '', ...row('£µ'), ...row('QSDFGHJKLM%'), ...row('WXCVBN?./§')],
  },
  // Russian ЙЦУКЕН: letters become Cyrillic, so a ticket code "T-7F2K" arrives as "Е-7А2Л".
  ru: {
    plain: [...row('ё1234567890-='), ...row('йцукенгшщзхъ\\'), ...row('фывапролджэ'), ...row('ячсмитьбю.')],
    shifted: [...row('Ё!"№;%:?*()_+'), ...row('ЙЦУКЕНГШЩЗХЪ/'), ...row('ФЫВАПРОЛДЖЭ'), ...row('ЯЧСМИТЬБЮ,')],
  },
};

function buildRemap(layout: KeyboardLayout): ReadonlyMap<string, string> {
  const us = LAYOUT_TABLES.us;
  const t = LAYOUT_TABLES[layout];
  const map = new Map<string, string>();
  const add = (from: string[], to: string[]) => {
    if (from.length !== to.length) throw new Error(`layout ${layout}: ${from.length} keys, US has ${to.length}`);
    from.forEach((ch, i) => {
      const usCh = to[i]!;
      if (ch === '') return;
      const prior = map.get(ch);
      if (prior !== undefined && prior !== usCh) throw new Error(`layout ${layout}: '${ch}' at two positions`);
      map.set(ch, usCh);
    });
  };
  add(t.plain, us.plain);
  add(t.shifted, us.shifted);
  for (const [k, v] of map) if (k === v) map.delete(k);
  return map;
}

const remaps = new Map<KeyboardLayout, ReadonlyMap<string, string>>();
/** Character produced on `layout` → the character the scanner meant (US layout). Identity pairs omitted. */
export function layoutRemap(layout: KeyboardLayout): ReadonlyMap<string, string> {
  let m = remaps.get(layout);
  if (!m) remaps.set(layout, (m = buildRemap(layout)));
  return m;
}

/** Map text typed through `layout` back to what a US-layout scanner sent. */
export function remapToUs(text: string, layout: KeyboardLayout): string {
  if (layout === 'us') return text;
  const m = layoutRemap(layout);
  return [...text].map((c) => m.get(c) ?? c).join('');
}

const SILENT_KEYS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'CapsLock', 'NumLock', 'Dead', 'Unidentified']);

const isTerminator = (key: string, t: WedgeTerminator) =>
  t === 'EnterOrTab' ? key === 'Enter' || key === 'Tab' : t !== 'none' && key === t;

/** Splits a stream of key events into scans and ordinary typing. */
export class WedgeCapture {
  readonly interCharMs: number;
  readonly terminator: WedgeTerminator;
  readonly idleTimeoutMs: number;
  readonly minLength: number;
  readonly maxLength: number;
  readonly layout: KeyboardLayout;
  #keys: string[] = [];
  #startedAt = 0;
  #lastAt = 0;
  #overflow = false;

  constructor(options: WedgeOptions = {}) {
    this.interCharMs = options.interCharMs ?? DEFAULT_INTER_CHAR_MS;
    this.terminator = options.terminator ?? 'EnterOrTab';
    this.idleTimeoutMs = Math.max(options.idleTimeoutMs ?? DEFAULT_WEDGE_IDLE_MS, this.interCharMs);
    this.minLength = Math.max(1, options.minLength ?? DEFAULT_WEDGE_MIN_LENGTH);
    this.maxLength = options.maxLength ?? DEFAULT_WEDGE_MAX_LENGTH;
    this.layout = options.layout ?? 'us';
  }

  /** Characters of the burst in progress. */
  get pending(): number {
    return this.#keys.length;
  }

  push(ev: KeyEvent): WedgeEvent[] {
    const out: WedgeEvent[] = [];
    const { key, time } = ev;
    const gap = time - this.#lastAt;
    if (isTerminator(key, this.terminator)) {
      if (this.#overflow) {
        this.#overflow = false;
        out.push({ kind: 'typed', keys: [key] });
        return out;
      }
      if (this.#keys.length >= this.minLength && gap <= this.interCharMs) {
        out.push(this.#scan(time));
      } else {
        // A person pressing Enter (or a burst too short to be a code): hand everything on.
        out.push({ kind: 'typed', keys: [...this.#keys, key] });
        this.#keys = [];
      }
      return out;
    }
    // Modifiers (the scanner presses Shift for capitals) and dead keys carry no character: they
    // neither extend nor break a burst.
    if (SILENT_KEYS.has(key)) return out;
    // Any other named key (Backspace, arrows, Escape) is a person: the burst so far was typing.
    if ([...key].length !== 1) {
      out.push({ kind: 'typed', keys: [...this.#keys, key] });
      this.#keys = [];
      return out;
    }
    if (this.#overflow) {
      // The rest of an overlong burst is typing too, until a pause.
      this.#lastAt = time;
      if (gap <= this.interCharMs) {
        out.push({ kind: 'typed', keys: [key] });
        return out;
      }
      this.#overflow = false;
    }
    if (this.#keys.length > 0 && gap > this.interCharMs) out.push(...this.#endBurst(this.#lastAt));
    if (this.#keys.length === 0) this.#startedAt = time;
    this.#keys.push(key);
    this.#lastAt = time;
    if (this.#keys.length > this.maxLength) {
      // Nothing legitimate is this long: a stuck key or a paste. Not a scan.
      out.push({ kind: 'typed', keys: this.#keys });
      this.#keys = [];
      this.#overflow = true;
    }
    return out;
  }

  /** Call from a timer: ends a burst that has gone quiet (a scan in 'none' mode, typing otherwise). */
  flushIdle(now: number): WedgeEvent[] {
    if (this.#keys.length === 0) return [];
    const limit = this.terminator === 'none' ? this.idleTimeoutMs : Math.max(this.idleTimeoutMs, this.interCharMs);
    if (now - this.#lastAt < limit) return [];
    return this.#endBurst(this.#lastAt);
  }

  /** Drop the burst in progress (e.g. the window lost focus). */
  reset(): WedgeEvent[] {
    this.#overflow = false;
    if (this.#keys.length === 0) return [];
    const keys = this.#keys;
    this.#keys = [];
    return [{ kind: 'typed', keys }];
  }

  #endBurst(endedAt: number): WedgeEvent[] {
    if (this.terminator === 'none' && this.#keys.length >= this.minLength) return [this.#scan(endedAt)];
    const keys = this.#keys;
    this.#keys = [];
    return [{ kind: 'typed', keys }];
  }

  #scan(endedAt: number): WedgeEvent {
    const code = remapToUs(this.#keys.join(''), this.layout);
    this.#keys = [];
    return { kind: 'scan', code, startedAt: this.#startedAt, endedAt };
  }
}
