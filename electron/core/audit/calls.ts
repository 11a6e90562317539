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
  // Admin mode's events: what changed, by name of field (never the values of names or addresses).
  'admin.events.list': null,
  'admin.events.get': null,
  'admin.events.create': (input, created) => ({
    action: 'event_created',
    subject: created?.id ?? null,
    detail: { currency: input.currency, types: input.ticketTypes.length },
  }),
  'admin.events.update': ({ eventId, ...patch }) => ({ action: 'event_updated', subject: eventId, detail: { fields: Object.keys(patch).sort().join(',') } }),
  'admin.sessions.create': (input, created) => ({ action: 'session_created', subject: created?.id ?? null, detail: { eventId: input.eventId } }),
  'admin.sessions.update': ({ sessionId, ...patch }) => ({ action: 'session_updated', subject: sessionId, detail: { fields: Object.keys(patch).sort().join(',') } }),
  'admin.ticketTypes.create': (input, created) => ({
    action: 'ticket_type_created',
    subject: created?.id ?? null,
    detail: { eventId: input.eventId, priceMinor: input.priceMinor, capacity: input.capacity },
  }),
  'admin.ticketTypes.update': ({ ticketTypeId, ...patch }) => ({
    action: 'ticket_type_updated',
    subject: ticketTypeId,
    detail: { fields: Object.keys(patch).sort().join(',') },
  }),
  'admin.quotas.create': (input, created) => ({
    action: 'quota_created',
    subject: created?.id ?? null,
    detail: { eventId: input.eventId, capacity: input.capacity, types: input.ticketTypeIds.length },
  }),
  'admin.quotas.update': ({ quotaId, ...patch }) => ({ action: 'quota_updated', subject: quotaId, detail: { fields: Object.keys(patch).sort().join(',') } }),
  'admin.terminals.list': null,
  'admin.terminals.update': ({ deviceId, ...patch }) => ({
    action: 'terminal_updated',
    subject: deviceId,
    detail: { ...(patch.name !== undefined ? { name: short(patch.name) } : {}), ...(patch.pointId !== undefined ? { pointId: patch.pointId } : {}) },
  }),
  'admin.terminals.setEvents': ({ deviceId, eventIds }) => ({ action: 'terminal_updated', subject: deviceId, detail: { events: eventIds.length } }),
  'admin.terminals.revoke': ({ deviceId }, revoked) => ({ action: 'device_revoked', subject: deviceId, detail: when(revoked, (d) => ({ name: short(d.name) })) }),
  // Never the code itself: whoever reads the trail could pair with it.
  'admin.terminals.pairingCode': (_input, created) => ({
    action: 'pairing_code_created',
    subject: null,
    detail: when(created, (c) => ({ expiresAt: c.expiresAt, events: c.eventIds.length })),
  }),
  'admin.points.events': null,
  'admin.points.list': null,
  'admin.points.create': ({ eventId }, created) => ({ action: 'point_created', subject: created?.id ?? null, detail: { eventId } }),
  'admin.points.update': ({ pointId, ...patch }) => ({ action: 'point_updated', subject: pointId, detail: { fields: Object.keys(patch).sort().join(',') } }),
  'admin.points.staff': null,
  'admin.points.setStaff': ({ pointId, operatorIds, deviceIds }) => ({
    action: 'point_staff_set',
    subject: pointId,
    detail: { operators: operatorIds.length, devices: deviceIds.length },
  }),
  // An event's kiosk settings: the values (no help-desk text, only whether there is one).
  'admin.kiosk.settings': null,
  'admin.kiosk.saveSettings': ({ eventId, helpDesk, ...s }) => ({
    action: 'kiosk_settings_saved',
    subject: eventId,
    detail: {
      idleResetS: s.idleResetS,
      countdownS: s.countdownS,
      defaultLanguage: s.defaultLanguage,
      findByPhone: s.findByPhone,
      printBadge: s.printBadge,
      helpDesk: helpDesk !== null,
    },
  }),
  // Attendee import and export: the server records each step in its own trail too, with the operator.
  'admin.import.events': null,
  'admin.import.formFields': null,
  'admin.import.report': null,
  // A file comes in many pieces: the server records the upload (with the operator), this trail the
  // mapping, dry run and commit that follow it.
  'admin.import.upload': null,
  'admin.import.mapping': ({ importId, columns }, answer) => ({
    action: 'import_mapped',
    subject: importId,
    detail: { columns: columns.filter((c) => c.target !== 'ignore').length, ...when(answer, (a) => ({ problems: a.problems.length })) },
  }),
  'admin.import.check': ({ importId }, job) => ({
    action: 'import_checked',
    subject: importId,
    detail: when(job, (j) => ({ rows: j.counts.rows, new: j.counts.new, updated: j.counts.updated, bad: j.counts.bad })),
  }),
  'admin.import.commit': ({ importId, skipBad }, job) => ({
    action: 'import_committed',
    subject: importId,
    detail: { skipBad, ...when(job, (j) => ({ new: j.counts.new, updated: j.counts.updated, skipped: j.counts.skipped })) },
  }),
  'admin.export.download': ({ eventId, kind, format, lang }, file) => ({
    action: 'data_exported',
    subject: eventId,
    detail: { kind, format, lang, ...when(file, (f) => ({ bytes: f.size })) },
  }),
  // Sign-in, sign-out and idle sign-out are recorded by the sessions feature, with the operator.
  // E-tickets: the masked address only (the server keeps the address with the delivery).
  'boxOffice.sendTickets': ({ orderId, channel, language }, sent) => ({
    action: 'tickets_sent',
    subject: orderId,
    detail: { channel, language, ...when(sent, (s) => ({ deliveryId: s.delivery.id, address: s.delivery.address, tickets: s.delivery.ticketIds.length })) },
  }),
  'boxOffice.deliveries': null,
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
  'boxOffice.voucher': null,
  'boxOffice.sell': (input, sold) => ({
    action: 'sale',
    subject: sold?.order.id ?? null,
    detail: {
      tickets: input.lines.reduce((n, l) => n + l.quantity, 0),
      payment: (input.payments ?? (input.payment ? [input.payment] : [])).map((t) => t.method).join('+'),
      ...(input.voucherCode ? { voucher: input.voucherCode } : {}),
      ...(sold?.order.discountMinor ? { discountMinor: sold.order.discountMinor } : {}),
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
  // Shifts: the amounts, never the cash movement's free text beyond a short reason.
  'boxOffice.shift.current': null,
  'boxOffice.shift.open': (input, shift) => ({
    action: 'shift_opened',
    subject: shift?.id ?? null,
    detail: { floatMinor: input.floatMinor, ...when(shift, (s) => ({ currency: s.currency })) },
  }),
  'boxOffice.shift.cash': (input, done) => ({
    action: 'shift_cash',
    subject: done?.shift.id ?? null,
    detail: { kind: input.kind, amountMinor: input.amountMinor, reason: short(input.reason), ...when(done, (d) => ({ expectedCashMinor: d.expectedCashMinor })) },
  }),
  'boxOffice.shift.x': (_input, report) => ({
    action: 'shift_x_report',
    subject: report?.shift.id ?? null,
    detail: when(report, (r) => ({ reportId: r.reportId, expectedCashMinor: r.totals.expectedCashMinor, sales: r.totals.sales.count, print: r.print.state })),
  }),
  'boxOffice.shift.close': (input, report) => ({
    action: 'shift_closed',
    subject: report?.shift.id ?? null,
    detail: {
      countedMinor: input.countedMinor,
      ...when(report, (r) => ({ reportId: r.reportId, expectedCashMinor: r.totals.expectedCashMinor, varianceMinor: r.varianceMinor ?? 0, print: r.print.state })),
    },
  }),
  'boxOffice.reprint': (input, done) => ({
    action: 'reprint',
    subject: input.ticketId ?? input.orderId,
    detail: {
      what: input.what,
      orderId: input.orderId,
      reason: input.reason,
      ...(input.note ? { note: short(input.note) } : {}),
      ...when(done, (d) => ({ copies: short(d.copies.map((c) => c.copy).join(',')), print: d.print.state })),
    },
  }),
  'boxOffice.findOrder': null,
  // With the operator (the call's session) and the approving manager; never the PIN.
  'boxOffice.refund': (input, done) => ({
    action: 'refund',
    subject: input.orderId,
    detail: {
      tickets: input.ticketIds.length,
      approvedBy: input.approval?.managerId ?? null,
      ...when(done, (d) => ({
        refundId: d.refund.id,
        amountMinor: d.refund.amountMinor,
        feeMinor: d.refund.feeMinor,
        currency: d.refund.currency,
        method: d.refund.paymentMethod,
        payout: d.payout.state,
        payoutParts: d.payout.parts.map((p) => `${p.method}:${p.amountMinor}:${p.state}`).join(' '),
        print: d.print.state,
      })),
    },
  }),
  'boxOffice.exchange': (input, done) => ({
    action: 'exchange',
    subject: input.orderId,
    detail: {
      tickets: input.ticketIds.length,
      newTicketTypeId: input.newTicketTypeId,
      approvedBy: input.approval?.managerId ?? null,
      ...when(done, (d) => ({
        exchangeId: d.refund.id,
        chargedMinor: d.refund.chargedMinor,
        amountMinor: d.refund.amountMinor,
        feeMinor: d.refund.feeMinor,
        currency: d.refund.currency,
        payout: d.payout.state,
        payoutParts: d.payout.parts.map((p) => `${p.method}:${p.amountMinor}:${p.state}`).join(' '),
        print: d.print.state,
      })),
    },
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
  // The device's id, class and protocol; never its settings (a terminal's ECR password).
  'devices.add': ({ device, replace }, list) => ({
    action: 'device_config',
    subject: typeof device['id'] === 'string' ? short(device['id']) : null,
    detail: { change: replace ? 'replace' : 'add', kind: short(String(device['kind'] ?? '')), driver: short(String(device['driver'] ?? '')), ...when(list, (l) => ({ devices: l.length })) },
  }),
  'devices.remove': ({ id }, list) => ({ action: 'device_config', subject: id, detail: { change: 'remove', ...when(list, (l) => ({ devices: l.length })) } }),
  'devices.reload': (_input, list) => ({ action: 'device_config', subject: null, detail: { change: 'reload', ...when(list, (l) => ({ devices: l.length })) } }),
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
  // Box-office settings: what changed, never a password or API key (only whether one was sent).
  'admin.vouchers.list': null,
  'admin.vouchers.create': (input, created) => ({
    action: 'voucher_created',
    subject: created?.id ?? null,
    detail: { eventId: input.eventId, voucherCode: input.code, kind: input.kind, value: input.value, maxUses: input.maxUses },
  }),
  'admin.vouchers.update': ({ eventId, voucherId, ...patch }) => ({ action: 'voucher_updated', subject: voucherId, detail: { eventId, fields: Object.keys(patch).sort().join(',') } }),
  'admin.vouchers.disable': ({ eventId, voucherId }, voucher) => ({
    action: 'voucher_disabled',
    subject: voucherId,
    detail: { eventId, ...when(voucher, (v) => ({ voucherCode: v.code, used: v.used })) },
  }),
  'admin.mail.get': null,
  'admin.mail.save': (input) => ({
    action: 'mail_settings_updated',
    subject: null,
    detail: { host: short(input.host), port: input.port, security: input.security, credentials: input.password === undefined ? 'kept' : input.password === null ? 'removed' : 'replaced' },
  }),
  'admin.mail.test': (_input, result) => ({ action: 'mail_test_sent', subject: null, detail: when(result, (r) => ({ sent: r.sent, error: r.error ?? 'none' })) }),
  'admin.sms.get': null,
  'admin.sms.save': (input) => ({
    action: 'sms_settings_updated',
    subject: null,
    detail: { provider: input.provider, sender: short(input.sender), credentials: input.apiKey === undefined ? 'kept' : input.apiKey === null ? 'removed' : 'replaced' },
  }),
  'admin.shiftReports.list': null,
  // Badge desk: what changed something (prints, corrections, walk-ins); never a manager's PIN.
  'badgeDesk.state': null,
  'badgeDesk.find': null,
  'badgeDesk.attendee': null,
  'badgeDesk.group': null,
  'badgeDesk.preview': null,
  'badgeDesk.walkInTypes': null,
  'badgeDesk.reprints': null,
  'badgeDesk.print': (input, done) => ({
    action: 'badge_print',
    subject: input.ticketIds[0] ?? null,
    detail: {
      tickets: input.ticketIds.length,
      requestId: input.requestId,
      reason: input.reason ? short(input.reason) : null,
      approvedBy: input.approval?.managerId ?? null,
      ...when(done, (d) => ({
        printed: d.results.filter((r) => r.outcome !== 'refused').length,
        refused: d.results.filter((r) => r.outcome === 'refused').length,
        admitted: d.results.filter((r) => r.checkIn === 'admitted').length,
        print: d.print.state,
      })),
    },
  }),
  'badgeDesk.correct': ({ ticketId, ...fields }) => ({
    action: 'badge_corrected',
    subject: ticketId,
    detail: { fields: Object.keys(fields).sort().join(',') },
  }),
  'badgeDesk.walkIn': (input, done) => ({
    action: 'badge_walk_in',
    subject: done?.ticketId ?? null,
    detail: {
      ticketTypeId: input.ticketTypeId,
      payment: (input.payments ?? []).map((t) => t.method).join('+') || 'free',
      approvedBy: input.approval?.managerId ?? null,
      ...when(done, (d) => ({ orderCode: d.orderCode, print: d.print.state })),
    },
  }),
  // Admin mode's badge designer: which template and what of it, never an attendee's name.
  'admin.badges.list': null,
  'admin.badges.preview': null,
  'admin.badges.save': (input, outcome) => ({
    action: 'badge_template_saved',
    subject: outcome?.template?.id ?? input.id ?? null,
    detail: {
      eventId: input.eventId,
      name: short(input.name),
      ...when(outcome, (o): AuditDetail => (o.template ? { outcome: 'saved', version: o.template.version } : { outcome: 'refused', issues: o.issues.length })),
    },
  }),
  'admin.badges.delete': ({ eventId, id }) => ({ action: 'badge_template_deleted', subject: id, detail: { eventId } }),
  'admin.badges.settings': ({ eventId, ...settings }) => ({
    action: 'badge_settings_saved',
    subject: eventId,
    detail: { reprintWindowS: settings.reprintWindowS, reprintNeedsManager: settings.reprintNeedsPin, printChecksIn: settings.printChecksIn },
  }),
  'admin.badges.testPrint': ({ eventId, templateId }, result) => ({
    action: 'badge_test_printed',
    subject: templateId,
    detail: { eventId, ...when(result, (r) => ({ print: r.print.state })) },
  }),
  // Kiosk: how an attendee identified and what was found (never the code, the phone digits or the name
  // typed), check-ins with their badge, alerts and a manager's PIN at the kiosk (never the PIN).
  'kiosk.state': null,
  'kiosk.info': null,
  'kiosk.reset': null,
  'kiosk.alerts': null,
  'kiosk.code': (input, found) => ({
    action: 'kiosk_find',
    subject: found?.ok ? found.visitId : null,
    detail: { by: input.by, ...when(found, (f): AuditDetail => (f.ok ? { found: f.candidates.length } : { refused: f.refusal.reason })) },
  }),
  'kiosk.findByPhone': (input, found) => ({
    action: 'kiosk_find',
    subject: found?.ok ? found.visitId : null,
    detail: { by: 'phone_name', letters: input.namePrefix.length, ...when(found, (f): AuditDetail => (f.ok ? { found: f.candidates.length } : { refused: f.refusal.reason })) },
  }),
  'kiosk.confirm': (input, done) => ({
    action: 'kiosk_check_in',
    subject: input.visitId,
    detail: {
      requestId: input.requestId,
      ...when(done, (d) => ({ checkIn: d.checkIn, refused: d.refusal?.reason ?? null, print: d.print?.state ?? null })),
    },
  }),
  'kiosk.language': (input) => ({ action: 'kiosk_language', subject: null, detail: { language: input.language } }),
  'kiosk.report': (input, done) => ({ action: 'kiosk_alert', subject: done?.alertId ?? null, detail: { kind: input.kind, reason: input.code } }),
  'kiosk.maintenance': (input) => ({ action: 'kiosk_maintenance', subject: null, detail: { approvedBy: input.managerId } }),
  'kiosk.exit': (input) => ({ action: 'kiosk_exit', subject: null, detail: { approvedBy: input.managerId } }),
  'kiosk.resolveAlert': (input, done) => ({
    action: 'kiosk_alert_resolved',
    subject: input.alertId,
    detail: when(done, (d) => ({ kind: d.kind, reason: d.code })),
  }),
};
