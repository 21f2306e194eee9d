/**
 * The gateway client's private HTTP cache (RFC 9111, revalidation only): the last answer of a GET
 * that came with an `ETag`, kept per caller and URL, is offered back with `If-None-Match`; on
 * `304 Not Modified` the kept answer is used instead of reading and parsing it again. Nothing is ever
 * served without asking the gateway first, so the gateway still checks the caller (a revoked key gets
 * its 401) and still decides whether the data changed (src/rest/conditional-get.ts on this server).
 *
 * - Keys hold a SHA-256 of the caller's credentials, never the credentials themselves, so one caller's
 *   answers are never offered on behalf of another (and the gateway's tags name the caller anyway).
 * - Answers are kept as the text that came over the wire and parsed again when reused: every operation
 *   gets its own objects, and the budget counts what is really held (a string of that many characters,
 *   not a parsed tree several times its size). Least recently used first out; an answer above a
 *   sixteenth of the budget is not kept.
 */
import { createHash } from 'node:crypto';
import type { Credentials } from './credentials.js';

export interface CachedAnswer {
  readonly etag: string;
  /** The answer's body as received (JSON text). */
  readonly text: string;
}

export interface RevalidationCacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
}

const credentialKeys = new WeakMap<Credentials, string>();

/** The cache key of a caller (the same credentials object is hashed once) and a path with its query. */
export function cacheKey(credentials: Credentials | undefined, pathAndQuery: string): string {
  if (!credentials) return `-\n${pathAndQuery}`;
  let key = credentialKeys.get(credentials);
  if (key === undefined) {
    key = createHash('sha256').update(`${credentials.authorization ?? ''}\n${credentials.sessionCookie ?? ''}`).digest('base64url');
    credentialKeys.set(credentials, key);
  }
  return `${key}\n${pathAndQuery}`;
}

export class RevalidationCache {
  readonly #entries = new Map<string, CachedAnswer>();
  readonly #maxEntryBytes: number;
  #bytes = 0;

  constructor(readonly maxBytes: number) {
    this.#maxEntryBytes = Math.floor(maxBytes / 16);
  }

  /** The kept answer, now the most recently used. */
  get(key: string): CachedAnswer | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  /** Keeps an answer, dropping the least recently used ones past the budget (sizes counted in characters). */
  set(key: string, etag: string, text: string): void {
    this.delete(key);
    if (text.length > this.#maxEntryBytes) return;
    this.#entries.set(key, { etag, text });
    this.#bytes += text.length;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.text.length;
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.text.length;
  }

  get stats(): RevalidationCacheStats {
    return { entries: this.#entries.size, bytes: this.#bytes, maxBytes: this.maxBytes };
  }
}
