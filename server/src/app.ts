// Owns assembling the central sync server: the Fastify instance with its error vocabulary (every failure
// is an ApiError), body limit, redacted request logging, the /v1 and /admin/v1 route scopes, the poke
// hub, and housekeeping timers. Nothing here knows which database driver is underneath.
import websocket from '@fastify/websocket';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { type ApiError, MAX_BODY_BYTES, REQUEST_MAX_AGE_MS, SERVER_TIME_HEADER } from '../../domain/wire';
import { type AdminApi, createAdminApi } from './adminApi';
import { loadOrCreateAdminToken } from './adminToken';
import { DEFAULT_KEY_FILE, type KeyEncryptionKey, type Keyring, loadOrCreateKeyFile, openKeyring } from './keyring';
import type { ServerContext } from './context';
import type { ServerDb, ServerDbHandle } from './db/client';
import { ApiFailure } from './errors';
import { safeError } from './logSafety';
import { MAX_SOCKETS_PER_DEVICE, PokeHub } from './pokes';
import { FailureLimiter, type FailureLimiterOptions, RateLimited } from './rateLimit';
import { adminRoutes } from './routes/admin';
import { adminSessionRoutes, adminStaffRoutes } from './routes/admin-sessions';
import { actorScope } from './admin/actor';
import { adminCatalogRoutes } from './routes/admin-catalog';
import { voucherAdminRoutes, voucherTerminalRoutes } from './routes/vouchers';
import { adminExportRoutes } from './routes/admin-export';
import { adminTerminalRoutes } from './routes/admin-terminals';
import { adminFormRoutes } from './routes/admin-forms';
import { badgeAdminRoutes, badgeTerminalRoutes } from './routes/badges';
import { kioskTerminalRoutes } from './routes/kiosk';
import { kioskAdminRoutes } from './routes/admin-kiosk';
import { adminImportRoutes } from './routes/admin-import';
import { terminalRoutes } from './routes/terminal';
import { deliveryRoutes } from './routes/deliveries';
import { DeliverySender, type DeliverySenderOptions } from './delivery/sender';
import { newAdminToken } from './secrets';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sweepPendingAnnulments } from './services/checkins';
import { serverId } from './services/devices';
import { DEFAULT_RECORD_TIMES, type RecordTimeLimits } from './services/recordTimes';
import { pruneSeenRequests } from './services/requestIds';
import { DEFAULT_LEASE_GRACE_S, reclaimExpiredLeases } from './services/leases';
import { DEFAULT_RETENTION_DAYS, purgePersonalData, readSettings } from './services/retention';

export interface CreateServerOptions {
  /** The drizzle database, or the handle from openServerDb (the caller still closes it). */
  db: ServerDb | ServerDbHandle;
  /** How long an import's commit request waits for its rows before answering 'committing' (ms;
   *  default COMMIT_REPLY_WITHIN_MS). */
  importReplyWithinMs?: number;
  /** Bearer token for /admin/v1. Without it: read or created (0600) in dataDir, else random per process. */
  adminToken?: string;
  dataDir?: string;
  /** The key the events' private keys and the PIN key are sealed under (main.ts reads it from the
   *  environment or a key file). Without it: <dataDir>/signing.key (made 0600 on first start), else one
   *  random key per process (embedded and test servers over a throwaway database). */
  keyEncryptionKey?: KeyEncryptionKey;
  /** Fastify logger options (true = info level). Request URLs are logged with tokens redacted. */
  logger?: boolean | Exclude<FastifyServerOptions['logger'], boolean | undefined>;
  /** Clock used for pairing expiry and request-id freshness (tests move it). */
  now?: () => Date;
  requestMaxAgeMs?: number;
  /** How old or far ahead of the clock a claimed or pushed record's time may be. */
  recordTimes?: Partial<RecordTimeLimits>;
  /** Sockets one device may hold open (default MAX_SOCKETS_PER_DEVICE). */
  maxSocketsPerDevice?: number;
  /** Delays after failed authentication and pairing attempts. */
  failureLimits?: Omit<FailureLimiterOptions, 'now'>;
  /** Days after an event's end its attendees' personal data is kept, unless the organizer set another
   *  retention (main.ts: ADMIT_PERSONAL_DATA_RETENTION_DAYS). */
  personalDataRetentionDays?: number;
  /** E-ticket delivery: retry delays and SMTP timeouts (delivery/sender.ts). */
  delivery?: DeliverySenderOptions;
  /** Seconds after a seat lease's end before its unsold seats are reclaimed (services/leases.ts). */
  leaseGraceS?: number;
}

export interface AdmitServer {
  app: FastifyInstance;
  /** The admin bearer token in force (never logged; main.ts tells where the file is). */
  adminToken: string;
  admin: AdminApi;
  /** Resolves once the key-encryption key has been checked against the database and its secrets are
   *  sealed; rejects with a KeyringError when the key is not the database's. listen() waits for it. */
  ready(): Promise<void>;
  /** The opened keyring, for in-process callers (the CLI, tests); never served over HTTP. */
  keyring(): Promise<Keyring>;
  listen(options?: { host?: string; port?: number }): Promise<{ url: string }>;
  close(): Promise<void>;
}

const PRUNE_EVERY_MS = 60_000;
/** One per process: embedded servers over the same throwaway database agree on it. */
const processKey = randomBytes(32);

/** `?token=…` (WebSocket upgrades) must never reach a log line. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}

function loggerOptions(logger: CreateServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const base = logger === true ? { level: 'info' } : logger;
  return {
    ...base,
    serializers: {
      // Database errors carry the statement's parameters: only their safe parts are logged.
      err: (err: Error) => ({ stack: '', ...safeError(err) }),
      req: (req: { method: string; url: string; ip?: string }) => ({
        method: req.method,
        url: redactUrl(req.url),
        remoteAddress: req.ip,
      }),
    },
  };
}

function errorReply(error: FastifyError | ApiFailure | Error): { status: number; body: ApiError } {
  if (error instanceof ApiFailure) return { status: error.status, body: error.body() };
  const status = (error as FastifyError).statusCode ?? 500;
  if (status === 413)
    return {
      status,
      body: { error: { code: 'payload_too_large', detail: `body larger than ${MAX_BODY_BYTES} bytes` } },
    };
  if (status === 404) return { status, body: { error: { code: 'not_found' } } };
  // Malformed JSON, wrong content type, empty JSON body …: all the client's fault, all "bad_request".
  if (status >= 400 && status < 500)
    return { status: 400, body: { error: { code: 'bad_request', detail: error.message } } };
  return { status: 500, body: { error: { code: 'internal' } } };
}

function isHandle(db: ServerDb | ServerDbHandle): db is ServerDbHandle {
  return 'driver' in db && 'close' in db && 'db' in db;
}

export function createServer(options: CreateServerOptions): AdmitServer {
  const db = isHandle(options.db) ? options.db.db : options.db;
  // An empty token would lock the organizer out silently; treat it as "not given".
  const adminToken =
    options.adminToken || (options.dataDir ? loadOrCreateAdminToken(options.dataDir) : newAdminToken());
  const kek =
    options.keyEncryptionKey ??
    (options.dataDir ? loadOrCreateKeyFile(join(options.dataDir, DEFAULT_KEY_FILE)) : { key: processKey, source: 'the per-process key of an embedded server' });
  const keyring = openKeyring(db, kek);
  keyring.catch(() => undefined); // reported by ready() and listen(), and by every use
  const app = Fastify({ logger: loggerOptions(options.logger), bodyLimit: MAX_BODY_BYTES });
  const now = options.now ?? (() => new Date());

  let serverIdPromise: Promise<string> | undefined;
  const ctx: ServerContext = {
    db,
    now,
    hub: new PokeHub(options.maxSocketsPerDevice ?? MAX_SOCKETS_PER_DEVICE),
    requestMaxAgeMs: options.requestMaxAgeMs ?? REQUEST_MAX_AGE_MS,
    adminToken,
    // Memoized, but a failed lookup (database briefly away) is retried on the next pairing.
    serverId: () =>
      (serverIdPromise ??= serverId(db).catch((err: unknown) => {
        serverIdPromise = undefined;
        throw err;
      })),
    lastSeenWrites: new Map(),
    keyring: () => keyring,
    failures: new FailureLimiter({ ...options.failureLimits, now }),
    recordTimes: { ...DEFAULT_RECORD_TIMES, ...options.recordTimes },
    personalDataRetentionDays: options.personalDataRetentionDays ?? DEFAULT_RETENTION_DAYS,
    leaseGraceS: options.leaseGraceS ?? DEFAULT_LEASE_GRACE_S,
  };
  const admin = createAdminApi(ctx, app.log);

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const { status, body } = errorReply(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    if (error instanceof RateLimited) void reply.header('retry-after', String(error.retryAfterS));
    void reply.code(status).send(body);
  });
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send({ error: { code: 'not_found' } } satisfies ApiError);
  });

  // Every answer tells the server's clock, so terminals use server time whatever their own clock says.
  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header(SERVER_TIME_HEADER, String(ctx.now().getTime()));
    return payload;
  });
  void app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  void app.register(terminalRoutes(ctx));
  void app.register(adminRoutes(ctx, admin));
  // The actor the admin guard found stays in scope for the handler, after the body is parsed.
  app.addHook('preHandler', actorScope);
  void app.register(adminSessionRoutes(ctx));
  void app.register(adminStaffRoutes(ctx));
  void app.register(adminCatalogRoutes(ctx));
  void app.register(voucherAdminRoutes(ctx));
  void app.register(voucherTerminalRoutes(ctx));
  void app.register(adminTerminalRoutes(ctx));
  void app.register(adminExportRoutes(ctx));
  void app.register(adminFormRoutes(ctx));
  void app.register(badgeAdminRoutes(ctx));
  void app.register(badgeTerminalRoutes(ctx));
  void app.register(kioskAdminRoutes(ctx));
  void app.register(kioskTerminalRoutes(ctx));
  void app.register(adminImportRoutes(ctx, options.importReplyWithinMs !== undefined ? { replyWithinMs: options.importReplyWithinMs } : {}));
  const deliverySender = new DeliverySender(ctx, app.log, options.delivery);
  void app.register(deliveryRoutes(ctx, deliverySender));
  // Deliveries a stopped server left queued or sending go out once the secrets are open.
  keyring.then(() => deliverySender.kick(), () => undefined);

  const prune = setInterval(() => {
    pruneSeenRequests(ctx.db, ctx.now(), ctx.requestMaxAgeMs).catch((err: unknown) =>
      app.log.warn({ err }, 'pruning seen request ids failed'),
    );
    sweepPendingAnnulments(ctx.db, ctx.now()).then(
      (seq) => ctx.hub.poke(seq),
      (err: unknown) => app.log.warn({ err }, 'applying pending annulments failed'),
    );
    ctx.failures.prune();
    reclaimExpiredLeases(ctx.db, ctx.now()).then(
      (reclaimed) => {
        if (reclaimed.leases === 0) return;
        ctx.hub.poke(reclaimed.seq);
        app.log.info({ leases: reclaimed.leases }, 'expired seat leases reclaimed');
      },
      (err: unknown) => app.log.warn({ err }, 'reclaiming expired seat leases failed'),
    );
    readSettings(ctx.db, ctx.personalDataRetentionDays)
      .then((settings) => purgePersonalData(ctx.db, ctx.now(), settings.personalDataRetentionDays))
      .then(
        (purged) => {
          if (purged.eventIds.length === 0) return;
          ctx.hub.poke(purged.seq);
          app.log.info({ events: purged.eventIds.length, tickets: purged.tickets }, 'attendees personal data erased');
        },
        (err: unknown) => app.log.warn({ err }, 'erasing expired personal data failed'),
      );
  }, PRUNE_EVERY_MS);
  prune.unref();

  let closed: Promise<void> | undefined;
  return {
    app,
    adminToken,
    admin,
    ready: async () => {
      await keyring;
    },
    keyring: () => keyring,
    async listen({ host = '127.0.0.1', port = 8787 } = {}) {
      await keyring;
      await app.listen({ host, port });
      const address = app.server.address();
      const boundPort = typeof address === 'object' && address ? address.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return { url: `http://${shownHost}:${boundPort}` };
    },
    close() {
      closed ??= (async () => {
        clearInterval(prune);
        await deliverySender.close();
        ctx.hub.close();
        await app.close();
      })();
      return closed;
    },
  };
}
