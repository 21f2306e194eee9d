/**
 * The embedded store's change feed (issue 19; docs/rest.md, "Change feed"): a change log in the database,
 * written by SQLite triggers in the transaction of each write, and the feed of a model read from it as a
 * caller, with the long-polling watch that wakes waiting requests.
 *
 * The log: `_change_log(revision, model, res_id, op, at, before)`, one row per record created, written or
 * deleted (`create`, `write`, `unlink`), `before` the record's stored row before that change (JSON; absent
 * for a create). Triggers rather than code in store-write.ts: they see every change of a row whatever made
 * it (the store's writes, stored computes and partner syncs that update other records, SQL cascades of a
 * delete, `ON DELETE SET NULL`, x2many links, the CLI, another process on the same DATA_DIR), in the very
 * transaction that makes it, so a rolled-back write logs nothing and a committed one can never be missed.
 * Besides its own rows, a table's triggers log the records whose one2many lists it (a line added to an
 * order logs the order), and a many2many link table's those on both sides of a link. Reads log nothing.
 *
 * The cursor is the log's revision with the database's id (`_meta.database_id`, new for each database a
 * server creates or a `demo reset` copies in), base64url, so a cursor of another database is a 410.
 * The log is pruned by age and size (CHANGES_MAX_AGE_S, CHANGES_MAX_ROWS); `_meta.changes_floor` is the
 * last revision pruned, and a cursor below it is a 410 (the client reloads).
 *
 * What a caller is told (`changes`), per record logged since the cursor, its changes coalesced:
 * - it matches the domain, the `active` filter and the caller's read rules now: `created` when it did not
 *   exist at the cursor or did not match then (its `before` of its first change since), else `updated`,
 *   with the record read as the caller;
 * - it does not (deleted, archived, left the domain or the rules): `removed` only when the log shows that
 *   it matched, as the caller's rules stand, at a moment since the cursor: at the cursor (the `before` of
 *   its first change since) or just before its last change (the `before` of that one). Otherwise nothing:
 *   a caller never learns the id of a record the log cannot show was his to see.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DomainNode } from '../../domain/types.js';
import type { OdooRecord } from '../backend.js';
import { CursorGoneError, InvalidCursorError, type ChangesResult, type RecordChange } from '../changes.js';
import type { SqliteDatabase } from './database.js';
import type { Registry, RegistryModel } from './registry.js';
import { ident, idsIn } from './sql/sql-fragment.js';
import type { Actor, Store } from './store.js';

export const CHANGE_LOG_TABLE = '_change_log';
const TRIGGER_PREFIX = '_changes_';
const NOW = `CAST(strftime('%s', 'now') AS INTEGER)`;
/** How often a process prunes the log at most (on writes and feed reads). */
const PRUNE_EVERY_MS = 60_000;
/** How often the watch looks at the log's last revision while requests wait. */
export const WATCH_INTERVAL_MS = 100;

/** How long and how much the log keeps (CHANGES_MAX_AGE_S, CHANGES_MAX_ROWS). */
export interface ChangeLogLimits {
  readonly maxAgeS: number;
  readonly maxRows: number;
}

// ---------------------------------------------------------------- schema: the table and its triggers

/** `json_object(...)` of the stored row `alias` (binary and internal columns as 1 or null: set or not). */
function rowJson(model: RegistryModel, alias: string): string {
  const parts = model.storedFields.map((field) => {
    const column = `${alias}.${ident(field.column)}`;
    const value = field.type === 'binary' || field.internal ? `CASE WHEN ${column} IS NULL THEN NULL ELSE 1 END` : column;
    return `'${field.column}', ${value}`;
  });
  return `json_object(${parts.join(', ')})`;
}

const logInsert = `INSERT INTO "${CHANGE_LOG_TABLE}" ("model", "res_id", "op", "at", "before")`;

/** Logs as `write` the record of `model` whose id is `idExpression` (when it exists), with its row as `before`. */
function logRelated(model: RegistryModel, idExpression: string): string {
  return `${logInsert} SELECT '${model.name}', r."id", 'write', ${NOW}, ${rowJson(model, 'r')} FROM ${ident(model.table)} r WHERE r."id" = ${idExpression};`;
}

/** The triggers of the log, by name (the name ends with a hash of the SQL, so a changed model gets new ones). */
function wantedTriggers(registry: Registry): Map<string, string> {
  const models = [...registry.models];
  // The one2many lists each table's rows appear in: (the model holding the list, this table's column pointing to it).
  const parents = new Map<string, Map<string, RegistryModel>>();
  // Each many2many link table's columns, and the model each column's ids are of.
  const links = new Map<string, Map<string, RegistryModel>>();
  for (const model of models) {
    for (const field of model.fields.values()) {
      if (field.type === 'one2many') {
        const comodel = registry.model(field.relation);
        const column = comodel.fields.get(field.inverseName)?.column;
        if (!column) continue;
        const byColumn = parents.get(comodel.table) ?? new Map<string, RegistryModel>();
        byColumn.set(column, model);
        parents.set(comodel.table, byColumn);
      } else if (field.type === 'many2many') {
        const byColumn = links.get(field.link.table) ?? new Map<string, RegistryModel>();
        byColumn.set(field.link.ownColumn, model);
        links.set(field.link.table, byColumn);
      }
    }
  }
  const triggers = new Map<string, string>();
  const add = (table: string, event: string, body: string) => {
    const head = `AFTER ${event} ON ${ident(table)}`;
    const hash = createHash('sha256').update(head).update(body).digest('hex').slice(0, 10);
    const name = `${TRIGGER_PREFIX}${table}_${event.split(' ')[0]!.toLowerCase()}_${hash}`;
    triggers.set(name, `CREATE TRIGGER IF NOT EXISTS ${ident(name)} ${head} BEGIN\n${body}\nEND`);
  };
  for (const model of models) {
    const own = (op: string, row: 'NEW' | 'OLD', before: string) =>
      `${logInsert} VALUES ('${model.name}', ${row}."id", '${op}', ${NOW}, ${before});`;
    const related = [...(parents.get(model.table) ?? new Map<string, RegistryModel>())];
    add(model.table, 'INSERT', [own('create', 'NEW', 'NULL'), ...related.map(([c, p]) => logRelated(p, `NEW.${ident(c)}`))].join('\n'));
    // Internal columns (password hashes) are no field anyone reads: changing only them is no change to tell.
    const columns = model.storedFields.filter((f) => !f.internal).map((f) => ident(f.column));
    add(
      model.table,
      `UPDATE OF ${columns.join(', ')}`,
      [
        own('write', 'NEW', rowJson(model, 'OLD')),
        ...related.map(
          ([c, p]) =>
            `${logInsert} SELECT '${p.name}', r."id", 'write', ${NOW}, ${rowJson(p, 'r')} FROM ${ident(p.table)} r WHERE OLD.${ident(c)} IS NOT NEW.${ident(c)} AND r."id" IN (OLD.${ident(c)}, NEW.${ident(c)});`,
        ),
      ].join('\n'),
    );
    add(
      model.table,
      'DELETE',
      [own('unlink', 'OLD', rowJson(model, 'OLD')), ...related.map(([c, p]) => logRelated(p, `OLD.${ident(c)}`))].join('\n'),
    );
  }
  for (const [table, byColumn] of links) {
    add(table, 'INSERT', [...byColumn].map(([c, m]) => logRelated(m, `NEW.${ident(c)}`)).join('\n'));
    add(table, 'DELETE', [...byColumn].map(([c, m]) => logRelated(m, `OLD.${ident(c)}`)).join('\n'));
  }
  return triggers;
}

/**
 * Creates the log, its index and its triggers (called at open, in the transaction that creates the
 * tables, after them): the triggers of an older model shape are replaced, current ones left alone (no
 * schema change on an ordinary open). Last of the tables: `demo reset` copies tables in their order, and
 * the rows the triggers log while it replaces the others are then replaced by the new database's log.
 */
export function createChangeLog(db: SqliteDatabase, registry: Registry): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS "${CHANGE_LOG_TABLE}" (
      "revision" INTEGER PRIMARY KEY AUTOINCREMENT,
      "model" TEXT NOT NULL,
      "res_id" INTEGER NOT NULL,
      "op" TEXT NOT NULL,
      "at" INTEGER NOT NULL,
      "before" TEXT
    );
    CREATE INDEX IF NOT EXISTS "${CHANGE_LOG_TABLE}_model_idx" ON "${CHANGE_LOG_TABLE}" ("model", "revision");
  `);
  db.prepare(`INSERT OR IGNORE INTO "_meta" ("key", "value") VALUES ('database_id', ?)`).run(randomBytes(9).toString('base64url'));
  const wanted = wantedTriggers(registry);
  const existing = db
    .prepare(`SELECT "name" FROM sqlite_master WHERE "type" = 'trigger' AND substr("name", 1, ${TRIGGER_PREFIX.length}) = ?`)
    .pluck()
    .all(TRIGGER_PREFIX) as string[];
  for (const name of existing) if (!wanted.has(name)) db.exec(`DROP TRIGGER IF EXISTS ${ident(name)}`);
  const present = new Set(existing);
  for (const [name, ddl] of wanted) if (!present.has(name)) db.exec(ddl);
}

// ---------------------------------------------------------------- cursors

interface Cursor {
  readonly databaseId: string;
  readonly revision: number;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`c1.${cursor.databaseId}.${cursor.revision}`).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  const decoded = /^[A-Za-z0-9_-]{1,200}$/.test(text) ? Buffer.from(text, 'base64url').toString('latin1') : '';
  const match = /^c1\.([A-Za-z0-9_-]{1,40})\.(0|[1-9][0-9]{0,14})$/.exec(decoded);
  if (!match) {
    throw new InvalidCursorError(
      `query parameter 'since': '${text.slice(0, 40)}' is not a cursor of this API: give back the 'cursor' of an earlier answer`,
    );
  }
  return { databaseId: match[1]!, revision: Number(match[2]) };
}

// ---------------------------------------------------------------- the feed

/** One record's changes since the cursor: its first and last log rows. */
interface Touched {
  readonly id: number;
  readonly first: number;
  readonly last: number;
}

export interface FeedAnswer {
  readonly result: ChangesResult;
  /** The log's last revision when the answer was read: a watch wakes for changes after it. */
  readonly revision: number;
}

export interface FeedParams {
  readonly domain: DomainNode;
  readonly fields?: readonly string[];
  readonly since?: string;
  readonly limit: number;
}

export class ChangeFeed {
  #lastPrune = 0;

  constructor(
    private readonly store: Store,
    private readonly limits: ChangeLogLimits,
  ) {}

  get #db(): SqliteDatabase {
    return this.store.db;
  }

  /** The log's last revision (0 for none): one primary-key read of sqlite_sequence. */
  lastRevision(): number {
    const row = this.store.statement(`SELECT "seq" FROM sqlite_sequence WHERE "name" = '${CHANGE_LOG_TABLE}'`).get() as
      { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  #meta(key: string): string | undefined {
    const row = this.store.statement(`SELECT "value" FROM "_meta" WHERE "key" = ?`).get(key) as { value: string | null } | undefined;
    return row?.value ?? undefined;
  }

  /** The models changed after `revision`, each with its last revision (what the watch wakes waiters for). */
  changedModels(revision: number): Map<string, number> {
    const rows = this.store
      .statement(`SELECT "model", max("revision") AS "last" FROM "${CHANGE_LOG_TABLE}" WHERE "revision" > ? GROUP BY "model"`)
      .all(revision) as { model: string; last: number }[];
    return new Map(rows.map((r) => [r.model, r.last]));
  }

  /** Forgets the log so far (a new database, once its demo data is in): no cursor can be older. */
  reset(): void {
    this.store.transaction(() => {
      this.#db.prepare(`DELETE FROM "${CHANGE_LOG_TABLE}"`).run();
      this.#setFloor(this.lastRevision());
    });
  }

  #setFloor(revision: number): void {
    this.#db.prepare(`INSERT OR REPLACE INTO "_meta" ("key", "value") VALUES ('changes_floor', ?)`).run(String(revision));
  }

  /** Prunes the log when this process has not for a while (writes and feed reads call it). */
  pruneIfDue(now = Date.now()): void {
    if (now - this.#lastPrune < PRUNE_EVERY_MS) return;
    this.#lastPrune = now;
    this.prune(now);
  }

  /** Drops the rows older than maxAgeS and those beyond the last maxRows; raises the floor past them. */
  prune(now = Date.now()): void {
    this.store.transaction(() => {
      const last = this.lastRevision();
      const byAge = this.#db
        .prepare(`SELECT max("revision") FROM "${CHANGE_LOG_TABLE}" WHERE "at" < ?`)
        .pluck()
        .get(Math.floor(now / 1000) - this.limits.maxAgeS) as number | null;
      const through = Math.max(byAge ?? 0, last - this.limits.maxRows);
      const floor = Number(this.#meta('changes_floor') ?? 0);
      if (through <= floor) return;
      this.#db.prepare(`DELETE FROM "${CHANGE_LOG_TABLE}" WHERE "revision" <= ?`).run(through);
      this.#setFloor(through);
    });
  }

  /** The feed of `model` as `actor` (see the file's comment), read in one transaction (one snapshot of the database). */
  changes(actor: Actor, model: RegistryModel, params: FeedParams): FeedAnswer {
    this.pruneIfDue();
    return this.store.readTransaction(() => {
      const revision = this.lastRevision();
      const databaseId = this.#meta('database_id') ?? '';
      const since = params.since === undefined ? undefined : decodeCursor(params.since);
      // The domain and fields are checked whether or not anything changed (400, 403 as for a search).
      this.#visible(actor, model, params.domain, []);
      this.store.read(actor, model.name, [], params.fields);
      const current = (at: number): ChangesResult => ({ cursor: encodeCursor({ databaseId, revision: at }), changes: [], more: false });
      if (since === undefined) return { result: current(revision), revision };
      if (since.databaseId !== databaseId) {
        throw new CursorGoneError(
          'the cursor is of another database (this one was created or reset since): reload the records, then follow the changes from the new cursor',
        );
      }
      const floor = Number(this.#meta('changes_floor') ?? 0);
      if (since.revision < floor || since.revision > revision) {
        throw new CursorGoneError(
          'the cursor is older than the change log keeps (CHANGES_MAX_AGE_S, CHANGES_MAX_ROWS): reload the records, then follow the changes from the new cursor',
        );
      }
      const touched = this.store
        .statement(
          `SELECT "res_id" AS "id", min("revision") AS "first", max("revision") AS "last" FROM "${CHANGE_LOG_TABLE}"
           WHERE "model" = ? AND "revision" > ? GROUP BY "res_id" ORDER BY "last" LIMIT ?`,
        )
        .all(model.name, since.revision, params.limit + 1) as Touched[];
      const more = touched.length > params.limit;
      const page = more ? touched.slice(0, params.limit) : touched;
      if (!page.length) return { result: current(revision), revision };
      const cursor = encodeCursor({ databaseId, revision: more ? page.at(-1)!.last : revision });
      // Each change's own cursor: its record's last log row (the page is ordered by it); the last one's the answer's.
      const changes = this.#coalesce(actor, model, params, page).map((change, index, all) => ({
        ...change,
        cursor: index === all.length - 1 ? cursor : encodeCursor({ databaseId, revision: change.last }),
      }));
      return { result: { cursor, changes: changes.map(({ last: _last, ...change }) => change), more }, revision };
    });
  }

  #coalesce(actor: Actor, model: RegistryModel, params: FeedParams, page: readonly Touched[]): (RecordChange & { last: number })[] {
    const ids = page.map((t) => t.id);
    const visibleNow = new Set(this.#visible(actor, model, params.domain, ids));
    const firstRows = this.store
      .statement(`SELECT "revision", "op" FROM "${CHANGE_LOG_TABLE}" WHERE "revision" IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(page.map((t) => t.first))) as { revision: number; op: string }[];
    const firstOp = new Map(firstRows.map((r) => [r.revision, r.op]));
    // The states the log holds (`before`) at the cursor and before each record's last change, as the caller sees them.
    const states = [...new Set(page.flatMap((t) => [t.first, t.last]))];
    const matched = this.#matchingStates(actor, model, params.domain, states);
    const records = new Map<number, OdooRecord>(
      this.store.read(actor, model.name, [...visibleNow], params.fields).map((record) => [record.id, record]),
    );
    const out: (RecordChange & { last: number })[] = [];
    for (const t of page) {
      const record = records.get(t.id);
      if (visibleNow.has(t.id) && record) {
        const existedAndMatched = firstOp.get(t.first) !== 'create' && matched.has(t.first);
        out.push({ op: existedAndMatched ? 'updated' : 'created', id: t.id, record, last: t.last });
      } else if (matched.has(t.first) || matched.has(t.last)) {
        out.push({ op: 'removed', id: t.id, last: t.last });
      }
    }
    return out;
  }

  /** The records among `ids` that match the domain, `active` and the caller's read rules now. */
  #visible(actor: Actor, model: RegistryModel, domain: DomainNode, ids: readonly number[]): number[] {
    const node: DomainNode = { kind: 'and', children: [domain, { kind: 'leaf', path: 'id', operator: 'in', value: [...ids] }] };
    return this.store.search(actor, model.name, node);
  }

  /**
   * The log rows among `revisions` whose `before` (a stored row, as it was before that change) matches the
   * domain, `active` and the caller's read rules: the same SQL as a search, over the logged rows instead of
   * the table (related records as they are now).
   */
  #matchingStates(actor: Actor, model: RegistryModel, domain: DomainNode, revisions: readonly number[]): Set<number> {
    if (!revisions.length) return new Set();
    const where = this.store.searchWhere(actor, model.name, domain);
    const columns = model.storedFields.map((f) => `json_extract(l."before", '$.${f.column}') AS ${ident(f.column)}`);
    const within = idsIn('l."revision"', revisions);
    const rows = this.store
      .statement(
        `SELECT t."_revision" AS "revision" FROM (SELECT l."revision" AS "_revision", ${columns.join(', ')} FROM "${CHANGE_LOG_TABLE}" l WHERE ${within.sql} AND l."before" IS NOT NULL) t WHERE ${where.sql}`,
      )
      .all(...within.params, ...where.params) as { revision: number }[];
    return new Set(rows.map((r) => r.revision));
  }
}

// ---------------------------------------------------------------- long polling

interface Waiter {
  readonly model: string;
  readonly after: number;
  readonly wake: (changed: boolean) => void;
}

/**
 * Wakes requests waiting for a change of a model (long polling): one timer for the whole process, running
 * only while some request waits, that reads the log's last revision (one primary-key read) every
 * WATCH_INTERVAL_MS and, when it moved (a write in another process), which models changed. A write of this
 * process pokes it at once (`poke`), so its waiters do not wait for the tick.
 */
export class ChangeWatch {
  readonly #waiters = new Set<Waiter>();
  #timer: NodeJS.Timeout | undefined;
  #seen = -1;

  constructor(private readonly feed: ChangeFeed) {}

  /** Requests waiting now. */
  get size(): number {
    return this.#waiters.size;
  }

  /**
   * Resolves true when `model` changed after revision `after`, false after `timeoutMs` or when `signal`
   * aborts or the watch closes.
   */
  wait(model: string, after: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      let timeout: NodeJS.Timeout | undefined = undefined;
      const onAbort = () => waiter.wake(false);
      const waiter: Waiter = {
        model,
        after,
        wake: (changed) => {
          if (!this.#waiters.delete(waiter)) return;
          clearTimeout(timeout);
          signal?.removeEventListener('abort', onAbort);
          if (!this.#waiters.size) this.#stop();
          resolve(changed);
        },
      };
      this.#waiters.add(waiter);
      timeout = setTimeout(() => waiter.wake(false), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#timer ??= setInterval(() => this.#tick(), WATCH_INTERVAL_MS);
    });
  }

  /**
   * A write was just committed by this process: its waiters wake now rather than at the next tick (the
   * tick stays for writes of other processes on the same database).
   */
  poke(): void {
    if (this.#waiters.size) this.#tick();
  }

  #tick(): void {
    let revision: number;
    let changed: Map<string, number>;
    try {
      revision = this.feed.lastRevision();
      if (revision === this.#seen) return;
      this.#seen = revision;
      const oldest = Math.min(...[...this.#waiters].map((w) => w.after));
      changed = this.feed.changedModels(oldest);
    } catch {
      // A busy or closed database: the next tick tries again; the waiters' timeouts still answer them.
      return;
    }
    for (const waiter of [...this.#waiters]) {
      if ((changed.get(waiter.model) ?? 0) > waiter.after) waiter.wake(true);
    }
  }

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#seen = -1;
  }

  /** Answers every waiter (nothing changed) and stops the timer: the backend closes. */
  close(): void {
    for (const waiter of [...this.#waiters]) waiter.wake(false);
    this.#stop();
  }
}
