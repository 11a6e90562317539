// Owns the HTTP routes of the attendee import (/admin/v1/events/:id/imports, /admin/v1/imports/:id…),
// under the same admin guard and request-id replay protection as the rest of /admin/v1. The upload is
// the raw file (application/octet-stream, up to IMPORT_MAX_BYTES); a file or mapping that cannot be
// used is a 400 whose body says what and where (ImportFileError's code, line and column; every
// mapping problem).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Uuid } from '../../../domain/wire';
import { checkImport, commitImport, getImport, listImports, setImportMapping, uploadImport, type ImportDeps } from '../admin/import';
import { CommitRequest, IMPORT_MAX_BYTES, ImportMapping, ReportQuery, UploadQuery } from '../admin/import-schemas';
import type { ServerContext } from '../context';
import { ApiFailure, parseOr400 } from '../errors';
import { MappingError } from '../import/mapping';
import { ImportFileError } from '../import/table';
import { adminAuth, requestIdGuard } from './guards';

const IdParams = z.object({ id: Uuid });
export const FILE_NAME_HEADER = 'x-file-name';
const UPLOAD_TYPES = ['application/octet-stream', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

/** The X-File-Name header, percent-encoded (a header cannot carry non-ASCII names otherwise). */
function headerFileName(value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ApiFailure('bad_request', `${FILE_NAME_HEADER} must be percent-encoded UTF-8`);
  }
}

/** Who acted: the holder of the admin token (the operator, once admin sessions name one). */
const ADMIN_ACTOR = 'admin-token';

function importErrorReply(error: FastifyError | Error, _request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ImportFileError) {
    return reply.code(400).send({ error: { code: 'bad_request', detail: error.message }, file: { code: error.code, ...error.details } });
  }
  if (error instanceof MappingError) {
    return reply.code(400).send({ error: { code: 'bad_request', detail: error.message }, mapping: error.problems });
  }
  if ((error as FastifyError).statusCode === 413) {
    return reply.code(413).send({
      error: { code: 'payload_too_large', detail: `the file is larger than ${IMPORT_MAX_BYTES} bytes (64 MiB): split it into several files` },
    });
  }
  // Everything else is answered by the server's own error handler.
  throw error;
}

export function adminImportRoutes(ctx: ServerContext, options: Pick<ImportDeps, 'rules' | 'batchSize' | 'replyWithinMs'> = {}) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', adminAuth(ctx));
    app.addHook('preHandler', requestIdGuard(ctx));
    app.setErrorHandler(importErrorReply);
    // The raw file, whatever type the browser or client names it.
    app.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES }, (_request, body, done) => {
      done(null, body);
    });
    const deps: ImportDeps = { db: ctx.db, now: ctx.now, hub: ctx.hub, keyring: ctx.keyring, ...options };
    const idOf = (params: unknown) => parseOr400(IdParams, params).id;

    app.post('/admin/v1/events/:id/imports', { bodyLimit: IMPORT_MAX_BYTES }, async (request) => {
      const eventId = idOf(request.params);
      const query = parseOr400(UploadQuery, request.query ?? {});
      const name = query.name ?? headerFileName(request.headers[FILE_NAME_HEADER]);
      if (!name) throw new ApiFailure('bad_request', `name the file: ?name=… or the ${FILE_NAME_HEADER} header`);
      if (!Buffer.isBuffer(request.body)) throw new ApiFailure('bad_request', `send the file as the raw body with content-type ${UPLOAD_TYPES.join(' or ')}`);
      if (request.body.length === 0) throw new ImportFileError('empty_file', 'The file is empty.');
      return uploadImport(deps, eventId, request.body, { ...query, name: name.slice(0, 255) }, ADMIN_ACTOR);
    });

    app.get('/admin/v1/events/:id/imports', async (request) => ({ imports: await listImports(deps, idOf(request.params)) }));

    app.put('/admin/v1/imports/:id/mapping', async (request) => {
      const mapping = parseOr400(ImportMapping, request.body);
      return { job: await setImportMapping(deps, idOf(request.params), mapping) };
    });

    app.post('/admin/v1/imports/:id/check', async (request) => ({ job: await checkImport(deps, idOf(request.params)) }));

    app.post('/admin/v1/imports/:id/commit', async (request) => {
      const body = parseOr400(CommitRequest, request.body ?? {});
      return { job: await commitImport(deps, idOf(request.params), body) };
    });

    app.get('/admin/v1/imports/:id', async (request) => getImport(deps, idOf(request.params), parseOr400(ReportQuery, request.query ?? {})));
  };
}
