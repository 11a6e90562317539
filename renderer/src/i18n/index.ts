// Owns i18next for the renderer: the three resource sets, the remembered language choice and the
// <html lang> attribute that follows it.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en';
import { ru } from './locales/ru';
import { zhCN } from './locales/zh-CN';
import { isLanguage, languages, matchLanguage, type Language } from './languages';

export { languages, languageNames, type Language } from './languages';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
    returnNull: false;
  }
}

const STORAGE_KEY = 'admit.language';

function rememberedLanguage(): Language | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : null;
  } catch {
    return null;
  }
}

function initialLanguage(): Language {
  const remembered = rememberedLanguage();
  if (remembered) return remembered;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const match = matchLanguage(tag);
    if (match) return match;
  }
  return 'en';
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}

export async function setLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Without storage the choice lasts for this page only.
  }
  await i18next.changeLanguage(language);
}

export async function initI18n(): Promise<typeof i18next> {
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  await i18next.use(initReactI18next).init({
    resources: {
      en: { translation: en },
      'zh-CN': { translation: zhCN },
      ru: { translation: ru },
    },
    lng: initialLanguage(),
    supportedLngs: [...languages],
    fallbackLng: 'en',
    // zh-CN must stay zh-CN, not be cut down to "zh".
    load: 'currentOnly',
    interpolation: { escapeValue: false }, // React escapes text itself.
    returnNull: false,
    initAsync: false,
  });
  document.documentElement.lang = i18next.language;
  return i18next;
}
