// Owns operator sign-in: a PIN pad for touch screens plus ordinary keyboard entry into the same field.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallError, Session } from '../contract';
import { ErrorMessage } from '../components/ErrorMessage';
import { useCall } from '../core';

const MAX_PIN = 8;
const MIN_PIN = 4;
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export function LoginScreen(props: { onLogin: (session: Session) => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<CallError | null>(null);
  const [tooShort, setTooShort] = useState(false);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  // The field is disabled while signing in; give it the keyboard back afterwards (e.g. after a wrong PIN).
  useEffect(() => {
    if (!busy) inputRef.current?.focus();
  }, [busy]);

  const update = (next: string) => {
    setPin(next.replace(/\D/g, '').slice(0, MAX_PIN));
    setTooShort(false);
  };
  const press = (digit: string) => {
    update(pin + digit);
    inputRef.current?.focus();
  };

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (busy) return;
    if (pin.length < MIN_PIN) {
      setTooShort(true);
      return;
    }
    setBusy(true);
    setError(null);
    const result = await call('session.login', { pin });
    setBusy(false);
    setPin('');
    if (result.ok) props.onLogin(result.value);
    else setError(result.error);
  }

  return (
    <main className="screen screen--centered" data-testid="login-screen">
      <form className="card login" onSubmit={(e) => void submit(e)} noValidate>
        <h1 className="card__title">{t('login.title')}</h1>
        <label className="field">
          <span className="field__label">{t('login.prompt')}</span>
          <input
            ref={inputRef}
            className="input input--pin"
            data-testid="pin-input"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            autoFocus
            maxLength={MAX_PIN}
            aria-label={t('login.pin')}
            value={pin}
            onChange={(e) => update(e.target.value)}
            disabled={busy}
          />
        </label>
        {tooShort && (
          <p className="message message--error" role="alert" data-testid="pin-too-short">
            {t('login.pinLength')}
          </p>
        )}
        <ErrorMessage error={error} testId="login-error" />
        <div className="pin-pad" role="group" aria-label={t('login.pin')}>
          {DIGITS.map((d) => (
            <button
              key={d}
              type="button"
              className="pin-pad__key"
              data-testid={`pin-digit-${d}`}
              onClick={() => press(d)}
              disabled={busy}
            >
              {d}
            </button>
          ))}
          <button
            type="button"
            className="pin-pad__key pin-pad__key--action"
            data-testid="pin-clear"
            onClick={() => update('')}
            disabled={busy}
          >
            {t('login.clear')}
          </button>
          <button type="button" className="pin-pad__key" data-testid="pin-digit-0" onClick={() => press('0')} disabled={busy}>
            0
          </button>
          <button
            type="button"
            className="pin-pad__key pin-pad__key--action"
            data-testid="pin-backspace"
            aria-label={t('login.backspace')}
            onClick={() => update(pin.slice(0, -1))}
            disabled={busy}
          >
            ⌫
          </button>
        </div>
        <button
          type="submit"
          className="button button--primary button--large"
          data-testid="pin-enter"
          disabled={busy || pin.length === 0}
        >
          {busy ? t('login.submitting') : t('login.enter')}
        </button>
      </form>
    </main>
  );
}
