/**
 * Prepared statements kept for reuse, by SQL text, within a budget in bytes (issue 13).
 *
 * better-sqlite3 advises preparing a statement once and reusing it. But every new domain shape is new SQL,
 * and SQLite's prepared form of a statement takes 10 to 31 times its SQL text in memory (resident memory
 * of 100 to 2,000 copies of one statement, after `gc()`: 249 characters of SQL took 5 KB each, 448 took
 * 14 KB, random domains at the cost bounds (4,600 to 5,100 characters) 48 to 63 KB, the flood of issue 13
 * (87,000 to 95,000) 1.2 to 1.5 MB), so a cache counted in entries (2,000) let any logged-in user fill the
 * process with varied domains: 175 MB to 1,147 MB in 40 s, kept when idle. Here:
 * - the budget is in bytes, each statement counted by an estimate of its prepared size from its SQL length
 *   (2 KB and 32 bytes per character: above every figure measured);
 * - a statement is kept only the second time its SQL is seen (a bounded set of hashes remembers what was
 *   seen once), so a flood of one-off shapes is prepared, run and dropped, and never evicts the
 *   application's own queries; the statements it drops are finalised when V8 collects them;
 * - a statement estimated above an eighth of the budget is never kept;
 * - the least recently used statements go first, but not faster than V8 frees them. better-sqlite3 has no
 *   way to finalise a statement: SQLite's memory goes when V8 collects the JavaScript object, and V8 does
 *   not know that memory is there. A statement dropped as soon as it ran dies young and goes at the next
 *   scavenge, but one that sat in the cache lives in the old generation until the next major GC, which may
 *   be minutes away: evicting at the pace of an attacker who sends each new shape twice grew a process by
 *   370 MB in 3,000 shapes. So evicted statements are counted until a FinalizationRegistry reports them
 *   collected, and while they exceed half the budget nothing more is evicted: new statements are used
 *   once and dropped instead, until V8 catches up.
 */
import type { Statement } from 'better-sqlite3';
import { createHash } from 'node:crypto';

/** Estimated bytes of a prepared statement: a fixed part, and per character of its SQL (see the measures above). */
const FIXED_BYTES = 2048;
const BYTES_PER_SQL_CHARACTER = 32;
/** How many SQL texts seen once are remembered (a 20-byte hash each). */
const SEEN_ONCE_CAPACITY = 4096;

export interface StatementCacheStats {
  /** Statements kept. */
  readonly entries: number;
  /** Their estimated prepared size, in bytes. */
  readonly bytes: number;
  readonly budgetBytes: number;
  /** Estimated bytes of evicted statements V8 has not collected yet (at most half the budget). */
  readonly evictedBytes: number;
  /** SQL texts seen once and remembered, waiting for a second sight. */
  readonly seenOnce: number;
}

/** The estimated memory of `sql` once prepared, in bytes. */
export function estimatedStatementBytes(sql: string): number {
  return FIXED_BYTES + BYTES_PER_SQL_CHARACTER * sql.length;
}

interface Entry {
  readonly statement: Statement;
  readonly bytes: number;
}

export class StatementCache {
  /** In use order: the least recently used first. */
  readonly #entries = new Map<string, Entry>();
  /** Hashes of SQL seen once, oldest first. */
  readonly #seenOnce = new Set<string>();
  #bytes = 0;
  #evictedBytes = 0;
  readonly #collected = new FinalizationRegistry<number>((bytes) => {
    this.#evictedBytes -= bytes;
  });

  constructor(
    private readonly prepare: (sql: string) => Statement,
    readonly budgetBytes: number,
  ) {}

  /** The statement for `sql`: the kept one, or a new one (kept if `sql` was seen before and there is room). */
  get(sql: string): Statement {
    const entry = this.#entries.get(sql);
    if (entry) {
      this.#entries.delete(sql);
      this.#entries.set(sql, entry);
      return entry.statement;
    }
    const statement = this.prepare(sql);
    const bytes = estimatedStatementBytes(sql);
    if (bytes > this.budgetBytes / 8) return statement;
    const hash = createHash('sha1').update(sql).digest('base64');
    if (!this.#seenOnce.delete(hash)) {
      this.#seenOnce.add(hash);
      if (this.#seenOnce.size > SEEN_ONCE_CAPACITY) this.#seenOnce.delete(this.#seenOnce.values().next().value!);
      return statement;
    }
    if (!this.#makeRoom(bytes)) return statement;
    this.#entries.set(sql, { statement, bytes });
    this.#bytes += bytes;
    return statement;
  }

  /** Evicts the least recently used statements to fit `bytes`, unless too many evicted ones still await V8. */
  #makeRoom(bytes: number): boolean {
    const victims: string[] = [];
    let freed = 0;
    for (const [sql, entry] of this.#entries) {
      if (this.#bytes - freed + bytes <= this.budgetBytes) break;
      victims.push(sql);
      freed += entry.bytes;
    }
    if (this.#bytes - freed + bytes > this.budgetBytes) return false;
    if (freed > 0 && this.#evictedBytes + freed > this.budgetBytes / 2) return false;
    for (const sql of victims) {
      const victim = this.#entries.get(sql)!;
      this.#entries.delete(sql);
      this.#bytes -= victim.bytes;
      this.#evictedBytes += victim.bytes;
      this.#collected.register(victim.statement, victim.bytes);
    }
    return true;
  }

  stats(): StatementCacheStats {
    return {
      entries: this.#entries.size,
      bytes: this.#bytes,
      budgetBytes: this.budgetBytes,
      evictedBytes: this.#evictedBytes,
      seenOnce: this.#seenOnce.size,
    };
  }
}
