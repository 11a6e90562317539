// Owns how a page of server changes reaches the tables of the features that own them: one applier per
// change kind, all given to the sync client at start-up (a kind without an applier does not compile).
// Appliers run inside sync's transaction, on their owners' prepared statements.
import type { Change } from '../../../domain/wire';

export type ChangeKind = Change['kind'];
export type ChangeContext = { /** This terminal's device id: a check-in it made comes back as its own. */ ownDeviceId: string | null };
export type ChangeApplier<K extends ChangeKind> = (change: Extract<Change, { kind: K }>, ctx: ChangeContext) => void;
export type ChangeAppliers = { [K in ChangeKind]: ChangeApplier<K> };
