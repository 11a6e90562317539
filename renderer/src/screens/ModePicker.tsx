// Owns the choice of mode when the window was not opened for one: only modes the core offers are listed.
import { useTranslation } from 'react-i18next';
import type { Mode } from '../contract';

export interface RequestedMode {
  /** What the URL asked for, verbatim. */
  raw: string;
  /** The same, if it names a mode at all. */
  mode: Mode | null;
}

export function ModePicker(props: { modes: readonly Mode[]; requested: RequestedMode | null; onPick: (mode: Mode) => void }) {
  const { t } = useTranslation();
  const { modes, requested, onPick } = props;
  return (
    <main className="screen screen--centered" data-testid="mode-picker">
      <div className="card">
        <h1 className="card__title">{t('modePicker.title')}</h1>
        {requested !== null && (
          <p className="message message--warning" role="alert" data-testid="mode-unavailable" data-mode={requested.raw}>
            {requested.mode ? (
              <>
                <strong>{t(`mode.${requested.mode}`)}</strong> — {t('modePicker.notAvailable')}
              </>
            ) : (
              t('modePicker.unknownMode')
            )}
          </p>
        )}
        {modes.length === 0 ? (
          <p className="message" data-testid="mode-none">
            {t('modePicker.none')}
          </p>
        ) : (
          <div className="mode-picker">
            {modes.map((mode) => (
              <button
                key={mode}
                type="button"
                className="button button--large mode-picker__option"
                data-testid="mode-option"
                data-mode={mode}
                onClick={() => onPick(mode)}
              >
                {t(`mode.${mode}`)}
              </button>
            ))}
          </div>
        )}
      </div>
    </main>
  );
}
