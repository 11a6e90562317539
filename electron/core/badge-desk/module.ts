// Owns the badge desk feature: the badgeDesk slice of the contract over the replicated cache and the
// desk's own tables (store.ts). Finding an attendee (find.ts), their details fetched from the server when
// online (else what the cache holds) with every print known here, corrections made at the server,
// the preview the badge printer would print, printing — the reprint rule for the whole request before
// anything prints, a manager's PIN checked under the sign-in lockout, the check-in through the gate's
// own admission path, one print job of kind 'badge' per badge on the terminal's badge printer, each print
// recorded and pushed, a request id that never prints twice — walk-ins sold through the box office's
// sale path and printed at once, and reprint counts for managers.
import { BadgeAttendeeDetails, chooseBadgeTemplate, reprintCheck, type BadgeSettings, type BadgeTemplateRow } from '../../../domain/badge-wire';
import type { PrintDocument } from '../../../drivers';
import { AdmitError, type BadgeDeskAttendee, type BadgeDeskCall, type BadgeDeskMatch, type BadgePrintResult, type CallInput, type CallOutput, type PrintOutcome, type Session } from '../../contract';
import type { Transaction } from '../db/meta';
import type { CoreModule, Logger } from '../dispatcher';
import type { CheckinReader } from '../gate/checkins';
import type { Gate } from '../gate/gate';
import type { CacheReader, TicketRecord } from '../sync/cache';
import { ServerError, type SyncClient } from '../sync/client';
import { saleCatalog } from '../box-office/catalog';
import { badgeBlockFor, badgeLocale, printableBlock } from './render';
import { findAttendees, type FindBy } from './find';
import type { BadgeStore, StoredPrint } from './store';

/** The terminal's badge printer as the desk uses it (core.ts builds it over the device supervisor). */
export type BadgePrinterPort = {
  /** The printer badge jobs go to (the first configured for 'badge'); null: none. */
  current(): { id: string; name: string; ready: boolean; reason: string | null } | null;
  /** Queues one badge job (inside the caller's transaction); answers its job id. */
  enqueue(printerId: string, doc: PrintDocument): string;
  /** Waits, as a sale's print does, for the jobs to print: the outcome in contract terms. */
  settle(jobIds: readonly string[]): Promise<PrintOutcome>;
  /** Where the jobs stand now, without waiting. */
  state(jobIds: readonly string[]): PrintOutcome;
  /** The badge printer's configuration (what its preview is drawn for); null: none. */
  config(): { kind: 'printer'; driver: string } | null;
};

export type BadgeDeskDeps = {
  cache: CacheReader;
  store: BadgeStore;
  checkins: CheckinReader;
  gate: Pick<Gate, 'admitTicket' | 'currentPoint' | 'ticketsByIdNumber'>;
  sync: Pick<SyncClient, 'isOnline' | 'send' | 'deviceId' | 'clock' | 'newId' | 'push'>;
  /** The sessions module's approval: a manager's PIN under the sign-in lockout. */
  approvals: { approve(managerId: string, pin: string): Promise<Session> };
  printer: BadgePrinterPort;
  transaction: Transaction;
  operatorName: (operatorId: string) => string | null;
  /** A terminal's name by its device id when this one knows it (its own). */
  terminalName: (deviceId: string) => string | null;
  printLanguage: () => string | null;
  /** A sale through the box office's sale path (its line, its rules), as the operator. */
  sell: (input: CallInput<'boxOffice.sell'>, session: Session) => Promise<CallOutput<'boxOffice.sell'>>;
  log?: Logger;
  /** The operator's session opened the desk (scans and ID reads go to it while it is open). */
  opened?: (sessionId: string) => void;
};

type PrintInput = CallInput<'badgeDesk.print'>;
type PrintAnswer = CallOutput<'badgeDesk.print'>;
/** A request's kept answer: each badge's result with its job, and whether every ticket was handled. */
type KeptRequest = { results: (BadgePrintResult & { jobId: string | null })[]; complete: boolean };

const SERVER_DETAIL_CONCURRENCY = 8;

export type KioskPrintRequest = { ticketId: string; requestId: string; operatorId: string | null; language: string | null };
/** `refused`: why no badge was printed for the ticket (badge_printed, ticket_not_valid, print_failed or a
 *  printer's reason), null when it printed or is queued; `print`: the print's outcome (null: none tried). */
export type KioskPrintAnswer = { refused: string | null; print: PrintOutcome | null };

/** The server's refusals as the desk's error codes. */
function refusal(e: unknown): AdmitError {
  if (e instanceof AdmitError) return e;
  if (e instanceof ServerError) {
    switch (e.code) {
      case 'not_found':
      case 'forbidden':
      case 'invalid_input':
        return new AdmitError(e.code, e.message);
      case 'forbidden_event':
        return new AdmitError('forbidden', e.message);
      case 'bad_request':
        return new AdmitError('invalid_input', e.message);
      default:
        return new AdmitError('server_rejected', e.code);
    }
  }
  return new AdmitError('offline', 'server unreachable');
}

const isValid = (t: TicketRecord, revokedAt: string | null) => t.status === 'valid' && t.paid && revokedAt === null;

export function badgeDeskModule(deps: BadgeDeskDeps): CoreModule<BadgeDeskCall> & {
  /** A scanner's read at the open desk: who the code finds. */
  scanned(code: string): { by: 'code'; matches: BadgeDeskMatch[] };
  /** An ID card's read at the open desk: who its number's hash finds (the number itself goes no further). */
  idCardRead(idNumber: string): Promise<{ by: 'id_card'; matches: BadgeDeskMatch[] }>;
  /** A self-service kiosk's print of one attendee's badge through the desk's path (no check-in: the kiosk
   *  checked them in). A retry of the request prints nothing twice; a ticket that has a badge already is
   *  refused (badge_printed) and nothing prints: reprints are the desk's. `language`: the badge's. */
  kioskPrint(p: KioskPrintRequest): Promise<KioskPrintAnswer>;
} {
  const { cache, store } = deps;
  const now = () => deps.sync.clock.now();

  const eventOfDesk = (): string | null => deps.gate.currentPoint().row?.eventId ?? cache.catalog().event?.id ?? cache.anyEventId();

  const checkedInAt = (ticketId: string): string | null => {
    const uses = deps.checkins.history(ticketId).filter((c) => c.direction === 'entry' && c.state !== 'conflict' && c.state !== 'annulled');
    return uses.length === 0 ? null : uses.map((c) => c.at).sort()[0]!;
  };

  const matchOf = (t: TicketRecord): BadgeDeskMatch => ({
    ticketId: t.id,
    eventId: t.eventId,
    ticketTypeId: t.ticketTypeId,
    ticketTypeName: t.ticketTypeName ?? {},
    name: t.attendeeName,
    orderCode: t.orderCode,
    status: cache.revokedAt(t.id) ? 'revoked' : t.status,
    paid: t.paid,
    checkedIn: checkedInAt(t.id) !== null,
    printCount: store.printCount(t.id),
  });

  const ticketOf = (ticketId: string): TicketRecord => {
    const t = cache.ticketById(ticketId);
    if (!t) throw new AdmitError('not_found', `ticket ${ticketId}`);
    return t;
  };

  /** Every print of the ticket: the server's list (when fetched) and the ones known here, once each. */
  const printsOf = (ticketId: string, fromServer: readonly { id: string; printedAt: string }[] = []) => {
    const local = store.prints(ticketId);
    const byId = new Map<string, Pick<StoredPrint, 'id' | 'printedAt'> & Partial<StoredPrint>>();
    for (const p of fromServer) byId.set(p.id, p);
    for (const p of local) byId.set(p.id, { ...byId.get(p.id), ...p });
    return [...byId.values()].sort((a, b) => (a.printedAt === b.printedAt ? (a.id < b.id ? -1 : 1) : a.printedAt < b.printedAt ? -1 : 1));
  };

  /** The attendee's details from the server (online), or null when it cannot be asked now. */
  const fetchDetails = async (ticketId: string): Promise<BadgeAttendeeDetails | null> => {
    if (!deps.sync.isOnline) return null;
    try {
      return await deps.sync.send('GET', `/v1/badges/attendees/${encodeURIComponent(ticketId)}`, undefined, BadgeAttendeeDetails, {});
    } catch (e) {
      if (e instanceof ServerError && (e.code === 'not_found' || e.code === 'forbidden' || e.code === 'forbidden_event')) throw refusal(e);
      return null;
    }
  };

  const templateFor = (t: TicketRecord, category: string | null): BadgeTemplateRow | null =>
    chooseBadgeTemplate(store.templates(t.eventId), { eventId: t.eventId, ticketTypeId: t.ticketTypeId, category });

  const attendeeOf = (t: TicketRecord, details: BadgeAttendeeDetails | null): BadgeDeskAttendee => {
    const settings = store.settings(t.eventId);
    const prints = printsOf(t.id, details?.prints ?? []);
    const check = reprintCheck(prints, settings, now());
    const template = templateFor(t, details?.category ?? null);
    const serverPrints = new Map((details?.prints ?? []).map((p) => [p.id, p]));
    return {
      ...matchOf(t),
      ...(details ? { name: details.name, status: details.status, paid: details.paid, orderCode: details.orderCode } : {}),
      printCount: prints.length,
      code: t.code,
      company: details?.company ?? null,
      title: details?.title ?? null,
      category: details?.category ?? null,
      phoneMasked: details?.phoneMasked ?? null,
      emailMasked: details?.emailMasked ?? null,
      answers: details?.answers ?? {},
      checkedIn: (details?.checkedInAt ?? checkedInAt(t.id)) !== null,
      checkedInAt: details?.checkedInAt ?? checkedInAt(t.id),
      prints: prints.map((p) => {
        const row = { ...serverPrints.get(p.id), ...p } as Partial<StoredPrint> & { id: string; printedAt: string };
        const deviceId = row.deviceId ?? null;
        return {
          id: row.id,
          printedAt: row.printedAt,
          terminal: (deviceId && deps.terminalName(deviceId)) || deviceId || '',
          operatorName: row.operatorId ? deps.operatorName(row.operatorId) : null,
          reprint: row.reprint ?? false,
          reason: row.reason ?? null,
          approverName: row.approvedBy ? deps.operatorName(row.approvedBy) : null,
        };
      }),
      templateId: template?.id ?? null,
      templateName: template?.name ?? null,
      source: details ? 'server' : 'cache',
      reprint: { needsReason: check.needsReason, needsPin: check.needsPin, lastPrintedAt: check.lastPrintedAt },
    };
  };

  const find = (by: Exclude<FindBy, 'id_card'>, query: string): BadgeDeskMatch[] => findAttendees(cache, by, query, now()).map(matchOf);

  /** Details of several tickets, a few requests at a time (null where the server cannot be asked). */
  const detailsOf = async (ids: readonly string[]): Promise<Map<string, BadgeAttendeeDetails | null>> => {
    const out = new Map<string, BadgeAttendeeDetails | null>();
    for (let i = 0; i < ids.length; i += SERVER_DETAIL_CONCURRENCY) {
      const part = ids.slice(i, i + SERVER_DETAIL_CONCURRENCY);
      const got = await Promise.all(part.map((id) => fetchDetails(id).catch(() => null)));
      part.forEach((id, k) => out.set(id, got[k] ?? null));
    }
    return out;
  };

  /** What the stored results say now: each badge's job as it stands. */
  const answerOf = (kept: KeptRequest, print: PrintOutcome): PrintAnswer => {
    const printed = new Set(print.state === 'printed' ? print.jobIds : []);
    return {
      results: kept.results.map(({ jobId, ...r }) => {
        if (r.outcome === 'refused' || jobId === null) return r;
        const job = printed.has(jobId) ? ({ state: 'printed', jobIds: [jobId] } as const) : deps.printer.state([jobId]);
        // A job given up (cancelled, or refused by the printer) printed nothing: said with its reason.
        if (job.state === 'failed') return { ...r, outcome: 'refused' as const, code: job.reason };
        return { ...r, outcome: job.state === 'printed' ? ('printed' as const) : ('queued' as const) };
      }),
      print,
    };
  };
  const noJobs: PrintOutcome = { state: 'failed', reason: 'no_printer', jobIds: [] };
  const outcomeOf = (kept: KeptRequest, settled: PrintOutcome | null): PrintOutcome => {
    const jobIds = kept.results.map((r) => r.jobId).filter((j): j is string => j !== null);
    if (jobIds.length === 0) return { ...noJobs, reason: 'cancelled' };
    return settled ?? deps.printer.state(jobIds);
  };

  // Print requests run one at a time: a retry arriving while its first attempt runs waits for it.
  let line: Promise<unknown> = Promise.resolve();
  const inLine = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = line.then(fn, fn);
    line = run.catch(() => undefined);
    return run;
  };

  const print = async (input: PrintInput, operatorId: string | null, requestKey = input.requestId, language: string | null = null): Promise<PrintAnswer> => {
    const earlier = store.request<KeptRequest>(requestKey);
    if (earlier?.answer.complete) return answerOf(earlier.answer, outcomeOf(earlier.answer, null));
    const printer = deps.printer.current();
    if (!printer) throw new AdmitError('no_badge_printer');
    const ids = [...new Set(input.ticketIds)];
    const tickets = ids.map(ticketOf);
    const kept: KeptRequest = earlier?.answer ?? { results: [], complete: false };
    const done = new Set(kept.results.map((r) => r.ticketId));
    const at = now();
    // The reprint rule for the whole request before anything prints (not for a retry already started:
    // its own prints would count against it).
    let approvedBy: string | null = null;
    let reprints: Set<string>;
    if (!earlier) {
      const checks = tickets.map((t) => ({ t, check: reprintCheck(store.prints(t.id), store.settings(t.eventId), at) }));
      const needReason = checks.filter((c) => c.check.needsReason);
      if (needReason.length > 0 && input.reason === undefined) throw new AdmitError('reprint_reason_required', needReason.map((c) => c.t.id).join(','));
      if (checks.some((c) => c.check.needsPin) && input.approval === undefined) throw new AdmitError('approval_required');
      reprints = new Set(checks.filter((c) => c.check.reprint).map((c) => c.t.id));
    } else {
      reprints = new Set(tickets.filter((t) => store.prints(t.id).some((p) => !kept.results.some((r) => r.jobId !== null && p.jobId === r.jobId))).map((t) => t.id));
    }
    if (input.approval) approvedBy = (await deps.approvals.approve(input.approval.managerId, input.approval.pin)).operatorId;

    const todo = tickets.filter((t) => !done.has(t.id));
    const details = await detailsOf(todo.map((t) => t.id));
    const locale = badgeLocale(language ?? deps.printLanguage());
    for (const t of todo) {
      const d = details.get(t.id) ?? null;
      const current = cache.ticketById(t.id) ?? t;
      const valid = isValid(current, cache.revokedAt(t.id)) && (d === null || (d.status === 'valid' && d.paid));
      const settings = store.settings(t.eventId);
      let checkIn: BadgePrintResult['checkIn'] = 'none';
      let result: BadgePrintResult & { jobId: string | null };
      if (!valid) {
        result = { ticketId: t.id, outcome: 'refused', code: 'ticket_not_valid', checkIn, jobId: null };
      } else {
        let refusedBy: string | null = null;
        if (input.checkIn ?? settings.printChecksIn) {
          if (checkedInAt(t.id) !== null) checkIn = 'already';
          else {
            // The gate's own admission at this terminal's point: claimed online, an offline check-in
            // record otherwise. A point this terminal may not serve admits no one; the badge still prints.
            const verdict = await deps.gate.admitTicket(t.id, operatorId, undefined, { open: false }).catch((e: unknown) => {
              if (e instanceof AdmitError) return null;
              throw e;
            });
            if (verdict?.admitted) checkIn = 'admitted';
            else if (verdict?.reason === 'already_used') checkIn = 'already';
            else if (verdict?.reason === 'revoked' || verdict?.reason === 'unpaid' || verdict?.reason === 'unknown') refusedBy = 'ticket_not_valid';
          }
        }
        if (refusedBy) result = { ticketId: t.id, outcome: 'refused', code: refusedBy, checkIn, jobId: null };
        else {
          const template = templateFor(t, d?.category ?? null);
          const printId = deps.sync.newId();
          // What cannot be printed (a text too long for its box) is refused before it is queued or recorded.
          let block = badgeBlockFor(current, d, template, locale, printId);
          let problem: string | null = null;
          try {
            block = printableBlock(block, deps.printer.config()).block;
          } catch (e) {
            problem = e instanceof AdmitError ? (e.message === e.code ? e.code : e.message) : 'internal';
          }
          if (problem !== null) {
            deps.log?.warn('badge not printable', { ticketId: t.id, problem: problem.slice(0, 200) });
            result = { ticketId: t.id, outcome: 'refused', code: 'print_failed', checkIn, jobId: null };
            kept.results.push(result);
            store.putRequest(requestKey, kept, now().toISOString());
            continue;
          }
          const printedAt = now().toISOString();
          const reprint = reprints.has(t.id);
          let jobId = '';
          deps.transaction(() => {
            jobId = deps.printer.enqueue(printer.id, { blocks: [block] });
            store.recordOwnPrint({
              id: printId,
              ticketId: t.id,
              eventId: t.eventId,
              deviceId: deps.sync.deviceId,
              operatorId,
              templateId: template?.id ?? null,
              printedAt,
              reprint,
              reason: reprint ? (input.reason ?? null) : null,
              approvedBy: reprint ? approvedBy : null,
              jobId,
            });
            result = { ticketId: t.id, outcome: 'queued', code: null, checkIn, jobId };
            kept.results.push(result);
            store.putRequest(requestKey, kept, printedAt);
          });
          continue;
        }
      }
      kept.results.push(result);
      store.putRequest(requestKey, kept, now().toISOString());
    }
    // The results in the order asked.
    kept.results.sort((a, b) => ids.indexOf(a.ticketId) - ids.indexOf(b.ticketId));
    kept.complete = true;
    store.putRequest(requestKey, kept, now().toISOString());
    if (deps.sync.isOnline) deps.sync.push().catch(() => undefined);
    const jobIds = kept.results.map((r) => r.jobId).filter((j): j is string => j !== null);
    const settled = jobIds.length > 0 ? await deps.printer.settle(jobIds) : null;
    return answerOf(kept, outcomeOf(kept, settled));
  };

  return {
    name: 'badge-desk',
    kioskPrint: ({ ticketId, requestId, operatorId, language }) =>
      inLine(async () => {
        const key = `kiosk:${requestId}`;
        if (!store.request<KeptRequest>(key) && store.printCount(ticketId) > 0) return { refused: 'badge_printed', print: null };
        const answer = await print({ ticketIds: [ticketId], requestId, checkIn: false }, operatorId, key, language);
        const r = answer.results[0];
        return { refused: r?.outcome === 'refused' ? (r.code ?? 'print_failed') : null, print: answer.print };
      }),
    scanned: (code) => ({ by: 'code', matches: find('code', code) }),
    idCardRead: async (idNumber) => ({ by: 'id_card', matches: (await deps.gate.ticketsByIdNumber(idNumber)).slice(0, 50).map(matchOf) }),
    handlers: {
      'badgeDesk.state': (_input, ctx) => {
        deps.opened?.(ctx.sessionId);
        const eventId = eventOfDesk();
        return { eventId, settings: store.settings(eventId), printer: deps.printer.current(), online: deps.sync.isOnline };
      },
      'badgeDesk.find': ({ query, by }, ctx) => {
        deps.opened?.(ctx.sessionId);
        const chosen = by ?? guessBy(cache, query, now());
        return { by: chosen, matches: find(chosen, query) };
      },
      'badgeDesk.attendee': async ({ ticketId }) => {
        const t = ticketOf(ticketId);
        return attendeeOf(t, await fetchDetails(ticketId));
      },
      'badgeDesk.group': ({ ticketId }) => {
        const t = ticketOf(ticketId);
        if (!t.orderCode) return { orderCode: null, matches: [matchOf(t)] };
        const group = cache.search({ orderCode: t.orderCode }, 1000).filter((o) => o.eventId === t.eventId);
        group.sort((a, b) => (a.id === t.id ? -1 : b.id === t.id ? 1 : a.id < b.id ? -1 : 1));
        return { orderCode: t.orderCode, matches: group.map(matchOf) };
      },
      'badgeDesk.correct': async ({ ticketId, ...fields }, ctx) => {
        const t = ticketOf(ticketId);
        if (!deps.sync.isOnline) throw new AdmitError('offline');
        const body = { operatorId: ctx.session!.operatorId, ...fields };
        if (fields.name === undefined && fields.company === undefined && fields.title === undefined) throw new AdmitError('invalid_input', 'nothing to correct');
        // An empty company or title clears it.
        for (const k of ['company', 'title'] as const) if (body[k] === '') body[k] = null;
        let details: BadgeAttendeeDetails;
        try {
          details = await deps.sync.send('POST', `/v1/badges/attendees/${encodeURIComponent(ticketId)}/correct`, body, BadgeAttendeeDetails, {});
        } catch (e) {
          throw refusal(e);
        }
        return attendeeOf(cache.ticketById(ticketId) ?? t, details);
      },
      'badgeDesk.preview': async ({ ticketId }) => {
        const t = ticketOf(ticketId);
        const d = await fetchDetails(ticketId).catch(() => null);
        const template = templateFor(t, d?.category ?? null);
        const block = badgeBlockFor(t, d, template, badgeLocale(deps.printLanguage()), null);
        return { sides: printableBlock(block, deps.printer.config()).sides, templateId: template?.id ?? null };
      },
      'badgeDesk.print': (input, ctx) => inLine(() => print(input, ctx.session?.operatorId ?? null)),
      'badgeDesk.walkInTypes': () => {
        const catalog = saleCatalog(cache, now(), {});
        return { ticketTypes: catalog.ticketTypes.filter((t) => t.saleState === 'on_sale') };
      },
      'badgeDesk.walkIn': (input, ctx) =>
        inLine(async () => {
          const session = ctx.session!;
          const { types } = cache.catalog();
          const type = types.find((t) => t.id === input.ticketTypeId);
          if (!type) throw new AdmitError('unknown_ticket_type');
          if (!deps.printer.current()) throw new AdmitError('no_badge_printer');
          const free = type.priceMinor === 0;
          if (free) {
            if (!input.approval) throw new AdmitError('approval_required');
            await deps.approvals.approve(input.approval.managerId, input.approval.pin);
          } else if (!input.payments) throw new AdmitError('invalid_input', 'no payment');
          const sold = await deps.sell(
            {
              lines: [{ ticketTypeId: type.id, quantity: 1 }],
              attendees: [{ ...input.attendee, ticketTypeId: type.id, index: 0 }],
              payments: free ? [{ method: 'cash', tenderedMinor: 0 }] : input.payments!,
              cartId: input.cartId,
              eventId: type.eventId,
            },
            session,
          );
          const ticket = sold.order.tickets[0]!;
          const printed = await print({ ticketIds: [ticket.id], requestId: input.cartId }, session.operatorId, `walk-in:${input.cartId}`);
          return { ticketId: ticket.id, orderCode: sold.order.code, results: printed.results, print: printed.print };
        }),
      'badgeDesk.reprints': ({ eventId }) => {
        const event = eventId ?? eventOfDesk();
        const prints = event ? store.printsOfEvent(event) : [];
        const byTicket = new Map<string, { prints: number; reprints: number }>();
        const byOperator = new Map<string | null, { prints: number; reprints: number }>();
        for (const p of prints) {
          const a = byTicket.get(p.ticketId) ?? { prints: 0, reprints: 0 };
          a.prints++;
          if (p.reprint) a.reprints++;
          byTicket.set(p.ticketId, a);
          const o = byOperator.get(p.operatorId) ?? { prints: 0, reprints: 0 };
          o.prints++;
          if (p.reprint) o.reprints++;
          byOperator.set(p.operatorId, o);
        }
        const most = <T extends { prints: number; reprints: number }>(a: T, b: T) => b.reprints - a.reprints || b.prints - a.prints;
        return {
          byAttendee: [...byTicket.entries()]
            .map(([ticketId, n]) => ({ ticketId, name: cache.ticketById(ticketId)?.attendeeName ?? null, ...n }))
            .sort(most),
          byOperator: [...byOperator.entries()].map(([operatorId, n]) => ({ operatorId, name: operatorId ? deps.operatorName(operatorId) : null, ...n })).sort(most),
        };
      },
    },
  };
}

/** What the text looks like: a ticket code in the cache, four digits (a phone's last four), an order
 *  code of the cache, else a name. */
export function guessBy(cache: CacheReader, query: string, at: Date): Exclude<FindBy, 'id_card'> {
  const q = query.trim();
  if (/^\d{4}$/.test(q)) return 'phone';
  if (findAttendees(cache, 'code', q, at).length > 0) return 'code';
  if (/^[A-Za-z0-9-]{4,16}$/.test(q) && cache.search({ orderCode: q.toUpperCase() }, 1).length + cache.search({ orderCode: q }, 1).length > 0) return 'order';
  return 'name';
}

export type { BadgeSettings };
