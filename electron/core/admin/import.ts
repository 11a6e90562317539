// Owns the core's side of attendee import and export in admin mode: the events and form fields to choose
// from; the file a UI sends in pieces, gathered in memory (one upload per UI, at most
// ADMIN_FILE_MAX_BYTES, dropped when its operator signs out or starts another) and sent whole to the
// server as raw bytes at the last piece; the mapping, dry run, report and commit as typed requests; and
// an export read as bytes (refused past ADMIN_FILE_MAX_BYTES) and handed to the UI as base64. Every
// reply is parsed with the contract's shapes; a file or mapping the server cannot use comes back as a
// typed answer (its code and where), not as an error.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AdmitError, type AdminImportCall, type CallInput, type CallOutput } from '../../contract';
import {
  ADMIN_FILE_MAX_BYTES,
  ExportFile,
  IMPORT_CHUNK_MAX_BYTES,
  ImportFileRefusal,
  type ImportFormField,
  ImportJob,
  ImportMappingProblem,
  ImportReportPage,
  ImportUpload,
} from '../../contract/features/admin-import';
import { AdminEventsResponse } from '../../../domain/wire';
import type { CoreModule } from '../dispatcher';
import { RawBody } from '../sync/client';
import { AdminInputRefusal, type AdminServerClient } from './server-client';

/** A whole file (or a whole commit of many rows) may take long over a slow link or on a busy server. */
const LONG_REQUEST_MS = 10 * 60_000;

const JobReply = z.object({ job: ImportJob });
const FormReply = z.object({
  form: z.object({ fields: z.array(z.object({ key: z.string(), label: z.record(z.string(), z.string()) })) }),
});
/** The server's 400 for a file it cannot read, and for a mapping it cannot use. */
const FileRefusalBody = z.object({
  error: z.object({ detail: z.string().optional() }),
  file: ImportFileRefusal.omit({ message: true }),
});
const MappingRefusalBody = z.object({ mapping: z.array(ImportMappingProblem).min(1) });

interface Upload {
  id: string;
  operatorId: string;
  file: NonNullable<CallInput<'admin.import.upload'>['file']>;
  chunks: Buffer[];
  received: number;
}

type Handlers = { [K in AdminImportCall]: CoreModule<K>['handlers'][K] };

/** The file name a Content-Disposition header gives, its UTF-8 form first. */
export function dispositionFileName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="([^"]*)"/i.exec(header);
  return plain?.[1] ? plain[1] : fallback;
}

export function adminImportHandlers(server: AdminServerClient): Handlers {
  const uploads = new Map<string, Upload>();
  server.onSignedOut((sessionId) => uploads.delete(sessionId));
  const enc = encodeURIComponent;

  return {
    'admin.import.events': async (_i, ctx) => {
      const { events } = await server.request(ctx.sessionId, 'GET', '/admin/v1/events', undefined, AdminEventsResponse);
      return events
        .map((e) => ({ id: e.id, name: e.name, startsAt: e.startsAt, ticketTypes: e.ticketTypes.map((t) => ({ id: t.id, name: t.name })) }))
        .sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : 0));
    },

    'admin.import.formFields': async ({ eventId }, ctx) => {
      const { events } = await server.request(ctx.sessionId, 'GET', '/admin/v1/events', undefined, AdminEventsResponse);
      const event = events.find((e) => e.id === eventId);
      if (!event) throw new AdmitError('not_found', `no event ${eventId}`);
      const byKey = new Map<string, z.infer<typeof ImportFormField>>();
      for (const type of event.ticketTypes) {
        const { form } = await server.request(ctx.sessionId, 'GET', `/admin/v1/ticket-types/${enc(type.id)}/form`, undefined, FormReply);
        for (const field of form.fields) {
          const seen = byKey.get(field.key);
          if (seen) seen.ticketTypeIds.push(type.id);
          else byKey.set(field.key, { key: field.key, label: field.label, ticketTypeIds: [type.id] });
        }
      }
      return [...byKey.values()];
    },

    'admin.import.upload': async (input, ctx): Promise<CallOutput<'admin.import.upload'>> => {
      const bytes = Buffer.from(input.data, 'base64');
      if (bytes.length > IMPORT_CHUNK_MAX_BYTES) throw new AdmitError('invalid_input', `a piece carries at most ${IMPORT_CHUNK_MAX_BYTES} bytes`);
      let upload: Upload;
      if (input.uploadId === null) {
        upload = { id: randomUUID(), operatorId: ctx.session!.operatorId, file: input.file!, chunks: [], received: 0 };
        uploads.set(ctx.sessionId, upload); // a new upload drops the one before
      } else {
        const open = uploads.get(ctx.sessionId);
        if (!open || open.id !== input.uploadId || open.operatorId !== ctx.session!.operatorId) {
          throw new AdmitError('invalid_input', 'no such upload here: send the file again from its start');
        }
        if (input.offset !== open.received) {
          uploads.delete(ctx.sessionId);
          throw new AdmitError('invalid_input', `a piece out of order (offset ${input.offset}, ${open.received} bytes received): send the file again`);
        }
        upload = open;
      }
      if (upload.received + bytes.length > ADMIN_FILE_MAX_BYTES) {
        uploads.delete(ctx.sessionId);
        throw new AdmitError('invalid_input', `the file is larger than ${ADMIN_FILE_MAX_BYTES} bytes (64 MiB): split it into several files`);
      }
      upload.chunks.push(bytes);
      upload.received += bytes.length;
      const answer = { uploadId: upload.id, received: upload.received, upload: null, refused: null };
      if (!input.last) return answer;
      uploads.delete(ctx.sessionId);
      if (upload.received === 0) return { ...answer, refused: { code: 'empty_file', message: 'The file is empty.' } };
      const { eventId, ...options } = upload.file;
      const query = new URLSearchParams(Object.entries(options).filter((e): e is [string, string] => e[1] !== undefined));
      const file = Buffer.concat(upload.chunks);
      upload.chunks = [];
      try {
        const read = await server.upload(
          ctx.sessionId,
          `/admin/v1/events/${enc(eventId)}/imports?${query.toString()}`,
          new RawBody(file, 'application/octet-stream'),
          {},
          ImportUpload,
          LONG_REQUEST_MS,
        );
        return { ...answer, upload: read };
      } catch (e) {
        const refusal = e instanceof AdminInputRefusal ? FileRefusalBody.safeParse(e.body) : null;
        if (refusal?.success) return { ...answer, refused: { ...refusal.data.file, message: refusal.data.error.detail ?? refusal.data.file.code } };
        throw e;
      }
    },

    'admin.import.mapping': async ({ importId, columns, defaultTicketTypeId }, ctx) => {
      if (defaultTicketTypeId === null && !columns.some((c) => c.target === 'ticketType')) {
        return { job: null, problems: [{ reason: 'ticket_type_unmapped', message: 'Map a column to the ticket type or choose a default ticket type.' }] };
      }
      const body = { columns, ...(defaultTicketTypeId !== null ? { defaultTicketTypeId } : {}) };
      try {
        const { job } = await server.request(ctx.sessionId, 'PUT', `/admin/v1/imports/${enc(importId)}/mapping`, body, JobReply);
        return { job, problems: [] };
      } catch (e) {
        const refusal = e instanceof AdminInputRefusal ? MappingRefusalBody.safeParse(e.body) : null;
        if (refusal?.success) return { job: null, problems: refusal.data.mapping };
        throw e;
      }
    },

    'admin.import.check': async ({ importId }, ctx) =>
      (await server.request(ctx.sessionId, 'POST', `/admin/v1/imports/${enc(importId)}/check`, {}, JobReply, LONG_REQUEST_MS)).job,

    'admin.import.report': async ({ importId, offset, limit }, ctx) =>
      server.request(ctx.sessionId, 'GET', `/admin/v1/imports/${enc(importId)}?offset=${offset}&limit=${limit}`, undefined, ImportReportPage),

    'admin.import.commit': async ({ importId, skipBad }, ctx) =>
      (await server.request(ctx.sessionId, 'POST', `/admin/v1/imports/${enc(importId)}/commit`, { skipBad }, JobReply, LONG_REQUEST_MS)).job,

    'admin.export.download': async ({ eventId, kind, format, lang }, ctx) => {
      const path = `/admin/v1/events/${enc(eventId)}/export/${kind}?format=${format}&lang=${enc(lang)}`;
      const reply = await server.download(ctx.sessionId, path, ADMIN_FILE_MAX_BYTES, LONG_REQUEST_MS);
      return ExportFile.parse({
        fileName: dispositionFileName(reply.header('content-disposition'), `${kind}.${format}`),
        contentType: reply.header('content-type') ?? 'application/octet-stream',
        size: reply.bytes.length,
        data: reply.bytes.toString('base64'),
      });
    },
  };
}
