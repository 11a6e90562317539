// Owns the organizer's export downloads: GET /admin/v1/events/:id/export/{attendees|orders|checkins}
// ?format=csv|xlsx&lang=en|zh-CN|ru, streamed as the rows are read (admin/export.ts). Guarded like
// every admin route; each export is recorded in the audit trail (what was exported, never the data).
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Uuid } from '../../../domain/wire';
import { contentDisposition, EXPORT_FORMATS, EXPORT_KINDS, EXPORT_LANGS, exportContext, writeExport } from '../admin/export';
import type { ServerContext } from '../context';
import { parseOr400 } from '../errors';
import { recordServerAction } from '../services/audit';
import { adminAuth, requestIdGuard } from './guards';

const ExportParams = z.object({ id: Uuid, kind: z.enum(EXPORT_KINDS) });
const ExportQuery = z
  .object({ format: z.enum(EXPORT_FORMATS).default('csv'), lang: z.enum(EXPORT_LANGS).default('en') })
  .strict();

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export function adminExportRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', adminAuth(ctx));
    app.addHook('preHandler', requestIdGuard(ctx));

    app.get('/admin/v1/events/:id/export/:kind', async (request, reply) => {
      const { id, kind } = parseOr400(ExportParams, request.params);
      const { format, lang } = parseOr400(ExportQuery, request.query);
      const eventId = id.toLowerCase();
      // Unknown event: a plain 404 before any byte of the file.
      const exported = await exportContext(ctx.db, eventId, lang);
      await recordServerAction(ctx.db, 'data_exported', eventId, { kind, format, lang }, ctx.now());
      const body = new PassThrough();
      writeExport(ctx.db, kind, format, exported, body).catch((err: unknown) => {
        // Headers are gone already: the download ends cut off (never a file that looks complete).
        request.log.error({ err }, 'export failed');
        body.destroy(err instanceof Error ? err : new Error('export failed'));
      });
      return reply
        .header('content-type', CONTENT_TYPES[format])
        .header('content-disposition', contentDisposition(exported, kind, format))
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(body);
    });
  };
}
