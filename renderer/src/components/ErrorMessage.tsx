// Owns how a coded call error reaches the operator: always the translated code, never the detail text.
import { useTranslation } from 'react-i18next';
import type { CallError } from '../contract';

export function ErrorMessage(props: { error: CallError | null | undefined; testId: string; className?: string }) {
  const { t } = useTranslation();
  const { error, testId, className } = props;
  if (!error) return null;
  return (
    <p className={`message message--error ${className ?? ''}`} role="alert" data-testid={testId} data-code={error.code}>
      {t(`errors.${error.code}`)}
    </p>
  );
}
