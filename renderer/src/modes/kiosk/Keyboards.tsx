// Owns the kiosk's on-screen keys, since a kiosk has no keyboard and may have no input method: a large
// numeric keypad (phone digits, a manager's PIN) and a letter keyboard for the first letters of a name in
// Latin (QWERTY) or Cyrillic (ЙЦУКЕН) letters. Chinese names: the most common family names as keys, and
// a field for the system's own input (IME or handwriting) for any other first character — pinyin
// initials alone would match too many people.
import { useTranslation } from 'react-i18next';

export const LAYOUTS = ['latin', 'cyrillic', 'chinese'] as const;
export type Layout = (typeof LAYOUTS)[number];

const LATIN = ['QWERTYUIOP', 'ASDFGHJKL', 'ZXCVBNM'];
const CYRILLIC = ['ЙЦУКЕНГШЩЗХЪ', 'ФЫВАПРОЛДЖЭ', 'ЯЧСМИТЬБЮЁ'];
/** The most common Chinese family names (together the family names of most people in China). */
const FAMILY_NAMES = ['王李张刘陈杨黄赵吴周', '徐孙马朱胡郭何高林罗', '郑梁谢宋唐许韩冯邓曹'];

export function DigitPad(props: {
  onDigit: (digit: string) => void;
  onBackspace: () => void;
  onClear: () => void;
  prefix: string;
  label: string;
}) {
  const { t } = useTranslation();
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
  return (
    <div className="kiosk-pad" role="group" aria-label={props.label}>
      {keys.map((d) => (
        <button key={d} type="button" className="kiosk-key" data-testid={`${props.prefix}-${d}`} onClick={() => props.onDigit(d)}>
          {d}
        </button>
      ))}
      <button
        type="button"
        className="kiosk-key kiosk-key--action"
        data-testid={`${props.prefix === 'kiosk-digit' ? 'kiosk-digit' : 'kiosk-pin'}-clear`}
        aria-label={t('kiosk.keys.clear')}
        onClick={props.onClear}
      >
        {t('kiosk.keys.clearShort')}
      </button>
      <button type="button" className="kiosk-key" data-testid={`${props.prefix}-0`} onClick={() => props.onDigit('0')}>
        0
      </button>
      <button
        type="button"
        className="kiosk-key kiosk-key--action"
        data-testid={`${props.prefix === 'kiosk-digit' ? 'kiosk-digit' : 'kiosk-pin'}-backspace`}
        aria-label={t('kiosk.keys.backspace')}
        onClick={props.onBackspace}
      >
        ⌫
      </button>
    </div>
  );
}

export function LetterKeyboard(props: {
  layout: Layout;
  onLayout: (layout: Layout) => void;
  value: string;
  onChange: (value: string) => void;
  max: number;
}) {
  const { t } = useTranslation();
  const add = (ch: string) => {
    if ([...props.value].length < props.max) props.onChange(props.value + ch);
  };
  const rows = props.layout === 'latin' ? LATIN : props.layout === 'cyrillic' ? CYRILLIC : FAMILY_NAMES;
  return (
    <div className="kiosk-keyboard" data-testid="kiosk-keyboard" data-layout={props.layout}>
      <div className="kiosk-layouts" role="group" aria-label={t('kiosk.keys.layouts')}>
        {LAYOUTS.map((layout) => (
          <button
            key={layout}
            type="button"
            className={`kiosk-layout${props.layout === layout ? ' kiosk-layout--on' : ''}`}
            data-testid={`kiosk-layout-${layout}`}
            aria-pressed={props.layout === layout}
            onClick={() => props.onLayout(layout)}
          >
            {t(`kiosk.keys.layout.${layout}`)}
          </button>
        ))}
      </div>
      {props.layout === 'chinese' && (
        <div className="kiosk-ime">
          <label className="kiosk-ime__label" htmlFor="kiosk-name-input">
            {t('kiosk.keys.chineseHint')}
          </label>
          <input
            id="kiosk-name-input"
            className="kiosk-ime__input"
            data-testid="kiosk-name-input"
            value={props.value}
            maxLength={props.max}
            lang="zh-CN"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => props.onChange([...e.target.value].slice(0, props.max).join(''))}
          />
        </div>
      )}
      <div className="kiosk-keyboard__rows" role="group" aria-label={t('kiosk.keys.letters')}>
        {rows.map((row) => (
          <div key={row} className="kiosk-keyboard__row">
            {[...row].map((ch) => (
              <button
                key={ch}
                type="button"
                className="kiosk-key kiosk-key--letter"
                data-testid="kiosk-key"
                data-key={ch}
                onClick={() => add(ch)}
              >
                {ch}
              </button>
            ))}
          </div>
        ))}
        <div className="kiosk-keyboard__row">
          <button
            type="button"
            className="kiosk-key kiosk-key--action kiosk-key--wide"
            data-testid="kiosk-key-clear"
            onClick={() => props.onChange('')}
          >
            {t('kiosk.keys.clear')}
          </button>
          <button
            type="button"
            className="kiosk-key kiosk-key--action kiosk-key--wide"
            data-testid="kiosk-key-backspace"
            aria-label={t('kiosk.keys.backspace')}
            onClick={() => props.onChange([...props.value].slice(0, -1).join(''))}
          >
            ⌫
          </button>
        </div>
      </div>
    </div>
  );
}
