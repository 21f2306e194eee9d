/**
 * Compiles a normalised Odoo domain into a parameterised SQLite WHERE clause for one model.
 *
 * Semantics follow Odoo 17 (odoo/osv/expression.py) as pinned down in docs/rest-contract.md: `= False` and
 * `in [False, ..]` match unset values, the negative operators match unset values too (with a non-empty
 * value), like/ilike wrap the value in `%` (False/None as ''), a string compared with a relational field
 * goes through the comodel's name search (`nameSearch`, model-definition.ts), `child_of`/`parent_of` walk
 * `parent_id` (or the field itself, see `#hierarchy`), a `display_name` leaf is dropped (matches every
 * record: not stored, no search method in Odoo 17), a Char `size` cuts compared values, a translatable
 * field compares its value in the caller's language (`CompileContext.lang`), and a (sub-)domain Odoo's
 * `is_false()` proves false answers nothing (`isProvedFalse`).
 *
 * Before compiling, each domain is prepared as Odoo's `domain_combine_anies` prepares it (`#prepare`):
 * - a dotted path becomes `any` on its first field (`country_id.code = 'FR'` is
 *   `country_id any [code = 'FR']`, whatever the operator), so `!` over it is `not any`: "has no related
 *   record matching", which holds for an empty many2one and for an x2many with no matching record;
 * - `!` is pushed down to the leaves (De Morgan, negating leaf operators); it stays as SQL `NOT` only over
 *   the operators Odoo cannot negate (`=like`, `=ilike`, `=?`, `child_of`, `parent_of`);
 * - `any` / `not any` leaves on one field are merged as Odoo merges them (under `|`: every `any`, and
 *   `not any` on a many2one; under `&`: every `not any`, and `any` on a many2one), so one sub-query is
 *   made where Odoo makes one, with the same `active` filter (a merged sub-domain that mentions `active`
 *   has none).
 *
 * Sub-queries on other models carry that model's read rules for the caller (so a dotted path, a name
 * or an x2many match cannot probe hidden records), are refused when the caller has no read access right
 * on that model, and carry its `active` filter when Odoo's sub-search does: x2many sub-searches and name
 * look-ups run in the current context, many2one sub-searches with `active_test=False`, which then holds
 * for every sub-search nested in them (`partner_id.child_ids.name` sees archived contacts).
 * `child_of` / `parent_of` on an x2many field make the same checks as `in` on it: only related records
 * the caller may read count.
 *
 * A statement may need at most `MAX_DOMAIN_JOINS` sub-queries for the caller's domain (the sub-queries of
 * rule domains are not counted): compiling stops, before any SQL is prepared, at the first one beyond.
 * Errors are InvalidQueryError (400) naming the leaf or the limit, or AccessError (403) for a field or a
 * model the caller may not read.
 */
import { MAX_DOMAIN_JOINS } from '../../../domain/domain-cost.js';
import type { DomainLeaf, DomainNode, DomainValue } from '../../../domain/types.js';
import { printPythonLiteral } from '../../../domain/print-domain.js';
import { normalizeDomain } from '../../../domain/normalize-domain.js';
import type { NameSearchOperator } from '../model-definition.js';
import { AccessError, InvalidQueryError } from '../../errors.js';
import {
  isRelational,
  type FieldInfo,
  type RegistryModel,
  type RelationalFieldInfo,
  type Registry,
  type ScalarFieldInfo,
  type X2ManyFieldInfo,
} from '../registry.js';
import { fieldSql } from '../i18n/translated-sql.js';
import { SQL_FALSE, SQL_TRUE, andSql, ident, notSql, orSql, placeholders, sql, type SqlFragment } from './sql-fragment.js';

/** What the compiler needs to know about who searches. */
export interface CompileContext {
  readonly registry: Registry;
  /**
   * The read-rule domain of `model` for the caller, or null when nothing restricts it (or when
   * compiling as superuser). Used for sub-queries on related models.
   */
  ruleDomain(model: string): DomainNode | null;
  /** Whether the caller may read this field (field-level `groups`); a function that needs no `this`. */
  readonly canReadField: (field: FieldInfo) => boolean;
  /**
   * Throws an AccessError when the caller has no read access right on `model`: a domain may not go
   * through a model the caller cannot read (Odoo's `_search` checks the right). Absent: no check.
   */
  checkReadAccess?(model: RegistryModel): void;
  /**
   * The caller's language when it is not en_US (see i18n/languages.ts `translationLang`): translatable
   * fields compare in it, falling back to en_US, as Odoo 17's `COALESCE(name->>'fr_FR', name->>'en_US')`.
   * Absent: every field compares its column.
   */
  readonly lang?: string;
}

/** Odoo's TERM_OPERATORS_NEGATION: the leaf operators `!` turns into another operator. */
const NEGATION: Readonly<Record<string, DomainLeaf['operator']>> = {
  '<': '>=',
  '>': '<=',
  '<=': '>',
  '>=': '<',
  '=': '!=',
  '!=': '=',
  '<>': '=',
  in: 'not in',
  'not in': 'in',
  like: 'not like',
  'not like': 'like',
  ilike: 'not ilike',
  'not ilike': 'ilike',
  any: 'not any',
  'not any': 'any',
};

const NUMERIC_TYPES = new Set(['integer', 'float', 'monetary']);
const TEXT_TYPES = new Set(['char', 'text', 'html', 'selection']);
const LIKE_OPERATORS: ReadonlySet<string> = new Set(['like', 'not like', 'ilike', 'not ilike', '=like', '=ilike']);

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

/** One step of a hierarchy walk, along a many2one column of a model to itself. */
interface WalkStep {
  /** The many2one column to the model itself (`parent_id`, or the inverse of a one2many). */
  readonly column: string;
  /** `down`: the next records are those whose column points into the set; `up`: the set's column values. */
  readonly direction: 'down' | 'up';
  /** Going down: only records in this `SELECT id` carry the walk on (the one2many's field domain). */
  readonly only?: SqlFragment;
  /**
   * Only records the caller may read carry the walk on (the record whose column is followed): for a
   * one2many to the model itself, each step is an `in` on that one2many, which only counts readable records.
   */
  readonly readableOnly?: boolean;
}

export class DomainCompiler {
  readonly #state: StatementState;
  /** False for the compilers of rule domains: their sub-queries are ours, not the caller's. */
  readonly #counted: boolean;
  /**
   * Odoo's `active_test` context of the search being compiled: whether its x2many sub-searches and name
   * look-ups leave archived records out. False inside a many2one sub-search (Odoo runs those with
   * `active_test=False`, and the context carries on into what they nest).
   */
  readonly #activeTest: boolean;
  constructor(
    private readonly ctx: CompileContext,
    private readonly options: CompileOptions = {},
    state: StatementState = { aliases: 0, subqueries: 0 },
    counted = true,
    activeTest = true,
  ) {
    this.#state = state;
    this.#counted = counted;
    this.#activeTest = activeTest;
  }

  /** A compiler for another context (rule domains run as superuser) in the same statement. */
  #derived(ctx: CompileContext, activeTest = this.#activeTest): DomainCompiler {
    // Odoo compiles rule domains into the caller's query: in the caller's language.
    const inLang = this.ctx.lang === undefined ? ctx : { ...ctx, lang: this.ctx.lang };
    return new DomainCompiler(inLang, this.options, this.#state, false, activeTest);
  }

  /** This compiler, or one like it whose searches run with `active_test` set to `activeTest`. */
  #withActiveTest(activeTest: boolean): DomainCompiler {
    return activeTest === this.#activeTest ? this : new DomainCompiler(this.ctx, this.options, this.#state, this.#counted, activeTest);
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
  compile(model: RegistryModel, alias: string, node: DomainNode): SqlFragment {
    return this.#compileNode(model, alias, this.#prepare(model, node, false));
  }

  /** Compiles a tree `#prepare` made: `not` is left only over leaves whose operator has no negation. */
  #compileNode(model: RegistryModel, alias: string, node: DomainNode): SqlFragment {
    switch (node.kind) {
      case 'true':
        return SQL_TRUE;
      case 'false':
        return SQL_FALSE;
      case 'and':
        return andSql(node.children.map((c) => this.#compileNode(model, alias, c)));
      case 'or':
        return orSql(node.children.map((c) => this.#compileNode(model, alias, c)));
      case 'not':
        return notSql(this.#compileNode(model, alias, node.child));
      case 'leaf':
        return this.#leaf(model, alias, node);
    }
  }

  /**
   * The domain as Odoo 17's `domain_combine_anies` makes it before parsing (`_anyfy_leaves`, `_tree_not`,
   * `_tree_combine_anies`), `negate` telling whether an odd number of `!` is above `node`:
   * - a leaf on a dotted path through a relational field becomes `any` on that field, with the rest of
   *   the path inside (the inside is prepared in turn when its sub-query is compiled);
   * - negation ends on the leaves: `&` and `|` swap, `TRUE` and `FALSE` swap, a leaf operator becomes its
   *   negation (`any` <-> `not any`, `in` <-> `not in`, ...), or, where there is none, `!` stays over it;
   * - under `&` and `|`, `any` / `not any` leaves on one field are merged (see `#mergeAnies`).
   */
  #prepare(model: RegistryModel, node: DomainNode, negate: boolean): DomainNode {
    switch (node.kind) {
      case 'true':
      case 'false':
        return negate ? { kind: node.kind === 'true' ? 'false' : 'true' } : node;
      case 'not':
        return this.#prepare(model, node.child, !negate);
      case 'and':
      case 'or': {
        const kind = negate ? (node.kind === 'and' ? 'or' : 'and') : node.kind;
        const children: DomainNode[] = [];
        for (const child of node.children) {
          const prepared = this.#prepare(model, child, negate);
          if (prepared.kind === kind) children.push(...prepared.children);
          else children.push(prepared);
        }
        return this.#mergeAnies(model, kind, children);
      }
      case 'leaf': {
        const leaf = anyfied(model, node);
        if (!negate) return leaf;
        const negated = NEGATION[leaf.operator];
        return negated ? { ...leaf, operator: negated } : { kind: 'not', child: leaf };
      }
    }
  }

  /**
   * Odoo's `_tree_combine_anies` on one `&` / `|` node: `(f any A) | (f any B)` is `f any (A | B)` and
   * `(f not any A) & (f not any B)` is `f not any (A | B)` for any relational `f`; for a many2one also
   * `(f any A) & (f any B)` is `f any (A & B)` and `(f not any A) | (f not any B)` is `f not any (A & B)`.
   * One sub-query instead of one each; and, as in Odoo, a merged sub-domain that mentions `active` drops
   * the comodel's `active` filter for all of it.
   */
  #mergeAnies(model: RegistryModel, kind: 'and' | 'or', children: readonly DomainNode[]): DomainNode {
    const groups = new Map<string, DomainLeaf[]>();
    for (const child of children) {
      if (child.kind !== 'leaf' || (child.operator !== 'any' && child.operator !== 'not any')) continue;
      const key = `${child.operator}\u0000${child.path}`;
      groups.set(key, [...(groups.get(key) ?? []), child]);
    }
    const out: DomainNode[] = [];
    const emitted = new Set<string>();
    for (const child of children) {
      const key = child.kind === 'leaf' ? `${child.operator}\u0000${child.path}` : '';
      const group = groups.get(key);
      if (!group || group.length < 2 || child.kind !== 'leaf') {
        out.push(child);
        continue;
      }
      const many2one = model.fields.get(child.path)?.type === 'many2one';
      // The sub-domains are joined with `|` where merging keeps the meaning for every field type, with `&`
      // where it does for a many2one only (a single related record); otherwise the leaves stay apart.
      const join = (child.operator === 'any') === (kind === 'or') ? 'or' : many2one ? 'and' : undefined;
      if (!join) {
        out.push(child);
      } else if (!emitted.has(key)) {
        emitted.add(key);
        const inner = group.map((leaf) => leaf.value as DomainNode);
        out.push({ kind: 'leaf', path: child.path, operator: child.operator, value: { kind: join, children: inner } });
      }
    }
    return out.length === 1 ? out[0]! : { kind, children: out };
  }

  /**
   * `<alias>.id IN (SELECT id FROM model WHERE rules AND domain)`-style sub-query over `model`; `where`
   * adds a condition written in SQL on the sub-query's alias. `activeTest` is the `active_test` context of
   * the sub-search: it leaves archived records out (unless the domain mentions `active`), and it is the
   * context of the sub-searches nested in it.
   */
  subquery(
    model: RegistryModel,
    node: DomainNode,
    options: { activeTest: boolean; select?: string; correlateWith?: string; where?: (alias: string) => SqlFragment },
  ): SqlFragment {
    this.#countSubquery();
    this.ctx.checkReadAccess?.(model);
    const alias = this.#newAlias();
    const inner = this.#withActiveTest(options.activeTest);
    const prepared = inner.#prepare(model, node, false);
    const compiled = inner.#compileNode(model, alias, prepared);
    // Odoo's _search answers nothing, without looking further, for a domain its is_false() proves false.
    const parts: SqlFragment[] = [isProvedFalse(node) ? SQL_FALSE : compiled];
    if (options.where) parts.push(options.where(alias));
    if (options.activeTest && model.hasActive && !mentionsActive(prepared)) {
      parts.push(sql(`${alias}."active" = 1`));
    }
    const rule = this.ctx.ruleDomain(model.name);
    if (rule) parts.push(this.#derived(superuserContext(this.ctx.registry), options.activeTest).compile(model, alias, rule));
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

  #field(model: RegistryModel, name: string, leaf: DomainLeaf): FieldInfo {
    const field = model.fields.get(name === 'display_name' ? model.recName : name);
    if (!field || field.internal) {
      throw new InvalidQueryError(`Invalid field ${model.name}.${name} in leaf ${printLeaf(leaf)}`);
    }
    if (!this.ctx.canReadField(field)) {
      throw new AccessError(`You do not have enough rights to access the field "${name}" on ${model.description} (${model.name}).`);
    }
    return field;
  }

  #leaf(model: RegistryModel, alias: string, leaf: DomainLeaf): SqlFragment {
    const [head, ...rest] = leaf.path.split('.');
    const field = this.#field(model, head!, leaf);
    // Odoo 17: display_name is not stored and has no search method; expression.py logs "Non-stored field
    // ... cannot be searched" and drops the leaf (an empty domain: every record matches).
    if (head === 'display_name' && rest.length === 0 && leaf.operator !== 'any' && leaf.operator !== 'not any') return SQL_TRUE;
    const registry = this.ctx.registry;

    if (rest.length > 0 || leaf.operator === 'any' || leaf.operator === 'not any') {
      if (!isRelational(field)) {
        throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: ${model.name}.${field.name} is not a relational field`);
      }
      const comodel = registry.model(field.relation);
      let inner: DomainNode;
      let negate = false;
      if (rest.length > 0) {
        // Not reached through compile(), which makes dotted paths `any` leaves; kept for direct callers.
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
    if (isRelational(field)) {
      return this.#relationalLeaf(alias, field, leaf);
    }
    if (field.type === 'binary') {
      throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: binary field ${field.name} cannot be searched`);
    }
    if (field.column === undefined) {
      throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: ${field.name} is not stored`);
    }
    return scalarLeaf(fieldSql(field, alias, this.ctx.lang), field, leaf);
  }

  /**
   * Records whose relational `field` points at some record of `comodel` matching `inner`, as Odoo's
   * `any`: a many2one sub-search runs with `active_test=False`, an x2many one in the current context.
   * A one2many's sub-query leaves out comodel records whose inverse is empty, as Odoo does, so that its
   * negation (`NOT IN`) is not emptied by a NULL.
   */
  #relatedIn(field: RelationalFieldInfo, alias: string, comodel: RegistryModel, inner: DomainNode): SqlFragment {
    if (field.type === 'many2one') {
      const column = `${alias}.${ident(field.column)}`;
      if (isProvedFalse(inner)) {
        // Odoo's sub-search answers a known empty result, which it writes `IN (NULL)`: never true, and its
        // negation (`not any`) neither, so only the records without a related record match `not any`.
        this.subquery(comodel, inner, { activeTest: false }); // the checks and the count of a sub-query
        return sql(`${column} IN (NULL)`);
      }
      if (this.options.correlated) return this.subquery(comodel, inner, { activeTest: false, correlateWith: column });
      const sub = this.subquery(comodel, inner, { activeTest: false });
      return { sql: `${column} IN (${sub.sql})`, params: sub.params };
    }
    if (field.type === 'one2many') {
      const inverse = field.inverseName;
      const sub = this.subquery(comodel, inner, {
        activeTest: this.#activeTest,
        select: inverse,
        where: (related) => sql(`${related}.${ident(inverse)} IS NOT NULL`),
      });
      return { sql: `${alias}."id" IN (${sub.sql})`, params: sub.params };
    }
    const link = field.link;
    const sub = this.subquery(comodel, inner, { activeTest: this.#activeTest });
    return {
      sql: `${alias}."id" IN (SELECT ${ident(link.ownColumn)} FROM ${ident(link.table)} WHERE ${ident(link.otherColumn)} IN (${sub.sql}))`,
      params: sub.params,
    };
  }

  #relationalLeaf(alias: string, field: RelationalFieldInfo, leaf: DomainLeaf): SqlFragment {
    const comodel = this.ctx.registry.model(field.relation);
    const { operator } = leaf;
    const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value as DomainValue];
    const isNegative = ['!=', '<>', 'not in', 'not like', 'not ilike'].includes(operator);
    const hasFalse = values.some((v) => v === false || v === null);
    const names = values.filter((v): v is string => typeof v === 'string');
    const ids = values.filter((v): v is number => typeof v === 'number');
    for (const v of values) {
      if (typeof v === 'number' && !Number.isInteger(v)) badValue(leaf, field, v);
      if (Array.isArray(v) || v === true) badValue(leaf, field, v);
    }
    // A LIKE operator with False / None: Odoo compares the column itself as text ('%%' for like, NULL for =like).
    if (LIKE_OPERATORS.has(operator) && (leaf.value === false || leaf.value === null) && field.type === 'many2one') {
      return scalarLeaf(`${alias}.${ident(field.column)}`, idColumn(field.name), leaf);
    }

    // A string, or a pattern operator: match the comodel's display name (Odoo's _name_search).
    const nameOperators = ['like', 'not like', 'ilike', 'not ilike', '=like', '=ilike'];
    if (nameOperators.includes(operator) || (names.length > 0 && ids.length === 0 && !hasFalse)) {
      if (operator === '=?' && values.every((v) => v === false || v === null)) return SQL_TRUE;
      if (field.type === 'many2one') {
        // Odoo: the names found with the operator itself (a negative one included, with active_test=False),
        // or no related record for a negative operator; `<`, `>`, ... with a name are taken as `in` (as `=`
        // with one name), `in` with one name as `=`, `=` with a list as `in`.
        let nameOperator = ['<', '>', '<=', '>='].includes(operator) ? 'in' : operator === '=?' ? '=' : operator;
        const list = Array.isArray(leaf.value);
        if (!list && (nameOperator === 'in' || nameOperator === 'not in')) nameOperator = nameOperator === 'in' ? '=' : '!=';
        else if (list && (nameOperator === '=' || nameOperator === '!=')) nameOperator = nameOperator === '=' ? 'in' : 'not in';
        const names = this.#nameIds(comodel, nameOperator as NameSearchOperator, leaf, false);
        const matched = { sql: `${alias}.${ident(field.column)} IN (${names.sql})`, params: names.params };
        return isNegative ? orSql([sql(`${alias}.${ident(field.column)} IS NULL`), matched]) : matched;
      }
      // An x2many: has a related record whose name matches, or, for a negative operator, has none whose
      // name matches the positive one.
      const positive = isNegative ? NEGATION[operator]! : operator === '=?' ? '=' : operator;
      const names = this.#nameIds(comodel, positive as NameSearchOperator, leaf, this.#activeTest);
      const matched = this.#holding(field, alias, comodel, { kind: 'true' }, (related) => ({
        sql: `${related}."id" IN (${names.sql})`,
        params: names.params,
      }));
      return isNegative ? notIn(matched, field, alias) : matched;
    }
    if (['<', '>', '<=', '>='].includes(operator)) {
      if (field.type !== 'many2one')
        throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: operator ${operator} on a ${field.type} field`);
      return scalarLeaf(`${alias}.${ident(field.column)}`, idColumn(field.name), leaf, { zeroIsNull: true });
    }
    if (names.length > 0) {
      throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: mix of ids and names`);
    }

    if (field.type === 'many2one') {
      if (operator === '=?' && hasFalse) return SQL_TRUE;
      // A many2one compared with ids: its column; 0 stands for no record, as Odoo converts it to NULL.
      return scalarLeaf(`${alias}.${ident(field.column)}`, idColumn(field.name), leaf, { zeroIsNull: true });
    }
    // An x2many compared with the value False itself (any operator, `=?` included: Odoo's x2many branches
    // never short-circuit it): "has no related record", or "has one" for a negative operator.
    if (leaf.value === false) {
      const none = notSql(this.#holding(field, alias, comodel, { kind: 'true' }));
      return isNegative ? notSql(none) : none;
    }
    // Against ids: "has a related record among ids". None, and False in a list, are no id (Odoo drops them).
    const positive = ids.length
      ? this.#holding(field, alias, comodel, { kind: 'leaf', path: 'id', operator: 'in', value: ids })
      : SQL_FALSE;
    return isNegative ? notSql(positive) : positive;
  }

  /**
   * `SELECT id` of the records of `comodel` Odoo's name search finds for the leaf's value with `operator`
   * (`_name_search`, as the caller: read rules and access right, in the `activeTest` context), as the
   * model declares it (`nameSearch`, model-definition.ts): by default its display-name field compared with
   * the operator; a list of fields joined with `|` (`&` for a negative operator); or domains tried in turn,
   * the first finding a record giving the answer.
   */
  #nameIds(comodel: RegistryModel, operator: NameSearchOperator, leaf: DomainLeaf, activeTest: boolean): SqlFragment {
    const value = leaf.value as DomainValue;
    const declared = comodel.definition.nameSearch;
    const leafOn = (path: string): DomainNode => ({ kind: 'leaf', path, operator, value });
    let steps: DomainNode[];
    if (typeof declared === 'function') {
      const name = Array.isArray(value) ? value.map((v) => String(v)) : String(value);
      steps = declared(operator, name).map((terms) => normalizeDomain([...terms]));
    } else if (value === '' && (operator === 'like' || operator === 'ilike')) {
      steps = [{ kind: 'true' }]; // Odoo leaves out the criterion of like '' that matches everything
    } else {
      const fields = (declared ?? [comodel.recName]).filter((name) => {
        const f = comodel.fields.get(name);
        // A field the caller may not read is left out of the name search rather than refusing the leaf.
        return f !== undefined && (name === comodel.recName || this.ctx.canReadField(f));
      });
      const negative = ['!=', 'not in', 'not like', 'not ilike'].includes(operator);
      const leaves = fields.map(leafOn);
      steps = [leaves.length === 1 ? leaves[0]! : { kind: negative ? 'and' : 'or', children: leaves }];
    }
    const subs = steps.map((step) => this.subquery(comodel, step, { activeTest }));
    // The first step's records, else the second's, ...: each step counts when the ones before find nothing.
    let out = subs[subs.length - 1]!;
    for (let i = subs.length - 2; i >= 0; i -= 1) {
      const first = subs[i]!;
      out = {
        sql: `SELECT * FROM (${first.sql}) UNION ALL SELECT * FROM (${out.sql}) WHERE NOT EXISTS (${first.sql})`,
        params: [...first.params, ...out.params, ...first.params],
      };
    }
    return out;
  }

  /**
   * Records whose x2many `field` holds a record of `comodel` matching `inner` (and `where`, SQL on the
   * comodel's alias), as `in` compares an x2many with ids. Only related records the caller may read
   * count, as only those are listed when the field is read: otherwise `[('child_ids', 'in', [hidden id])]`,
   * `('child_ids', '!=', False)` or `('child_ids', 'child_of', [hidden id])` would tell about hidden records;
   * and the caller needs the read right on the comodel. `activeTest`: whether archived related records are
   * left out (Odoo does for `child_of` on a many2many, not for `in`).
   */
  #holding(
    field: X2ManyFieldInfo,
    alias: string,
    comodel: RegistryModel,
    inner: DomainNode,
    where?: (alias: string) => SqlFragment,
    activeTest = false,
  ): SqlFragment {
    if (field.type === 'one2many') {
      const inverse: DomainLeaf = { kind: 'leaf', path: field.inverseName, operator: '!=', value: false };
      const sub = this.subquery(comodel, { kind: 'and', children: [inner, inverse] }, { activeTest, select: field.inverseName, where });
      return { sql: `${alias}."id" IN (${sub.sql})`, params: sub.params };
    }
    const link = field.link;
    const sub = this.subquery(comodel, inner, { activeTest, where });
    return {
      sql: `${alias}."id" IN (SELECT ${ident(link.ownColumn)} FROM ${ident(link.table)} WHERE ${ident(link.otherColumn)} IN (${sub.sql}))`,
      params: sub.params,
    };
  }

  /**
   * `child_of` / `parent_of`, as Odoo 17's expression.py (`HIERARCHY_FUNCS` and the many2one, one2many
   * and many2many branches of `parse`). The start records are the ids given, and the records the names
   * given find among those the caller may read (Odoo's `_name_search`, in the current `active_test`
   * context). From them the walk follows the comodel's `parent_id` (down for `child_of`, up for
   * `parent_of`), over all records, archived and hidden ones included (Odoo walks with sudo and
   * `active_test=False`); a model without `parent_id` has no hierarchy: the walk is the start records.
   * - `id`: the records reached.
   * - a many2one to another model: records whose field points at a record reached.
   * - a many2one to the model itself: the records reached, walking that field instead of `parent_id`
   *   (unless the model is a parent store, which always walks `parent_id`), so `parent_id child_of X` is
   *   X and its descendants.
   * - a one2many to another model: records holding a related record reached, as `in` (see `#holding`).
   * - a one2many to the model itself: the records reached walking the one2many as the parent field
   *   (unless a parent store): `child_ids child_of X` is X and the records that hold X in their
   *   `child_ids`, and theirs..., i.e. X and its ancestors; `parent_of` goes down. Each step is an `in` on
   *   the one2many, so only related records the caller may read carry the walk on.
   * - a many2many: the records reached that the caller may read and, in the current context, active
   *   (Odoo searches them as the caller); then records holding one of them, or, for a many2many to the
   *   model itself, those records themselves.
   */
  #hierarchy(model: RegistryModel, alias: string, field: FieldInfo, leaf: DomainLeaf): SqlFragment {
    const registry = this.ctx.registry;
    // The field walked along, or none for `id`.
    const relational = isRelational(field) ? field : undefined;
    if (!relational && field.name !== 'id') {
      throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: ${leaf.operator} needs a relational field or id`);
    }
    const target = relational ? registry.model(relational.relation) : model;
    const start = this.#hierarchyStart(target, field, leaf);
    if (!start) return SQL_FALSE;
    this.#countSubquery();
    const childOf = leaf.operator === 'child_of';
    const alongParent = (m: RegistryModel): WalkStep | undefined => {
      const parent = m.fields.get('parent_id');
      return parent?.type === 'many2one' && parent.relation === m.name
        ? { column: parent.column, direction: childOf ? 'down' : 'up' }
        : undefined;
    };
    const idIn = (walk: SqlFragment): SqlFragment => ({ sql: `${alias}."id" IN (${walk.sql})`, params: walk.params });
    const self = target.name === model.name;

    if (!relational) return idIn(this.#walk(target, start, alongParent(target)));
    if (relational.type === 'many2one') {
      if (self) {
        const step = target.definition.parentStore
          ? alongParent(target)
          : ({ column: relational.column, direction: childOf ? 'down' : 'up' } as const);
        return idIn(this.#walk(target, start, step));
      }
      const walk = this.#walk(target, start, alongParent(target));
      return { sql: `${alias}.${ident(relational.column)} IN (${walk.sql})`, params: walk.params };
    }
    if (relational.type === 'one2many') {
      if (self) {
        const inverse = registry.inverseOf(relational);
        const step = target.definition.parentStore
          ? alongParent(target)
          : ({
              column: inverse.column,
              direction: childOf ? 'up' : 'down',
              readableOnly: true,
              // Odoo reads the one2many to go down (`parent_of`): its field domain applies, whatever `active_test`.
              ...(!childOf && relational.domain?.length
                ? { only: this.subquery(target, normalizeDomain(relational.domain), { activeTest: false }) }
                : {}),
            } as const);
        return idIn(this.#walk(target, start, step));
      }
      const walk = this.#walk(target, start, alongParent(target));
      return this.#holding(relational, alias, target, { kind: 'true' }, (related) => ({
        sql: `${related}."id" IN (${walk.sql})`,
        params: walk.params,
      }));
    }
    const walk = this.#walk(target, start, alongParent(target));
    const reached = (related: string): SqlFragment => ({ sql: `${related}."id" IN (${walk.sql})`, params: walk.params });
    if (self) return idIn(this.subquery(target, { kind: 'true' }, { activeTest: this.#activeTest, where: reached }));
    return this.#holding(relational, alias, target, { kind: 'true' }, reached, this.#activeTest);
  }

  /**
   * The start records of a hierarchy leaf as a condition on `"id"` of `target`'s table, or null when
   * there are none (Odoo: `child_of []` and `child_of False` match nothing). Names are looked up among the
   * records the caller may read (Odoo's `_name_search`, as the caller, in the current `active_test`
   * context), so that a name cannot reveal a hidden record through its visible relatives.
   */
  #hierarchyStart(target: RegistryModel, field: FieldInfo, leaf: DomainLeaf): SqlFragment | null {
    const values = Array.isArray(leaf.value) ? leaf.value : [leaf.value as DomainValue];
    const ids = values.filter((v): v is number => typeof v === 'number' && Number.isInteger(v));
    const names = values.filter((v): v is string => typeof v === 'string');
    const empties = values.filter((v) => v === false || v === null).length;
    if (ids.length + names.length + empties !== values.length) badValue(leaf, field, leaf.value);
    const parts: SqlFragment[] = [];
    const nonZero = ids.filter((id) => id !== 0);
    if (nonZero.length) parts.push(sql(`"id" IN (${placeholders(nonZero).sql})`, ...nonZero));
    for (const name of names) {
      const sub = this.#nameIds(target, 'ilike', { ...leaf, operator: 'ilike', value: name }, this.#activeTest);
      parts.push({ sql: `"id" IN (${sub.sql})`, params: sub.params });
    }
    return parts.length ? orSql(parts) : null;
  }

  /**
   * `SELECT id ...` of the records of `model` reached from `start` (a condition on `"id"`, start records
   * included) by repeating `step`; without a step, the start records alone.
   */
  #walk(model: RegistryModel, start: SqlFragment, step: WalkStep | undefined): SqlFragment {
    const table = ident(model.table);
    if (!step) return { sql: `SELECT "id" FROM ${table} WHERE ${start.sql}`, params: start.params };
    const column = ident(step.column);
    const readable = step.readableOnly ? this.#readable(model) : null;
    const guard = (row: string): string => (readable ? ` AND ${row}."id" IN (${readable.sql})` : '');
    const only = step.only ? ` AND c."id" IN (${step.only.sql})` : '';
    const next =
      step.direction === 'down'
        ? `SELECT c."id" FROM ${table} c JOIN h ON c.${column} = h.id WHERE 1${guard('c')}${only}`
        : `SELECT p.${column} FROM ${table} p JOIN h ON p."id" = h.id WHERE p.${column} IS NOT NULL${guard('p')}`;
    return {
      sql: `WITH RECURSIVE h(id) AS (SELECT "id" FROM ${table} WHERE ${start.sql} UNION ${next}) SELECT id FROM h`,
      params: [...start.params, ...(readable?.params ?? []), ...(step.direction === 'down' ? (step.only?.params ?? []) : [])],
    };
  }

  /** `SELECT id` of the records of `model` the caller's read rules let through, or null when nothing restricts them. */
  #readable(model: RegistryModel): SqlFragment | null {
    if (!this.ctx.ruleDomain(model.name)) return null;
    return this.subquery(model, { kind: 'true' }, { activeTest: false });
  }
}

/**
 * A leaf on a dotted path through a relational field as Odoo's `_anyfy_leaves` makes it: `any` on the
 * first field, over the rest of the path with the leaf's operator and value. Other leaves as they are
 * (an unknown or non-relational first field is refused when the leaf is compiled).
 */
function anyfied(model: RegistryModel, leaf: DomainLeaf): DomainLeaf {
  const dot = leaf.path.indexOf('.');
  if (dot < 0) return leaf;
  const head = leaf.path.slice(0, dot);
  const field = model.fields.get(head);
  if (!field || field.internal || !isRelational(field)) return leaf;
  return { kind: 'leaf', path: head, operator: 'any', value: { ...leaf, path: leaf.path.slice(dot + 1) } };
}

/** Negation of a relational "points into" match that, like Odoo's negative operators, keeps unset values. */
function notIn(matched: SqlFragment, field: RelationalFieldInfo, alias: string): SqlFragment {
  if (field.type === 'many2one') {
    return { sql: `(${alias}.${ident(field.column)} IS NULL OR NOT (${matched.sql}))`, params: matched.params };
  }
  return notSql(matched);
}

/**
 * The field a scalar comparison is about: a field whose column holds its value, or a many2one's column
 * compared with ids (as an integer column; the field's name for messages).
 */
type ComparedField = ScalarFieldInfo | { readonly name: string; readonly type: 'integer' };

function idColumn(name: string): ComparedField {
  return { name, type: 'integer' };
}

interface ScalarOptions {
  /** A many2one compared with ids: 0 is converted to NULL (Odoo's `convert_to_column`), so it matches nothing. */
  readonly zeroIsNull?: boolean;
}

/** Python's truthiness of a domain value: False, None, '' and 0 are false. */
function truthy(value: DomainValue): boolean {
  return !(value === false || value === null || value === '' || value === 0);
}

/**
 * A leaf on a stored scalar column (or a many2one column compared with ids), as Odoo 17's
 * `__leaf_to_sql`: `= False` is `IS NULL`, `!= False` is `IS NOT NULL`; a negative operator with a value
 * Python finds true (not '' nor 0) also matches unset values, and so do `like` / `ilike` with an empty
 * value; on a datetime, a date alone stands for its first second, or its last one for `>` and `<=`.
 */
function scalarLeaf(column: string, field: ComparedField, leaf: DomainLeaf, options: ScalarOptions = {}): SqlFragment {
  const { operator } = leaf;
  let value = leaf.value as DomainValue;
  if (field.type === 'datetime' && typeof value === 'string' && value.length === 10 && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    value = `${value} ${operator === '>' || operator === '<=' ? '23:59:59' : '00:00:00'}`;
  }
  const isBoolean = field.type === 'boolean';
  const unset = isBoolean ? `(${column} IS NULL OR ${column} = 0)` : `${column} IS NULL`;
  const set = isBoolean ? `${column} = 1` : `${column} IS NOT NULL`;
  const param = (v: DomainValue) => toSql(field, v, leaf, options);

  switch (operator) {
    case '=?':
      if (value === false || value === null) return SQL_TRUE;
      return scalarLeaf(column, field, { ...leaf, operator: '=' }, options);
    case '=':
      if (value === false || value === null) return sql(unset);
      if (isBoolean && value === true) return sql(set);
      return sql(`${column} = ?`, param(value));
    case '!=':
    case '<>':
      if (value === false || value === null) return sql(set);
      if (isBoolean && value === true) return sql(unset);
      if (!truthy(value)) return sql(`${column} != ?`, param(value));
      return sql(`(${column} != ? OR ${column} IS NULL)`, param(value));
    case '<':
    case '>':
    case '<=':
    case '>=':
      if (value === false || value === null) {
        // Odoo converts the value for the column: 0 for numbers and booleans, NULL (nothing matches) otherwise.
        if (options.zeroIsNull || !(NUMERIC_TYPES.has(field.type) || isBoolean)) return SQL_FALSE;
        return sql(`${column} ${operator} ?`, 0);
      }
      return sql(`${column} ${operator} ?`, param(value));
    case 'in':
    case 'not in': {
      const list = value as DomainValue[];
      const hasEmpty = list.some((v) => v === false || v === null);
      const concrete = list.filter((v) => !(v === null || v === false) || isBoolean);
      const converted = [...new Set(concrete.map(param))];
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
      if (value === false || value === null) {
        // Odoo 17: like / ilike False compare with '%%' (the value as text is '') and match unset values too;
        // not like / not ilike False with NOT LIKE '%%', and unset values (an empty value adds them); =like /
        // =ilike False with LIKE NULL: nothing.
        if (operator === 'like' || operator === 'ilike') return SQL_TRUE;
        if (operator === 'not like' || operator === 'not ilike') return sql(`${column} IS NULL`);
        return SQL_FALSE;
      }
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw new InvalidQueryError(`Invalid leaf ${printLeaf(leaf)}: operator ${operator} needs a string value`);
      }
      const wrap = !operator.startsWith('=');
      // Odoo converts a =like / =ilike value for the column (a Char with a size keeps that many characters).
      const text = !wrap && field.type === 'char' && field.size && typeof value === 'string' ? value.slice(0, field.size) : String(value);
      const pattern = wrap ? `%${text}%` : text;
      const insensitive = operator.includes('ilike');
      const target = TEXT_TYPES.has(field.type) ? column : `CAST(${column} AS TEXT)`;
      let match: SqlFragment;
      if (insensitive) {
        match = /[\u0080-\uffff]/.test(pattern) // not ASCII
          ? sql(`unicode_lower(${target}) LIKE ? ESCAPE '\\'`, pattern.toLowerCase())
          : sql(`${target} LIKE ? ESCAPE '\\'`, pattern);
      } else {
        match = sql(`${target} GLOB ?`, likePatternToGlob(pattern));
      }
      if (operator.startsWith('not')) return sql(`(${column} IS NULL OR NOT (${match.sql}))`, ...match.params);
      // `like ''` (or 0) matches everything, unset values included.
      if (wrap && !truthy(value)) return sql(`(${match.sql} OR ${column} IS NULL)`, ...match.params);
      return match;
    }
    default:
      throw new InvalidQueryError(
        `Invalid leaf ${printLeaf(leaf)}: operator ${operator} does not apply to ${field.type} field ${field.name}`,
      );
  }
}

/** Converts a domain value to the value stored in SQLite for `field`, or throws naming the leaf. */
function toSql(field: ComparedField, value: DomainValue, leaf: DomainLeaf, options: ScalarOptions = {}): string | number | null {
  if (Array.isArray(value) || value === null) badValue(leaf, field, value);
  if (options.zeroIsNull && value === 0) return null;
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
  const text = typeof value === 'number' ? String(value) : value;
  // Odoo's Char.convert_to_column keeps `size` characters of the value.
  return field.type === 'char' && field.size ? text.slice(0, field.size) : text;
}

function badValue(leaf: DomainLeaf, field: Pick<FieldInfo, 'name' | 'type'>, value: unknown): never {
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

/**
 * Odoo's `is_false()` (expression.py), which `_search` asks first: whether three-valued reasoning on the
 * domain proves it false, where `(path, 'in', [])` is false and `(path, 'not in', [])` true, whatever the
 * path; Odoo then answers nothing without compiling the domain (even where a leaf would be dropped, as a
 * display_name leaf is).
 */
export function isProvedFalse(node: DomainNode): boolean {
  return truthOf(node) === -1;
}

function truthOf(node: DomainNode): -1 | 0 | 1 {
  switch (node.kind) {
    case 'true':
      return 1;
    case 'false':
      return -1;
    case 'not':
      return (-truthOf(node.child) || 0) as -1 | 0 | 1;
    case 'and':
      return Math.min(...node.children.map(truthOf)) as -1 | 0 | 1;
    case 'or':
      return Math.max(...node.children.map(truthOf)) as -1 | 0 | 1;
    case 'leaf':
      // A dotted leaf is an `any` leaf in the domain Odoo's sub-searches test (`_anyfy_leaves` runs first),
      // so `('country_id.code', 'in', [])` there is not known to be false, only `('code', 'in', [])` is.
      if (node.path.includes('.')) return 0;
      if (Array.isArray(node.value) && node.value.length === 0) {
        if (node.operator === 'in') return -1;
        if (node.operator === 'not in') return 1;
      }
      return 0;
  }
}

function printLeaf(leaf: DomainLeaf): string {
  const value = leaf.operator === 'any' || leaf.operator === 'not any' ? '[...]' : printPythonLiteral(leaf.value as DomainValue);
  return `('${leaf.path}', '${leaf.operator}', ${value})`;
}

/** A compile context with no rules and every field readable: for rule domains and internal queries. */
export function superuserContext(registry: Registry): CompileContext {
  return { registry, ruleDomain: () => null, canReadField: () => true };
}
