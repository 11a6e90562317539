// Owns which contract calls the audit trail records and what each entry says: one line per call of the
// contract, so a call added without saying whether it is audited is a compile error. A call that changes
// something is recorded once it ran (done or refused with an error code) or was refused for the
// operator's role; reads, scans (kept as scans and check-ins) and sign-in (recorded by sessions) are not.
import type { z } from 'zod';
import type { AuditAction, AuditDetail } from '../../../domain/audit';
import type { CallName, CallOutput, Calls } from '../../contract';

export type Described = { action: AuditAction; subject: string | null; detail: AuditDetail };
type Describe<K extends CallName> = (input: z.output<Calls[K]['input']>, output: CallOutput<K> | null) => Described;

/** Texts in an entry stay short; a longer one is cut, never refused (the action happened). */
const short = (s: string): string => s.slice(0, 200);
/** What a call answered, when it answered: a refused call's entry has only its result. */
const when = <T>(output: T | null, detail: (o: T) => AuditDetail): AuditDetail => (output === null ? {} : detail(output));

export const AUDITED_CALLS: { [K in CallName]: Describe<K> | null } = {
  'app.info': null,
  // Admin mode: the server records each change in its own trail too, with this terminal and operator.
  'admin.status': null,
  'admin.operators.list': null,
  'admin.operators.create': (input, created) => ({
    action: 'operators_created',
    subject: created?.id ?? null,
    detail: { count: 1, role: input.role },
  }),
  'admin.operators.update': ({ operatorId, ...patch }, changed) => ({
    action: 'operator_updated',
    subject: operatorId,
    detail: { fields: Object.keys(patch).sort().join(','), ...(changed ? { role: changed.role, active: changed.active } : {}) },
  }),
  // Sign-in, sign-out and idle sign-out are recorded by the sessions feature, with the operator.
  'session.operators': null,
  'session.login': null,
  'session.logout': null,
  'session.current': null,
  'session.lockouts': null,
  // Who cleared (the entry's operator) whose lockout (the subject), and what it was.
  'session.clearLockout': (input, cleared) => ({
    action: 'lockout_cleared',
    subject: input.operatorId,
    detail: when(cleared, (c) => ({ failures: c.failures, locked: c.locked, role: c.role })),
  }),
  'terminal.pair': (input, status) => ({
    action: 'pairing',
    subject: status?.terminalName ?? short(input.terminalName),
    detail: { server: short(input.serverUrl) },
  }),
  'sync.status': null,
  'sync.now': null,
  'boxOffice.catalog': null,
  'boxOffice.sell': (input, sold) => ({
    action: 'sale',
    subject: sold?.order.id ?? null,
    detail: {
      tickets: input.lines.reduce((n, l) => n + l.quantity, 0),
      payment: input.payment.method,
      ...(sold
        ? { orderCode: sold.order.code, totalMinor: sold.order.totalMinor, currency: sold.order.currency, print: sold.print.state }
        : {}),
    },
  }),
  'boxOffice.attention': null,
  'boxOffice.acknowledge': (input, done) => ({
    action: 'sale_acknowledged',
    subject: input.orderId,
    detail: when(done, (d) => ({ state: d.state, totalMinor: d.totalMinor, currency: d.currency })),
  }),
  'gate.scan': null,
  'gate.recent': null,
  'gate.search': null,
  'gate.admitTicket': (input, verdict) => ({
    action: 'manual_admission',
    subject: input.ticketId,
    detail: when(verdict, (v) => ({ admitted: v.admitted, reason: v.reason, checkinId: v.checkinId, confirmation: v.confirmation })),
  }),
  'gate.annul': (input) => ({ action: 'annulment', subject: input.checkinId, detail: { reason: 'operator' } }),
  'gate.points': null,
  'gate.setPoint': (input, point) => ({
    action: 'point_change',
    subject: input.pointId,
    detail: when(point, (p) => ({ direction: p.direction, zone: p.zone })),
  }),
  'devices.list': null,
  'devices.openAll': (_input, state) => ({ action: 'open_all', subject: null, detail: when(state, (s) => ({ failed: s.failed.length })) }),
  'devices.release': (_input, state) => ({ action: 'release', subject: null, detail: when(state, (s) => ({ failed: s.failed.length })) }),
  'audit.list': null,
  'forms.get': null,
  'admin.forms.catalog': null,
  'admin.forms.get': null,
  'admin.forms.save': (input, outcome) => ({
    action: 'form_saved',
    subject: input.ticketTypeId,
    detail: when(outcome, (o): AuditDetail =>
      o.outcome === 'saved' ? { outcome: 'saved', version: o.form.version, fields: o.form.fields.length } : { outcome: 'refused', problems: o.problems.length },
    ),
  }),
};
