/**
 * Whose bucket a request counts in under RATE_LIMIT (security-plugins.ts). An authenticated request
 * counts against its user (`user:<uid>`), whichever of the user's keys or sessions it carries and however
 * the header is spelt; anything else (no credential; a malformed, unknown, revoked or expired one)
 * against its client address (`ip:<address>`, client-address.ts). Buckets keyed by the raw header or
 * cookie let a password guesser take a fresh bucket per request (a random Bearer value each time) and a
 * limited caller respell its key (`bearer`, `BEARER`, extra spaces or tabs) for another.
 *
 * How the user is known depends on what checking a credential costs:
 * - `verifiedBuckets` (embedded store): the credential is checked at once, a SHA-256 and one indexed
 *   lookup, and the route then reuses that answer (caller.ts), so no request is checked twice;
 * - `rememberedBuckets` (BACKEND=odoo, proxy): checking means a call to the upstream, which choosing a
 *   bucket must not cost: a flood of random credentials would become a flood of upstream calls before
 *   the limit could refuse any. So a credential counts against its user once a route has verified it (a
 *   SHA-256 of the parsed credential is remembered with the user's id, for a few minutes and a bounded
 *   number of credentials, and forgotten when it is refused); until then it counts against its address.
 *   The first request of a valid credential therefore counts against its address.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Backend } from '../backends/backend.js';
import { TtlCache } from '../backends/odoo/ttl-cache.js';
import { SESSION_COOKIE } from '../gateway/credentials.js';
import { parseAuthorization, readCookie, resolveCaller, verifiedCaller } from './caller.js';
import { clientAddress } from './client-address.js';

export interface CallerBuckets {
  /** The bucket of this request. Never rejects. */
  key(request: FastifyRequest): Promise<string>;
  /** Told once each answer is sent (internal hops included): what the route found out about its credential. */
  answered?(request: FastifyRequest, statusCode: number): void;
}

const REMEMBER_MS = 5 * 60_000;
const REMEMBER_MAX = 10_000;

export function addressBucket(request: FastifyRequest): string {
  return `ip:${clientAddress(request.ip)}`;
}

/** Every request by its client address (for a server that authenticates no one itself). */
export const addressBuckets: CallerBuckets = { key: async (request) => addressBucket(request) };

function hasCredential(request: FastifyRequest): boolean {
  return request.headers.authorization !== undefined || readCookie(request.headers.cookie, SESSION_COOKIE) !== undefined;
}

/** Checks the credential now: for backends where that is a local lookup (the embedded store). */
export function verifiedBuckets(backend: Backend): CallerBuckets {
  return {
    async key(request) {
      if (!hasCredential(request)) return addressBucket(request);
      const caller = await resolveCaller(backend, request).catch(() => null);
      return caller ? `user:${caller.uid}` : addressBucket(request);
    },
  };
}

/**
 * The credential as caller.ts reads it (the key wins over the cookie), digested: every spelling of one
 * key is one digest. Undefined without a credential or with a malformed Authorization header.
 */
export function credentialDigest(request: FastifyRequest): string | undefined {
  let credential: string | undefined;
  try {
    const parsed = parseAuthorization(request.headers.authorization);
    if (parsed) credential = parsed.scheme === 'bearer' ? `bearer\0${parsed.key}` : `basic\0${parsed.login}\0${parsed.key}`;
  } catch {
    return undefined;
  }
  if (credential === undefined) {
    const sid = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (sid !== undefined) credential = `session\0${sid}`;
  }
  return credential === undefined ? undefined : createHash('sha256').update(credential).digest('base64url');
}

/** Never asks the backend: the user of a credential a route verified before, else the address. */
export function rememberedBuckets(): CallerBuckets {
  const known = new TtlCache<number>({ ttlMs: REMEMBER_MS, maxEntries: REMEMBER_MAX });
  return {
    async key(request) {
      const digest = credentialDigest(request);
      const uid = digest === undefined ? undefined : known.get(digest);
      return uid === undefined ? addressBucket(request) : `user:${uid}`;
    },
    answered(request, statusCode) {
      const caller = verifiedCaller(request);
      if (!caller && statusCode !== 401) return;
      const digest = credentialDigest(request);
      if (digest === undefined) return;
      if (caller) known.set(digest, caller.uid);
      else known.delete(digest);
    },
  };
}
