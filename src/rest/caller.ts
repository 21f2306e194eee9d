/**
 * Who is calling (CONTRACT.md, "Auth"): `Authorization: Bearer <API key>`, or the `session_id` cookie
 * from /web/session/authenticate. With both, the key wins. Neither, a wrong key, or an expired or
 * destroyed session: 401 with `WWW-Authenticate: Bearer`.
 */
import type { FastifyRequest } from 'fastify';
import type { Backend, Caller } from '../backends/backend.js';
import { ApiError, UNAUTHENTICATED_HEADERS } from './api-error.js';

export const SESSION_COOKIE = 'session_id';

/** The value of one cookie from the Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return undefined;
}

/** The Bearer token of the Authorization header; undefined without one; 401 for another scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ApiError(401, "unsupported Authorization header: use 'Authorization: Bearer <API key>'", UNAUTHENTICATED_HEADERS);
  return match[1];
}

export async function resolveCaller(backend: Backend, request: FastifyRequest): Promise<Caller> {
  const key = bearerToken(request.headers.authorization);
  if (key !== undefined) {
    const caller = await backend.authenticateApiKey(key);
    if (!caller) throw new ApiError(401, 'invalid or revoked API key', { 'www-authenticate': 'Bearer error="invalid_token"' });
    return caller;
  }
  const sid = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (sid !== undefined) {
    const caller = await backend.authenticateSession(sid);
    if (!caller) throw new ApiError(401, 'session expired or invalid: authenticate again at /web/session/authenticate', UNAUTHENTICATED_HEADERS);
    return caller;
  }
  throw new ApiError(401, "authentication required: send 'Authorization: Bearer <API key>' or a session_id cookie", UNAUTHENTICATED_HEADERS);
}
