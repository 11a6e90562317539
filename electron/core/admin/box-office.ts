// Owns admin mode's box-office settings calls in the core: an event's vouchers, the server's mail and SMS
// settings (a test message too) and the box offices' shift reports — each one typed request to the
// server's admin API through this UI's admin session, its reply parsed. A voucher the server refuses for
// a bad value comes back as invalid_input with the fields it named, so the screen can point at them. The
// password and API key pass through to the server once and are never kept, logged or answered back.
import { z } from 'zod';
import { AdminShiftReport, AdminVoucher, AdmitError, type AdminBoxOfficeCall, type CallError } from '../../contract';
import { MailSettings, MailTestResult, SmsSettings } from '../../../domain/delivery';
import type { CoreModule } from '../dispatcher';
import { AdminInputRefusal, type AdminServerClient } from './server-client';

const VoucherReply = z.object({ voucher: AdminVoucher });
const VoucherListReply = z.object({ vouchers: z.array(AdminVoucher) });
const ShiftReportsReply = z.object({ shiftReports: z.array(AdminShiftReport) });

/** The server's 400 detail ("path: message; path: message", from its schema or its own checks) as the
 *  fields it names: the screen shows its own words for each, never the server's text. */
export function issuesOf(detail: string): NonNullable<CallError['issues']> {
  return detail
    .split('; ')
    .map((part) => /^([A-Za-z0-9_.]+|\(body\)): (.*)$/.exec(part))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ path: m[1] === '(body)' ? '' : m[1]!, message: m[2]! }));
}

/** A 400 of the server with the fields it named; every other error as it is. */
async function withFields<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    if (e instanceof AdminInputRefusal) throw new AdmitError('invalid_input', 'the server refused a value', undefined, issuesOf(e.message));
    throw e;
  }
}

export function adminBoxOfficeHandlers(server: AdminServerClient): CoreModule<AdminBoxOfficeCall>['handlers'] {
  const vouchers = (eventId: string) => `/admin/v1/events/${eventId}/vouchers`;
  return {
    'admin.vouchers.list': async ({ eventId }, ctx) => (await server.request(ctx.sessionId, 'GET', vouchers(eventId), undefined, VoucherListReply)).vouchers,
    'admin.vouchers.create': async ({ eventId, ...settings }, ctx) =>
      withFields(async () => (await server.request(ctx.sessionId, 'POST', vouchers(eventId), settings, VoucherReply)).voucher),
    'admin.vouchers.update': async ({ eventId, voucherId, ...patch }, ctx) =>
      withFields(async () => (await server.request(ctx.sessionId, 'PATCH', `${vouchers(eventId)}/${voucherId}`, patch, VoucherReply)).voucher),
    'admin.vouchers.disable': async ({ eventId, voucherId }, ctx) =>
      (await server.request(ctx.sessionId, 'POST', `${vouchers(eventId)}/${voucherId}/disable`, {}, VoucherReply)).voucher,
    'admin.mail.get': (_i, ctx) => server.request(ctx.sessionId, 'GET', '/admin/v1/settings/mail', undefined, MailSettings),
    'admin.mail.save': (input, ctx) => withFields(() => server.request(ctx.sessionId, 'PUT', '/admin/v1/settings/mail', input, MailSettings)),
    // The SMTP exchange may take the server's whole SMTP timeout before it answers.
    'admin.mail.test': (input, ctx) => server.request(ctx.sessionId, 'POST', '/admin/v1/settings/mail/test', input, MailTestResult, 90_000),
    'admin.sms.get': (_i, ctx) => server.request(ctx.sessionId, 'GET', '/admin/v1/settings/sms', undefined, SmsSettings),
    'admin.sms.save': (input, ctx) => withFields(() => server.request(ctx.sessionId, 'PUT', '/admin/v1/settings/sms', input, SmsSettings)),
    'admin.shiftReports.list': async ({ deviceId, limit }, ctx) => {
      const query = new URLSearchParams({ limit: String(limit), ...(deviceId ? { deviceId } : {}) });
      return (await server.request(ctx.sessionId, 'GET', `/admin/v1/shift-reports?${query.toString()}`, undefined, ShiftReportsReply)).shiftReports;
    },
  };
}
