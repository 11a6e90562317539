// Owns admin mode's Mail and SMS section: the server's settings for sending e-tickets — the SMTP server
// (host, port, security, user, password, sender address and name) with a test message to an address,
// and the SMS provider (provider, address, sender, API key). The password and the API key are
// write-only: the screen only says whether one is set, its field starts empty and is cleared once sent,
// and leaving it empty keeps the stored one. Bad values are shown at their fields.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import {
  SMS_PROVIDERS,
  SMTP_SECURITY,
  type CallError,
  type MailSettings,
  type MailTestResult,
  type SmsSettings,
} from '../../contract';
import { useCall } from '../../core';
import { languages, type Language } from '../../i18n';
import './admin-sections.css';
import './admin-box-office.css';

type Security = (typeof SMTP_SECURITY)[number];
type Provider = (typeof SMS_PROVIDERS)[number];
const DEFAULT_PORT: Record<Security, number> = { tls: 465, starttls: 587, none: 25 };

/** The fields a refusal names (its issues' first path segment). */
const fieldsOf = (error: CallError | null): Set<string> => new Set((error?.issues ?? []).map((i) => i.path.split('.')[0] ?? ''));

function FieldProblem(props: { show: boolean; testId: string; field: string; children: ReactNode }) {
  if (!props.show) return null;
  return (
    <span className="admin-box-office__field-problem" role="alert" data-testid={props.testId} data-field={props.field}>
      {props.children}
    </span>
  );
}

/** A refusal of the settings: bad values at their fields with one line saying so, else the error. */
function SettingsRefusal(props: { error: CallError | null; testId: string }) {
  const { t } = useTranslation();
  if (props.error?.code === 'invalid_input') {
    return (
      <p className="message message--error" role="alert" data-testid={props.testId} data-code="invalid_input">
        {t('adminBoxOffice.messaging.invalid')}
      </p>
    );
  }
  return <ErrorMessage error={props.error} testId={props.testId} />;
}

export function Messaging() {
  return (
    <div className="admin-box-office" data-testid="messaging">
      <MailSection />
      <SmsSection />
    </div>
  );
}

function MailSection() {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [stored, setStored] = useState<MailSettings | null>(null);
  const [host, setHost] = useState('');
  const [port, setPort] = useState('587');
  const [security, setSecurity] = useState<Security>('starttls');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [removePassword, setRemovePassword] = useState(false);
  const [from, setFrom] = useState('');
  const [fromName, setFromName] = useState('');
  const [local, setLocal] = useState<Set<string>>(new Set());
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const shown = (s: MailSettings) => {
    setStored(s);
    setHost(s.host ?? '');
    setPort(String(s.port ?? 587));
    setSecurity(s.security ?? 'starttls');
    setUser(s.user ?? '');
    setFrom(s.from ?? '');
    setFromName(s.fromName ?? '');
    setPassword('');
    setRemovePassword(false);
  };

  useEffect(() => {
    let live = true;
    void call('admin.mail.get', {}).then((r) => {
      if (!live) return;
      if (r.ok) shown(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(false);
    const found = new Set<string>();
    if (host.trim() === '') found.add('host');
    const portNumber = /^\d+$/.test(port.trim()) ? Number(port.trim()) : NaN;
    if (!(portNumber >= 1 && portNumber <= 65535)) found.add('port');
    if (!/^[^@\s]+@[^@\s]+$/.test(from.trim())) found.add('from');
    // A password goes only with a user, and never over a plain connection (the server refuses it too).
    if (password !== '' && (user.trim() === '' || security === 'none')) found.add('password');
    setLocal(found);
    if (found.size > 0) return;
    setBusy(true);
    const r = await call('admin.mail.save', {
      host: host.trim(),
      port: portNumber,
      security,
      user: user.trim() === '' ? null : user.trim(),
      ...(password !== '' ? { password } : removePassword ? { password: null } : {}),
      from: from.trim(),
      fromName: fromName.trim() === '' ? null : fromName.trim(),
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    shown(r.value);
    setDone(true);
  }

  const refused = fieldsOf(error);
  const bad = (field: string) => local.has(field) || refused.has(field);
  const problem = (field: string) => (
    <FieldProblem show={bad(field)} testId="mail-problem" field={field}>
      {t(`adminBoxOffice.messaging.problem.${field === 'password' ? 'password' : 'invalid'}`)}
    </FieldProblem>
  );

  return (
    <section className="card">
      <h2 className="section-title">{t('adminBoxOffice.messaging.mailTitle')}</h2>
      {stored !== null && (
        <p data-testid="mail-configured" data-configured={String(stored.configured)}>
          {stored.configured ? t('adminBoxOffice.messaging.configured') : t('adminBoxOffice.messaging.notConfigured')}
        </p>
      )}
      <form className="admin-form" data-testid="mail-form" noValidate onSubmit={(e) => void save(e)}>
        <label>
          {t('adminBoxOffice.messaging.host')}
          <input data-testid="mail-host" value={host} maxLength={253} aria-invalid={bad('host') || undefined} onChange={(e) => setHost(e.target.value)} />
          {problem('host')}
        </label>
        <label>
          {t('adminBoxOffice.messaging.security')}
          <select
            data-testid="mail-security"
            value={security}
            onChange={(e) => {
              const next = e.target.value as Security;
              if (port === String(DEFAULT_PORT[security])) setPort(String(DEFAULT_PORT[next]));
              setSecurity(next);
            }}
          >
            {SMTP_SECURITY.map((s) => (
              <option key={s} value={s}>
                {t(`adminBoxOffice.messaging.securities.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('adminBoxOffice.messaging.port')}
          <input data-testid="mail-port" inputMode="numeric" value={port} aria-invalid={bad('port') || undefined} onChange={(e) => setPort(e.target.value)} />
          {problem('port')}
        </label>
        <label>
          {t('adminBoxOffice.messaging.user')}
          <input data-testid="mail-user" value={user} maxLength={254} autoComplete="off" aria-invalid={bad('user') || undefined} onChange={(e) => setUser(e.target.value)} />
          {problem('user')}
        </label>
        <label>
          {t('adminBoxOffice.messaging.password')}
          <input
            data-testid="mail-password"
            type="password"
            autoComplete="new-password"
            value={password}
            aria-invalid={bad('password') || undefined}
            placeholder={stored?.passwordSet ? t('adminBoxOffice.messaging.keepSecret') : ''}
            onChange={(e) => setPassword(e.target.value)}
          />
          <span className="admin-box-office__secret" data-testid="mail-password-state" data-set={String(stored?.passwordSet ?? false)}>
            {stored?.passwordSet ? t('adminBoxOffice.messaging.secretSet') : t('adminBoxOffice.messaging.secretNotSet')}
          </span>
          {problem('password')}
        </label>
        {stored?.passwordSet && (
          <label className="admin-form__choice">
            <input type="checkbox" data-testid="mail-password-remove" checked={removePassword} disabled={password !== ''} onChange={(e) => setRemovePassword(e.target.checked)} />
            {t('adminBoxOffice.messaging.removeSecret')}
          </label>
        )}
        <label>
          {t('adminBoxOffice.messaging.from')}
          <input data-testid="mail-from" type="email" value={from} maxLength={254} aria-invalid={bad('from') || undefined} onChange={(e) => setFrom(e.target.value)} />
          {problem('from')}
        </label>
        <label>
          {t('adminBoxOffice.messaging.fromName')}
          <input data-testid="mail-from-name" value={fromName} maxLength={100} aria-invalid={bad('fromName') || undefined} onChange={(e) => setFromName(e.target.value)} />
          {problem('fromName')}
        </label>
        <SettingsRefusal error={error} testId="mail-error" />
        {done && (
          <p className="message message--ok" role="status" data-testid="mail-saved">
            {t('adminBoxOffice.messaging.saved')}
          </p>
        )}
        <button type="submit" className="button button--primary" data-testid="mail-save" disabled={busy}>
          {t('adminBoxOffice.messaging.save')}
        </button>
      </form>
      {stored?.configured && <MailTest language={(languages as readonly string[]).includes(i18n.language) ? (i18n.language as Language) : 'en'} />}
    </section>
  );
}

function MailTest(props: { language: Language }) {
  const { t } = useTranslation();
  const call = useCall();
  const [to, setTo] = useState('');
  const [result, setResult] = useState<MailTestResult | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [problem, setProblem] = useState(false);
  const [busy, setBusy] = useState(false);

  async function send(e: FormEvent) {
    e.preventDefault();
    setResult(null);
    setError(null);
    const address = to.trim();
    setProblem(!/^[^@\s]+@[^@\s]+$/.test(address));
    if (!/^[^@\s]+@[^@\s]+$/.test(address)) return;
    setBusy(true);
    const r = await call('admin.mail.test', { to: address, language: props.language });
    setBusy(false);
    if (r.ok) setResult(r.value);
    else setError(r.error);
  }

  return (
    <form className="admin-form admin-box-office__test" data-testid="mail-test-form" noValidate onSubmit={(e) => void send(e)}>
      <label>
        {t('adminBoxOffice.messaging.testTo')}
        <input data-testid="mail-test-to" type="email" value={to} maxLength={254} aria-invalid={problem || undefined} onChange={(e) => setTo(e.target.value)} />
        <FieldProblem show={problem} testId="mail-test-problem" field="to">
          {t('adminBoxOffice.messaging.problem.invalid')}
        </FieldProblem>
      </label>
      <button type="submit" className="button" data-testid="mail-test-send" disabled={busy}>
        {busy ? t('adminBoxOffice.messaging.testSending') : t('adminBoxOffice.messaging.testSend')}
      </button>
      <SettingsRefusal error={error} testId="mail-test-error" />
      {result !== null && (
        <p
          className={`message ${result.sent ? 'message--ok' : 'message--error'}`}
          role="status"
          data-testid="mail-test-result"
          data-sent={String(result.sent)}
          data-error={result.error ?? ''}
        >
          {result.sent ? t('adminBoxOffice.messaging.testSent') : t('adminBoxOffice.messaging.testFailed', { reason: t(`adminBoxOffice.messaging.testErrors.${result.error ?? 'smtp_unreachable'}`) })}
        </p>
      )}
    </form>
  );
}

function SmsSection() {
  const { t } = useTranslation();
  const call = useCall();
  const [stored, setStored] = useState<SmsSettings | null>(null);
  const [provider, setProvider] = useState<Provider>(SMS_PROVIDERS[0]);
  const [url, setUrl] = useState('');
  const [sender, setSender] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [removeKey, setRemoveKey] = useState(false);
  const [local, setLocal] = useState<Set<string>>(new Set());
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const shown = (s: SmsSettings) => {
    setStored(s);
    setProvider(s.provider ?? SMS_PROVIDERS[0]);
    setUrl(s.url ?? '');
    setSender(s.sender ?? '');
    setApiKey('');
    setRemoveKey(false);
  };

  useEffect(() => {
    let live = true;
    void call('admin.sms.get', {}).then((r) => {
      if (!live) return;
      if (r.ok) shown(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(false);
    const found = new Set<string>();
    if (!/^https?:\/\/\S+$/.test(url.trim())) found.add('url');
    if (sender.trim() === '' || sender.trim().length > 20) found.add('sender');
    setLocal(found);
    if (found.size > 0) return;
    setBusy(true);
    const r = await call('admin.sms.save', {
      provider,
      url: url.trim(),
      sender: sender.trim(),
      ...(apiKey !== '' ? { apiKey } : removeKey ? { apiKey: null } : {}),
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    shown(r.value);
    setDone(true);
  }

  const refused = fieldsOf(error);
  const bad = (field: string) => local.has(field) || refused.has(field);

  return (
    <section className="card">
      <h2 className="section-title">{t('adminBoxOffice.messaging.smsTitle')}</h2>
      {stored !== null && (
        <p data-testid="sms-configured" data-configured={String(stored.configured)}>
          {stored.configured ? t('adminBoxOffice.messaging.configured') : t('adminBoxOffice.messaging.notConfigured')}
        </p>
      )}
      <form className="admin-form" data-testid="sms-form" noValidate onSubmit={(e) => void save(e)}>
        <label>
          {t('adminBoxOffice.messaging.provider')}
          <select data-testid="sms-provider" value={provider} onChange={(e) => setProvider(e.target.value as Provider)}>
            {SMS_PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {t(`adminBoxOffice.messaging.providers.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('adminBoxOffice.messaging.url')}
          <input data-testid="sms-url" type="url" value={url} maxLength={500} aria-invalid={bad('url') || undefined} onChange={(e) => setUrl(e.target.value)} />
          <FieldProblem show={bad('url')} testId="sms-problem" field="url">
            {t('adminBoxOffice.messaging.problem.url')}
          </FieldProblem>
        </label>
        <label>
          {t('adminBoxOffice.messaging.sender')}
          <input data-testid="sms-sender" value={sender} maxLength={20} aria-invalid={bad('sender') || undefined} onChange={(e) => setSender(e.target.value)} />
          <FieldProblem show={bad('sender')} testId="sms-problem" field="sender">
            {t('adminBoxOffice.messaging.problem.invalid')}
          </FieldProblem>
        </label>
        <label>
          {t('adminBoxOffice.messaging.apiKey')}
          <input
            data-testid="sms-api-key"
            type="password"
            autoComplete="new-password"
            value={apiKey}
            placeholder={stored?.apiKeySet ? t('adminBoxOffice.messaging.keepApiKey') : ''}
            onChange={(e) => setApiKey(e.target.value)}
          />
          <span className="admin-box-office__secret" data-testid="sms-api-key-state" data-set={String(stored?.apiKeySet ?? false)}>
            {stored?.apiKeySet ? t('adminBoxOffice.messaging.apiKeySet') : t('adminBoxOffice.messaging.apiKeyNotSet')}
          </span>
        </label>
        {stored?.apiKeySet && (
          <label className="admin-form__choice">
            <input type="checkbox" data-testid="sms-api-key-remove" checked={removeKey} disabled={apiKey !== ''} onChange={(e) => setRemoveKey(e.target.checked)} />
            {t('adminBoxOffice.messaging.removeSecret')}
          </label>
        )}
        <SettingsRefusal error={error} testId="sms-error" />
        {done && (
          <p className="message message--ok" role="status" data-testid="sms-saved">
            {t('adminBoxOffice.messaging.saved')}
          </p>
        )}
        <button type="submit" className="button button--primary" data-testid="sms-save" disabled={busy}>
          {t('adminBoxOffice.messaging.save')}
        </button>
      </form>
    </section>
  );
}
