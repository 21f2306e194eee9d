/**
 * The store's reads: search, count, search_read and read as Odoo 17 answers them (the domain, the
 * `active` filter and the read rules in one SQL query; rows shaped as Odoo's read(): many2one as
 * `[id, name]`, x2many as id lists filtered by the comodel's active flag and read rules, unset as false),
 * display names, and the stored rows that writes and computes work on. A caller whose `lang` is not en_US
 * reads, searches and sorts translatable fields in it (i18n/translated-sql.ts); in en_US the SQL is the
 * columns alone.
 */
import type { DomainNode } from '../../domain/types.js';
import { totalFromPage, type OdooRecord, type SearchPage } from '../backend.js';
import { AccessError, InvalidQueryError } from '../errors.js';
import type { RelatedLookup, StoredValue } from './model-definition.js';
import { isTranslated, type FieldInfo, type RegistryModel, type Registry, type X2ManyFieldInfo } from './registry.js';
import { translationLang } from './i18n/languages.js';
import { fieldSql } from './i18n/translated-sql.js';
import { SnapshotCache } from './snapshot-cache.js';
import { canAccessField, ruleDomain, ruleViolation } from './security/access.js';
import { DomainCompiler, isProvedFalse, mentionsActive, type CompileContext } from './sql/compile-domain.js';
import { compileOrder } from './sql/compile-order.js';
import { ruleSql } from './sql/compiled-rules.js';
import { SQL_FALSE, andSql, ident, idsIn, sql, type SqlFragment } from './sql/sql-fragment.js';
import type { Actor, StoreAccess } from './store-access.js';
import type { Row, StoreStatements } from './store-statements.js';

/** Paging and order of a store search; absent: every record, in the model's own order. */
export interface StoreSearchOptions {
  readonly limit?: number;
  readonly offset?: number;
  readonly order?: string;
}

export class StoreReader {
  /** Display names by model and language (snapshot-cache.ts), 50,000 at most. */
  readonly #names = new SnapshotCache<string, Map<number, string>>(50_000);

  constructor(
    private readonly statements: StoreStatements,
    private readonly registry: Registry,
    private readonly access: StoreAccess,
  ) {}

  /** The SQL WHERE of a search: the domain, the `active` filter and the read rules (searches and read_group, store-group.ts). */
  searchWhere(model: RegistryModel, domain: DomainNode, actor: Actor): SqlFragment {
    const compiler = new DomainCompiler(this.#compileContext(actor));
    const compiled = compiler.compile(model, 't', domain);
    // Odoo's _search answers nothing for a domain its is_false() proves false (checked after compiling, so a
    // bad field or a field the caller may not read is still refused).
    const parts = [isProvedFalse(domain) ? SQL_FALSE : compiled];
    if (model.hasActive && !mentionsActive(domain)) parts.push(sql(`t."active" = 1`));
    if (actor !== 'superuser') {
      const rule = ruleDomain(model, 'read', actor);
      if (rule) parts.push(ruleSql(this.registry, model, 't', rule, { lang: actorLang(actor) }));
    }
    return andSql(parts);
  }

  /** The caller's compile context, in the caller's language (translatable fields compare in it). */
  #compileContext(actor: Actor): CompileContext {
    return inLang(this.access.compileContext(actor), actorLang(actor));
  }

  /** The caller's order, translatable fields sorted in the caller's language. */
  #order(model: RegistryModel, actor: Actor, spec: string | undefined): string {
    return compileOrder(this.registry, model, 't', spec ?? model.order, this.access.compileContext(actor).canReadField, actorLang(actor));
  }

  search(actor: Actor, modelName: string, domain: DomainNode, options: StoreSearchOptions = {}): number[] {
    const model = this.registry.model(modelName);
    this.access.checkAccess(model, 'read', actor);
    const where = this.searchWhere(model, domain, actor);
    const order = this.#order(model, actor, options.order);
    const rows = this.statements.all({
      sql: `SELECT t."id" FROM ${ident(model.table)} t WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
      params: [...where.params, options.limit ?? -1, options.offset ?? 0],
    });
    return rows.map((r) => r.id as number);
  }

  searchCount(actor: Actor, modelName: string, domain: DomainNode): number {
    const model = this.registry.model(modelName);
    this.access.checkAccess(model, 'read', actor);
    return this.#count(model, this.searchWhere(model, domain, actor));
  }

  /** search + read in one SQL query for the rows, plus one query per relation to shape them. */
  searchRead(
    actor: Actor,
    modelName: string,
    domain: DomainNode,
    fields: readonly string[] | undefined,
    options: StoreSearchOptions = {},
  ): OdooRecord[] {
    const model = this.registry.model(modelName);
    this.access.checkAccess(model, 'read', actor);
    const selected = this.#fieldsToRead(model, fields, actor);
    return this.#readPage(model, this.searchWhere(model, domain, actor), actor, selected, options);
  }

  /**
   * searchRead's page and searchCount's total with the search compiled once, in one synchronous stretch
   * (one snapshot: nothing writes in between); the count runs only when the page cannot tell the total
   * (totalFromPage: a page shorter than its limit ends the matches).
   */
  searchPage(
    actor: Actor,
    modelName: string,
    domain: DomainNode,
    fields: readonly string[] | undefined,
    options: StoreSearchOptions = {},
  ): SearchPage {
    const model = this.registry.model(modelName);
    this.access.checkAccess(model, 'read', actor);
    const selected = this.#fieldsToRead(model, fields, actor);
    const where = this.searchWhere(model, domain, actor);
    const records = this.#readPage(model, where, actor, selected, options);
    const total = totalFromPage(records.length, options.limit, options.offset) ?? this.#count(model, where);
    return { records, total };
  }

  #count(model: RegistryModel, where: SqlFragment): number {
    const row = this.statements.all({
      sql: `SELECT count(*) AS n FROM ${ident(model.table)} t WHERE ${where.sql}`,
      params: where.params,
    })[0];
    return Number(row?.n ?? 0);
  }

  #readPage(
    model: RegistryModel,
    where: SqlFragment,
    actor: Actor,
    selected: readonly FieldInfo[],
    options: StoreSearchOptions,
  ): OdooRecord[] {
    const order = this.#order(model, actor, options.order);
    const columns = selectColumns(model, selected, actorLang(actor));
    const rows = this.statements.allRaw({
      sql: `SELECT ${columns.sql} FROM ${ident(model.table)} t WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
      params: [...where.params, options.limit ?? -1, options.offset ?? 0],
    });
    return this.#shape(model, selected, columns.index, rows, actor);
  }

  /** Reads records by id, in the order given; missing ids are left out, hidden ones raise AccessError. */
  read(actor: Actor, modelName: string, ids: readonly number[], fields?: readonly string[]): OdooRecord[] {
    const model = this.registry.model(modelName);
    this.access.checkAccess(model, 'read', actor);
    const selected = this.#fieldsToRead(model, fields, actor);
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const columns = selectColumns(model, selected, actorLang(actor));
    const where = idsIn('t."id"', unique);
    const rows = this.statements.allRaw({
      sql: `SELECT ${columns.sql} FROM ${ident(model.table)} t WHERE ${where.sql}`,
      params: where.params,
    });
    if (actor !== 'superuser' && rows.length) {
      const allowed = this.access.allowedIds(
        model,
        'read',
        actor,
        rows.map((r) => r[0] as number),
      );
      if (allowed.size !== rows.length) throw ruleViolation(model, 'read', actor);
    }
    const byId = new Map(rows.map((r) => [r[0] as number, r]));
    const ordered = unique.map((id) => byId.get(id)).filter((r): r is StoredValue[] => r !== undefined);
    return this.#shape(model, selected, columns.index, ordered, actor);
  }

  #fieldsToRead(model: RegistryModel, fields: readonly string[] | undefined, actor: Actor): FieldInfo[] {
    const readable = (f: FieldInfo) => (actor === 'superuser' ? !f.internal : canAccessField(f, actor));
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
  #shape(
    model: RegistryModel,
    fields: readonly FieldInfo[],
    index: ReadonlyMap<string, number>,
    rows: readonly StoredValue[][],
    actor: Actor,
  ): OdooRecord[] {
    const ids = rows.map((r) => r[0] as number);
    const names = new Map<string, Map<number, string>>();
    const lists = new Map<string, Map<number, number[]>>();
    for (const field of fields) {
      if (field.type === 'many2one') {
        const target = field.relation;
        const column = columnAt(index, field.column);
        const wanted = rows.map((r) => r[column]).filter((v): v is number => typeof v === 'number');
        const known = names.get(target) ?? new Map<number, string>();
        names.set(target, known);
        const missing = [...new Set(wanted)].filter((id) => !known.has(id));
        if (missing.length) for (const [id, name] of this.displayNames(target, missing, actorLang(actor))) known.set(id, name);
      } else if ((field.type === 'one2many' || field.type === 'many2many') && ids.length) {
        lists.set(field.name, this.#x2manyIds(field, ids, actor));
      }
    }
    // Made at its first use: it needs the columns selected for display_name.
    let nameOf: ((row: readonly StoredValue[]) => string) | undefined;
    const positions = fields.map((f) => index.get(f.name) ?? -1);
    return rows.map((row) => {
      const id = row[0] as number;
      const record: OdooRecord = { id };
      for (let i = 0; i < fields.length; i += 1) {
        const field = fields[i]!;
        if (field.name === 'id') continue;
        if (field.name === 'display_name') {
          nameOf ??= displayNameReader(model, index);
          record.display_name = nameOf(row);
          continue;
        }
        const value = row[positions[i]!] ?? null;
        switch (field.type) {
          case 'many2one':
            record[field.name] = value === null ? false : [value, names.get(field.relation)?.get(value as number) ?? ''];
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

  /**
   * Display names of records, read as superuser (Odoo shows the name of a related record the caller cannot
   * read), in `lang` (an Odoo language code; undefined or en_US: the stored values).
   */
  displayNames(modelName: string, ids: readonly number[], lang?: string): Map<number, string> {
    const language = translationLang(lang);
    const byModel = this.#names.at(this.statements.committedDataToken());
    if (!byModel) return this.#readDisplayNames(modelName, ids, language);
    const key = language === undefined ? modelName : `${modelName} ${language}`;
    let kept = byModel.get(key);
    if (!kept) {
      kept = new Map();
      byModel.set(key, kept);
    }
    const out = new Map<number, string>();
    const missing: number[] = [];
    for (const id of ids) {
      const name = kept.get(id);
      if (name === undefined) missing.push(id);
      else out.set(id, name);
    }
    if (missing.length) {
      const read = this.#readDisplayNames(modelName, missing, language);
      for (const [id, name] of read) {
        kept.set(id, name);
        out.set(id, name);
      }
      this.#names.grew(read.size);
    }
    return out;
  }

  #readDisplayNames(modelName: string, ids: readonly number[], lang: string | undefined): Map<number, string> {
    const model = this.registry.model(modelName);
    const columns = selectColumns(model, [model.fields.get('display_name')!], lang);
    const where = idsIn('t."id"', ids);
    const rows = this.statements.allRaw({
      sql: `SELECT ${columns.sql} FROM ${ident(model.table)} t WHERE ${where.sql}`,
      params: where.params,
    });
    const nameOf = displayNameReader(model, columns.index);
    return new Map(rows.map((r) => [r[0] as number, nameOf(r)]));
  }

  /** The ids of an x2many field for many records at once, filtered by the comodel's active flag and read rules. */
  #x2manyIds(field: X2ManyFieldInfo, ids: readonly number[], actor: Actor): Map<number, number[]> {
    const comodel = this.registry.model(field.relation);
    const parts: SqlFragment[] = [];
    let from: string;
    let owner: string;
    if (field.type === 'one2many') {
      from = `${ident(comodel.table)} c`;
      owner = `c.${ident(field.inverseName)}`;
    } else {
      const link = field.link;
      from = `${ident(link.table)} l JOIN ${ident(comodel.table)} c ON c."id" = l.${ident(link.otherColumn)}`;
      owner = `l.${ident(link.ownColumn)}`;
    }
    parts.push(idsIn(owner, ids));
    if (comodel.hasActive) parts.push(sql(`c."active" = 1`));
    if (actor !== 'superuser') {
      const rule = ruleDomain(comodel, 'read', actor);
      if (rule) {
        parts.push(ruleSql(this.registry, comodel, 'c', rule, { correlated: true, lang: actorLang(actor) }));
      }
    }
    const where = andSql(parts);
    // Within one owner the inverse field is constant: leave it out of the comodel's order.
    const order = compileOrder(
      this.registry,
      comodel,
      'c',
      withoutOrderTerm(comodel.order, field.type === 'one2many' ? field.inverseName : undefined),
      undefined,
      actorLang(actor),
    );
    const rows = this.statements.all({
      sql: `SELECT ${owner} AS owner, c."id" AS id FROM ${from} WHERE ${where.sql} ORDER BY ${order}`,
      params: where.params,
    });
    const out = new Map<number, number[]>();
    for (const row of rows) {
      const list = out.get(row.owner as number);
      if (list) list.push(row.id as number);
      else out.set(row.owner as number, [row.id as number]);
    }
    return out;
  }

  /** The records as stored (every column, by name), as superuser; missing ids are left out. */
  storedRows(model: RegistryModel, ids: readonly number[]): Row[] {
    const where = idsIn('"id"', ids);
    return this.statements.all({ sql: `SELECT * FROM ${ident(model.table)} WHERE ${where.sql}`, params: where.params });
  }

  /** Reads one stored field of a record as superuser, for computes and constraints that look across a many2one. */
  relatedLookup(): RelatedLookup {
    return (modelName, id, field) => {
      const model = this.registry.model(modelName);
      const column = model.fields.get(field)?.column;
      if (!column) throw new Error(`${modelName}.${field} is not stored`);
      const row = this.statements.all(sql(`SELECT ${ident(column)} AS v FROM ${ident(model.table)} WHERE "id" = ?`, id))[0];
      return row ? (row.v ?? null) : null;
    };
  }
}

function withoutOrderTerm(order: string, field: string | undefined): string {
  if (!field) return order;
  const kept = order.split(',').filter((term) => term.trim().split(/\s+/)[0] !== field);
  return kept.length ? kept.join(',') : 'id';
}

/** The position of `column` in rows selected by selectColumns, which selected it. */
function columnAt(index: ReadonlyMap<string, number>, column: string): number {
  const at = index.get(column);
  if (at === undefined) throw new Error(`column ${column} was not selected`);
  return at;
}

/** How a row selected by selectColumns (with display_name) gives its display name; `model,id` when empty. */
function displayNameReader(model: RegistryModel, index: ReadonlyMap<string, number>): (row: readonly StoredValue[]) => string {
  const compute = model.definition.displayName;
  const positions = model.displayNameFields.map((field) => [field.name, columnAt(index, field.column)] as const);
  return (row) => {
    const name = compute
      ? compute.fn(Object.fromEntries(positions.map(([field, at]) => [field, row[at] ?? null])))
      : (row[positions[0]![1]] ?? null);
    return name === null || name === '' ? `${model.name},${row[0] as number}` : String(name);
  };
}

/**
 * The SELECT list for reading `fields` (id first, and the rec name for display_name), with each column's
 * position; in `lang` (see translationLang), translatable fields read their value in it, else en_US.
 */
function selectColumns(
  model: RegistryModel,
  fields: readonly FieldInfo[],
  lang: string | undefined,
): { sql: string; index: Map<string, number> } {
  const columns = new Set<string>(['id']);
  for (const field of fields) {
    if (field.column) columns.add(field.column);
    if (field.name === 'display_name') for (const depend of model.displayNameFields) columns.add(depend.column);
  }
  const list = [...columns];
  const select = (column: string) => {
    const field = lang === undefined ? undefined : model.fields.get(column);
    return field && isTranslated(field) ? fieldSql(field, 't', lang) : `t.${ident(column)}`;
  };
  return { sql: list.map(select).join(', '), index: new Map(list.map((c, i) => [c, i])) };
}

/** The language whose translations the actor reads and writes (undefined: en_US, and always for the superuser). */
export function actorLang(actor: Actor): string | undefined {
  return actor === 'superuser' ? undefined : translationLang(actor.lang);
}

/** `ctx` with the caller's language, when it is not en_US. */
function inLang(ctx: CompileContext, lang: string | undefined): CompileContext {
  return lang === undefined ? ctx : { ...ctx, lang };
}
