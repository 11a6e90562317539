// Owns admin mode's Kiosk settings section: for the chosen event, its self-service kiosk settings — the
// time without a touch before the kiosk returns to its welcome screen and the countdown before that, the
// welcome screen's language, finding oneself by phone digits and name, printing a badge at check-in,
// and where the help desk is, in each language. Numbers out of range are shown as errors here and not
// sent; the core and the server check everything again, and their errors show their translated code.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import {
  KIOSK_COUNTDOWN_S,
  KIOSK_IDLE_RESET_S,
  KIOSK_LANGUAGES,
  type AdminPointsEvent,
  type CallError,
  type KioskLanguage,
  type KioskSettings as Settings,
} from '../../contract';
import { useCall } from '../../core';
import { pickLocalized } from '../../i18n/format';
import './admin-sections.css';

type Draft = {
  idleResetS: string;
  countdownS: string;
  defaultLanguage: KioskLanguage;
  findByPhone: boolean;
  printBadge: boolean;
  helpDesk: Record<KioskLanguage, string>;
};
type Problems = { idleResetS?: string; countdownS?: string };

function toDraft(s: Settings): Draft {
  return {
    idleResetS: String(s.idleResetS),
    countdownS: String(s.countdownS),
    defaultLanguage: s.defaultLanguage,
    findByPhone: s.findByPhone,
    printBadge: s.printBadge,
    helpDesk: { en: s.helpDesk?.en ?? '', 'zh-CN': s.helpDesk?.['zh-CN'] ?? '', ru: s.helpDesk?.ru ?? '' },
  };
}

/** A whole number of seconds within the limits, else null. */
function seconds(text: string, limits: { min: number; max: number }): number | null {
  if (!/^\s*\d{1,4}\s*$/.test(text)) return null;
  const n = Number(text.trim());
  return n >= limits.min && n <= limits.max ? n : null;
}

export function KioskSettings() {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [events, setEvents] = useState<AdminPointsEvent[] | null>(null);
  const [eventId, setEventId] = useState('');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  useEffect(() => {
    let live = true;
    void call('admin.points.events', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setEvents(r.value);
        setEventId((current) => (current !== '' && r.value.some((e) => e.id === current) ? current : (r.value[0]?.id ?? '')));
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call]);

  useEffect(() => {
    if (eventId === '') return;
    let live = true;
    void call('admin.kiosk.settings', { eventId }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setDraft(toDraft(r.value));
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, eventId]);

  const pickEvent = (id: string) => {
    setDraft(null);
    setProblems({});
    setDone(false);
    setEventId(id);
  };
  const change = (patch: Partial<Draft>) => {
    setDone(false);
    setDraft((d) => (d === null ? d : { ...d, ...patch }));
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    if (draft === null || busy) return;
    setDone(false);
    setError(null);
    const idleResetS = seconds(draft.idleResetS, KIOSK_IDLE_RESET_S);
    const countdownS = seconds(draft.countdownS, KIOSK_COUNTDOWN_S);
    const found: Problems = {};
    if (idleResetS === null) found.idleResetS = t('adminKiosk.idleOutOfRange');
    if (countdownS === null) found.countdownS = t('adminKiosk.countdownOutOfRange');
    else if (idleResetS !== null && countdownS > idleResetS) found.countdownS = t('adminKiosk.countdownTooLong');
    setProblems(found);
    if (idleResetS === null || countdownS === null || found.countdownS !== undefined) return;
    const texts = KIOSK_LANGUAGES.map((l) => [l, draft.helpDesk[l].trim()] as const).filter(([, v]) => v !== '');
    setBusy(true);
    const r = await call('admin.kiosk.saveSettings', {
      eventId,
      idleResetS,
      countdownS,
      defaultLanguage: draft.defaultLanguage,
      findByPhone: draft.findByPhone,
      printBadge: draft.printBadge,
      helpDesk: texts.length === 0 ? null : Object.fromEntries(texts),
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setDraft(toDraft(r.value));
    setDone(true);
  }

  return (
    <div className="admin-kiosk" data-testid="kiosk-settings">
      <section className="card">
        <div className="admin-section__head">
          <h2 className="section-title">{t('adminKiosk.title')}</h2>
          <label>
            {t('adminKiosk.event')}{' '}
            <select data-testid="kiosk-settings-event" value={eventId} onChange={(e) => pickEvent(e.target.value)}>
              {(events ?? []).map((ev) => (
                <option key={ev.id} value={ev.id}>
                  {pickLocalized(ev.name, i18n.language)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ErrorMessage error={error} testId="kiosk-settings-error" />
        {events !== null && events.length === 0 && <p data-testid="kiosk-settings-no-events">{t('adminKiosk.noEvents')}</p>}
        {eventId !== '' && draft === null && error === null && (
          <p data-testid="kiosk-settings-loading">{t('adminKiosk.loading')}</p>
        )}
        {draft !== null && (
          <form
            className="admin-form"
            data-testid="kiosk-settings-form"
            data-event-id={eventId}
            noValidate
            onSubmit={(e) => void save(e)}
          >
            <label>
              {t('adminKiosk.idleResetS')}
              <input
                type="number"
                inputMode="numeric"
                data-testid="kiosk-settings-idle"
                min={KIOSK_IDLE_RESET_S.min}
                max={KIOSK_IDLE_RESET_S.max}
                step={1}
                value={draft.idleResetS}
                aria-invalid={problems.idleResetS !== undefined}
                aria-errormessage={problems.idleResetS !== undefined ? 'kiosk-settings-idle-error' : undefined}
                onChange={(e) => change({ idleResetS: e.target.value })}
              />
              <span className="field__hint">{t('adminKiosk.idleResetHint')}</span>
            </label>
            <label>
              {t('adminKiosk.countdownS')}
              <input
                type="number"
                inputMode="numeric"
                data-testid="kiosk-settings-countdown"
                min={KIOSK_COUNTDOWN_S.min}
                max={KIOSK_COUNTDOWN_S.max}
                step={1}
                value={draft.countdownS}
                aria-invalid={problems.countdownS !== undefined}
                aria-errormessage={problems.countdownS !== undefined ? 'kiosk-settings-countdown-error' : undefined}
                onChange={(e) => change({ countdownS: e.target.value })}
              />
              <span className="field__hint">{t('adminKiosk.countdownHint')}</span>
            </label>
            {(problems.idleResetS !== undefined || problems.countdownS !== undefined) && (
              <div className="admin-form__windows">
                {problems.idleResetS !== undefined && (
                  <p
                    className="message message--error"
                    role="alert"
                    id="kiosk-settings-idle-error"
                    data-testid="kiosk-settings-idle-error"
                  >
                    {problems.idleResetS}
                  </p>
                )}
                {problems.countdownS !== undefined && (
                  <p
                    className="message message--error"
                    role="alert"
                    id="kiosk-settings-countdown-error"
                    data-testid="kiosk-settings-countdown-error"
                  >
                    {problems.countdownS}
                  </p>
                )}
              </div>
            )}
            <label>
              {t('adminKiosk.defaultLanguage')}
              <select
                data-testid="kiosk-settings-language"
                value={draft.defaultLanguage}
                onChange={(e) => change({ defaultLanguage: e.target.value as KioskLanguage })}
              >
                {KIOSK_LANGUAGES.map((l) => (
                  <option key={l} value={l}>
                    {t(`adminKiosk.languages.${l}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="admin-form__choice">
              <input
                type="checkbox"
                data-testid="kiosk-settings-find-by-phone"
                checked={draft.findByPhone}
                onChange={(e) => change({ findByPhone: e.target.checked })}
              />
              {t('adminKiosk.findByPhone')}
            </label>
            <label className="admin-form__choice">
              <input
                type="checkbox"
                data-testid="kiosk-settings-print-badge"
                checked={draft.printBadge}
                onChange={(e) => change({ printBadge: e.target.checked })}
              />
              {t('adminKiosk.printBadge')}
            </label>
            <fieldset className="admin-form__windows" data-testid="kiosk-settings-help-desk">
              <legend>{t('adminKiosk.helpDesk')}</legend>
              <span className="field__hint">{t('adminKiosk.helpDeskHint')}</span>
              {KIOSK_LANGUAGES.map((l) => (
                <label key={l}>
                  {t(`adminKiosk.helpDeskIn.${l}`)}
                  <input
                    data-testid={`kiosk-settings-help-desk-${l}`}
                    lang={l}
                    value={draft.helpDesk[l]}
                    maxLength={500}
                    onChange={(e) => change({ helpDesk: { ...draft.helpDesk, [l]: e.target.value } })}
                  />
                </label>
              ))}
            </fieldset>
            {done && (
              <p className="message message--ok" role="status" data-testid="kiosk-settings-done">
                {t('adminKiosk.saved')}
              </p>
            )}
            <button type="submit" className="button button--primary" data-testid="kiosk-settings-save" disabled={busy}>
              {busy ? t('adminKiosk.saving') : t('adminKiosk.save')}
            </button>
          </form>
        )}
      </section>
    </div>
  );
}
