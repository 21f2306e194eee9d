/**
 * The `odoo` Backend: a real Odoo server (14 to 19) through its external API, with no Odoo module to
 * install (DESIGN.md). Every data call runs as the caller, in Odoo, so Odoo's own access rights and
 * record rules apply; this class only translates (model-call.ts, odoo-transport.ts) and caches.
 *
 * Who is calling (CONTRACT.md, "Auth"):
 * - `Authorization: Basic base64(login:key)`: `common.authenticate` once, then `execute_kw` with the key;
 * - `Authorization: Bearer <key>`: Odoo 19+ only (/json/2); older servers get a 401 saying what to send;
 * - the `session_id` of Odoo's own `/web/session/authenticate`, forwarded: `get_session_info` tells the
 *   user, `/web/dataset/call_kw` runs the calls.
 * Each Caller handed out is bound to its credential in a WeakMap for the life of the request; caches hold
 * only what was verified (uid, login, name), keyed by a SHA-256 of the secret (secret-key.ts).
 *
 * Cached: verified credentials (60 s, 1000 entries), the model list (10 min, refreshed early on an
 * unknown slug), `fields_get` per user and model (5 min, 1000 entries), the server version (10 min).
 */
import type { Dispatcher } from 'undici';
import type {
  Backend, Caller, FieldMeta, ModelInfo, OdooRecord, OdooValues, SearchParams, Session, SessionInfo,
} from '../backend.js';
import { AccessDenied, BackendError, MissingError, UnknownModelError } from '../errors.js';
import type { DomainNode } from '../../domain/types.js';
import { domainToOdooList } from './domain-to-odoo-list.js';
import { defaultReadFields, toFieldsMeta } from './field-metadata.js';
import {
  contextGetCall, createCall, fieldsGetCall, modelListCall, readCall, searchCountCall, searchReadCall, unlinkCall, writeCall,
  type ModelCall,
} from './model-call.js';
import { ModelRegistry } from './model-registry.js';
import { OdooClient, sessionIdFromCookies } from './odoo-client.js';
import { OdooServerError } from './odoo-faults.js';
import { executeCall, type OdooCredential } from './odoo-transport.js';
import { secretKey } from './secret-key.js';
import { JSON2_MAJOR, parseServerVersion, type ServerVersion } from './server-version.js';
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
  /** Tests: undici's MockAgent instead of an own Pool. */
  readonly dispatcher?: Dispatcher;
  readonly cache?: Partial<OdooCacheOptions>;
  readonly now?: () => number;
}

/** What a verified credential tells about its user; the only thing the credential cache keeps. */
interface VerifiedUser {
  readonly uid: number;
  readonly login: string;
  readonly name: string;
  /** The session's user context (lang, tz), sent along with a session's calls as the web client does. */
  readonly context?: Readonly<Record<string, unknown>>;
}

interface Binding {
  readonly credential: OdooCredential;
  readonly cacheKey: string;
}

const SESSION_EXPIRED = 'odoo.http.SessionExpiredException';
const USER_INFO_FIELDS = ['name', 'login', 'partner_id', 'company_id', 'lang', 'tz'] as const;

function isRecordList(value: unknown): value is OdooRecord[] {
  return Array.isArray(value) && value.every((r) => typeof r === 'object' && r !== null && Number.isSafeInteger((r as { id?: unknown }).id));
}

function isSessionInfo(value: unknown): value is SessionInfo {
  const v = value as Partial<SessionInfo> | null;
  return typeof v === 'object' && v !== null && Number.isSafeInteger(v.uid) && typeof v.name === 'string' && typeof v.username === 'string';
}

function userFromSessionInfo(info: SessionInfo): VerifiedUser {
  const { uid: _uid, ...context } = (typeof info.user_context === 'object' && info.user_context !== null ? info.user_context : {}) as Record<string, unknown>;
  return { uid: info.uid, login: info.username, name: info.name, context };
}

function many2oneId(value: unknown): number | false {
  return Array.isArray(value) && typeof value[0] === 'number' ? value[0] : false;
}

export class OdooBackend implements Backend {
  readonly #client: OdooClient;
  readonly #db: string;
  readonly #cache: OdooCacheOptions;
  readonly #now: () => number;
  readonly #models: ModelRegistry;
  readonly #verified: TtlCache<VerifiedUser>;
  readonly #fields: TtlCache<Record<string, FieldMeta>>;
  readonly #bindings = new WeakMap<Caller, Binding>();
  #version: { value: ServerVersion; at: number } | undefined;
  #versionLoading: Promise<ServerVersion> | undefined;

  constructor(options: OdooBackendOptions) {
    this.#db = options.db;
    this.#cache = { ...ODOO_CACHE_DEFAULTS, ...options.cache };
    this.#now = options.now ?? Date.now;
    this.#client = new OdooClient({
      url: options.url,
      ...(options.timeout !== undefined && { timeout: options.timeout }),
      ...(options.connectTimeout !== undefined && { connectTimeout: options.connectTimeout }),
      ...(options.connections !== undefined && { connections: options.connections }),
      ...(options.dispatcher && { dispatcher: options.dispatcher }),
    });
    const now = this.#now;
    this.#models = new ModelRegistry({ ttlMs: this.#cache.modelsTtlMs, missRefreshMs: this.#cache.modelsMissRefreshMs, now });
    this.#verified = new TtlCache({ ttlMs: this.#cache.credentialsTtlMs, maxEntries: this.#cache.credentialsMax, now });
    this.#fields = new TtlCache({ ttlMs: this.#cache.fieldsTtlMs, maxEntries: this.#cache.fieldsMax, now });
  }

  // ---- callers and their credentials

  #bind(user: VerifiedUser, via: Caller['via'], credential: OdooCredential, cacheKey: string): Caller {
    const caller: Caller = Object.freeze({ uid: user.uid, login: user.login, name: user.name, via });
    this.#bindings.set(caller, { credential, cacheKey });
    return caller;
  }

  #binding(caller: Caller): Binding {
    const binding = this.#bindings.get(caller);
    if (!binding) throw new AccessDenied('this caller was not authenticated by the Odoo backend');
    return binding;
  }

  /** Runs a call as the caller; a refused credential leaves the cache, a vanished model empties the model list. */
  async #execute(caller: Caller, call: ModelCall): Promise<unknown> {
    const binding = this.#binding(caller);
    try {
      return await executeCall(this.#client, this.#db, binding.credential, call);
    } catch (error) {
      if (error instanceof AccessDenied || (error instanceof BackendError && error.odooName === SESSION_EXPIRED)) {
        this.#verified.delete(binding.cacheKey);
      }
      if (error instanceof UnknownModelError) this.#models.forget();
      throw error;
    }
  }

  async authenticateBasic(login: string, key: string): Promise<Caller | null> {
    const cacheKey = secretKey('basic', this.#db, login, key);
    let user = this.#verified.get(cacheKey);
    if (!user) {
      let uid: unknown;
      try {
        ({ result: uid } = await this.#client.jsonRpc('/jsonrpc', { service: 'common', method: 'authenticate', args: [this.#db, login, key, {}] }));
      } catch (error) {
        if (error instanceof AccessDenied) return null;
        throw error;
      }
      // A wrong login or key answers `false` (jsonrpc_common_authenticate_wrong_password.json).
      if (typeof uid !== 'number' || !Number.isSafeInteger(uid) || uid <= 0) return null;
      user = { uid, login, name: login };
      this.#verified.set(cacheKey, user);
    }
    return this.#bind(user, 'apikey', { kind: 'rpc-key', uid: user.uid, key }, cacheKey);
  }

  /** `Authorization: Bearer <key>`: Odoo 19+ (/json/2); on older servers a 401 that says what to send instead. */
  async authenticateApiKey(key: string): Promise<Caller | null> {
    const version = await this.#serverVersion();
    if (version.major < JSON2_MAJOR) {
      throw new AccessDenied(
        `'Authorization: Bearer <API key>' needs Odoo ${JSON2_MAJOR} or later, and this Odoo server is ${version.text || 'older'}: ` +
          "send the key as 'Authorization: Basic <base64 of login:API key>' (any Odoo version), " +
          'or authenticate at /web/session/authenticate and send its session_id cookie',
      );
    }
    const cacheKey = secretKey('bearer', this.#db, key);
    let user = this.#verified.get(cacheKey);
    if (!user) {
      const credential: OdooCredential = { kind: 'bearer', key };
      try {
        const context = (await executeCall(this.#client, this.#db, credential, contextGetCall())) as { uid?: unknown } | null;
        const uid = context?.uid;
        if (typeof uid !== 'number' || !Number.isSafeInteger(uid)) return null;
        const [row] = (await executeCall(this.#client, this.#db, credential, readCall('res.users', [uid], ['login', 'name']))) as OdooRecord[];
        user = { uid, login: String(row?.login ?? uid), name: String(row?.name ?? row?.login ?? uid) };
      } catch (error) {
        if (error instanceof AccessDenied) return null;
        throw error;
      }
      this.#verified.set(cacheKey, user);
    }
    return this.#bind(user, 'apikey', { kind: 'bearer', key }, cacheKey);
  }

  async authenticateSession(sessionId: string): Promise<Caller | null> {
    if (sessionId === '' || sessionId.length > 200) return null;
    const cacheKey = secretKey('session', this.#db, sessionId);
    let user = this.#verified.get(cacheKey);
    if (!user) {
      const info = await this.sessionInfo(sessionId);
      if (!info) return null;
      user = userFromSessionInfo(info);
      this.#verified.set(cacheKey, user);
    }
    return this.#bind(user, 'session', { kind: 'session', sessionId, context: user.context ?? {} }, cacheKey);
  }

  // ---- Odoo's own sessions, forwarded

  /** Forwards `/web/session/authenticate`; the session and its info are Odoo's. Another database: AccessDenied. */
  async createSession(db: string, login: string, password: string): Promise<Session> {
    if (db !== this.#db) throw new AccessDenied();
    const { result, setCookies } = await this.#client.jsonRpc('/web/session/authenticate', { db, login, password });
    const sessionId = sessionIdFromCookies(setCookies);
    if (!isSessionInfo(result) || !sessionId) {
      throw new OdooServerError('/web/session/authenticate', 'answered without session info or session_id cookie');
    }
    this.#verified.set(secretKey('session', this.#db, sessionId), userFromSessionInfo(result));
    return { sessionId, info: result };
  }

  /** Forwards `/web/session/get_session_info`; an expired or unknown session is null. */
  async sessionInfo(sessionId: string): Promise<SessionInfo | null> {
    try {
      const { result } = await this.#client.jsonRpc('/web/session/get_session_info', {}, { sessionId });
      return isSessionInfo(result) ? result : null;
    } catch (error) {
      if (error instanceof BackendError && error.odooName === SESSION_EXPIRED) {
        this.#verified.delete(secretKey('session', this.#db, sessionId));
        return null;
      }
      throw error;
    }
  }

  /** Forwards `/web/session/destroy`; a session already gone is not an error. */
  async destroySession(sessionId: string): Promise<void> {
    this.#verified.delete(secretKey('session', this.#db, sessionId));
    try {
      await this.#client.jsonRpc('/web/session/destroy', {}, { sessionId });
    } catch (error) {
      if (!(error instanceof BackendError && error.odooName === SESSION_EXPIRED)) throw error;
    }
  }

  /** A session caller's Odoo session info; for an API-key caller, the same keys read from `res.users`. */
  async userInfo(caller: Caller): Promise<SessionInfo> {
    const { credential } = this.#binding(caller);
    if (credential.kind === 'session') {
      const info = await this.sessionInfo(credential.sessionId);
      if (!info) throw new BackendError(SESSION_EXPIRED, 'Session expired');
      return info;
    }
    const [records, version] = await Promise.all([this.#execute(caller, readCall('res.users', [caller.uid], USER_INFO_FIELDS)), this.#serverVersion()]);
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

  // ---- models and records

  async resolveModel(slug: string, caller?: Caller): Promise<ModelInfo | undefined> {
    const load = caller && this.#bindings.has(caller) ? () => this.#loadModels(caller) : undefined;
    return this.#models.resolve(slug, load);
  }

  async #loadModels(caller: Caller): Promise<ModelInfo[]> {
    const rows = await this.#execute(caller, modelListCall());
    if (!Array.isArray(rows)) throw new OdooServerError('ir.model.search_read', 'answered no list');
    return rows
      .filter((r): r is { model: string; name?: unknown } => typeof r?.model === 'string')
      .map((r) => ({ model: r.model, description: typeof r.name === 'string' ? r.name : r.model }));
  }

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

  async searchRead(caller: Caller, model: string, params: SearchParams): Promise<OdooRecord[]> {
    // Odoo reads `limit=0` as "no limit"; the contract as "no rows".
    if (params.limit === 0) return [];
    const fields = await this.#readFields(caller, model, params.fields);
    const call = searchReadCall(model, domainToOdooList(params.domain), { fields, limit: params.limit, offset: params.offset, order: params.order });
    return this.#records(await this.#execute(caller, call), call);
  }

  async searchCount(caller: Caller, model: string, domain: DomainNode): Promise<number> {
    const count = await this.#execute(caller, searchCountCall(model, domainToOdooList(domain)));
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

  async #serverVersion(): Promise<ServerVersion> {
    if (this.#version && this.#now() - this.#version.at < this.#cache.versionTtlMs) return this.#version.value;
    this.#versionLoading ??= this.#client
      .jsonRpc('/jsonrpc', { service: 'common', method: 'version', args: [] })
      .then(({ result }) => {
        const value = parseServerVersion(result);
        this.#version = { value, at: this.#now() };
        return value;
      })
      .finally(() => {
        this.#versionLoading = undefined;
      });
    return this.#versionLoading;
  }

  /** Odoo answers `common.version()` (no credentials needed): reachable and serving. */
  async ping(): Promise<void> {
    await this.#client.jsonRpc('/jsonrpc', { service: 'common', method: 'version', args: [] });
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}
