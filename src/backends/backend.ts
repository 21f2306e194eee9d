/**
 * The Backend: the narrow interface the REST routes need, in Odoo's own terms (see README.md, "Development").
 * Its DataSource part is what the process needs of it besides: health, shutdown, and what it reports.
 *
 * Implementations: `embedded` (SQLite, src/backends/embedded/) and `odoo` (JSON-RPC to a real Odoo).
 * BACKEND=proxy has no Backend: its REST face forwards to an upstream (src/backends/proxy/upstream-client.ts),
 * which is a DataSource only.
 * Every data method runs as a `Caller`, so access rights and record rules apply to all of them.
 * Methods throw the errors of `./errors.ts`; anything else is a bug and becomes a 500.
 * Records come back in Odoo's `read()` shape: many2one as `[id, display_name]` or `false`,
 * x2many as arrays of ids; the REST layer turns many2one pairs into `{id, name}`.
 */
import type { DomainNode } from '../domain/types.js';
import type { PoolStats } from '../resilience/upstream-pool.js';
import type { ActionBackend } from './actions.js';
import type { ChangesParams, ChangesResult } from './changes.js';
import type { ReadGroupParams, ReadGroupResult } from './read-group.js';
import { MissingError } from './errors.js';

/** The authenticated user a request runs as. */
export interface Caller {
  readonly uid: number;
  readonly login: string;
  readonly name: string;
  /** How the caller proved who they are. */
  readonly via: 'apikey' | 'session';
  /** Odoo's context of this request (language, time zone, companies); absent: the user's own. */
  readonly context?: CallContext;
}

/**
 * The parts of Odoo's context a caller may set for a request (docs/rest.md, "Context"): from the `context`
 * query parameter, `Accept-Language`, `X-Company-Ids` or the web client's `cids` cookie (src/rest/call-context.ts).
 * Each part left out is the user's own: their language and time zone, all their companies.
 */
export interface CallContext {
  /** Odoo's `lang`: an installed language (`fr_FR`) for labels and translatable values. */
  readonly lang?: string;
  /** Odoo's `tz`: an IANA time zone (`Europe/Brussels`) for what depends on the user's day ("today"). */
  readonly tz?: string;
  /**
   * Odoo's `allowed_company_ids`: the companies to work in, the first one the current company (defaults of
   * new records); record rules see only these. A company the user does not belong to: AccessError (403).
   */
  readonly allowedCompanyIds?: readonly number[];
}

const origins = new WeakMap<Caller, Caller>();

/**
 * `caller` with a request's context. A backend may know its callers by identity (BACKEND=odoo binds each
 * to its credential): `callerOrigin` gives it back the Caller it handed out.
 */
export function callerWithContext(caller: Caller, context: CallContext): Caller {
  const derived: Caller = Object.freeze({ ...caller, context });
  origins.set(derived, callerOrigin(caller));
  return derived;
}

/** The Caller a backend handed out, that `caller` was derived from (callerWithContext), or `caller` itself. */
export function callerOrigin(caller: Caller): Caller {
  return origins.get(caller) ?? caller;
}

/** An installed language, as Odoo's `res.lang` names it. */
export interface Language {
  /** `en_US`, `fr_FR`. */
  readonly code: string;
  /** `English (US)`, `French / Français`. */
  readonly name: string;
}

export type FieldType =
  | 'char'
  | 'text'
  | 'html'
  | 'integer'
  | 'float'
  | 'monetary'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'selection'
  | 'many2one'
  | 'one2many'
  | 'many2many'
  | 'binary'
  // Odoo's structured types (a real Odoo only): read as JSON objects or lists, no contract shape.
  | 'json'
  | 'properties'
  | 'properties_definition';

/** Field metadata in the shape of Odoo's `fields_get`. */
export interface FieldMeta {
  readonly type: FieldType;
  readonly string: string;
  readonly required: boolean;
  readonly readonly: boolean;
  readonly store: boolean;
  readonly relation?: string;
  readonly relation_field?: string;
  readonly selection?: ReadonlyArray<readonly [string, string]>;
  readonly help?: string;
  /** Odoo's `depends`: the fields a computed value follows (the embedded store gives it for `display_name`). */
  readonly depends?: readonly string[];
}

/**
 * A model as the Backend names it (`resolveModel`), in the terms of Odoo's `ir.model`: its name and label.
 * (The embedded store's full description of a model, fields and all, is its RegistryModel.)
 */
export interface ModelMeta {
  /** Odoo model name, e.g. `sale.order`. */
  readonly model: string;
  /** Human label, e.g. `Sales Order`. */
  readonly description: string;
}

/** A record in Odoo's read() shape. */
export type OdooRecord = { id: number } & Record<string, unknown>;

/** Values for create/write, in Odoo's write() shape: many2one as id or false, x2many as command lists. */
export type OdooValues = Record<string, unknown>;

export interface SearchParams {
  readonly domain: DomainNode;
  /** Undefined: every field the caller may read except binary ones. `id` is always returned. */
  readonly fields?: readonly string[];
  readonly limit?: number;
  readonly offset?: number;
  /** Odoo order spec (`date_order desc, id desc`); undefined means the model's own order. */
  readonly order?: string;
}

/** A page of records and the count of every record the search matches. */
export interface SearchPage {
  readonly records: OdooRecord[];
  readonly total: number;
}

/** The page and total of a search: the backend's own searchPage, else searchRead and searchCount side by side. */
export async function searchPage(backend: Backend, caller: Caller, model: string, params: SearchParams): Promise<SearchPage> {
  if (backend.searchPage) return backend.searchPage(caller, model, params);
  const [records, total] = await Promise.all([
    backend.searchRead(caller, model, params),
    backend.searchCount(caller, model, params.domain),
  ]);
  return { records, total };
}

/**
 * The total a page implies without counting: a page shorter than its limit ends the matches, so they
 * number its offset plus its rows, unless it is empty past the first record (the matches may end before
 * the offset). Undefined when only a count can tell.
 */
export function totalFromPage(rows: number, limit: number | undefined, offset = 0): number | undefined {
  if (limit !== undefined && limit >= 0 && rows >= limit) return undefined;
  if (rows === 0 && offset > 0) return undefined;
  return offset + rows;
}

/**
 * The record `id` of `model`, read by `read` (given `[id]`), or MissingError `<model> record <id> does not
 * exist` (the contract's 404) when the read leaves it out, as `Backend.read` does with an id that does not
 * exist. Synchronous when `read` is (the embedded store, inside its transaction), a promise when it is (a
 * Backend's `read`).
 */
export function readOneOrMissing<Read extends OdooRecord[] | Promise<OdooRecord[]>>(
  model: string,
  id: number,
  read: (ids: readonly number[]) => Read,
): OneRecord<Read> {
  const found = (records: readonly OdooRecord[]): OdooRecord => {
    const [record] = records;
    if (!record) throw new MissingError(`${model} record ${id} does not exist`);
    return record;
  };
  const records: OdooRecord[] | Promise<OdooRecord[]> = read([id]);
  return (Array.isArray(records) ? found(records) : records.then(found)) as OneRecord<Read>;
}

/** What readOneOrMissing answers: the record when `read` answers the records, a promise of it when `read` answers one. */
type OneRecord<Read> = Read extends Promise<OdooRecord[]> ? Promise<OdooRecord> : OdooRecord;

/**
 * What `/web/session/get_session_info` answers; Odoo 17's keys, see test/fixtures/odoo-recordings. A Backend
 * gives it, the REST routes answer it as is, and the gateway client reads it back (`asSessionInfo`).
 */
export type SessionInfo = Record<string, unknown> & {
  readonly uid: number;
  readonly name: string;
  readonly username: string;
  readonly db: string;
};

export interface Session {
  /** The secret to hand out as the `session_id` cookie. */
  readonly sessionId: string;
  readonly info: SessionInfo;
}

/** What the start banner says of a data source (src/start-banner.ts). */
export type DataSourceDescription =
  /** A store of this server's own (embedded): its API keys are made by this server's CLI, on `dataDir`. */
  | { readonly kind: 'store'; readonly dataDir: string; readonly demoLogins: readonly string[] }
  /** Another server's data (a real Odoo, an upstream REST gateway), whose users and API keys are its own. */
  | {
      readonly kind: 'remote';
      /** What the banner calls it: `Odoo`, `upstream`. */
      readonly name: string;
      /** After `backend: <BACKEND>` on the banner's first line: `at http://localhost:8069`. */
      readonly location: string;
      /** How a user gets an API key it accepts. */
      readonly apiKeyHint: string;
    };

/**
 * What the process needs of whatever the REST face answers from, a Backend it serves or the upstream it
 * forwards to (BACKEND=proxy): health (/readyz), shutdown, and what it reports at start (start-banner.ts,
 * startup-checks.ts) and in /metrics.
 */
export interface DataSource {
  /** Health of the data source itself (database open, upstream reachable). */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** What the start banner says of it. */
  describe(): DataSourceDescription;
  /** Its connection pools, by the name /metrics gives them (`odoo`, `upstream`); none for a local store. */
  readonly pools?: Readonly<Record<string, { readonly stats: PoolStats }>>;
  /**
   * The logins whose password is still the demo one (password = login). Only a store that holds its
   * users' passwords can say (embedded); a server with any refuses to listen beyond loopback unless told to.
   */
  loginsWithDemoPasswords?(): readonly string[];
}

export interface Backend extends DataSource, ActionBackend {
  /**
   * Resolves a slug (`sale_order`) or dotted model name (`sale.order`) to a model, or undefined.
   * `caller`, when given, is whose credentials may be used to load the model list (BACKEND=odoo).
   */
  resolveModel(slug: string, caller?: Caller): Promise<ModelMeta | undefined>;

  /** The user owning this API key (`Authorization: Bearer`), or null when the key is unknown or revoked. */
  authenticateApiKey(key: string): Promise<Caller | null>;
  /**
   * Extension, for backends whose keys belong to a login (BACKEND=odoo): the user of this login and API
   * key (`Authorization: Basic base64(login:key)`), or null when they do not match. Without it, Basic is refused.
   */
  authenticateBasic?(login: string, key: string): Promise<Caller | null>;
  /** The user of this session, or null when it expired or was destroyed. */
  authenticateSession(sessionId: string): Promise<Caller | null>;
  /** Checks login and password on `db`; throws AccessDenied when they are wrong. */
  createSession(db: string, login: string, password: string): Promise<Session>;
  sessionInfo(sessionId: string): Promise<SessionInfo | null>;
  destroySession(sessionId: string): Promise<void>;
  /** Session info of an already authenticated caller (extension: API-key callers can ask who they are). */
  userInfo(caller: Caller): Promise<SessionInfo>;
  /** The installed (active) languages, as `caller` may read them: what a CallContext's `lang` may name. */
  languages(caller: Caller): Promise<readonly Language[]>;

  searchRead(caller: Caller, model: string, params: SearchParams): Promise<OdooRecord[]>;
  searchCount(caller: Caller, model: string, domain: DomainNode): Promise<number>;
  /**
   * Optional: a page of searchRead and the count of every matching record (the REST list's `results`
   * and `total`) in one call, for a backend that can answer both from one snapshot more cheaply than
   * two calls (the embedded store compiles the search once and counts only when the page cannot tell
   * the total). Without it the list calls searchRead and searchCount together (`searchPage` below).
   */
  searchPage?(caller: Caller, model: string, params: SearchParams): Promise<SearchPage>;
  /** Reads records by id. Missing ids are left out (as Odoo does); hidden ones raise AccessError. */
  read(caller: Caller, model: string, ids: readonly number[], fields?: readonly string[]): Promise<OdooRecord[]>;
  /** Creates one record in one transaction and returns its id. */
  create(caller: Caller, model: string, values: OdooValues): Promise<number>;
  /**
   * Creates one record and reads it back as the caller. The embedded store does both in one transaction,
   * so a read-back that fails undoes the create (Odoo runs a whole request in one transaction too); a
   * remote Odoo answers two calls (OdooBackend).
   */
  createAndRead(caller: Caller, model: string, values: OdooValues): Promise<OdooRecord>;
  /** Writes one record and reads it back as the caller, atomically where the backend can. */
  writeAndRead(caller: Caller, model: string, id: number, values: OdooValues): Promise<OdooRecord>;
  /** Writes the same values on every id, all or nothing; MissingError when an id does not exist. */
  write(caller: Caller, model: string, ids: readonly number[], values: OdooValues): Promise<void>;
  /** Deletes records, all or nothing; MissingError when an id does not exist. */
  unlink(caller: Caller, model: string, ids: readonly number[]): Promise<void>;
  /**
   * Grouped totals (Odoo's `read_group`, src/backends/read-group.ts) of the records the caller may read,
   * under their record rules. Throws InvalidQueryError naming a field that cannot be grouped or aggregated
   * (the contract's 400), AccessError for a field the caller may not read.
   */
  readGroup(caller: Caller, model: string, params: ReadGroupParams): Promise<ReadGroupResult>;
  /**
   * The change feed of a model (src/backends/changes.ts, docs/rest.md "Change feed"): the records that
   * changed since the cursor `params.since`, as the caller may read them, coalesced per record; without
   * `since`, just the current cursor. Throws InvalidCursorError (400) for a string that is no cursor,
   * CursorGoneError (410) for a cursor older than the log, of another database or (BACKEND=odoo) not held by
   * this process, and as searchRead for the domain and fields.
   */
  changes(caller: Caller, model: string, params: ChangesParams): Promise<ChangesResult>;
  /** Field metadata as the caller may see it. */
  fieldsGet(caller: Caller, model: string): Promise<Record<string, FieldMeta>>;
  /**
   * Extension, for backends that hold their own models (embedded): every field some caller may be allowed
   * to read, asked without a caller, to build the typed GraphQL schema at start; undefined for an unknown
   * model. Without it the schema is read from the REST gateway (src/graphql/typed/typed-sdl-source.ts).
   */
  schemaFields?(model: string): Promise<Record<string, FieldMeta> | undefined>;

  /**
   * Extension, for backends that know when their data changes (embedded): a token that is the same for
   * two calls only if no data (records, users, groups, keys, sessions) changed in between, in this
   * process or another one. The REST routes build entity tags from it (src/rest/conditional-get.ts), so
   * a repeated read can be answered `304 Not Modified` without reading anything. Undefined: unknown
   * (BACKEND=odoo), and no entity tags are given.
   */
  revision?(): string;

  /**
   * Whether checking a credential is a local lookup (the embedded store: a SHA-256 and one indexed read)
   * rather than a call to another server. Rate limits then count a request against its user at once;
   * otherwise only once a route has verified its credential (src/rest/rate-limit-key.ts).
   */
  readonly authenticatesLocally?: boolean;
}
