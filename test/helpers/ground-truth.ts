/**
 * Ground truth for tests: what the database behind a server really holds, read as the superuser, beside
 * the API under test. Two implementations of one async interface:
 *
 * - SQLite: the embedded store's own database (`BACKEND=embedded`, directly or behind a proxy);
 * - PostgreSQL: the database of a live Odoo (`BACKEND=odoo`, connection string `ODOO_PG_URL`). Odoo keeps
 *   each model in a table of the same name as the embedded store does (`sale_order`, `crm_lead`,
 *   `res_partner`...), so one query serves both.
 *
 * Queries are written once for both dialects: `?` placeholders (turned into `$1..$n` for PostgreSQL),
 * booleans tested as `active` / `NOT active` (never `= 1`), `TRUE` for "every row", and only functions both
 * have (`lower`, `replace`, `substr`, `length`, `count`, `max`). PostgreSQL values come back as SQLite's
 * would where the tests compare them: integers and numerics as numbers, dates and datetimes as Odoo's
 * strings (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS`). Booleans stay booleans there (SQLite gives 0/1), so a test
 * compares a stored boolean only with another stored row, never with a literal.
 *
 * Every method is async: a test must `await` each call (an un-awaited truth inside `expect` compares a
 * Promise and proves nothing).
 */
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { Pool, PoolConfig } from 'pg';

export type Row = Record<string, unknown>;

export interface GroundTruth {
  /** `sqlite` for the embedded store, `postgres` for a live Odoo. */
  readonly dialect: 'sqlite' | 'postgres';
  /** The number of rows the query returns. */
  count(sql: string, ...params: unknown[]): Promise<number>;
  /** Every row the query returns. */
  rows<T = Row>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** The stored row of `table` with that id, or undefined. */
  row(table: string, id: number): Promise<Row | undefined>;
  /**
   * One line per table: its row count, its latest `write_date` and a SHA-256 of its rows. Equal
   * fingerprints mean those tables hold exactly the same data.
   */
  fingerprint(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

const countOf = (sql: string) => `SELECT count(*) AS n FROM (${sql}) AS counted`;

// ------------------------------------------------------------------------------------------------ SQLite

/** The embedded store's database, as the superuser sees it (a view on the running server's connection). */
export function sqliteTruth(db: BetterSqlite3.Database): GroundTruth {
  return {
    dialect: 'sqlite',
    async count(sql, ...params) {
      return (db.prepare(countOf(sql)).get(...params) as { n: number }).n;
    },
    async rows<T = Row>(sql: string, ...params: unknown[]) {
      return db.prepare(sql).all(...params) as T[];
    },
    async row(table, id) {
      return db.prepare(`SELECT * FROM "${table}" WHERE "id" = ?`).get(id) as Row | undefined;
    },
    async fingerprint() {
      return sqliteFingerprint(db);
    },
    async close() {
      // The connection is the server's own: it closes with the server.
    },
  };
}

/** Every table of the SQLite database, rows in rowid order (see GroundTruth.fingerprint). */
export function sqliteFingerprint(db: BetterSqlite3.Database): Record<string, string> {
  const tables = (
    db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]
  ).map((t) => t.name);
  const out: Record<string, string> = {};
  for (const table of tables) {
    const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
    const withoutRowid = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(table) as { sql: string }).sql.includes(
      'WITHOUT ROWID',
    );
    const rows = db.prepare(`SELECT * FROM "${table}" ORDER BY ${withoutRowid ? '1, 2' : 'rowid'}`).all();
    const hash = createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16);
    const latest = columns.includes('write_date')
      ? (db.prepare(`SELECT max("write_date") AS w FROM "${table}"`).get() as { w: string | null }).w
      : null;
    out[table] = `${rows.length} rows, last write ${latest ?? '-'}, ${hash}`;
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ PostgreSQL

/**
 * The tables a PostgreSQL fingerprint covers: those of the models the contract suite reads and writes.
 * Not the whole database: a live Odoo writes logs and caches of its own (`res_users_log` on every login,
 * `bus_bus`, `ir_attachment`...), which would make "nothing changed" flaky without saying anything about
 * the request under test.
 */
export const FINGERPRINT_TABLES = [
  'crm_lead',
  'product_product',
  'purchase_order',
  'purchase_order_line',
  'res_partner',
  'res_partner_category',
  'res_partner_res_partner_category_rel',
  'res_users',
  'sale_order',
  'sale_order_line',
  'stock_picking',
] as const;

/**
 * `?` placeholders as PostgreSQL's `$1..$n`. Question marks inside single-quoted strings, double-quoted
 * names and comments are left alone.
 */
export function toPostgresPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  return out;
}

/** OIDs of the PostgreSQL types read differently from pg's defaults (see the module comment). */
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;

/** A datetime as Odoo's API writes it: whole seconds (Odoo stores microseconds in write_date/create_date). */
const odooDatetime = (text: string) => text.replace(/\.\d+$/, '');

/** The database of a live Odoo over a pg pool of its own (closed by `close()`). */
export async function postgresTruth(connectionString: string, tables: readonly string[] = FINGERPRINT_TABLES): Promise<GroundTruth> {
  const pg = (await import('pg')).default;
  const types: PoolConfig['types'] = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
      if (oid === DATE) return (value: string) => value;
      if (oid === TIMESTAMP) return odooDatetime;
      return pg.types.getTypeParser(oid, format ?? 'text');
    }) as NonNullable<PoolConfig['types']>['getTypeParser'],
  };
  const pool: Pool = new pg.Pool({ connectionString, max: 2, types });
  const query = async <T>(sql: string, params: unknown[]) => (await pool.query(toPostgresPlaceholders(sql), params)).rows as T[];
  return {
    dialect: 'postgres',
    async count(sql, ...params) {
      return (await query<{ n: number }>(countOf(sql), params))[0]!.n;
    },
    async rows<T = Row>(sql: string, ...params: unknown[]) {
      return query<T>(sql, params);
    },
    async row(table, id) {
      return (await query<Row>(`SELECT * FROM "${table}" WHERE "id" = ?`, [id]))[0];
    },
    async fingerprint() {
      const out: Record<string, string> = {};
      for (const table of tables) {
        const columns = (
          await query<{ column_name: string }>(
            `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?`,
            [table],
          )
        ).map((c) => c.column_name);
        if (!columns.length) continue;
        const rows = await query<Row>(`SELECT * FROM "${table}" ORDER BY ${columns.includes('id') ? '"id"' : '1, 2'}`, []);
        const hash = createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16);
        const latest = columns.includes('write_date')
          ? (await query<{ w: string | null }>(`SELECT max("write_date") AS w FROM "${table}"`, []))[0]!.w
          : null;
        out[table] = `${rows.length} rows, last write ${latest ?? '-'}, ${hash}`;
      }
      return out;
    },
    async close() {
      await pool.end();
    },
  };
}
