// Owns admin mode's Badges section: an event's badge templates (list, new, duplicate, delete), the
// designer of one template — its stock and sides, the preview image drawn by the core's one badge
// renderer for a sample attendee (refreshed shortly after every change) with each element's box over it
// to drag, resize by its corners, align and edit in a properties panel — which attendees it is for,
// saving it (the issues the one template check finds, at the element at fault; another admin's newer
// save), a test print on this terminal's badge printer, and the event's badge settings. Every place and
// size is in millimetres on the stock, as the template keeps them.
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../components/ErrorMessage';
import {
  BADGE_FONT_FAMILIES,
  BADGE_LOCALES,
  BADGE_TEXT_FIELDS,
  MAX_ELEMENTS_PER_SIDE,
  MAX_IMAGE_BYTES,
  defaultBadgeTemplate,
  imageProblem,
  stockSizeMm,
  type AdminBadgeTemplate,
  type AdminEventPage,
  type AdminEventSummary,
  type BadgeElement,
  type BadgeLocale,
  type BadgeSampleRow,
  type BadgeSettingsValue,
  type BadgeStock,
  type BadgeTemplate,
  type BadgeTemplateIssue,
  type CallError,
  type PrintOutcome,
} from '../../contract';
import { useCall } from '../../core';
import { pickLocalized } from '../../i18n/format';
import './admin-sections.css';
import './admin-badges.css';

/** How long the designer waits after a change before it asks for a new preview. */
const PREVIEW_DEBOUNCE_MS = 250;
/** Arrow keys move or resize an element by this many mm (with Ctrl: ten times as much). */
const KEY_STEP_MM = 0.5;
type ElementType = BadgeElement['type'];
type Corner = 'nw' | 'ne' | 'sw' | 'se';
type Side = { png: string; width: number; height: number };

type Draft = {
  id: string | null;
  name: string;
  ticketTypeIds: string[];
  categories: string[];
  isDefault: boolean;
  template: BadgeTemplate;
  baseVersion: number | undefined;
};

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** JSON with every object's keys sorted: a layout read back from the server equals the one sent. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}
const clampMm = (n: number): number => Math.min(999, Math.max(0, round1(n)));

function draftOf(t: AdminBadgeTemplate): Draft {
  const template = (t.template ?? defaultBadgeTemplate()) as BadgeTemplate;
  return { id: t.id, name: t.name, ticketTypeIds: [...t.ticketTypeIds], categories: [...t.categories], isDefault: t.isDefault, template, baseVersion: t.version };
}

function newDraft(name: string): Draft {
  return { id: null, name, ticketTypeIds: [], categories: [], isDefault: false, template: { ...defaultBadgeTemplate(), name }, baseVersion: undefined };
}

/** A new element of `type`, placed inside the stock. */
function newElement(type: ElementType, stock: { width: number; height: number }, data = ''): BadgeElement {
  const w = stock.width;
  const h = stock.height;
  const style = { font: 'Noto Sans', weight: 'regular' as const, maxSizePt: 14, minSizePt: 7, maxLines: 2, align: 'left' as const, uppercase: false };
  switch (type) {
    case 'text':
      return { type, x: 4, y: 4, width: round1(Math.min(40, w - 8)), height: round1(Math.min(8, h - 8)), source: { kind: 'field', field: 'name' }, ...style, colour: '#000000' };
    case 'band':
      return { type, x: 0, y: round1(h - Math.min(10, h / 4)), width: round1(w), height: round1(Math.min(10, h / 4)), colour: '#000000', colours: {}, label: 'category', ...style, weight: 'bold', align: 'center', uppercase: true, maxLines: 1, colourOfText: '#ffffff' };
    case 'code':
      return { type, x: round1(Math.max(0, w - 24)), y: 4, width: round1(Math.min(20, w)), height: round1(Math.min(23, h)), symbology: 'qr', source: 'ticketCode', caption: true };
    case 'photo':
      return { type, x: 4, y: 4, width: round1(Math.min(18, w - 4)), height: round1(Math.min(22, h - 4)), fit: 'cover' };
    case 'image':
      return { type, x: 4, y: 4, width: round1(Math.min(20, w - 4)), height: round1(Math.min(10, h - 4)), data };
  }
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function Badges() {
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
    <div className="admin-badges" data-testid="badges">
      <section className="card">
        <div className="admin-section__head">
          <h2 className="section-title">{t('adminBadges.title')}</h2>
          {events !== null && events.length > 0 && (
            <label className="admin-badges__picker">
              {t('adminBadges.event')}
              <select data-testid="badges-event" value={eventId ?? ''} onChange={(e) => setEventId(e.target.value)}>
                {events.map((ev) => (
                  <option key={ev.id} value={ev.id}>
                    {pickLocalized(ev.name, i18n.language)}
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        <ErrorMessage error={error} testId="badges-error" />
        {events !== null && events.length === 0 && <p data-testid="badges-no-events">{t('adminBadges.noEvents')}</p>}
      </section>
      {eventId !== null && <EventBadges key={eventId} eventId={eventId} />}
    </div>
  );
}

type Listing = { templates: AdminBadgeTemplate[]; settings: BadgeSettingsValue; samples: BadgeSampleRow[]; categories: string[] };

function EventBadges(props: { eventId: string }) {
  const { t } = useTranslation();
  const call = useCall();
  const [listing, setListing] = useState<Listing | null>(null);
  const [page, setPage] = useState<AdminEventPage | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const [opened, setOpened] = useState<{ key: number; draft: Draft } | null>(null);
  const current = useRef<Draft | null>(null);
  const open = (d: Draft) => {
    current.current = d;
    setActiveId(d.id);
    setOpened((o) => ({ key: (o?.key ?? 0) + 1, draft: d }));
  };
  const draft = opened?.draft ?? null;
  /** The template open in the designer (its id once saved). */
  const [activeId, setActiveId] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    void Promise.all([call('admin.badges.list', { eventId: props.eventId }), call('admin.events.get', { eventId: props.eventId })]).then(([l, p]) => {
      if (!live) return;
      if (!l.ok) return setError(l.error);
      if (!p.ok) return setError(p.error);
      setError(null);
      setListing(l.value);
      setPage(p.value);
    });
    return () => {
      live = false;
    };
  }, [call, props.eventId, generation]);

  const remove = async (id: string) => {
    const r = await call('admin.badges.delete', { eventId: props.eventId, id });
    setConfirmDelete(null);
    if (!r.ok) return setError(r.error);
    if (activeId === id) {
      setOpened(null);
      setActiveId(null);
      current.current = null;
    }
    setGeneration((g) => g + 1);
  };

  const saved = (template: AdminBadgeTemplate) => {
    setListing((l) => (l ? { ...l, templates: [...l.templates.filter((x) => x.id !== template.id), template].sort((a, b) => a.name.localeCompare(b.name)) } : l));
  };

  if (!listing || !page) {
    return (
      <section className="card">
        <ErrorMessage error={error} testId="badges-error" />
        {!error && <p className="splash">{t('app.loading')}</p>}
      </section>
    );
  }
  return (
    <>
      <section className="card" data-testid="badge-templates">
        <div className="admin-section__head">
          <h3 className="section-title">{t('adminBadges.templates')}</h3>
          <div className="admin-section__actions">
            <button type="button" className="button" data-testid="badge-new" onClick={() => open(newDraft(t('adminBadges.newName')))}>
              {t('adminBadges.new')}
            </button>
            <button
              type="button"
              className="button"
              data-testid="badge-duplicate"
              disabled={!draft}
              onClick={() => {
                const d = current.current ?? draft;
                if (d) open({ ...d, id: null, baseVersion: undefined, isDefault: false, name: t('adminBadges.copyName', { name: d.name }) });
              }}
            >
              {t('adminBadges.duplicate')}
            </button>
          </div>
        </div>
        <ErrorMessage error={error} testId="badges-error" />
        {listing.templates.length === 0 ? (
          <p data-testid="badge-templates-empty">{t('adminBadges.empty')}</p>
        ) : (
          <table className="admin-table">
            <thead>
              <tr>
                <th>{t('adminBadges.name')}</th>
                <th>{t('adminBadges.for')}</th>
                <th>{t('adminBadges.version')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {listing.templates.map((tpl) => (
                <tr key={tpl.id} data-testid="badge-template-row" data-id={tpl.id} aria-selected={activeId === tpl.id}>
                  <td>{tpl.name}</td>
                  <td>
                    {[
                      tpl.isDefault ? t('adminBadges.default') : null,
                      ...tpl.categories,
                      ...tpl.ticketTypeIds.map((id) => pickLocalized(page.ticketTypes.find((x) => x.id === id)?.name, 'en')),
                    ]
                      .filter(Boolean)
                      .join(', ')}
                  </td>
                  <td>{tpl.version}</td>
                  <td className="admin-section__actions">
                    <button type="button" className="button" data-testid="badge-template-open" onClick={() => open(draftOf(tpl))}>
                      {t('adminBadges.open')}
                    </button>
                    {confirmDelete === tpl.id ? (
                      <span className="admin-section__confirm" role="group">
                        {t('adminBadges.deleteConfirm', { name: tpl.name })}
                        <span className="admin-section__actions">
                          <button type="button" className="button admin-button--danger" data-testid="badge-template-delete-confirm" onClick={() => void remove(tpl.id)}>
                            {t('adminBadges.delete')}
                          </button>
                          <button type="button" className="button" onClick={() => setConfirmDelete(null)}>
                            {t('adminBadges.cancel')}
                          </button>
                        </span>
                      </span>
                    ) : (
                      <button type="button" className="button admin-button--danger" data-testid="badge-template-delete" onClick={() => setConfirmDelete(tpl.id)}>
                        {t('adminBadges.delete')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {opened && (
        <Designer
          key={opened.key}
          eventId={props.eventId}
          initial={opened.draft}
          listing={listing}
          page={page}
          onDraft={(d) => {
            current.current = d;
          }}
          onSaved={(tpl) => {
            saved(tpl);
            setActiveId(tpl.id);
          }}
        />
      )}
      <Settings eventId={props.eventId} initial={listing.settings} />
    </>
  );
}

function Settings(props: { eventId: string; initial: BadgeSettingsValue }) {
  const { t } = useTranslation();
  const call = useCall();
  const [minutes, setMinutes] = useState(String(Math.round(props.initial.reprintWindowS / 60)));
  const [needsPin, setNeedsPin] = useState(props.initial.reprintNeedsPin);
  const [checksIn, setChecksIn] = useState(props.initial.printChecksIn);
  const [error, setError] = useState<CallError | null>(null);
  const [done, setDone] = useState(false);
  const [bad, setBad] = useState(false);

  const save = async () => {
    setDone(false);
    const m = minutes.trim();
    if (!/^\d+$/.test(m) || Number(m) > 366 * 1440) return setBad(true);
    setBad(false);
    const r = await call('admin.badges.settings', { eventId: props.eventId, reprintWindowS: Number(m) * 60, reprintNeedsPin: needsPin, printChecksIn: checksIn });
    if (!r.ok) return setError(r.error);
    setError(null);
    setDone(true);
  };

  return (
    <section className="card" data-testid="badge-settings">
      <h3 className="section-title">{t('adminBadges.settings.title')}</h3>
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          {t('adminBadges.settings.window')}
          <input data-testid="badge-settings-window" inputMode="numeric" value={minutes} aria-invalid={bad} onChange={(e) => setMinutes(e.target.value)} />
          {bad && <span className="admin-badges__problem">{t('adminBadges.settings.windowInvalid')}</span>}
        </label>
        <label className="admin-form__choice">
          <input type="checkbox" data-testid="badge-settings-pin" checked={needsPin} onChange={(e) => setNeedsPin(e.target.checked)} />
          {t('adminBadges.settings.pin')}
        </label>
        <label className="admin-form__choice">
          <input type="checkbox" data-testid="badge-settings-checkin" checked={checksIn} onChange={(e) => setChecksIn(e.target.checked)} />
          {t('adminBadges.settings.checksIn')}
        </label>
        <button type="submit" className="button button--primary" data-testid="badge-settings-save">
          {t('adminBadges.settings.save')}
        </button>
      </form>
      <ErrorMessage error={error} testId="badge-settings-error" />
      {done && (
        <p className="message message--ok" role="status" data-testid="badge-settings-saved">
          {t('adminBadges.settings.saved')}
        </p>
      )}
    </section>
  );
}

function Designer(props: { eventId: string; initial: Draft; listing: Listing; page: AdminEventPage; onDraft: (d: Draft) => void; onSaved: (t: AdminBadgeTemplate) => void }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const [draft, setDraft] = useState<Draft>(props.initial);
  /** The draft as last saved (null: never saved). */
  const [savedDraft, setSavedDraft] = useState<string | null>(props.initial.id ? canonical(props.initial) : null);
  const { onDraft } = props;
  useEffect(() => {
    onDraft(draft);
  }, [onDraft, draft]);
  const [side, setSide] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const [sample, setSample] = useState(props.listing.samples[0]?.key ?? 'longest');
  const [locale, setLocale] = useState<BadgeLocale>('en');
  const [asPrinted, setAsPrinted] = useState(false);
  const [preview, setPreview] = useState<{ sides: Side[]; issues: BadgeTemplateIssue[]; key: string } | null>(null);
  const [previewError, setPreviewError] = useState<CallError | null>(null);
  const [saveIssues, setSaveIssues] = useState<BadgeTemplateIssue[] | null>(null);
  const [saveError, setSaveError] = useState<CallError | null>(null);
  const [conflict, setConflict] = useState(false);
  const [savedNow, setSavedNow] = useState(false);
  const [saving, setSaving] = useState(false);
  const [imageMessage, setImageMessage] = useState<string | null>(null);
  const [testPrint, setTestPrint] = useState<{ sides: Side[]; print: PrintOutcome } | null>(null);
  const [testError, setTestError] = useState<CallError | null>(null);
  const [printing, setPrinting] = useState(false);

  const template = draft.template;
  const stock = stockSizeMm(template.stock);
  const elements = template.elements[side] ?? [];
  const previewKey = canonical({ template, sample, locale, asPrinted });
  const dirty = savedDraft !== canonical(draft);

  // The preview: asked for shortly after the last change; an answer to an older layout is dropped.
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void call('admin.badges.preview', { eventId: props.eventId, template, sample, asPrinted, locale }).then((r) => {
        if (!live) return;
        if (!r.ok) {
          setPreviewError(r.error);
          setPreview((p) => (p ? { ...p, key: previewKey } : { sides: [], issues: [], key: previewKey }));
          return;
        }
        setPreviewError(null);
        setPreview((p) => ({ sides: r.value.sides.length > 0 ? r.value.sides : (p?.sides ?? []), issues: r.value.issues, key: previewKey }));
      });
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // previewKey carries template, sample, locale and asPrinted.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [call, props.eventId, previewKey]);

  const setTemplate = useCallback((f: (t: BadgeTemplate) => BadgeTemplate) => {
    setSavedNow(false);
    setDraft((d) => ({ ...d, template: f(d.template) }));
  }, []);
  const patchElement = useCallback(
    (index: number, patch: Record<string, unknown>) =>
      setTemplate((tp) => ({ ...tp, elements: tp.elements.map((els, s) => (s === side ? els.map((e, i) => (i === index ? ({ ...e, ...patch } as BadgeElement) : e)) : els)) })),
    [setTemplate, side],
  );
  const setElements = (f: (els: BadgeElement[]) => BadgeElement[]) =>
    setTemplate((tp) => ({ ...tp, elements: tp.elements.map((els, s) => (s === side ? f(els) : els)) }));

  const issues = saveIssues ?? preview?.issues ?? [];
  const faulty = new Set(issues.filter((i) => i.side === side && i.index !== undefined).map((i) => i.index!));

  // ---- dragging and resizing (pointer), moving and resizing (keys) ----
  const surface = useRef<HTMLDivElement | null>(null);
  const drag = useRef<{ index: number; corner: Corner | null; startX: number; startY: number; box: { x: number; y: number; width: number; height: number }; perPx: number } | null>(null);
  const startDrag = (e: ReactPointerEvent<HTMLElement>, index: number, corner: Corner | null) => {
    const el = elements[index];
    const rect = surface.current?.getBoundingClientRect();
    if (!el || !rect || rect.width === 0) return;
    e.preventDefault();
    e.stopPropagation();
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    setSelected(index);
    drag.current = { index, corner, startX: e.clientX, startY: e.clientY, box: { x: el.x, y: el.y, width: el.width, height: el.height }, perPx: stock.width / rect.width };
  };
  const moveDrag = (e: ReactPointerEvent<HTMLElement>) => {
    const d = drag.current;
    if (!d) return;
    const dx = (e.clientX - d.startX) * d.perPx;
    const dy = (e.clientY - d.startY) * d.perPx;
    const b = d.box;
    if (!d.corner) return patchElement(d.index, { x: clampMm(b.x + dx), y: clampMm(b.y + dy) });
    const west = d.corner === 'nw' || d.corner === 'sw';
    const north = d.corner === 'nw' || d.corner === 'ne';
    const width = Math.max(1, west ? b.width - dx : b.width + dx);
    const height = Math.max(1, north ? b.height - dy : b.height + dy);
    patchElement(d.index, {
      x: west ? clampMm(b.x + b.width - width) : b.x,
      y: north ? clampMm(b.y + b.height - height) : b.y,
      width: round1(width),
      height: round1(height),
    });
  };
  const endDrag = () => {
    drag.current = null;
  };
  const keyOnElement = (e: KeyboardEvent<HTMLElement>, index: number) => {
    const el = elements[index];
    if (!el) return;
    const step = e.ctrlKey ? KEY_STEP_MM * 10 : KEY_STEP_MM;
    const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
    if (!d) return;
    e.preventDefault();
    if (e.shiftKey) patchElement(index, { width: round1(Math.max(1, el.width + d[0]!)), height: round1(Math.max(1, el.height + d[1]!)) });
    else patchElement(index, { x: clampMm(el.x + d[0]!), y: clampMm(el.y + d[1]!) });
  };

  const align = (how: 'left' | 'centre' | 'right' | 'top' | 'middle' | 'bottom') => {
    if (selected === null) return;
    const el = elements[selected];
    if (!el) return;
    const at: Record<typeof how, Record<string, number>> = {
      left: { x: 0 },
      centre: { x: clampMm((stock.width - el.width) / 2) },
      right: { x: clampMm(stock.width - el.width) },
      top: { y: 0 },
      middle: { y: clampMm((stock.height - el.height) / 2) },
      bottom: { y: clampMm(stock.height - el.height) },
    };
    patchElement(selected, at[how]);
  };

  const addElement = (type: ElementType, data = '') => {
    if (elements.length >= MAX_ELEMENTS_PER_SIDE) return;
    setElements((els) => [...els, newElement(type, stock, data)]);
    setSelected(elements.length);
  };
  const removeElement = (index: number) => {
    setElements((els) => els.filter((_, i) => i !== index));
    setSelected(null);
  };
  const reorder = (index: number, by: -1 | 1) => {
    const to = index + by;
    if (to < 0 || to >= elements.length) return;
    setElements((els) => {
      const copy = [...els];
      [copy[index], copy[to]] = [copy[to]!, copy[index]!];
      return copy;
    });
    setSelected(to);
  };

  const readImage = async (file: File | undefined, replace: number | null) => {
    setImageMessage(null);
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const problem = imageProblem(bytes);
    if (problem) {
      setImageMessage(problem.reason === 'image_too_large' ? t('adminBadges.image.tooLarge', { size: Math.ceil(bytes.length / 1024), max: MAX_IMAGE_BYTES / 1024 }) : t('adminBadges.image.badFormat'));
      return;
    }
    if (replace !== null) patchElement(replace, { data: toBase64(bytes) });
    else addElement('image', toBase64(bytes));
  };

  const setStock = (stockNext: BadgeStock) => setTemplate((tp) => ({ ...tp, stock: stockNext }));
  const setSides = (n: 1 | 2) => {
    setTemplate((tp) => ({ ...tp, sides: n, elements: n === 2 ? [tp.elements[0] ?? [], tp.elements[1] ?? []] : [tp.elements[0] ?? []] }));
    if (n === 1) setSide(0);
    setSelected(null);
  };

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    setConflict(false);
    setSavedNow(false);
    const r = await call('admin.badges.save', {
      eventId: props.eventId,
      ...(draft.id ? { id: draft.id } : {}),
      name: draft.name,
      ticketTypeIds: draft.ticketTypeIds,
      categories: draft.categories,
      isDefault: draft.isDefault,
      template: { ...template, name: draft.name },
      ...(draft.baseVersion !== undefined ? { baseVersion: draft.baseVersion } : {}),
    });
    setSaving(false);
    if (!r.ok) {
      setSaveIssues(null);
      if (r.error.code === 'server_rejected' && r.error.detail === 'conflict') return setConflict(true);
      return setSaveError(r.error);
    }
    if (!r.value.template) {
      setSaveIssues(r.value.issues);
      const first = r.value.issues.find((i) => i.index !== undefined);
      if (first) {
        setSide(first.side ?? 0);
        setSelected(first.index ?? null);
      }
      return;
    }
    setSaveIssues(null);
    const next = draftOf(r.value.template);
    setDraft(next);
    setSavedDraft(canonical(next));
    setSavedNow(true);
    props.onSaved(r.value.template);
  };

  const printTest = async () => {
    if (!draft.id) return;
    setPrinting(true);
    setTestError(null);
    setTestPrint(null);
    const r = await call('admin.badges.testPrint', { eventId: props.eventId, templateId: draft.id, sample, locale });
    setPrinting(false);
    if (!r.ok) return setTestError(r.error);
    setTestPrint(r.value);
  };

  // Issues change with every edit: a save's issues stand only until the layout changes.
  const savedIssuesFor = useRef<string | null>(null);
  useEffect(() => {
    if (saveIssues && savedIssuesFor.current === null) savedIssuesFor.current = canonical(template);
    if (saveIssues && savedIssuesFor.current !== canonical(template)) {
      setSaveIssues(null);
      savedIssuesFor.current = null;
    }
    if (!saveIssues) savedIssuesFor.current = null;
  }, [saveIssues, template]);

  const sampleLabel = (s: BadgeSampleRow) => (s.key === 'longest' ? t('adminBadges.sample.longest', { name: s.name }) : s.key === 'chinese' || s.key === 'russian' ? s.name : t('adminBadges.sample.attendee', { name: s.name }));
  const image = preview?.sides[side] ?? null;
  const ready = preview?.key === previewKey;
  const el = selected !== null ? elements[selected] : undefined;
  const typeNames = useMemo(() => props.page.ticketTypes.map((tt) => ({ id: tt.id, name: pickLocalized(tt.name, i18n.language) })), [props.page.ticketTypes, i18n.language]);
  const bandKeys = useMemo(() => [...new Set([...props.listing.categories, ...props.page.ticketTypes.map((tt) => pickLocalized(tt.name, 'en'))])], [props.listing.categories, props.page.ticketTypes]);

  return (
    <section className="card admin-badges__designer" data-testid="badge-designer" aria-label={t('adminBadges.designer')}>
      <div className="admin-section__head">
        <h3 className="section-title">{t('adminBadges.designer')}</h3>
        <label>
          {t('adminBadges.name')}
          <input data-testid="badge-name" value={draft.name} maxLength={200} onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))} />
        </label>
      </div>

      <fieldset className="admin-badges__row">
        <legend>{t('adminBadges.stock.title')}</legend>
        <label>
          {t('adminBadges.stock.kind')}
          <select
            data-testid="badge-stock"
            value={template.stock.kind === 'cr80' ? `cr80-${template.stock.orientation}` : template.stock.kind}
            onChange={(e) => {
              const v = e.target.value;
              if (v === 'cr80-landscape' || v === 'cr80-portrait') setStock({ kind: 'cr80', orientation: v === 'cr80-portrait' ? 'portrait' : 'landscape' });
              else if (v === 'label') setStock({ kind: 'label', widthMm: 100, heightMm: 60 });
              else if (v === 'a6') setStock({ kind: 'a6' });
              else setStock({ kind: 'a4-nup', columns: 2, rows: 4 });
            }}
          >
            <option value="cr80-landscape">{t('adminBadges.stock.cr80Landscape')}</option>
            <option value="cr80-portrait">{t('adminBadges.stock.cr80Portrait')}</option>
            <option value="label">{t('adminBadges.stock.label')}</option>
            <option value="a6">{t('adminBadges.stock.a6')}</option>
            <option value="a4-nup">{t('adminBadges.stock.a4')}</option>
          </select>
        </label>
        {template.stock.kind === 'label' && (
          <>
            <NumberField label={t('adminBadges.stock.widthMm')} testId="badge-stock-width" value={template.stock.widthMm} min={10} max={300} onChange={(n) => template.stock.kind === 'label' && setStock({ ...template.stock, widthMm: n })} />
            <NumberField label={t('adminBadges.stock.heightMm')} testId="badge-stock-height" value={template.stock.heightMm} min={10} max={600} onChange={(n) => template.stock.kind === 'label' && setStock({ ...template.stock, heightMm: n })} />
          </>
        )}
        {template.stock.kind === 'a4-nup' && (
          <>
            <NumberField label={t('adminBadges.stock.columns')} testId="badge-stock-columns" value={template.stock.columns} min={1} max={4} step={1} onChange={(n) => template.stock.kind === 'a4-nup' && setStock({ ...template.stock, columns: Math.round(n) })} />
            <NumberField label={t('adminBadges.stock.rows')} testId="badge-stock-rows" value={template.stock.rows} min={1} max={8} step={1} onChange={(n) => template.stock.kind === 'a4-nup' && setStock({ ...template.stock, rows: Math.round(n) })} />
          </>
        )}
        <span className="admin-badges__hint" data-testid="badge-stock-size">
          {t('adminBadges.stock.size', { width: round1(stock.width), height: round1(stock.height) })}
        </span>
        <label>
          {t('adminBadges.sides.title')}
          <select data-testid="badge-sides" value={template.sides} onChange={(e) => setSides(e.target.value === '2' ? 2 : 1)}>
            <option value="1">{t('adminBadges.sides.one')}</option>
            <option value="2">{t('adminBadges.sides.two')}</option>
          </select>
        </label>
        {template.sides === 2 && (
          <div role="group" aria-label={t('adminBadges.sides.title')} className="admin-section__actions">
            {[0, 1].map((s) => (
              <button key={s} type="button" className={`button${side === s ? ' button--primary' : ''}`} aria-pressed={side === s} data-testid="badge-side" data-side={s} onClick={() => { setSide(s); setSelected(null); }}>
                {s === 0 ? t('adminBadges.sides.front') : t('adminBadges.sides.back')}
              </button>
            ))}
          </div>
        )}
      </fieldset>

      <fieldset className="admin-badges__row">
        <legend>{t('adminBadges.preview.title')}</legend>
        <label>
          {t('adminBadges.sample.title')}
          <select data-testid="badge-sample" value={sample} onChange={(e) => setSample(e.target.value)}>
            {props.listing.samples.map((s) => (
              <option key={s.key} value={s.key}>
                {sampleLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('adminBadges.preview.language')}
          <select data-testid="badge-locale" value={locale} onChange={(e) => setLocale(e.target.value as BadgeLocale)}>
            {BADGE_LOCALES.map((l) => (
              <option key={l} value={l}>
                {t(`adminBadges.locales.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="admin-form__choice">
          <input type="checkbox" data-testid="badge-as-printed" checked={asPrinted} onChange={(e) => setAsPrinted(e.target.checked)} />
          {t('adminBadges.preview.asPrinted')}
        </label>
      </fieldset>

      <div className="admin-badges__work">
        <div className="admin-badges__stage">
          <div className="admin-section__actions" role="toolbar" aria-label={t('adminBadges.align.title')}>
            {(['left', 'centre', 'right', 'top', 'middle', 'bottom'] as const).map((a) => (
              <button key={a} type="button" className="button" data-testid="badge-align" data-align={a} disabled={selected === null} onClick={() => align(a)}>
                {t(`adminBadges.align.${a}`)}
              </button>
            ))}
          </div>
          <div
            ref={surface}
            className="admin-badges__surface"
            style={{ aspectRatio: `${stock.width} / ${stock.height}` }}
            data-testid="badge-surface"
            data-state={ready ? 'ready' : 'pending'}
            data-width-mm={stock.width}
            data-height-mm={stock.height}
            onPointerDown={() => setSelected(null)}
          >
            {image && <img className="admin-badges__image" src={`data:image/png;base64,${image.png}`} alt={t('adminBadges.preview.alt')} data-testid="badge-preview-image" data-width={image.width} data-height={image.height} draggable={false} />}
            {elements.map((e, i) => (
              <div
                key={i}
                role="button"
                tabIndex={0}
                className={`admin-badges__box${selected === i ? ' admin-badges__box--selected' : ''}${faulty.has(i) ? ' admin-badges__box--issue' : ''}`}
                style={{ left: `${(e.x / stock.width) * 100}%`, top: `${(e.y / stock.height) * 100}%`, width: `${(e.width / stock.width) * 100}%`, height: `${(e.height / stock.height) * 100}%` }}
                aria-label={t('adminBadges.box', { type: t(`adminBadges.types.${e.type}`), x: e.x, y: e.y, width: e.width, height: e.height })}
                aria-pressed={selected === i}
                data-testid="badge-element"
                data-index={i}
                data-type={e.type}
                data-issue={faulty.has(i) ? 'true' : undefined}
                onPointerDown={(ev) => startDrag(ev, i, null)}
                onPointerMove={moveDrag}
                onPointerUp={endDrag}
                onPointerCancel={endDrag}
                onFocus={() => setSelected(i)}
                onKeyDown={(ev) => keyOnElement(ev, i)}
              >
                {selected === i && (
                  <>
                    <span className="admin-badges__measure" data-testid="badge-measure">
                      {t('adminBadges.measure', { x: e.x, y: e.y, width: e.width, height: e.height })}
                    </span>
                    {(['nw', 'ne', 'sw', 'se'] as const).map((c) => (
                      <span
                        key={c}
                        className={`admin-badges__handle admin-badges__handle--${c}`}
                        data-testid="badge-handle"
                        data-corner={c}
                        aria-hidden="true"
                        onPointerDown={(ev) => startDrag(ev, i, c)}
                        onPointerMove={moveDrag}
                        onPointerUp={endDrag}
                        onPointerCancel={endDrag}
                      />
                    ))}
                  </>
                )}
              </div>
            ))}
          </div>
          <p className="admin-badges__hint">{t('adminBadges.keys')}</p>
          <ErrorMessage error={previewError} testId="badge-preview-error" />
          {issues.length > 0 && (
            <ul className="message message--error admin-badges__issues" role="alert" data-testid="badge-issues">
              {issues.map((issue, n) => (
                <li key={n} data-testid="badge-issue" data-reason={issue.reason} data-side={issue.side} data-index={issue.index}>
                  {issue.index !== undefined ? (
                    <button
                      type="button"
                      className="admin-badges__issue-link"
                      onClick={() => {
                        setSide(issue.side ?? 0);
                        setSelected(issue.index ?? null);
                      }}
                    >
                      {t('adminBadges.issueAt', { side: (issue.side ?? 0) + 1, element: (issue.index ?? 0) + 1, reason: t(`adminBadges.reasons.${issue.reason}`) })}
                    </button>
                  ) : (
                    t(`adminBadges.reasons.${issue.reason}`)
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>

        <div className="admin-badges__panel">
          <div className="admin-section__actions" role="toolbar" aria-label={t('adminBadges.add')}>
            {(['text', 'band', 'code', 'photo'] as const).map((type) => (
              <button key={type} type="button" className="button" data-testid="badge-add" data-type={type} disabled={elements.length >= MAX_ELEMENTS_PER_SIDE} onClick={() => addElement(type)}>
                {t('adminBadges.addType', { type: t(`adminBadges.types.${type}`) })}
              </button>
            ))}
            <label className="button admin-badges__upload">
              {t('adminBadges.addType', { type: t('adminBadges.types.image') })}
              <input type="file" accept="image/png,image/jpeg" data-testid="badge-image-upload" onChange={(e) => void readImage(e.target.files?.[0], null).then(() => (e.target.value = ''))} />
            </label>
          </div>
          {imageMessage && (
            <p className="message message--error" role="alert" data-testid="badge-image-problem">
              {imageMessage}
            </p>
          )}
          <ol className="admin-badges__list" data-testid="badge-element-list">
            {elements.map((e, i) => (
              <li key={i} className={selected === i ? 'admin-badges__list-item--selected' : undefined}>
                <button type="button" className="admin-badges__issue-link" aria-pressed={selected === i} data-testid="badge-element-pick" data-index={i} onClick={() => setSelected(i)}>
                  {i + 1}. {t(`adminBadges.types.${e.type}`)}
                  {e.type === 'text' ? ` — ${e.source.kind === 'field' ? t(`adminBadges.fields.${e.source.field}`) : e.source.text.en}` : ''}
                </button>
                <span className="admin-section__actions">
                  <button type="button" className="button" aria-label={t('adminBadges.up')} disabled={i === 0} onClick={() => reorder(i, -1)}>
                    ↑
                  </button>
                  <button type="button" className="button" aria-label={t('adminBadges.down')} disabled={i === elements.length - 1} onClick={() => reorder(i, 1)}>
                    ↓
                  </button>
                  <button type="button" className="button admin-button--danger" data-testid="badge-element-remove" aria-label={t('adminBadges.remove')} onClick={() => removeElement(i)}>
                    ×
                  </button>
                </span>
              </li>
            ))}
          </ol>
          {el && selected !== null && (
            <Properties
              key={`${side}-${selected}`}
              element={el}
              stock={stock}
              bandKeys={bandKeys}
              onPatch={(p) => patchElement(selected, p)}
              onImage={(file) => void readImage(file, selected)}
            />
          )}
        </div>
      </div>

      <fieldset className="admin-badges__row" data-testid="badge-for">
        <legend>{t('adminBadges.forTitle')}</legend>
        <label className="admin-form__choice">
          <input type="checkbox" data-testid="badge-default" checked={draft.isDefault} onChange={(e) => setDraft((d) => ({ ...d, isDefault: e.target.checked }))} />
          {t('adminBadges.defaultFlag')}
        </label>
        {props.listing.categories.length > 0 && (
          <div className="admin-form__choices" role="group" aria-label={t('adminBadges.categories')}>
            <span>{t('adminBadges.categories')}</span>
            {props.listing.categories.map((c) => (
              <label key={c} className="admin-form__choice">
                <input
                  type="checkbox"
                  data-testid="badge-category"
                  value={c}
                  checked={draft.categories.includes(c)}
                  onChange={(e) => setDraft((d) => ({ ...d, categories: e.target.checked ? [...d.categories, c] : d.categories.filter((x) => x !== c) }))}
                />
                {c}
              </label>
            ))}
          </div>
        )}
        <div className="admin-form__choices" role="group" aria-label={t('adminBadges.ticketTypes')}>
          <span>{t('adminBadges.ticketTypes')}</span>
          {typeNames.map((tt) => (
            <label key={tt.id} className="admin-form__choice">
              <input
                type="checkbox"
                data-testid="badge-ticket-type"
                value={tt.id}
                checked={draft.ticketTypeIds.includes(tt.id)}
                onChange={(e) => setDraft((d) => ({ ...d, ticketTypeIds: e.target.checked ? [...d.ticketTypeIds, tt.id] : d.ticketTypeIds.filter((x) => x !== tt.id) }))}
              />
              {tt.name}
            </label>
          ))}
        </div>
      </fieldset>

      <div className="admin-section__actions">
        <button type="button" className="button button--primary" data-testid="badge-save" disabled={saving || draft.name.trim() === ''} onClick={() => void save()}>
          {t('adminBadges.save')}
        </button>
        <button type="button" className="button" data-testid="badge-test-print" disabled={printing || !draft.id || dirty} onClick={() => void printTest()} title={dirty ? t('adminBadges.testPrint.saveFirst') : undefined}>
          {t('adminBadges.testPrint.button')}
        </button>
        {dirty && draft.id && <span className="admin-badges__hint">{t('adminBadges.testPrint.saveFirst')}</span>}
      </div>
      <ErrorMessage error={saveError} testId="badge-save-error" />
      {conflict && (
        <p className="message message--error" role="alert" data-testid="badge-conflict">
          {t('adminBadges.conflict')}
        </p>
      )}
      {saveIssues && (
        <p className="message message--error" role="alert" data-testid="badge-not-saved">
          {t('adminBadges.notSaved')}
        </p>
      )}
      {savedNow && (
        <p className="message message--ok" role="status" data-testid="badge-saved">
          {t('adminBadges.saved', { version: draft.baseVersion ?? 1 })}
        </p>
      )}
      <ErrorMessage error={testError} testId="badge-test-print-error" />
      {testPrint && (
        <div className="admin-badges__test" data-testid="badge-test-print-result" data-state={testPrint.print.state}>
          <p className={`message ${testPrint.print.state === 'printed' ? 'message--ok' : 'message--warning'}`} role="status">
            {testPrint.print.state === 'printed' ? t('adminBadges.testPrint.printed') : t('adminBadges.testPrint.notPrinted', { reason: t(`printReasons.${testPrint.print.reason}`) })}
          </p>
          {testPrint.sides.map((s, i) => (
            <img key={i} className="admin-badges__sent" src={`data:image/png;base64,${s.png}`} alt={t('adminBadges.testPrint.alt')} data-testid="badge-test-print-image" data-width={s.width} data-height={s.height} />
          ))}
        </div>
      )}
    </section>
  );
}

function NumberField(props: { label: string; testId: string; value: number; min: number; max: number; step?: number; onChange: (n: number) => void }) {
  // What is typed stands while the value is the one it gave (or it does not parse); a value changed
  // elsewhere (a drag) shows as it is.
  const [edit, setEdit] = useState<{ text: string; of: number } | null>(null);
  const text = edit && edit.of === props.value ? edit.text : String(props.value);
  return (
    <label>
      {props.label}
      <input
        type="number"
        data-testid={props.testId}
        value={text}
        min={props.min}
        max={props.max}
        step={props.step ?? 0.1}
        onChange={(e) => {
          const n = Number(e.target.value);
          const valid = e.target.value.trim() !== '' && Number.isFinite(n) && n >= props.min && n <= props.max;
          setEdit({ text: e.target.value, of: valid ? n : props.value });
          if (valid) props.onChange(n);
        }}
      />
    </label>
  );
}

function Properties(props: { element: BadgeElement; stock: { width: number; height: number }; bandKeys: string[]; onPatch: (p: Record<string, unknown>) => void; onImage: (file: File | undefined) => void }) {
  const { t } = useTranslation();
  const e = props.element;
  const p = props.onPatch;
  return (
    <div className="admin-form admin-badges__props" data-testid="badge-properties" data-type={e.type}>
      <NumberField label={t('adminBadges.props.x')} testId="badge-prop-x" value={e.x} min={0} max={999} onChange={(n) => p({ x: round1(n) })} />
      <NumberField label={t('adminBadges.props.y')} testId="badge-prop-y" value={e.y} min={0} max={999} onChange={(n) => p({ y: round1(n) })} />
      <NumberField label={t('adminBadges.props.width')} testId="badge-prop-width" value={e.width} min={0.5} max={999} onChange={(n) => p({ width: round1(n) })} />
      <NumberField label={t('adminBadges.props.height')} testId="badge-prop-height" value={e.height} min={0.5} max={999} onChange={(n) => p({ height: round1(n) })} />
      {e.type === 'text' && (
        <>
          <label>
            {t('adminBadges.props.source')}
            <select
              data-testid="badge-prop-source"
              value={e.source.kind === 'field' ? e.source.field : 'free'}
              onChange={(ev) => p({ source: ev.target.value === 'free' ? { kind: 'free', text: { en: '' } } : { kind: 'field', field: ev.target.value } })}
            >
              {BADGE_TEXT_FIELDS.map((f) => (
                <option key={f} value={f}>
                  {t(`adminBadges.fields.${f}`)}
                </option>
              ))}
              <option value="free">{t('adminBadges.props.free')}</option>
            </select>
          </label>
          {e.source.kind === 'free' &&
            BADGE_LOCALES.map((l) => (
              <label key={l}>
                {t('adminBadges.props.freeIn', { language: t(`adminBadges.locales.${l}`) })}
                <input
                  data-testid="badge-prop-free"
                  data-locale={l}
                  maxLength={500}
                  value={(e.source.kind === 'free' ? e.source.text[l] : '') ?? ''}
                  onChange={(ev) => e.source.kind === 'free' && p({ source: { kind: 'free', text: { ...e.source.text, [l]: ev.target.value } } })}
                />
              </label>
            ))}
        </>
      )}
      {(e.type === 'text' || e.type === 'band') && (
        <>
          {e.type === 'band' && (
            <label>
              {t('adminBadges.props.label')}
              <select data-testid="badge-prop-label" value={e.label} onChange={(ev) => p({ label: ev.target.value })}>
                <option value="category">{t('adminBadges.fields.category')}</option>
                <option value="ticketType">{t('adminBadges.fields.ticketType')}</option>
                <option value="none">{t('adminBadges.props.noLabel')}</option>
              </select>
            </label>
          )}
          <label>
            {t('adminBadges.props.font')}
            <select data-testid="badge-prop-font" value={e.font} onChange={(ev) => p({ font: ev.target.value })}>
              {BADGE_FONT_FAMILIES.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('adminBadges.props.weight')}
            <select data-testid="badge-prop-weight" value={e.weight} onChange={(ev) => p({ weight: ev.target.value })}>
              <option value="regular">{t('adminBadges.props.regular')}</option>
              <option value="bold">{t('adminBadges.props.bold')}</option>
            </select>
          </label>
          <NumberField label={t('adminBadges.props.maxSize')} testId="badge-prop-max" value={e.maxSizePt} min={2} max={400} step={0.5} onChange={(n) => p({ maxSizePt: n })} />
          <NumberField label={t('adminBadges.props.minSize')} testId="badge-prop-min" value={e.minSizePt} min={2} max={400} step={0.5} onChange={(n) => p({ minSizePt: n })} />
          <NumberField label={t('adminBadges.props.maxLines')} testId="badge-prop-lines" value={e.maxLines} min={1} max={10} step={1} onChange={(n) => p({ maxLines: Math.round(n) })} />
          <label>
            {t('adminBadges.props.align')}
            <select data-testid="badge-prop-align" value={e.align} onChange={(ev) => p({ align: ev.target.value })}>
              <option value="left">{t('adminBadges.align.left')}</option>
              <option value="center">{t('adminBadges.align.centre')}</option>
              <option value="right">{t('adminBadges.align.right')}</option>
            </select>
          </label>
          <label className="admin-form__choice">
            <input type="checkbox" data-testid="badge-prop-uppercase" checked={e.uppercase} onChange={(ev) => p({ uppercase: ev.target.checked })} />
            {t('adminBadges.props.uppercase')}
          </label>
          <label>
            {e.type === 'band' ? t('adminBadges.props.bandColour') : t('adminBadges.props.colour')}
            <input type="color" data-testid="badge-prop-colour" value={e.colour} onChange={(ev) => p({ colour: ev.target.value })} />
          </label>
          {e.type === 'band' && (
            <>
              <label>
                {t('adminBadges.props.textColour')}
                <input type="color" data-testid="badge-prop-text-colour" value={e.colourOfText} onChange={(ev) => p({ colourOfText: ev.target.value })} />
              </label>
              <div className="admin-form__choices" role="group" aria-label={t('adminBadges.props.colours')}>
                <span>{t('adminBadges.props.colours')}</span>
                {props.bandKeys.map((k) => (
                  <span key={k} className="admin-form__choice">
                    <input
                      type="checkbox"
                      aria-label={t('adminBadges.props.ownColour', { name: k })}
                      data-testid="badge-prop-band-own"
                      checked={e.colours[k] !== undefined}
                      onChange={(ev) => {
                        const next = { ...e.colours };
                        if (ev.target.checked) next[k] = e.colour;
                        else delete next[k];
                        p({ colours: next });
                      }}
                    />
                    {k}
                    {e.colours[k] !== undefined && (
                      <input type="color" aria-label={t('adminBadges.props.ownColour', { name: k })} value={e.colours[k]} onChange={(ev) => p({ colours: { ...e.colours, [k]: ev.target.value } })} />
                    )}
                  </span>
                ))}
              </div>
            </>
          )}
        </>
      )}
      {e.type === 'code' && (
        <>
          <label>
            {t('adminBadges.props.symbology')}
            <select data-testid="badge-prop-symbology" value={e.symbology} onChange={(ev) => p({ symbology: ev.target.value })}>
              <option value="qr">{t('adminBadges.props.qr')}</option>
              <option value="code128">{t('adminBadges.props.code128')}</option>
            </select>
          </label>
          <label>
            {t('adminBadges.props.codeSource')}
            <select data-testid="badge-prop-code-source" value={e.source} onChange={(ev) => p({ source: ev.target.value })}>
              <option value="ticketCode">{t('adminBadges.props.ticketCode')}</option>
              <option value="badgeId">{t('adminBadges.props.badgeId')}</option>
            </select>
          </label>
          <label className="admin-form__choice">
            <input type="checkbox" data-testid="badge-prop-caption" checked={e.caption} onChange={(ev) => p({ caption: ev.target.checked })} />
            {t('adminBadges.props.caption')}
          </label>
        </>
      )}
      {e.type === 'photo' && (
        <label>
          {t('adminBadges.props.fit')}
          <select data-testid="badge-prop-fit" value={e.fit} onChange={(ev) => p({ fit: ev.target.value })}>
            <option value="cover">{t('adminBadges.props.cover')}</option>
            <option value="contain">{t('adminBadges.props.contain')}</option>
          </select>
        </label>
      )}
      {e.type === 'image' && (
        <label className="button admin-badges__upload">
          {t('adminBadges.props.replaceImage')}
          <input type="file" accept="image/png,image/jpeg" data-testid="badge-image-replace" onChange={(ev) => props.onImage(ev.target.files?.[0])} />
        </label>
      )}
    </div>
  );
}
