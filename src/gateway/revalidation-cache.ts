/**
 * The gateway client's private HTTP cache (RFC 9111, revalidation only): a GET answer that came with an
 * `ETag`, kept per caller and URL (once it proved stable, below), is offered back with `If-None-Match`; on
 * `304 Not Modified` the kept answer is used instead of reading and parsing it again. Nothing is ever
 * served without asking the gateway first, so the gateway still checks the caller (a revoked key gets
 * its 401) and still decides whether the data changed (src/rest/conditional-get.ts on this server).
 *
 * - Keys hold a SHA-256 of the caller's credentials, never the credentials themselves, so one caller's
 *   answers are never offered on behalf of another (and the gateway's tags name the caller anyway).
 * - An answer is kept once it has proved stable: the first answer for a key leaves only its tag, and
 *   the answer is kept when the next one comes with the same tag. Data that changes between every two
 *   reads (a write-heavy load) is never kept, so it costs no memory: answers held from one request to the
 *   next would outlive V8's young generation and swell the old one (`npm run soak` peaked 15-35 MB
 *   higher when every answer was kept).
 * - Answers are kept parsed, so a 304 costs neither reading nor parsing. A kept answer is deep-frozen
 *   the first time it is reused, since from then on several operations share it (nothing in the GraphQL
 *   face writes into an answer; freezing makes sure it never will unnoticed).
 * - Bounded by an estimate of the memory held: twice the answer's length in characters (a parsed page
 *   of records takes 1.0 to 1.8 times its JSON text on V8), least recently used first out; an answer
 *   above a sixteenth of the budget is not kept.
 *
 * Kept rather than undici's `interceptors.cache` (RFC 9111), which cannot serve this use: it stores no
 * answer to a request with `Authorization` unless the answer says `public`, `s-maxage` or
 * `must-revalidate` (RFC 9111, 3.5), and ours say `private, no-cache` (src/rest/conditional-get.ts), so
 * Bearer callers would never be cached; its key is the URL (plus `Vary`), not the caller; it keeps bytes,
 * so every 304 would be parsed again; it turns a 304 into the kept 200, where the client reports the
 * 304; and it has no "kept once stable" rule.
 */
import { createHash } from 'node:crypto';
import type { Credentials } from './credentials.js';

export interface CachedAnswer {
  readonly etag: string;
  /** The parsed answer, frozen once it has been reused; undefined while only the tag is noted. */
  readonly body: unknown;
  /** Bytes counted against the budget. */
  readonly cost: number;
}

/** Budget bytes counted for an answer of this many characters (see above). */
export const costOfText = (length: number): number => 2 * length;

/** What a noted tag and its key are counted as. */
const TAG_COST = 256;

export interface RevalidationCacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
}

/** The cache key of a caller (a digest of their credentials) and a path with its query. */
export function cacheKey(credentials: Credentials | undefined, pathAndQuery: string): string {
  if (!credentials) return `-\n${pathAndQuery}`;
  const digest = createHash('sha256')
    .update(
      `${credentials.authorization ?? ''}\n${credentials.sessionCookie ?? ''}\n${credentials.acceptLanguage ?? ''}\n${credentials.companyIds ?? ''}`,
    )
    .digest('base64url');
  return `${digest}\n${pathAndQuery}`;
}

/** Freezes a parsed answer, deeply, before more than one operation holds it (a kept one, or one read for several). */
export function freezeShared(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) freezeShared(inner);
}

export class RevalidationCache {
  readonly #entries = new Map<string, CachedAnswer>();
  readonly #maxEntryBytes: number;
  #bytes = 0;

  constructor(readonly maxBytes: number) {
    this.#maxEntryBytes = Math.floor(maxBytes / 16);
  }

  /** The kept answer, now the most recently used (not frozen: see `reuse`). */
  get(key: string): CachedAnswer | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  /** True when a fresh answer with this tag would be kept by `offer` (the last one for the key had it). */
  keeps(key: string, etag: string): boolean {
    return this.#entries.get(key)?.etag === etag;
  }

  /**
   * A fresh answer of `length` characters: kept when the last one for this key had the same tag (it
   * proved stable), else only its tag is noted (see above).
   */
  offer(key: string, etag: string, body: unknown, length: number): void {
    if (this.#entries.get(key)?.etag === etag) this.set(key, etag, body, length);
    else this.set(key, etag, undefined, 0);
  }

  /** Keeps a parsed answer of `length` characters (or, without a body, the tag alone), dropping the least recently used ones past the budget. */
  set(key: string, etag: string, body: unknown, length: number): void {
    this.delete(key);
    const cost = body === undefined ? TAG_COST : costOfText(length);
    if (cost > this.#maxEntryBytes) return;
    this.#entries.set(key, { etag, body, cost });
    this.#bytes += cost;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.cost;
    }
  }

  /** A kept answer's body for one more operation: frozen (deeply, once) before it is shared. */
  static reuse(entry: CachedAnswer): unknown {
    freezeShared(entry.body);
    return entry.body;
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.cost;
  }

  get stats(): RevalidationCacheStats {
    return { entries: this.#entries.size, bytes: this.#bytes, maxBytes: this.maxBytes };
  }
}
