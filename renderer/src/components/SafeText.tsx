// Owns how the screens show text they did not write: a scanned or typed code, an order or ticket
// code, an attendee's name. Invisible and direction-changing characters (domain/display-text.ts) are
// shown as a visible mark of their code point, never passed to the page; the rest is isolated from
// the text around it (<bdi>), and a code is additionally laid out strictly left to right, so no
// character in it can turn it or its neighbours around.
import { useTranslation } from 'react-i18next';
import { displayParts, displayText, type DisplayPolicy } from '../contract';

/** For attributes (title, aria-label) and joined strings: the same text with its marks, as a string. */
export const safeString = displayText;

export function SafeText(props: { text: string; policy?: DisplayPolicy; className?: string; testId?: string }) {
  const { t } = useTranslation();
  const policy = props.policy ?? 'text';
  const parts = displayParts(props.text, policy);
  const className = [`safe-text safe-text--${policy}`, props.className].filter(Boolean).join(' ');
  return (
    <bdi className={className} dir={policy === 'code' ? 'ltr' : undefined} data-testid={props.testId}>
      {parts.map((p, i) =>
        p.kind === 'text' ? (
          p.text
        ) : (
          <span key={i} className="safe-text__hidden" data-hidden-char={p.label} title={t('display.hidden', { code: p.label })}>
            [{p.label}]
          </span>
        ),
      )}
    </bdi>
  );
}
