/**
 * Password checks for request paths: scrypt on libuv's thread pool (`crypto.scrypt`), never on the event
 * loop, so a flood of logins cannot stall the requests of everyone else. Each check is ~16 MiB and tens
 * of milliseconds of one core, so at most `concurrency` run at once (by default one core less than the
 * machine has, so the event loop keeps one, and at most 3 of libuv's 4 threads, so file and DNS work
 * keep one) and at most `queue` wait behind them; any more are refused at once with a 503 instead of
 * piling up memory and latency. Unknown logins are hashed the same way (same cost, same queue), so
 * neither the answer's time nor a full queue tells whether a login exists.
 */
import { availableParallelism } from 'node:os';
import { scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { BackendError } from '../errors.js';

export const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;
/** What an unknown login is checked against: a hash of the same cost that nothing matches. */
const NO_SUCH_USER = {
  salt: Buffer.from('no-such-user-salt'),
  expected: Buffer.alloc(SCRYPT.keylen),
  options: { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p },
};

export interface PasswordHasherOptions {
  readonly concurrency?: number;
  readonly queue?: number;
}

export const DEFAULT_HASH_CONCURRENCY = Math.max(1, Math.min(3, availableParallelism() - 1));
export const DEFAULT_HASH_QUEUE = 16;

/** A stored `scrypt$N$r$p$salt$hash`, or undefined for anything else (no password set). */
export function parseStoredHash(stored: string | null): { salt: Buffer; expected: Buffer; options: ScryptOptions } | undefined {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  return {
    salt: Buffer.from(salt, 'base64'),
    expected: Buffer.from(hash, 'base64'),
    options: { N: Number(n), r: Number(r), p: Number(p) },
  };
}

export class PasswordHasher {
  readonly #concurrency: number;
  readonly #queue: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(options: PasswordHasherOptions = {}) {
    this.#concurrency = options.concurrency ?? DEFAULT_HASH_CONCURRENCY;
    this.#queue = options.queue ?? DEFAULT_HASH_QUEUE;
  }

  /**
   * Whether `password` matches `stored` (a missing or unusable hash never matches, after the same work).
   * Rejects with a 503 BackendError when `concurrency` checks run and `queue` wait already.
   */
  async verify(password: string, stored: string | null): Promise<boolean> {
    const target = parseStoredHash(stored);
    const { salt, expected, options } = target ?? NO_SUCH_USER;
    await this.#slot();
    try {
      const actual = await scryptAsync(password, salt, expected.length, options);
      return target !== undefined && timingSafeEqual(actual, expected);
    } finally {
      this.#release();
    }
  }

  #slot(): Promise<void> {
    if (this.#running < this.#concurrency) {
      this.#running++;
      return Promise.resolve();
    }
    if (this.#waiting.length >= this.#queue) {
      return Promise.reject(new BackendError('upstream_overloaded', 'too many logins in progress: retry in a second'));
    }
    // The slot is handed over by #release, so #running stays counted for the waiter.
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#running--;
  }
}

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));
}
