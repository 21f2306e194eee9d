/**
 * A bounded map whose entries expire: the credential, field and user caches of the Odoo backend.
 * Full: the least recently used entry goes first. Expired entries are dropped when met.
 */
export interface TtlCacheOptions {
  /** How long an entry lives, in milliseconds. */
  readonly ttlMs: number;
  /** Most entries kept. */
  readonly maxEntries: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();
  readonly #now: () => number;

  constructor(private readonly options: TtlCacheOptions) {
    if (!(options.maxEntries >= 1)) throw new RangeError(`TtlCache: maxEntries must be >= 1, got ${options.maxEntries}`);
    this.#now = options.now ?? Date.now;
  }

  /** The live value under `key` (marked as recently used), or undefined. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: this.#now() + this.options.ttlMs });
    while (this.#entries.size > this.options.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
