// Owns the gate feature: the gate slice of the contract (scan, recent verdicts, search and admit, annul,
// the check-in point) over the gate's flow (gate.ts) and its tables (checkins.ts). Hardware scans, ID
// reads and passage reports reach the same flow through core.ts's wiring.
import type { CheckInPoint, GateCall } from '../../contract';
import type { CheckInPointRow } from '../../../domain/wire';
import type { Meta } from '../db/meta';
import type { CoreModule } from '../dispatcher';
import type { CacheReader } from '../sync/cache';
import type { CheckinStore } from './checkins';
import { Gate, type GateHooks, type GateSync } from './gate';

export type GateDeps = { cache: CacheReader; checkins: CheckinStore; meta: Meta; sync: GateSync; hooks: GateHooks };

const shown = (p: CheckInPointRow): CheckInPoint => ({ id: p.id, name: p.name, direction: p.direction, reentry: p.reentry, zone: p.zone });

export function gateModule(deps: GateDeps): CoreModule<GateCall> & { gate: Gate } {
  const gate = new Gate(deps.cache, deps.checkins, deps.meta, deps.sync, deps.hooks);
  return {
    name: 'gate',
    gate,
    handlers: {
      'gate.scan': ({ code }, ctx) => gate.scan(code, ctx.session?.operatorId ?? null),
      'gate.recent': ({ limit }) => gate.recent(limit),
      'gate.search': ({ query }) => gate.search(query),
      'gate.admitTicket': ({ ticketId }, ctx) => gate.admitTicket(ticketId, ctx.session?.operatorId ?? null),
      'gate.annul': ({ checkinId }) => gate.annul(checkinId, 'operator'),
      // Only the points this terminal and the signed-in operator may serve are listed and accepted.
      'gate.points': (_input, ctx) => {
        const operatorId = ctx.session?.operatorId ?? null;
        return { points: gate.points(operatorId).map(shown), current: gate.currentPoint(operatorId).row?.id ?? null };
      },
      'gate.setPoint': ({ pointId }, ctx) => shown(gate.setPoint(pointId, ctx.session?.operatorId ?? null)),
    },
  };
}
