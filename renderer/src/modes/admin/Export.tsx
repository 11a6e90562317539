// Owns admin mode's Export section: an event's attendees, orders or check-ins as CSV or XLSX, with the
// header in a chosen language. The core fetches the whole file from the server (at most 64 MiB) and the
// section offers it as a download under the server's file name.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { safeString } from '../../components/SafeText';
import { EXPORT_FORMATS, EXPORT_KINDS, EXPORT_LANGS, type AdminImportEvent, type CallError } from '../../contract';
import { useCall } from '../../core';
import { languageNames } from '../../i18n';
import { pickLocalized } from '../../i18n/format';

type Kind = (typeof EXPORT_KINDS)[number];
type Format = (typeof EXPORT_FORMATS)[number];
type Lang = (typeof EXPORT_LANGS)[number];

function fromBase64(data: string): Uint8Array<ArrayBuffer> {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Offers `bytes` as a download named `fileName`. */
function offerDownload(bytes: Uint8Array<ArrayBuffer>, fileName: string, contentType: string) {
  const url = URL.createObjectURL(new Blob([bytes], { type: contentType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function Export() {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [events, setEvents] = useState<AdminImportEvent[] | null>(null);
  const [eventId, setEventId] = useState('');
  const [kind, setKind] = useState<Kind>('attendees');
  const [format, setFormat] = useState<Format>('xlsx');
  const [lang, setLang] = useState<Lang>(() => ((EXPORT_LANGS as readonly string[]).includes(i18n.language) ? (i18n.language as Lang) : 'en'));
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ fileName: string; size: number } | null>(null);

  useEffect(() => {
    let live = true;
    void call('admin.import.events', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setEvents(r.value);
        setEventId((current) => current || (r.value[0]?.id ?? ''));
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call]);

  async function download() {
    setBusy(true);
    setError(null);
    setDone(null);
    const r = await call('admin.export.download', { eventId, kind, format, lang });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    offerDownload(fromBase64(r.value.data), r.value.fileName, r.value.contentType);
    setDone({ fileName: r.value.fileName, size: r.value.size });
  }

  return (
    <div className="admin-export" data-testid="export">
      <section className="card">
        <h2 className="section-title">{t('adminImport.exportTitle')}</h2>
        <div className="admin-import__form">
          <label className="field">
            <span className="field__label">{t('adminImport.event')}</span>
            <select className="input" data-testid="export-event" value={eventId} onChange={(e) => setEventId(e.target.value)}>
              {(events ?? []).map((e) => (
                <option key={e.id} value={e.id}>
                  {safeString(pickLocalized(e.name, i18n.language))}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field__label">{t('adminImport.exportKind')}</span>
            <select className="input" data-testid="export-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              {EXPORT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`adminImport.exportKinds.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field__label">{t('adminImport.format')}</span>
            <select className="input" data-testid="export-format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
              {EXPORT_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field__label">{t('adminImport.exportLang')}</span>
            <select className="input" data-testid="export-lang" value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
              {EXPORT_LANGS.map((l) => (
                <option key={l} value={l}>
                  {languageNames[l] ?? l}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button button--primary" data-testid="export-download" disabled={busy || !eventId} onClick={() => void download()}>
            {t('adminImport.exportButton')}
          </button>
          {busy && <p role="status">{t('adminImport.exporting')}</p>}
          <ErrorMessage error={error} testId="export-error" />
          {done && (
            <p className="message message--ok" role="status" data-testid="export-done">
              {t('adminImport.exported', { name: safeString(done.fileName), size: done.size })}
            </p>
          )}
        </div>
      </section>
    </div>
  );
}
