// Owns what the organizer set for this terminal at the server (its name, the check-in point it should
// serve), as it arrives with every pull (ChangesResponse.terminal): kept in meta, where the sync status
// (name) and the gate (ASSIGNED_POINT_KEY, the point it serves by default) read it.
import type { ChangesResponse } from '../../../domain/wire';
import type { Meta } from '../db/meta';

/** The point the organizer assigned this terminal (absent: none). */
export const ASSIGNED_POINT_KEY = 'assigned_point_id';
/** The point chosen at this terminal (gate.setPoint); it wins over the assignment until the organizer
 *  assigns another point. */
export const CHOSEN_POINT_KEY = 'point_id';

/** Takes the organizer's settings in; returns whether anything changed. A newly assigned point replaces
 *  the point chosen at the terminal, so the organizer's assignment is what the gate serves from now on. */
export function adoptTerminalSettings(meta: Meta, settings: NonNullable<ChangesResponse['terminal']>): boolean {
  let changed = false;
  if (settings.name && meta.getMeta('device_name') !== settings.name) {
    meta.setMeta('device_name', settings.name);
    changed = true;
  }
  if (meta.getMeta(ASSIGNED_POINT_KEY) !== settings.pointId) {
    meta.setMeta(ASSIGNED_POINT_KEY, settings.pointId);
    if (settings.pointId !== null) meta.setMeta(CHOSEN_POINT_KEY, null);
    changed = true;
  }
  return changed;
}
