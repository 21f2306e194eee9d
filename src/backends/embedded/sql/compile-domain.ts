/**
 * Compiles a normalised Odoo domain into a parameterised SQLite WHERE clause for one model.
 *
 * Semantics follow Odoo 17 (odoo/osv/expression.py) as pinned down in docs/rest-contract.md: `= False` and
 * `in [False, ..]` match unset values, the negative operators match unset values too, like/ilike wrap
 * the value in `%`, a string compared with a relational field matches the comodel's display name,
 * dotted paths become sub-queries through many2one and x2many fields, `child_of`/`parent_of` walk
 * `parent_id`, and `!` is pushed down into the leaves as Odoo's distribute_not does.
 *
 * Sub-queries on other models carry that model's read rules for the caller (so a dotted path, a name
 * or an x2many match cannot probe hidden records), are refused when the caller has no read access right
 * on that model, and, for x2many paths, carry its `active` filter. `child_of` / `parent_of` on an x2many
 * field make the same checks as `in` on it: only related records the caller may read count.
 *
 * A statement may need at most `MAX_DOMAIN_JOINS` sub-queries for the caller's domain (the sub-queries of
 * rule domains are not counted): compiling stops, before any SQL is prepared, at the first one beyond.
 * Errors are InvalidQueryError (400) naming the leaf or the limit, or AccessError (403) for a field or a
 * model the caller may not read.
 */
import { MAX_DOMAIN_JOINS } from '../../../domain/domain-cost.js';
import type { DomainLeaf, DomainNode, DomainValue } from '../../../domain/types.js';
import { printPythonLiteral } from '../../../domain/print-domain.js';
import { AccessError, InvalidQueryError } from '../../errors.js';
import type { FieldInfo, ModelInfo, Registry } from '../registry.js';
import {
  SQL_FALSE, SQL_TRUE, andSql, ident, notSql, orSql, placeholders, sql, type SqlFragment,
} from './sql-fragment.js';

/** What the compiler needs to know about who searches. */
export interface CompileContext {
  readonly registry: Registry;
  /**
   * The read-rule domain of `model` for the caller, or null when nothing restricts it (or when
   * compiling as superuser). Used for sub-queries on related models.
   */
  ruleDomain(model: string): DomainNode | null;
  /** Whether the caller may read this field (field-level `groups`). */
  canReadField(field: FieldInfo): boolean;
  /**
   * Throws an AccessError when the caller has no read access right on `model`: a domain may not go
   * through a model the caller cannot read (Odoo's `_search` checks the right). Absent: no check.
   */
  checkReadAccess?(model: ModelInfo): void;
}

const NEGATION: Readonly<Record<string, DomainLeaf['operator']>> = {
  '<': '>=', '>': '<=', '<=': '>', '>=': '<', '=': '!=', '!=': '=', '<>': '=',
  in: 'not in', 'not in': 'in', like: 'not like', 'not like': 'like',
  ilike: 'not ilike', 'not ilike': 'ilike', any: 'not any', 'not any': 'any',
};

const NUMERIC_TYPES = new Set(['integer', 'float', 'monetary']);
const TEXT_TYPES = new Set(['char', 'text', 'html', 'selection']);

export interface CompileOptions {
  /**
   * Write many2one sub-queries as correlated `EXISTS (... WHERE s.id = t.col ...)`: one primary-key
   * probe per outer row. Right when the outer rows are few and known (reading x2many ids, checking
   * rules on given ids); the default `IN (SELECT ...)` suits searches over a whole table.
   */
  readonly correlated?: boolean;
}

/** What the compilers of one statement share. */
interface StatementState {
  /** Aliases given so far, so nested sub-queries never reuse one. */
  aliases: number;
  /** Sub-queries the caller's domain needed so far (rule domains not counted). */
  subqueries: number;
}

export class DomainCompiler {
  readonly #state: StatementState;
  /** False for the compilers of rule domains: their sub-queries are ours, not the caller's. */
  readonly #counted: boolean;
  constructor(
    private readonly ctx: CompileContext,
    private readonly options: CompileOptions = {},
    state: StatementState = { aliases: 0, subqueries: 0 },
    counted = true,
  ) {
    this.#state = state;
    this.#counted = counted;
  }

  /** A compiler for another context (rule domains run as superuser) in the same statement. */
  #derived(ctx: CompileContext): DomainCompiler {
    return new DomainCompiler(ctx, this.options, this.#state, false);
  }

  /**
   * Counts one more sub-query of the caller's domain, refusing the one beyond `MAX_DOMAIN_JOINS`: the
   * structural bound (src/domain/domain-cost.ts) cannot see the sub-queries only field types reveal
   * (an x2many compared with ids, a name matched on a relation, a hierarchy), so 500 such leaves would
   * otherwise cost as much as the longest paths.
   */
  #countSubquery(): void {
    if (!this.#counted) return;
    this.#state.subqueries += 1;
    if (this.#state.subqueries > MAX_DOMAIN_JOINS) {
      throw new InvalidQueryError(
        `domain too complex: it needs ${MAX_DOMAIN_JOINS + 1} sub-queries or more (one per relation a path or 'any' crosses, and per x2many, name, child_of or parent_of match), at most ${MAX_DOMAIN_JOINS}`,
      );
    }
  }

  /** WHERE clause for `node` over `model` aliased as `alias`. */
  compile(model: ModelInfo, alias: string, node: DomainNode): SqlFragment {
    switch (node.kind) {
      case 'true':
        return SQL_TRUE;
      case 'false':
        return SQL_FALSE;
      case 'and':
        return andSql(this.#mergeMany2onePaths(model, node.kind, node.children).map((c) => this.compile(model, alias, c)));
      case 'or':
        return orSql(this.#mergeMany2onePaths(model, node.kind, node.children).map((c) => this.compile(model, alias, c)));
      case 'not': {
        const child = node.child;
        if (child.kind === 'leaf' && NEGATION[child.operator]) {
          return this.compile(model, alias, { ...child, operator: NEGATION[child.operator]! });
        }
        if (child.kind === 'not') return this.compile(model, alias, child.child);
        // De Morgan, as Odoo's distribute_not: negations end on leaves, where they keep unset values.
        if (child.kind === 'and' || child.kind === 'or') {
          const children = child.children.map((c): DomainNode => ({ kind: 'not', child: c }));
          return this.compile(model, alias, { kind: child.kind === 'and' ? 'or' : 'and', children });
        }
        return notSql(this.compile(model, alias, child));
      }
      case 'leaf':
        return this.#leaf(model, alias, node);
    }
  }

  /**
   * Odoo's path merging: sibling leaves that go through the same many2one (`order_id.company_id = False`
   * OR `order_id.company_id in [..]`) become one `any` leaf, so they cost one sub-query instead of one
   * each. Exact for many2one, which has a single target.
   */
  #mergeMany2onePaths(model: ModelInfo, kind: 'and' | 'or', children: readonly DomainNode[]): DomainNode[] {
    const groups = new Map<string, DomainLeaf[]>();
    for (const child of children) {
      if (child.kind !== 'leaf') continue;
      const dot = child.path.indexOf('.');
      if (dot < 0 || model.fields.get(child.path.slice(0, dot))?.type !== 'many2one') continue;
      const head = child.path.slice(0, dot);
      groups.set(head, [...(groups.get(head) ?? []), child]);
    }
    if (![...groups.values()].some((g) => g.length > 1)) return [...children];
    const out: DomainNode[] = [];
    const emitted = new Set<string>();
    for (const child of children) {
      const head = child.kind === 'leaf' ? child.path.split('.')[0]! : '';
      const group = groups.get(head);
      if (!group || group.length < 2 || !group.includes(child as DomainLeaf)) {
        out.push(child);
      } else if (!emitted.has(head)) {
        emitted.add(head);
        const inner = group.map((leaf): DomainNode => ({ ...leaf, path: leaf.path.slice(head.length + 1) }));
        out.push({ kind: 'leaf', path: head, operator: 'any', value: { kind, children: inner } });
      }
    }
    return out;
  }

  /**
   * `<alias>.id IN (SELECT id FROM model WHERE rules AND domain)`-style sub-query over `model`; `where`
   * adds a condition written in SQL on the sub-query's alias.
   */
  subquery(
    model: ModelInfo,
    node: DomainNode,
    options: { activeTest: boolean; select?: string; correlateWith?: string; where?: (alias: string) => SqlFragment },
  ): SqlFragment {
    this.#countSubquery();
    this.ctx.checkReadAccess?.(model);
    const alias = this.#newAlias();
    const parts: SqlFragment[] = [this.compile(model, alias, node)];
    if (options.where) parts.push(options.where(alias));
    if (options.activeTest && model.hasActive && !mentionsActive(node)) {
      parts.push(sql(`${alias}."active" = 1`));
    }
    const rule = this.ctx.ruleDomain(model.name);
    if (rule) parts.push(this.#derived(superuserContext(this.ctx.registry)).compile(model, alias, rule));
    const select = options.select ?? 'id';
    if (options.correlateWith) parts.unshift(sql(`${alias}.${ident(select)} = ${options.correlateWith}`));
    const where = andSql(parts);
    if (options.correlateWith) {
      return { sql: `EXISTS (SELECT 1 FROM ${ident(model.table)} ${alias} WHERE ${where.sql})`, params: where.params };
    }
    return {
      sql: `SELECT ${alias}.${ident(select)} FROM ${ident(model.table)} ${alias} WHERE ${where.sql}`,
      params: where.params,
    };
  }

  #newAlias(): string {
    this.#state.aliases += 1;
    return `s${this.#state.aliases}`;
  }

  #field(model: ModelInfo, name: string, leaf: DomainLeaf): FieldInfo {
    const field = model.fields.get(name === 'display_name' ? model.recName : name);
    if (!field || field.internal) {
      throw new InvalidQueryError(`Invalid field ${model.name}.${name} in leaf ${printLeaf(leaf)}`);
    }
    if (!this.ctx.canReadField(field)) {
      throw new AccessError(`You do not have enough rights to access the field "${name}" on ${model.description} (${model.name}).`);
    }
    return field;
  }

  #leaf(model: ModelInfo, alias: string, leaf: DomainLeaf): SqlFragment {
    const [head, ...rest] = leaf.path.split('.');
    const field = this.#field(model, head!, leaf);
    const registry = this.ctx.registry;

    if (rest.length > 0 || leaf.operator === 'any' || leaf.operator === 'not any') {
      if (!field.relation || !['many2one', 'one2many', 'many2many'].includes(field.type)) {
        throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: ${model.name}.${field.name} is not a relational field`);
      }
      const comodel = registry.model(field.relation);
      let inner: DomainNode;
      let negate = false;
      if (rest.length > 0) {
        inner = { ...leaf, path: rest.join('.') };
      } else {
        inner = leaf.value as DomainNode;
        negate = leaf.operator === 'not any';
      }
      const matched = this.#relatedIn(field, alias, comodel, inner);
      return negate ? notIn(matched, field, alias) : matched;
    }

    switch (leaf.operator) {
      case 'child_of':
      case 'parent_of':
        return this.#hierarchy(model, alias, field, leaf);
      default:
        break;
    }
    if (field.type === 'many2one' || field.type === 'one2many' || field.type === 'many2many') {
      return this.#relationalLeaf(alias, field, leaf);
    }
    if (field.type === 'binary') {
      throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: binary field ${field.name} cannot be searched`);
    }
    if (!field.column) {
      throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: ${field.name} is not stored`);
    }
    return scalarLeaf(`${alias}.${ident(field.column)}`, field, leaf);
  }

  /** Records whose relational `field` points at some record of `comodel` matching `inner`. */
  #relatedIn(field: FieldInfo, alias: string, comodel: ModelInfo, inner: DomainNode): SqlFragment {
    if (field.type === 'many2one') {
      const column = `${alias}.${ident(field.column!)}`;
      if (this.options.correlated) return this.subquery(comodel, inner, { activeTest: false, correlateWith: column });
      const sub = this.subquery(comodel, inner, { activeTest: false });
      return { sql: `${column} IN (${sub.sql})`, params: sub.params };
    }
    if (field.type === 'one2many') {
      const sub = this.subquery(comodel, inner, { activeTest: true, select: field.inverseName! });
      return { sql: `${alias}."id" IN (${sub.sql})`, params: sub.params };
    }
    const link = field.link!;
    const sub = this.subquery(comodel, inner, { activeTest: true });
    return {
      sql: `${alias}."id" IN (SELECT ${ident(link.ownColumn)} FROM ${ident(link.table)} WHERE ${ident(link.otherColumn)} IN (${sub.sql}))`,
      params: sub.params,
    };
  }

  #relationalLeaf(alias: string, field: FieldInfo, leaf: DomainLeaf): SqlFragment {
    const comodel = this.ctx.registry.model(field.relation!);
    const { operator } = leaf;
    const values = Array.isArray(leaf.value) ? (leaf.value as DomainValue[]) : [leaf.value as DomainValue];
    const isNegative = ['!=', '<>', 'not in', 'not like', 'not ilike'].includes(operator);
    const hasFalse = values.some((v) => v === false || v === null);
    const names = values.filter((v): v is string => typeof v === 'string');
    const ids = values.filter((v): v is number => typeof v === 'number');
    for (const v of values) {
      if (typeof v === 'number' && !Number.isInteger(v)) badValue(leaf, field, v);
      if (Array.isArray(v) || v === true) badValue(leaf, field, v);
    }

    // A string, or a pattern operator: match the comodel's display name (Odoo's _name_search).
    const nameOperators = ['like', 'not like', 'ilike', 'not ilike', '=like', '=ilike'];
    if (nameOperators.includes(operator) || (names.length > 0 && ids.length === 0 && !hasFalse)) {
      if (operator === '=?' && values.every((v) => v === false || v === null)) return SQL_TRUE;
      const positive = isNegative ? NEGATION[operator]! : operator === '=?' ? '=' : operator;
      const recName = comodel.fields.get(comodel.recName)!;
      const nameLeaf: DomainLeaf = { kind: 'leaf', path: recName.name, operator: positive, value: leaf.value };
      const matched = this.#relatedIn(field, alias, comodel, nameLeaf);
      return isNegative ? notIn(matched, field, alias) : matched;
    }
    if (['<', '>', '<=', '>='].includes(operator)) {
      if (field.type !== 'many2one') throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: operator ${operator} on a ${field.type} field`);
      return scalarLeaf(`${alias}.${ident(field.column!)}`, { ...field, type: 'integer' }, leaf);
    }
    if (names.length > 0) {
      throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: mix of ids and names`);
    }
    if (operator === '=?' && hasFalse) return SQL_TRUE;

    if (field.type === 'many2one') {
      const asInteger: FieldInfo = { ...field, type: 'integer' };
      return scalarLeaf(`${alias}.${ident(field.column!)}`, asInteger, leaf);
    }
    // x2many against ids: "has a related record among ids" (or, with False, "has none").
    const related = (idList: number[]): SqlFragment => this.#holding(field, alias, comodel, { kind: 'leaf', path: 'id', operator: 'in', value: idList });
    const anyRelated = (): SqlFragment => this.#holding(field, alias, comodel, { kind: 'true' });
    const positive = orSql([ids.length ? related(ids) : SQL_FALSE, hasFalse ? notSql(anyRelated()) : SQL_FALSE]);
    return isNegative ? notSql(positive) : positive;
  }

  /**
   * Records whose x2many `field` holds a record of `comodel` matching `inner` (and `where`, SQL on the
   * comodel's alias), as `in` compares an x2many with ids. Only related records the caller may read
   * count, as only those are listed when the field is read: otherwise `[('child_ids', 'in', [hidden id])]`,
   * `('child_ids', '!=', False)` or `('child_ids', 'child_of', [hidden id])` would tell about hidden records;
   * and the caller needs the read right on the comodel.
   */
  #holding(field: FieldInfo, alias: string, comodel: ModelInfo, inner: DomainNode, where?: (alias: string) => SqlFragment): SqlFragment {
    if (field.type === 'one2many') {
      const inverse: DomainLeaf = { kind: 'leaf', path: field.inverseName!, operator: '!=', value: false };
      const sub = this.subquery(comodel, { kind: 'and', children: [inner, inverse] }, { activeTest: false, select: field.inverseName!, where });
      return { sql: `${alias}."id" IN (${sub.sql})`, params: sub.params };
    }
    const link = field.link!;
    const sub = this.subquery(comodel, inner, { activeTest: false, where });
    return {
      sql: `${alias}."id" IN (SELECT ${ident(link.ownColumn)} FROM ${ident(link.table)} WHERE ${ident(link.otherColumn)} IN (${sub.sql}))`,
      params: sub.params,
    };
  }

  #hierarchy(model: ModelInfo, alias: string, field: FieldInfo, leaf: DomainLeaf): SqlFragment {
    const registry = this.ctx.registry;
    const target = field.name === 'id' ? model : field.relation ? registry.model(field.relation) : undefined;
    if (!target || (field.name !== 'id' && !['many2one', 'one2many', 'many2many'].includes(field.type))) {
      throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: ${leaf.operator} needs a relational field or id`);
    }
    const parent = target.fields.get('parent_id');
    const values = Array.isArray(leaf.value) ? (leaf.value as DomainValue[]) : [leaf.value as DomainValue];
    const startIds: SqlFragment[] = [];
    const ids = values.filter((v): v is number => typeof v === 'number' && Number.isInteger(v));
    const names = values.filter((v): v is string => typeof v === 'string');
    if (ids.length + names.length !== values.length) badValue(leaf, field, leaf.value as DomainValue);
    if (ids.length) startIds.push(sql(`"id" IN (${placeholders(ids).sql})`, ...ids));
    if (names.length) {
      const recName = target.fields.get(target.recName)!;
      // Names are looked up among the records the caller may read (Odoo's _name_search), so that a name
      // cannot reveal a hidden record through its visible relatives.
      const byName: DomainNode = { kind: 'or', children: names.map((n): DomainNode => ({ kind: 'leaf', path: recName.name, operator: 'ilike', value: n })) };
      const sub = this.subquery(target, byName, { activeTest: false });
      startIds.push({ sql: `"id" IN (${sub.sql})`, params: sub.params });
    }
    const start = orSql(startIds);
    const table = ident(target.table);
    this.#countSubquery();
    let hierarchy: SqlFragment;
    if (!parent || parent.relation !== target.name) {
      // No hierarchy on this model: child_of / parent_of mean the records themselves, as in Odoo.
      hierarchy = { sql: `SELECT "id" FROM ${table} WHERE ${start.sql}`, params: start.params };
    } else if (leaf.operator === 'child_of') {
      hierarchy = {
        sql: `WITH RECURSIVE h(id) AS (SELECT "id" FROM ${table} WHERE ${start.sql} UNION SELECT c."id" FROM ${table} c JOIN h ON c."parent_id" = h.id) SELECT id FROM h`,
        params: start.params,
      };
    } else {
      hierarchy = {
        sql: `WITH RECURSIVE h(id) AS (SELECT "id" FROM ${table} WHERE ${start.sql} UNION SELECT p."parent_id" FROM ${table} p JOIN h ON p."id" = h.id WHERE p."parent_id" IS NOT NULL) SELECT id FROM h`,
        params: start.params,
      };
    }
    // As `in` with the ids the hierarchy reaches: on `id` and a many2one, a comparison of the column (the
    // walk itself ignores rules, as Odoo's child_of_domain walks with sudo); on an x2many, only related
    // records the caller may read count, as for `in`.
    if (field.name === 'id') return { sql: `${alias}."id" IN (${hierarchy.sql})`, params: hierarchy.params };
    if (field.type === 'many2one') return { sql: `${alias}.${ident(field.column!)} IN (${hierarchy.sql})`, params: hierarchy.params };
    return this.#holding(field, alias, target, { kind: 'true' }, (related) => ({ sql: `${related}."id" IN (${hierarchy.sql})`, params: hierarchy.params }));
  }
}

/** Negation of a relational "points into" match that, like Odoo's negative operators, keeps unset values. */
function notIn(matched: SqlFragment, field: FieldInfo, alias: string): SqlFragment {
  if (field.type === 'many2one') {
    return { sql: `(${alias}.${ident(field.column!)} IS NULL OR NOT (${matched.sql}))`, params: matched.params };
  }
  return notSql(matched);
}

/** A leaf on a stored scalar column (or a many2one column compared with ids). */
function scalarLeaf(column: string, field: FieldInfo, leaf: DomainLeaf): SqlFragment {
  const { operator } = leaf;
  const value = leaf.value as DomainValue;
  const isBoolean = field.type === 'boolean';
  const unset = isBoolean ? `(${column} IS NULL OR ${column} = 0)` : `${column} IS NULL`;
  const set = isBoolean ? `${column} = 1` : `${column} IS NOT NULL`;
  const isEmpty = (v: DomainValue) => v === null || (v === false && !isBoolean);

  switch (operator) {
    case '=?':
      if (value === false || value === null) return SQL_TRUE;
      return scalarLeaf(column, field, { ...leaf, operator: '=' });
    case '=':
      if (isEmpty(value) || (isBoolean && value === false)) return sql(unset);
      return sql(`${column} = ?`, toSql(field, value, leaf));
    case '!=':
    case '<>':
      if (isEmpty(value) || (isBoolean && value === false)) return sql(set);
      if (isBoolean) return sql(unset); // != True
      return sql(`(${column} != ? OR ${column} IS NULL)`, toSql(field, value, leaf));
    case '<':
    case '>':
    case '<=':
    case '>=':
      if (value === false || value === null) return SQL_FALSE;
      return sql(`${column} ${operator} ?`, toSql(field, value, leaf));
    case 'in':
    case 'not in': {
      const list = value as DomainValue[];
      const hasEmpty = list.some((v) => v === false || v === null);
      const concrete = list.filter((v) => !(v === null || v === false) || isBoolean);
      const converted = [...new Set(concrete.map((v) => toSql(field, v, leaf)))];
      const parts: SqlFragment[] = [];
      if (converted.length) parts.push(sql(`${column} IN (${placeholders(converted).sql})`, ...converted));
      if (hasEmpty) parts.push(sql(unset));
      const positive = orSql(parts);
      if (operator === 'in') return positive;
      // not in: Odoo 17 also matches unset values unless False is in the list.
      if (!converted.length) return hasEmpty ? sql(set) : SQL_TRUE;
      const notIn = sql(`${column} NOT IN (${placeholders(converted).sql})`, ...converted);
      return hasEmpty ? andSql([notIn, sql(set)]) : orSql([notIn, sql(`${column} IS NULL`)]);
    }
    case 'like':
    case 'not like':
    case 'ilike':
    case 'not ilike':
    case '=like':
    case '=ilike': {
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: operator ${operator} needs a string value`);
      }
      const text = String(value);
      const wrap = !operator.startsWith('=');
      const pattern = wrap ? `%${text}%` : text;
      const insensitive = operator.includes('ilike');
      const target = TEXT_TYPES.has(field.type) ? column : `CAST(${column} AS TEXT)`;
      let match: SqlFragment;
      if (insensitive) {
        match = /[^\x00-\x7f]/.test(pattern)
          ? sql(`unicode_lower(${target}) LIKE ? ESCAPE '\\'`, pattern.toLowerCase())
          : sql(`${target} LIKE ? ESCAPE '\\'`, pattern);
      } else {
        match = sql(`${target} GLOB ?`, likePatternToGlob(pattern));
      }
      if (operator.startsWith('not')) return sql(`(${column} IS NULL OR NOT (${match.sql}))`, ...match.params);
      return match;
    }
    default:
      throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: operator ${operator} does not apply to ${field.type} field ${field.name}`);
  }
}

/** Converts a domain value to the value stored in SQLite for `field`, or throws naming the leaf. */
function toSql(field: FieldInfo, value: DomainValue, leaf: DomainLeaf): string | number {
  if (Array.isArray(value) || value === null) badValue(leaf, field, value);
  if (field.type === 'boolean') {
    if (value === true || value === 1) return 1;
    if (value === false || value === 0) return 0;
    badValue(leaf, field, value);
  }
  if (NUMERIC_TYPES.has(field.type)) {
    if (typeof value === 'number') return value;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
    badValue(leaf, field, value);
  }
  if (field.type === 'date' || field.type === 'datetime') {
    if (typeof value !== 'string') badValue(leaf, field, value);
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(value)) {
      const normalised = value.replace('T', ' ');
      return field.type === 'date' ? normalised.slice(0, 10) : normalised.length === 16 ? `${normalised}:00` : normalised;
    }
    badValue(leaf, field, value);
  }
  if (typeof value === 'boolean') badValue(leaf, field, value);
  return typeof value === 'number' ? String(value) : value;
}

function badValue(leaf: DomainLeaf, field: FieldInfo, value: unknown): never {
  throw new InvalidQueryError(
    `Invalid leaf ${printLeaf(leaf)}: ${printPythonLiteral(value as DomainValue)} is not a valid value for ${field.type} field ${field.name}`,
  );
}

/** PostgreSQL LIKE pattern (with `\` escapes) to an SQLite GLOB pattern, for case-sensitive `like`. */
export function likePatternToGlob(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      out += globLiteral(pattern[i + 1]!);
      i += 1;
    } else if (ch === '%') out += '*';
    else if (ch === '_') out += '?';
    else out += globLiteral(ch);
  }
  return out;
}

function globLiteral(ch: string): string {
  return ch === '*' || ch === '?' || ch === '[' ? `[${ch}]` : ch;
}

function mentionsActive(node: DomainNode): boolean {
  switch (node.kind) {
    case 'leaf':
      return node.path === 'active' || node.path.startsWith('active.');
    case 'and':
    case 'or':
      return node.children.some(mentionsActive);
    case 'not':
      return mentionsActive(node.child);
    default:
      return false;
  }
}

export { mentionsActive };

function printLeaf(leaf: DomainLeaf): string {
  const value = leaf.operator === 'any' || leaf.operator === 'not any' ? '[...]' : printPythonLiteral(leaf.value as DomainValue);
  return `('${leaf.path}', '${leaf.operator}', ${value})`;
}

/** A compile context with no rules and every field readable: for rule domains and internal queries. */
export function superuserContext(registry: Registry): CompileContext {
  return { registry, ruleDomain: () => null, canReadField: () => true };
}
