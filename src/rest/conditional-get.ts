/**
 * Conditional reads (extension to the contract, RFC 9110 section 13): on a backend that knows when its data
 * changes (Backend.revision), `GET`/`HEAD` of a list, a record or a model's fields answers with a weak
 * `ETag`, and a repeated request carrying it in `If-None-Match` gets `304 Not Modified` with no body,
 * without reading anything. Callers who send no `If-None-Match` see no difference but the two headers.
 *
 * The tag stands for: the backend's revision (any write anywhere, by any process, changes it), the
 * caller (their rights shape the answer), the request's Odoo context (its language and companies, which
 * may come from headers: call-context.ts) and the request's path and query. It is taken after the caller
 * is known and before any data is read, so an answer is never tagged newer than the data it holds; at
 * worst a write racing the read costs one needless full answer. The caller is checked on every request
 * first: a revoked key or destroyed session gets its 401 as before, never a 304.
 * `Cache-Control: private, no-cache` lets a browser keep the answer for that user only, and only if it
 * asks again first.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Backend, Caller } from '../backends/backend.js';
import { contextKey } from './call-context.js';

/** The weak entity tag of this request's answer, or undefined when the backend cannot tell (BACKEND=odoo). */
export function entityTag(backend: Backend, caller: Caller, request: FastifyRequest): string | undefined {
  const revision = backend.revision?.();
  if (revision === undefined) return undefined;
  const digest = createHash('sha256')
    .update(`${revision}\n${caller.uid}\n${contextKey(caller.context)}\n${request.url}`)
    .digest('base64url');
  return `W/"${digest.slice(0, 27)}"`;
}

/**
 * Weak comparison (RFC 9110 13.1.2): does `If-None-Match` list this tag? `*` is not taken: it would
 * answer 304 for a request whose answer is not known to be a 200 (the tag is checked before the
 * parameters are), so it gets the full answer, as a cache that never stored one would.
 */
export function ifNoneMatchAllows(header: string | string[] | undefined, tag: string): boolean {
  if (header === undefined) return false;
  const opaque = tag.replace(/^W\//, '');
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    if (part.trim().replace(/^W\//, '') === opaque) return true;
  }
  return false;
}

/**
 * Run a read with conditional-GET handling: `304` with no body (and nothing parsed or read) when the
 * caller already holds the answer; otherwise the answer of `read` (which parses the request's
 * parameters itself), tagged once it succeeded (an error is never tagged).
 */
export async function conditionalRead<T>(
  backend: Backend,
  caller: Caller,
  request: FastifyRequest,
  reply: FastifyReply,
  read: () => T | Promise<T>,
): Promise<T | FastifyReply> {
  const tag = entityTag(backend, caller, request);
  if (tag === undefined) return read();
  reply.header('etag', tag).header('cache-control', 'private, no-cache');
  if (ifNoneMatchAllows(request.headers['if-none-match'], tag)) return reply.code(304).send();
  try {
    return await read();
  } catch (error) {
    reply.removeHeader('etag').removeHeader('cache-control');
    throw error;
  }
}
