// Owns whether the badge desk is open on this terminal: a signed-in session whose latest call of the
// desk or the gate was the desk's. While it is open, a scanner's read and an ID card's read find the
// attendee for the desk instead of admitting at the gate; otherwise the gate has them as before.
export class DeskMode {
  readonly #last = new Map<string, 'desk' | 'gate'>();

  constructor(private readonly signedIn: (sessionId: string) => boolean) {}

  /** Every call passes here first: a desk or gate call says which screen the session is on. */
  noteCall(sessionId: string, name: unknown): void {
    if (typeof name !== 'string') return;
    if (name.startsWith('badgeDesk.')) this.#last.set(sessionId, 'desk');
    else if (name.startsWith('gate.')) this.#last.set(sessionId, 'gate');
    else if (name === 'session.logout') this.#last.delete(sessionId);
  }

  open(sessionId: string): void {
    this.#last.set(sessionId, 'desk');
  }

  get active(): boolean {
    for (const [sessionId, where] of this.#last) {
      if (!this.signedIn(sessionId)) this.#last.delete(sessionId);
      else if (where === 'desk') return true;
    }
    return false;
  }
}
