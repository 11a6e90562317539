// Owns walk-in registration at the badge desk: the ticket type (those on sale here now), the built-in
// attendee fields the type requires (and name and company, which the badge carries), its registration
// form with its conditional fields, then the payment for a priced type (cash given with the change, or a
// card's approval code) or a manager's approval for a free one; badgeDesk.walkIn registers and prints
// the badge. The cart id is made once per attempt and re-sent on a retry, so nobody is registered twice.
import { useEffect, useEffectEvent, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import { RegistrationForm, type RawAnswers } from '../../components/RegistrationForm';
import { SafeText } from '../../components/SafeText';
import {
  ANSWER_REASONS,
  parseForm,
  validateAnswers,
  type AnswerError,
  type CallError,
  type CallOutput,
  type Form,
  type OperatorChoice,
  type OrderAttendee,
  type Tender,
  type TicketType,
} from '../../contract';
import { useCall } from '../../core';
import { pickLocalized } from '../../i18n/format';
import { formatMoney, parseMoneyInput } from '../../i18n/money';
import { PrintResults } from './PrintResults';
import { SETTLED_REFUSALS } from './words';

const FIELDS = ['name', 'phone', 'email', 'company', 'idNumber'] as const;
type Field = (typeof FIELDS)[number];
type Done = CallOutput<'badgeDesk.walkIn'> & { name: string };
/** What the form of a type is: loading, none, unreadable by this version, or the fields. */
type FormState = { state: 'loading' } | { state: 'none' } | { state: 'unreadable' } | { state: 'ready'; form: Form };

function requiredOf(tt: TicketType, field: Field): boolean {
  if (field === 'name') return true;
  if (tt.realName && field === 'idNumber') return true;
  return (tt.requiredFields ?? []).includes(field);
}
/** The badge carries name and company; the rest only when the type asks for it. */
function shownOf(tt: TicketType, field: Field): boolean {
  return field === 'name' || field === 'company' || requiredOf(tt, field);
}

export function WalkIn(props: { onDone: () => void; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const call = useCall();
  const [types, setTypes] = useState<TicketType[] | null>(null);
  const [typesError, setTypesError] = useState<CallError | null>(null);
  const [typeId, setTypeId] = useState('');
  const [fields, setFields] = useState<Partial<Record<Field, string>>>({});
  const [form, setForm] = useState<FormState>({ state: 'none' });
  const [answers, setAnswers] = useState<RawAnswers>({});
  const [answerErrors, setAnswerErrors] = useState<AnswerError[]>([]);
  const [payKind, setPayKind] = useState<'cash' | 'card'>('cash');
  const [cashText, setCashText] = useState('');
  const [approvalCode, setApprovalCode] = useState('');
  const [payProblem, setPayProblem] = useState<'short' | 'badAmount' | 'badApproval' | null>(null);
  const [managers, setManagers] = useState<readonly OperatorChoice[]>([]);
  const [managerId, setManagerId] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const cartId = useRef<string | null>(null);
  const firstField = useRef<HTMLInputElement>(null);

  // The only type there is is chosen at once.
  const chooseOnly = useEffectEvent((only: TicketType) => chooseType(only));
  useEffect(() => {
    let live = true;
    void call('badgeDesk.walkInTypes', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setTypes(r.value.ticketTypes);
        setTypesError(null);
        if (r.value.ticketTypes.length === 1) chooseOnly(r.value.ticketTypes[0]!);
      } else setTypesError(r.error);
    });
    void call('session.operators', {}).then((r) => {
      if (live && r.ok) setManagers(r.value.filter((o) => o.role === 'manager' || o.role === 'admin'));
    });
    return () => {
      live = false;
    };
  }, [call]);

  const tt = types?.find((x) => x.id === typeId) ?? null;

  // The type chosen: its form is read (only the latest choice's answer is kept).
  const formFor = useRef(0);
  function chooseType(next: TicketType) {
    setTypeId(next.id);
    setError(null);
    setPayProblem(null);
    setAnswers({});
    setAnswerErrors([]);
    const ticket = ++formFor.current;
    requestAnimationFrame(() => firstField.current?.focus());
    if (!next.hasForm) {
      setForm({ state: 'none' });
      return;
    }
    setForm({ state: 'loading' });
    void call('forms.get', { ticketTypeId: next.id }).then((r) => {
      if (ticket !== formFor.current) return;
      if (!r.ok || !r.value.readable) {
        setForm({ state: 'unreadable' });
        return;
      }
      const parsed = parseForm(r.value.fields);
      setForm(parsed.ok ? (parsed.form.length > 0 ? { state: 'ready', form: parsed.form } : { state: 'none' }) : { state: 'unreadable' });
    });
  }

  const issueOf = (field: string): string | null => {
    const issue = error?.issues?.find((i) => i.path.endsWith(`/${field}`) || i.path === field);
    return issue ? issue.message : null;
  };
  const serverAnswerErrors: AnswerError[] = (error?.issues ?? []).flatMap((i) => {
    const at = i.path.indexOf('answers.');
    if (at < 0) return [];
    const reason = ANSWER_REASONS.find((r) => r === i.message) ?? 'bad_value';
    return [{ key: i.path.slice(at + 'answers.'.length), reason }];
  });

  const price = tt?.priceMinor ?? 0;
  const cash = payKind === 'cash' && cashText.trim() && tt ? parseMoneyInput(cashText, tt.currency) : null;
  const change = cash?.ok && cash.amountMinor >= price ? cash.amountMinor - price : null;

  async function register(e?: FormEvent) {
    e?.preventDefault();
    if (!tt || busy) return;
    setError(null);
    if (form.state === 'unreadable' || form.state === 'loading') return;
    let checkedAnswers: RawAnswers | undefined;
    if (form.state === 'ready') {
      const v = validateAnswers(form.form, answers, { locale: lang });
      if (!v.ok) {
        setAnswerErrors(v.errors);
        return;
      }
      setAnswerErrors([]);
      checkedAnswers = v.answers as RawAnswers;
    }
    const attendee: Omit<OrderAttendee, 'ticketTypeId' | 'index'> = {};
    for (const f of FIELDS) {
      const v = fields[f]?.trim();
      if (v && shownOf(tt, f)) attendee[f] = v;
    }
    if (checkedAnswers && Object.keys(checkedAnswers).length > 0) attendee.answers = checkedAnswers as NonNullable<OrderAttendee['answers']>;
    let payment: { payments: Tender[] } | { approval: { managerId: string; pin: string } };
    if (price > 0) {
      if (payKind === 'cash') {
        if (!cash?.ok) {
          setPayProblem('badAmount');
          return;
        }
        if (cash.amountMinor < price) {
          setPayProblem('short');
          return;
        }
        payment = { payments: [{ method: 'cash', tenderedMinor: cash.amountMinor }] };
      } else {
        const code = approvalCode.trim();
        if (!/^[A-Za-z0-9]{4,12}$/.test(code)) {
          setPayProblem('badApproval');
          return;
        }
        payment = { payments: [{ method: 'card_manual', amountMinor: price, approvalCode: code }] };
      }
    } else {
      if (!managerId || !pin) {
        setError({ code: 'approval_required' });
        return;
      }
      payment = { approval: { managerId, pin } };
    }
    setPayProblem(null);
    if (!cartId.current) cartId.current = crypto.randomUUID();
    setBusy(true);
    const r = await call('badgeDesk.walkIn', { ticketTypeId: tt.id, attendee, cartId: cartId.current, ...payment });
    setBusy(false);
    if (!r.ok) {
      if (SETTLED_REFUSALS.includes(r.error.code)) cartId.current = null;
      if (r.error.code === 'bad_pin') setPin('');
      setError(r.error);
      return;
    }
    cartId.current = null;
    setDone({ ...r.value, name: attendee.name ?? '' });
    props.onDone();
  }

  function next() {
    setDone(null);
    setFields({});
    setAnswers({});
    setAnswerErrors([]);
    setCashText('');
    setApprovalCode('');
    setPin('');
    setError(null);
    requestAnimationFrame(() => firstField.current?.focus());
  }

  if (done)
    return (
      <section className="card badge-walk-in" data-testid="walk-in-done" data-ticket-id={done.ticketId} data-order-code={done.orderCode}>
        <h2 className="section-title">{t('badgeDesk.walkIn.title')}</h2>
        <p className="message message--ok" data-testid="walk-in-registered">
          <SafeText text={done.name} /> — {t('badgeDesk.walkIn.done', { code: done.orderCode })}
        </p>
        <PrintResults answer={done} names={new Map([[done.ticketId, done.name]])} />
        <div className="picker-row">
          <button type="button" className="button button--primary" data-testid="walk-in-next" autoFocus onClick={next}>
            {t('badgeDesk.walkIn.another')}
          </button>
          <button type="button" className="button button--ghost" data-testid="walk-in-close" onClick={props.onClose}>
            {t('badgeDesk.walkIn.cancel')} <kbd className="key">Esc</kbd>
          </button>
        </div>
      </section>
    );

  return (
    <form className="card badge-walk-in" data-testid="walk-in" onSubmit={(e) => void register(e)} noValidate>
      <div className="section-head">
        <h2 className="section-title">{t('badgeDesk.walkIn.title')}</h2>
        <button type="button" className="button button--ghost" data-testid="walk-in-close" onClick={props.onClose}>
          {t('badgeDesk.walkIn.cancel')} <kbd className="key">Esc</kbd>
        </button>
      </div>
      <ErrorMessage error={typesError} testId="walk-in-types-error" />
      {types === null && !typesError && <p className="muted">{t('badgeDesk.walkIn.loading')}</p>}
      {types !== null && types.length === 0 && (
        <p className="message" data-testid="walk-in-no-types">
          {t('badgeDesk.walkIn.noTypes')}
        </p>
      )}
      {types !== null && types.length > 0 && (
        <fieldset className="picker-row" role="radiogroup" aria-label={t('badgeDesk.walkIn.type')}>
          <legend className="field__label">{t('badgeDesk.walkIn.type')}</legend>
          {types.map((x) => (
            <label key={x.id} className="badge-desk__by-option">
              <input
                type="radio"
                name="walk-in-type"
                data-testid="walk-in-type"
                data-ticket-type-id={x.id}
                data-price-minor={x.priceMinor}
                checked={typeId === x.id}
                onChange={() => chooseType(x)}
              />{' '}
              {pickLocalized(x.name, lang)} — {x.priceMinor > 0 ? formatMoney(x.priceMinor, x.currency, lang) : t('badgeDesk.walkIn.free')}
            </label>
          ))}
        </fieldset>
      )}
      {tt && (
        <>
          <div className="attendee__fields">
            {FIELDS.filter((f) => shownOf(tt, f)).map((f, i) => {
              const issue = issueOf(f);
              return (
                <label key={f} className="field">
                  <span className="field__label">
                    {t(`badgeDesk.walkIn.fields.${f}`)}
                    {requiredOf(tt, f) ? ' *' : ''}
                  </span>
                  <input
                    ref={i === 0 ? firstField : undefined}
                    className="input"
                    data-testid={`walk-in-${f}`}
                    autoComplete="off"
                    maxLength={f === 'email' ? 320 : f === 'phone' ? 40 : 200}
                    inputMode={f === 'phone' ? 'tel' : f === 'email' ? 'email' : 'text'}
                    aria-invalid={issue !== null}
                    value={fields[f] ?? ''}
                    onChange={(e) => {
                      setFields((all) => ({ ...all, [f]: e.target.value }));
                      setError(null);
                    }}
                  />
                  {issue && (
                    <span className="message message--error" data-testid="walk-in-issue" data-field={f} data-reason={issue}>
                      {t(`badgeDesk.walkIn.issue.${issue === 'required' || issue === 'bad_phone' || issue === 'bad_email' || issue === 'too_long' ? issue : 'invalid'}`)}
                    </span>
                  )}
                </label>
              );
            })}
          </div>
          {form.state === 'unreadable' && (
            <p className="message message--error" data-testid="walk-in-form-unreadable">
              {t('badgeDesk.walkIn.formUnreadable')}
            </p>
          )}
          {form.state === 'ready' && (
            <RegistrationForm
              form={form.form}
              answers={answers}
              onChange={(next) => {
                setAnswers(next);
                setAnswerErrors([]);
                setError(null);
              }}
              errors={[...answerErrors, ...serverAnswerErrors]}
              testId="walk-in-form"
            />
          )}
          {price > 0 ? (
            <fieldset className="badge-walk-in__pay" data-testid="walk-in-pay" data-price-minor={price}>
              <legend className="field__label">{t('badgeDesk.walkIn.pay.title')}</legend>
              <p className="message" data-testid="walk-in-price">
                {t('badgeDesk.walkIn.pay.price', { amount: formatMoney(price, tt.currency, lang) })}
              </p>
              <div className="picker-row" role="radiogroup">
                {(['cash', 'card'] as const).map((k) => (
                  <button
                    key={k}
                    type="button"
                    className={`button pay-kind ${payKind === k ? 'button--primary' : ''}`}
                    aria-pressed={payKind === k}
                    data-testid={`walk-in-pay-${k}`}
                    onClick={() => {
                      setPayKind(k);
                      setPayProblem(null);
                    }}
                  >
                    {t(`badgeDesk.walkIn.pay.${k}`)}
                  </button>
                ))}
              </div>
              {payKind === 'cash' ? (
                <label className="field">
                  <span className="field__label">{t('badgeDesk.walkIn.pay.given')}</span>
                  <input
                    className="input input--money"
                    data-testid="walk-in-cash"
                    inputMode="decimal"
                    autoComplete="off"
                    maxLength={20}
                    value={cashText}
                    onChange={(e) => {
                      setCashText(e.target.value);
                      setPayProblem(null);
                    }}
                  />
                </label>
              ) : (
                <label className="field">
                  <span className="field__label">{t('badgeDesk.walkIn.pay.approvalCode')}</span>
                  <input
                    className="input"
                    data-testid="walk-in-approval-code"
                    autoComplete="off"
                    spellCheck={false}
                    maxLength={12}
                    value={approvalCode}
                    onChange={(e) => {
                      setApprovalCode(e.target.value);
                      setPayProblem(null);
                    }}
                  />
                </label>
              )}
              {change !== null && (
                <p className="message message--ok" data-testid="walk-in-change" data-amount-minor={change}>
                  {t('badgeDesk.walkIn.pay.change', { amount: formatMoney(change, tt.currency, lang) })}
                </p>
              )}
              {payProblem && (
                <p className="field__error" role="alert" data-testid="walk-in-pay-problem" data-problem={payProblem}>
                  {t(`badgeDesk.walkIn.pay.${payProblem}`)}
                </p>
              )}
            </fieldset>
          ) : (
            <div className="picker-row" data-testid="walk-in-approval">
              <span>{t('badgeDesk.walkIn.approvalTitle')}</span>
              <select className="input" data-testid="walk-in-manager" value={managerId} onChange={(e) => setManagerId(e.target.value)}>
                <option value="">{t('badgeDesk.reprint.chooseManager')}</option>
                {managers.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
              <input
                className="input"
                type="password"
                inputMode="numeric"
                autoComplete="off"
                data-testid="walk-in-pin"
                maxLength={8}
                placeholder={t('badgeDesk.reprint.pin')}
                value={pin}
                onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
              />
            </div>
          )}
          <ErrorMessage error={error} testId="walk-in-error" />
          <button
            type="submit"
            className="button button--primary button--large"
            data-testid="walk-in-submit"
            disabled={busy || form.state === 'loading' || form.state === 'unreadable'}
          >
            {busy ? t('badgeDesk.walkIn.registering') : t('badgeDesk.walkIn.submit')}
          </button>
        </>
      )}
    </form>
  );
}
