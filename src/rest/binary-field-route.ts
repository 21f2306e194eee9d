/**
 * Extension to the contract: `GET /api/<slug>/<id>/<field>`, the bytes of a binary field (a partner's
 * `image_1920`, an attachment's `datas`) as a file, where a retrieve gives them only inline as base64
 * (`?fields=image_1920`). `<img src>` and download links can then point at the API.
 *
 * The same rules as a retrieve, and the same data access: the scope's hook answers the caller (401) and
 * the model (404) first (api-routes.ts); the route schema refuses an id or field name that cannot be one
 * (400); then the Backend's `read` of `[field]` as the caller, so every backend answers alike: a missing
 * record 404, a record hidden by a rule or a field the caller may not read 403. A field the model does not
 * have is the contract's unknown route (C-TRANSPORT-06: `/api/sale_order/1/lines` is 404 `no route ...`),
 * naming the field; a field of another type is a 400 naming it; an empty value a 404 naming record and
 * field. Other methods on this path are unknown routes too (404), as the contract has them.
 *
 * The answer: the bytes, typed by their magic numbers (`binaryContentType`), with `Content-Length`,
 * `X-Content-Type-Options: nosniff`, `Content-Disposition` (inline for images and PDF, else attachment)
 * and, for SVG (which can carry script), a CSP that sandboxes it. A strong `ETag` (SHA-256 of the bytes)
 * with `Cache-Control: private, no-cache`: the caller's rules decide what they may read, so nothing is
 * shared between callers, and a browser asks again first; `If-None-Match` with that tag answers 304.
 * HEAD answers the same headers without the body (Fastify's HEAD route).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { readOneOrMissing, type Backend } from '../backends/backend.js';
import { ApiError, toApiError } from './api-error.js';
import { apiCall } from './caller.js';
import { ifNoneMatchAllows } from './conditional-get.js';
import { BINARY_FIELD_SCHEMA, withSchema } from './route-schemas.js';

export interface BinaryFieldRouteOptions {
  readonly backend: Backend;
}

/** What the schema lets through (route-schemas.ts): an id of digits, a field name. */
interface BinaryFieldRoute {
  Params: { slug: string; id: string; field: string };
  Headers: { 'if-none-match'?: string };
}

/** What bytes are, by their first bytes: a media type, and whether a browser may show it inline. */
export interface BinaryContentType {
  readonly mediaType: string;
  /** The file name's extension, when the type is known. */
  readonly extension?: string;
  readonly inline: boolean;
}

const startsWith = (bytes: Buffer, signature: string, at = 0) =>
  bytes.length >= at + signature.length && bytes.subarray(at, at + signature.length).equals(Buffer.from(signature, 'latin1'));

/** SVG: text that opens (after a BOM and blanks) with `<svg`, or with an XML declaration and then an `<svg` element. */
function isSvg(bytes: Buffer): boolean {
  const head = bytes
    .subarray(0, 4096)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return head.startsWith('<svg') || (head.startsWith('<?xml') && /<svg[\s>]/.test(head));
}

/**
 * The type of these bytes by their magic numbers: PNG, JPEG, GIF, WebP, PDF, SVG; anything else is
 * `application/octet-stream`, served as an attachment (with nosniff, a browser never renders it).
 */
export function binaryContentType(bytes: Buffer): BinaryContentType {
  if (startsWith(bytes, '\x89PNG\r\n\x1a\n')) return { mediaType: 'image/png', extension: 'png', inline: true };
  if (startsWith(bytes, '\xff\xd8\xff')) return { mediaType: 'image/jpeg', extension: 'jpg', inline: true };
  if (startsWith(bytes, 'GIF87a') || startsWith(bytes, 'GIF89a')) return { mediaType: 'image/gif', extension: 'gif', inline: true };
  if (startsWith(bytes, 'RIFF') && startsWith(bytes, 'WEBP', 8)) return { mediaType: 'image/webp', extension: 'webp', inline: true };
  if (startsWith(bytes, '%PDF-')) return { mediaType: 'application/pdf', extension: 'pdf', inline: true };
  if (isSvg(bytes)) return { mediaType: 'image/svg+xml', extension: 'svg', inline: true };
  return { mediaType: 'application/octet-stream', inline: false };
}

/** SVG is a document that can run script: none of it runs, nothing loads, only its inline styles apply. */
export const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/** The strong entity tag of these bytes: their SHA-256, base64url. */
export function bytesTag(bytes: Buffer): string {
  return `"${createHash('sha256').update(bytes).digest('base64url')}"`;
}

export async function registerBinaryFieldRoute(app: FastifyInstance, { backend }: BinaryFieldRouteOptions): Promise<void> {
  app.get<BinaryFieldRoute>('/api/:slug/:id/:field', withSchema(BINARY_FIELD_SCHEMA), async (request, reply) => {
    const { caller, model } = apiCall(request);
    const id = Number(request.params.id);
    const { field } = request.params;
    // The read decides a field the caller cannot see (unknown: 404 below, not readable: 403); a visible
    // field of another type is refused before any record is read.
    const meta = (await backend.fieldsGet(caller, model))[field];
    if (meta && meta.type !== 'binary') {
      throw new ApiError(400, `field '${field}' of ${model} is not binary (it is ${meta.type}): read it with ?fields=${field}`);
    }
    // A field the model does not have makes this path no route at all (C-TRANSPORT-06: 404 `no route`).
    const noSuchField = () =>
      new ApiError(404, `no route ${request.method} ${request.url.split('?')[0]}: ${model} has no field '${field}'`);
    let record;
    try {
      record = await readOneOrMissing(model, id, (ids) => backend.read(caller, model, ids, [field]));
    } catch (error) {
      throw !meta && toApiError(error).status === 400 ? noSuchField() : error;
    }
    if (!meta) throw noSuchField();
    const value = record[field];
    if (value === false || value === null || value === undefined || value === '') {
      throw new ApiError(404, `${model} record ${id} has no ${field}`);
    }
    if (typeof value !== 'string') throw new Error(`${model}.${field} of record ${id} was read as ${typeof value}, not base64`);

    const bytes = Buffer.from(value, 'base64');
    const tag = bytesTag(bytes);
    reply.header('etag', tag).header('cache-control', 'private, no-cache').header('x-content-type-options', 'nosniff');
    if (ifNoneMatchAllows(request.headers['if-none-match'], tag)) return reply.code(304).send();

    const type = binaryContentType(bytes);
    const filename = `${model.replace(/\./g, '_')}-${id}-${field}${type.extension ? `.${type.extension}` : ''}`;
    reply
      .header('content-type', type.mediaType)
      .header('content-disposition', `${type.inline ? 'inline' : 'attachment'}; filename="${filename}"`);
    if (type.mediaType === 'image/svg+xml') reply.header('content-security-policy', SVG_CSP);
    return reply.send(bytes);
  });
}
