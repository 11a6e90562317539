// Owns admin mode's Events section: the list of the organizer's events and a new event (names in the
// three UI languages, dates, time zone, currency, its first ticket type); an event's page with its details
// (venue, address, time zone, dates, currency, languages), its sessions, its ticket types (a table and a
// form with the sale rules: price, capacity, session, sale window, limits, channels, real-name, required
// attendee fields) and quotas shared between types. Money is typed as a decimal in the event's currency
// and sent as integer minor units; dates are typed on the event's wall clock (its time zone) and sent as
// instants. What can be checked here is checked before anything is sent; the server's refusals show
// their translated meaning, and nothing changes then.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText } from '../../components/SafeText';
import {
  ATTENDEE_FIELDS,
  EVENT_LANGUAGES,
  MAX_AMOUNT_MINOR,
  POLICY_ACTORS,
  SALE_CHANNELS,
  currencyDigits,
  instantToZoned,
  isTimeZone,
  minorToDecimalString,
  parseMoneyInput,
  zonedToInstant,
  type AdminEventDetails,
  type AdminEventPage,
  type AdminEventSummary,
  type AdminQuota,
  type AdminSession,
  type AdminTicketType,
  type AttendeeField,
  type CallError,
  type EventLanguage,
  type PolicyActor,
  type PolicyRule,
  type RefundPolicy,
  type SaleChannel,
} from '../../contract';
import { useCall } from '../../core';
import { languageNames, languages, type Language } from '../../i18n';
import { pickLocalized } from '../../i18n/format';

type Names = Record<Language, string>;
type Context = 'event' | 'type' | 'quota' | 'other';
type Problem = { key: string; values?: Record<string, string | number> };

const namesOf = (name: Record<string, string> | undefined): Names => ({ en: name?.en ?? '', 'zh-CN': name?.['zh-CN'] ?? '', ru: name?.ru ?? '' });
/** The typed names over the stored ones (other languages kept); null when no language is left. */
function nameFrom(names: Names, stored: Record<string, string> = {}): Record<string, string> | null {
  const out: Record<string, string> = { ...stored };
  for (const l of languages) {
    const text = names[l].trim();
    if (text === '') delete out[l];
    else out[l] = text;
  }
  return Object.keys(out).length > 0 ? out : null;
}
const sameName = (a: Record<string, string>, b: Record<string, string>) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** An instant shown on the wall clock of `zone`. */
function whenIn(iso: string | null | undefined, zone: string, language: string): string {
  if (!iso) return '';
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(new Date(iso));
  } catch {
    return iso;
  }
}

/** "" → null; a whole number in [min, max] → it; anything else → undefined (a problem). */
function optionalInt(text: string, min: number, max: number): number | null | undefined {
  const s = text.trim();
  if (s === '') return null;
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= min && n <= max ? n : undefined;
}

function ProblemLine(props: { problem: Problem | null; testId: string }) {
  const { t } = useTranslation();
  if (!props.problem) return null;
  return (
    <p className="message message--error" role="alert" data-testid={props.testId} data-problem={props.problem.key}>
      {t(`adminEvents.problem.${props.problem.key}` as 'adminEvents.problem.name', props.problem.values ?? {})}
    </p>
  );
}

/** A refusal as the organizer should read it: a server conflict or bad value in this form's terms. */
function Refusal(props: { error: CallError | null; context: Context; testId: string }) {
  const { t } = useTranslation();
  const { error } = props;
  if (!error) return null;
  if (error.code === 'server_rejected' && error.detail === 'event_has_tickets') {
    return (
      <p className="message message--error" role="alert" data-testid={props.testId} data-code="event_has_tickets">
        {t('adminEvents.conflict.dates')}
      </p>
    );
  }
  if (error.code === 'server_rejected' && error.detail === 'conflict') {
    return (
      <p className="message message--error" role="alert" data-testid={props.testId} data-code="conflict">
        {t(`adminEvents.conflict.${props.context}`)}
      </p>
    );
  }
  if (error.code === 'invalid_input') {
    return (
      <p className="message message--error" role="alert" data-testid={props.testId} data-code="invalid_input">
        {t('adminEvents.invalid')}
      </p>
    );
  }
  return <ErrorMessage error={error} testId={props.testId} />;
}

function NameInputs(props: { names: Names; onChange: (n: Names) => void; testId: string }) {
  const { t } = useTranslation();
  return (
    <>
      {languages.map((l) => (
        <label key={l}>
          {t('adminEvents.nameIn', { language: languageNames[l] })}
          <input
            lang={l}
            data-testid={`${props.testId}-${l}`}
            value={props.names[l]}
            maxLength={200}
            onChange={(e) => props.onChange({ ...props.names, [l]: e.target.value })}
          />
        </label>
      ))}
    </>
  );
}

function Field(props: { label: string; children: ReactNode }) {
  return (
    <label>
      {props.label}
      {props.children}
    </label>
  );
}

/** The two wall times read in `zone`: instants, or a problem. */
function readRange(from: string, to: string, zone: string, allowEmpty: boolean): { from: string | null; to: string | null } | Problem {
  const a = from.trim() === '' ? null : zonedToInstant(from, zone);
  const b = to.trim() === '' ? null : zonedToInstant(to, zone);
  if ((from.trim() !== '' && a === null) || (to.trim() !== '' && b === null)) return { key: 'date' };
  if (!allowEmpty && (a === null || b === null)) return { key: 'date' };
  return { from: a, to: b };
}
const isProblem = (x: object): x is Problem => 'key' in x;

export function Events() {
  const [openId, setOpenId] = useState<string | null>(null);
  return openId === null ? <EventList onOpen={setOpenId} /> : <EventPageView eventId={openId} onBack={() => setOpenId(null)} />;
}

function EventList(props: { onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [events, setEvents] = useState<AdminEventSummary[] | null>(null);
  const [error, setError] = useState<CallError | null>(null);

  useEffect(() => {
    let live = true;
    void call('admin.events.list', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setEvents(r.value);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call]);

  return (
    <div className="staff admin-events" data-testid="events">
      <section className="card">
        <h2 className="section-title">{t('adminEvents.title')}</h2>
        <ErrorMessage error={error} testId="events-error" />
        {events !== null && events.length === 0 && <p data-testid="events-empty">{t('adminEvents.empty')}</p>}
        {events !== null && events.length > 0 && (
          <table className="table" data-testid="events-list">
            <thead>
              <tr>
                <th>{t('adminEvents.name')}</th>
                <th>{t('adminEvents.when')}</th>
                <th>{t('adminEvents.currency')}</th>
                <th>{t('adminEvents.types')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} data-testid="events-row" data-event-id={e.id}>
                  <td data-testid="events-name">
                    <SafeText text={pickLocalized(e.name, i18n.language)} />
                  </td>
                  <td>
                    {whenIn(e.startsAt, e.timezone, i18n.language)} – {whenIn(e.endsAt, e.timezone, i18n.language)} <SafeText text={e.timezone} />
                  </td>
                  <td>{e.currency}</td>
                  <td>{t('adminEvents.typeCount', { count: e.ticketTypes.length })}</td>
                  <td>
                    <button type="button" className="button" data-testid="events-open" onClick={() => props.onOpen(e.id)}>
                      {t('adminEvents.open')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <CreateEvent onCreated={props.onOpen} />
    </div>
  );
}

function CreateEvent(props: { onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const [names, setNames] = useState<Names>(namesOf(undefined));
  const [zone, setZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [currency, setCurrency] = useState('EUR');
  const [starts, setStarts] = useState('');
  const [ends, setEnds] = useState('');
  const [typeNames, setTypeNames] = useState<Names>(namesOf(undefined));
  const [price, setPrice] = useState('');
  const [capacity, setCapacity] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setError(null);
    const name = nameFrom(names);
    if (!name) return setProblem({ key: 'name' });
    if (!isTimeZone(zone.trim())) return setProblem({ key: 'timezone' });
    const code = currency.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) return setProblem({ key: 'currency' });
    const range = readRange(starts, ends, zone.trim(), false);
    if (isProblem(range)) return setProblem(range);
    if (Date.parse(range.to!) < Date.parse(range.from!)) return setProblem({ key: 'endBeforeStart' });
    const typeName = nameFrom(typeNames);
    if (!typeName) return setProblem({ key: 'name' });
    const money = readPrice(price, code);
    if (isProblem(money)) return setProblem(money);
    const cap = optionalInt(capacity, 0, 10_000_000);
    if (cap === undefined) return setProblem({ key: 'wholeNumber', values: { field: t('adminEvents.type.capacity') } });
    setBusy(true);
    const r = await call('admin.events.create', {
      name,
      timezone: zone.trim(),
      currency: code,
      startsAt: range.from!,
      endsAt: range.to!,
      ticketTypes: [{ name: typeName, priceMinor: money.minor, capacity: cap }],
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    props.onCreated(r.value.id);
  }

  return (
    <section className="card">
      <h2 className="section-title">{t('adminEvents.create')}</h2>
      <form className="staff-form" data-testid="event-create" onSubmit={(e) => void create(e)}>
        <NameInputs names={names} onChange={setNames} testId="event-create-name" />
        <Field label={t('adminEvents.timezone')}>
          <input data-testid="event-create-timezone" value={zone} placeholder={t('adminEvents.timezoneHint')} onChange={(e) => setZone(e.target.value)} />
        </Field>
        <Field label={t('adminEvents.currency')}>
          <input data-testid="event-create-currency" value={currency} maxLength={3} onChange={(e) => setCurrency(e.target.value)} />
        </Field>
        <Field label={t('adminEvents.starts')}>
          <input type="datetime-local" data-testid="event-create-starts" value={starts} onChange={(e) => setStarts(e.target.value)} />
        </Field>
        <Field label={t('adminEvents.ends')}>
          <input type="datetime-local" data-testid="event-create-ends" value={ends} onChange={(e) => setEnds(e.target.value)} />
        </Field>
        <h3 className="section-title">{t('adminEvents.firstType')}</h3>
        <NameInputs names={typeNames} onChange={setTypeNames} testId="event-create-type-name" />
        <Field label={t('adminEvents.type.price', { currency: currency.trim().toUpperCase() })}>
          <input data-testid="event-create-type-price" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
        </Field>
        <Field label={t('adminEvents.type.capacity')}>
          <input data-testid="event-create-type-capacity" inputMode="numeric" placeholder={t('adminEvents.type.capacityHint')} value={capacity} onChange={(e) => setCapacity(e.target.value)} />
        </Field>
        <ProblemLine problem={problem} testId="event-create-problem" />
        <Refusal error={error} context="event" testId="event-create-error" />
        <button type="submit" className="button button--primary" data-testid="event-create-submit" disabled={busy}>
          {t('adminEvents.createButton')}
        </button>
      </form>
    </section>
  );
}

function readPrice(text: string, currency: string): { minor: number } | Problem {
  let digits: number;
  try {
    digits = currencyDigits(currency);
  } catch {
    return { key: 'currency' };
  }
  const parsed = parseMoneyInput(text, currency, MAX_AMOUNT_MINOR);
  if (parsed.ok) return { minor: parsed.amountMinor };
  if (parsed.reason === 'too_many_decimals') return { key: 'priceDecimals', values: { currency, digits } };
  if (parsed.reason === 'too_large') return { key: 'priceTooLarge' };
  return { key: 'price' };
}

function EventPageView(props: { eventId: string; onBack: () => void }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [page, setPage] = useState<AdminEventPage | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [generation, setGeneration] = useState(0);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void call('admin.events.get', { eventId: props.eventId }).then((r) => {
      if (!live) return;
      if (r.ok) {
        setPage(r.value);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, props.eventId, generation]);

  const changed = (message: string) => {
    setDone(message);
    setGeneration((g) => g + 1);
  };

  return (
    <div className="staff admin-events" data-testid="event-page" data-event-id={props.eventId}>
      <section className="card">
        <button type="button" className="button" data-testid="event-back" onClick={props.onBack}>
          {t('adminEvents.back')}
        </button>
        <h2 className="section-title" data-testid="event-title">
          {page ? <SafeText text={pickLocalized(page.name, i18n.language)} /> : t('adminEvents.loading')}
        </h2>
        <ErrorMessage error={error} testId="event-error" />
        {done !== null && (
          <p className="message message--ok" role="status" data-testid="event-done">
            {done}
          </p>
        )}
        {page && <p>{t('adminEvents.inZone', { zone: page.timezone })}</p>}
      </section>
      {page && (
        <>
          <DetailsForm key={`details-${generation}`} event={page} onSaved={() => changed(t('adminEvents.saved'))} />
          <Sessions key={`sessions-${generation}`} page={page} onChanged={changed} />
          <TicketTypes key={`types-${generation}`} page={page} onChanged={changed} />
          <Quotas key={`quotas-${generation}`} page={page} onChanged={changed} />
        </>
      )}
    </div>
  );
}

function DetailsForm(props: { event: AdminEventDetails; onSaved: () => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const ev = props.event;
  const [names, setNames] = useState(namesOf(ev.name));
  const [venue, setVenue] = useState(ev.venue ?? '');
  const [address, setAddress] = useState(ev.address ?? '');
  const [zone, setZone] = useState(ev.timezone);
  const [currency, setCurrency] = useState(ev.currency);
  const [starts, setStarts] = useState(instantToZoned(ev.startsAt, ev.timezone));
  const [ends, setEnds] = useState(instantToZoned(ev.endsAt, ev.timezone));
  const [langs, setLangs] = useState<EventLanguage[]>(ev.languages ?? [...EVENT_LANGUAGES]);
  const [defaultLang, setDefaultLang] = useState<EventLanguage>(ev.defaultLanguage ?? 'en');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setError(null);
    const name = nameFrom(names, ev.name);
    if (!name) return setProblem({ key: 'name' });
    if (!isTimeZone(zone.trim())) return setProblem({ key: 'timezone' });
    const code = currency.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) return setProblem({ key: 'currency' });
    const range = readRange(starts, ends, zone.trim(), false);
    if (isProblem(range)) return setProblem(range);
    if (Date.parse(range.to!) < Date.parse(range.from!)) return setProblem({ key: 'endBeforeStart' });
    if (langs.length === 0 || !langs.includes(defaultLang)) return setProblem({ key: 'languages' });
    const patch: Record<string, unknown> = {};
    if (!sameName(name, ev.name)) patch.name = name;
    if (venue.trim() !== (ev.venue ?? '')) patch.venue = venue.trim() === '' ? null : venue.trim();
    if (address.trim() !== (ev.address ?? '')) patch.address = address.trim() === '' ? null : address.trim();
    if (zone.trim() !== ev.timezone) patch.timezone = zone.trim();
    if (code !== ev.currency) patch.currency = code;
    if (Date.parse(range.from!) !== Date.parse(ev.startsAt)) patch.startsAt = range.from;
    if (Date.parse(range.to!) !== Date.parse(ev.endsAt)) patch.endsAt = range.to;
    const ordered = EVENT_LANGUAGES.filter((l) => langs.includes(l));
    if (JSON.stringify(ordered) !== JSON.stringify(ev.languages ?? EVENT_LANGUAGES)) patch.languages = ordered;
    if (defaultLang !== (ev.defaultLanguage ?? 'en')) patch.defaultLanguage = defaultLang;
    if (Object.keys(patch).length === 0) return setProblem({ key: 'nothingChanged' });
    setBusy(true);
    const r = await call('admin.events.update', { eventId: ev.id, ...patch });
    setBusy(false);
    if (r.ok) props.onSaved();
    else setError(r.error);
  }

  return (
    <section className="card">
      <h2 className="section-title">{t('adminEvents.details')}</h2>
      <form className="staff-form" data-testid="event-details" onSubmit={(e) => void save(e)}>
        <NameInputs names={names} onChange={setNames} testId="event-name" />
        <Field label={t('adminEvents.venue')}>
          <input data-testid="event-venue" value={venue} maxLength={500} onChange={(e) => setVenue(e.target.value)} />
        </Field>
        <Field label={t('adminEvents.address')}>
          <input data-testid="event-address" value={address} maxLength={500} onChange={(e) => setAddress(e.target.value)} />
        </Field>
        <Field label={t('adminEvents.timezone')}>
          <input data-testid="event-timezone" value={zone} placeholder={t('adminEvents.timezoneHint')} onChange={(e) => setZone(e.target.value)} />
        </Field>
        <Field label={t('adminEvents.currency')}>
          <input data-testid="event-currency" value={currency} maxLength={3} onChange={(e) => setCurrency(e.target.value)} />
        </Field>
        <Field label={t('adminEvents.starts')}>
          <input type="datetime-local" data-testid="event-starts" value={starts} onChange={(e) => setStarts(e.target.value)} />
        </Field>
        <Field label={t('adminEvents.ends')}>
          <input type="datetime-local" data-testid="event-ends" value={ends} onChange={(e) => setEnds(e.target.value)} />
        </Field>
        <fieldset data-testid="event-languages">
          <legend>{t('adminEvents.languages')}</legend>
          {EVENT_LANGUAGES.map((l) => (
            <label key={l}>
              <input
                type="checkbox"
                data-testid={`event-language-${l}`}
                checked={langs.includes(l)}
                onChange={(e) => setLangs(e.target.checked ? [...langs, l] : langs.filter((x) => x !== l))}
              />
              {languageNames[l]}
            </label>
          ))}
        </fieldset>
        <Field label={t('adminEvents.defaultLanguage')}>
          <select data-testid="event-default-language" value={defaultLang} onChange={(e) => setDefaultLang(e.target.value as EventLanguage)}>
            {EVENT_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {languageNames[l]}
              </option>
            ))}
          </select>
        </Field>
        <ProblemLine problem={problem} testId="event-details-problem" />
        <Refusal error={error} context="event" testId="event-details-error" />
        <button type="submit" className="button button--primary" data-testid="event-details-save" disabled={busy}>
          {t('adminEvents.save')}
        </button>
      </form>
    </section>
  );
}

function Sessions(props: { page: AdminEventPage; onChanged: (message: string) => void }) {
  const { t, i18n } = useTranslation();
  const { page } = props;
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  return (
    <section className="card" data-testid="sessions">
      <h2 className="section-title">{t('adminEvents.sessions.title')}</h2>
      {page.sessions.length === 0 && <p data-testid="sessions-empty">{t('adminEvents.sessions.empty')}</p>}
      {page.sessions.length > 0 && (
        <table className="table" data-testid="sessions-list">
          <thead>
            <tr>
              <th>{t('adminEvents.name')}</th>
              <th>{t('adminEvents.starts')}</th>
              <th>{t('adminEvents.ends')}</th>
              <th>{t('adminEvents.type.state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {page.sessions.map((s) => (
              <tr key={s.id} data-testid="session-row" data-session-id={s.id}>
                <td>
                  <SafeText text={pickLocalized(s.name, i18n.language)} />
                </td>
                <td data-testid="session-starts">{whenIn(s.startsAt, page.timezone, i18n.language)}</td>
                <td data-testid="session-ends">{whenIn(s.endsAt, page.timezone, i18n.language)}</td>
                <td>{s.active ? t('adminEvents.sessions.active') : t('adminEvents.sessions.inactive')}</td>
                <td>
                  <button type="button" className="button" data-testid="session-edit" onClick={() => setEditing(editing === s.id ? null : s.id)}>
                    {t('adminEvents.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing === null ? (
        <button type="button" className="button" data-testid="session-add" onClick={() => setEditing('new')}>
          {t('adminEvents.sessions.add')}
        </button>
      ) : (
        <SessionForm
          key={editing}
          page={page}
          session={page.sessions.find((s) => s.id === editing) ?? null}
          onCancel={() => setEditing(null)}
          onSaved={() => props.onChanged(t('adminEvents.saved'))}
        />
      )}
    </section>
  );
}

function SessionForm(props: { page: AdminEventPage; session: AdminSession | null; onCancel: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const { page, session } = props;
  const zone = page.timezone;
  const [names, setNames] = useState(namesOf(session?.name));
  const [starts, setStarts] = useState(instantToZoned(session?.startsAt ?? page.startsAt, zone));
  const [ends, setEnds] = useState(instantToZoned(session?.endsAt ?? page.endsAt, zone));
  const [active, setActive] = useState(session?.active ?? true);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setError(null);
    const name = nameFrom(names, session?.name);
    if (!name) return setProblem({ key: 'name' });
    const range = readRange(starts, ends, zone, false);
    if (isProblem(range)) return setProblem(range);
    if (Date.parse(range.to!) < Date.parse(range.from!)) return setProblem({ key: 'endBeforeStart' });
    setBusy(true);
    let r;
    if (session === null) {
      r = await call('admin.sessions.create', { eventId: page.id, name, startsAt: range.from!, endsAt: range.to!, active });
    } else {
      const patch: { name?: Record<string, string>; startsAt?: string; endsAt?: string; active?: boolean } = {};
      if (!sameName(name, session.name)) patch.name = name;
      if (Date.parse(range.from!) !== Date.parse(session.startsAt)) patch.startsAt = range.from!;
      if (Date.parse(range.to!) !== Date.parse(session.endsAt)) patch.endsAt = range.to!;
      if (active !== session.active) patch.active = active;
      if (Object.keys(patch).length === 0) {
        setBusy(false);
        return setProblem({ key: 'nothingChanged' });
      }
      r = await call('admin.sessions.update', { sessionId: session.id, ...patch });
    }
    setBusy(false);
    if (r.ok) props.onSaved();
    else setError(r.error);
  }

  return (
    <form className="staff-form" data-testid="session-form" onSubmit={(e) => void save(e)}>
      <NameInputs names={names} onChange={setNames} testId="session-name" />
      <Field label={t('adminEvents.starts')}>
        <input type="datetime-local" data-testid="session-starts-input" value={starts} onChange={(e) => setStarts(e.target.value)} />
      </Field>
      <Field label={t('adminEvents.ends')}>
        <input type="datetime-local" data-testid="session-ends-input" value={ends} onChange={(e) => setEnds(e.target.value)} />
      </Field>
      <label>
        <input type="checkbox" data-testid="session-active" checked={active} onChange={(e) => setActive(e.target.checked)} />
        {t('adminEvents.sessions.active')}
      </label>
      <ProblemLine problem={problem} testId="session-problem" />
      <Refusal error={error} context="other" testId="session-error" />
      <button type="submit" className="button button--primary" data-testid="session-save" disabled={busy}>
        {t('adminEvents.save')}
      </button>
      <button type="button" className="button" onClick={props.onCancel}>
        {t('adminEvents.cancel')}
      </button>
    </form>
  );
}

function TicketTypes(props: { page: AdminEventPage; onChanged: (message: string) => void }) {
  const { t, i18n } = useTranslation();
  const { page } = props;
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const sessionName = (id: string | null | undefined) => {
    const s = id ? page.sessions.find((x) => x.id === id) : undefined;
    return s ? pickLocalized(s.name, i18n.language) : t('adminEvents.sessions.wholeEvent');
  };
  const window = (ty: AdminTicketType) =>
    !ty.saleStartsAt && !ty.saleEndsAt
      ? t('adminEvents.type.always')
      : `${whenIn(ty.saleStartsAt, page.timezone, i18n.language) || '…'} – ${whenIn(ty.saleEndsAt, page.timezone, i18n.language) || '…'}`;
  return (
    <section className="card" data-testid="types">
      <h2 className="section-title">{t('adminEvents.types')}</h2>
      <table className="table" data-testid="types-list">
        <thead>
          <tr>
            <th>{t('adminEvents.name')}</th>
            <th>{t('adminEvents.type.priceShort')}</th>
            <th>{t('adminEvents.type.capacity')}</th>
            <th>{t('adminEvents.type.sold')}</th>
            <th>{t('adminEvents.type.session')}</th>
            <th>{t('adminEvents.type.saleWindow')}</th>
            <th>{t('adminEvents.type.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {page.ticketTypes.map((ty) => (
            <tr key={ty.id} data-testid="type-row" data-type-id={ty.id} data-active={String(ty.active ?? true)}>
              <td data-testid="type-name">
                <SafeText text={pickLocalized(ty.name, i18n.language)} />
              </td>
              <td data-testid="type-price">
                {minorToDecimalString(ty.priceMinor, currencyDigits(ty.currency))} {ty.currency}
              </td>
              <td data-testid="type-capacity">{ty.capacity ?? t('adminEvents.type.unlimited')}</td>
              <td>{ty.sold}</td>
              <td>
                <SafeText text={sessionName(ty.sessionId)} />
              </td>
              <td data-testid="type-window">{window(ty)}</td>
              <td>{(ty.active ?? true) ? t('adminEvents.type.active') : t('adminEvents.type.off')}</td>
              <td>
                <button type="button" className="button" data-testid="type-edit" onClick={() => setEditing(editing === ty.id ? null : ty.id)}>
                  {t('adminEvents.edit')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing === null ? (
        <button type="button" className="button" data-testid="type-add" onClick={() => setEditing('new')}>
          {t('adminEvents.type.add')}
        </button>
      ) : (
        <TypeForm
          key={editing}
          page={page}
          type={page.ticketTypes.find((x) => x.id === editing) ?? null}
          onCancel={() => setEditing(null)}
          onSaved={() => props.onChanged(t('adminEvents.saved'))}
        />
      )}
    </section>
  );
}

type TypeValues = {
  name: Record<string, string>;
  priceMinor: number;
  capacity: number | null;
  sessionId: string | null;
  saleStartsAt: string | null;
  saleEndsAt: string | null;
  maxPerOrder: number | null;
  maxPerAttendee: number | null;
  channels: SaleChannel[];
  realName: boolean;
  requiredFields: AttendeeField[];
  active: boolean;
  refundPolicy: RefundPolicy | null;
};

/** One rule of a refund policy as the form holds it: null when the action is not allowed. */
type RuleDraft = { hours: string; feeKind: 'fixed' | 'percent'; fee: string; who: PolicyActor } | null;

function ruleDraft(rule: PolicyRule | null | undefined, currency: string): RuleDraft {
  if (!rule) return null;
  const fee = rule.fee.kind === 'fixed' ? minorToDecimalString(rule.fee.amountMinor, currencyDigits(currency)) : String(rule.fee.basisPoints / 100);
  return { hours: String(rule.hoursBefore), feeKind: rule.fee.kind, fee, who: rule.who };
}

/** The rule a draft makes, or what is wrong with it (`field`: the translated name of the action). */
function readRule(draft: RuleDraft, currency: string, field: string): PolicyRule | null | Problem {
  if (!draft) return null;
  const hours = optionalInt(draft.hours, 0, 8760);
  if (hours === undefined) return { key: 'wholeNumber', values: { field } };
  if (draft.feeKind === 'fixed') {
    const money = draft.fee.trim() === '' ? { minor: 0 } : readPrice(draft.fee, currency);
    if (isProblem(money)) return money;
    return { hoursBefore: hours ?? 0, fee: { kind: 'fixed', amountMinor: money.minor }, who: draft.who };
  }
  const text = draft.fee.trim() === '' ? '0' : draft.fee.trim().replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text) || Number(text) > 100) return { key: 'percent', values: { field } };
  return { hoursBefore: hours ?? 0, fee: { kind: 'percent', basisPoints: Math.round(Number(text) * 100) }, who: draft.who };
}

function RuleFields(props: { action: 'refund' | 'exchange'; draft: RuleDraft; currency: string; onChange: (d: RuleDraft) => void }) {
  const { t } = useTranslation();
  const { action, draft } = props;
  const set = (patch: Partial<NonNullable<RuleDraft>>) => draft && props.onChange({ ...draft, ...patch });
  return (
    <fieldset data-testid={`type-policy-${action}`}>
      <legend>{t(`adminEvents.policy.${action}`)}</legend>
      <label>
        <input
          type="checkbox"
          data-testid={`type-policy-${action}-allowed`}
          checked={draft !== null}
          onChange={(e) => props.onChange(e.target.checked ? { hours: '24', feeKind: 'fixed', fee: '', who: 'cashier' } : null)}
        />
        {t('adminEvents.policy.allowed')}
      </label>
      {draft && (
        <>
          <Field label={t('adminEvents.policy.hoursBefore')}>
            <input data-testid={`type-policy-${action}-hours`} inputMode="numeric" value={draft.hours} onChange={(e) => set({ hours: e.target.value })} />
          </Field>
          <Field label={t('adminEvents.policy.feeKind')}>
            <select data-testid={`type-policy-${action}-fee-kind`} value={draft.feeKind} onChange={(e) => set({ feeKind: e.target.value as 'fixed' | 'percent' })}>
              <option value="fixed">{t('adminEvents.policy.fixed', { currency: props.currency })}</option>
              <option value="percent">{t('adminEvents.policy.percent')}</option>
            </select>
          </Field>
          <Field label={t('adminEvents.policy.fee')}>
            <input data-testid={`type-policy-${action}-fee`} inputMode="decimal" value={draft.fee} onChange={(e) => set({ fee: e.target.value })} />
          </Field>
          <Field label={t('adminEvents.policy.who')}>
            <select data-testid={`type-policy-${action}-who`} value={draft.who} onChange={(e) => set({ who: e.target.value as PolicyActor })}>
              {POLICY_ACTORS.map((w) => (
                <option key={w} value={w}>
                  {t(`adminEvents.policy.${w}`)}
                </option>
              ))}
            </select>
          </Field>
        </>
      )}
    </fieldset>
  );
}

function TypeForm(props: { page: AdminEventPage; type: AdminTicketType | null; onCancel: () => void; onSaved: () => void }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const { page, type } = props;
  const zone = page.timezone;
  const digits = currencyDigits(page.currency);
  const [names, setNames] = useState(namesOf(type?.name));
  const [price, setPrice] = useState(type ? minorToDecimalString(type.priceMinor, digits) : '');
  const [capacity, setCapacity] = useState(type?.capacity == null ? '' : String(type.capacity));
  const [sessionId, setSessionId] = useState(type?.sessionId ?? '');
  const [saleStarts, setSaleStarts] = useState(instantToZoned(type?.saleStartsAt, zone));
  const [saleEnds, setSaleEnds] = useState(instantToZoned(type?.saleEndsAt, zone));
  const [maxPerOrder, setMaxPerOrder] = useState(type?.maxPerOrder == null ? '' : String(type.maxPerOrder));
  const [maxPerAttendee, setMaxPerAttendee] = useState(type?.maxPerAttendee == null ? '' : String(type.maxPerAttendee));
  const [channels, setChannels] = useState<SaleChannel[]>(type?.channels ?? [...SALE_CHANNELS]);
  const [realName, setRealName] = useState(type?.realName ?? false);
  const [required, setRequired] = useState<AttendeeField[]>(type?.requiredFields ?? []);
  const [active, setActive] = useState(type?.active ?? true);
  const [refundRule, setRefundRule] = useState<RuleDraft>(ruleDraft(type?.refundPolicy?.refund, page.currency));
  const [exchangeRule, setExchangeRule] = useState<RuleDraft>(ruleDraft(type?.refundPolicy?.exchange, page.currency));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);

  function read(): TypeValues | Problem {
    const name = nameFrom(names, type?.name);
    if (!name) return { key: 'name' };
    const money = readPrice(price, page.currency);
    if (isProblem(money)) return money;
    const cap = optionalInt(capacity, 0, 10_000_000);
    if (cap === undefined) return { key: 'wholeNumber', values: { field: t('adminEvents.type.capacity') } };
    if (type && cap !== null && cap < type.sold) return { key: 'belowSold', values: { sold: type.sold } };
    const range = readRange(saleStarts, saleEnds, zone, true);
    if (isProblem(range)) return range;
    if (range.from && range.to && Date.parse(range.to) <= Date.parse(range.from)) return { key: 'saleEndBeforeStart' };
    const perOrder = optionalInt(maxPerOrder, 1, 1000);
    if (perOrder === undefined) return { key: 'positive', values: { field: t('adminEvents.type.maxPerOrder') } };
    const perAttendee = optionalInt(maxPerAttendee, 1, 1000);
    if (perAttendee === undefined) return { key: 'positive', values: { field: t('adminEvents.type.maxPerAttendee') } };
    const refund = readRule(refundRule, page.currency, t('adminEvents.policy.refund'));
    if (refund !== null && isProblem(refund)) return refund;
    const exchange = readRule(exchangeRule, page.currency, t('adminEvents.policy.exchange'));
    if (exchange !== null && isProblem(exchange)) return exchange;
    return {
      name,
      priceMinor: money.minor,
      capacity: cap,
      sessionId: sessionId === '' ? null : sessionId,
      saleStartsAt: range.from,
      saleEndsAt: range.to,
      maxPerOrder: perOrder,
      maxPerAttendee: perAttendee,
      channels: SALE_CHANNELS.filter((c) => channels.includes(c)),
      realName,
      requiredFields: ATTENDEE_FIELDS.filter((f) => required.includes(f)),
      active,
      refundPolicy: refund === null && exchange === null ? null : { refund, exchange },
    };
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setError(null);
    const values = read();
    if (isProblem(values)) return setProblem(values);
    setBusy(true);
    let r;
    if (type === null) r = await call('admin.ticketTypes.create', { eventId: page.id, ...values });
    else {
      const stored: TypeValues = {
        name: type.name,
        priceMinor: type.priceMinor,
        capacity: type.capacity,
        sessionId: type.sessionId ?? null,
        saleStartsAt: type.saleStartsAt ?? null,
        saleEndsAt: type.saleEndsAt ?? null,
        maxPerOrder: type.maxPerOrder ?? null,
        maxPerAttendee: type.maxPerAttendee ?? null,
        channels: SALE_CHANNELS.filter((c) => (type.channels ?? SALE_CHANNELS).includes(c)),
        realName: type.realName ?? false,
        requiredFields: ATTENDEE_FIELDS.filter((f) => (type.requiredFields ?? []).includes(f)),
        active: type.active ?? true,
        refundPolicy: type.refundPolicy ?? null,
      };
      const same = (k: keyof TypeValues) =>
        k === 'name'
          ? sameName(values.name, stored.name)
          : k === 'saleStartsAt' || k === 'saleEndsAt'
            ? (values[k] === null ? null : Date.parse(values[k])) === (stored[k] === null ? null : Date.parse(stored[k]))
            : JSON.stringify(values[k]) === JSON.stringify(stored[k]);
      const patch = Object.fromEntries((Object.keys(values) as (keyof TypeValues)[]).filter((k) => !same(k)).map((k) => [k, values[k]]));
      if (Object.keys(patch).length === 0) {
        setBusy(false);
        return setProblem({ key: 'nothingChanged' });
      }
      r = await call('admin.ticketTypes.update', { ticketTypeId: type.id, ...patch });
    }
    setBusy(false);
    if (r.ok) props.onSaved();
    else setError(r.error);
  }

  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));

  return (
    <form className="staff-form" data-testid="type-form" onSubmit={(e) => void save(e)}>
      <NameInputs names={names} onChange={setNames} testId="type-name" />
      <Field label={t('adminEvents.type.price', { currency: page.currency })}>
        <input data-testid="type-price-input" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
      </Field>
      <Field label={t('adminEvents.type.capacity')}>
        <input data-testid="type-capacity-input" inputMode="numeric" placeholder={t('adminEvents.type.capacityHint')} value={capacity} onChange={(e) => setCapacity(e.target.value)} />
      </Field>
      <Field label={t('adminEvents.type.session')}>
        <select data-testid="type-session" value={sessionId} onChange={(e) => setSessionId(e.target.value)}>
          <option value="">{t('adminEvents.sessions.wholeEvent')}</option>
          {page.sessions.map((s) => (
            <option key={s.id} value={s.id}>
              {pickLocalized(s.name, i18n.language)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('adminEvents.type.saleStarts')}>
        <input type="datetime-local" data-testid="type-sale-starts" value={saleStarts} onChange={(e) => setSaleStarts(e.target.value)} />
      </Field>
      <Field label={t('adminEvents.type.saleEnds')}>
        <input type="datetime-local" data-testid="type-sale-ends" value={saleEnds} onChange={(e) => setSaleEnds(e.target.value)} />
      </Field>
      <Field label={t('adminEvents.type.maxPerOrder')}>
        <input data-testid="type-max-per-order" inputMode="numeric" placeholder={t('adminEvents.type.noLimit')} value={maxPerOrder} onChange={(e) => setMaxPerOrder(e.target.value)} />
      </Field>
      <Field label={t('adminEvents.type.maxPerAttendee')}>
        <input data-testid="type-max-per-attendee" inputMode="numeric" placeholder={t('adminEvents.type.noLimit')} value={maxPerAttendee} onChange={(e) => setMaxPerAttendee(e.target.value)} />
      </Field>
      <fieldset data-testid="type-channels">
        <legend>{t('adminEvents.type.channels')}</legend>
        {SALE_CHANNELS.map((c) => (
          <label key={c}>
            <input type="checkbox" data-testid={`type-channel-${c}`} checked={channels.includes(c)} onChange={(e) => setChannels(toggle(channels, c, e.target.checked))} />
            {t(`adminEvents.channel.${c}`)}
          </label>
        ))}
      </fieldset>
      <fieldset data-testid="type-required">
        <legend>{t('adminEvents.type.requiredFields')}</legend>
        {ATTENDEE_FIELDS.map((f) => (
          <label key={f}>
            <input type="checkbox" data-testid={`type-required-${f}`} checked={required.includes(f)} onChange={(e) => setRequired(toggle(required, f, e.target.checked))} />
            {t(`adminEvents.field.${f}`)}
          </label>
        ))}
      </fieldset>
      <label>
        <input type="checkbox" data-testid="type-real-name" checked={realName} onChange={(e) => setRealName(e.target.checked)} />
        {t('adminEvents.type.realName')}
      </label>
      <RuleFields action="refund" draft={refundRule} currency={page.currency} onChange={setRefundRule} />
      <RuleFields action="exchange" draft={exchangeRule} currency={page.currency} onChange={setExchangeRule} />
      <label>
        <input type="checkbox" data-testid="type-active" checked={active} onChange={(e) => setActive(e.target.checked)} />
        {t('adminEvents.type.active')}
      </label>
      <ProblemLine problem={problem} testId="type-problem" />
      <Refusal error={error} context="type" testId="type-error" />
      <button type="submit" className="button button--primary" data-testid="type-save" disabled={busy}>
        {t('adminEvents.save')}
      </button>
      <button type="button" className="button" onClick={props.onCancel}>
        {t('adminEvents.cancel')}
      </button>
    </form>
  );
}

function Quotas(props: { page: AdminEventPage; onChanged: (message: string) => void }) {
  const { t, i18n } = useTranslation();
  const { page } = props;
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const typeName = (id: string) => pickLocalized(page.ticketTypes.find((x) => x.id === id)?.name, i18n.language);
  return (
    <section className="card" data-testid="quotas">
      <h2 className="section-title">{t('adminEvents.quotas.title')}</h2>
      {page.quotas.length === 0 && <p data-testid="quotas-empty">{t('adminEvents.quotas.empty')}</p>}
      {page.quotas.length > 0 && (
        <table className="table" data-testid="quotas-list">
          <thead>
            <tr>
              <th>{t('adminEvents.name')}</th>
              <th>{t('adminEvents.type.capacity')}</th>
              <th>{t('adminEvents.type.sold')}</th>
              <th>{t('adminEvents.quotas.members')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {page.quotas.map((q) => (
              <tr key={q.id} data-testid="quota-row" data-quota-id={q.id} data-members={q.ticketTypeIds.length}>
                <td>
                  <SafeText text={pickLocalized(q.name, i18n.language)} />
                </td>
                <td data-testid="quota-capacity">{q.capacity}</td>
                <td>{q.sold}</td>
                <td data-testid="quota-members">
                  <SafeText text={q.ticketTypeIds.map(typeName).join(', ')} />
                </td>
                <td>
                  <button type="button" className="button" data-testid="quota-edit" onClick={() => setEditing(editing === q.id ? null : q.id)}>
                    {t('adminEvents.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing === null ? (
        <button type="button" className="button" data-testid="quota-add" onClick={() => setEditing('new')}>
          {t('adminEvents.quotas.add')}
        </button>
      ) : (
        <QuotaForm
          key={editing}
          page={page}
          quota={page.quotas.find((q) => q.id === editing) ?? null}
          onCancel={() => setEditing(null)}
          onSaved={() => props.onChanged(t('adminEvents.saved'))}
        />
      )}
    </section>
  );
}

function QuotaForm(props: { page: AdminEventPage; quota: AdminQuota | null; onCancel: () => void; onSaved: () => void }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const { page, quota } = props;
  const [names, setNames] = useState(namesOf(quota?.name));
  const [capacity, setCapacity] = useState(quota ? String(quota.capacity) : '');
  const [members, setMembers] = useState<string[]>(quota?.ticketTypeIds ?? []);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setError(null);
    const name = nameFrom(names, quota?.name);
    if (!name) return setProblem({ key: 'name' });
    const cap = optionalInt(capacity, 0, 10_000_000);
    if (cap === undefined || cap === null) return setProblem({ key: 'wholeNumber', values: { field: t('adminEvents.type.capacity') } });
    if (quota && cap < quota.sold) return setProblem({ key: 'belowSold', values: { sold: quota.sold } });
    if (members.length === 0) return setProblem({ key: 'members' });
    setBusy(true);
    let r;
    if (quota === null) r = await call('admin.quotas.create', { eventId: page.id, name, capacity: cap, ticketTypeIds: members });
    else {
      const patch: { name?: Record<string, string>; capacity?: number; ticketTypeIds?: string[] } = {};
      if (!sameName(name, quota.name)) patch.name = name;
      if (cap !== quota.capacity) patch.capacity = cap;
      if ([...members].sort().join() !== [...quota.ticketTypeIds].sort().join()) patch.ticketTypeIds = members;
      if (Object.keys(patch).length === 0) {
        setBusy(false);
        return setProblem({ key: 'nothingChanged' });
      }
      r = await call('admin.quotas.update', { quotaId: quota.id, ...patch });
    }
    setBusy(false);
    if (r.ok) props.onSaved();
    else setError(r.error);
  }

  if (page.ticketTypes.length === 0) return <p>{t('adminEvents.quotas.needTypes')}</p>;
  return (
    <form className="staff-form" data-testid="quota-form" onSubmit={(e) => void save(e)}>
      <NameInputs names={names} onChange={setNames} testId="quota-name" />
      <Field label={t('adminEvents.type.capacity')}>
        <input data-testid="quota-capacity-input" inputMode="numeric" value={capacity} onChange={(e) => setCapacity(e.target.value)} />
      </Field>
      <fieldset data-testid="quota-types">
        <legend>{t('adminEvents.quotas.members')}</legend>
        {page.ticketTypes.map((ty) => (
          <label key={ty.id}>
            <input
              type="checkbox"
              data-testid="quota-type"
              data-type-id={ty.id}
              checked={members.includes(ty.id)}
              onChange={(e) => setMembers(e.target.checked ? [...members, ty.id] : members.filter((x) => x !== ty.id))}
            />
            <SafeText text={pickLocalized(ty.name, i18n.language)} />
          </label>
        ))}
      </fieldset>
      <ProblemLine problem={problem} testId="quota-problem" />
      <Refusal error={error} context="quota" testId="quota-error" />
      <button type="submit" className="button button--primary" data-testid="quota-save" disabled={busy}>
        {t('adminEvents.save')}
      </button>
      <button type="button" className="button" onClick={props.onCancel}>
        {t('adminEvents.cancel')}
      </button>
    </form>
  );
}
