/**
 * The `odoo` Backend: a real Odoo server (14 to 19) through its external API, with no Odoo module to
 * install (DESIGN.md). Every data call runs as the caller, in Odoo, so Odoo's own access rights and
 * record rules apply; this class translates (model-call.ts, odoo-transport.ts) and caches. Who is
 * calling is OdooAuthenticator's concern (odoo-authenticator.ts).
 *
 * Cached: verified credentials (60 s, 1000 entries, keyed by a SHA-256 of the secret), the model list
 * (10 min, reloaded early on an unknown slug), `fields_get` per user and model (5 min, 1000 entries),
 * the server version (10 min).
 */
import type { Dispatcher } from 'undici';
import type {
  Backend, Caller, FieldMeta, ModelInfo, OdooRecord, OdooValues, SearchParams, Session, SessionInfo,
} from '../backend.js';
import { createThenRead, writeThenRead } from '../backend.js';
import { AccessDenied, BackendError, MissingError, UnknownModelError } from '../errors.js';
import type { DomainNode } from '../../domain/types.js';
import { domainToList } from '../../domain/domain-to-list.js';
import { defaultReadFields, toFieldsMeta } from './field-metadata.js';
import {
  createCall, fieldsGetCall, modelListCall, readCall, searchCountCall, searchReadCall, unlinkCall, writeCall, type ModelCall,
} from './model-call.js';
import { ModelRegistry } from './model-registry.js';
import { OdooAuthenticator, SESSION_EXPIRED } from './odoo-authenticator.js';
import { OdooClient } from './odoo-client.js';
import { OdooServerError } from './odoo-faults.js';
import { executeCall } from './odoo-transport.js';
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
}

const USER_INFO_FIELDS = ['name', 'login', 'partner_id', 'company_id', 'lang', 'tz'] as const;

function isRecordList(value: unknown): value is OdooRecord[] {
  return Array.isArray(value) && value.every((r) => typeof r === 'object' && r !== null && Number.isSafeInteger((r as { id?: unknown }).id));
}

function many2oneId(value: unknown): number | false {
  return Array.isArray(value) && typeof value[0] === 'number' ? value[0] : false;
}

export class OdooBackend implements Backend {
  readonly #client: OdooClient;
  readonly #db: string;
  readonly #auth: OdooAuthenticator;
  readonly #models: ModelRegistry;
  readonly #fields: TtlCache<Record<string, FieldMeta>>;

  constructor(options: OdooBackendOptions) {
    const cache = { ...ODOO_CACHE_DEFAULTS, ...options.cache };
    const now = options.now ?? Date.now;
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
      client: this.#client, db: options.db, credentialsTtlMs: cache.credentialsTtlMs, credentialsMax: cache.credentialsMax, versionTtlMs: cache.versionTtlMs, now,
    });
    this.#models = new ModelRegistry({ ttlMs: cache.modelsTtlMs, missRefreshMs: cache.modelsMissRefreshMs, now });
    this.#fields = new TtlCache({ ttlMs: cache.fieldsTtlMs, maxEntries: cache.fieldsMax, now });
  }

  /** Runs a call as the caller; a refused credential leaves the cache, a vanished model empties the model list. */
  async #execute(caller: Caller, call: ModelCall): Promise<unknown> {
    const credential = this.#auth.credentialOf(caller);
    try {
      return await executeCall(this.#client, this.#db, credential, call);
    } catch (error) {
      if (error instanceof AccessDenied || (error instanceof BackendError && error.odooName === SESSION_EXPIRED)) this.#auth.refused(caller);
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

  /** A session caller's Odoo session info; for an API-key caller, the same keys read from `res.users`. */
  async userInfo(caller: Caller): Promise<SessionInfo> {
    const credential = this.#auth.credentialOf(caller);
    if (credential.kind === 'session') {
      const info = await this.#auth.sessionInfo(credential.sessionId);
      if (!info) throw new BackendError(SESSION_EXPIRED, 'Session expired');
      return info;
    }
    const [records, version] = await Promise.all([
      this.#execute(caller, readCall('res.users', [caller.uid], USER_INFO_FIELDS)),
      this.#auth.serverVersion(),
    ]);
    const user = isRecordList(records) ? records[0] : undefined;
    if (!user) throw new AccessDenied();
    return {
      uid: caller.uid,
      name: String(user.name ?? caller.name),
      username: String(user.login ?? caller.login),
      db: this.#db,
      user_context: { lang: user.lang || 'en_US', tz: user.tz || false, uid: caller.uid },
      partner_id: many2oneId(user.partner_id),
      company_id: many2oneId(user.company_id),
      server_version: version.text,
      server_version_info: [...version.info],
    };
  }

  // ---- models and fields

  /** Resolves against `ir.model` (model-registry.ts), loaded with the caller's credentials when needed. */
  async resolveModel(slug: string, caller?: Caller): Promise<ModelInfo | undefined> {
    const load = caller && this.#auth.knows(caller) ? () => this.#loadModels(caller) : undefined;
    return this.#models.resolve(slug, load);
  }

  async #loadModels(caller: Caller): Promise<ModelInfo[]> {
    const rows = await this.#execute(caller, modelListCall());
    if (!Array.isArray(rows)) throw new OdooServerError('ir.model.search_read', 'answered no list');
    return rows
      .filter((r): r is { model: string; name?: unknown } => typeof r?.model === 'string')
      .map((r) => ({ model: r.model, description: typeof r.name === 'string' ? r.name : r.model }));
  }

  /** `fields_get` as the caller sees it, cached per user and model. */
  async fieldsGet(caller: Caller, model: string): Promise<Record<string, FieldMeta>> {
    const key = `${caller.uid}\0${model}`;
    const cached = this.#fields.get(key);
    if (cached) return cached;
    const fields = toFieldsMeta(await this.#execute(caller, fieldsGetCall(model)));
    this.#fields.set(key, fields);
    return fields;
  }

  async #readFields(caller: Caller, model: string, fields: readonly string[] | undefined): Promise<readonly string[]> {
    return fields?.length ? fields : defaultReadFields(await this.fieldsGet(caller, model));
  }

  // ---- records

  async searchRead(caller: Caller, model: string, params: SearchParams): Promise<OdooRecord[]> {
    // Odoo reads `limit=0` as "no limit"; the contract as "no rows".
    if (params.limit === 0) return [];
    const fields = await this.#readFields(caller, model, params.fields);
    const call = searchReadCall(model, domainToList(params.domain), { fields, limit: params.limit, offset: params.offset, order: params.order });
    return this.#records(await this.#execute(caller, call), call);
  }

  async searchCount(caller: Caller, model: string, domain: DomainNode): Promise<number> {
    const count = await this.#execute(caller, searchCountCall(model, domainToList(domain)));
    if (typeof count !== 'number') throw new OdooServerError(`${model}.search_count`, 'answered no number');
    return count;
  }

  async read(caller: Caller, model: string, ids: readonly number[], fields?: readonly string[]): Promise<OdooRecord[]> {
    if (!ids.length) return [];
    const call = readCall(model, ids, await this.#readFields(caller, model, fields));
    return this.#records(await this.#execute(caller, call), call);
  }

  #records(answer: unknown, call: ModelCall): OdooRecord[] {
    if (!isRecordList(answer)) throw new OdooServerError(`${call.model}.${call.method}`, 'answered no list of records');
    return answer;
  }

  async #odooValues(caller: Caller, model: string, values: OdooValues): Promise<OdooValues> {
    return valuesToOdoo(values, needsFieldTypes(values) ? await this.fieldsGet(caller, model) : {});
  }

  async create(caller: Caller, model: string, values: OdooValues): Promise<number> {
    const answer = await this.#execute(caller, createCall(model, await this.#odooValues(caller, model, values)));
    // execute_kw and call_kw answer the id; /json/2 answers the list of created ids.
    const id = Array.isArray(answer) ? answer[0] : answer;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new OdooServerError(`${model}.create`, 'answered no id');
    return id;
  }

  async createAndRead(caller: Caller, model: string, values: OdooValues): Promise<OdooRecord> {
    return createThenRead(this, caller, model, values);
  }

  async writeAndRead(caller: Caller, model: string, id: number, values: OdooValues): Promise<OdooRecord> {
    return writeThenRead(this, caller, model, id, values);
  }

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

  /** The connection pool to Odoo now (metrics). */
  get poolStats(): OdooClient['stats'] {
    return this.#client.stats;
  }

  /** Odoo answers `common.version()` (no credentials needed): reachable and serving. */
  async ping(): Promise<void> {
    await this.#client.jsonRpc('/jsonrpc', { service: 'common', method: 'version', args: [] });
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}
