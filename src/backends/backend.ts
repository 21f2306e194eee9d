/**
 * The Backend: the narrow interface the REST routes need, in Odoo's own terms (see README.md, "Development").
 *
 * Implementations: `embedded` (SQLite, src/backends/embedded/) and `odoo` (JSON-RPC to a real Odoo).
 * Every data method runs as a `Caller`, so access rights and record rules apply to all of them.
 * Methods throw the errors of `./errors.ts`; anything else is a bug and becomes a 500.
 * Records come back in Odoo's `read()` shape: many2one as `[id, display_name]` or `false`,
 * x2many as arrays of ids; the REST layer turns many2one pairs into `{id, name}`.
 */
import type { DomainNode } from '../domain/types.js';
import { MissingError } from './errors.js';

/** The authenticated user a request runs as. */
export interface Caller {
  readonly uid: number;
  readonly login: string;
  readonly name: string;
  /** How the caller proved who they are. */
  readonly via: 'apikey' | 'session';
}

export type FieldType =
  | 'char' | 'text' | 'html' | 'integer' | 'float' | 'monetary' | 'boolean' | 'date' | 'datetime'
  | 'selection' | 'many2one' | 'one2many' | 'many2many' | 'binary'
  // Odoo's structured types (a real Odoo only): read as JSON objects or lists, no contract shape.
  | 'json' | 'properties' | 'properties_definition';

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

export interface ModelInfo {
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

/** create then read, for backends that cannot do both in one transaction (a remote Odoo). */
export async function createThenRead(backend: Backend, caller: Caller, model: string, values: OdooValues): Promise<OdooRecord> {
  const id = await backend.create(caller, model, values);
  return readOne(backend, caller, model, id);
}

/** write then read, for backends that cannot do both in one transaction. */
export async function writeThenRead(backend: Backend, caller: Caller, model: string, id: number, values: OdooValues): Promise<OdooRecord> {
  await backend.write(caller, model, [id], values);
  return readOne(backend, caller, model, id);
}

async function readOne(backend: Backend, caller: Caller, model: string, id: number): Promise<OdooRecord> {
  const [record] = await backend.read(caller, model, [id]);
  if (!record) throw new MissingError(`${model} record ${id} does not exist`);
  return record;
}

/** What `/web/session/get_session_info` answers; Odoo 17's keys, see test/fixtures/odoo-recordings. */
export type SessionInfo = Record<string, unknown> & {
  uid: number;
  name: string;
  username: string;
  db: string;
};

export interface Session {
  /** The secret to hand out as the `session_id` cookie. */
  readonly sessionId: string;
  readonly info: SessionInfo;
}

export interface Backend {
  /**
   * Resolves a slug (`sale_order`) or dotted model name (`sale.order`) to a model, or undefined.
   * `caller`, when given, is whose credentials may be used to load the model list (BACKEND=odoo).
   */
  resolveModel(slug: string, caller?: Caller): Promise<ModelInfo | undefined>;

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

  searchRead(caller: Caller, model: string, params: SearchParams): Promise<OdooRecord[]>;
  searchCount(caller: Caller, model: string, domain: DomainNode): Promise<number>;
  /** Reads records by id. Missing ids are left out (as Odoo does); hidden ones raise AccessError. */
  read(caller: Caller, model: string, ids: readonly number[], fields?: readonly string[]): Promise<OdooRecord[]>;
  /** Creates one record in one transaction and returns its id. */
  create(caller: Caller, model: string, values: OdooValues): Promise<number>;
  /**
   * Creates one record and reads it back as the caller. The embedded store does both in one transaction,
   * so a read-back that fails undoes the create (Odoo runs a whole request in one transaction too); a
   * remote Odoo answers two calls, see `createThenRead`.
   */
  createAndRead(caller: Caller, model: string, values: OdooValues): Promise<OdooRecord>;
  /** Writes one record and reads it back as the caller, atomically where the backend can. */
  writeAndRead(caller: Caller, model: string, id: number, values: OdooValues): Promise<OdooRecord>;
  /** Writes the same values on every id, all or nothing; MissingError when an id does not exist. */
  write(caller: Caller, model: string, ids: readonly number[], values: OdooValues): Promise<void>;
  /** Deletes records, all or nothing; MissingError when an id does not exist. */
  unlink(caller: Caller, model: string, ids: readonly number[]): Promise<void>;
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

  /** Health of the backend itself (database open, upstream reachable). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
