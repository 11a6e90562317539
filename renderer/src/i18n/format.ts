// Owns locale-aware display of the domain's non-money values: localized names and timestamps.
export type LocalizedText = Record<string, string>;

/** Picks the best name for a language: exact tag, then its base language, then English, then any. */
export function pickLocalized(text: LocalizedText | null | undefined, language: string): string {
  if (!text) return '';
  const exact = text[language];
  if (exact) return exact;
  const base = language.split('-')[0] ?? language;
  const sameBase = text[base] ?? Object.entries(text).find(([tag]) => tag.split('-')[0] === base)?.[1];
  if (sameBase) return sameBase;
  return text.en ?? Object.values(text).find((v) => v !== '') ?? '';
}

/** UTC timestamps from the core shown in the terminal's own time zone. */
export function formatDateTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'medium' }).format(date);
}

export function formatTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language, { timeStyle: 'medium' }).format(date);
}
