/**
 * The gateway client's private HTTP cache (RFC 9111, revalidation only): the last answer of a GET
 * that came with an `ETag`, kept per caller and URL, is offered back with `If-None-Match`; on
 * `304 Not Modified` the kept answer is used instead of reading and parsing it again. Nothing is ever
 * served without asking the gateway first, so the gateway still checks the caller (a revoked key gets
 * its 401) and still decides whether the data changed (src/rest/conditional-get.ts on this server).
 *
 * - Keys hold a SHA-256 of the caller's credentials, never the credentials themselves, so one caller's
 *   answers are never offered on behalf of another (and the gateway's tags name the caller anyway).
 * - Answers are kept parsed, so a 304 costs neither reading nor parsing. A kept answer is deep-frozen
 *   the first time it is reused, since from then on several operations share it (nothing in the GraphQL
 *   face writes into an answer; freezing makes sure it never will unnoticed).
 * - Bounded by an estimate of the memory held: twice the answer's length in characters (a parsed page
 *   of records takes 1.0 to 1.8 times its JSON text on V8), least recently used first out; an answer
 *   above a sixteenth of the budget is not kept.
 */
import { createHash } from 'node:crypto';
import type { Credentials } from './credentials.js';

export interface CachedAnswer {
  readonly etag: string;
  /** The parsed answer; frozen once it has been reused. */
  readonly body: unknown;
  /** Bytes counted against the budget. */
  readonly cost: number;
}

/** Budget bytes counted for an answer of this many characters (see above). */
export const costOfText = (length: number): number => 2 * length;

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

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
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

  /** Keeps a parsed answer of `length` characters, dropping the least recently used ones past the budget. */
  set(key: string, etag: string, body: unknown, length: number): void {
    this.delete(key);
    const cost = costOfText(length);
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
    deepFreeze(entry.body);
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
