// Owns the voucher routes: the organizer's (/admin/v1/events/:id/vouchers — create, list, change, switch
// off; guarded and audited like the other catalog routes) and the terminals' preview
// (GET /v1/vouchers/:code?eventId=, for a device that serves the event). Redemption is no route of its
// own: it happens inside POST /v1/orders (services/orders.ts).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { VoucherSettings } from '../../../domain/vouchers';
import { Uuid, VoucherPreviewQuery } from '../../../domain/wire';
import type { ServerContext } from '../context';
import { parseOr400 } from '../errors';
import { recordServerAction } from '../services/audit';
import { assertServes } from '../services/deviceEvents';
import { createVoucher, listVouchers, previewVoucher, updateVoucher } from '../services/vouchers';
import { adminAuth, deviceAuth, deviceOf, requestIdGuard } from './guards';

const EventParams = z.object({ id: Uuid });
const VoucherParams = z.object({ id: Uuid, voucherId: Uuid });
const CodeParams = z.object({ code: z.string().min(1).max(80) });
/** What an update may change: every setting but the code (printed and handed out already). */
const VoucherPatch = z
  .object({
    kind: z.enum(['percent', 'fixed']).optional(),
    value: z.number().int().min(1).max(2_147_483_647).optional(),
    ticketTypeIds: z.array(Uuid).min(1).max(200).nullable().optional(),
    validFrom: z.string().datetime({ offset: true }).nullable().optional(),
    validUntil: z.string().datetime({ offset: true }).nullable().optional(),
    maxUses: z.number().int().min(1).max(10_000_000).nullable().optional(),
    maxPerOrder: z.number().int().min(1).max(1000).nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');

export function voucherAdminRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', adminAuth(ctx));
    app.addHook('preHandler', requestIdGuard(ctx));

    app.get('/admin/v1/events/:id/vouchers', async (request) => ({
      vouchers: await listVouchers(ctx.db, parseOr400(EventParams, request.params).id),
    }));

    app.post('/admin/v1/events/:id/vouchers', async (request) => {
      const eventId = parseOr400(EventParams, request.params).id;
      const body = parseOr400(VoucherSettings, request.body);
      const voucher = await createVoucher(ctx.db, eventId, body, ctx.now());
      await recordServerAction(ctx.db, 'voucher_created', voucher.id, { eventId, voucherCode: voucher.code, kind: voucher.kind, value: voucher.value, maxUses: voucher.maxUses }, ctx.now());
      return { voucher };
    });

    app.patch('/admin/v1/events/:id/vouchers/:voucherId', async (request) => {
      const { id: eventId, voucherId } = parseOr400(VoucherParams, request.params);
      const body = parseOr400(VoucherPatch, request.body);
      const voucher = await updateVoucher(ctx.db, eventId, voucherId, body, ctx.now());
      await recordServerAction(ctx.db, 'voucher_updated', voucherId, { eventId, fields: Object.keys(body).sort().join(',') }, ctx.now());
      return { voucher };
    });

    // Switched off, not deleted: orders that used it keep pointing at it.
    app.post('/admin/v1/events/:id/vouchers/:voucherId/disable', async (request) => {
      const { id: eventId, voucherId } = parseOr400(VoucherParams, request.params);
      const voucher = await updateVoucher(ctx.db, eventId, voucherId, { active: false }, ctx.now());
      await recordServerAction(ctx.db, 'voucher_disabled', voucherId, { eventId, voucherCode: voucher.code, used: voucher.used }, ctx.now());
      return { voucher };
    });
  };
}

export function voucherTerminalRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', deviceAuth(ctx));
    app.get('/v1/vouchers/:code', async (request) => {
      const { code } = parseOr400(CodeParams, request.params);
      const { eventId } = parseOr400(VoucherPreviewQuery, request.query);
      await assertServes(ctx.db, deviceOf(request).id, eventId);
      return previewVoucher(ctx.db, eventId, code, ctx.now());
    });
  };
}
