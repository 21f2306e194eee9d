/**
 * Keeps SQLite's planner statistics (sqlite_stat1) current while the server runs, as SQLite advises for
 * long-lived connections. Once the connection has made CHECK_AFTER_CHANGES changes since the last check:
 * - each table analysed with fewer than SMALL_TABLE rows that now holds twice as many (and GROWTH_MARGIN
 *   more) is analysed again;
 * - then `PRAGMA optimize=0x10002`, SQLite's own periodic check (tables it estimates grew or shrank
 *   tenfold, from their page counts: too coarse for the case below, where 10× more leads of a few fields
 *   each went unnoticed).
 *
 * Why: statistics gathered when a table was small (the demo's 150 leads) make SQLite read a list of ids
 * (`t."id" IN (SELECT value FROM json_each(?))`: every read by id, access check and write) by scanning an
 * index of the whole table instead of looking each id up, and it stays that way as the table grows: with
 * the statistics of 150 leads, one read by id took 34 µs at 1,500 leads, 404 µs at 20,000 and 2 ms at
 * 100,000, against 4 µs once analysed again. Past a few thousand rows SQLite looks ids up whatever the
 * statistics say, so larger tables are left to `PRAGMA optimize`, and counting rows stays cheap.
 *
 * The store checks small tables once when it opens the database (database.ts has just run SQLite's
 * optimize), then after commits, on the next turn of the event loop, outside any transaction. It never waits for the write lock (another WORKERS process may hold
 * it): busy, it is left to the next check. ANALYZE reads at most ANALYSIS_LIMIT rows of each index, so
 * even a large table costs a few milliseconds.
 */
import { isDatabaseBusy } from '../errors.js';
import type { SqliteDatabase } from './database.js';

/** Changes (rows inserted, updated or deleted by this connection) between two checks. */
export const CHECK_AFTER_CHANGES = 100;

/** Tables analysed with fewer rows than this are counted at each check. */
const SMALL_TABLE = 5000;

/** Rows a small table must have gained, beyond doubling, to be analysed again (tiny tables would churn). */
const GROWTH_MARGIN = 100;

/** Rows ANALYZE reads per index while serving (SQLite suggests a few hundred to a thousand with optimize). */
const ANALYSIS_LIMIT = 1000;

export class PlannerStatistics {
  /** The connection's total_changes() at the last check. */
  #checkedAt = 0;
  #scheduled = false;

  constructor(private readonly db: SqliteDatabase) {}

  /** When the store opens the database: its small tables, which may have grown under another program. */
  opened(totalChanges: number): string[] | undefined {
    return this.#check(totalChanges, false);
  }

  /** After a commit: schedules a check once CHECK_AFTER_CHANGES changes were made since the last. */
  committed(totalChanges: number): void {
    if (this.#scheduled || totalChanges - this.#checkedAt < CHECK_AFTER_CHANGES) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.check(totalChanges);
    });
  }

  /**
   * The check now, unless the connection is closed or in a transaction: the tables it analysed again
   * (SQLite's optimize aside), or undefined when it did not run or found the write lock taken.
   */
  check(totalChanges: number): string[] | undefined {
    return this.#check(totalChanges, true);
  }

  #check(totalChanges: number, sqliteOptimize: boolean): string[] | undefined {
    if (!this.db.open || this.db.inTransaction) return undefined;
    this.#checkedAt = totalChanges;
    const busyTimeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    try {
      this.db.pragma('busy_timeout = 0');
      this.db.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
      const grown = this.#grownSmallTables();
      for (const table of grown) this.db.exec(`ANALYZE ${quoted(table)}`);
      if (sqliteOptimize) this.db.exec('PRAGMA optimize=0x10002');
      return grown;
    } catch (error) {
      if (isDatabaseBusy(error)) return undefined;
      throw error;
    } finally {
      this.db.pragma('analysis_limit = 0');
      this.db.pragma(`busy_timeout = ${busyTimeout}`);
    }
  }

  #grownSmallTables(): string[] {
    const analysed = this.db
      .prepare(`SELECT tbl, max(CAST(stat AS INTEGER)) AS n FROM sqlite_stat1 GROUP BY tbl HAVING n < ?`)
      .all(SMALL_TABLE) as Array<{ tbl: string; n: number }>;
    const count = (table: string) =>
      this.db
        .prepare(`SELECT count(*) FROM ${quoted(table)}`)
        .pluck(true)
        .get() as number;
    return analysed.filter(({ tbl, n }) => count(tbl) >= 2 * n + GROWTH_MARGIN).map(({ tbl }) => tbl);
  }
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
