// Owns which screen each signed-in session is on, as far as scans care: the badge desk, the kiosk or the
// gate (its latest call of one of them). While the desk is open, a scanner's read and an ID card's read
// find the attendee for the desk instead of admitting at the gate; while the kiosk screen is open they
// identify the attendee standing at the kiosk; otherwise the gate has them as before.
type Screen = 'desk' | 'gate' | 'kiosk';

/** Kiosk calls made from the manager's alert list, not from a kiosk screen: they move no session there. */
const MANAGER_KIOSK_CALLS = new Set(['kiosk.alerts', 'kiosk.resolveAlert']);

export class DeskMode {
  /** Most recently used last (a session's entry moves to the end on every note). */
  readonly #last = new Map<string, Screen>();

  constructor(private readonly signedIn: (sessionId: string) => boolean) {}

  /** Every call passes here first: a desk, kiosk or gate call says which screen the session is on. */
  noteCall(sessionId: string, name: unknown): void {
    if (typeof name !== 'string') return;
    if (name.startsWith('badgeDesk.')) this.#note(sessionId, 'desk');
    else if (name.startsWith('kiosk.') && !MANAGER_KIOSK_CALLS.has(name)) this.#note(sessionId, 'kiosk');
    else if (name.startsWith('gate.')) this.#note(sessionId, 'gate');
    else if (name === 'session.logout') this.#last.delete(sessionId);
  }

  #note(sessionId: string, screen: Screen): void {
    this.#last.delete(sessionId);
    this.#last.set(sessionId, screen);
  }

  open(sessionId: string): void {
    this.#note(sessionId, 'desk');
  }

  openKiosk(sessionId: string): void {
    this.#note(sessionId, 'kiosk');
  }

  /** The session whose screen was used most recently among those on `screen`, signed in. */
  #latest(screen: Screen): string | null {
    let found: string | null = null;
    for (const [sessionId, where] of this.#last) {
      if (!this.signedIn(sessionId)) this.#last.delete(sessionId);
      else if (where === screen) found = sessionId;
    }
    return found;
  }

  get active(): boolean {
    return this.#latest('desk') !== null;
  }

  /** The kiosk session reads go to (null: no kiosk screen open). */
  kioskSession(): string | null {
    return this.#latest('kiosk');
  }
}
