// Owns operator sign-in in two steps: first who (a tile per operator this terminal serves — touch, or
// arrow keys, typing the start of a name and Enter), then that operator's PIN (a PIN pad for touch
// screens plus ordinary keyboard entry into the same field). After wrong PINs the core says how long
// to wait; the Enter key stays off until then.
import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallError, OperatorChoice, Session } from '../contract';
import { ErrorMessage } from '../components/ErrorMessage';
import { useCall, useConnection } from '../core';

const MAX_PIN = 8;
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export function LoginScreen(props: { onLogin: (session: Session) => void }) {
  const call = useCall();
  const connection = useConnection();
  const [operators, setOperators] = useState<OperatorChoice[] | null>(null);
  const [loadError, setLoadError] = useState<CallError | null>(null);
  const [chosen, setChosen] = useState<OperatorChoice | null>(null);

  useEffect(() => {
    let live = true;
    void call('session.operators', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setOperators(r.value);
        setLoadError(null);
      } else setLoadError(r.error);
    });
    return () => {
      live = false;
    };
  }, [call, connection.generation]);

  return (
    <main className="screen screen--centered" data-testid="login-screen">
      {chosen ? (
        <PinStep operator={chosen} onBack={() => setChosen(null)} onLogin={props.onLogin} />
      ) : (
        <OperatorStep operators={operators} error={loadError} onChoose={setChosen} />
      )}
    </main>
  );
}

function OperatorStep(props: { operators: OperatorChoice[] | null; error: CallError | null; onChoose: (op: OperatorChoice) => void }) {
  const { t } = useTranslation();
  const { operators, error, onChoose } = props;
  const tiles = useRef<(HTMLButtonElement | null)[]>([]);
  const typed = useRef({ text: '', at: 0 });

  useEffect(() => {
    tiles.current[0]?.focus();
  }, [operators]);

  // Arrow keys move between tiles; letters jump to the first name that starts with what was typed.
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (!operators || operators.length === 0) return;
      const at = tiles.current.findIndex((el) => el === document.activeElement);
      const move = (to: number) => {
        e.preventDefault();
        tiles.current[(to + operators.length) % operators.length]?.focus();
      };
      if (e.key === 'ArrowRight' || e.key === 'ArrowDown') return move(at + 1);
      if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') return move(at - 1);
      if (e.key === 'Home') return move(0);
      if (e.key === 'End') return move(operators.length - 1);
      if (e.key.length === 1 && /\S/.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey) {
        const now = e.timeStamp;
        typed.current = { text: (now - typed.current.at < 1000 ? typed.current.text : '') + e.key.toLocaleLowerCase(), at: now };
        const found = operators.findIndex((op) => op.name.toLocaleLowerCase().startsWith(typed.current.text));
        if (found >= 0) move(found);
      }
    },
    [operators],
  );

  return (
    <div className="card login">
      <h1 className="card__title">{t('login.who')}</h1>
      <ErrorMessage error={error} testId="operators-error" />
      {operators === null ? null : operators.length === 0 ? (
        <p className="message" data-testid="operators-none">
          {t('login.noOperators')}
        </p>
      ) : (
        <div className="operator-list" role="group" aria-label={t('login.operators')} data-testid="login-operators" onKeyDown={onKeyDown}>
          {operators.map((op, i) => (
            <button
              key={op.id}
              ref={(el) => {
                tiles.current[i] = el;
              }}
              type="button"
              className="button button--large operator-list__option"
              data-testid="operator-option"
              data-operator-id={op.id}
              data-role={op.role}
              onClick={() => onChoose(op)}
            >
              {op.name}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function PinStep(props: { operator: OperatorChoice; onBack: () => void; onLogin: (session: Session) => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const { operator, onBack, onLogin } = props;
  const [pin, setPin] = useState('');
  const [error, setError] = useState<CallError | null>(null);
  const [tooShort, setTooShort] = useState(false);
  const [busy, setBusy] = useState(false);
  /** While the core refuses this operator: when it will hear them again (this page's clock). */
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const inputRef = useRef<HTMLInputElement>(null);
  const minPin = operator.pinMinLength;

  const waitMs = retryAt === null ? 0 : Math.max(0, retryAt - now);
  const waiting = waitMs > 0;

  useEffect(() => {
    if (retryAt === null) return;
    const tick = setInterval(() => {
      const t2 = Date.now();
      setNow(t2);
      if (t2 >= retryAt) {
        setRetryAt(null);
        clearInterval(tick);
      }
    }, 250);
    return () => clearInterval(tick);
  }, [retryAt]);

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
    if (busy || waiting) return;
    if (pin.length < minPin) {
      setTooShort(true);
      return;
    }
    setBusy(true);
    setError(null);
    const result = await call('session.login', { operatorId: operator.id, pin });
    setBusy(false);
    setPin('');
    if (result.ok) return onLogin(result.value);
    setError(result.error);
    const retryAfterMs = result.error.retryAfterMs;
    if (retryAfterMs !== undefined && retryAfterMs > 0) {
      const at = Date.now();
      setNow(at);
      setRetryAt(at + retryAfterMs);
    }
  }

  return (
    <form className="card login" onSubmit={(e) => void submit(e)} noValidate>
      <h1 className="card__title" data-testid="login-operator-name">
        {t('login.pinFor', { name: operator.name })}
      </h1>
      <button type="button" className="login__back" data-testid="login-back" onClick={onBack} disabled={busy}>
        {t('login.notYou', { name: operator.name })}
      </button>
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
          onKeyDown={(e) => {
            if (e.key === 'Escape' && !busy) onBack();
          }}
          disabled={busy}
        />
      </label>
      {tooShort && (
        <p className="message message--error" role="alert" data-testid="pin-too-short">
          {t('login.pinLength', { min: minPin, max: MAX_PIN })}
        </p>
      )}
      <ErrorMessage error={error} testId="login-error" />
      {waiting && (
        <p className="message message--warning" role="status" data-testid="login-wait" data-retry-after-ms={waitMs}>
          {waitMs >= 120_000
            ? t('login.waitMinutes', { minutes: Math.ceil(waitMs / 60_000) })
            : t('login.waitSeconds', { seconds: Math.ceil(waitMs / 1000) })}
        </p>
      )}
      <div className="pin-pad" role="group" aria-label={t('login.pin')}>
        {DIGITS.map((d) => (
          <button key={d} type="button" className="pin-pad__key" data-testid={`pin-digit-${d}`} onClick={() => press(d)} disabled={busy}>
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
        disabled={busy || waiting || pin.length === 0}
      >
        {busy ? t('login.submitting') : t('login.enter')}
      </button>
    </form>
  );
}
