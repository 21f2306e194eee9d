/**
 * The store's SQL plumbing: prepared statements reused from one cache sized in bytes
 * (sql/statement-cache.ts), transactions, and the revision token that changes whenever the database may
 * have changed. A cached statement serves rows as objects, or as arrays for the hot read path
 * (better-sqlite3's raw mode, switched at each use), so one SQL text is prepared once whatever the form.
 */
import type { Statement } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { databaseBusy, isDatabaseBusy } from '../errors.js';
import type { SqliteDatabase } from './database.js';
import { PlannerStatistics } from './planner-statistics.js';
import type { StoredValue } from './model-definition.js';
import type { SqlFragment } from './sql/sql-fragment.js';
import { StatementCache, type StatementCacheStats } from './sql/statement-cache.js';

/** A row as stored, by column name. */
export type Row = Record<string, StoredValue>;

/**
 * Estimated bytes of prepared statements the store's cache keeps (see statement-cache.ts; the estimate is
 * on the generous side): room for about 480 typical statements (1 KB of SQL each), or 12 of the largest
 * domains the cost bounds allow (43 KB of SQL). Evicted statements awaiting V8 add at most half as much again.
 */
export const DEFAULT_STATEMENT_CACHE_BYTES = 16 * 1024 * 1024;

export class StoreStatements {
  readonly #cache: StatementCache;
  readonly #bootId = randomBytes(6).toString('base64url');
  readonly #changes: Statement;
  readonly #dataVersion: Statement;
  readonly #statistics: PlannerStatistics;
  #foreignVersion: number | undefined;

  constructor(
    readonly db: SqliteDatabase,
    budgetBytes: number = DEFAULT_STATEMENT_CACHE_BYTES,
  ) {
    this.#cache = new StatementCache((text) => db.prepare(text), budgetBytes);
    this.#changes = db.prepare('SELECT total_changes()').pluck(true);
    this.#dataVersion = db.prepare('PRAGMA data_version').pluck(true);
    this.#statistics = new PlannerStatistics(db);
    this.#statistics.opened(this.#changes.get() as number);
  }

  /**
   * A prepared statement for `text` whose rows come as objects, reused from the cache once the same SQL is
   * seen twice (statements are prepared once, as better-sqlite3 advises; one-off domain shapes are not kept).
   */
  statement(text: string): Statement {
    const statement = this.#cache.get(text);
    return statement.reader ? statement.raw(false) : statement;
  }

  /** What the statement cache holds: entries, estimated bytes and budget. */
  cacheStats(): StatementCacheStats {
    return this.#cache.stats();
  }

  all(fragment: SqlFragment): Row[] {
    return this.statement(fragment.sql).all(...fragment.params) as Row[];
  }

  /** Rows as arrays (better-sqlite3's raw mode skips building an object per row: the hot read path). */
  allRaw(fragment: SqlFragment): StoredValue[][] {
    return this.#cache
      .get(fragment.sql)
      .raw(true)
      .all(...fragment.params) as StoredValue[][];
  }

  run(fragment: SqlFragment): void {
    this.#cache.get(fragment.sql).run(...fragment.params);
  }

  /**
   * A token that changes whenever the database may have changed: this connection's change count
   * (SQLite's total_changes(), which counts rolled-back changes too: a harmless extra change) and its
   * data version (which moves when another connection, e.g. the CLI in another process, commits),
   * behind a random id of this process, so a restart never repeats an old token.
   */
  revision(): string {
    return `${this.#bootId}.${this.#changes.get() as number}.${this.foreignVersion()}`;
  }

  /**
   * A token of the committed data this connection sees, for caches of what is read outside transactions
   * (snapshot-cache.ts): it moves with every change this connection makes (rolled back or not) and
   * every commit of another connection. Undefined inside a transaction, whose reads may yet be rolled back.
   */
  committedDataToken(): string | undefined {
    if (this.db.inTransaction) return undefined;
    return `${this.#changes.get() as number}.${this.foreignVersion()}`;
  }

  /**
   * SQLite's data version alone: it moves only when another connection (another process) commits. Read
   * once per synchronous stretch (a request asks for it when it resolves its caller, its tag and each
   * read): within one, a later value could only say that another process committed a moment earlier.
   * Not longer: the requests of one turn of the event loop arrive at different times, and one sent after
   * another process's commit must see it (read-after-write across processes).
   */
  foreignVersion(): number {
    if (this.#foreignVersion === undefined) {
      this.#foreignVersion = this.#dataVersion.get() as number;
      queueMicrotask(() => {
        this.#foreignVersion = undefined;
      });
    }
    return this.#foreignVersion;
  }

  /**
   * Runs `fn` in a transaction (nested calls join the outer one, as a savepoint). BEGIN IMMEDIATE: the
   * write lock is taken first, waiting for it up to busy_timeout. A deferred transaction that has read and
   * then writes is refused at once with SQLITE_BUSY when another process (WORKERS, the CLI) holds the lock
   * or has committed since its read: SQLite cannot call the busy handler for a reader becoming a writer.
   * Should the lock still not come within busy_timeout, the caller gets a 503 to retry, not a 500.
   * After the outermost commit, the planner's statistics may be refreshed (planner-statistics.ts).
   */
  transaction<T>(fn: () => T): T {
    const outermost = !this.db.inTransaction;
    try {
      const result = this.db.transaction(fn).immediate();
      if (outermost) this.#statistics.committed(this.#changes.get() as number);
      return result;
    } catch (error) {
      if (!isDatabaseBusy(error)) throw error;
      throw databaseBusy(error);
    }
  }

  /**
   * Runs `fn` in a read transaction: one snapshot of the database for several reads (the change feed),
   * without the write lock (BEGIN DEFERRED), so writers never wait for it. `fn` must not write: a
   * deferred transaction that writes can be refused at once when another process has written since.
   */
  readTransaction<T>(fn: () => T): T {
    return this.db.transaction(fn).deferred();
  }
}
