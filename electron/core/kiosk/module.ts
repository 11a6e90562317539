// Owns the self-service kiosk feature: the kiosk slice of the contract over the replicated cache and the
// kiosk's tables (store.ts). An attendee identifies themself (a code from the camera or the scanner, an
// ID card, or the last four phone digits with the first letters of a name) and the kiosk opens a *visit*:
// in memory only, one per session, ended by kiosk.reset, by a newer identification, or on its own once
// the event's idle time and twice its countdown pass without a call naming it (on the core's own clock,
// not the server's). The screen sees masked candidates, each a handle inside the visit, never a ticket
// id. Confirming one checks them in at the terminal's point through the gate's admission path and prints
// their badge through the badge desk's print path (a retry prints nothing twice, a second badge is the
// desk's). Refusals, printers that stop, a scanner gone, a camera that fails and calls for help become
// alerts for staff: stored here, pushed and replicated to every terminal of the event. Staff leave the
// kiosk or open its maintenance screen with a manager's PIN (under the sign-in lockout). A kiosk's
// operator session is never signed out for idleness (sessions/sessions.ts): an unattended kiosk stays
// signed in, and its visits, not its session, end at the idle reset.
import { AttendeeInfoItem, KioskAlertRow, KioskAttendeeInfo, maskName, type KioskAlertKind, type KioskLanguage } from '../../../domain/kiosk-wire';
import { decide } from '../../../domain/rules';
import { zonedDay } from '../../../domain/zoned-time';
import {
  AdmitError,
  PrintReason,
  type DeviceStatus,
  type KioskAlertView,
  type KioskCall,
  type KioskCandidate,
  type KioskCheckIn,
  type KioskFindBy,
  type KioskFound,
  type KioskInfo,
  type KioskRefusal,
  type KioskState,
  type PrintOutcome,
  type Session,
} from '../../contract';
import type { CoreModule, Logger } from '../dispatcher';
import { printReason } from '../devices/module';
import type { KioskPrintAnswer, KioskPrintRequest } from '../badge-desk/module';
import type { CheckinReader } from '../gate/checkins';
import type { Gate } from '../gate/gate';
import { resolveCode, resolveTicket, type Resolved } from '../gate/validation';
import type { CacheReader, TicketRecord } from '../sync/cache';
import { ServerError, type SyncClient } from '../sync/client';
import { normalizeName } from '../sync/names';
import type { KioskStore, StoredAlert } from './store';

/** Most candidates a kiosk lists for phone digits and a name. */
export const KIOSK_MAX_CANDIDATES = 5;
/** Finds by phone digits a kiosk answers per minute. */
export const KIOSK_FIND_RATE = 10;
const MINUTE_MS = 60_000;
/** Agenda entries the "what's next" screen shows. */
const NEXT_MAX = 5;

export type KioskDeps = {
  cache: CacheReader;
  store: KioskStore;
  checkins: CheckinReader;
  gate: Pick<Gate, 'admitTicket' | 'currentPoint' | 'ticketsByIdNumber'>;
  sync: Pick<SyncClient, 'isOnline' | 'send' | 'deviceId' | 'clock' | 'newId' | 'push'>;
  /** The sessions module's approval: a manager's PIN under the sign-in lockout. */
  approvals: { approve(managerId: string, pin: string): Promise<Session> };
  /** The badge desk's print path for one kiosk badge. */
  printBadge(p: KioskPrintRequest): Promise<KioskPrintAnswer>;
  /** Whether a badge was printed for the ticket before (any terminal's print this one knows of). */
  badgePrinted(ticketId: string): boolean;
  /** The badge printer (badge-desk's port): whether there is one and is ready. */
  printer(): { id: string; name: string; ready: boolean; reason: string | null } | null;
  /** The terminal's devices as the supervisor reports them. */
  devices(): DeviceStatus[];
  terminalName(deviceId: string | null): string | null;
  operatorName(operatorId: string): string | null;
  publish: {
    found(f: KioskFound): void;
    alertsChanged(e: { open: number; latest: { kind: KioskAlertKind; code: string } | null }): void;
  };
  /** The kiosk's own clock for visits and the find rate (ms); tests pass a fake one. */
  now?: () => number;
  log?: Logger;
};

type Visit = {
  id: string;
  sessionId: string;
  /** candidateId → ticket id. */
  candidates: Map<string, string>;
  /** The ticket confirmed in this visit (information is shown for it only). */
  confirmed: string | null;
  lastUsedAt: number;
  /** Answers of kiosk.confirm by request id. */
  answers: Map<string, KioskCheckIn>;
};

type Refusable = KioskRefusal['reason'];
type Identified = { ok: true; tickets: TicketRecord[] } | { ok: false; reason: Refusable; ticketId: string | null };

/** The server's refusals as the kiosk's error codes. */
function refusal(e: unknown): AdmitError {
  if (e instanceof AdmitError) return e;
  if (e instanceof ServerError) {
    if (e.code === 'not_found' || e.code === 'forbidden' || e.code === 'invalid_input') return new AdmitError(e.code, e.message);
    if (e.code === 'forbidden_event') return new AdmitError('forbidden', e.message);
    return new AdmitError('server_rejected', e.code);
  }
  return new AdmitError('offline', 'server unreachable');
}

const printReasonOf = (r: string | null): PrintReason | null => {
  const p = PrintReason.safeParse(r);
  return p.success ? p.data : null;
};

export type KioskModule = CoreModule<KioskCall> & {
  /** A scanner's read while the kiosk screen is open: a new visit, published as kiosk.found. */
  scanned(code: string): void;
  /** An ID card's read while the kiosk screen is open (the number goes to the hashed lookup only). */
  idCardRead(idNumber: string): Promise<void>;
  /** A device's status changed: a scanner or ID reader gone while the kiosk is open raises an alert. */
  deviceStatus(s: DeviceStatus): void;
  /** Alerts arrived by sync: managers' lists refresh. */
  alertsReplicated(): void;
  /** Whether the kiosk screen is open on a signed-in session (reads go to the kiosk). */
  readonly active: boolean;
};

export function kioskModule(deps: KioskDeps, mode: { active(): string | null; open(sessionId: string): void }): KioskModule {
  const { cache, store } = deps;
  const clock = deps.now ?? Date.now;
  const visits = new Map<string, Visit>();
  const languages = new Map<string, KioskLanguage>();
  const findTimes: number[] = [];
  /** Scanners and ID readers that went offline while the kiosk was open (one alert per outage). */
  const outages = new Set<string>();

  const point = () => deps.gate.currentPoint();
  const eventId = (): string | null => point().row?.eventId ?? cache.catalog().event?.id ?? cache.anyEventId();
  const settings = () => store.settings(eventId());
  const timezone = (ev: string | null) => (ev ? cache.event(ev)?.timezone : undefined) ?? 'UTC';
  const visitLifeMs = () => {
    const s = settings();
    return (s.idleResetS + s.countdownS * 2) * 1000;
  };

  const alertsChanged = () => deps.publish.alertsChanged(store.summary());

  /** Raises an alert (stored, pushed); `once`: not again while one of this kind and code is open here. */
  const raise = (kind: KioskAlertKind, code: string, ticketId: string | null, once: boolean): string => {
    if (once) {
      const open = store.openOwnOf(kind, code);
      if (open) return open;
    }
    const id = deps.sync.newId();
    store.raise({ id, deviceId: deps.sync.deviceId, eventId: eventId(), kind, code, ticketId, raisedAt: deps.sync.clock.now().toISOString() });
    if (deps.sync.isOnline) deps.sync.push().catch(() => undefined);
    alertsChanged();
    return id;
  };

  const visitOf = (sessionId: string, visitId: string): Visit => {
    const v = visits.get(sessionId);
    if (!v || v.id !== visitId) throw new AdmitError('visit_expired');
    const now = clock();
    if (now - v.lastUsedAt >= visitLifeMs()) {
      visits.delete(sessionId);
      throw new AdmitError('visit_expired');
    }
    v.lastUsedAt = now;
    return v;
  };

  const candidateOf = (t: TicketRecord): { candidate: Omit<KioskCandidate, 'candidateId'>; ticketId: string } => {
    const last4 = cache.phoneLast4(t.id);
    return {
      ticketId: t.id,
      candidate: {
        nameMasked: maskName(t.attendeeName),
        ticketTypeName: t.ticketTypeName ?? {},
        phoneMasked: last4 ? `••• •• ${last4}` : null,
        orderHint: t.orderCode ? t.orderCode.slice(-4) : null,
      },
    };
  };

  /** The gate's checks at this terminal's point, without admitting: a ticket checked in before passes
   *  (its badge still prints); one with a badge printed before is the desk's. */
  const eligibility = (resolved: Resolved): { ok: true; ticket: TicketRecord } | { ok: false; reason: Refusable; ticketId: string | null } => {
    const ticketId = resolved.ok ? resolved.ticketId : (resolved.ticket?.id ?? null);
    if (!resolved.ok) return { ok: false, reason: resolved.reason, ticketId };
    const ticket = resolved.ticket ?? cache.ticketById(resolved.ticketId);
    // A signed code sold after the last sync: the kiosk cannot show or admit whom it does not hold.
    if (!ticket) return { ok: false, reason: 'unknown', ticketId };
    if (cache.revokedAt(ticket.id)) return { ok: false, reason: 'revoked', ticketId };
    const { rules } = point();
    const facts = rules.entitlement ? { ...resolved.facts, entitlements: cache.entitlements(ticket.id) } : resolved.facts;
    const d = decide(facts, rules, deps.checkins.history(ticket.id), deps.sync.clock.now());
    if (!d.admitted && d.reason !== 'already_used') return { ok: false, reason: d.reason, ticketId };
    if (settings().printBadge && deps.badgePrinted(ticket.id)) return { ok: false, reason: 'badge_printed', ticketId };
    return { ok: true, ticket };
  };

  /** Opens the session's visit for what was found (the previous visit ends either way). */
  const open = (sessionId: string, by: KioskFindBy, found: Identified): KioskFound => {
    visits.delete(sessionId);
    if (!found.ok) {
      // A ticket refused for what it is (not a "nobody found") sends its holder to the help desk: staff hear.
      if (found.ticketId !== null && found.reason !== 'not_found' && found.reason !== 'too_many') raise('refused', found.reason, found.ticketId, false);
      return { ok: false, by, refusal: { reason: found.reason } };
    }
    const visit: Visit = { id: deps.sync.newId(), sessionId, candidates: new Map(), confirmed: null, lastUsedAt: clock(), answers: new Map() };
    const candidates = found.tickets.map((t) => {
      const c = candidateOf(t);
      const candidateId = deps.sync.newId();
      visit.candidates.set(candidateId, c.ticketId);
      return { candidateId, ...c.candidate };
    });
    visits.set(sessionId, visit);
    return { ok: true, by, visitId: visit.id, candidates };
  };

  const byCode = (code: string): Identified => {
    const resolved = resolveCode(cache, code.trim(), deps.sync.clock.now().getTime());
    const e = eligibility(resolved);
    return e.ok ? { ok: true, tickets: [e.ticket] } : e;
  };

  const byTickets = (tickets: TicketRecord[]): Identified => {
    if (tickets.length === 0) return { ok: false, reason: 'not_found', ticketId: null };
    if (tickets.length > KIOSK_MAX_CANDIDATES) return { ok: false, reason: 'too_many', ticketId: null };
    if (tickets.length === 1) {
      const e = eligibility(resolveTicket(tickets[0]!));
      return e.ok ? { ok: true, tickets: [e.ticket] } : e;
    }
    // Several: each is checked when they confirm.
    return { ok: true, tickets };
  };

  /** The find-by-phone rate: more than KIOSK_FIND_RATE in a minute is refused. */
  const rateLimit = () => {
    const now = clock();
    while (findTimes.length > 0 && now - findTimes[0]! >= MINUTE_MS) findTimes.shift();
    if (findTimes.length >= KIOSK_FIND_RATE) throw new AdmitError('rate_limited', undefined, MINUTE_MS - (now - findTimes[0]!));
    findTimes.push(now);
  };

  /** A print held behind another says only that it timed out: the printer's own state says why. */
  const withCause = (print: PrintOutcome | null): PrintOutcome | null => {
    if (!print || print.state === 'printed' || print.reason !== 'timeout') return print;
    // The printer's state when it reports one, else the cause of the printer alert still open here (the
    // job waits behind the one that met it).
    const why = deps.printer()?.reason ?? null;
    const fromDevice = why ? printReason(why) : null;
    const open = printReasonOf(store.openOwn().find((x) => x.kind === 'printer')?.code ?? null);
    const reason = fromDevice && fromDevice !== 'failed' ? fromDevice : (open ?? 'timeout');
    return { ...print, reason };
  };

  /** A badge that did not print: one printer alert per cause until staff resolve it. */
  const printerAlert = (print: PrintOutcome | null) => {
    if (print && print.state !== 'printed') raise('printer', print.reason, null, true);
  };

  const entitlementsOf = (ticketId: string, rows: readonly { kind: string; label: Record<string, string> | null; from: string | null; to: string | null }[]) => {
    const tz = timezone(cache.ticketById(ticketId)?.eventId ?? eventId());
    const nowIso = deps.sync.clock.now().toISOString();
    const today = zonedDay(nowIso, tz);
    const uses = deps.checkins.uses(ticketId).filter((u) => u.direction === 'entry' && (u.state === 'local' || u.state === 'accepted'));
    return rows.map((e) => {
      const usedToday = uses.some((u) => u.pointId !== null && cache.point(u.pointId)?.entitlement === e.kind && zonedDay(u.at, tz) === today);
      const validToday = (e.from === null || zonedDay(e.from, tz) <= today) && (e.to === null || zonedDay(e.to, tz) >= today);
      return { kind: e.kind, label: e.label, availableToday: validToday && !usedToday, usedToday, from: e.from, to: e.to };
    });
  };

  const nextOf = (items: readonly AttendeeInfoItem[]): AttendeeInfoItem[] => {
    const now = deps.sync.clock.now().getTime();
    return items
      .filter((i) => i.kind === 'agenda' && i.at !== null && Date.parse(i.to ?? i.at) >= now)
      .sort((a, b) => Date.parse(a.at!) - Date.parse(b.at!))
      .slice(0, NEXT_MAX);
  };

  const cachedItems = (ticketId: string): AttendeeInfoItem[] =>
    cache.attendeeInfo(ticketId).flatMap((raw) => {
      const p = AttendeeInfoItem.safeParse(raw);
      return p.success ? [p.data] : [];
    });

  const stateOf = (): KioskState => {
    const ev = eventId();
    const event = ev ? cache.events().find((e) => e.id === ev) : undefined;
    const devices = deps.devices();
    const of = (kind: DeviceStatus['kind']) => {
      const list = devices.filter((d) => d.kind === kind);
      return { present: list.length > 0, ready: list.some((d) => d.state === 'connected') };
    };
    const printer = deps.printer();
    return {
      eventId: ev,
      eventName: event?.name ?? null,
      timezone: timezone(ev),
      settings: settings(),
      online: deps.sync.isOnline,
      scanner: of('scanner'),
      idCardReader: of('id-reader'),
      printer: { present: printer !== null, ready: printer?.ready ?? false, reason: printReasonOf(printer?.reason ?? null) },
      openAlerts: store.openOwn().length,
    };
  };

  const viewOf = (a: StoredAlert): KioskAlertView => ({
    id: a.id,
    deviceId: a.deviceId ?? deps.sync.deviceId ?? '00000000-0000-0000-0000-000000000000',
    eventId: a.eventId,
    kind: a.kind,
    code: a.code,
    ticketId: a.ticketId,
    raisedAt: a.raisedAt,
    resolvedAt: a.resolvedAt,
    resolvedBy: a.resolvedBy,
    terminal: deps.terminalName(a.deviceId ?? deps.sync.deviceId) ?? a.terminal ?? a.deviceId ?? '',
  });

  const approve = async (approval: { managerId: string; pin: string }) => deps.approvals.approve(approval.managerId, approval.pin);

  const confirm = async (sessionId: string, session: Session | null, input: { visitId: string; candidateId: string; requestId: string }): Promise<KioskCheckIn> => {
    const visit = visitOf(sessionId, input.visitId);
    const kept = visit.answers.get(input.requestId);
    const ticketId = visit.candidates.get(input.candidateId);
    if (!ticketId) throw new AdmitError('not_found', 'no such candidate in this visit');
    if (kept) {
      // A retry: nothing is checked in or printed again; the print as it stands now.
      if (kept.print === null || kept.checkIn === 'refused') return kept;
      const again = await deps.printBadge({ ticketId, requestId: input.requestId, operatorId: session?.operatorId ?? null, language: languages.get(sessionId) ?? null });
      return { ...kept, print: withCause(again.print) ?? kept.print };
    }
    const ticket = cache.ticketById(ticketId);
    const answer = (a: Omit<KioskCheckIn, 'visitId'>): KioskCheckIn => {
      const full = { visitId: visit.id, ...a };
      visit.answers.set(input.requestId, full);
      return full;
    };
    const e = ticket ? eligibility(resolveTicket(ticket)) : ({ ok: false, reason: 'unknown', ticketId } as const);
    if (!e.ok) {
      raise('refused', e.reason, ticketId, false);
      return answer({ checkIn: 'refused', refusal: { reason: e.reason }, print: null, greeting: null });
    }
    const verdict = await deps.gate.admitTicket(ticketId, session?.operatorId ?? null, undefined, { open: false });
    let checkIn: KioskCheckIn['checkIn'];
    if (verdict.admitted) checkIn = 'admitted';
    else if (verdict.reason === 'already_used') checkIn = 'already';
    else {
      raise('refused', verdict.reason, ticketId, false);
      return answer({ checkIn: 'refused', refusal: { reason: verdict.reason }, print: null, greeting: null });
    }
    visit.confirmed = ticketId;
    const greeting = e.ticket.attendeeName;
    if (!settings().printBadge) return answer({ checkIn, refusal: null, print: null, greeting });
    let printed: KioskPrintAnswer;
    try {
      printed = await deps.printBadge({ ticketId, requestId: input.requestId, operatorId: session?.operatorId ?? null, language: languages.get(sessionId) ?? null });
    } catch (err) {
      if (!(err instanceof AdmitError) || (err.code !== 'no_badge_printer' && err.code !== 'device_unavailable')) throw err;
      printed = { refused: null, print: { state: 'failed', reason: 'no_printer', jobIds: [] } };
    }
    if (printed.refused === 'badge_printed') {
      raise('refused', 'badge_printed', ticketId, false);
      return answer({ checkIn, refusal: { reason: 'badge_printed' }, print: null, greeting });
    }
    const print = withCause(printed.print);
    printerAlert(print);
    return answer({ checkIn, refusal: null, print, greeting });
  };

  const info = async (sessionId: string, visitId: string): Promise<KioskInfo> => {
    const visit = visitOf(sessionId, visitId);
    const ticketId = visit.confirmed;
    if (!ticketId) throw new AdmitError('not_found', 'nobody confirmed in this visit');
    if (deps.sync.isOnline) {
      try {
        const got = await deps.sync.send('GET', `/v1/kiosk/attendees/${encodeURIComponent(ticketId)}/info`, undefined, KioskAttendeeInfo, {});
        const active = got.entitlements.filter((x) => x.active);
        return { visitId, items: got.items, entitlements: entitlementsOf(ticketId, active), next: nextOf(got.items), source: 'server' };
      } catch (err) {
        if (err instanceof ServerError && (err.code === 'forbidden' || err.code === 'forbidden_event')) throw refusal(err);
        // Otherwise (unreachable, an older server): what the cache holds.
      }
    }
    const items = cachedItems(ticketId);
    return { visitId, items, entitlements: entitlementsOf(ticketId, cache.entitlements(ticketId)), next: nextOf(items), source: 'cache' };
  };

  const endVisit = (sessionId: string) => {
    languages.delete(sessionId);
    return visits.delete(sessionId);
  };

  return {
    name: 'kiosk',
    get active() {
      return mode.active() !== null;
    },
    scanned(code) {
      const sessionId = mode.active();
      if (sessionId === null) return;
      deps.publish.found(open(sessionId, 'scanner', byCode(code)));
    },
    async idCardRead(idNumber) {
      const sessionId = mode.active();
      if (sessionId === null) return;
      const tickets = await deps.gate.ticketsByIdNumber(idNumber);
      deps.publish.found(open(sessionId, 'id_card', byTickets(tickets)));
    },
    deviceStatus(s) {
      if (s.kind !== 'scanner' && s.kind !== 'id-reader') return;
      const gone = s.state === 'disconnected' || s.state === 'error';
      if (!gone) {
        outages.delete(s.id);
        return;
      }
      if (outages.has(s.id) || mode.active() === null) return;
      outages.add(s.id);
      raise('scanner', s.kind === 'scanner' ? 'scanner_offline' : 'id_reader_offline', null, false);
    },
    alertsReplicated: alertsChanged,
    handlers: {
      'kiosk.state': (_input, ctx) => {
        mode.open(ctx.sessionId);
        return stateOf();
      },
      'kiosk.code': ({ code, by }, ctx) => open(ctx.sessionId, by, byCode(code)),
      'kiosk.findByPhone': ({ phoneLast4, namePrefix }, ctx) => {
        if (!settings().findByPhone) throw new AdmitError('forbidden', 'finding by phone is off for this event');
        rateLimit();
        const prefix = normalizeName(namePrefix);
        const tickets = cache
          .search({ phoneLast4 }, 500)
          .filter((t) => t.attendeeName !== null && prefix !== '' && normalizeName(t.attendeeName).split(/[\s\-–—.,'’]+/u).some((w) => w.startsWith(prefix)));
        return open(ctx.sessionId, 'phone_name', byTickets(tickets));
      },
      'kiosk.confirm': (input, ctx) => confirm(ctx.sessionId, ctx.session, input),
      'kiosk.info': ({ visitId }, ctx) => info(ctx.sessionId, visitId),
      'kiosk.reset': ({ visitId }, ctx) => {
        const v = visits.get(ctx.sessionId);
        if (visitId !== null && v && v.id !== visitId) return { ended: false };
        return { ended: endVisit(ctx.sessionId) };
      },
      'kiosk.report': ({ kind, code }) => ({ alertId: raise(kind, code, null, kind !== 'help') }),
      'kiosk.language': ({ language }, ctx) => {
        languages.set(ctx.sessionId, language);
        return { language };
      },
      'kiosk.maintenance': async (approval) => {
        const manager = await approve(approval);
        return {
          state: stateOf(),
          devices: deps.devices(),
          alerts: store.openOwn().map(viewOf),
          managerName: manager.operatorName,
        };
      },
      'kiosk.exit': async (approval, ctx) => {
        await approve(approval);
        endVisit(ctx.sessionId);
        return { exited: true as const };
      },
      'kiosk.alerts': ({ includeResolved }) => store.alerts(includeResolved).map(viewOf),
      'kiosk.resolveAlert': async ({ alertId }, ctx) => {
        const a = store.alert(alertId);
        if (!a) throw new AdmitError('not_found');
        if (a.resolvedAt !== null) return viewOf(a);
        if (!deps.sync.isOnline) throw new AdmitError('offline');
        let row;
        try {
          row = await deps.sync.send('POST', `/v1/kiosk/alerts/${encodeURIComponent(alertId)}/resolve`, { operatorId: ctx.session!.operatorId }, KioskAlertRow, {});
        } catch (err) {
          throw refusal(err);
        }
        store.putResolved(row);
        alertsChanged();
        return viewOf(store.alert(alertId)!);
      },
    },
  };
}
