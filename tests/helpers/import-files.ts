// Owns the files and uploads the attendee-import tests and the import bench send: CSV text built from
// rows (cells quoted as spreadsheet programs quote them, CRLF line ends), and the admin HTTP API called
// in-process (JSON or raw file bytes, with a fresh request id on every change) to upload a file to an
// event's import and drive the job.
import { v7 as uuidv7 } from 'uuid';
import { REQUEST_ID_HEADER } from '../../domain/wire';
import type { AdmitServer } from '../../server/src/app';

/** One CSV cell: quoted (inner quotes doubled) when it holds a quote, comma or line break. */
export const csvCell = (c: string): string => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);

/** CSV text of `rows`, every line ended by CRLF. */
export const csv = (rows: string[][]): string => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

export type AdminMethod = 'GET' | 'POST' | 'PUT';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are read field by field in tests
export type AdminReply = { status: number; json: any; text: string };

/** One admin API call with the server's admin token: a Buffer body is sent as file bytes
 *  (application/octet-stream unless `headers` name a content type), anything else as JSON. */
export async function adminApi(
  server: AdmitServer,
  method: AdminMethod,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<AdminReply> {
  const h: Record<string, string> = { authorization: `Bearer ${server.adminToken}`, ...headers };
  if (method !== 'GET') h[REQUEST_ID_HEADER] = uuidv7();
  let payload: string | Buffer | undefined;
  if (Buffer.isBuffer(body)) {
    payload = body;
    h['content-type'] ??= 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    h['content-type'] = 'application/json';
  }
  const res = await server.app.inject({ method, url, headers: h, ...(payload !== undefined ? { payload } : {}) });
  return { status: res.statusCode, json: res.body ? JSON.parse(res.body) : undefined, text: res.body };
}

/** Uploads `bytes` as the file `name` to the event's import (`query` is appended as is, "&…"). */
export const uploadImport = (
  server: AdmitServer,
  eventId: string,
  bytes: Buffer,
  name: string,
  query = '',
): Promise<AdminReply> =>
  adminApi(server, 'POST', `/admin/v1/events/${eventId}/imports?name=${encodeURIComponent(name)}${query}`, bytes);

/** An import mapping's columns taking the file's columns in order: column i to `targets[i]`. */
export const columnsInOrder = (...targets: string[]): { column: number; target: string }[] =>
  targets.map((target, column) => ({ column, target }));

/** Commits an import and, when the server answered while still writing ('committing'), follows the job
 *  until it is done or failed: the reply then carries the finished job as the commit's own reply would. */
export async function commitImportAndWait(server: AdmitServer, importId: string, body: unknown = {}): Promise<AdminReply> {
  const reply = await adminApi(server, 'POST', `/admin/v1/imports/${importId}/commit`, body);
  if (reply.status !== 200 || reply.json?.job?.status !== 'committing') return reply;
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const page = await adminApi(server, 'GET', `/admin/v1/imports/${importId}?offset=0&limit=1`);
    if (page.status !== 200) return page;
    if (page.json.job.status !== 'committing') return { status: 200, json: { job: page.json.job }, text: JSON.stringify({ job: page.json.job }) };
  }
}
