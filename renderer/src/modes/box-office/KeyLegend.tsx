// Owns the box office's key map as the cashier sees it: a small legend of every key the sale screen
// answers to (the keys themselves are handled in BoxOffice.tsx).
import { useTranslation } from 'react-i18next';

export const KEY_MAP = [
  { keys: '1–9', action: 'addType' },
  { keys: '+ / −', action: 'quantity' },
  { keys: 'F2', action: 'cash' },
  { keys: 'F3', action: 'card' },
  { keys: 'F4', action: 'terminal' },
  { keys: 'F5–F7', action: 'qr' },
  { keys: 'F9', action: 'voucher' },
  { keys: 'F8', action: 'shift' },
  { keys: 'F10', action: 'refund' },
  { keys: 'Enter', action: 'confirm' },
  { keys: 'Esc / N', action: 'newSale' },
] as const;

export function KeyLegend() {
  const { t } = useTranslation();
  return (
    <dl className="key-legend" data-testid="key-legend" aria-label={t('boxOffice.keys.title')}>
      {KEY_MAP.map((k) => (
        <div key={k.action} className="key-legend__item">
          <dt>
            <kbd className="key">{k.keys}</kbd>
          </dt>
          <dd>{t(`boxOffice.keys.${k.action}`)}</dd>
        </div>
      ))}
    </dl>
  );
}
