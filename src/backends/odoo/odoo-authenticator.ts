/**
 * Who is calling, for the Odoo backend (docs/rest-contract.md, "Auth"), checked by Odoo itself:
 * - `Authorization: Basic base64(login:key)`: `common.authenticate(db, login, key, {})` (any version);
 * - `Authorization: Bearer <key>`: Odoo 19+ only, `res.users/context_get` over /json/2; an older Odoo
 *   gets a 401 that says what to send instead;
 * - the `session_id` of Odoo's own `/web/session/authenticate`, forwarded: `get_session_info` tells the
 *   user; `destroy` is forwarded too.
 * Each Caller handed out is bound to its credential in a WeakMap, for the life of the request that
 * presented it. The cache keeps only what was verified (uid, login, name, a session's user context),
 * keyed by a SHA-256 of the secret (secret-key.ts), for a short time and a bounded number of entries.
 */
import { callerOrigin, type Caller, type OdooRecord, type Session, type SessionInfo } from '../backend.js';
import { AccessDenied, BackendError, DatabaseNotFound } from '../errors.js';
import { contextGetCall, readCall } from './model-call.js';
import { sessionIdFromCookies, type OdooClient } from './odoo-client.js';
import { OdooServerError } from './odoo-faults.js';
import { executeCall, type OdooCredential } from './odoo-transport.js';
import { secretKey } from './secret-key.js';
import { JSON2_MAJOR, parseServerVersion, type ServerVersion } from './server-version.js';
import { TtlCache } from './ttl-cache.js';

export interface OdooAuthenticatorOptions {
  readonly client: OdooClient;
  readonly db: string;
  /** How long a verified API key, password or session is trusted without asking Odoo again. */
  readonly credentialsTtlMs: number;
  readonly credentialsMax: number;
  /** How long the server version is used. */
  readonly versionTtlMs: number;
  readonly now: () => number;
}

/** What a verified credential tells about its user; the only thing the credential cache keeps. */
interface VerifiedUser {
  readonly uid: number;
  readonly login: string;
  readonly name: string;
  /** A session's user context (lang, tz), sent along with its calls as Odoo's web client does. */
  readonly context?: Readonly<Record<string, unknown>>;
}

interface Binding {
  readonly credential: OdooCredential;
  readonly cacheKey: string;
}

export const SESSION_EXPIRED = 'odoo.http.SessionExpiredException';

function isSessionInfo(value: unknown): value is SessionInfo {
  const v = value as Partial<SessionInfo> | null;
  return typeof v === 'object' && v !== null && Number.isSafeInteger(v.uid) && typeof v.name === 'string' && typeof v.username === 'string';
}

function userFromSessionInfo(info: SessionInfo): VerifiedUser {
  const { uid: _uid, ...context } = (
    typeof info.user_context === 'object' && info.user_context !== null ? info.user_context : {}
  ) as Record<string, unknown>;
  return { uid: info.uid, login: info.username, name: info.name, context };
}

export class OdooAuthenticator {
  readonly #client: OdooClient;
  readonly #db: string;
  readonly #verified: TtlCache<VerifiedUser>;
  readonly #bindings = new WeakMap<Caller, Binding>();
  readonly #versionTtlMs: number;
  readonly #now: () => number;
  #version: { value: ServerVersion; at: number } | undefined;
  #versionLoading: Promise<ServerVersion> | undefined;

  constructor(options: OdooAuthenticatorOptions) {
    this.#client = options.client;
    this.#db = options.db;
    this.#now = options.now;
    this.#versionTtlMs = options.versionTtlMs;
    this.#verified = new TtlCache({ ttlMs: options.credentialsTtlMs, maxEntries: options.credentialsMax, now: options.now });
  }

  /** The credential a caller handed out here presented; AccessDenied for any other Caller. */
  credentialOf(caller: Caller): OdooCredential {
    const binding = this.#bindings.get(callerOrigin(caller));
    if (!binding) throw new AccessDenied('this caller was not authenticated by the Odoo backend');
    return binding.credential;
  }

  /** True for a Caller handed out here. */
  knows(caller: Caller): boolean {
    return this.#bindings.has(callerOrigin(caller));
  }

  /** Odoo refused the caller's credential (revoked key, ended session): it is checked again next time. */
  refused(caller: Caller): void {
    const binding = this.#bindings.get(callerOrigin(caller));
    if (binding) this.#verified.delete(binding.cacheKey);
  }

  #bind(user: VerifiedUser, via: Caller['via'], credential: OdooCredential, cacheKey: string): Caller {
    const caller: Caller = Object.freeze({ uid: user.uid, login: user.login, name: user.name, via });
    this.#bindings.set(caller, { credential, cacheKey });
    return caller;
  }

  /** `Authorization: Basic`: the user of this login and key, or null when Odoo refuses them. */
  async basic(login: string, key: string): Promise<Caller | null> {
    const cacheKey = secretKey('basic', this.#db, login, key);
    let user = this.#verified.get(cacheKey);
    if (!user) {
      let uid: unknown;
      try {
        ({ result: uid } = await this.#client.jsonRpc('/jsonrpc', {
          service: 'common',
          method: 'authenticate',
          args: [this.#db, login, key, {}],
        }));
      } catch (error) {
        if (error instanceof AccessDenied) return null;
        throw error;
      }
      // A wrong login or key answers `false` (jsonrpc_common_authenticate_wrong_password.json).
      if (typeof uid !== 'number' || !Number.isSafeInteger(uid) || uid <= 0) return null;
      // `authenticate` answers only the uid: the name stays the login (userInfo reads the real one).
      user = { uid, login, name: login };
      this.#verified.set(cacheKey, user);
    }
    return this.#bind(user, 'apikey', { kind: 'rpc-key', uid: user.uid, key }, cacheKey);
  }

  /** `Authorization: Bearer`: Odoo 19+ (/json/2); on older servers AccessDenied saying what to send instead. */
  async bearer(key: string): Promise<Caller | null> {
    const version = await this.serverVersion();
    if (version.major < JSON2_MAJOR) {
      throw new AccessDenied(
        `'Authorization: Bearer <API key>' needs Odoo ${JSON2_MAJOR} or later, and this Odoo server is ${version.text || 'older'}: ` +
          "send the key as 'Authorization: Basic <base64 of login:API key>' (any Odoo version), " +
          'or authenticate at /web/session/authenticate and send its session_id cookie',
      );
    }
    const cacheKey = secretKey('bearer', this.#db, key);
    const credential: OdooCredential = { kind: 'bearer', key };
    let user = this.#verified.get(cacheKey);
    if (!user) {
      try {
        const context = (await executeCall(this.#client, this.#db, credential, contextGetCall())) as { uid?: unknown } | null;
        const uid = context?.uid;
        if (typeof uid !== 'number' || !Number.isSafeInteger(uid)) return null;
        const [row] = (await executeCall(
          this.#client,
          this.#db,
          credential,
          readCall('res.users', [uid], ['login', 'name']),
        )) as OdooRecord[];
        const login = typeof row?.login === 'string' ? row.login : String(uid);
        user = { uid, login, name: typeof row?.name === 'string' ? row.name : login };
      } catch (error) {
        if (error instanceof AccessDenied) return null;
        throw error;
      }
      this.#verified.set(cacheKey, user);
    }
    return this.#bind(user, 'apikey', credential, cacheKey);
  }

  /** The `session_id` cookie: the user of that Odoo session, or null when it expired or never was. */
  async session(sessionId: string): Promise<Caller | null> {
    if (sessionId === '' || sessionId.length > 200) return null;
    const cacheKey = secretKey('session', this.#db, sessionId);
    let user = this.#verified.get(cacheKey);
    if (!user) {
      const info = await this.#odooSessionInfo(sessionId);
      if (!info) return null;
      user = userFromSessionInfo(info);
      this.#verified.set(cacheKey, user);
    }
    return this.#bind(user, 'session', { kind: 'session', sessionId, context: user.context ?? {} }, cacheKey);
  }

  /** Forwards `/web/session/authenticate`; the session and its info are Odoo's. Another database: Odoo's "Database not found.". */
  async createSession(db: string, login: string, password: string): Promise<Session> {
    if (db !== this.#db) throw new DatabaseNotFound();
    const { result, setCookies } = await this.#client.jsonRpc('/web/session/authenticate', { db, login, password });
    const sessionId = sessionIdFromCookies(setCookies);
    if (!isSessionInfo(result) || !sessionId) {
      throw new OdooServerError('/web/session/authenticate', 'answered without session info or session_id cookie');
    }
    this.#verified.set(secretKey('session', this.#db, sessionId), userFromSessionInfo(result));
    return { sessionId, info: await this.#withCompanyId(result, sessionId) };
  }

  /** Forwards `/web/session/get_session_info` (with `company_id`, see #withCompanyId); an expired or unknown session is null. */
  async sessionInfo(sessionId: string): Promise<SessionInfo | null> {
    const info = await this.#odooSessionInfo(sessionId);
    return info && this.#withCompanyId(info, sessionId);
  }

  /**
   * The contract's session info carries `company_id` (docs/rest-contract.md, "Session routes"); Odoo 17's has the
   * user's company only as `user_companies.current_company`, and only for internal users. A portal
   * user's is read from their own `res.users` record, as the session.
   */
  async #withCompanyId(info: SessionInfo, sessionId: string): Promise<SessionInfo> {
    if ('company_id' in info) return info;
    const current = (info.user_companies as { current_company?: unknown } | undefined)?.current_company;
    if (typeof current === 'number') return { ...info, company_id: current };
    const credential: OdooCredential = { kind: 'session', sessionId, context: {} };
    const rows = await executeCall(this.#client, this.#db, credential, readCall('res.users', [info.uid], ['company_id']));
    const company = Array.isArray(rows) ? (rows[0] as OdooRecord | undefined)?.company_id : undefined;
    return { ...info, company_id: Array.isArray(company) && typeof company[0] === 'number' ? company[0] : false };
  }

  /** Odoo's own answer to `/web/session/get_session_info`; an expired or unknown session is null. */
  async #odooSessionInfo(sessionId: string): Promise<SessionInfo | null> {
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

  /** `common.version()`, cached for versionTtlMs; concurrent askers share one request. */
  async serverVersion(): Promise<ServerVersion> {
    if (this.#version && this.#now() - this.#version.at < this.#versionTtlMs) return this.#version.value;
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
}
