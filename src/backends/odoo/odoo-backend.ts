/**
 * The `odoo` Backend: a real Odoo server (14 to 19) through its external API, with no Odoo module to
 * install (README.md, "Backend `odoo`"). Every data call runs as the caller, in Odoo, so Odoo's own access rights and
 * record rules apply; this class translates (model-call.ts, odoo-transport.ts) and caches. Who is
 * calling is OdooAuthenticator's concern (odoo-authenticator.ts).
 *
 * Cached: verified credentials (60 s, 1000 entries, keyed by a SHA-256 of the secret), the model list
 * (10 min, reloaded early on an unknown slug), `fields_get` per user and model (5 min, 1000 entries; the
 * one for reads and the one that checks writes, check-values.ts, and the fields a default read found the
 * user may not read), the server version (10 min).
 *
 * What Odoo's external API does not do by itself and the contract wants, done here:
 * - creates and updates are checked before Odoo sees them (check-values.ts), and a MissingError about a
 *   record the values name (a many2one, or a line's product) is a 400 naming that field; only the
 *   record of the URL missing is a 404;
 * - a read without `fields` leaves out the fields the user may not read: those `fields_get` hides, and
 *   those whose value Odoo refuses to compute for them (a portal user and a partner's `bank_ids`: an
 *   AccessError on `res.partner.bank`), found once by halving the list and remembered per user and model;
 * - session info carries `company_id` (Odoo 17's has only `user_companies`, and a portal user's not even
 *   that), and an API-key caller's info says `is_admin`, `is_system` as Odoo's own would.
 */
import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type {
  Backend,
  Caller,
  DataSource,
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
import { callerOrigin, readOneOrMissing } from '../backend.js';
import type { ActionCall, ActionInfo, ActionOutcome } from '../actions.js';
import { catalogueActions } from '../action-catalogue.js';
import type { ReadGroupParams, ReadGroupResult } from '../read-group.js';
import type { ChangesParams, ChangesResult } from '../changes.js';
import { AccessDenied, AccessError, BackendError, InvalidQueryError, MissingError, UnknownModelError, ValidationError } from '../errors.js';
import type { DomainNode } from '../../domain/types.js';
import { domainToList } from '../../domain/domain-to-list.js';
import {
  checkValues,
  missingRecords,
  referenceTo,
  toWritableFields,
  type WritableFields,
  type WritableFieldsLoader,
} from './check-values.js';
import { defaultReadFields, toFieldsMeta } from './field-metadata.js';
import {
  contextGetCall,
  createCall,
  fieldsGetCall,
  hasGroupCall,
  availableModelsCall,
  methodCall,
  modelListCall,
  readCall,
  searchCountCall,
  searchReadCall,
  unlinkCall,
  WRITE_FIELD_ATTRIBUTES,
  writeCall,
  type ModelCall,
} from './model-call.js';
import { ModelRegistry, type LoadedModels } from './model-registry.js';
import {
  checkReadGroup,
  groupCount,
  groupsByDate,
  pageCall,
  pageIsWhole,
  readGroupDatabaseError,
  toGroups,
  totalCall,
} from './read-group.js';
import { OdooAuthenticator, SESSION_EXPIRED } from './odoo-authenticator.js';
import { OdooClient } from './odoo-client.js';
import { OdooChangeFeed } from './odoo-changes.js';
import { OdooServerError } from './odoo-faults.js';
import { executeCall, odooContext } from './odoo-transport.js';
import { TtlCache } from './ttl-cache.js';
import { needsFieldTypes, valuesToOdoo } from './values-to-odoo.js';

export interface OdooCacheOptions {
  /** How long a verified API key, password or session is trusted without asking Odoo again. */
  readonly credentialsTtlMs: number;
  readonly credentialsMax: number;
  /** How long the `ir.model` list is used; and the age from which an unknown slug reloads it. */
  readonly modelsTtlMs: number;
  readonly modelsMissRefreshMs: number;
  /** How long a `fields_get` answer (per user and model) is used. */
  readonly fieldsTtlMs: number;
  readonly fieldsMax: number;
  /** How long the server version is used. */
  readonly versionTtlMs: number;
}

export const ODOO_CACHE_DEFAULTS: OdooCacheOptions = Object.freeze({
  credentialsTtlMs: 60_000,
  credentialsMax: 1000,
  modelsTtlMs: 600_000,
  modelsMissRefreshMs: 30_000,
  fieldsTtlMs: 300_000,
  fieldsMax: 1000,
  versionTtlMs: 600_000,
});

export interface OdooBackendOptions {
  /** ODOO_URL: base URL of the Odoo server. */
  readonly url: string;
  /** ODOO_DB: the database every call runs on. */
  readonly db: string;
  /** Milliseconds to wait for Odoo (504 beyond). Default 30000. */
  readonly timeout?: number;
  readonly connectTimeout?: number;
  readonly connections?: number;
  /** Retries of read-only calls, their first backoff, and the queue bound (see OdooClient). */
  readonly retries?: number;
  readonly retryBackoffMs?: number;
  readonly maxQueue?: number;
  /** Tests: undici's MockAgent instead of an own Pool. */
  readonly dispatcher?: Dispatcher;
  readonly cache?: Partial<OdooCacheOptions>;
  readonly now?: () => number;
  /** CHANGES_ODOO_POLL_MS: milliseconds between two polls of the change feed while requests wait. Default 2000. */
  readonly changesPollMs?: number;
}

const USER_INFO_FIELDS = ['name', 'login', 'partner_id', 'company_id', 'company_ids', 'lang', 'tz'] as const;

function isRecordList(value: unknown): value is OdooRecord[] {
  return (
    Array.isArray(value) && value.every((r) => typeof r === 'object' && r !== null && Number.isSafeInteger((r as { id?: unknown }).id))
  );
}

/** The group fields Odoo's fields_get of res.users adds for its form (res_users.py, `is_reified_group`). */
const REIFIED_GROUP_FIELD = /^(in_group_\d+|sel_groups_\d+(_\d+)*)$/;

/** Odoo's superuser (`odoo.SUPERUSER_ID`), admin by definition. */
const SUPERUSER_ID = 1;

function many2oneId(value: unknown): number | false {
  return Array.isArray(value) && typeof value[0] === 'number' ? value[0] : false;
}

export class OdooBackend implements Backend {
  /** DataSource.pools: the connection pool to Odoo. */
  readonly pools: DataSource['pools'];
  readonly #url: string;
  readonly #client: OdooClient;
  readonly #db: string;
  readonly #auth: OdooAuthenticator;
  readonly #models: ModelRegistry;
  readonly #fields: TtlCache<Record<string, FieldMeta>>;
  readonly #languages: TtlCache<readonly Language[]>;
  /** `fields_get` with WRITE_FIELD_ATTRIBUTES, per user and model (check-values.ts). */
  readonly #writableFields: TtlCache<WritableFields>;
  /** Fields a default read found the user may not read, per user and model (see #readDefault). */
  readonly #unreadable: TtlCache<ReadonlySet<string>>;
  /** The change feed, polling (odoo-changes.ts). */
  readonly #changeFeed: OdooChangeFeed;

  constructor(options: OdooBackendOptions) {
    const cache = { ...ODOO_CACHE_DEFAULTS, ...options.cache };
    const now = options.now ?? Date.now;
    this.#url = options.url;
    this.#db = options.db;
    this.#client = new OdooClient({
      url: options.url,
      ...(options.timeout !== undefined && { timeout: options.timeout }),
      ...(options.connectTimeout !== undefined && { connectTimeout: options.connectTimeout }),
      ...(options.connections !== undefined && { connections: options.connections }),
      ...(options.retries !== undefined && { retries: options.retries }),
      ...(options.retryBackoffMs !== undefined && { retryBackoffMs: options.retryBackoffMs }),
      ...(options.maxQueue !== undefined && { maxQueue: options.maxQueue }),
      ...(options.dispatcher && { dispatcher: options.dispatcher }),
    });
    this.#auth = new OdooAuthenticator({
      client: this.#client,
      db: options.db,
      credentialsTtlMs: cache.credentialsTtlMs,
      credentialsMax: cache.credentialsMax,
      versionTtlMs: cache.versionTtlMs,
      now,
    });
    this.#models = new ModelRegistry({ ttlMs: cache.modelsTtlMs, missRefreshMs: cache.modelsMissRefreshMs, now });
    this.#fields = new TtlCache({ ttlMs: cache.fieldsTtlMs, maxEntries: cache.fieldsMax, now });
    this.#languages = new TtlCache({ ttlMs: cache.modelsTtlMs, maxEntries: 1, now });
    this.#writableFields = new TtlCache({ ttlMs: cache.fieldsTtlMs, maxEntries: cache.fieldsMax, now });
    this.#unreadable = new TtlCache({ ttlMs: cache.fieldsTtlMs, maxEntries: cache.fieldsMax, now });
    this.#changeFeed = new OdooChangeFeed(
      {
        scan: async (caller, model, domain) => {
          const call = searchReadCall(model, domainToList(domain), { fields: ['write_date'], order: 'id' });
          return this.#records(await this.#execute(caller, call), call);
        },
        read: (caller, model, ids, fields) => this.read(caller, model, ids, fields),
        callerKey: (caller) =>
          createHash('sha256')
            .update(JSON.stringify(this.#auth.credentialOf(caller)))
            .digest('base64url'),
      },
      { pollMs: options.changesPollMs ?? 2000, now },
    );
    const client = this.#client;
    this.pools = {
      odoo: {
        get stats() {
          return client.stats;
        },
      },
    };
  }

  /** Runs a call as the caller; a refused credential leaves the cache, a vanished model empties the model list. */
  async #execute(caller: Caller, call: ModelCall): Promise<unknown> {
    const credential = this.#auth.credentialOf(caller);
    try {
      return await executeCall(this.#client, this.#db, credential, call, odooContext(caller.context));
    } catch (error) {
      if (error instanceof AccessDenied || (error instanceof BackendError && error.odooName === SESSION_EXPIRED))
        this.#auth.refused(caller);
      if (error instanceof UnknownModelError) this.#models.forget();
      throw error;
    }
  }

  // ---- who is calling (odoo-authenticator.ts)

  authenticateBasic(login: string, key: string): Promise<Caller | null> {
    return this.#auth.basic(login, key);
  }

  /** `Authorization: Bearer <key>`: Odoo 19+ (/json/2); on older servers a 401 that says what to send instead. */
  authenticateApiKey(key: string): Promise<Caller | null> {
    return this.#auth.bearer(key);
  }

  authenticateSession(sessionId: string): Promise<Caller | null> {
    return this.#auth.session(sessionId);
  }

  createSession(db: string, login: string, password: string): Promise<Session> {
    return this.#auth.createSession(db, login, password);
  }

  sessionInfo(sessionId: string): Promise<SessionInfo | null> {
    return this.#auth.sessionInfo(sessionId);
  }

  destroySession(sessionId: string): Promise<void> {
    return this.#auth.destroySession(sessionId);
  }

  /**
   * A session caller's Odoo session info; for an API-key caller, the same keys read as that user: their
   * `res.users` record, their groups (`has_group`, as Odoo's own session info decides `is_system`,
   * `is_admin`, `is_internal_user`) and their companies.
   */
  /**
   * The active `res.lang` records (readable by every user), cached as long as the model list: a language
   * installed in Odoo counts from then on.
   */
  async languages(caller: Caller): Promise<readonly Language[]> {
    const cached = this.#languages.get('');
    if (cached) return cached;
    const rows = (await this.#execute(
      callerOrigin(caller),
      searchReadCall('res.lang', [['active', '=', true]], { fields: ['code', 'name'], order: 'id' }),
    )) as OdooRecord[];
    const languages = rows.flatMap(({ code, name }) =>
      typeof code === 'string' ? [{ code, name: typeof name === 'string' ? name : code }] : [],
    );
    this.#languages.set('', languages);
    return languages;
  }

  async userInfo(caller: Caller): Promise<SessionInfo> {
    const credential = this.#auth.credentialOf(caller);
    if (credential.kind === 'session') {
      const info = await this.#auth.sessionInfo(credential.sessionId);
      if (!info) throw new BackendError(SESSION_EXPIRED, 'Session expired');
      return info;
    }
    const inGroup = async (group: string) => (await this.#execute(caller, hasGroupCall(caller.uid, group))) === true;
    const [records, version, isSystem, isErpManager, isInternal] = await Promise.all([
      this.#execute(caller, readCall('res.users', [caller.uid], USER_INFO_FIELDS)),
      this.#auth.serverVersion(),
      inGroup('base.group_system'),
      inGroup('base.group_erp_manager'),
      inGroup('base.group_user'),
    ]);
    const user = isRecordList(records) ? records[0] : undefined;
    if (!user) throw new AccessDenied();
    const companyId = many2oneId(user.company_id);
    const partnerId = many2oneId(user.partner_id);
    return {
      uid: caller.uid,
      is_system: isSystem,
      // Odoo's `_is_admin()`: the superuser, or a member of Access Rights (which Settings implies).
      is_admin: caller.uid === SUPERUSER_ID || isErpManager || isSystem,
      is_internal_user: isInternal,
      name: typeof user.name === 'string' ? user.name : caller.name,
      username: typeof user.login === 'string' ? user.login : caller.login,
      db: this.#db,
      user_context: { lang: user.lang || 'en_US', tz: user.tz || false, uid: caller.uid },
      partner_id: partnerId,
      ...(Array.isArray(user.partner_id) && typeof user.partner_id[1] === 'string' && { partner_display_name: user.partner_id[1] }),
      company_id: companyId,
      ...(isInternal && { user_companies: await this.#userCompanies(caller, companyId, user.company_ids) }),
      server_version: version.text,
      server_version_info: [...version.info],
    };
  }

  /** Odoo's `user_companies` of session info, as far as the user may read their companies. */
  async #userCompanies(caller: Caller, current: number | false, companyIds: unknown): Promise<Record<string, unknown>> {
    const ids = Array.isArray(companyIds) ? companyIds.filter((id): id is number => Number.isSafeInteger(id)) : [];
    let companies: OdooRecord[] = [];
    try {
      if (ids.length) companies = await this.read(caller, 'res.company', ids, ['name', 'sequence', 'parent_id']);
    } catch (error) {
      if (!(error instanceof AccessError)) throw error;
    }
    const allowed = Object.fromEntries(
      companies.map((c) => [
        String(c.id),
        { id: c.id, name: c.name, sequence: c.sequence ?? 0, child_ids: [], parent_id: many2oneId(c.parent_id) },
      ]),
    );
    return { current_company: current, allowed_companies: allowed, disallowed_ancestor_companies: {} };
  }

  // ---- models and fields

  /** Resolves against `ir.model` (model-registry.ts), loaded with the caller's credentials when needed. */
  async resolveModel(slug: string, caller?: Caller): Promise<ModelMeta | undefined> {
    const load = caller && this.#auth.knows(caller) ? () => this.#loadModels(caller) : undefined;
    return this.#models.resolve(slug, load);
  }

  /**
   * The models of `ir.model`, which only managers of access rights may read in Odoo 17; for other users
   * the models they may read (`ir.model.get_available_models`, Odoo 17's web addon: internal users only),
   * a part of the list (model-registry.ts).
   */
  async #loadModels(caller: Caller): Promise<LoadedModels> {
    let rows: unknown;
    let complete = true;
    try {
      rows = await this.#execute(caller, modelListCall());
    } catch (error) {
      if (!(error instanceof AccessError)) throw error;
      rows = await this.#execute(caller, availableModelsCall()).catch(() => {
        throw error;
      });
      complete = false;
    }
    if (!Array.isArray(rows)) throw new OdooServerError('ir.model.search_read', 'answered no list');
    const models = rows
      .filter(
        (r: unknown): r is { model: string; name?: unknown; display_name?: unknown } =>
          typeof (r as { model?: unknown } | null | undefined)?.model === 'string',
      )
      .map((r) => {
        const name = r.name ?? r.display_name;
        return { model: r.model, description: typeof name === 'string' ? name : r.model };
      });
    return { models, complete };
  }

  /**
   * `fields_get` as the caller sees it, cached per user and model. On `res.users`, without the "reified"
   * group fields Odoo's fields_get adds for the user form (`in_group_<id>`, `sel_groups_<ids>`,
   * res_users.py UsersView): they are no fields of the model, `search_read` leaves them out and only
   * `read` computes them, so a list and a retrieve would not give the same record.
   */
  async fieldsGet(caller: Caller, model: string): Promise<Record<string, FieldMeta>> {
    // Per language too: labels and selection labels come translated.
    const key = `${caller.uid}\0${model}\0${caller.context?.lang ?? ''}`;
    const cached = this.#fields.get(key);
    if (cached) return cached;
    const fields = toFieldsMeta(await this.#execute(caller, fieldsGetCall(model)));
    if (model === 'res.users') {
      for (const name of Object.keys(fields)) if (REIFIED_GROUP_FIELD.test(name)) delete fields[name];
    }
    this.#fields.set(key, fields);
    return fields;
  }

  /** The fields a read without `fields` returns: what fields_get shows the caller, binary ones and those found unreadable excepted. */
  async #defaultFields(caller: Caller, model: string): Promise<string[]> {
    const unreadable = this.#unreadable.get(`${caller.uid}\0${model}`);
    const fields = defaultReadFields(await this.fieldsGet(caller, model));
    return unreadable ? fields.filter((name) => !unreadable.has(name)) : fields;
  }

  /**
   * A read of the default fields (`attempt(fields)`), the fields the caller turns out not to be allowed to
   * read left out. Odoo's fields_get shows fields whose value it then refuses to compute for the user
   * (AccessError on another model: for a portal user, a partner's `bank_ids`, `opportunity_ids`,
   * `bank_account_count`...). On such an AccessError, `ids()` reads the same records without those fields
   * (its own AccessError, the records themselves being hidden, is the answer). Then the refused fields are
   * found: first those the error points at (x2many and computed fields to the model it names, and the
   * fields computed from them, #suspects), read again without them while that helps; the rest by halving
   * the list. They are remembered for this user and model, and the records read without them.
   */
  async #readDefault(
    caller: Caller,
    model: string,
    attempt: (fields: readonly string[]) => Promise<OdooRecord[]>,
    ids: () => Promise<number[]>,
  ): Promise<OdooRecord[]> {
    const fields = await this.#defaultFields(caller, model);
    try {
      return await attempt(fields);
    } catch (error) {
      if (!(error instanceof AccessError)) throw error;
      const found = await ids();
      if (!found.length) throw error;
      const key = `${caller.uid}\0${model}`;
      const remember = (refused: readonly string[]) =>
        this.#unreadable.set(key, new Set([...(this.#unreadable.get(key) ?? []), ...refused]));
      const refused: string[] = [];
      let remaining = fields;
      let failure: AccessError = error;
      for (let round = 0; round < 20; round++) {
        const suspects = await this.#suspects(caller, model, remaining, failure.message);
        if (!suspects.size) break;
        refused.push(...suspects);
        remaining = remaining.filter((name) => !suspects.has(name));
        try {
          const records = await attempt(remaining);
          remember(refused);
          return records;
        } catch (again) {
          if (!(again instanceof AccessError)) throw again;
          failure = again;
        }
      }
      // `remaining` was just refused: halve it at once.
      const rest = await this.#refusedAmong(caller, model, found, remaining, true);
      if (!rest.length && !refused.length) throw error;
      remember([...refused, ...rest]);
      return attempt(remaining.filter((name) => !rest.includes(name)));
    }
  }

  /**
   * The fields among `fields` an AccessError's message points at: it names the model refused
   * (`... 'Bank Accounts' (res.partner.bank) records`); the x2many fields to it, the computed fields to it,
   * and the fields computed from any of those.
   */
  async #suspects(caller: Caller, model: string, fields: readonly string[], message: string): Promise<Set<string>> {
    const refusedModel = /\(([a-z_][\w]*(?:\.[\w]+)+)\)/.exec(message)?.[1];
    const suspects = new Set<string>();
    if (!refusedModel || refusedModel === model) return suspects;
    const meta = await this.#writable(caller, model);
    for (const name of fields) {
      const field = meta[name];
      if (field?.relation === refusedModel && (field.type === 'one2many' || field.type === 'many2many' || field.depends.length))
        suspects.add(name);
    }
    for (let grown = suspects.size > 0; grown;) {
      grown = false;
      for (const name of fields) {
        if (!suspects.has(name) && meta[name]?.depends.some((path) => suspects.has(path.split('.')[0]!))) {
          suspects.add(name);
          grown = true;
        }
      }
    }
    return suspects;
  }

  /**
   * The fields among `fields` that reading `ids` refuses with an AccessError, found by halving the list
   * (`refused`: the whole list is known to be refused, so it is not read again).
   */
  async #refusedAmong(
    caller: Caller,
    model: string,
    ids: readonly number[],
    fields: readonly string[],
    refused = false,
  ): Promise<string[]> {
    if (!refused) {
      try {
        await this.#execute(caller, readCall(model, ids, fields));
        return [];
      } catch (error) {
        if (!(error instanceof AccessError)) throw error;
      }
    }
    if (fields.length <= 1) return [...fields];
    const half = Math.ceil(fields.length / 2);
    return [
      ...(await this.#refusedAmong(caller, model, ids, fields.slice(0, half))),
      ...(await this.#refusedAmong(caller, model, ids, fields.slice(half))),
    ];
  }

  // ---- records

  async searchRead(caller: Caller, model: string, params: SearchParams): Promise<OdooRecord[]> {
    // Odoo reads `limit=0` as "no limit"; the contract as "no rows".
    if (params.limit === 0) return [];
    if (params.order) await this.#checkOrder(caller, model, params.order);
    const domain = domainToList(params.domain);
    const page = { limit: params.limit, offset: params.offset, order: params.order };
    const search = async (fields: readonly string[]) => {
      const call = searchReadCall(model, domain, { fields, ...page });
      return this.#records(await this.#execute(caller, call), call);
    };
    if (params.fields?.length) return search(params.fields);
    return this.#readDefault(caller, model, search, async () => (await search(['id'])).map((r) => r.id));
  }

  /**
   * `order` names stored fields only (docs/rest-contract.md, "List"). Odoo 17 logs a warning and ignores a field that
   * is no column (`order_line`, `display_name`), so that is refused here, naming the field; an unknown field
   * is left to Odoo's own ValueError (400).
   */
  async #checkOrder(caller: Caller, model: string, order: string): Promise<void> {
    const fields = await this.#writable(caller, model);
    for (const term of order.split(',')) {
      const name = term.trim().split(/\s+/)[0] ?? '';
      const field = fields[name];
      if (field && (!field.stored || field.type === 'one2many' || field.type === 'many2many')) {
        throw new InvalidQueryError(`query parameter 'order': field '${name}' of ${model} is not stored, records cannot be ordered by it`);
      }
    }
  }

  async searchCount(caller: Caller, model: string, domain: DomainNode): Promise<number> {
    const count = await this.#execute(caller, searchCountCall(model, domainToList(domain)));
    if (typeof count !== 'number') throw new OdooServerError(`${model}.search_count`, 'answered no number');
    return count;
  }

  /**
   * Backend.changes: Odoo keeps no change log, so the feed polls it as the caller (odoo-changes.ts): the
   * domain's ids with their write_date, then the records that changed; long polling every
   * CHANGES_ODOO_POLL_MS, one poll shared by the waiters of the same credential, model, domain and fields.
   */
  async changes(caller: Caller, model: string, params: ChangesParams): Promise<ChangesResult> {
    return this.#changeFeed.changes(caller, model, params);
  }

  /**
   * Odoo's `read_group` as the caller (read-group.ts): the group-bys and aggregates checked against the
   * caller's fields first, date groups in the caller's language and time zone, and the total number of
   * groups from a second read_group when the page may not hold them all.
   */
  async readGroup(caller: Caller, model: string, params: ReadGroupParams): Promise<ReadGroupResult> {
    const fields = await this.#writable(caller, model);
    checkReadGroup(model, params, fields);
    const domain = domainToList(params.domain);
    let context: Record<string, unknown> | undefined;
    // A session's calls carry its own user context (odoo-transport.ts); an API key's get the user's.
    if (groupsByDate(params, fields) && this.#auth.credentialOf(caller).kind !== 'session') {
      const given = caller.context?.lang && caller.context.tz;
      const own = given ? null : ((await this.#execute(caller, contextGetCall())) as Record<string, unknown> | null);
      context = {
        ...(typeof own?.lang === 'string' && { lang: own.lang }),
        ...(typeof own?.tz === 'string' && { tz: own.tz }),
        ...(caller.context?.lang && { lang: caller.context.lang }),
        ...(caller.context?.tz && { tz: caller.context.tz }),
      };
    }
    try {
      const groups =
        params.limit === 0 ? [] : toGroups(await this.#execute(caller, pageCall(model, domain, params, context)), model, params);
      const total =
        params.limit !== 0 && pageIsWhole(params, groups.length)
          ? groups.length
          : groupCount(await this.#execute(caller, totalCall(model, domain, params, context)), model);
      return { groups, total };
    } catch (error) {
      throw readGroupDatabaseError(error, model);
    }
  }

  async read(caller: Caller, model: string, ids: readonly number[], fields?: readonly string[]): Promise<OdooRecord[]> {
    if (!ids.length) return [];
    const read = async (names: readonly string[]) => {
      const call = readCall(model, ids, names);
      return this.#records(await this.#execute(caller, call), call);
    };
    if (fields?.length) return read(fields);
    return this.#readDefault(caller, model, read, async () => (await read(['id'])).map((r) => r.id));
  }

  #records(answer: unknown, call: ModelCall): OdooRecord[] {
    if (!isRecordList(answer)) throw new OdooServerError(`${call.model}.${call.method}`, 'answered no list of records');
    return answer;
  }

  async #odooValues(caller: Caller, model: string, values: OdooValues): Promise<OdooValues> {
    return valuesToOdoo(values, needsFieldTypes(values) ? await this.fieldsGet(caller, model) : {});
  }

  /** `fields_get` with WRITE_FIELD_ATTRIBUTES as the caller sees it, cached per user and model. */
  async #writable(caller: Caller, model: string): Promise<WritableFields> {
    const key = `${caller.uid}\0${model}`;
    const cached = this.#writableFields.get(key);
    if (cached) return cached;
    const fields = toWritableFields(await this.#execute(caller, fieldsGetCall(model, WRITE_FIELD_ATTRIBUTES)));
    this.#writableFields.set(key, fields);
    return fields;
  }

  /** The loader check-values.ts uses: the model of the URL must be readable; a related model the caller may not describe passes unchecked. */
  #writableLoader(caller: Caller, top: string): WritableFieldsLoader {
    return async (model) => {
      try {
        return await this.#writable(caller, model);
      } catch (error) {
        if (model !== top && (error instanceof AccessError || error instanceof UnknownModelError)) return undefined;
        throw error;
      }
    };
  }

  /**
   * Runs a create or write of checked `values`. A MissingError about a record the values name is bad
   * input: a 400 naming the field (`order_line.product_id`). Only the record of the URL (`target`)
   * missing stays a 404.
   */
  async #namingMissing<T>(
    caller: Caller,
    model: string,
    values: OdooValues,
    target: number | undefined,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof MissingError)) throw error;
      const missing = missingRecords(error.message);
      if (target !== undefined && (!missing || (missing.model === model && missing.ids.includes(target)))) throw error;
      const reference = missing && (await referenceTo(model, values, missing, this.#writableLoader(caller, model)));
      if (reference) {
        throw new ValidationError(
          `Invalid value for field '${reference.field}' on ${model}: ${missing.model} record ${reference.id} does not exist or has been deleted`,
        );
      }
      throw new ValidationError(error.message);
    }
  }

  async #createChecked(caller: Caller, model: string, values: OdooValues): Promise<number> {
    const answer = await this.#execute(caller, createCall(model, values));
    // execute_kw and call_kw answer the id; /json/2 answers the list of created ids.
    const id: unknown = Array.isArray(answer) ? answer[0] : answer;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new OdooServerError(`${model}.create`, 'answered no id');
    return id;
  }

  /** Creates with the values as given (many2one objects and id lists converted); createAndRead checks them first. */
  async create(caller: Caller, model: string, values: OdooValues): Promise<number> {
    return this.#createChecked(caller, model, await this.#odooValues(caller, model, values));
  }

  /** The REST create: values checked (check-values.ts), created, read back as the caller. */
  async createAndRead(caller: Caller, model: string, values: OdooValues): Promise<OdooRecord> {
    const checked = await checkValues(model, values, this.#writableLoader(caller, model));
    const id = await this.#namingMissing(caller, model, checked, undefined, () => this.#createChecked(caller, model, checked));
    return readOneOrMissing(model, id, (ids) => this.read(caller, model, ids));
  }

  /** The REST update: values checked (check-values.ts), written, read back as the caller. */
  async writeAndRead(caller: Caller, model: string, id: number, values: OdooValues): Promise<OdooRecord> {
    const checked = await checkValues(model, values, this.#writableLoader(caller, model));
    await this.#namingMissing(caller, model, checked, id, () => this.#execute(caller, writeCall(model, [id], checked)));
    return readOneOrMissing(model, id, (ids) => this.read(caller, model, ids));
  }

  /**
   * A business action (src/backends/actions.ts): the method called on the record by Odoo, as the caller,
   * then the record read back (two calls: Odoo commits the first). Odoo's refusals keep their mapping
   * (UserError 400, AccessError 403, MissingError 404); a method the model does not have is a 404 naming
   * it, and arguments the method does not take a 400 (Odoo's TypeError, which only says so).
   */
  async callAction(caller: Caller, model: string, id: number, call: ActionCall): Promise<ActionOutcome> {
    if (call.args.length && this.#auth.credentialOf(caller).kind === 'bearer')
      throw new InvalidQueryError(`'${call.method}': positional args cannot be sent to Odoo's /json/2 API: give them as kwargs`);
    let result: unknown;
    try {
      result = await this.#execute(caller, methodCall(model, call.method, [id], call.args, call.kwargs));
    } catch (error) {
      throw actionFault(error, model, call.method);
    }
    const record = await readOneOrMissing(model, id, (ids) => this.read(caller, model, ids, call.fields));
    return { result: result ?? false, record };
  }

  /** The actions the catalogue knows for the model (Odoo has no listing of its methods): the embedded store's own. */
  async actions(_caller: Caller, model: string): Promise<readonly ActionInfo[]> {
    return catalogueActions(model);
  }

  /** Writes the values as given (many2one objects and id lists converted); writeAndRead checks them first. */
  async write(caller: Caller, model: string, ids: readonly number[], values: OdooValues): Promise<void> {
    await this.#execute(caller, writeCall(model, ids, await this.#odooValues(caller, model, values)));
  }

  /**
   * Odoo's `unlink` of an id that does not exist succeeds silently, and the contract wants a 404, so the
   * ids are read first (`read` leaves missing ids out and raises AccessError for hidden ones).
   */
  async unlink(caller: Caller, model: string, ids: readonly number[]): Promise<void> {
    if (!ids.length) return;
    const found = new Set((await this.read(caller, model, ids, ['id'])).map((r) => r.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw new MissingError(`${model} record ${missing.join(', ')} does not exist`);
    await this.#execute(caller, unlinkCall(model, ids));
  }

  // ---- the server itself

  /** DataSource.describe: the Odoo it calls, where users make their API keys. */
  describe(): DataSourceDescription {
    return {
      kind: 'remote',
      name: 'Odoo',
      location: `at ${this.#url}`,
      apiKeyHint: 'create one in Odoo: Preferences > Account Security > New API Key',
    };
  }

  /** Odoo answers `common.version()` (no credentials needed): reachable and serving. */
  async ping(): Promise<void> {
    await this.#client.jsonRpc('/jsonrpc', { service: 'common', method: 'version', args: [] });
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}

/**
 * Odoo's answer to a method call that could not start, in the contract's terms: `builtins.AttributeError`
 * "The method 'x' does not exist on the model 'y'" is a 404 naming it; a `builtins.TypeError` about the
 * arguments (unexpected keyword, missing or extra positional) a 400. Anything else as any call's fault.
 */
function actionFault(error: unknown, model: string, method: string): unknown {
  if (!(error instanceof OdooServerError)) return error;
  if (error.odooName === 'builtins.AttributeError' && /does not exist on the model/.test(error.message))
    return new MissingError(`${model} has no action '${method}'`);
  // `Odoo raised builtins.TypeError: SaleOrder.action_confirm() got an unexpected keyword argument 'foo'`
  const odooText = error.message.replace(/^Odoo raised \S+: /, '').replace(/^\S+\(\)\s*/, '');
  if (error.odooName === 'builtins.TypeError' && /argument/.test(odooText)) return new InvalidQueryError(`'${method}': ${odooText}`);
  return error;
}
