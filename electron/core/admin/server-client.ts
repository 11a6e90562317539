// Owns this terminal's admin sessions at the server: one per UI whose operator is an admin, opened with the
// PIN they signed in with (sent once, never kept) while the server is reachable, its token held in memory
// only — never on disk, never in a log line — and closed when they sign out or are signed out for being
// idle. `request` is the one way admin calls reach the server: the device's token and the session header
// through sync's HTTP client, every reply parsed with the call's own schema, every failure mapped to a
// contract error code. A session that ended is not opened again behind the operator's back.
import type { z } from 'zod';
import { AdmitError, type AdminSessionProblem, type AdminStatus, type Session } from '../../contract';
import type { Logger } from '../dispatcher';
import { type HttpMethod, LinkDownError, ServerError, type SyncClient } from '../sync/client';
import { ADMIN_SESSION_HEADER, CloseAdminSessionResponse, OpenAdminSessionResponse } from '../../../domain/admin-session';

type Entry =
  | { state: 'opening'; opened: Promise<void> }
  | { state: 'open'; token: string; expiresAt: string }
  | { state: 'closed'; problem: AdminSessionProblem };

type Link = Pick<SyncClient, 'send' | 'isOnline' | 'paired'>;

export class AdminServerClient {
  private readonly byUi = new Map<string, Entry>();

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
    if (entry?.state === 'open') this.closeAtServer(entry.token);
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
  async request<S extends z.ZodType>(sessionId: string, method: HttpMethod, path: string, body: unknown, responseSchema: S): Promise<z.infer<S>> {
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
    try {
      return await this.link.send(method, path, body, responseSchema, { [ADMIN_SESSION_HEADER]: entry.token });
    } catch (e) {
      throw this.mapError(sessionId, entry, e);
    }
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
    if (e.status === 400) return new AdmitError('invalid_input', e.message);
    if (e.status >= 500) return new AdmitError('offline', e.code);
    return new AdmitError('server_rejected', e.code);
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
