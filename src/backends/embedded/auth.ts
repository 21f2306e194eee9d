/**
 * Who is calling: passwords (scrypt), API keys and web sessions of the embedded store, and the
 * UserContext (groups with implied groups, companies) that access rules are evaluated with.
 *
 * API keys and session ids are 160-bit random secrets: the database keeps only their SHA-256, which is
 * enough for a secret of that entropy and lets every request be checked with one indexed lookup, so a
 * revoked key or destroyed session is refused at once, also by a server in another process.
 * Passwords are low-entropy, so they get scrypt with a per-password salt. Logins over HTTP check them on
 * libuv's thread pool with a bounded queue (password-hasher.ts); the synchronous checks here are for the
 * start-up check and the CLI, where nothing else waits.
 */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { SqliteDatabase } from './database.js';
import type { CallContext } from '../backend.js';
import type { UserContext } from './model-definition.js';
import { withCallContext } from './security/call-context.js';
import { parseStoredHash, PasswordHasher, SCRYPT } from './password-hasher.js';
import { SnapshotCache } from './snapshot-cache.js';
import type { FieldInfo } from './registry.js';
import type { Store } from './store.js';
import { nowUtc } from './values.js';

const SESSION_LIFETIME_MS = 7 * 24 * 3600 * 1000;
/** Contexts kept by contextFor before it starts again (each is a few small objects; callers rarely vary). */
const MAX_CONTEXT_VARIANTS = 1000;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Synchronous: for start-up and the CLI only (it holds the event loop for the whole hash). */
export function verifyPassword(password: string, stored: string | null): boolean {
  const target = parseStoredHash(stored);
  if (!target) {
    // Spend the same time as a real check so that unknown logins cannot be told apart.
    scryptSync(password, 'no-such-user-salt', SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
    return false;
  }
  const actual = scryptSync(password, target.salt, target.expected.length, target.options);
  return timingSafeEqual(actual, target.expected);
}

function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface ApiKeyInfo {
  readonly id: number;
  readonly name: string;
  readonly userId: number;
  readonly login: string;
  readonly prefix: string;
  readonly createDate: string;
}

export class Authenticator {
  readonly #contexts = new Map<number, { context: UserContext; version: number }>();
  /** contextFor's answers, by user and context; each valid while its user's own context is the one it was made from. */
  readonly #variants = new Map<string, { own: UserContext; context: UserContext }>();
  readonly #hasher = new PasswordHasher();
  /** The users of API keys looked up, by key hash (snapshot-cache.ts), 10,000 at most. */
  readonly #keyUsers = new SnapshotCache<string, number>(10_000);

  constructor(
    private readonly db: SqliteDatabase,
    private readonly store: Store,
  ) {}

  /** The active user with this login, or undefined. */
  userByLogin(login: string): { id: number; password: string | null } | undefined {
    return this.store.statement(`SELECT "id", "password" FROM "res_users" WHERE "login" = ? AND "active" = 1`).get(login) as
      { id: number; password: string | null } | undefined;
  }

  /** Synchronous check, for start-up and the CLI; logins over HTTP use `authenticatePassword`. */
  checkPassword(login: string, password: string): number | null {
    const user = this.userByLogin(login);
    const ok = verifyPassword(password, user?.password ?? null);
    return ok && user ? user.id : null;
  }

  /**
   * The id of the active user with this login and password, or null; an unknown login costs the same
   * hash. Off the event loop, with a bounded queue: rejects with a 503 BackendError when it is full.
   */
  async authenticatePassword(login: string, password: string): Promise<number | null> {
    const user = this.userByLogin(login);
    const ok = await this.#hasher.verify(password, user?.password ?? null);
    return ok && user ? user.id : null;
  }

  /** Logins of active users whose password is still their login (the demo data's passwords). */
  loginsWithDemoPasswords(): string[] {
    const users = this.store
      .statement(`SELECT "login", "password" FROM "res_users" WHERE "active" = 1 AND "password" IS NOT NULL`)
      .all() as {
      login: string;
      password: string;
    }[];
    return users.filter((u) => verifyPassword(u.login, u.password)).map((u) => u.login);
  }

  setPassword(userId: number, password: string): void {
    this.store.statement(`UPDATE "res_users" SET "password" = ? WHERE "id" = ?`).run(hashPassword(password), userId);
  }

  /** Creates an API key for the user and returns the secret, which is never stored nor shown again. */
  createApiKey(userId: number, name: string): string {
    const key = randomBytes(20).toString('hex');
    this.store
      .statement(`INSERT INTO "res_users_apikeys" ("name", "user_id", "index_prefix", "key_hash", "create_date") VALUES (?, ?, ?, ?, ?)`)
      .run(name, userId, key.slice(0, 8), sha256(key), nowUtc());
    return key;
  }

  listApiKeys(): ApiKeyInfo[] {
    return this.store
      .statement(
        `SELECT k."id" AS id, k."name" AS name, k."user_id" AS userId, u."login" AS login, k."index_prefix" AS prefix, k."create_date" AS createDate
         FROM "res_users_apikeys" k JOIN "res_users" u ON u."id" = k."user_id" ORDER BY k."id"`,
      )
      .all() as ApiKeyInfo[];
  }

  /** Deletes the key with this id, or whose secret starts with this prefix; returns how many went. */
  revokeApiKey(idOrPrefix: string): number {
    // Eight or more hex characters are a key's first characters (even when they are all digits, as
    // 2% of keys start); a shorter number is a key id as `apikey list` shows it.
    const result = /^[0-9a-f]{8,}$/.test(idOrPrefix)
      ? this.store.statement(`DELETE FROM "res_users_apikeys" WHERE "index_prefix" = ?`).run(idOrPrefix.slice(0, 8))
      : /^\d{1,7}$/.test(idOrPrefix)
        ? this.store.statement(`DELETE FROM "res_users_apikeys" WHERE "id" = ?`).run(Number(idOrPrefix))
        : { changes: 0 };
    return result.changes;
  }

  userForApiKey(key: string): number | null {
    if (!/^[0-9a-f]{40}$/.test(key)) return null;
    const hash = sha256(key);
    // Known keys are kept while the data is unchanged: a revoked key or a deactivated user is a write.
    const known = this.#keyUsers.at(this.store.committedDataToken());
    const kept = known?.get(hash);
    if (kept !== undefined) return kept;
    const row = this.store
      .statement(
        `SELECT k."user_id" AS uid FROM "res_users_apikeys" k JOIN "res_users" u ON u."id" = k."user_id" WHERE k."key_hash" = ? AND u."active" = 1`,
      )
      .get(hash) as { uid: number } | undefined;
    if (row && known) {
      known.set(hash, row.uid);
      this.#keyUsers.grew(1);
    }
    return row?.uid ?? null;
  }

  createSession(userId: number): string {
    const sid = randomBytes(30).toString('base64url');
    this.store
      .statement(`INSERT INTO "web_session" ("sid_hash", "user_id", "create_date", "expires_at") VALUES (?, ?, ?, ?)`)
      .run(sha256(sid), userId, nowUtc(), Date.now() + SESSION_LIFETIME_MS);
    return sid;
  }

  userForSession(sid: string): number | null {
    if (sid.length === 0 || sid.length > 200) return null;
    const row = this.store
      .statement(
        `SELECT s."user_id" AS uid FROM "web_session" s JOIN "res_users" u ON u."id" = s."user_id" WHERE s."sid_hash" = ? AND s."expires_at" > ? AND u."active" = 1`,
      )
      .get(sha256(sid), Date.now()) as { uid: number } | undefined;
    return row?.uid ?? null;
  }

  destroySession(sid: string): void {
    this.store.statement(`DELETE FROM "web_session" WHERE "sid_hash" = ? OR "expires_at" <= ?`).run(sha256(sid), Date.now());
  }

  /**
   * The user as access rules see it, cached until users, groups or companies change here
   * (`forgetUserContexts`, called by the backend after such a write) or anything is committed by another
   * process (SQLite's data version), so a group given or taken away counts from the next request on,
   * and an answer is never computed with rights older than the data it is tagged with (entity tags,
   * src/rest/conditional-get.ts). Writes of other records here keep the cache.
   */
  userContext(uid: number): UserContext {
    const version = this.store.foreignVersion();
    const cached = this.#contexts.get(uid);
    if (cached?.version === version) return cached.context;
    const context = this.#loadUserContext(uid);
    this.#contexts.set(uid, { context, version });
    return context;
  }

  forgetUserContexts(): void {
    this.#contexts.clear();
    this.#variants.clear();
  }

  /**
   * The user as a request with this Odoo context sees them (Caller.context): the user's own context with the
   * request's language, time zone and companies. Kept per user and context (the variants' record rules are
   * memoised per object, security/access.ts), dropped with the user's own.
   *
   * Companies as Odoo 17's `env.companies` and `env.company` (odoo/api.py): `allowed_company_ids` must be
   * companies of the user, or whatever reads them raises "Access to unauthorized or invalid companies." (an
   * AccessError). Odoo reads them lazily, when a record rule or a default needs them, so a model without
   * company rules (res.country) answers anyway; the getters below do the same.
   */
  contextFor(uid: number, context: CallContext | undefined): UserContext {
    const own = this.userContext(uid);
    if (!context) return own;
    const key = `${uid}\0${context.lang ?? ''}\0${context.tz ?? ''}\0${context.allowedCompanyIds?.join(',') ?? ''}`;
    const cached = this.#variants.get(key);
    if (cached?.own === own) return cached.context;
    const variant = withCallContext(own, context);
    if (this.#variants.size >= MAX_CONTEXT_VARIANTS) this.#variants.clear();
    this.#variants.set(key, { own, context: variant });
    return variant;
  }

  #loadUserContext(uid: number): UserContext {
    const user = this.store
      .statement(`SELECT "id", "login", "name", "partner_id", "company_id", "lang", "tz" FROM "res_users" WHERE "id" = ?`)
      .get(uid) as
      | { id: number; login: string; name: string; partner_id: number; company_id: number | null; lang: string | null; tz: string | null }
      | undefined;
    if (!user) throw new Error(`user ${uid} vanished`);
    const registry = this.store.registry;
    const users = registry.model('res.users');
    const linkOf = (field: FieldInfo | undefined) => (field?.type === 'many2many' ? field.link : undefined);
    const groupsLink = linkOf(users.fields.get('groups_id'));
    const companiesLink = linkOf(users.fields.get('company_ids'));
    const impliedLink = linkOf(registry.model('res.groups').fields.get('implied_ids'));
    const groupIds = groupsLink
      ? (
          this.db
            .prepare(`SELECT "${groupsLink.otherColumn}" AS g FROM "${groupsLink.table}" WHERE "${groupsLink.ownColumn}" = ?`)
            .all(uid) as { g: number }[]
        ).map((r) => r.g)
      : [];
    // Close over implied groups.
    const all = new Set(groupIds);
    let frontier = [...all];
    while (impliedLink && frontier.length) {
      const next = (
        this.db
          .prepare(
            `SELECT "${impliedLink.otherColumn}" AS g FROM "${impliedLink.table}" WHERE "${impliedLink.ownColumn}" IN (${frontier.map(() => '?').join(',')})`,
          )
          .all(...frontier) as { g: number }[]
      )
        .map((r) => r.g)
        .filter((g) => !all.has(g));
      for (const g of next) all.add(g);
      frontier = next;
    }
    const xmlIds = all.size
      ? (
          this.db.prepare(`SELECT "xml_id" FROM "res_groups" WHERE "id" IN (${[...all].map(() => '?').join(',')})`).all(...all) as {
            xml_id: string | null;
          }[]
        )
          .map((r) => r.xml_id)
          .filter((x): x is string => !!x)
      : [];
    const companyIds = companiesLink
      ? (
          this.db
            .prepare(`SELECT "${companiesLink.otherColumn}" AS c FROM "${companiesLink.table}" WHERE "${companiesLink.ownColumn}" = ?`)
            .all(uid) as { c: number }[]
        ).map((r) => r.c)
      : [];
    const companyId = user.company_id ?? companyIds[0] ?? 1;
    if (!companyIds.includes(companyId)) companyIds.unshift(companyId);
    return {
      id: user.id,
      login: user.login,
      name: user.name,
      partnerId: user.partner_id,
      companyId,
      companyIds,
      groups: new Set(xmlIds),
      ...(user.lang !== null && { lang: user.lang }),
      ...(user.tz !== null && { tz: user.tz }),
    };
  }
}
