/**
 * `odoo-graphql demo reset`: brings an embedded database back to the demo data of a new one, keeping who
 * may get in. API keys, passwords and sessions of the users the demo data has (matched by login) are
 * kept; everything else (records made or changed since, other users with their keys and sessions) is
 * replaced by the demo data, ids and sequences included, exactly as a new database would hold it.
 *
 * Safe under a running server, also one in another process: the new demo data is built in a temporary
 * database first, then copied in with one SQLite transaction, so a reader (WAL) sees the old data or the
 * new, never a mix, and a writer waits for it (the server's busy timeout). The commit moves SQLite's data
 * version, which every cache of a running server is keyed on (Store.revision: entity tags and the GraphQL
 * gateway's kept answers; Authenticator.userContext: users' groups and companies), so its next request
 * reads the new data. No table is dropped, so the server's prepared statements stay valid.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyPassword } from '../auth.js';
import { openDatabase } from '../database.js';
import { EmbeddedBackend, databaseFile } from '../embedded-backend.js';
import { MODELS } from '../models/index.js';
import { Registry } from '../registry.js';
import { ident } from '../sql/sql-fragment.js';
import { nowUtc } from '../values.js';

export interface DemoResetOptions {
  /** Folder of the SQLite file, or the file itself (as DATA_DIR). */
  readonly dataDir: string;
  readonly dbName: string;
  readonly synchronous?: 'normal' | 'full';
}

export interface DemoResetResult {
  /** The database file that was reset. */
  readonly file: string;
  readonly apiKeysKept: number;
  /** Users whose password is no longer their login (set with `user password`), kept as they were. */
  readonly passwordsKept: readonly string[];
  readonly sessionsKept: number;
  /** Logins that are not in the demo data: their keys and sessions went with them. */
  readonly usersDropped: readonly string[];
}

interface KeptKey {
  readonly id: number;
  readonly name: string;
  readonly scope: string;
  readonly index_prefix: string;
  readonly key_hash: string;
  readonly create_date: string;
  readonly login: string;
}

interface KeptSession {
  readonly sid_hash: string;
  readonly create_date: string;
  readonly expires_at: number;
  readonly login: string;
}

/** Resets the database of `options.dataDir` to the demo data; throws (changing nothing) when there is no database there. */
export async function resetDemoData(options: DemoResetOptions): Promise<DemoResetResult> {
  const file = databaseFile(options.dataDir);
  // A reset never creates a database: a mistyped DATA_DIR is refused, not filled with demo data.
  if (!existsSync(file))
    throw new Error(`no database at ${file}: nothing to reset (a server creates one with demo data on its first start)`);
  const scratch = mkdtempSync(join(tmpdir(), 'ogf-demo-reset-'));
  try {
    const fresh = new EmbeddedBackend({ dataDir: scratch, dbName: options.dbName, demo: true });
    fresh.db.pragma('wal_checkpoint(TRUNCATE)');
    await fresh.close();
    return copyInto(file, databaseFile(scratch), options.synchronous);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function copyInto(file: string, freshFile: string, synchronous: 'normal' | 'full' | undefined): DemoResetResult {
  // Opening migrates the file's tables to the current models, so both databases have the same columns.
  const db = openDatabase(new Registry(MODELS), { file, synchronous: synchronous ?? 'normal' });
  try {
    // Rows are replaced table by table, parents after children: the foreign keys are checked once, at the end.
    db.pragma('foreign_keys = OFF');
    db.prepare('ATTACH DATABASE ? AS fresh').run(freshFile);
    const result = db
      .transaction(() => {
        const keys = db
          .prepare(
            `SELECT k."id", k."name", k."scope", k."index_prefix", k."key_hash", k."create_date", u."login"
           FROM main."res_users_apikeys" k JOIN main."res_users" u ON u."id" = k."user_id"`,
          )
          .all() as KeptKey[];
        const keySequence = db.prepare(`SELECT "seq" FROM main.sqlite_sequence WHERE "name" = 'res_users_apikeys'`).pluck().get() as
          number | undefined;
        const passwords = db.prepare(`SELECT "login", "password" FROM main."res_users" WHERE "password" IS NOT NULL`).all() as {
          login: string;
          password: string;
        }[];
        const sessions = db
          .prepare(
            `SELECT s."sid_hash", s."create_date", s."expires_at", u."login" FROM main."web_session" s JOIN main."res_users" u ON u."id" = s."user_id"`,
          )
          .all() as KeptSession[];
        const logins = new Set([...keys.map((k) => k.login), ...sessions.map((s) => s.login)]);

        const tables = db
          .prepare(`SELECT "name" FROM fresh.sqlite_master WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite_%'`)
          .pluck()
          .all() as string[];
        for (const table of tables) {
          const columns = (db.prepare(`SELECT "name" FROM pragma_table_info(?, 'fresh')`).pluck().all(table) as string[])
            .map(ident)
            .join(', ');
          db.exec(
            `DELETE FROM main.${ident(table)}; INSERT INTO main.${ident(table)} (${columns}) SELECT ${columns} FROM fresh.${ident(table)}`,
          );
        }
        db.exec(
          `DELETE FROM main.sqlite_sequence; INSERT INTO main.sqlite_sequence ("name", "seq") SELECT "name", "seq" FROM fresh.sqlite_sequence`,
        );

        const userId = db.prepare(`SELECT "id" FROM main."res_users" WHERE "login" = ?`).pluck();
        const insertKey = db.prepare(
          `INSERT INTO main."res_users_apikeys" ("id", "name", "user_id", "scope", "index_prefix", "key_hash", "create_date") VALUES (?, ?, ?, ?, ?, ?, ?)`,
        );
        let apiKeysKept = 0;
        for (const key of keys) {
          const uid = userId.get(key.login) as number | undefined;
          if (uid === undefined) continue;
          insertKey.run(key.id, key.name, uid, key.scope, key.index_prefix, key.key_hash, key.create_date);
          apiKeysKept += 1;
        }
        // Ids of revoked keys are not given again, as before the reset.
        if (keySequence !== undefined) {
          db.prepare(`DELETE FROM main.sqlite_sequence WHERE "name" = 'res_users_apikeys'`).run();
          db.prepare(
            `INSERT INTO main.sqlite_sequence ("name", "seq") SELECT 'res_users_apikeys', max(?, coalesce(max("id"), 0)) FROM main."res_users_apikeys"`,
          ).run(keySequence);
        }
        const setPassword = db.prepare(`UPDATE main."res_users" SET "password" = ? WHERE "login" = ?`);
        const restored = passwords.filter(({ login, password }) => setPassword.run(password, login).changes > 0);
        const insertSession = db.prepare(
          `INSERT INTO main."web_session" ("sid_hash", "user_id", "create_date", "expires_at") VALUES (?, ?, ?, ?)`,
        );
        let sessionsKept = 0;
        for (const session of sessions) {
          const uid = userId.get(session.login) as number | undefined;
          if (uid === undefined) continue;
          insertSession.run(session.sid_hash, uid, session.create_date, session.expires_at);
          sessionsKept += 1;
        }
        db.prepare(`INSERT OR REPLACE INTO main."_meta" ("key", "value") VALUES ('demo_reset', ?)`).run(nowUtc());

        const broken = db.prepare('PRAGMA main.foreign_key_check').all();
        if (broken.length > 0)
          throw new Error(
            `demo reset left ${broken.length} broken references (nothing was changed): ${JSON.stringify(broken.slice(0, 3))}`,
          );
        const usersDropped = [...logins].filter((login) => userId.get(login) === undefined).sort();
        return { file, apiKeysKept, restored, sessionsKept, usersDropped };
      })
      .immediate();
    db.prepare('DETACH DATABASE fresh').run();
    // Which restored passwords were changed from the demo's (a scrypt each): after the commit, not under the write lock.
    const passwordsKept = result.restored
      .filter(({ login, password }) => !verifyPassword(login, password))
      .map(({ login }) => login)
      .sort();
    const { restored: _restored, ...counts } = result;
    return { ...counts, passwordsKept };
  } finally {
    if (db.open) {
      db.exec('PRAGMA optimize');
      db.close();
    }
  }
}
