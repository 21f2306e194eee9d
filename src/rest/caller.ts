/**
 * Who is calling (docs/rest-contract.md, "Auth"): `Authorization: Bearer <API key>`, or the `session_id` cookie
 * from /web/session/authenticate. With both, the key wins. Neither, a wrong key, or an expired or
 * destroyed session: 401 with `WWW-Authenticate: Bearer`.
 * Extension: `Authorization: Basic base64(login:API key)` for backends whose keys belong to a login
 * (BACKEND=odoo, where it works on every Odoo version); other backends refuse it with a 401.
 *
 * On the /api/<slug> routes, `resolveApiCall` finds the caller and then the model, as a preValidation
 * hook: after the body is parsed (415, 413 and malformed JSON keep their precedence) and before Fastify
 * checks the route schema, so a request gets its 401, then its 404, before any 400 about its input.
 */
import type { FastifyRequest } from 'fastify';
import { callerWithContext, type Backend, type Caller } from '../backends/backend.js';
import { SESSION_COOKIE } from '../gateway/credentials.js';
import { ApiError, UNAUTHENTICATED_HEADERS } from './api-error.js';
import { callContextOf } from './call-context.js';

/** The value of one cookie from the Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return decodeCookieValue(part.slice(index + 1).trim());
  }
  return undefined;
}

/** What an Authorization header carries: an API key, alone (Bearer) or with its login (Basic). */
export type KeyCredentials =
  { readonly scheme: 'bearer'; readonly key: string } | { readonly scheme: 'basic'; readonly login: string; readonly key: string };

const UNSUPPORTED_SCHEME = "unsupported Authorization header: use 'Authorization: Bearer <API key>'";

/**
 * The credentials of the Authorization header; undefined without one; 401 for another scheme or a
 * Basic value that is not base64 of `login:key` with both parts non-empty.
 */
export function parseAuthorization(header: string | undefined): KeyCredentials | undefined {
  if (header === undefined) return undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer?.[1] !== undefined) return { scheme: 'bearer', key: bearer[1] };
  const basic = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (basic?.[1] !== undefined) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0 && colon < decoded.length - 1) return { scheme: 'basic', login: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
    throw new ApiError(
      401,
      "malformed Basic credentials: expected 'Authorization: Basic <base64 of login:API key>'",
      UNAUTHENTICATED_HEADERS,
    );
  }
  throw new ApiError(401, UNSUPPORTED_SCHEME, UNAUTHENTICATED_HEADERS);
}

/** A percent-decoded cookie value; a malformed encoding is kept as sent (it then matches no session: 401, not 500). */
function decodeCookieValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The user of these key credentials, or null when the backend does not know them. Basic on a backend
 * without `authenticateBasic`: 401. Backend errors (an Odoo too old for Bearer, 502/504) propagate.
 */
export async function authenticateKey(backend: Backend, credentials: KeyCredentials): Promise<Caller | null> {
  if (credentials.scheme === 'bearer') return backend.authenticateApiKey(credentials.key);
  if (!backend.authenticateBasic)
    throw new ApiError(401, `${UNSUPPORTED_SCHEME} (Basic is accepted with BACKEND=odoo only)`, UNAUTHENTICATED_HEADERS);
  return backend.authenticateBasic(credentials.login, credentials.key);
}

const resolving = new WeakMap<FastifyRequest, Promise<Caller>>();
const verified = new WeakMap<FastifyRequest, Caller>();

/**
 * The caller of this request (key first, then session cookie), or a 401 ApiError. Asked once per
 * request: the rate limit's bucket (rate-limit-key.ts) and the route share the answer.
 */
export function resolveCaller(backend: Backend, request: FastifyRequest): Promise<Caller> {
  let pending = resolving.get(request);
  if (!pending) {
    pending = resolveNow(backend, request).then((caller) => {
      verified.set(request, caller);
      return caller;
    });
    resolving.set(request, pending);
  }
  return pending;
}

/** The caller `resolveCaller` found for this request, once it has; undefined before, or when it refused it. */
export function verifiedCaller(request: FastifyRequest): Caller | undefined {
  return verified.get(request);
}

/** Who an /api/<slug> request is made by, and the model its slug names. */
export interface ApiCall {
  /** With the request's Odoo context (call-context.ts), if it asks for one. */
  readonly caller: Caller;
  /** The model's name (`sale.order`), resolved from the slug (`sale_order` or `sale.order`). */
  readonly model: string;
}

const apiCalls = new WeakMap<FastifyRequest, ApiCall>();

/**
 * The preValidation hook of every /api/<slug> route: the caller (401 otherwise), then the model its slug
 * names (404 `unknown model '<slug>'` otherwise), then the request's Odoo context (400 when malformed,
 * call-context.ts), kept for the handler (`apiCall`).
 */
export function resolveApiCall(backend: Backend): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const caller = await resolveCaller(backend, request);
    const { slug } = request.params as { slug: string };
    const info = await backend.resolveModel(slug, caller);
    if (!info) throw new ApiError(404, `unknown model '${slug}'`);
    const context = await callContextOf(backend, caller, request);
    apiCalls.set(request, { caller: context ? callerWithContext(caller, context) : caller, model: info.model });
  };
}

/** The caller and model `resolveApiCall` found for this request; throws (a 500) on a route without that hook. */
export function apiCall(request: FastifyRequest): ApiCall {
  const call = apiCalls.get(request);
  if (!call) throw new Error(`no resolveApiCall hook on ${request.routeOptions.url}`);
  return call;
}

async function resolveNow(backend: Backend, request: FastifyRequest): Promise<Caller> {
  const credentials = parseAuthorization(request.headers.authorization);
  if (credentials !== undefined) {
    const caller = await authenticateKey(backend, credentials);
    if (!caller) {
      const message = credentials.scheme === 'basic' ? 'invalid login or API key' : 'invalid or revoked API key';
      throw new ApiError(401, message, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    return caller;
  }
  const sid = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (sid !== undefined) {
    const caller = await backend.authenticateSession(sid);
    if (!caller)
      throw new ApiError(401, 'session expired or invalid: authenticate again at /web/session/authenticate', UNAUTHENTICATED_HEADERS);
    return caller;
  }
  throw new ApiError(
    401,
    "authentication required: send 'Authorization: Bearer <API key>' or a session_id cookie",
    UNAUTHENTICATED_HEADERS,
  );
}
