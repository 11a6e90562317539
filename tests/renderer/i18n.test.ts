// The three UI languages carry the same keys, and every error code, verdict reason and other contract
// enum shown on screen (direction, re-entry rule, ticket status) has a real translation in each (the
// compiler checks the shapes; this checks the values at run time).
import { describe, expect, it } from 'vitest';
import { CheckInPoint, DeviceKind, DeviceState, ErrorCode, Mode, PrintReason, TicketMatch, Verdict, VerdictReason } from '../../electron/contract';
import { en } from '../../renderer/src/i18n/locales/en';
import { ru } from '../../renderer/src/i18n/locales/ru';
import { zhCN } from '../../renderer/src/i18n/locales/zh-CN';

type Tree = { readonly [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const locales = { en, 'zh-CN': zhCN, ru } as const;
const flat = Object.fromEntries(Object.entries(locales).map(([lng, res]) => [lng, leaves(res as Tree)]));
const enKeys = [...flat.en!.keys()].sort();
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('renderer translations', () => {
  it.each(Object.keys(locales))('%s has exactly the English key set', (lng) => {
    expect([...flat[lng]!.keys()].sort()).toEqual(enKeys);
  });

  it.each(Object.keys(locales))('%s has no empty string and keeps every {{placeholder}}', (lng) => {
    for (const key of enKeys) {
      const value = flat[lng]!.get(key) ?? '';
      expect(value.trim(), `${lng}: ${key}`).not.toBe('');
      expect(placeholders(value), `${lng}: ${key}`).toEqual(placeholders(flat.en!.get(key)!));
    }
  });

  const vocab: Array<[string, readonly string[]]> = [
    ['errors', ErrorCode.options],
    ['reasons', VerdictReason.options],
    ['printReasons', PrintReason.options],
    ['mode', Mode.options],
    ['devices.kind', DeviceKind.options],
    ['devices.state', DeviceState.options],
    ['gate.direction', Verdict.shape.direction.options],
    ['gate.direction', CheckInPoint.shape.direction.options],
    ['gate.annul', Verdict.shape.direction.options],
    ['gate.annulled', Verdict.shape.direction.options],
    ['gate.reentry', CheckInPoint.shape.reentry.options],
    ['search.ticketStatus', TicketMatch.shape.status.options],
  ];
  it.each(vocab)('every contract %s value is translated in every language', (group, values) => {
    for (const [lng, map] of Object.entries(flat)) {
      for (const value of values) {
        expect(map.get(`${group}.${value}`)?.trim() ?? '', `${lng}: ${group}.${value}`).not.toBe('');
      }
      // And no stale entry for a value the contract no longer has.
      const inGroup = [...map.keys()].filter(
        (k) => k.startsWith(`${group}.`) && k.split('.').length === group.split('.').length + 1,
      );
      expect(inGroup.map((k) => k.slice(group.length + 1)).sort()).toEqual([...values].sort());
    }
  });

  it('translates refusals differently from each other within a language', () => {
    for (const [lng, map] of Object.entries(flat)) {
      const texts = VerdictReason.options.map((r) => map.get(`reasons.${r}`));
      expect(new Set(texts).size, lng).toBe(texts.length);
    }
  });

  it('names the two directions differently within a language', () => {
    for (const [lng, map] of Object.entries(flat)) {
      expect(map.get('gate.direction.entry'), lng).not.toBe(map.get('gate.direction.exit'));
      expect(map.get('gate.annul.entry'), lng).not.toBe(map.get('gate.annul.exit'));
    }
  });
});
