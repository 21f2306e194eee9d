/**
 * The default Backend: an Odoo-like store in one SQLite file, created and seeded with demo data on
 * first start. Implements the Backend interface over Store (data) and Authenticator (who is calling).
 */
import { join } from 'node:path';
import type {
  Backend,
  Caller,
  DataSourceDescription,
  FieldMeta,
  Language,
  ModelMeta,
  OdooRecord,
  OdooValues,
  SearchParams,
  Session,
  SessionInfo,
} from '../backend.js';
import { readOneOrMissing, type SearchPage } from '../backend.js';
import type { ActionCall, ActionInfo, ActionOutcome } from '../actions.js';
import { DEFAULT_CHANGES_LIMIT, type ChangesParams, type ChangesResult } from '../changes.js';
import { CONFIG_DEFAULTS } from '../../config.js';
import { catalogueActions } from '../action-catalogue.js';
import { AccessDenied, DatabaseNotFound, InvalidQueryError, MissingError, UnknownModelError } from '../errors.js';
import { embeddedAction, embeddedActions } from './actions/index.js';
import type { DomainNode } from '../../domain/types.js';
import type { ReadGroupParams, ReadGroupResult } from '../read-group.js';
import { Authenticator, type ApiKeyInfo } from './auth.js';
import { openDatabase, type SqliteDatabase } from './database.js';
import { DEMO_USERS, seedDemoData } from './demo/demo-data.js';
import { localizeFields } from './i18n/labels.js';
import { INSTALLED_LANGUAGES, SOURCE_LANGUAGE } from './i18n/languages.js';
import type { UserContext } from './model-definition.js';
import { MODELS } from './models/index.js';
import { Registry, fieldMeta, type FieldInfo, type RegistryModel } from './registry.js';
import { canAccessField } from './security/access.js';
import { Store } from './store.js';
import { ChangeFeed, ChangeWatch, type ChangeLogLimits, type FeedParams } from './store-changes.js';

export interface EmbeddedOptions {
  /** Folder of the SQLite file (`odoo.sqlite`), or the file itself when it ends in `.sqlite`/`.db`. */
  readonly dataDir: string;
  /** Database name callers give to /web/session/authenticate. */
  readonly dbName: string;
  /** Seed demo data into a new database. */
  readonly demo: boolean;
  readonly synchronous?: 'normal' | 'full';
  /** How long and how much the change log keeps (CHANGES_MAX_AGE_S, CHANGES_MAX_ROWS); the configuration's defaults when not given. */
  readonly changeLog?: ChangeLogLimits;
}

const SERVER_VERSION_INFO = [17, 0, 0, 'final', 0, ''] as const;

export function databaseFile(dataDir: string): string {
  return /\.(sqlite|db)$/.test(dataDir) || dataDir === ':memory:' ? dataDir : join(dataDir, 'odoo.sqlite');
}

/** fields_get of the fields `visible` keeps; `display_name` says which field it shows (its `depends`). */
function fieldsMetadata(model: RegistryModel, visible: (field: FieldInfo) => boolean): Record<string, FieldMeta> {
  return Object.fromEntries(
    [...model.fields.values()]
      .filter(visible)
      .map((f) => [f.name, f.name === 'display_name' ? { ...fieldMeta(f), depends: [...model.displayNameDepends] } : fieldMeta(f)]),
  );
}

export class EmbeddedBackend implements Backend {
  /** Backend.authenticatesLocally: a key or session is a SHA-256 and one indexed lookup away. */
  readonly authenticatesLocally = true;
  readonly registry: Registry;
  readonly db: SqliteDatabase;
  readonly store: Store;
  readonly auth: Authenticator;
  /** The change feed (store-changes.ts) and the watch that wakes long-polling requests. */
  readonly changeFeed: ChangeFeed;
  readonly #changeWatch: ChangeWatch;

  constructor(private readonly options: EmbeddedOptions) {
    this.registry = new Registry(MODELS);
    this.db = openDatabase(this.registry, { file: databaseFile(options.dataDir), synchronous: options.synchronous ?? 'normal' });
    this.store = new Store(this.db, this.registry);
    this.auth = new Authenticator(this.db, this.store);
    this.changeFeed = new ChangeFeed(
      this.store,
      options.changeLog ?? { maxAgeS: CONFIG_DEFAULTS.CHANGES_MAX_AGE_S, maxRows: CONFIG_DEFAULTS.CHANGES_MAX_ROWS },
    );
    this.#changeWatch = new ChangeWatch(this.changeFeed);
    this.#initialise();
  }

  #initialise(): void {
    const seeded = this.db.prepare(`SELECT "value" FROM "_meta" WHERE "key" = 'initialised'`).get();
    if (seeded) return;
    this.store.transaction(() => {
      if (this.options.demo) {
        seedDemoData({
          create: (model, values) => this.store.create('superuser', model, values),
          setPassword: (userId, password) => this.auth.setPassword(userId, password),
          setTranslation: (model, id, field, lang, value) => this.store.setTranslation(model, id, field, lang, value),
        });
      }
      this.db.prepare(`INSERT INTO "_meta" ("key", "value") VALUES ('initialised', ?)`).run(new Date().toISOString());
      // The demo data is where a new database starts, not changes to follow.
      this.changeFeed.reset();
    });
    this.db.exec('ANALYZE');
  }

  /** The caller as rules and defaults see them, with their request's context (language, time zone, companies). */
  #user(caller: Caller): UserContext {
    return this.auth.contextFor(caller.uid, caller.context);
  }

  #model(name: string) {
    const model = this.registry.resolve(name);
    if (!model) throw new UnknownModelError(name);
    return model;
  }

  async resolveModel(slug: string): Promise<ModelMeta | undefined> {
    const model = this.registry.resolve(slug);
    return model && { model: model.name, description: model.description };
  }

  #caller(uid: number, via: Caller['via']): Caller {
    const user = this.auth.userContext(uid);
    return { uid, login: user.login, name: user.name, via };
  }

  async authenticateApiKey(key: string): Promise<Caller | null> {
    const uid = this.auth.userForApiKey(key);
    return uid === null ? null : this.#caller(uid, 'apikey');
  }

  async authenticateSession(sessionId: string): Promise<Caller | null> {
    const uid = this.auth.userForSession(sessionId);
    return uid === null ? null : this.#caller(uid, 'session');
  }

  async createSession(db: string, login: string, password: string): Promise<Session> {
    // Odoo 17 (web/controllers/session.py) refuses another database before it looks at the login.
    if (db !== this.options.dbName) throw new DatabaseNotFound();
    const uid = await this.auth.authenticatePassword(login, password);
    if (uid === null) throw new AccessDenied();
    const sessionId = this.auth.createSession(uid);
    return { sessionId, info: this.#sessionInfo(uid) };
  }

  async sessionInfo(sessionId: string): Promise<SessionInfo | null> {
    const uid = this.auth.userForSession(sessionId);
    return uid === null ? null : this.#sessionInfo(uid);
  }

  async userInfo(caller: Caller): Promise<SessionInfo> {
    return this.#sessionInfo(caller.uid);
  }

  async languages(): Promise<readonly Language[]> {
    return INSTALLED_LANGUAGES;
  }

  async destroySession(sessionId: string): Promise<void> {
    this.auth.destroySession(sessionId);
  }

  /** Odoo 17's session info (test/fixtures/odoo-recordings/web_session_authenticate_admin.json), plus `company_id`. */
  #sessionInfo(uid: number): SessionInfo {
    const user = this.auth.userContext(uid);
    const partner = this.store.displayNames('res.partner', [user.partnerId]).get(user.partnerId) ?? user.name;
    const companies = this.store.read('superuser', 'res.company', user.companyIds, ['name']);
    const isSystem = user.groups.has('base.group_system');
    return {
      uid,
      is_system: isSystem,
      is_admin: user.groups.has('base.group_erp_manager') || isSystem,
      is_public: user.groups.has('base.group_public'),
      is_internal_user: user.groups.has('base.group_user'),
      user_context: { lang: user.lang ?? SOURCE_LANGUAGE, tz: user.tz ?? false, uid },
      db: this.options.dbName,
      server_version: '17.0',
      server_version_info: [...SERVER_VERSION_INFO],
      support_url: 'https://www.odoo.com/buy',
      name: user.name,
      username: user.login,
      partner_display_name: partner,
      partner_id: user.partnerId,
      company_id: user.companyId,
      user_companies: {
        current_company: user.companyId,
        allowed_companies: Object.fromEntries(
          companies.map((c, index) => [String(c.id), { id: c.id, name: c.name, sequence: index * 10, child_ids: [], parent_id: false }]),
        ),
        disallowed_ancestor_companies: {},
      },
      display_switch_company_menu: companies.length > 1,
      user_id: [uid],
      max_file_upload_size: 134217728,
      home_action_id: false,
    };
  }

  async searchRead(caller: Caller, model: string, params: SearchParams): Promise<OdooRecord[]> {
    return this.store.searchRead(this.#user(caller), this.#model(model).name, params.domain, params.fields, params);
  }

  async searchPage(caller: Caller, model: string, params: SearchParams): Promise<SearchPage> {
    return this.store.searchPage(this.#user(caller), this.#model(model).name, params.domain, params.fields, params);
  }

  async searchCount(caller: Caller, model: string, domain: DomainNode): Promise<number> {
    return this.store.searchCount(this.#user(caller), this.#model(model).name, domain);
  }

  async readGroup(caller: Caller, model: string, params: ReadGroupParams): Promise<ReadGroupResult> {
    return this.store.readGroup(this.#user(caller), this.#model(model).name, params);
  }

  /**
   * Backend.changes, from the store's change log (store-changes.ts). With `wait`, an answer with nothing
   * to report is held until the model changes (a write in this process or another one on the same
   * database), then read again from its cursor, until the time is up or the client goes away.
   */
  async changes(caller: Caller, model: string, params: ChangesParams): Promise<ChangesResult> {
    const user = this.#user(caller);
    const info = this.#model(model);
    const deadline = Date.now() + Math.max(0, params.wait ?? 0) * 1000;
    let feedParams: FeedParams = {
      domain: params.domain,
      fields: params.fields,
      since: params.since,
      limit: params.limit ?? DEFAULT_CHANGES_LIMIT,
    };
    for (;;) {
      const { result, revision } = this.changeFeed.changes(user, info, feedParams);
      const remaining = deadline - Date.now();
      if (result.changes.length || result.more || params.since === undefined || remaining <= 0 || params.signal?.aborted) return result;
      feedParams = { ...feedParams, since: result.cursor };
      if (!(await this.#changeWatch.wait(info.name, revision, remaining, params.signal))) return result;
    }
  }

  async read(caller: Caller, model: string, ids: readonly number[], fields?: readonly string[]): Promise<OdooRecord[]> {
    return this.store.read(this.#user(caller), this.#model(model).name, ids, fields);
  }

  async create(caller: Caller, model: string, values: OdooValues): Promise<number> {
    const id = this.store.create(this.#user(caller), this.#model(model).name, values);
    this.#afterWrite(model);
    return id;
  }

  async createAndRead(caller: Caller, model: string, values: OdooValues): Promise<OdooRecord> {
    const user = this.#user(caller);
    const name = this.#model(model).name;
    const record = this.store.transaction(() => {
      const id = this.store.create(user, name, values);
      return readOneOrMissing(name, id, (ids) => this.store.read(user, name, ids));
    });
    this.#afterWrite(model);
    return record;
  }

  async writeAndRead(caller: Caller, model: string, id: number, values: OdooValues): Promise<OdooRecord> {
    const user = this.#user(caller);
    const name = this.#model(model).name;
    const record = this.store.transaction(() => {
      this.store.write(user, name, [id], values);
      return readOneOrMissing(name, id, (ids) => this.store.read(user, name, ids));
    });
    this.#afterWrite(model);
    return record;
  }

  /**
   * A business action (src/backends/embedded/actions/): the action and the read-back in one transaction, so an
   * action whose read-back fails changes nothing. An action the store does not implement is a 404 listing those it does.
   */
  async callAction(caller: Caller, model: string, id: number, call: ActionCall): Promise<ActionOutcome> {
    const user = this.#user(caller);
    const name = this.#model(model).name;
    const run = embeddedAction(name, call.method);
    if (!run) {
      const known = embeddedActions(name).map((action) => action.name);
      throw new MissingError(
        `${name} has no action '${call.method}'${known.length ? ` (its actions: ${known.join(', ')})` : ' (it has no actions here)'}`,
      );
    }
    if (call.args.length) throw new InvalidQueryError(`'${call.method}' takes no positional args: give its arguments as kwargs`);
    const known = new Set(
      catalogueActions(name)
        .find((action) => action.name === call.method)
        ?.kwargs.map((arg) => arg.name),
    );
    const unknown = Object.keys(call.kwargs).filter((key) => !known.has(key));
    if (unknown.length) throw new InvalidQueryError(`'${call.method}' got an unexpected keyword argument '${unknown[0]}'`);
    const outcome = this.store.transaction(() => {
      readOneOrMissing(name, id, (ids) => this.store.read(user, name, ids, ['id']));
      const result = run({ store: this.store, user, model: name }, id, call.kwargs);
      const record = readOneOrMissing(name, id, (ids) => this.store.read(user, name, ids, call.fields));
      return { result: result ?? false, record };
    });
    this.#afterWrite(model);
    return outcome;
  }

  async actions(_caller: Caller, model: string): Promise<readonly ActionInfo[]> {
    return embeddedActions(this.#model(model).name);
  }

  async write(caller: Caller, model: string, ids: readonly number[], values: OdooValues): Promise<void> {
    this.store.write(this.#user(caller), this.#model(model).name, ids, values);
    this.#afterWrite(model);
  }

  async unlink(caller: Caller, model: string, ids: readonly number[]): Promise<void> {
    this.store.unlink(this.#user(caller), this.#model(model).name, ids);
    this.#afterWrite(model);
  }

  /** Users, groups and companies shape every access decision: forget cached user contexts when they change here. */
  #afterWrite(model: string): void {
    this.changeFeed.pruneIfDue();
    // Long polls waiting for this write are answered now, not at the watch's next tick.
    this.#changeWatch.poke();
    if (/^res[._](users|groups|company)$/.test(model)) this.auth.forgetUserContexts();
  }

  async fieldsGet(caller: Caller, model: string): Promise<Record<string, FieldMeta>> {
    const info = this.#model(model);
    const user = this.#user(caller);
    return localizeFields(
      info.name,
      fieldsMetadata(info, (f) => canAccessField(f, user)),
      user.lang,
    );
  }

  /** Every field but the internal ones (password hashes), for the typed GraphQL schema (Backend.schemaFields). */
  async schemaFields(model: string): Promise<Record<string, FieldMeta> | undefined> {
    const info = this.registry.resolve(model);
    return info && fieldsMetadata(info, (f) => !f.internal);
  }

  /** Backend.revision: this process's boot id, then SQLite's count of this connection's changes and its data version (other connections' commits). */
  revision(): string {
    return this.store.revision();
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  /**
   * DataSource.describe: its data folder, and the demo logins with their demo passwords, from the demo
   * data's list rather than each stored hash (a scrypt per user, some 250 ms of blocked event loop at start).
   */
  describe(): DataSourceDescription {
    const demoLogins = this.options.demo
      ? DEMO_USERS.filter((user) => user.active && user.password === user.login).map((user) => user.login)
      : [];
    return { kind: 'store', dataDir: this.options.dataDir, demoLogins };
  }

  async close(): Promise<void> {
    this.#changeWatch.close();
    if (!this.db.open) return;
    this.db.exec('PRAGMA optimize');
    this.db.close();
  }

  // ---- administration, for the CLI

  createApiKey(login: string, name: string): string {
    const user = this.auth.userByLogin(login);
    if (!user) throw new Error(`no active user with login '${login}'`);
    return this.auth.createApiKey(user.id, name);
  }

  /** Sets a user's password (stored as a scrypt hash); the user's sessions stay valid. */
  setPassword(login: string, password: string): void {
    const user = this.auth.userByLogin(login);
    if (!user) throw new Error(`no active user with login '${login}'`);
    if (password.length < 8) throw new Error('a password needs at least 8 characters');
    this.auth.setPassword(user.id, password);
  }

  loginsWithDemoPasswords(): string[] {
    return this.auth.loginsWithDemoPasswords();
  }

  listApiKeys(): ApiKeyInfo[] {
    return this.auth.listApiKeys();
  }

  revokeApiKey(idOrPrefix: string): number {
    return this.auth.revokeApiKey(idOrPrefix);
  }
}
