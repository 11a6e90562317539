// Owns admin mode's Vouchers section: an event's vouchers (code, what it takes off, the ticket types it
// applies to, validity on the event's wall clock, uses taken of its limit, per-order limit, on or off),
// a new voucher, changing one (everything but its code) and switching one off. A fixed amount is typed
// as money in the event's currency and sent in minor units; validity is typed on the event's wall clock
// and sent as instants. What can be checked here is checked first; a value the core or the server
// refuses is shown at its field in the screen's own words.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SafeText } from '../../components/SafeText';
import {
  MAX_AMOUNT_MINOR,
  VOUCHER_CODE_PATTERN,
  VOUCHER_KINDS,
  currencyDigits,
  instantToZoned,
  minorToDecimalString,
  parseMoneyInput,
  zonedToInstant,
  type AdminEventPage,
  type AdminEventSummary,
  type AdminVoucher,
  type CallError,
  type VoucherKind,
} from '../../contract';
import { useCall } from '../../core';
import { pickLocalized } from '../../i18n/format';
import { formatMoney } from '../../i18n/money';
import './admin-sections.css';
import './admin-box-office.css';

/** The fields of the voucher form, by the name the core and the server give them in a refusal. */
const FIELDS = ['code', 'value', 'ticketTypeIds', 'validFrom', 'validUntil', 'maxUses', 'maxPerOrder'] as const;
type VoucherField = (typeof FIELDS)[number];
type FieldProblems = Partial<Record<VoucherField, 'invalid' | 'required' | 'percent' | 'decimals' | 'order'>>;

type Draft = {
  code: string;
  kind: VoucherKind;
  value: string;
  allTypes: boolean;
  typeIds: string[];
  validFrom: string;
  validUntil: string;
  maxUses: string;
  maxPerOrder: string;
};

const isField = (p: string): p is VoucherField => (FIELDS as readonly string[]).includes(p);

/** The fields a refusal names (its issues' first path segment), each marked invalid. */
function problemsOf(error: CallError | null): FieldProblems {
  const out: FieldProblems = {};
  for (const issue of error?.issues ?? []) {
    const field = issue.path.split('.')[0] ?? '';
    if (isField(field)) out[field] = 'invalid';
  }
  return out;
}

/** An instant on the wall clock of `zone`, as the organizer reads it. */
function whenIn(iso: string | null, zone: string, language: string): string {
  if (!iso) return '';
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(new Date(iso));
  } catch {
    return iso;
  }
}

function optionalCount(text: string, max: number): number | null | undefined {
  const s = text.trim();
  if (s === '') return null;
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 1 && n <= max ? n : undefined;
}

export function Vouchers() {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [events, setEvents] = useState<AdminEventSummary[] | null>(null);
  const [eventId, setEventId] = useState<string | null>(null);
  const [error, setError] = useState<CallError | null>(null);

  useEffect(() => {
    let live = true;
    void call('admin.events.list', {}).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      setEvents(r.value);
      setEventId((id) => id ?? r.value[0]?.id ?? null);
    });
    return () => {
      live = false;
    };
  }, [call]);

  return (
    <div className="admin-box-office" data-testid="vouchers">
      <section className="card">
        <div className="admin-section__head">
          <h2 className="section-title">{t('adminBoxOffice.vouchers.title')}</h2>
          {events !== null && events.length > 0 && (
            <label className="admin-box-office__picker">
              {t('adminBoxOffice.event')}
              <select data-testid="vouchers-event" value={eventId ?? ''} onChange={(e) => setEventId(e.target.value)}>
                {events.map((ev) => (
                  <option key={ev.id} value={ev.id}>
                    {pickLocalized(ev.name, i18n.language)}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        <ErrorMessage error={error} testId="vouchers-error" />
        {events !== null && events.length === 0 && <p data-testid="vouchers-no-events">{t('adminBoxOffice.noEvents')}</p>}
      </section>
      {eventId !== null && <EventVouchers key={eventId} eventId={eventId} />}
    </div>
  );
}

function EventVouchers(props: { eventId: string }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [page, setPage] = useState<AdminEventPage | null>(null);
  const [vouchers, setVouchers] = useState<AdminVoucher[] | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [generation, setGeneration] = useState(0);
  const [editing, setEditing] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void Promise.all([call('admin.events.get', { eventId: props.eventId }), call('admin.vouchers.list', { eventId: props.eventId })]).then(([p, v]) => {
      if (!live) return;
      if (!p.ok) return setError(p.error);
      if (!v.ok) return setError(v.error);
      setError(null);
      setPage(p.value);
      setVouchers(v.value);
    });
    return () => {
      live = false;
    };
  }, [call, props.eventId, generation]);

  const changed = (message: string) => {
    setDone(message);
    setEditing(null);
    setGeneration((g) => g + 1);
  };

  if (error) return <ErrorMessage error={error} testId="vouchers-error" />;
  if (!page || !vouchers) return <p className="splash">{t('app.loading')}</p>;
  const zone = page.timezone;
  const typeName = (id: string) => pickLocalized(page.ticketTypes.find((tt) => tt.id === id)?.name, i18n.language) || id;
  const validity = (v: AdminVoucher): string => {
    const from = whenIn(v.validFrom, zone, i18n.language);
    const until = whenIn(v.validUntil, zone, i18n.language);
    if (!from && !until) return t('adminBoxOffice.vouchers.always');
    if (!until) return t('adminBoxOffice.vouchers.from', { from });
    if (!from) return t('adminBoxOffice.vouchers.until', { until });
    return t('adminBoxOffice.vouchers.between', { from, until });
  };
  const discount = (v: AdminVoucher) => (v.kind === 'percent' ? t('adminBoxOffice.vouchers.percentOff', { value: v.value }) : formatMoney(v.value, v.currency ?? page.currency, i18n.language));

  return (
    <>
      <section className="card">
        <p className="admin-box-office__zone" data-testid="vouchers-zone">
          {t('adminBoxOffice.timesIn', { zone })}
        </p>
        {done !== null && (
          <p className="message message--ok" role="status" data-testid="vouchers-done">
            {done}
          </p>
        )}
        {vouchers.length === 0 && <p data-testid="vouchers-empty">{t('adminBoxOffice.vouchers.empty')}</p>}
        {vouchers.length > 0 && (
          <table className="admin-table" data-testid="vouchers-list">
            <thead>
              <tr>
                <th>{t('adminBoxOffice.vouchers.code')}</th>
                <th>{t('adminBoxOffice.vouchers.discount')}</th>
                <th>{t('adminBoxOffice.vouchers.types')}</th>
                <th>{t('adminBoxOffice.vouchers.validity')}</th>
                <th>{t('adminBoxOffice.vouchers.uses')}</th>
                <th>{t('adminBoxOffice.vouchers.perOrder')}</th>
                <th>{t('adminBoxOffice.vouchers.state')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {vouchers.map((v) => (
                <VoucherRow
                  key={v.id}
                  voucher={v}
                  discount={discount(v)}
                  types={v.ticketTypeIds === null ? t('adminBoxOffice.vouchers.allTypes') : v.ticketTypeIds.map(typeName).join(', ')}
                  validity={validity(v)}
                  editing={editing === v.id}
                  onEdit={() => setEditing(editing === v.id ? null : v.id)}
                  onChanged={changed}
                  page={page}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <h2 className="section-title">{t('adminBoxOffice.vouchers.create')}</h2>
        <VoucherForm page={page} onDone={(v) => changed(t('adminBoxOffice.vouchers.created', { code: v.code }))} />
      </section>
    </>
  );
}

function VoucherRow(props: {
  voucher: AdminVoucher;
  discount: string;
  types: string;
  validity: string;
  editing: boolean;
  onEdit: () => void;
  onChanged: (message: string) => void;
  page: AdminEventPage;
}) {
  const { t } = useTranslation();
  const call = useCall();
  const v = props.voucher;
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);

  async function switchOff() {
    setBusy(true);
    setError(null);
    const r = await call('admin.vouchers.disable', { eventId: v.eventId, voucherId: v.id });
    setBusy(false);
    if (r.ok) props.onChanged(t('adminBoxOffice.vouchers.disabled', { code: r.value.code }));
    else setError(r.error);
  }

  return (
    <>
      <tr data-testid="voucher-row" data-code={v.code} data-used={v.used} data-active={String(v.active)}>
        <td className="admin-box-office__code">{v.code}</td>
        <td data-testid="voucher-discount">{props.discount}</td>
        <td>
          <SafeText text={props.types} />
        </td>
        <td data-testid="voucher-validity">{props.validity}</td>
        <td data-testid="voucher-uses">
          {v.maxUses === null ? t('adminBoxOffice.vouchers.usesUnlimited', { used: v.used }) : t('adminBoxOffice.vouchers.usesOf', { used: v.used, max: v.maxUses })}
        </td>
        <td>{v.maxPerOrder ?? t('adminBoxOffice.vouchers.noLimit')}</td>
        <td>{v.active ? t('adminBoxOffice.vouchers.active') : t('adminBoxOffice.vouchers.inactive')}</td>
        <td className="admin-section__actions">
          <button type="button" className="button" data-testid="voucher-edit" onClick={props.onEdit}>
            {t('adminBoxOffice.vouchers.edit')}
          </button>
          {v.active && (
            <button type="button" className="button admin-button--danger" data-testid="voucher-disable" disabled={busy} onClick={() => void switchOff()}>
              {t('adminBoxOffice.vouchers.disable')}
            </button>
          )}
          <ErrorMessage error={error} testId="voucher-row-error" />
        </td>
      </tr>
      {props.editing && (
        <tr>
          <td colSpan={8}>
            <VoucherForm page={props.page} voucher={v} onDone={(saved) => props.onChanged(t('adminBoxOffice.vouchers.saved', { code: saved.code }))} />
          </td>
        </tr>
      )}
    </>
  );
}

function draftOf(v: AdminVoucher | undefined, page: AdminEventPage): Draft {
  const digits = currencyDigits(page.currency);
  return {
    code: v?.code ?? '',
    kind: v?.kind ?? 'percent',
    value: v === undefined ? '' : v.kind === 'percent' ? String(v.value) : minorToDecimalString(v.value, digits),
    allTypes: v?.ticketTypeIds == null,
    typeIds: v?.ticketTypeIds ?? [],
    validFrom: instantToZoned(v?.validFrom, page.timezone),
    validUntil: instantToZoned(v?.validUntil, page.timezone),
    maxUses: v?.maxUses == null ? '' : String(v.maxUses),
    maxPerOrder: v?.maxPerOrder == null ? '' : String(v.maxPerOrder),
  };
}

/** A new voucher (no `voucher`) or the settings of one (its code stays). */
function VoucherForm(props: { page: AdminEventPage; voucher?: AdminVoucher; onDone: (v: AdminVoucher) => void }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const { page, voucher } = props;
  const [draft, setDraft] = useState<Draft>(() => draftOf(voucher, page));
  const [problems, setProblems] = useState<FieldProblems>({});
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const prefix = voucher ? 'voucher-edit' : 'voucher-create';

  /** The settings typed, or the problems found. */
  function read(): { settings: Omit<AdminVoucher, 'id' | 'eventId' | 'currency' | 'used' | 'usesLeft' | 'createdAt' | 'updatedAt' | 'active'> } | FieldProblems {
    const found: FieldProblems = {};
    const code = draft.code.normalize('NFKC').trim().toUpperCase();
    if (!voucher && !VOUCHER_CODE_PATTERN.test(code)) found.code = code === '' ? 'required' : 'invalid';
    let value = 0;
    if (draft.kind === 'percent') {
      // The upper bound (100) is the contract's to check: its refusal is shown at this field too.
      const n = optionalCount(draft.value, Number.MAX_SAFE_INTEGER);
      if (n === null) found.value = 'required';
      else if (n === undefined) found.value = 'percent';
      else value = n;
    } else {
      const parsed = parseMoneyInput(draft.value, page.currency, MAX_AMOUNT_MINOR);
      if (parsed.ok && parsed.amountMinor > 0) value = parsed.amountMinor;
      else found.value = !parsed.ok && parsed.reason === 'empty' ? 'required' : !parsed.ok && parsed.reason === 'too_many_decimals' ? 'decimals' : 'invalid';
    }
    if (!draft.allTypes && draft.typeIds.length === 0) found.ticketTypeIds = 'required';
    const from = draft.validFrom.trim() === '' ? null : zonedToInstant(draft.validFrom, page.timezone);
    const until = draft.validUntil.trim() === '' ? null : zonedToInstant(draft.validUntil, page.timezone);
    if (draft.validFrom.trim() !== '' && from === null) found.validFrom = 'invalid';
    if (draft.validUntil.trim() !== '' && until === null) found.validUntil = 'invalid';
    if (from && until && Date.parse(until) <= Date.parse(from)) found.validUntil = 'order';
    const maxUses = optionalCount(draft.maxUses, Number.MAX_SAFE_INTEGER);
    if (maxUses === undefined) found.maxUses = 'invalid';
    const maxPerOrder = optionalCount(draft.maxPerOrder, Number.MAX_SAFE_INTEGER);
    if (maxPerOrder === undefined) found.maxPerOrder = 'invalid';
    if (Object.keys(found).length > 0) return found;
    return {
      settings: {
        code,
        kind: draft.kind,
        value,
        ticketTypeIds: draft.allTypes ? null : draft.typeIds,
        validFrom: from,
        validUntil: until,
        maxUses: maxUses ?? null,
        maxPerOrder: maxPerOrder ?? null,
      },
    };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const typed = read();
    if (!('settings' in typed)) return setProblems(typed);
    setProblems({});
    const { code, ...rest } = typed.settings;
    setBusy(true);
    const r = voucher
      ? await call('admin.vouchers.update', { eventId: page.id, voucherId: voucher.id, ...rest })
      : await call('admin.vouchers.create', { eventId: page.id, code, ...rest });
    setBusy(false);
    if (!r.ok) {
      const refused = problemsOf(r.error);
      if (refused.value && draft.kind === 'percent') refused.value = 'percent';
      setProblems(refused);
      return setError(r.error);
    }
    if (!voucher) setDraft(draftOf(undefined, page));
    props.onDone(r.value);
  }

  const problem = (field: VoucherField) =>
    problems[field] ? (
      <span className="admin-box-office__field-problem" role="alert" data-testid={`${prefix}-problem`} data-field={field} data-problem={problems[field]}>
        {t(`adminBoxOffice.vouchers.problem.${problems[field]!}`)}
      </span>
    ) : null;
  const invalid = (field: VoucherField) => (problems[field] ? true : undefined);

  return (
    <form className="admin-form" data-testid={`${prefix}-form`} noValidate onSubmit={(e) => void submit(e)}>
      {!voucher && (
        <label>
          {t('adminBoxOffice.vouchers.code')}
          <input data-testid={`${prefix}-code`} value={draft.code} maxLength={40} aria-invalid={invalid('code')} onChange={(e) => set({ code: e.target.value })} />
          {problem('code')}
        </label>
      )}
      <label>
        {t('adminBoxOffice.vouchers.kind')}
        <select data-testid={`${prefix}-kind`} value={draft.kind} onChange={(e) => set({ kind: e.target.value as VoucherKind, value: '' })}>
          {VOUCHER_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`adminBoxOffice.vouchers.kinds.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {draft.kind === 'percent' ? t('adminBoxOffice.vouchers.percent') : t('adminBoxOffice.vouchers.amount', { currency: page.currency })}
        <input
          data-testid={`${prefix}-value`}
          inputMode="decimal"
          value={draft.value}
          aria-invalid={invalid('value')}
          placeholder={draft.kind === 'fixed' ? formatMoney(0, page.currency, i18n.language) : '10'}
          onChange={(e) => set({ value: e.target.value })}
        />
        {problem('value')}
      </label>
      <label>
        {t('adminBoxOffice.vouchers.validFrom')}
        <input type="datetime-local" data-testid={`${prefix}-from`} value={draft.validFrom} aria-invalid={invalid('validFrom')} onChange={(e) => set({ validFrom: e.target.value })} />
        {problem('validFrom')}
      </label>
      <label>
        {t('adminBoxOffice.vouchers.validUntil')}
        <input type="datetime-local" data-testid={`${prefix}-until`} value={draft.validUntil} aria-invalid={invalid('validUntil')} onChange={(e) => set({ validUntil: e.target.value })} />
        {problem('validUntil')}
      </label>
      <label>
        {t('adminBoxOffice.vouchers.maxUses')}
        <input data-testid={`${prefix}-max-uses`} inputMode="numeric" value={draft.maxUses} aria-invalid={invalid('maxUses')} placeholder={t('adminBoxOffice.vouchers.noLimit')} onChange={(e) => set({ maxUses: e.target.value })} />
        {problem('maxUses')}
      </label>
      <label>
        {t('adminBoxOffice.vouchers.maxPerOrder')}
        <input
          data-testid={`${prefix}-max-per-order`}
          inputMode="numeric"
          value={draft.maxPerOrder}
          aria-invalid={invalid('maxPerOrder')}
          placeholder={t('adminBoxOffice.vouchers.noLimit')}
          onChange={(e) => set({ maxPerOrder: e.target.value })}
        />
        {problem('maxPerOrder')}
      </label>
      <fieldset className="admin-form__choices" data-testid={`${prefix}-types`}>
        <legend>{t('adminBoxOffice.vouchers.types')}</legend>
        <label className="admin-form__choice">
          <input type="checkbox" data-testid={`${prefix}-all-types`} checked={draft.allTypes} onChange={(e) => set({ allTypes: e.target.checked })} />
          {t('adminBoxOffice.vouchers.allTypes')}
        </label>
        {!draft.allTypes &&
          page.ticketTypes.map((tt) => (
            <label key={tt.id} className="admin-form__choice">
              <input
                type="checkbox"
                data-testid={`${prefix}-type`}
                data-type-id={tt.id}
                checked={draft.typeIds.includes(tt.id)}
                onChange={(e) => set({ typeIds: e.target.checked ? [...draft.typeIds, tt.id] : draft.typeIds.filter((x) => x !== tt.id) })}
              />
              <SafeText text={pickLocalized(tt.name, i18n.language)} />
            </label>
          ))}
        {problem('ticketTypeIds')}
      </fieldset>
      <VoucherRefusal error={error} editing={voucher !== undefined} testId={`${prefix}-error`} />
      <button type="submit" className="button button--primary" data-testid={`${prefix}-submit`} disabled={busy}>
        {voucher ? t('adminBoxOffice.vouchers.save') : t('adminBoxOffice.vouchers.createButton')}
      </button>
    </form>
  );
}

/** A refusal in the voucher's terms: the code is taken, a limit is below the uses taken, a type is not
 *  the event's; bad values are shown at their fields, with one line saying so. */
function VoucherRefusal(props: { error: CallError | null; editing: boolean; testId: string }) {
  const { t } = useTranslation();
  const { error } = props;
  if (!error) return null;
  const known =
    error.code === 'server_rejected' && error.detail === 'conflict'
      ? props.editing
        ? 'belowUses'
        : 'codeTaken'
      : error.code === 'server_rejected' && error.detail === 'unknown_ticket_type'
        ? 'unknownType'
        : error.code === 'invalid_input'
          ? 'invalid'
          : null;
  if (known === null) return <ErrorMessage error={error} testId={props.testId} />;
  return (
    <p className="message message--error" role="alert" data-testid={props.testId} data-code={known}>
      {t(`adminBoxOffice.vouchers.refused.${known}`)}
    </p>
  );
}
