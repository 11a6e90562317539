// Owns this terminal's admin sessions at the server: one per UI whose operator is an admin, opened with the
// PIN they signed in with (sent once, never kept) while the server is reachable, its token held in memory
// only — never on disk, never in a log line — and closed when they sign out or are signed out for being
// idle. `request` is the one way admin calls reach the server: the device's token and the session header
// through sync's HTTP client, every reply parsed with the call's own schema, every failure mapped to a
// contract error code. A session that ended is not opened again behind the operator's back.
import type { z } from 'zod';
import { AdmitError, type AdminSessionProblem, type AdminStatus, type Session } from '../../contract';
import type { Logger } from '../dispatcher';
import { type HttpMethod, LinkDownError, type RawBody, type RawReply, ServerError, type SyncClient } from '../sync/client';
import { ReplyTooLargeError } from '../sync/http';
import { ADMIN_SESSION_HEADER, CloseAdminSessionResponse, OpenAdminSessionResponse } from '../../../domain/admin-session';

type Entry =
  | { state: 'opening'; opened: Promise<void> }
  | { state: 'open'; token: string; expiresAt: string }
  | { state: 'closed'; problem: AdminSessionProblem };

type Link = Pick<SyncClient, 'send' | 'sendForBytes' | 'isOnline' | 'paired'>;

/** A 400 refusal with the server's whole answer (an import's file or mapping problem names its code). */
export class AdminInputRefusal extends AdmitError {
  constructor(
    detail: string,
    readonly body: unknown,
  ) {
    super('invalid_input', detail);
  }
}

/** Any other refusal of the server (409 conflict, 422 with its problems), with its status and whole
 *  answer for a feature that reads more than its code; its code is server_rejected. */
export class AdminServerRefusal extends AdmitError {
  constructor(
    readonly serverCode: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super('server_rejected', serverCode);
  }
}

/** A download grew past the limit its call set: nothing of it is kept. */
export class DownloadTooLarge extends AdmitError {
  constructor(readonly limit: number) {
    super('invalid_input', `the file is larger than ${limit} bytes`);
  }
}

export class AdminServerClient {
  private readonly byUi = new Map<string, Entry>();
  private readonly signOutListeners = new Set<(sessionId: string) => void>();

  constructor(
    private readonly link: Link,
    private readonly log: Logger,
  ) {}

  /** An admin signed in on UI `sessionId` with `pin`: opens their server session in the background
   *  (admin.status waits for it). Any other operator: whatever this UI held is closed. */
  signedIn(sessionId: string, session: Session, pin: string): void {
    this.signedOut(sessionId);
    if (session.role !== 'admin') return;
    if (!this.link.paired) {
      this.byUi.set(sessionId, { state: 'closed', problem: 'not_paired' });
      return;
    }
    if (!this.link.isOnline) {
      this.byUi.set(sessionId, { state: 'closed', problem: 'offline' });
      return;
    }
    const opened = this.link
      .send('POST', '/v1/admin-sessions', { operatorId: session.operatorId, pin }, OpenAdminSessionResponse, {})
      .then(
        (r) => {
          if (this.byUi.get(sessionId) === entry) this.byUi.set(sessionId, { state: 'open', token: r.token, expiresAt: r.expiresAt });
          else this.closeAtServer(r.token); // signed out meanwhile
        },
        (e: unknown) => {
          const problem: AdminSessionProblem =
            e instanceof ServerError ? (e.code === 'operator_locked' ? 'locked' : e.status >= 500 ? 'offline' : 'refused') : 'offline';
          if (e instanceof ServerError) this.log.warn('admin session refused by the server', { code: e.code });
          if (this.byUi.get(sessionId) === entry) this.byUi.set(sessionId, { state: 'closed', problem });
        },
      );
    const entry: Entry = { state: 'opening', opened };
    this.byUi.set(sessionId, entry);
  }

  /** The operator of UI `sessionId` signed out (or was signed out): their server session ends. */
  signedOut(sessionId: string): void {
    const entry = this.byUi.get(sessionId);
    this.byUi.delete(sessionId);
    for (const listener of this.signOutListeners) listener(sessionId);
    if (entry?.state === 'open') this.closeAtServer(entry.token);
  }

  /** `listener` hears every sign-out (and every new sign-in) of a UI: what a feature keeps for that UI
   *  (an upload under way) goes with it. */
  onSignedOut(listener: (sessionId: string) => void): void {
    this.signOutListeners.add(listener);
  }

  async status(sessionId: string): Promise<AdminStatus> {
    const entry = this.byUi.get(sessionId);
    if (entry?.state === 'opening') await entry.opened;
    const now = this.byUi.get(sessionId);
    const online = this.link.isOnline;
    if (!now) return { state: 'closed', problem: 'ended', online, expiresAt: null };
    if (now.state === 'open') return { state: 'open', problem: null, online, expiresAt: now.expiresAt };
    if (now.state === 'opening') return { state: 'opening', problem: null, online, expiresAt: null };
    return { state: 'closed', problem: now.problem, online, expiresAt: null };
  }

  /**
   * One admin call to the server for UI `sessionId`, its reply parsed with `responseSchema`. Errors:
   * offline (no link), admin_session_ended (none open, or the server ended it: 401), forbidden (403),
   * not_found (404), invalid_input (400, the server's reason as detail), last_admin (409), or
   * server_rejected with the server's code.
   */
  async request<S extends z.ZodType>(
    sessionId: string,
    method: HttpMethod,
    path: string,
    body: unknown,
    responseSchema: S,
    timeoutMs?: number,
  ): Promise<z.infer<S>> {
    const entry = await this.openEntry(sessionId);
    try {
      return await this.link.send(method, path, body, responseSchema, { [ADMIN_SESSION_HEADER]: entry.token }, timeoutMs);
    } catch (e) {
      throw this.mapError(sessionId, entry, e);
    }
  }

  /** Like `request`, with a file as the raw body (POST), `headers` besides the session's, and
   *  `timeoutMs` for the whole exchange (a large file over a slow link). */
  async upload<S extends z.ZodType>(
    sessionId: string,
    path: string,
    body: RawBody,
    headers: Record<string, string>,
    responseSchema: S,
    timeoutMs: number,
  ): Promise<z.infer<S>> {
    const entry = await this.openEntry(sessionId);
    try {
      return await this.link.send('POST', path, body, responseSchema, { ...headers, [ADMIN_SESSION_HEADER]: entry.token }, timeoutMs);
    } catch (e) {
      throw this.mapError(sessionId, entry, e);
    }
  }

  /** One admin GET whose reply is a file, read as bytes: at most `maxBytes` (else DownloadTooLarge). */
  async download(sessionId: string, path: string, maxBytes: number, timeoutMs: number): Promise<RawReply> {
    const entry = await this.openEntry(sessionId);
    try {
      return await this.link.sendForBytes(path, { [ADMIN_SESSION_HEADER]: entry.token }, maxBytes, timeoutMs);
    } catch (e) {
      if (e instanceof ReplyTooLargeError) throw new DownloadTooLarge(e.limit);
      throw this.mapError(sessionId, entry, e);
    }
  }

  /** This UI's open session (waiting for one being opened), or the error that says why there is none. */
  private async openEntry(sessionId: string): Promise<Extract<Entry, { state: 'open' }>> {
    let entry = this.byUi.get(sessionId);
    if (entry?.state === 'opening') {
      await entry.opened;
      entry = this.byUi.get(sessionId);
    }
    if (!entry || entry.state !== 'open') {
      if (entry?.state === 'closed' && entry.problem === 'offline' && !this.link.isOnline) throw new AdmitError('offline', 'admin mode needs the server');
      throw new AdmitError('admin_session_ended', entry?.state === 'closed' ? entry.problem : 'ended');
    }
    if (!this.link.isOnline) throw new AdmitError('offline', 'admin mode needs the server');
    return entry;
  }

  private mapError(sessionId: string, entry: Entry, e: unknown): AdmitError {
    if (e instanceof AdmitError) return e.code === 'not_paired' ? e : new AdmitError('offline', e.code);
    if (e instanceof LinkDownError || !(e instanceof ServerError)) return new AdmitError('offline', 'admin mode needs the server');
    if (e.status === 401) {
      if (this.byUi.get(sessionId) === entry) this.byUi.set(sessionId, { state: 'closed', problem: 'ended' });
      return new AdmitError('admin_session_ended', e.code);
    }
    if (e.status === 403) {
      if (this.byUi.get(sessionId) === entry) this.byUi.set(sessionId, { state: 'closed', problem: 'ended' });
      return new AdmitError('forbidden', e.code);
    }
    if (e.status === 404) return new AdmitError('not_found', e.message);
    if (e.code === 'last_admin') return new AdmitError('last_admin');
    if (e.status === 400) return new AdminInputRefusal(e.message, e.body);
    if (e.status >= 500) return new AdmitError('offline', e.code);
    return new AdminServerRefusal(e.code, e.status, e.body);
  }

  private closeAtServer(token: string): void {
    if (!this.link.isOnline) return; // it ends at the server by itself when idle
    this.link.send('DELETE', '/v1/admin-sessions/current', undefined, CloseAdminSessionResponse, { [ADMIN_SESSION_HEADER]: token }).catch((e: unknown) => {
      this.log.warn('closing an admin session at the server failed', { code: e instanceof ServerError ? e.code : 'offline' });
    });
  }

  /** Every open session ends (the core stops). */
  close(): void {
    for (const id of [...this.byUi.keys()]) this.signedOut(id);
  }
}
