/**
 * The embedded Odoo-like store: search, read, create, write and unlink over SQLite, as a given user
 * (or as the superuser, for demo data), with access rights, record rules, defaults, sequences, stored
 * computes (following changes through many2one fields), constraints, the models' create and write hooks
 * and Odoo 17's deletion rules. Synchronous (better-sqlite3); every public write runs in one transaction,
 * so a request either fully succeeds or changes nothing.
 */
import type { Statement } from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { normalizeDomain } from '../../domain/normalize-domain.js';
import { TRUE_DOMAIN, type DomainNode } from '../../domain/types.js';
import type { OdooRecord } from '../backend.js';
import { AccessError, InvalidQueryError, MissingError, UserError, ValidationError } from '../errors.js';
import type { SqliteDatabase } from './database.js';
import type { EnvContext, HookContext, HookOptions, Operation, StoredValue, UserContext, WrittenValues } from './model-definition.js';
import { SEQUENCES } from './models/sequences.js';
import type { FieldInfo, ModelInfo, Registry } from './registry.js';
import { canAccessField, checkModelAccess, ruleDomain, ruleViolation } from './security/access.js';
import { DomainCompiler, isProvedFalse, mentionsActive, superuserContext, type CompileContext } from './sql/compile-domain.js';
import { compileOrder } from './sql/compile-order.js';
import { SQL_FALSE, andSql, ident, idsIn, placeholders, sql, type SqlFragment } from './sql/sql-fragment.js';
import { StatementCache, type StatementCacheStats } from './sql/statement-cache.js';
import { convertScalar, isPlainObject, nowUtc, prepareValues, type X2ManyCommand } from './values.js';

/** Who an operation runs as: a user (rules apply) or the superuser (no checks; demo data, internals). */
export type Actor = UserContext | 'superuser';

export interface SearchOptions {
  readonly limit?: number;
  readonly offset?: number;
  readonly order?: string;
}

type Row = Record<string, StoredValue>;

/** Computes of other models that depend on a field of this one through a many2one (`parent_id.name`). */
interface Dependent {
  readonly model: ModelInfo;
  /** The many2one of `model` pointing here, and the dependency (`parent_id.name`) as its compute names it. */
  readonly many2one: FieldInfo;
  readonly path: string;
  /** The field of this model that the dependency reads (`name`). */
  readonly field: string;
}

/**
 * How many levels a change may travel through computes that depend on it (a contact moved to another
 * company changes its commercial partner, then its own contacts' do, then theirs). Each level follows only
 * values that moved, so a hierarchy settles within its depth; a deeper chain stops here.
 */
const MAX_RECOMPUTE_DEPTH = 32;

const NO_FIELDS: ReadonlySet<string> = new Set();

/**
 * Estimated bytes of prepared statements each of the store's two caches keeps (see statement-cache.ts;
 * the estimate is on the generous side): room for about 480 typical statements (1 KB of SQL each), or 12
 * of the largest domains the cost bounds allow (43 KB of SQL). Evicted statements awaiting V8 add at most
 * half as much again.
 */
export const DEFAULT_STATEMENT_CACHE_BYTES = 16 * 1024 * 1024;

export interface StoreOptions {
  /** Budget of each statement cache, in estimated bytes. */
  readonly statementCacheBytes?: number;
}

export class Store {
  /** Statements whose rows come as objects, and (`#rawStatements`) as arrays, for the hot read path. */
  readonly #statements: StatementCache;
  readonly #rawStatements: StatementCache;
  #groupNames: Map<string, string> | undefined;
  readonly #bootId = randomBytes(6).toString('base64url');
  readonly #changes: Statement;
  readonly #dataVersion: Statement;
  #foreignVersion: number | undefined;
  #dependents: Map<string, Dependent[]> | undefined;
  /** While a hook writes as the superuser for a caller: that caller, whom Odoo's sudo() still records as the writer. */
  #sudoFor: UserContext | undefined;

  constructor(
    readonly db: SqliteDatabase,
    readonly registry: Registry,
    options: StoreOptions = {},
  ) {
    const budget = options.statementCacheBytes ?? DEFAULT_STATEMENT_CACHE_BYTES;
    this.#statements = new StatementCache((text) => db.prepare(text), budget);
    this.#rawStatements = new StatementCache((text) => db.prepare(text).raw(true), budget);
    this.#changes = db.prepare('SELECT total_changes()').pluck(true);
    this.#dataVersion = db.prepare('PRAGMA data_version').pluck(true);
  }

  // ---------------------------------------------------------------- statements

  /**
   * A prepared statement for `text`, reused from a cache sized in bytes once the same SQL is seen twice
   * (statements are prepared once, as better-sqlite3 advises; one-off domain shapes are not kept).
   */
  statement(text: string): Statement {
    return this.#statements.get(text);
  }

  /** What each statement cache holds: entries, estimated bytes and budget. */
  statementCacheStats(): { readonly statements: StatementCacheStats; readonly rows: StatementCacheStats } {
    return { statements: this.#statements.stats(), rows: this.#rawStatements.stats() };
  }

  #all(fragment: SqlFragment): Row[] {
    return this.statement(fragment.sql).all(...fragment.params) as Row[];
  }

  /** Rows as arrays (better-sqlite3's raw mode skips building an object per row: the hot read path). */
  #allRaw(fragment: SqlFragment): StoredValue[][] {
    return this.#rawStatements.get(fragment.sql).all(...fragment.params) as StoredValue[][];
  }

  #run(fragment: SqlFragment): void {
    this.statement(fragment.sql).run(...fragment.params);
  }

  /**
   * A token that changes whenever the database may have changed: this connection's change count
   * (SQLite's total_changes(), which counts rolled-back changes too: a harmless extra change) and its
   * data version (which moves when another connection, e.g. the CLI in another process, commits),
   * behind a random id of this process, so a restart never repeats an old token.
   */
  revision(): string {
    return `${this.#bootId}.${this.#changes.get() as number}.${this.foreignVersion()}`;
  }

  /**
   * SQLite's data version alone: it moves only when another connection (another process) commits. Read
   * once per synchronous stretch (a request asks for it when it resolves its caller, its tag and each
   * read): within one, a later value could only say that another process committed a moment earlier.
   */
  foreignVersion(): number {
    if (this.#foreignVersion === undefined) {
      this.#foreignVersion = this.#dataVersion.get() as number;
      queueMicrotask(() => {
        this.#foreignVersion = undefined;
      });
    }
    return this.#foreignVersion;
  }

  /** Runs `fn` in a transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ---------------------------------------------------------------- access

  #compileContext(actor: Actor): CompileContext {
    if (actor === 'superuser') return superuserContext(this.registry);
    return {
      registry: this.registry,
      ruleDomain: (model) => ruleDomain(this.registry.model(model), 'read', actor),
      canReadField: (field) => canAccessField(field, actor),
      checkReadAccess: (model) => checkModelAccess(model, 'read', actor, this.#groupLabels()),
    };
  }

  #checkAccess(model: ModelInfo, operation: Operation, actor: Actor): void {
    if (actor === 'superuser') return;
    checkModelAccess(model, operation, actor, this.#groupLabels());
  }

  #groupLabels(): Map<string, string> {
    if (!this.#groupNames) {
      const groups = this.registry.resolve('res.groups');
      this.#groupNames = new Map();
      if (groups?.fields.has('xml_id')) {
        for (const row of this.#all(sql(`SELECT "xml_id", "name" FROM "res_groups"`))) {
          this.#groupNames.set(String(row.xml_id), String(row.name));
        }
      }
    }
    return this.#groupNames;
  }

  /** Records among `ids` that `operation`'s rules let the actor touch. */
  #allowedIds(model: ModelInfo, operation: Operation, actor: Actor, ids: readonly number[]): Set<number> {
    const rows = this.#all(this.#whereIds(model, ids, actor === 'superuser' ? null : ruleDomain(model, operation, actor)));
    return new Set(rows.map((r) => r.id as number));
  }

  #whereIds(model: ModelInfo, ids: readonly number[], rule: DomainNode | null): SqlFragment {
    const parts: SqlFragment[] = [idsIn('t."id"', ids)];
    if (rule) parts.push(new DomainCompiler(superuserContext(this.registry), { correlated: true }).compile(model, 't', rule));
    const where = andSql(parts);
    return { sql: `SELECT t."id" FROM ${ident(model.table)} t WHERE ${where.sql}`, params: where.params };
  }

  /** Throws MissingError when an id does not exist, AccessError when rules hide one. */
  #checkRecords(model: ModelInfo, operation: Operation, actor: Actor, ids: readonly number[]): void {
    const unique = [...new Set(ids)];
    const existing = new Set(this.#all(this.#whereIds(model, unique, null)).map((r) => r.id as number));
    const missing = unique.filter((id) => !existing.has(id));
    if (missing.length) {
      throw new MissingError(
        `Record does not exist or has been deleted.\n(Record: ${model.name}(${missing.join(', ')},), User: ${actor === 'superuser' ? 1 : actor.id})`,
      );
    }
    if (actor === 'superuser') return;
    const allowed = this.#allowedIds(model, operation, actor, unique);
    if (allowed.size !== unique.length) throw ruleViolation(model, operation, actor);
  }

  // ---------------------------------------------------------------- search and read

  /** The SQL WHERE of a search: the domain, the `active` filter and the read rules. */
  #searchWhere(model: ModelInfo, domain: DomainNode, actor: Actor): SqlFragment {
    const compiler = new DomainCompiler(this.#compileContext(actor));
    const compiled = compiler.compile(model, 't', domain);
    // Odoo's _search answers nothing for a domain its is_false() proves false (checked after compiling, so a
    // bad field or a field the caller may not read is still refused).
    const parts = [isProvedFalse(domain) ? SQL_FALSE : compiled];
    if (model.hasActive && !mentionsActive(domain)) parts.push(sql(`t."active" = 1`));
    if (actor !== 'superuser') {
      const rule = ruleDomain(model, 'read', actor);
      if (rule) parts.push(new DomainCompiler(superuserContext(this.registry)).compile(model, 't', rule));
    }
    return andSql(parts);
  }

  search(actor: Actor, modelName: string, domain: DomainNode, options: SearchOptions = {}): number[] {
    const model = this.registry.model(modelName);
    this.#checkAccess(model, 'read', actor);
    const where = this.#searchWhere(model, domain, actor);
    const order = compileOrder(this.registry, model, 't', options.order ?? model.order, this.#compileContext(actor).canReadField);
    const rows = this.#all({
      sql: `SELECT t."id" FROM ${ident(model.table)} t WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
      params: [...where.params, options.limit ?? -1, options.offset ?? 0],
    });
    return rows.map((r) => r.id as number);
  }

  searchCount(actor: Actor, modelName: string, domain: DomainNode): number {
    const model = this.registry.model(modelName);
    this.#checkAccess(model, 'read', actor);
    const where = this.#searchWhere(model, domain, actor);
    const row = this.#all({ sql: `SELECT count(*) AS n FROM ${ident(model.table)} t WHERE ${where.sql}`, params: where.params })[0];
    return Number(row?.n ?? 0);
  }

  /** search + read in one SQL query for the rows, plus one query per relation to shape them. */
  searchRead(actor: Actor, modelName: string, domain: DomainNode, fields: readonly string[] | undefined, options: SearchOptions = {}): OdooRecord[] {
    const model = this.registry.model(modelName);
    this.#checkAccess(model, 'read', actor);
    const selected = this.#fieldsToRead(model, fields, actor);
    const where = this.#searchWhere(model, domain, actor);
    const order = compileOrder(this.registry, model, 't', options.order ?? model.order, this.#compileContext(actor).canReadField);
    const columns = selectColumns(model, selected);
    const rows = this.#allRaw({
      sql: `SELECT ${columns.sql} FROM ${ident(model.table)} t WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
      params: [...where.params, options.limit ?? -1, options.offset ?? 0],
    });
    return this.#shape(model, selected, columns.index, rows, actor);
  }

  /** Reads records by id, in the order given; missing ids are left out, hidden ones raise AccessError. */
  read(actor: Actor, modelName: string, ids: readonly number[], fields?: readonly string[]): OdooRecord[] {
    const model = this.registry.model(modelName);
    this.#checkAccess(model, 'read', actor);
    const selected = this.#fieldsToRead(model, fields, actor);
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const columns = selectColumns(model, selected);
    const where = idsIn('t."id"', unique);
    const rows = this.#allRaw({ sql: `SELECT ${columns.sql} FROM ${ident(model.table)} t WHERE ${where.sql}`, params: where.params });
    if (actor !== 'superuser' && rows.length) {
      const allowed = this.#allowedIds(model, 'read', actor, rows.map((r) => r[0] as number));
      if (allowed.size !== rows.length) throw ruleViolation(model, 'read', actor);
    }
    const byId = new Map(rows.map((r) => [r[0] as number, r]));
    const ordered = unique.map((id) => byId.get(id)).filter((r): r is StoredValue[] => r !== undefined);
    return this.#shape(model, selected, columns.index, ordered, actor);
  }

  #fieldsToRead(model: ModelInfo, fields: readonly string[] | undefined, actor: Actor): FieldInfo[] {
    const readable = (f: FieldInfo) => actor === 'superuser' ? !f.internal : canAccessField(f, actor);
    if (fields === undefined || fields.length === 0) {
      return [...model.fields.values()].filter((f) => readable(f) && f.type !== 'binary');
    }
    const out: FieldInfo[] = [model.fields.get('id')!];
    for (const name of new Set(fields)) {
      if (name === 'id') continue;
      const field = model.fields.get(name);
      if (!field || field.internal) throw new InvalidQueryError(`Invalid field '${name}' on model '${model.name}'`);
      if (!readable(field)) {
        throw new AccessError(
          `The requested operation can not be completed due to security restrictions.\n\nDocument type: ${model.description} (${model.name})\nOperation: read\nFields:\n- ${name}`,
        );
      }
      out.push(field);
    }
    return out;
  }

  /** Rows to Odoo's read() shape: many2one as [id, name], x2many as id lists, unset as false. */
  #shape(model: ModelInfo, fields: readonly FieldInfo[], index: ReadonlyMap<string, number>, rows: readonly StoredValue[][], actor: Actor): OdooRecord[] {
    const ids = rows.map((r) => r[0] as number);
    const at = (name: string) => index.get(name)!;
    const names = new Map<string, Map<number, string>>();
    const lists = new Map<string, Map<number, number[]>>();
    for (const field of fields) {
      if (field.type === 'many2one') {
        const target = field.relation!;
        const column = at(field.name);
        const wanted = rows.map((r) => r[column]).filter((v): v is number => typeof v === 'number');
        const known = names.get(target) ?? new Map<number, string>();
        names.set(target, known);
        const missing = [...new Set(wanted)].filter((id) => !known.has(id));
        if (missing.length) for (const [id, name] of this.displayNames(target, missing)) known.set(id, name);
      } else if ((field.type === 'one2many' || field.type === 'many2many') && ids.length) {
        lists.set(field.name, this.#x2manyIds(field, ids, actor));
      }
    }
    const nameOf = displayNameReader(model, index);
    const positions = fields.map((f) => index.get(f.name) ?? -1);
    return rows.map((row) => {
      const id = row[0] as number;
      const record: OdooRecord = { id };
      for (let i = 0; i < fields.length; i += 1) {
        const field = fields[i]!;
        if (field.name === 'id') continue;
        if (field.name === 'display_name') {
          record.display_name = nameOf(row);
          continue;
        }
        const value = row[positions[i]!] ?? null;
        switch (field.type) {
          case 'many2one':
            record[field.name] = value === null ? false : [value, names.get(field.relation!)?.get(value as number) ?? ''];
            break;
          case 'one2many':
          case 'many2many':
            record[field.name] = lists.get(field.name)?.get(id) ?? [];
            break;
          case 'boolean':
            record[field.name] = value === 1;
            break;
          case 'integer':
          case 'float':
          case 'monetary':
            record[field.name] = value ?? 0;
            break;
          default:
            record[field.name] = value ?? false;
        }
      }
      return record;
    });
  }

  /** Display names of records, read as superuser (Odoo shows the name of a related record the caller cannot read). */
  displayNames(modelName: string, ids: readonly number[]): Map<number, string> {
    const model = this.registry.model(modelName);
    const columns = selectColumns(model, [model.fields.get('display_name')!]);
    const where = idsIn('t."id"', ids);
    const rows = this.#allRaw({ sql: `SELECT ${columns.sql} FROM ${ident(model.table)} t WHERE ${where.sql}`, params: where.params });
    const nameOf = displayNameReader(model, columns.index);
    return new Map(rows.map((r) => [r[0] as number, nameOf(r)]));
  }

  /** The ids of an x2many field for many records at once, filtered by the comodel's active flag and read rules. */
  #x2manyIds(field: FieldInfo, ids: readonly number[], actor: Actor): Map<number, number[]> {
    const comodel = this.registry.model(field.relation!);
    const parts: SqlFragment[] = [];
    let from: string;
    let owner: string;
    if (field.type === 'one2many') {
      from = `${ident(comodel.table)} c`;
      owner = `c.${ident(field.inverseName!)}`;
    } else {
      const link = field.link!;
      from = `${ident(link.table)} l JOIN ${ident(comodel.table)} c ON c."id" = l.${ident(link.otherColumn)}`;
      owner = `l.${ident(link.ownColumn)}`;
    }
    parts.push(idsIn(owner, ids));
    if (comodel.hasActive) parts.push(sql(`c."active" = 1`));
    if (actor !== 'superuser') {
      const rule = ruleDomain(comodel, 'read', actor);
      if (rule) parts.push(new DomainCompiler(superuserContext(this.registry), { correlated: true }).compile(comodel, 'c', rule));
    }
    const where = andSql(parts);
    // Within one owner the inverse field is constant: leave it out of the comodel's order.
    const order = compileOrder(this.registry, comodel, 'c', withoutOrderTerm(comodel.order, field.inverseName));
    const rows = this.#all({ sql: `SELECT ${owner} AS owner, c."id" AS id FROM ${from} WHERE ${where.sql} ORDER BY ${order}`, params: where.params });
    const out = new Map<number, number[]>();
    for (const row of rows) {
      const list = out.get(row.owner as number);
      if (list) list.push(row.id as number);
      else out.set(row.owner as number, [row.id as number]);
    }
    return out;
  }

  // ---------------------------------------------------------------- create, write, unlink

  #env(actor: Actor): EnvContext {
    const user = actor === 'superuser' ? (this.#sudoFor ?? this.#superuserContext()) : actor;
    return {
      user,
      now: nowUtc(),
      nextSequence: (code) => this.nextSequence(code),
      firstRecordId: (model, where = {}) => {
        const domain: DomainNode = { kind: 'and', children: Object.entries(where).map(([path, value]) => ({ kind: 'leaf', path, operator: '=', value })) };
        return this.search('superuser', model, Object.keys(where).length ? domain : TRUE_DOMAIN, { limit: 1 })[0] ?? null;
      },
    };
  }

  #superuserContext(): UserContext {
    return { id: 1, login: '__system__', name: 'OdooBot', partnerId: 1, companyId: 1, companyIds: [1], groups: new Set() };
  }

  /** Next value of a sequence (`S00001`), inside the current transaction. */
  nextSequence(code: string): string {
    const spec = SEQUENCES[code];
    if (!spec) throw new Error(`unknown sequence ${code}`);
    this.#run(sql(`INSERT OR IGNORE INTO "ir_sequence" ("code", "prefix", "padding", "number_next") VALUES (?, ?, ?, 1)`, code, spec.prefix, spec.padding));
    const row = this.#all(sql(`UPDATE "ir_sequence" SET "number_next" = "number_next" + 1 WHERE "code" = ? RETURNING "number_next" - 1 AS n, "prefix", "padding"`, code))[0]!;
    return `${row.prefix}${String(row.n).padStart(Number(row.padding), '0')}`;
  }

  create(actor: Actor, modelName: string, values: Record<string, unknown>): number {
    return this.transaction(() => this.#create(actor, this.registry.model(modelName), values, new Set()));
  }

  write(actor: Actor, modelName: string, ids: readonly number[], values: Record<string, unknown>): void {
    this.transaction(() => this.#write(actor, this.registry.model(modelName), ids, values));
  }

  unlink(actor: Actor, modelName: string, ids: readonly number[]): void {
    this.transaction(() => this.#unlink(actor, this.registry.model(modelName), ids));
  }

  #canWrite(actor: Actor) {
    return (field: FieldInfo) => actor === 'superuser' || canAccessField(field, actor);
  }

  #create(actor: Actor, model: ModelInfo, values: Record<string, unknown>, skip: ReadonlySet<string>): number {
    this.#checkAccess(model, 'create', actor);
    const prepared = prepareValues(model, values, this.#canWrite(actor), actor === 'superuser');
    const given: WrittenValues = Object.fromEntries(prepared.columns);
    const env = this.#env(actor);
    const columns = prepared.columns;
    for (const field of model.storedFields) {
      if (field.computedOrMagic || columns.has(field.name) || field.default === undefined) continue;
      const snapshot = Object.fromEntries(columns) as Row;
      const value = typeof field.default === 'function' ? field.default(env, snapshot) : field.default;
      columns.set(field.name, convertScalar(model, field, field.type === 'boolean' ? value === true || value === 1 : value));
    }
    for (const field of model.fields.values()) {
      if (field.required && field.column && !skip.has(field.name) && (columns.get(field.name) ?? null) === null) {
        throw missingRequired(model, field);
      }
    }
    this.#checkReferences(model, columns);
    columns.set('create_uid', env.user.id);
    columns.set('write_uid', env.user.id);
    columns.set('create_date', env.now);
    columns.set('write_date', env.now);
    const names = [...columns.keys()];
    const row = uniqueClashAsValidationError(model, () => this.#all({
      sql: `INSERT INTO ${ident(model.table)} (${names.map(ident).join(', ')}) VALUES (${placeholders(names).sql}) RETURNING "id"`,
      params: names.map((n) => columns.get(n) ?? null),
    }))[0]!;
    const id = row.id as number;
    for (const [name, commands] of prepared.x2many) this.#applyCommands(actor, model, id, model.fields.get(name)!, commands);
    this.#afterChange(model, [id], new Set([...columns.keys(), ...prepared.x2many.keys()]), true, new Set(Object.keys(given)));
    this.#checkConstraints(model, [id]);
    if (actor !== 'superuser') {
      const rule = ruleDomain(model, 'create', actor);
      if (rule && this.#allowedIds(model, 'create', actor, [id]).size === 0) throw ruleViolation(model, 'create', actor);
    }
    model.definition.onCreate?.(this.#hookContext(actor), id, given);
    return id;
  }

  /** A write; `hooks` false is Odoo's `super().write()` that a hook runs (the model's onWrite is not run). */
  #write(actor: Actor, model: ModelInfo, ids: readonly number[], values: Record<string, unknown>, hooks = true): void {
    this.#checkAccess(model, 'write', actor);
    const unique = [...new Set(ids)];
    const prepared = prepareValues(model, values, this.#canWrite(actor), actor === 'superuser');
    this.#checkRecords(model, 'write', actor, unique);
    // Like Odoo's write({}): nothing to write changes nothing, not even write_date.
    if (prepared.columns.size === 0 && prepared.x2many.size === 0) return;
    const given: WrittenValues = Object.fromEntries(prepared.columns);
    const env = this.#env(actor);
    const columns = prepared.columns;
    for (const [name, value] of columns) {
      const field = model.fields.get(name)!;
      if (field.required && value === null) throw missingRequired(model, field);
    }
    this.#checkReferences(model, columns);
    const parentsBefore = this.#sumParents(model, unique);
    columns.set('write_uid', env.user.id);
    columns.set('write_date', env.now);
    const names = [...columns.keys()];
    uniqueClashAsValidationError(model, () => this.#run({
      sql: `UPDATE ${ident(model.table)} SET ${names.map((n) => `${ident(n)} = ?`).join(', ')} WHERE "id" IN (${placeholders(unique).sql})`,
      params: [...names.map((n) => columns.get(n) ?? null), ...unique],
    }));
    for (const id of unique) {
      for (const [name, commands] of prepared.x2many) this.#applyCommands(actor, model, id, model.fields.get(name)!, commands);
    }
    this.#afterChange(model, unique, new Set([...columns.keys(), ...prepared.x2many.keys()]), false, new Set(Object.keys(given)), parentsBefore);
    this.#checkConstraints(model, unique);
    if (actor !== 'superuser') {
      const rule = ruleDomain(model, 'write', actor);
      if (rule && this.#allowedIds(model, 'write', actor, unique).size !== unique.length) throw ruleViolation(model, 'write', actor);
    }
    if (hooks) model.definition.onWrite?.(this.#hookContext(actor), unique, given);
  }

  /** What a model's hooks may do: read, search and write (without hooks), as `actor` or, asked to, as the superuser. */
  #hookContext(actor: Actor): HookContext {
    const as = (options?: HookOptions): Actor => (options?.sudo ? 'superuser' : actor);
    return {
      read: (modelName, ids, fields, options) => {
        const model = this.registry.model(modelName);
        const reader = as(options);
        this.#checkAccess(model, 'read', reader);
        this.#checkRecords(model, 'read', reader, ids);
        const byId = new Map(this.#rows(model, ids).map((row) => [row.id as number, row]));
        return ids.map((id) => {
          const row = byId.get(id)!;
          return Object.fromEntries(['id', ...fields].map((name) => [name, row[name] ?? null]));
        });
      },
      search: (modelName, domain, options) => this.search(as(options), modelName, normalizeDomain([...domain])),
      write: (modelName, ids, values, options) => {
        const model = this.registry.model(modelName);
        if (!options?.sudo || actor === 'superuser') {
          this.#write(actor, model, ids, { ...values }, false);
          return;
        }
        const outer = this.#sudoFor;
        this.#sudoFor = actor;
        try {
          this.#write('superuser', model, ids, { ...values }, false);
        } finally {
          this.#sudoFor = outer;
        }
      },
    };
  }

  #unlink(actor: Actor, model: ModelInfo, ids: readonly number[]): void {
    this.#checkAccess(model, 'unlink', actor);
    const unique = [...new Set(ids)];
    this.#checkRecords(model, 'unlink', actor, unique);
    const guard = model.definition.beforeUnlink;
    if (guard) {
      for (const row of this.#rows(model, unique)) {
        const refusal = guard(row);
        if (refusal) throw new UserError(refusal);
      }
    }
    const parentsBefore = this.#sumParents(model, unique);
    try {
      this.#run(sql(`DELETE FROM ${ident(model.table)} WHERE "id" IN (${placeholders(unique).sql})`, ...unique));
    } catch (error) {
      // A restricting reference fails at once (SQLITE_CONSTRAINT_TRIGGER), others at the statement's end (_FOREIGNKEY).
      if (String((error as { code?: string }).code).startsWith('SQLITE_CONSTRAINT') && /FOREIGN KEY constraint failed/.test((error as Error).message)) {
        throw new UserError(
          `The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${model.description} (${model.name})`,
        );
      }
      throw error;
    }
    this.#recomputeSums(parentsBefore);
  }

  #rows(model: ModelInfo, ids: readonly number[]): Row[] {
    const where = idsIn('"id"', ids);
    return this.#all({ sql: `SELECT * FROM ${ident(model.table)} WHERE ${where.sql}`, params: where.params });
  }

  /** Many2one values must name existing records. */
  #checkReferences(model: ModelInfo, columns: ReadonlyMap<string, StoredValue>): void {
    for (const [name, value] of columns) {
      const field = model.fields.get(name)!;
      if (field.type !== 'many2one' || value === null) continue;
      const target = this.registry.model(field.relation!);
      const found = this.#all(sql(`SELECT 1 AS ok FROM ${ident(target.table)} WHERE "id" = ?`, value));
      if (!found.length) {
        throw new ValidationError(`Invalid value for field '${name}' (${field.string}) on ${model.name}: ${target.name} record ${String(value)} does not exist`);
      }
    }
  }

  #checkConstraints(model: ModelInfo, ids: readonly number[]): void {
    const constraints = model.definition.constraints;
    if (!constraints?.length) return;
    const lookup = this.#lookup();
    for (const row of this.#rows(model, ids)) {
      for (const check of constraints) {
        const problem = check(row, lookup);
        if (problem) throw new ValidationError(problem);
      }
    }
  }

  #lookup() {
    return (modelName: string, id: number, field: string): StoredValue => {
      const model = this.registry.model(modelName);
      const column = model.fields.get(field)?.column;
      if (!column) throw new Error(`${modelName}.${field} is not stored`);
      const row = this.#all(sql(`SELECT ${ident(column)} AS v FROM ${ident(model.table)} WHERE "id" = ?`, id))[0];
      return row ? (row.v ?? null) : null;
    };
  }

  /** Records an x2many value names (update, delete, link, set) must exist: a ValidationError naming the field, as for a many2one. */
  #checkCommandTargets(model: ModelInfo, field: FieldInfo, comodel: ModelInfo, commands: readonly X2ManyCommand[]): void {
    const ids = [...new Set(commands.flatMap((c) => (c.op === 6 ? c.ids : c.op === 1 || c.op === 2 || c.op === 4 ? [c.id] : [])))];
    if (!ids.length) return;
    const existing = new Set(this.#all(this.#whereIds(comodel, ids, null)).map((r) => r.id as number));
    const missing = ids.filter((targetId) => !existing.has(targetId));
    if (missing.length) {
      throw new ValidationError(
        `Invalid value for field '${field.name}' (${field.string}) on ${model.name}: ${comodel.name} record${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist`,
      );
    }
  }

  #applyCommands(actor: Actor, model: ModelInfo, id: number, field: FieldInfo, commands: readonly X2ManyCommand[]): void {
    const comodel = this.registry.model(field.relation!);
    this.#checkCommandTargets(model, field, comodel, commands);
    if (field.type === 'one2many') {
      const inverse = field.inverseName!;
      const inverseField = comodel.fields.get(inverse)!;
      const children = () => this.#all(sql(`SELECT "id" FROM ${ident(comodel.table)} WHERE ${ident(inverse)} = ?`, id)).map((r) => r.id as number);
      const detach = (childIds: readonly number[]) => {
        if (!childIds.length) return;
        if (inverseField.required) this.#unlink(actor, comodel, childIds);
        else this.#write(actor, comodel, childIds, { [inverse]: false });
      };
      const ensureChild = (childId: number) => {
        if (!children().includes(childId)) {
          throw new ValidationError(`${comodel.name} record ${childId} is not in ${model.name}.${field.name} of record ${id}`);
        }
      };
      for (const command of commands) {
        switch (command.op) {
          case 0:
            this.#create(actor, comodel, { ...stripKey(command.values, inverse), [inverse]: id }, new Set());
            break;
          case 1:
            ensureChild(command.id);
            this.#write(actor, comodel, [command.id], stripKey(command.values, inverse));
            break;
          case 2:
            ensureChild(command.id);
            this.#unlink(actor, comodel, [command.id]);
            break;
          case 3:
            ensureChild(command.id);
            detach([command.id]);
            break;
          case 4:
            this.#write(actor, comodel, [command.id], { [inverse]: id });
            break;
          case 5:
            detach(children());
            break;
          case 6: {
            const keep = new Set(command.ids);
            detach(children().filter((c) => !keep.has(c)));
            if (command.ids.length) this.#write(actor, comodel, command.ids, { [inverse]: id });
            break;
          }
        }
      }
      return;
    }
    const link = field.link!;
    const table = ident(link.table);
    const own = ident(link.ownColumn);
    const other = ident(link.otherColumn);
    const add = (targetIds: readonly number[]) => {
      if (!targetIds.length) return;
      this.#checkRecords(comodel, 'read', actor, targetIds);
      for (const targetId of targetIds) this.#run(sql(`INSERT OR IGNORE INTO ${table} (${own}, ${other}) VALUES (?, ?)`, id, targetId));
    };
    // Unlink, clear and replace act on the value as the actor reads it, as in Odoo: links to records the
    // read rules hide from the actor (a tag's partners of another company) stay.
    const rule = actor === 'superuser' ? null : ruleDomain(comodel, 'read', actor);
    const readable = rule ? new DomainCompiler(superuserContext(this.registry)).compile(comodel, 'c', rule) : null;
    const removeLinks = (where: SqlFragment) => this.#run(readable
      ? { sql: `DELETE FROM ${table} WHERE ${where.sql} AND ${other} IN (SELECT c."id" FROM ${ident(comodel.table)} c WHERE ${readable.sql})`, params: [...where.params, ...readable.params] }
      : { sql: `DELETE FROM ${table} WHERE ${where.sql}`, params: where.params });
    for (const command of commands) {
      switch (command.op) {
        case 0:
          add([this.#create(actor, comodel, command.values, new Set())]);
          break;
        case 1:
          this.#write(actor, comodel, [command.id], command.values);
          break;
        case 2:
          this.#unlink(actor, comodel, [command.id]);
          break;
        case 3:
          removeLinks(sql(`${own} = ? AND ${other} = ?`, id, command.id));
          break;
        case 4:
          add([command.id]);
          break;
        case 5:
          removeLinks(sql(`${own} = ?`, id));
          break;
        case 6:
          removeLinks(sql(`${own} = ?`, id));
          add([...new Set(command.ids)]);
          break;
      }
    }
  }

  // ---------------------------------------------------------------- stored computes

  /**
   * Recomputes the stored computed fields of records after `changed` fields of theirs were written (all of
   * them on create), of the records depending on them, and of the records summing over them. Editable
   * computes keep a value the caller gave (`given`), as Odoo protects the fields being written.
   */
  #afterChange(
    model: ModelInfo, ids: readonly number[], changed: ReadonlySet<string>, created: boolean, given: ReadonlySet<string>,
    parentsBefore?: Map<string, Set<number>>,
  ): void {
    this.#recompute(model, ids, changed, created, given, 0);
    for (const field of model.fields.values()) {
      const compute = field.compute;
      if (compute?.kind === 'sum' && (created || changed.has(compute.one2many))) this.#recomputeSum(model, field, ids);
    }
    const parents = this.#sumParents(model, ids);
    if (parentsBefore) for (const [key, set] of parentsBefore) for (const id of set) (parents.get(key) ?? parents.set(key, new Set()).get(key)!).add(id);
    this.#recomputeSums(parents);
  }

  /**
   * Runs the `own` computes of `ids` that depend on `changed` (a field of the record, or `f.g`: field g of
   * the record its many2one f points to). Then, for the computed values that moved: the computes depending
   * on them on the same records, and those of the records whose many2one points here (a company renamed
   * renames its contacts, whose own contacts follow), each level following only values that moved.
   */
  #recompute(model: ModelInfo, ids: readonly number[], changed: ReadonlySet<string>, created: boolean, given: ReadonlySet<string>, depth: number): void {
    if (!ids.length || depth > MAX_RECOMPUTE_DEPTH) return;
    const lookup = this.#lookup();
    const moved = new Set<string>();
    // Read once, kept up to date below: a later compute sees the values the earlier ones wrote.
    let rows: Row[] | undefined;
    for (const field of model.fields.values()) {
      const compute = field.compute;
      if (compute?.kind !== 'own' || given.has(field.name)) continue;
      if (!created && !compute.depends.some((d) => changed.has(d))) continue;
      rows ??= this.#rows(model, ids);
      for (const row of rows) {
        const value = compute.fn(row, lookup) ?? null;
        if (value === (row[field.name] ?? null)) continue;
        this.#run(sql(`UPDATE ${ident(model.table)} SET ${ident(field.column!)} = ? WHERE "id" = ?`, value, row.id));
        row[field.name] = value;
        moved.add(field.name);
      }
    }
    if (moved.size) {
      this.#recompute(model, ids, moved, false, given, depth + 1);
      if (depth > 0) this.#recomputeSums(this.#sumParents(model, ids));
    }
    const targets = new Map<Dependent['many2one'], { model: ModelInfo; paths: Set<string> }>();
    for (const dependent of this.#dependentsOf(model)) {
      if (!changed.has(dependent.field) && !moved.has(dependent.field)) continue;
      const entry = targets.get(dependent.many2one) ?? targets.set(dependent.many2one, { model: dependent.model, paths: new Set() }).get(dependent.many2one)!;
      entry.paths.add(dependent.path);
    }
    for (const [many2one, { model: dependentModel, paths }] of targets) {
      const where = idsIn(ident(many2one.column!), ids);
      const dependentIds = this.#all({ sql: `SELECT "id" FROM ${ident(dependentModel.table)} WHERE ${where.sql}`, params: where.params }).map((r) => r.id as number);
      this.#recompute(dependentModel, dependentIds, paths, false, NO_FIELDS, depth + 1);
    }
  }

  /** The computes of every model that depend, through a many2one, on a field of `model` (built once). */
  #dependentsOf(model: ModelInfo): readonly Dependent[] {
    if (!this.#dependents) {
      this.#dependents = new Map();
      for (const other of this.registry.models) {
        for (const field of other.fields.values()) {
          if (field.compute?.kind !== 'own') continue;
          for (const path of field.compute.depends) {
            const [head, tail, ...rest] = path.split('.');
            const many2one = other.fields.get(head!);
            if (tail === undefined || rest.length || many2one?.type !== 'many2one') continue;
            const list = this.#dependents.get(many2one.relation!) ?? this.#dependents.set(many2one.relation!, []).get(many2one.relation!)!;
            if (!list.some((d) => d.many2one === many2one && d.path === path)) list.push({ model: other, many2one, path, field: tail });
          }
        }
      }
    }
    return this.#dependents.get(model.name) ?? [];
  }

  /** For each sum compute over a one2many of `model`'s records: `parentModel|field` to the parent ids. */
  #sumParents(model: ModelInfo, ids: readonly number[]): Map<string, Set<number>> {
    const out = new Map<string, Set<number>>();
    for (const parent of this.registry.models) {
      for (const field of parent.fields.values()) {
        if (field.compute?.kind !== 'sum') continue;
        const o2m = parent.fields.get(field.compute.one2many)!;
        if (o2m.relation !== model.name) continue;
        const rows = this.#all(sql(`SELECT DISTINCT ${ident(o2m.inverseName!)} AS p FROM ${ident(model.table)} WHERE "id" IN (${placeholders(ids).sql})`, ...ids));
        const set = new Set(rows.map((r) => r.p).filter((p): p is number => typeof p === 'number'));
        if (set.size) out.set(`${parent.name}|${field.name}`, set);
      }
    }
    return out;
  }

  #recomputeSums(parents: ReadonlyMap<string, ReadonlySet<number>>): void {
    for (const [key, ids] of parents) {
      const [modelName, fieldName] = key.split('|') as [string, string];
      const model = this.registry.model(modelName);
      this.#recomputeSum(model, model.fields.get(fieldName)!, [...ids]);
    }
  }

  #recomputeSum(model: ModelInfo, field: FieldInfo, ids: readonly number[]): void {
    if (field.compute?.kind !== 'sum' || !ids.length) return;
    const o2m = model.fields.get(field.compute.one2many)!;
    const comodel = this.registry.model(o2m.relation!);
    this.#run(sql(
      `UPDATE ${ident(model.table)} SET ${ident(field.column!)} = (SELECT ROUND(COALESCE(SUM(c.${ident(field.compute.field)}), 0), 2) FROM ${ident(comodel.table)} c WHERE c.${ident(o2m.inverseName!)} = ${ident(model.table)}."id") WHERE "id" IN (${placeholders(ids).sql})`,
      ...ids,
    ));
  }
}

function withoutOrderTerm(order: string, field: string | undefined): string {
  if (!field) return order;
  const kept = order.split(',').filter((term) => term.trim().split(/\s+/)[0] !== field);
  return kept.length ? kept.join(',') : 'id';
}

function stripKey(values: Record<string, unknown>, key: string): Record<string, unknown> {
  if (!isPlainObject(values) || !(key in values)) return values;
  const { [key]: _removed, ...rest } = values;
  return rest;
}

/** Runs an INSERT or UPDATE; a clash on a unique field (an SQL UNIQUE index) becomes a ValidationError naming the field. */
function uniqueClashAsValidationError<T>(model: ModelInfo, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
    const column = /UNIQUE constraint failed: [A-Za-z0-9_]+\.([A-Za-z0-9_]+)/.exec((error as Error).message)?.[1];
    const field = model.storedFields.find((f) => f.column === column);
    throw new ValidationError(
      field
        ? `The value of field '${field.name}' (${field.string}) must be unique on ${model.description} (${model.name}): another record already has it`
        : `A value that must be unique on ${model.description} (${model.name}) is already used by another record`,
    );
  }
}

function missingRequired(model: ModelInfo, field: FieldInfo): ValidationError {
  return new ValidationError(`Missing required field '${field.name}' (${field.string}) on ${model.description} (${model.name})`);
}

/** How a row selected by selectColumns (with display_name) gives its display name; `model,id` when empty. */
function displayNameReader(model: ModelInfo, index: ReadonlyMap<string, number>): (row: readonly StoredValue[]) => string {
  const compute = model.definition.displayName;
  const positions = model.displayNameDepends.map((name) => [name, index.get(model.fields.get(name)!.column!)!] as const);
  return (row) => {
    const name = compute
      ? compute.fn(Object.fromEntries(positions.map(([field, at]) => [field, row[at] ?? null])))
      : row[positions[0]![1]] ?? null;
    return name === null || name === '' ? `${model.name},${row[0] as number}` : String(name);
  };
}

/** The SELECT list for reading `fields` (id first, and the rec name for display_name), with each column's position. */
function selectColumns(model: ModelInfo, fields: readonly FieldInfo[]): { sql: string; index: Map<string, number> } {
  const columns = new Set<string>(['id']);
  for (const field of fields) {
    if (field.column) columns.add(field.column);
    if (field.name === 'display_name') for (const name of model.displayNameDepends) columns.add(model.fields.get(name)!.column!);
  }
  const list = [...columns];
  return { sql: list.map((c) => `t.${ident(c)}`).join(', '), index: new Map(list.map((c, i) => [c, i])) };
}
