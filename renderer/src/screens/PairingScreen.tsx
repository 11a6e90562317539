// Owns first-run pairing: the operator types the server address, the pairing code and a name for this
// terminal; the core does the exchange (`terminal.pair`) and answers with the new sync status.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { calls, type CallError, type SyncStatus } from '../contract';
import { ErrorMessage } from '../components/ErrorMessage';
import { useCall } from '../core';

type Field = 'serverUrl' | 'code' | 'terminalName';
const fieldMessage = {
  serverUrl: 'pairing.invalidServerUrl',
  code: 'pairing.invalidCode',
  terminalName: 'pairing.invalidTerminalName',
} as const;

export function PairingScreen(props: { onPaired: (status: SyncStatus) => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [terminalName, setTerminalName] = useState('');
  const [invalid, setInvalid] = useState<ReadonlySet<Field>>(new Set());
  const [error, setError] = useState<CallError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const input = { serverUrl: serverUrl.trim(), code: code.trim().toUpperCase(), terminalName: terminalName.trim() };
    const checked = calls['terminal.pair'].input.safeParse(input);
    if (!checked.success) {
      setInvalid(
        new Set(
          checked.error.issues
            .map((issue) => issue.path[0])
            .filter((p): p is Field => typeof p === 'string' && p in fieldMessage),
        ),
      );
      setError(null);
      return;
    }
    setInvalid(new Set());
    setError(null);
    setBusy(true);
    const result = await call('terminal.pair', checked.data);
    setBusy(false);
    if (result.ok) props.onPaired(result.value);
    else setError(result.error);
  }

  const field = (name: Field, label: string, hint: string, value: string, set: (v: string) => void, extra: object) => (
    <label className="field">
      <span className="field__label">{label}</span>
      <input
        className="input"
        value={value}
        onChange={(e) => set(e.target.value)}
        aria-invalid={invalid.has(name)}
        aria-describedby={`pairing-${name}-hint`}
        {...extra}
      />
      <span className="field__hint" id={`pairing-${name}-hint`}>
        {hint}
      </span>
      {invalid.has(name) && (
        <span className="field__error" role="alert" data-testid={`pairing-invalid-${name}`}>
          {t(fieldMessage[name])}
        </span>
      )}
    </label>
  );

  return (
    <main className="screen screen--centered" data-testid="pairing-screen">
      <form className="card form" onSubmit={(e) => void submit(e)} noValidate>
        <h1 className="card__title">{t('pairing.title')}</h1>
        <p className="card__intro">{t('pairing.intro')}</p>
        {field('serverUrl', t('pairing.serverUrl'), t('pairing.serverUrlHint'), serverUrl, setServerUrl, {
          'data-testid': 'pairing-server-url',
          type: 'url',
          inputMode: 'url',
          autoComplete: 'off',
          spellCheck: false,
          maxLength: 300,
          autoFocus: true,
        })}
        {field('code', t('pairing.code'), t('pairing.codeHint'), code, (v) => setCode(v.toUpperCase()), {
          'data-testid': 'pairing-code',
          autoComplete: 'off',
          autoCapitalize: 'characters',
          spellCheck: false,
          maxLength: 9,
        })}
        {field('terminalName', t('pairing.terminalName'), t('pairing.terminalNameHint'), terminalName, setTerminalName, {
          'data-testid': 'pairing-terminal-name',
          autoComplete: 'off',
          maxLength: 80,
        })}
        <ErrorMessage error={error} testId="pairing-error" />
        <button type="submit" className="button button--primary button--large" data-testid="pairing-submit" disabled={busy}>
          {busy ? t('pairing.submitting') : t('pairing.submit')}
        </button>
      </form>
    </main>
  );
}
