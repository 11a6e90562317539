// Owns this box office's seat leases (leases, leased_tickets, offline_sales): the seats the server
// leased it per ticket type, with their tickets minted and signed there (this terminal holds public
// keys only), drawn by sales made on a lease — offline, or once open stock ran out — in one SQLite
// transaction, so no seat is ever sold twice; and the keeping of them while the server is reachable, in
// this order: sales made on a lease are uploaded (same order id every time: the server answers the order
// it made), leases that are ending or no longer needed are returned (only once every sale that drew on
// them is uploaded, so the server never revokes a sold code), and each ticket type on sale is topped up
// to the configured size when it falls below the low-water mark. A lease asked for whose answer was lost
// is asked again under the same id (the server answers the lease it granted).
import type Database from 'better-sqlite3';
import { saleWindowState } from '../../../domain/catalog';
import {
  ActiveLeasesResponse,
  type LeaseRequest,
  LeaseResponse,
  LeaseReturnResponse,
  OrderRequest,
  type OrderResponse,
  type TicketRow,
} from '../../../domain/wire';
import type { z } from 'zod';
import { AdmitError } from '../../contract';
import type { Logger } from '../dispatcher';
import type { Transaction } from '../db/meta';
import type { CacheReader } from '../sync/cache';
import { ServerError, type SyncClient } from '../sync/client';

export type LeaseOptions = {
  /** Seats to hold per ticket type on sale (0: this box office sells nothing offline). */
  size: number;
  /** Topped up when fewer free seats than this are left (default: half the size). */
  lowWater?: number;
  /** How long the terminal sells on one lease, in seconds (default 8 h). */
  durationS?: number;
  /** A lease is returned (and replaced) when less than this is left of it, in seconds (default 15 min). */
  renewBeforeS?: number;
  /** How often the leases are kept while nothing else asks (default 30 s). */
  everyMs?: number;
};

export type LeasedSeat = {
  id: string;
  leaseId: string;
  ticketTypeId: string;
  code: string;
  rotatingSecret: string | null;
  validFrom: string | null;
  validTo: string | null;
};
export type OfflineSale = {
  orderId: string;
  request: OrderRequest;
  state: 'pending' | 'uploaded' | 'refused';
  error: string | null;
  createdAt: string;
  uploadedAt: string | null;
};
export type LocalLease = {
  id: string;
  eventId: string;
  ticketTypeId: string;
  size: number;
  endsAt: string | null;
  state: 'requested' | 'active' | 'returning' | 'returned';
  createdAt: string;
};

/** The lease tables, on the terminal's one connection. */
export class LeaseStore {
  readonly #st;
  readonly #sql: Database.Database;

  constructor(sql: Database.Database) {
    this.#sql = sql;
    this.#st = {
      request: sql.prepare(
        `insert into leases(id, event_id, ticket_type_id, size, ends_at, state, created_at) values (@id, @eventId, @ticketTypeId, @size, null, 'requested', @now)`,
      ),
      granted: sql.prepare<[number, string, string]>(
        `update leases set size = ?, ends_at = ?, state = 'active' where id = ? and state = 'requested'`,
      ),
      seat: sql.prepare(
        `insert into leased_tickets(id, lease_id, ticket_type_id, code, rotating_secret, valid_from, valid_to, state)
         values (@id, @leaseId, @ticketTypeId, @code, @rotatingSecret, @validFrom, @validTo, 'free') on conflict(id) do nothing`,
      ),
      byState: sql.prepare<[string], LeaseRow>(`select ${LEASE_COLS} from leases where state = ? order by created_at, id`),
      get: sql.prepare<[string], LeaseRow>(`select ${LEASE_COLS} from leases where id = ?`),
      forget: sql.prepare<[string]>(`delete from leases where id = ? and state = 'requested'`),
      free: sql.prepare<[string, string], { n: number }>(
        `select count(*) as n from leased_tickets t join leases l on l.id = t.lease_id
         where t.ticket_type_id = ? and t.state = 'free' and l.state = 'active' and l.ends_at > ?`,
      ),
      // Seats of the leases that end first go first.
      draw: sql.prepare<[string, string, number], SeatRow>(
        `select t.id, t.lease_id as leaseId, t.ticket_type_id as ticketTypeId, t.code, t.rotating_secret as rotatingSecret,
                t.valid_from as validFrom, t.valid_to as validTo
         from leased_tickets t join leases l on l.id = t.lease_id
         where t.ticket_type_id = ? and t.state = 'free' and l.state = 'active' and l.ends_at > ?
         order by l.ends_at, t.id limit ?`,
      ),
      sell: sql.prepare<[string, string]>(
        `update leased_tickets set state = 'sold', order_id = ? where id = ? and state = 'free'`,
      ),
      returning: sql.prepare<[string]>(`update leases set state = 'returning' where id = ? and state = 'active'`),
      returned: sql.prepare<[string]>(`update leases set state = 'returned' where id = ? and state in ('active', 'returning')`),
      seatsReturned: sql.prepare<[string]>(`update leased_tickets set state = 'returned' where lease_id = ? and state = 'free'`),
      awaitingUpload: sql.prepare<[string], { n: number }>(
        `select count(*) as n from leased_tickets t join offline_sales s on s.order_id = t.order_id where t.lease_id = ? and s.state = 'pending'`,
      ),
      addSale: sql.prepare(
        `insert into offline_sales(order_id, request, state, created_at) values (@orderId, @request, 'pending', @now)`,
      ),
      pendingSales: sql.prepare<[], SaleRow>(
        `select ${SALE_COLS} from offline_sales where state = 'pending' order by created_at, order_id`,
      ),
      sales: sql.prepare<[], SaleRow>(`select ${SALE_COLS} from offline_sales order by created_at, order_id`),
      pendingCount: sql.prepare<[], { n: number }>(`select count(*) as n from offline_sales where state = 'pending'`),
      uploaded: sql.prepare<[string, string]>(
        `update offline_sales set state = 'uploaded', uploaded_at = ? where order_id = ? and state = 'pending'`,
      ),
      refused: sql.prepare<[string, string, string]>(
        `update offline_sales set state = 'refused', error = ?, uploaded_at = ? where order_id = ? and state = 'pending'`,
      ),
      seats: sql.prepare<[string], SeatRow & { state: string }>(
        `select id, lease_id as leaseId, ticket_type_id as ticketTypeId, code, rotating_secret as rotatingSecret, valid_from as validFrom, valid_to as validTo, state
         from leased_tickets where lease_id = ? order by id`,
      ),
    };
  }

  request(lease: { id: string; eventId: string; ticketTypeId: string; size: number }, now: string): void {
    this.#st.request.run({ ...lease, now });
  }

  /** The server's answer kept: the lease active with its seats, in one transaction. */
  granted(res: LeaseResponse): void {
    this.#sql.transaction(() => {
      this.#st.granted.run(res.lease.size, res.lease.endsAt, res.lease.id);
      for (const t of res.tickets) this.#st.seat.run({ ...t, leaseId: res.lease.id });
    })();
  }

  /** A lease the server refused to grant (nothing was leased): forgotten. */
  forget(id: string): void {
    this.#st.forget.run(id);
  }

  leases(state: LocalLease['state']): LocalLease[] {
    return this.#st.byState.all(state);
  }

  get(id: string): LocalLease | undefined {
    return this.#st.get.get(id);
  }

  /** Seats of the type this terminal may still sell on a lease at `now` (server time, ISO). */
  free(ticketTypeId: string, now: string): number {
    return this.#st.free.get(ticketTypeId, now)!.n;
  }

  /** Takes `quantity` free seats of the type for the order, or none and null when fewer are left. Call
   *  inside the transaction that records the sale, so the draw and the sale stand or fall together. */
  draw(ticketTypeId: string, quantity: number, orderId: string, now: string): LeasedSeat[] | null {
    const seats = this.#st.draw.all(ticketTypeId, now, quantity);
    if (seats.length < quantity) return null;
    for (const s of seats)
      if (this.#st.sell.run(orderId, s.id).changes !== 1) throw new Error(`leased seat ${s.id} was drawn twice`);
    return seats;
  }

  addSale(request: OrderRequest, now: string): void {
    this.#st.addSale.run({ orderId: request.orderId, request: JSON.stringify(OrderRequest.parse(request)), now });
  }

  pendingSales(): OfflineSale[] {
    return this.#st.pendingSales.all().map(readSale);
  }

  /** How many sales on a lease wait to upload (the header counts them with the outbox). */
  pendingCount(): number {
    return this.#st.pendingCount.get()!.n;
  }

  sales(): OfflineSale[] {
    return this.#st.sales.all().map(readSale);
  }

  uploaded(orderId: string, now: string): void {
    this.#st.uploaded.run(now, orderId);
  }

  refused(orderId: string, error: string, now: string): void {
    this.#st.refused.run(error, now, orderId);
  }

  /** No more sales on the lease: its return is under way. */
  returning(id: string): void {
    this.#st.returning.run(id);
  }

  /** Sales on the lease not uploaded yet (the lease is returned only once there are none). */
  awaitingUpload(id: string): number {
    return this.#st.awaitingUpload.get(id)!.n;
  }

  returned(id: string): void {
    this.#sql.transaction(() => {
      this.#st.returned.run(id);
      this.#st.seatsReturned.run(id);
    })();
  }

  seats(leaseId: string): (LeasedSeat & { state: string })[] {
    return this.#st.seats.all(leaseId);
  }
}

const LEASE_COLS = `id, event_id as eventId, ticket_type_id as ticketTypeId, size, ends_at as endsAt, state, created_at as createdAt`;
const SALE_COLS = `order_id as orderId, request, state, error, created_at as createdAt, uploaded_at as uploadedAt`;
type LeaseRow = LocalLease;
type SeatRow = LeasedSeat;
type SaleRow = Omit<OfflineSale, 'request'> & { request: string };
const readSale = (r: SaleRow): OfflineSale => ({ ...r, request: OrderRequest.parse(JSON.parse(r.request)) });

/** What the lease keeper needs of sync. */
export type LeaseServer = Pick<SyncClient, 'isOnline' | 'post' | 'send' | 'createOrder' | 'applyChanges' | 'newId' | 'emitStatus'> & {
  clock: { now(): Date };
};

export type LeaseKeeperDeps = {
  store: LeaseStore;
  server: LeaseServer;
  cache: Pick<CacheReader, 'catalog'>;
  transaction: Transaction;
  log: Logger;
  options: LeaseOptions;
};

/** The server's tickets of an uploaded sale, kept in the cache (they replace what the sale put there). */
const ticketChanges = (rows: readonly z.infer<typeof TicketRow>[]) =>
  rows.map((row) => ({ seq: 0, kind: 'ticket' as const, row }));

/** Refusals after which an upload will never succeed (the server made no order): anything but offline. */
const uploadRefused = (e: unknown): e is AdmitError => e instanceof AdmitError && e.code !== 'offline';

export class LeaseKeeper {
  readonly #deps: LeaseKeeperDeps;
  #running: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  /** The box office closed (returnAll): no more top-ups until it opens again. */
  #shut = false;

  constructor(deps: LeaseKeeperDeps) {
    this.#deps = deps;
  }

  get enabled(): boolean {
    return this.#deps.options.size > 0;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.keep(), this.#deps.options.everyMs ?? 30_000);
    this.#timer.unref();
  }

  /** Keeps the leases once more (uploads, returns, top-ups) while the server is reachable; calls that
   *  come while it runs make it run once more after, and all wait for that. */
  keep(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        try {
          await this.#keepOnce({ returnAll: false });
        } catch (e) {
          this.#deps.log.warn('seat leases could not be kept', { error: e instanceof AdmitError ? e.code : String(e) });
        }
      } while (this.#again && !this.#closed);
    })().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** The box office closes: every sale on a lease is uploaded and every lease returned, while the
   *  server is reachable. Answers whether nothing is left to upload or return. */
  async returnAll(): Promise<boolean> {
    this.#shut = true;
    while (this.#running) await this.#running;
    const { store } = this.#deps;
    for (const l of store.leases('active')) store.returning(l.id);
    await this.#keepOnce({ returnAll: true });
    return (
      store.pendingSales().length === 0 &&
      store.leases('active').length + store.leases('returning').length + store.leases('requested').length === 0
    );
  }

  /** The box office opens again: leases are taken as configured. */
  open(): Promise<void> {
    this.#shut = false;
    return this.keep();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    while (this.#running) await this.#running;
  }

  async #keepOnce(mode: { returnAll: boolean }): Promise<void> {
    if (!this.#deps.server.isOnline) return;
    await this.#askAgain();
    await this.#upload();
    await this.#returnDue(mode.returnAll);
    if (!mode.returnAll && this.enabled && !this.#closed && !this.#shut) await this.#topUp();
  }

  /** Leases asked for whose answer never came: asked again under the same id. */
  async #askAgain(): Promise<void> {
    for (const l of this.#deps.store.leases('requested')) await this.#ask(l);
  }

  async #ask(l: LocalLease): Promise<void> {
    const body: LeaseRequest = {
      leaseId: l.id,
      eventId: l.eventId,
      ticketTypeId: l.ticketTypeId,
      quantity: l.size,
      durationS: this.#deps.options.durationS ?? 8 * 3600,
    };
    try {
      this.#deps.store.granted(await this.#deps.server.post('/v1/leases', body, LeaseResponse));
    } catch (e) {
      // Refused (sold out, not on sale): nothing was leased under this id.
      if (e instanceof ServerError && e.status < 500) this.#deps.store.forget(l.id);
      else throw e;
    }
  }

  /** Sales made on a lease, oldest first; stops at the first that finds the link down. */
  async #upload(): Promise<void> {
    const { store, server, transaction } = this.#deps;
    for (const sale of store.pendingSales()) {
      let res: OrderResponse;
      try {
        res = await server.createOrder(sale.request);
      } catch (e) {
        if (!uploadRefused(e)) throw e;
        // The server will never take it (its seats were reclaimed after the grace): kept for support.
        store.refused(sale.orderId, e.message === e.code ? e.code : `${e.code}: ${e.message}`, new Date().toISOString());
        this.#deps.log.error('a sale made on a lease was refused by the server', { orderId: sale.orderId, error: e.code });
        server.emitStatus();
        continue;
      }
      transaction(() => {
        server.applyChanges(ticketChanges(res.tickets), 0);
        store.uploaded(sale.orderId, new Date().toISOString());
      });
      // One less waiting to upload, as the header counts.
      server.emitStatus();
    }
  }

  /** Returns the leases being returned, and those ending soon or of types no longer on sale here. */
  async #returnDue(all: boolean): Promise<void> {
    const { store, server } = this.#deps;
    const now = server.clock.now();
    const soon = new Date(now.getTime() + this.#renewBeforeS() * 1000).toISOString();
    const onSale = new Set(this.#typesOnSale(now));
    for (const l of store.leases('active')) {
      if (all || this.#shut || !this.enabled || l.endsAt === null || l.endsAt <= soon || !onSale.has(l.ticketTypeId))
        store.returning(l.id);
    }
    for (const l of store.leases('returning')) {
      if (store.awaitingUpload(l.id) > 0) continue;
      await server.post(`/v1/leases/${l.id}/return`, {}, LeaseReturnResponse);
      store.returned(l.id);
    }
  }

  /** Each ticket type on sale at the box office topped up to the lease size when below the low-water mark. */
  async #topUp(): Promise<void> {
    const { store, server, cache } = this.#deps;
    const { size } = this.#deps.options;
    const lowWater = this.#deps.options.lowWater ?? Math.ceil(size / 2);
    const now = server.clock.now();
    const { event } = cache.catalog();
    if (!event) return;
    const soon = new Date(now.getTime() + this.#renewBeforeS() * 1000).toISOString();
    for (const typeId of this.#typesOnSale(now)) {
      const free = store.free(typeId, soon);
      if (free >= lowWater) continue;
      const lease = { id: server.newId(), eventId: event.id, ticketTypeId: typeId, size: size - free };
      store.request(lease, now.toISOString());
      await this.#ask(store.get(lease.id)!);
    }
  }

  /** At most half a lease's duration: a lease is never due for return as soon as it is granted. */
  #renewBeforeS(): number {
    return Math.min(this.#deps.options.renewBeforeS ?? 900, (this.#deps.options.durationS ?? 8 * 3600) / 2);
  }

  #typesOnSale(now: Date): string[] {
    return this.#deps.cache
      .catalog()
      .types.filter(
        (t) =>
          t.active !== false &&
          t.sessionActive !== false &&
          (t.channels ?? ['box_office']).includes('box_office') &&
          saleWindowState({ saleStartsAt: t.saleStartsAt ?? null, saleEndsAt: t.saleEndsAt ?? null }, now) === 'open',
      )
      .map((t) => t.id);
  }

  /** The server's view of this device's open leases (support and tests). */
  async serverLeases(): Promise<z.infer<typeof ActiveLeasesResponse>['leases']> {
    return (await this.#deps.server.send('GET', '/v1/leases', undefined, ActiveLeasesResponse, {})).leases;
  }
}
