// Owns the terminal's side of the sync protocol: pairing, pulling changes into the cache, pushing the
// outbox, online claims (over the WebSocket the terminal holds anyway, matched to their answers by id),
// the server's clock, and noticing by itself when the server is (un)reachable.
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { z } from 'zod';
import {
  ApiError,
  ChangesResponse,
  OPTIONAL_CHANGE_KINDS,
  OrderResponse,
  PairResponse,
  PushResponse,
  REQUEST_ID_HEADER,
  TerminalSecretsResponse,
  MAX_WS_MESSAGE_BYTES,
  SERVER_TIME_HEADER,
  WsServerMessage,
  type Change,
  type OrderRequest,
  type WsTerminalMessage,
  VoucherPreview,
} from '../../../domain/wire';
import { VOUCHER_PROBLEMS } from '../../../domain/vouchers';
import { AdmitError, type ErrorCode, type SyncStatus } from '../../contract';
import type { Direction, Reason } from '../../../domain/enums';
import type { Meta, Transaction } from '../db/meta';
import type { SecretName } from '../secrets/store';
import { idGenerator } from '../ids';
import type { CacheWriter } from './cache';
import type { ChangeAppliers, ChangeContext } from './changes';
import { adoptTerminalSettings } from './assignment';
import { ServerClock } from './clock';
import { type HttpReply, HttpPool, ReplyTooLargeError } from './http';
import type { Outbox, PushResult } from './outbox';

/** How a claim ended. `timeout`: no answer within the bound while the link was up; `offline`: the
 *  link was (or went) down; `error`: the server answered with an error. All but the first three leave
 *  the gate's local verdict standing, flagged as local. */
/** Server refusals that mean the same at the terminal: a sale's voucher and attendee details. */
const SAME_CODES = new Set<string>([...VOUCHER_PROBLEMS, 'attendee_field_required', 'attendee_field_invalid']);

export type ClaimOutcome = 'accepted' | 'duplicate' | 'conflict' | 'timeout' | 'offline' | 'error';
export type ClaimResult = { outcome: ClaimOutcome; firstAt: string | null; reason?: Reason | undefined };

type PendingClaim = { sentAt: number; timer: NodeJS.Timeout; settle: (r: ClaimResult) => void };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request body sent as these bytes with this content type, not as JSON (an uploaded file). */
export class RawBody {
  constructor(
    readonly bytes: Uint8Array,
    readonly contentType: string,
  ) {}
}

/** A successful reply read as bytes (a downloaded file). */
export type RawReply = { status: number; bytes: Buffer; header(name: string): string | null };

/** The link to the server went down while a request was out. */
export class LinkDownError extends Error {
  constructor() {
    super('link down');
    this.name = 'LinkDownError';
  }
}

export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail?: string,
    /** The refusal's whole JSON body, for callers that read more than its code (an import's file problem). */
    readonly body?: unknown,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'ServerError';
  }
}

/** The tables sync moves data into and out of, each owned elsewhere: the replicated cache (sync's own),
 *  the outbox, and the appliers and push-answer hook of the features whose rows come from the server. */
export type SyncStores = {
  meta: Meta;
  /** The device token and the PIN key: kept in the terminal's secret store, never in SQLite. */
  secrets: { get(name: SecretName): string | null; set(name: SecretName, value: string | null): Promise<void> };
  cache: CacheWriter;
  outbox: Outbox;
  /** One applier per change kind (cache, gate, sessions). */
  appliers: ChangeAppliers;
  /** Applies the server's answers to pushed records to their owners' tables (the gate's check-ins). */
  settled: (results: readonly PushResult[]) => void;
  transaction: Transaction;
  /** Records other features keep until they reach the server (sales made on a lease), counted with the
   *  outbox as waiting to upload; absent: none. */
  awaitingUpload?: () => number;
};

type Options = {
  /** The longest a gate waits for a claim's answer while the link is up ("checking…"); only past it
   *  does the local verdict stand. A slow answer is not a lost link. */
  claimBoundMs?: number;
  /** A heartbeat (WebSocket ping) goes out this often; a link whose pong does not come back before
   *  the next one is known to be down. */
  heartbeatMs?: number; pageSize?: number; requestTimeoutMs?: number; retryMs?: number; pullEveryMs?: number;
  /** The server's time as this terminal learns it (default: over the terminal's own clock). */
  clock?: ServerClock;
};

export class SyncClient extends EventEmitter<{
  status: [SyncStatus];
  changes: [Change[]];
  /** The organizer changed this terminal's name or assigned point (sync/assignment.ts). */
  terminal: [NonNullable<ChangesResponse['terminal']>];
}> {
  private ws: WebSocket | null = null;
  private online = false;
  private stopped = true;
  private reconnectDelay = 250;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private tick: NodeJS.Timeout | null = null;
  private lastPullAt = 0;
  private pulling: Promise<void> | null = null;
  private pullAgain = false;
  private pushing: Promise<void> | null = null;
  private lastSyncAt: string | null = null;
  readonly claimBoundMs: number;
  private readonly heartbeatMs: number;
  private heartbeat: NodeJS.Timeout | null = null;
  private pongPending = false;
  /** Requests waiting for an answer: aborted the moment the link is known to be down. */
  private readonly inFlight = new Set<AbortController>();
  /** Kept-alive connections for requests, dropped when the link is known to be down. */
  private readonly http = new HttpPool();
  private readonly pageSize: number;
  private readonly requestTimeoutMs: number;
  /** Claims sent over the WebSocket and not answered yet, by request id. */
  private readonly pendingClaims = new Map<string, PendingClaim>();
  private wsRequests = 0;
  private pingSentAt = new Map<string, number>();
  /** Server time as this terminal knows it: ids, check-in times and validity windows use it. */
  readonly clock: ServerClock;
  /** UUIDv7 on the server's time (request ids are refused when far from the server's clock). */
  readonly newId: () => string;

  private readonly meta: Meta;
  private readonly secrets: SyncStores['secrets'];
  private readonly cache: CacheWriter;
  private readonly outbox: Outbox;
  private readonly appliers: ChangeAppliers;
  private readonly settled: (results: readonly PushResult[]) => void;
  private readonly transaction: Transaction;
  private readonly awaitingUpload: (() => number) | undefined;

  constructor(stores: SyncStores, opts: Options = {}) {
    super();
    this.meta = stores.meta;
    this.secrets = stores.secrets;
    this.cache = stores.cache;
    this.outbox = stores.outbox;
    this.appliers = stores.appliers;
    this.settled = stores.settled;
    this.transaction = stores.transaction;
    this.awaitingUpload = stores.awaitingUpload;
    this.claimBoundMs = opts.claimBoundMs ?? 2000;
    this.heartbeatMs = opts.heartbeatMs ?? 5000;
    this.pageSize = opts.pageSize ?? 10_000;
    // A last resort only: a dead link is noticed by the heartbeat and aborts what is in flight, so a
    // slow answer on a busy machine (a page of 10,000 changes) is waited for, not cut off.
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 60_000;
    this.retryMs = opts.retryMs ?? 1000;
    this.pullEveryMs = opts.pullEveryMs ?? 30_000;
    this.clock = opts.clock ?? new ServerClock();
    this.newId = idGenerator(() => this.clock.nowMs());
    this.clock.on('change', () => this.emitStatus());
  }
  private readonly retryMs: number;
  private readonly pullEveryMs: number;
  private lastPurgeAt = 0;

  /** Erases expired attendees' data from the cache: after a pull (new events may have ended, and a pulled
   *  row of an expired event is stored without it anyway) and hourly, also while offline. */
  private purgeIfDue(afterPull: boolean): void {
    if (!afterPull && Date.now() - this.lastPurgeAt < 3_600_000) return;
    this.lastPurgeAt = Date.now();
    this.cache.purgeExpiredPersonalData();
  }

  get paired(): boolean {
    return this.secrets.get('device_token') !== null;
  }
  get deviceId(): string | null {
    return this.meta.getMeta('device_id');
  }
  /** The change number the cache is complete up to. */
  lastSeq(): number {
    return Number(this.meta.getMeta('last_seq') ?? 0);
  }

  /** Applies one page of server changes, each through its owner's applier, and advances last_seq in the
   *  same transaction, so a cut in the middle of a pull resumes exactly where it stopped. `next` 0 keeps
   *  last_seq (rows learned outside a pull, e.g. the tickets of a sale made here). */
  applyChanges(changes: readonly Change[], next: number): void {
    const ctx: ChangeContext = { ownDeviceId: this.deviceId };
    const appliers = this.appliers;
    this.transaction(() => {
      for (const c of changes) (appliers[c.kind] as (change: Change, ctx: ChangeContext) => void)(c, ctx);
      if (next > this.lastSeq()) this.meta.setMeta('last_seq', String(next));
    });
  }
  get isOnline(): boolean {
    return this.online;
  }

  status(): SyncStatus {
    return {
      paired: this.paired,
      online: this.online,
      serverUrl: this.meta.getMeta('server_url'),
      terminalName: this.meta.getMeta('device_name'),
      lastSeq: this.lastSeq(),
      pendingOutbox: this.outbox.count() + (this.awaitingUpload?.() ?? 0),
      lastSyncAt: this.lastSyncAt,
      clockOffsetMs: this.clock.offsetMs,
      clockOff: this.clock.isOff,
    };
  }

  async pair(serverUrl: string, code: string, name: string): Promise<void> {
    if (this.paired) throw new AdmitError('already_paired');
    const base = serverUrl.replace(/\/+$/, '');
    let res: Response;
    // A terminal whose clock is off learns the server's from the first refusal (stale_request) and
    // asks once more with an id on the server's time.
    for (let attempt = 0; ; attempt++) {
      const sentAt = this.clock.localMs();
      try {
        res = await fetch(`${base}/v1/pair`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [REQUEST_ID_HEADER]: this.newId() },
          body: JSON.stringify({ code: code.replace('-', ''), name }),
          signal: AbortSignal.timeout(this.requestTimeoutMs),
        });
      } catch {
        throw new AdmitError('offline', 'server unreachable');
      }
      this.sampleHeader(sentAt, res.headers.get(SERVER_TIME_HEADER));
      if (res.ok) break;
      const err = ApiError.safeParse(await res.json().catch(() => null));
      if (attempt === 0 && err.success && err.data.error.code === 'stale_request') continue;
      throw new AdmitError('pairing_failed', err.success ? err.data.error.code : `http ${res.status}`);
    }
    const paired = PairResponse.parse(await res.json());
    this.meta.setMeta('server_url', base);
    this.meta.setMeta('device_id', paired.deviceId);
    this.meta.setMeta('device_name', paired.deviceName);
    await this.secrets.set('device_token', paired.token);
    // The PIN key now, so operators can sign in right after pairing; each connection fetches it again.
    await this.refreshSecrets().catch(() => undefined);
    this.emitStatus();
  }

  start(): void {
    if (!this.paired || !this.stopped) return;
    this.stopped = false;
    this.connect();
    // Pokes carry pulls and every scan triggers a push; this tick retries what failed and pulls now
    // and then in case a poke was lost, so recovery never needs an operator.
    this.tick = setInterval(() => {
      this.purgeIfDue(false);
      if (!this.online) return;
      if (this.outbox.count() > 0) this.push().catch(() => undefined);
      if (Date.now() - this.lastPullAt > this.pullEveryMs) this.pull().catch(() => undefined);
    }, this.retryMs);
    this.tick.unref();
  }

  /** The server this terminal is paired with now answers at another address (same server, same
   *  pairing): stop, remember the new address; the caller starts again. */
  async moveServer(serverUrl: string): Promise<void> {
    await this.stop();
    this.meta.setMeta('server_url', serverUrl.replace(/\/+$/, ''));
    this.emitStatus();
  }

  get serverUrl(): string | null {
    return this.meta.getMeta('server_url');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    // Cleared, or a later start() could never schedule a reconnect again.
    this.reconnectTimer = null;
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
    this.stopHeartbeat();
    this.ws?.terminate();
    this.ws = null;
    await Promise.allSettled([this.pulling, this.pushing]);
    this.setOnline(false);
  }

  /** Pulls every change since the cache's last seq, page by page; concurrent calls coalesce. */
  pull(): Promise<void> {
    if (this.pulling) {
      this.pullAgain = true;
      return this.pulling;
    }
    this.pulling = (async () => {
      const bulk = this.lastSeq() === 0 && this.cache.beginBulkLoad();
      try {
        do {
          this.pullAgain = false;
          const fetchPage = (since: number) =>
            this.request('GET', `/v1/changes?since=${since}&limit=${this.pageSize}&with=${OPTIONAL_CHANGE_KINDS.join(',')}`, undefined, ChangesResponse);
          // The next page is requested while this one is written, so the server's query, the network
          // and SQLite overlap instead of taking turns.
          let pending = fetchPage(this.lastSeq());
          for (;;) {
            const page = await pending;
            if (page.reset) {
              // The events this terminal serves changed: keep only theirs and rebuild from the start (a
              // cut in the middle resumes from where the rebuild got, never from the old cursor).
              const keep = page.reset.eventIds;
              this.transaction(() => {
                this.cache.keepOnlyEvents(keep);
                this.meta.setMeta('last_seq', '0');
              });
              pending = fetchPage(0);
              continue;
            }
            if (page.more) {
              pending = fetchPage(page.next);
              pending.catch(() => undefined);
            }
            this.applyChanges(page.changes, page.next);
            if (page.terminal && adoptTerminalSettings(this.meta, page.terminal)) this.emit('terminal', page.terminal);
            if (page.changes.length) this.emit('changes', page.changes);
            if (!page.more) break;
          }
        } while (this.pullAgain);
        this.purgeIfDue(true);
        this.lastSyncAt = this.clock.now().toISOString();
        this.lastPullAt = Date.now();
      } finally {
        if (bulk) this.cache.endBulkLoad();
        this.emitStatus();
      }
    })().finally(() => {
      this.pulling = null;
    });
    return this.pulling;
  }

  /** Pushes the outbox in batches; every record gets an answer and leaves the outbox only then. */
  push(): Promise<void> {
    if (this.pushing) return this.pushing;
    this.pushing = (async () => {
      try {
        for (;;) {
          const batch = this.outbox.batch(500);
          if (batch.length === 0) break;
          // A row that is no longer a record is answered here as the server would: invalid, kept aside.
          const unreadable = batch.flatMap((b) => (b.record === null ? [{ id: b.id, status: 'invalid' as const, detail: b.problem }] : []));
          if (unreadable.length > 0) this.outbox.settle(unreadable, this.settled);
          const records = batch.flatMap((b) => (b.record === null ? [] : [b.record]));
          if (records.length === 0) continue;
          const res = await this.request('POST', '/v1/push', { records }, PushResponse);
          this.outbox.settle(res.results, this.settled);
        }
      } finally {
        this.emitStatus();
      }
    })().finally(() => {
      // Cleared in a later microtask, never before the assignment above (an empty outbox finishes
      // the body synchronously).
      this.pushing = null;
    });
    return this.pushing;
  }

  /** Claims an admission at the server over the open WebSocket, the answer matched by the request's
   *  id. Waits for it while the link is up, up to the bound; returns `offline` at once when the link is
   *  down or drops meanwhile (a closed socket, a missed heartbeat), and never throws. */
  claim(
    checkinId: string,
    ticketId: string,
    at: string,
    pointId: string | null = null,
    direction: Direction = 'entry',
  ): Promise<ClaimResult> {
    const ws = this.ws;
    if (!this.online || !ws || ws.readyState !== WebSocket.OPEN) return Promise.resolve({ outcome: 'offline', firstAt: null });
    return new Promise<ClaimResult>((resolve) => {
      const id = `c${++this.wsRequests}`;
      const settle = (r: ClaimResult) => {
        const pending = this.pendingClaims.get(id);
        if (!pending) return;
        clearTimeout(pending.timer);
        this.pendingClaims.delete(id);
        resolve(r);
      };
      const timer = setTimeout(() => settle({ outcome: 'timeout', firstAt: null }), this.claimBoundMs);
      this.pendingClaims.set(id, { sentAt: this.clock.localMs(), timer, settle });
      const message: WsTerminalMessage = { type: 'claim', id, claim: { checkinId, ticketId, at, pointId, direction } };
      ws.send(JSON.stringify(message), (err) => {
        if (err) settle({ outcome: 'offline', firstAt: null });
      });
    });
  }

  /** Fetches the secrets the server hands a paired terminal (the PIN key) into the secret store; on every
   *  connection, so a terminal paired before the pepper existed, or after a server moved, gets it. */
  async refreshSecrets(): Promise<void> {
    const res = await this.request('GET', '/v1/terminal-secrets', undefined, TerminalSecretsResponse);
    if (this.secrets.get('pin_key') !== res.pinKey) await this.secrets.set('pin_key', res.pinKey);
  }

  async createOrder(req: OrderRequest): Promise<z.infer<typeof OrderResponse>> {
    if (!this.paired) throw new AdmitError('not_paired');
    try {
      return await this.request('POST', '/v1/orders', req, OrderResponse);
    } catch (e) {
      if (e instanceof ServerError) {
        if (e.code === 'sold_out') throw new AdmitError('sold_out');
        if (e.code === 'unknown_ticket_type') throw new AdmitError('unknown_ticket_type');
        if (e.code === 'over_order_limit') throw new AdmitError('over_order_limit');
        // The server's refusals of a voucher or of attendee details are the terminal's codes too.
        if (SAME_CODES.has(e.code)) throw new AdmitError(e.code as ErrorCode, e.message);
        if (e.code === 'not_on_sale' || e.code === 'sale_ended' || e.code === 'ticket_type_inactive' || e.code === 'session_inactive' || e.code === 'channel_not_allowed')
          throw new AdmitError('not_on_sale', e.code);
        throw new AdmitError('server_rejected', e.code);
      }
      throw new AdmitError('offline', 'server unreachable');
    }
  }

  /** A voucher as the server sees it now, nothing redeemed (GET /v1/vouchers/:code). */
  async previewVoucher(code: string, eventId: string): Promise<VoucherPreview> {
    if (!this.paired) throw new AdmitError('not_paired');
    try {
      return await this.request('GET', `/v1/vouchers/${encodeURIComponent(code)}?eventId=${encodeURIComponent(eventId)}`, undefined, VoucherPreview);
    } catch (e) {
      if (e instanceof ServerError) throw new AdmitError('server_rejected', e.code);
      throw new AdmitError('offline', 'server unreachable');
    }
  }

  /** One authenticated POST for a feature that pushes its own records (the audit trail's chain). */
  post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    return this.request('POST', path, body, schema);
  }

  /** One authenticated request with extra headers (the admin module's session header). A RawBody is sent
   *  as its bytes; `timeoutMs` (the client's request timeout by default) bounds the whole exchange. */
  send<S extends z.ZodType>(
    method: HttpMethod,
    path: string,
    body: unknown,
    schema: S,
    headers: Record<string, string>,
    timeoutMs: number = this.requestTimeoutMs,
  ): Promise<z.infer<S>> {
    return this.request(method, path, body, schema, timeoutMs, headers);
  }

  /** One authenticated GET whose reply is read as bytes, at most `maxReplyBytes` (else
   *  ReplyTooLargeError); a refusal is a ServerError like any other request's. */
  async sendForBytes(path: string, headers: Record<string, string>, maxReplyBytes: number, timeoutMs: number = this.requestTimeoutMs): Promise<RawReply> {
    const base = this.meta.getMeta('server_url');
    const token = this.secrets.get('device_token');
    if (!base || !token) throw new AdmitError('not_paired');
    const res = await this.exchange(base, token, 'GET', path, undefined, timeoutMs, headers, maxReplyBytes);
    return { status: res.status, bytes: res.bytes, header: (name) => res.header(name) };
  }

  /** One request to the server. `timeoutMs` bounds the whole exchange, body included; a link that
   *  goes down meanwhile aborts it at once with LinkDownError. A reply that is not what the protocol
   *  says is a ServerError (`bad_reply`), never a half-read value. */
  private async request<S extends z.ZodType>(
    method: HttpMethod,
    path: string,
    body: unknown,
    schema: S,
    timeoutMs: number = this.requestTimeoutMs,
    extraHeaders: Record<string, string> = {},
  ): Promise<z.infer<S>> {
    const base = this.meta.getMeta('server_url');
    const token = this.secrets.get('device_token');
    if (!base || !token) throw new AdmitError('not_paired');
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.requestOnce(base, token, method, path, body, schema, timeoutMs, extraHeaders);
      } catch (e) {
        // The request id was far from the server's clock: the refusal taught the clock; once more.
        if (attempt === 0 && e instanceof ServerError && e.code === 'stale_request') continue;
        throw e;
      }
    }
  }

  private async requestOnce<S extends z.ZodType>(
    base: string,
    token: string,
    method: HttpMethod,
    path: string,
    body: unknown,
    schema: S,
    timeoutMs: number,
    extraHeaders: Record<string, string>,
  ): Promise<z.infer<S>> {
    const res = await this.exchange(base, token, method, path, body, timeoutMs, extraHeaders);
    let json: unknown;
    try {
      json = res.text === '' ? null : JSON.parse(res.text);
    } catch {
      throw new ServerError(res.status, 'bad_reply', `unreadable reply to ${method} ${path.split('?')[0]}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ServerError(res.status, 'bad_reply', `unexpected reply to ${method} ${path.split('?')[0]}`);
    return parsed.data as z.infer<S>;
  }

  /** One exchange with the server: a successful reply as read, or the refusal as a ServerError. */
  private async exchange(
    base: string,
    token: string,
    method: HttpMethod,
    path: string,
    body: unknown,
    timeoutMs: number,
    extraHeaders: Record<string, string>,
    maxReplyBytes?: number,
  ): Promise<HttpReply> {
    const headers: Record<string, string> = { ...extraHeaders, authorization: `Bearer ${token}` };
    // Every request that changes something carries a fresh id (the server refuses a replayed one).
    if (method !== 'GET') headers[REQUEST_ID_HEADER] = this.newId();
    if (body instanceof RawBody) headers['content-type'] = body.contentType;
    else if (body !== undefined) headers['content-type'] = 'application/json';
    const sentAt = this.clock.localMs();
    const linkDown = new AbortController();
    this.inFlight.add(linkDown);
    const signal = AbortSignal.any([linkDown.signal, AbortSignal.timeout(timeoutMs)]);
    try {
      let res: HttpReply;
      try {
        res = await this.http.request(base + path, {
          method,
          headers,
          ...(body instanceof RawBody ? { body: body.bytes } : body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal,
          ...(maxReplyBytes !== undefined ? { maxReplyBytes } : {}),
        });
        this.sampleHeader(sentAt, res.header(SERVER_TIME_HEADER));
      } catch (e) {
        if (linkDown.signal.aborted) throw new LinkDownError();
        // A slow answer says nothing about reachability (the heartbeat judges that); a refused or
        // reset connection does.
        // A reply cut off for its size says nothing about the link either.
        if (!(e instanceof DOMException && (e.name === 'TimeoutError' || e.name === 'AbortError')) && !(e instanceof ReplyTooLargeError)) this.lostConnection();
        throw e;
      }
      if (!res.ok) {
        let json: unknown;
        try {
          json = res.text === '' ? null : JSON.parse(res.text);
        } catch {
          throw new ServerError(res.status, 'internal', `unreadable reply to ${method} ${path.split('?')[0]}`);
        }
        const err = ApiError.safeParse(json);
        throw new ServerError(res.status, err.success ? err.data.error.code : 'internal', err.success ? err.data.error.detail : undefined, json);
      }
      return res;
    } finally {
      this.inFlight.delete(linkDown);
    }
  }

  private connect(): void {
    if (this.stopped) return;
    const base = this.meta.getMeta('server_url');
    const token = this.secrets.get('device_token');
    if (!base || !token) return;
    const openedAt = this.clock.localMs();
    const ws = new WebSocket(base.replace(/^http/, 'ws') + '/v1/ws', {
      headers: { authorization: `Bearer ${token}` },
      maxPayload: MAX_WS_MESSAGE_BYTES,
      // A connection attempt into a link that swallows bytes (half-open: nothing answers, nothing closes)
      // would otherwise wait forever and no other attempt would follow; past this it closes and the
      // next one is scheduled. Generous, so a slow server on a busy machine is waited for.
      handshakeTimeout: this.heartbeatMs * 3,
    });
    this.ws = ws;
    ws.on('open', () => {
      this.reconnectDelay = 250;
      this.startHeartbeat(ws);
      this.setOnline(true);
      this.pull().catch(() => undefined);
      this.push().catch(() => undefined);
      this.refreshSecrets().catch(() => undefined);
    });
    ws.on('message', (data) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(data));
      } catch {
        return;
      }
      const parsed = WsServerMessage.safeParse(raw);
      if (!parsed.success) return;
      // Whatever the server says proves the link is up, as a pong does.
      this.pongPending = false;
      this.onMessage(parsed.data, openedAt);
    });
    ws.on('error', () => undefined);
    ws.on('ping', () => {
      this.pongPending = false;
    });
    ws.on('pong', () => {
      this.pongPending = false;
    });
    ws.on('close', () => {
      if (this.ws === ws) this.ws = null;
      this.stopHeartbeat();
      this.pingSentAt.clear();
      // Claims out on this socket will never be answered: the link is down, the gate decides locally.
      for (const pending of [...this.pendingClaims.values()]) pending.settle({ outcome: 'offline', firstAt: null });
      this.setOnline(false);
      this.scheduleReconnect();
    });
  }

  private onMessage(msg: WsServerMessage, openedAt: number): void {
    const receivedAt = this.clock.localMs();
    switch (msg.type) {
      case 'poke':
        if (msg.seq > this.lastSeq()) this.pull().catch(() => undefined);
        return;
      case 'hello':
        // The round trip of the upgrade (connection, authentication) bounds this sample's error.
        this.clock.sample(openedAt, msg.serverTime, receivedAt);
        return;
      case 'pong': {
        this.pongPending = false;
        const sentAt = this.pingSentAt.get(msg.id);
        this.pingSentAt.delete(msg.id);
        if (sentAt !== undefined) this.clock.sample(sentAt, msg.serverTime, receivedAt);
        return;
      }
      case 'claimed':
      case 'error': {
        const pending = msg.id === null ? undefined : this.pendingClaims.get(msg.id);
        if (!pending) return;
        this.clock.sample(pending.sentAt, msg.serverTime, receivedAt);
        if (msg.type === 'claimed') pending.settle({ outcome: msg.result.status, firstAt: msg.result.firstAt, reason: msg.result.reason });
        else pending.settle({ outcome: 'error', firstAt: null });
        return;
      }
    }
  }

  /** The server's clock from an HTTP answer's header. */
  private sampleHeader(sentAt: number, header: string | null): void {
    if (header !== null && /^\d{1,15}$/.test(header)) this.clock.sample(sentAt, Number(header), this.clock.localMs());
  }

  private lostConnection(): void {
    this.ws?.terminate();
  }

  private startHeartbeat(ws: WebSocket): void {
    this.stopHeartbeat();
    this.pongPending = false;
    let lastBeat = performance.now();
    const beat = () => {
      if (this.ws !== ws) return; // a beat left over from a socket already closed
      // A beat that comes late means this process itself was stalled (a bulk load, a busy machine):
      // the answer may not have been read yet, so this beat judges nothing and asks again.
      const now = performance.now();
      const late = now - lastBeat > this.heartbeatMs * 1.5;
      lastBeat = now;
      // The previous ping is still unanswered after a whole period (and nothing else came from the
      // server meanwhile): the link is down, whatever the socket believes.
      if (this.pongPending && !late) {
        ws.terminate();
        return;
      }
      this.pongPending = true;
      ws.ping();
      // The same beat asks for the server's clock; either answer proves the link is up.
      const id = `p${++this.wsRequests}`;
      this.pingSentAt.clear();
      this.pingSentAt.set(id, this.clock.localMs());
      const ping: WsTerminalMessage = { type: 'ping', id };
      ws.send(JSON.stringify(ping), () => undefined);
    };
    // Judged after this turn's I/O is read (setImmediate runs after the poll phase): when this process
    // itself was stalled past a beat, the answer waiting in the socket counts, and a busy terminal does
    // not mistake its own stall for a dead link.
    this.heartbeat = setInterval(() => setImmediate(beat), this.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, 5000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    if (!online) {
      for (const c of this.inFlight) c.abort();
      // Idle kept-alive connections may sit on the same dead link: the next request opens a new one.
      this.http.reset();
    }
    this.emitStatus();
  }

  emitStatus(): void {
    this.emit('status', this.status());
  }
}
