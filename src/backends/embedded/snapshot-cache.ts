/**
 * What the store read outside transactions, kept while the data it was read from is unchanged (issue 20):
 * the display names a list shows (80 orders named the same 40 customers at every request: a fifth of the
 * list's SQL time) and the users of API keys (a lookup per request). Only for values that depend on the
 * data alone, never on who asks: display names are read as superuser (Odoo shows the name of a related
 * record the caller cannot read); a key's user is the key's.
 *
 * Validity: the store's committed-data token (StoreStatements.committedDataToken) moves with every write
 * of this connection, rolled back or not, and every commit of another connection or process (the CLI,
 * another worker); at a new token everything goes. Reads inside a transaction neither use nor fill a
 * cache: the token is undefined there, as their data may yet be rolled back. Bounded: past `maxEntries`
 * entries (as counted by `grew`) the cache starts again.
 */
export class SnapshotCache<K, V> {
  #token: string | undefined;
  #entries = 0;
  readonly #map = new Map<K, V>();

  constructor(private readonly maxEntries: number) {}

  /** The entries kept while `token` holds (emptied when it moved), or undefined without a token (in a transaction). */
  at(token: string | undefined): Map<K, V> | undefined {
    if (token === undefined) return undefined;
    if (token !== this.#token || this.#entries > this.maxEntries) {
      this.#map.clear();
      this.#entries = 0;
      this.#token = token;
    }
    return this.#map;
  }

  /** Counts entries added, directly or inside values, towards the bound. */
  grew(count: number): void {
    this.#entries += count;
  }
}
