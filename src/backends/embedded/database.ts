/**
 * Opens the SQLite file of the embedded store and makes sure its tables exist.
 *
 * WAL journal with synchronous=NORMAL: a committed transaction survives the process being killed
 * (even with SIGKILL); only an operating-system crash or power loss can lose the last commits, which
 * `synchronous: 'full'` rules out at the cost of an fsync per write.
 * Tables are derived from the registry; a column declared later is added to an existing file, and so is the
 * table of translations (./i18n/translated-sql.ts), empty there: such a file reads its values in en_US.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { TRANSLATION_TABLE_DDL, translationCleanupTrigger } from './i18n/translated-sql.js';
import type { ColumnFieldInfo, RegistryModel, Registry } from './registry.js';
import { ident } from './sql/sql-fragment.js';
import { createChangeLog } from './store-changes.js';

export type SqliteDatabase = Database.Database;

export interface OpenOptions {
  readonly file: string;
  readonly synchronous?: 'normal' | 'full';
}

export function openDatabase(registry: Registry, options: OpenOptions): SqliteDatabase {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const db = new Database(options.file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.function('unicode_lower', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
  // IMMEDIATE: it may write (new tables, columns, the database id), and a deferred transaction that read
  // first is refused at once when another process (a WORKERS worker) writes meanwhile.
  db.transaction(() => createTables(db, registry)).immediate();
  // Planner statistics: gathered once for a new file, then refreshed where stale (SQLite's advice for
  // long-lived connections), so that SQLite picks the right index (e.g. scan by date_order, not company).
  const analysed = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'`).get();
  db.exec(analysed ? 'PRAGMA optimize=0x10002' : 'ANALYZE');
  return db;
}

function columnType(field: ColumnFieldInfo): string {
  switch (field.type) {
    case 'integer':
    case 'boolean':
    case 'many2one':
      return 'INTEGER';
    case 'float':
    case 'monetary':
      return 'REAL';
    default:
      return 'TEXT';
  }
}

function columnDefinition(registry: Registry, field: ColumnFieldInfo): string {
  if (field.name === 'id') return '"id" INTEGER PRIMARY KEY AUTOINCREMENT';
  let definition = `${ident(field.column)} ${columnType(field)}`;
  // create_uid / write_uid carry no foreign key: the superuser (uid 1) writes before res.users exists.
  if (field.type === 'many2one' && !field.computedOrMagic) {
    const target = registry.model(field.relation);
    const onDelete = (field.ondelete ?? 'set null').toUpperCase();
    definition += ` REFERENCES ${ident(target.table)}("id") ON DELETE ${onDelete}`;
  }
  return definition;
}

function createTables(db: SqliteDatabase, registry: Registry): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS "ir_sequence" ("code" TEXT PRIMARY KEY, "prefix" TEXT NOT NULL, "padding" INTEGER NOT NULL, "number_next" INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS "_meta" ("key" TEXT PRIMARY KEY, "value" TEXT);
  `);
  const models = [...registry.models];
  for (const model of models) createModelTable(db, registry, model);
  for (const model of models) {
    for (const field of model.fields.values()) {
      if (field.type !== 'many2many') continue;
      const { table, ownColumn, otherColumn } = field.link;
      const other = registry.model(field.relation);
      db.exec(`CREATE TABLE IF NOT EXISTS ${ident(table)} (
        ${ident(ownColumn)} INTEGER NOT NULL REFERENCES ${ident(model.table)}("id") ON DELETE CASCADE,
        ${ident(otherColumn)} INTEGER NOT NULL REFERENCES ${ident(other.table)}("id") ON DELETE CASCADE,
        PRIMARY KEY (${ident(ownColumn)}, ${ident(otherColumn)})
      ) WITHOUT ROWID`);
      db.exec(
        `CREATE INDEX IF NOT EXISTS ${ident(`${table}_${otherColumn}_idx`)} ON ${ident(table)} (${ident(otherColumn)}, ${ident(ownColumn)})`,
      );
    }
  }
  db.exec(`
    CREATE TABLE IF NOT EXISTS "res_users_apikeys" (
      "id" INTEGER PRIMARY KEY AUTOINCREMENT,
      "name" TEXT NOT NULL,
      "user_id" INTEGER NOT NULL REFERENCES "res_users"("id") ON DELETE CASCADE,
      "scope" TEXT NOT NULL DEFAULT 'rpc',
      "index_prefix" TEXT NOT NULL,
      "key_hash" TEXT NOT NULL UNIQUE,
      "create_date" TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS "web_session" (
      "sid_hash" TEXT PRIMARY KEY,
      "user_id" INTEGER NOT NULL REFERENCES "res_users"("id") ON DELETE CASCADE,
      "create_date" TEXT NOT NULL,
      "expires_at" INTEGER NOT NULL
    );
  `);
  // Last of the tables: `demo reset` copies tables in this order, and emptying a model's table fires its
  // trigger below, which must not remove the translations already copied.
  db.exec(TRANSLATION_TABLE_DDL);
  for (const model of models) {
    if (model.translatedFields.length) db.exec(translationCleanupTrigger(model.name, model.table));
  }
  // The change feed's log and its triggers (store-changes.ts): after every table, last of them.
  createChangeLog(db, registry);
}

function createModelTable(db: SqliteDatabase, registry: Registry, model: RegistryModel): void {
  const columns = model.storedFields.map((f) => columnDefinition(registry, f));
  db.exec(`CREATE TABLE IF NOT EXISTS ${ident(model.table)} (${columns.join(', ')})`);
  const existing = new Set((db.prepare(`PRAGMA table_info(${ident(model.table)})`).all() as { name: string }[]).map((c) => c.name));
  for (const field of model.storedFields) {
    if (!existing.has(field.column)) {
      // SQLite cannot add a REFERENCES column with a non-null default; ours default to NULL.
      db.exec(`ALTER TABLE ${ident(model.table)} ADD COLUMN ${columnDefinition(registry, field)}`);
    }
    if (field.unique) {
      db.exec(
        `CREATE UNIQUE INDEX IF NOT EXISTS ${ident(`${model.table}_${field.column}_uniq`)} ON ${ident(model.table)} (${ident(field.column)})`,
      );
    } else if (field.index || field.type === 'many2one') {
      db.exec(
        `CREATE INDEX IF NOT EXISTS ${ident(`${model.table}_${field.column}_idx`)} ON ${ident(model.table)} (${ident(field.column)})`,
      );
    }
  }
}
