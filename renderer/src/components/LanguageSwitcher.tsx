// Owns the language choice control; the choice itself is remembered by ../i18n.
import { useTranslation } from 'react-i18next';
import { currentLanguage, languageNames, languages, setLanguage } from '../i18n';
import { isLanguage } from '../i18n/languages';

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const value = isLanguage(i18n.language) ? i18n.language : currentLanguage();
  return (
    <label className="language-switcher">
      <span className="visually-hidden">{t('header.language')}</span>
      <select
        data-testid="language-select"
        value={value}
        aria-label={t('header.language')}
        onChange={(e) => {
          if (isLanguage(e.target.value)) void setLanguage(e.target.value);
        }}
      >
        {languages.map((lng) => (
          <option key={lng} value={lng} lang={lng}>
            {languageNames[lng]}
          </option>
        ))}
      </select>
    </label>
  );
}
