// Owns the HTTP calls of e-ticket delivery: a paired terminal asks the server to send an order's tickets
// and reads where its deliveries stand (/v1/orders/:id/deliveries, device auth, request ids); the
// organizer reads and writes the mail and SMS settings (/admin/v1/settings/mail|sms, admin guard,
// audited; the password and API key are write-only) and sends a test message through them. A delivery
// request answers at once: the sender (delivery/sender.ts) sends in the background.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DeliveryRequest, MailSettingsInput, MailTestRequest, SmsSettingsInput } from '../../../domain/delivery';
import { Uuid } from '../../../domain/wire';
import type { ServerContext } from '../context';
import type { DeliverySender } from '../delivery/sender';
import { listDeliveries, requestDelivery } from '../delivery/service';
import { readMailSettings, readSmsSettings, writeMailSettings, writeSmsSettings } from '../delivery/settings';
import { parseOr400 } from '../errors';
import { recordServerAction } from '../services/audit';
import { adminAuth, deviceAuth, deviceOf, requestIdGuard } from './guards';

const IdParams = z.object({ id: Uuid });

export function deliveryRoutes(ctx: ServerContext, sender: DeliverySender) {
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(async (terminal) => {
      terminal.addHook('onRequest', deviceAuth(ctx));
      terminal.addHook('preHandler', requestIdGuard(ctx));
      const orderIdOf = (params: unknown) => parseOr400(IdParams, params).id.toLowerCase();

      terminal.post('/v1/orders/:id/deliveries', async (request) => {
        const orderId = orderIdOf(request.params);
        const body = parseOr400(DeliveryRequest, request.body);
        const outcome = await requestDelivery(ctx, deviceOf(request).id, orderId, { ...body, deliveryId: body.deliveryId.toLowerCase(), operatorId: body.operatorId.toLowerCase() });
        if (outcome.queued) sender.kick();
        return { delivery: outcome.delivery };
      });

      terminal.get('/v1/orders/:id/deliveries', async (request) => ({
        deliveries: await listDeliveries(ctx, deviceOf(request).id, orderIdOf(request.params)),
      }));
    });

    await app.register(async (admin) => {
      admin.addHook('onRequest', adminAuth(ctx));
      admin.addHook('preHandler', requestIdGuard(ctx));

      admin.get('/admin/v1/settings/mail', async () => readMailSettings(ctx.db));
      admin.put('/admin/v1/settings/mail', async (request) => {
        const body = parseOr400(MailSettingsInput, request.body);
        const saved = await writeMailSettings(ctx.db, await ctx.keyring(), body, ctx.now());
        await recordServerAction(
          ctx.db,
          'mail_settings_updated',
          null,
          { host: saved.host, port: saved.port, security: saved.security, sender: saved.from, credentials: !saved.passwordSet ? 'none' : body.password === undefined ? 'kept' : 'replaced' },
          ctx.now(),
        );
        return saved;
      });

      // A test message goes out at once through the stored settings; the answer says whether it went.
      admin.post('/admin/v1/settings/mail/test', async (request) => {
        const body = parseOr400(MailTestRequest, request.body);
        const result = await sender.sendTest(body.to, body.language);
        await recordServerAction(ctx.db, 'mail_test_sent', null, { sent: result.sent, error: result.error ?? 'none' }, ctx.now());
        return result;
      });

      admin.get('/admin/v1/settings/sms', async () => readSmsSettings(ctx.db));
      admin.put('/admin/v1/settings/sms', async (request) => {
        const body = parseOr400(SmsSettingsInput, request.body);
        const saved = await writeSmsSettings(ctx.db, await ctx.keyring(), body, ctx.now());
        await recordServerAction(
          ctx.db,
          'sms_settings_updated',
          null,
          { provider: saved.provider, sender: saved.sender, credentials: body.apiKey === undefined ? 'kept' : body.apiKey === null ? 'removed' : 'replaced' },
          ctx.now(),
        );
        return saved;
      });
    });
  };
}
