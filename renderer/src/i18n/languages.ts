// Owns the list of UI languages. Each language is named in itself (an endonym) in the switcher, which is
// why these few names are not translation keys: "Русский" reads the same whatever the current language.
export const languages = ['en', 'zh-CN', 'ru'] as const;
export type Language = (typeof languages)[number];

export const languageNames: Record<Language, string> = {
  en: 'English',
  'zh-CN': '简体中文',
  ru: 'Русский',
};

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (languages as readonly string[]).includes(value);

/** Best supported language for a BCP 47 tag such as "ru-RU", "zh-Hans-CN" or "en-GB". */
export function matchLanguage(tag: string | undefined | null): Language | null {
  if (!tag) return null;
  if (isLanguage(tag)) return tag;
  const base = tag.toLowerCase().split('-')[0];
  if (base === 'zh') return 'zh-CN';
  if (base === 'ru') return 'ru';
  if (base === 'en') return 'en';
  return null;
}
