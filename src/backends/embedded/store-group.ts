/**
 * Grouped totals in the embedded store: Odoo 17's public `read_group(domain, fields, groupby, offset, limit,
 * orderby, lazy)` (odoo/models.py, `read_group` over `_read_group`) as one SQL `GROUP BY` whose WHERE is a
 * search's: the domain, the `active` filter and the caller's read rules (as store-read.ts builds it), with
 * the number of groups in all (`count(*) OVER ()`) in the same statement.
 *
 * What it does as Odoo does, and where:
 * - group keys (`_read_group_groupby`): a stored field; not one2many (Odoo has no column to group by), not
 *   binary, not `display_name`; many2many through a LEFT JOIN of its link table whose comodel ids are those
 *   the caller's read rules let through (`_field_to_sql`), so a record is in one group per tag and in the
 *   empty group without one; booleans `COALESCE(x, FALSE)`; a granularity only on dates and datetimes
 *   (`month` when none is given: `_read_group_get_annotated_groupby`), `hour` on datetimes only (Odoo 17
 *   fails formatting an hour of a date);
 * - datetimes are grouped in the caller's time zone (`UserContext.tz`; Odoo: `timezone(tz, timezone('UTC',
 *   x))`). SQLite has no time zones: the UTC offsets of the zone (1900 to 2100, from the platform's tz data)
 *   become a balanced `CASE` over the stored UTC text, ten comparisons deep, that picks each row's offset
 *   before `datetime()` shifts it; so daylight saving time is right on both sides of every change, and the
 *   GROUP BY stays one statement. Unknown zones are UTC, as Odoo ignores a `tz` pytz does not know;
 * - weeks start on the day of the language's `week_start` (res.lang: Sunday for en_US), as Odoo's
 *   `date_trunc('week', x - offset) + offset`;
 * - labels and ranges (`_read_group_format_result`, `READ_GROUP_DISPLAY_FORMAT`): `hh:00 dd MMM`,
 *   `dd MMM yyyy`, `'W'w YYYY` (Babel 2.10's week of year and week-year for the language's locale: en_US
 *   weeks start on Sunday and week 1 holds January 1st), `MMMM yyyy`, `QQQ yyyy`, `yyyy`; `__range` of each
 *   date group (`from` inclusive, `to` exclusive; for datetimes in UTC, each bound localised as pytz does
 *   with `is_dst=False`), and `__domain`: the domain AND each key's condition (`(f, '=', v)`, a date range as
 *   `['&', (f, '>=', from), (f, '<', to)]`, `(f, 'not in', <the other groups>)` for many2many's empty group)
 *   as `expression.AND` builds it;
 * - many2one keys as `[id, display_name]` (the name read as superuser, as `value.sudo().display_name`), `id`
 *   keys too; empty keys `false`;
 * - aggregates (`_read_group_select`, `READ_GROUP_AGGREGATE`, `_read_group_postprocess_aggregate`): an empty
 *   value is `false` (0 for counts); the pairs PostgreSQL refuses (a sum of a char, a max of a boolean...)
 *   are refused here with a 400 naming them, as x2many aggregates are;
 * - order (`_read_group_orderby`): by default the keys; a many2one key in its comodel's `_order`; terms may
 *   name a key (or its field), `__count`, or any `field:aggregator` (requested or not; a bare field name
 *   takes the aggregate requested on it); PostgreSQL's NULL placement; the keys break ties;
 * - `lazy` (`read_group`): only the first key is grouped by, the others are left in `__context`; and Odoo's
 *   `group_expand` fill (`_read_group_fill_results`) adds the empty columns of a kanban: crm.lead's stages
 *   (`_read_group_stage_ids`: every stage, as no stage here belongs to a team) with `__fold`;
 * - field access (`_read_group_check_field_access_rights`): a key, aggregate or order field the caller may
 *   not read is an AccessError, after the spec is found valid.
 * `__count` is named so in every answer (Odoo's lazy read_group names it `<field>_count`), and each
 * aggregate under its spec (`expected_revenue:sum`, Odoo: `expected_revenue`).
 */
import { domainToList, type DomainListTerm } from '../../domain/domain-to-list.js';
import type { DomainValue } from '../../domain/types.js';
import type { AggregateSpec, Aggregator, Granularity, Group, GroupBySpec, ReadGroupParams, ReadGroupResult } from '../read-group.js';
import { AccessError, InvalidQueryError } from '../errors.js';
import type { StoredValue } from './model-definition.js';
import type { FieldInfo, Registry, RegistryModel } from './registry.js';
import { canAccessField, ruleDomain } from './security/access.js';
import { ruleSql } from './sql/compiled-rules.js';
import { ident } from './sql/sql-fragment.js';
import type { Actor, StoreAccess } from './store-access.js';
import type { StoreReader } from './store-read.js';
import type { StoreStatements } from './store-statements.js';

const NUMERIC = new Set(['integer', 'float', 'monetary']);
/** What each aggregator takes: the field types PostgreSQL has the aggregate function for. */
const AGGREGATOR_TYPES: Readonly<Record<Aggregator, ReadonlySet<string> | 'any'>> = {
  sum: NUMERIC,
  avg: NUMERIC,
  max: new Set([...NUMERIC, 'char', 'text', 'html', 'selection', 'date', 'datetime', 'many2one']),
  min: new Set([...NUMERIC, 'char', 'text', 'html', 'selection', 'date', 'datetime', 'many2one']),
  bool_and: new Set(['boolean']),
  bool_or: new Set(['boolean']),
  array_agg: 'any',
  count: 'any',
  count_distinct: 'any',
};

/** One group-by key resolved against the model: its SQL expression and how its values read back. */
interface KeyPlan {
  readonly spec: GroupBySpec;
  readonly field: FieldInfo;
  /** The granularity used (dates and datetimes: `month` when none was given). */
  readonly granularity: Granularity | undefined;
  /** The expression grouped by (aliased `__k<i>`), over `t` and the joins. */
  readonly expression: string;
  /** The comodel whose records the values are ids of: many2one, many2many, and `id` (the model itself). */
  readonly comodel: RegistryModel | undefined;
}

interface AggregatePlan {
  readonly key: string;
  readonly field: FieldInfo;
  readonly aggregator: Aggregator;
  readonly expression: string;
}

/** The caller's language and time zone, as they shape date groups. */
interface DateSettings {
  /** A zone with offsets (undefined: UTC). */
  readonly zone: string | undefined;
  readonly lang: string;
  /** First day of a week group, as SQLite's `weekday N` counts: 0 Sunday ... 6 Saturday. */
  readonly weekStart: number;
}

export class StoreGrouper {
  constructor(
    private readonly statements: StoreStatements,
    private readonly registry: Registry,
    private readonly access: StoreAccess,
    private readonly reader: StoreReader,
  ) {}

  readGroup(actor: Actor, modelName: string, params: ReadGroupParams): ReadGroupResult {
    const model = this.registry.model(modelName);
    this.access.checkAccess(model, 'read', actor);
    if (params.groupBy.length === 0) throw new InvalidQueryError('read_group needs at least one group-by key');
    const settings = dateSettings(actor);
    const joins: string[] = [];
    const joinParams: unknown[] = [];
    const used = new Set<FieldInfo>();
    const grouped = params.lazy ? params.groupBy.slice(0, 1) : params.groupBy;
    const keys = grouped.map((spec) => this.#resolveKey(model, spec, actor, settings, joins, joinParams, used));
    // The keys lazy mode leaves for the next level are checked too (a typo is refused on the first call), joining nothing.
    for (const spec of params.groupBy.slice(grouped.length)) this.#resolveKey(model, spec, actor, settings, [], [], used);
    const aggregates = params.aggregates.map((spec) => resolveAggregate(model, spec, used));
    const order = this.#orderBy(model, params.order, keys, aggregates, used);
    for (const field of used) checkFieldAccess(model, field, actor);

    const where = this.reader.searchWhere(model, params.domain, actor);
    const first = keys[0]!.field;
    const expand = params.lazy && first.type === 'many2one' && first.groupExpand === true;
    const select = [
      ...keys.map((key, i) => `${key.expression} AS "__k${i}"`),
      'count(*) AS "__count"',
      ...aggregates.map((aggregate, i) => `${aggregate.expression} AS "__a${i}"`),
      'count(*) OVER () AS "__total"',
    ];
    const from = `${ident(model.table)} t${joins.length ? ` ${joins.join(' ')}` : ''}`;
    const groupBy = keys.map((_, i) => `"__k${i}"`).join(', ');
    const base = `SELECT ${select.join(', ')} FROM ${from} WHERE ${where.sql} GROUP BY ${groupBy} ORDER BY ${order}`;
    const statementParams = [...joinParams, ...where.params];
    // With `group_expand` Odoo pages the SQL rows and then adds every expanded group: all rows are read
    // to count the groups in all.
    const paged = !expand && (params.limit !== undefined || (params.offset ?? 0) > 0);
    const rows = this.statements.allRaw({
      sql: paged ? `${base} LIMIT ? OFFSET ?` : base,
      params: paged ? [...statementParams, params.limit ?? -1, params.offset ?? 0] : statementParams,
    });
    const width = keys.length + 1 + aggregates.length;
    let total: number;
    if (rows.length) total = Number(rows[0]![width]);
    else if (!paged) total = 0;
    else {
      const counted = this.statements.all({
        sql: `SELECT count(*) AS n FROM (SELECT 1 FROM ${from} WHERE ${where.sql} GROUP BY ${keys.map((k) => k.expression).join(', ')})`,
        params: statementParams,
      });
      total = Number(counted[0]?.n ?? 0);
    }

    const names = this.#names(keys, rows);
    let groups = rows.map((row) => this.#group(keys, aggregates, row, names, settings));
    if (expand) {
      const all = this.#expand(keys[0]!, aggregates, groups, params.order);
      total = all.length;
      const offset = params.offset ?? 0;
      // `limit` 0 asks for the count only (the REST contract's meaning; Odoo's read_group takes 0 as no limit).
      groups =
        params.limit === 0
          ? []
          : this.#expand(
              keys[0]!,
              aggregates,
              groups.slice(offset, params.limit === undefined ? undefined : offset + params.limit),
              params.order,
            );
    }
    const domain = domainToList(params.domain);
    const rest = params.groupBy.slice(keys.length).map((spec) => spec.key);
    return { total, groups: groups.map((group) => finishGroup(group, keys, domain, groups, rest)) };
  }

  #resolveKey(
    model: RegistryModel,
    spec: GroupBySpec,
    actor: Actor,
    settings: DateSettings,
    joins: string[],
    joinParams: unknown[],
    used: Set<FieldInfo>,
  ): KeyPlan {
    const field = model.fields.get(spec.field);
    if (!field || field.internal) throw new InvalidQueryError(`Invalid field '${spec.field}' on model '${model.name}'`);
    const isDate = field.type === 'date' || field.type === 'datetime';
    if (spec.granularity !== undefined && !isDate) {
      throw new InvalidQueryError(`Granularity set on a no-datetime field: '${spec.key}' (${field.type} field '${field.name}')`);
    }
    if (spec.granularity === 'hour' && field.type === 'date') {
      throw new InvalidQueryError(`Granularity 'hour' is for datetime fields only: '${spec.key}' (date field '${field.name}')`);
    }
    used.add(field);
    if (field.type === 'many2many') {
      const alias = `g${joins.length}`;
      const comodel = this.registry.model(field.relation);
      const { link } = field;
      let condition = `${alias}.${ident(link.ownColumn)} = t."id"`;
      const rule = actor === 'superuser' ? null : ruleDomain(comodel, 'read', actor);
      if (rule) {
        const where = ruleSql(this.registry, comodel, `${alias}c`, rule);
        condition += ` AND ${alias}.${ident(link.otherColumn)} IN (SELECT ${alias}c."id" FROM ${ident(comodel.table)} ${alias}c WHERE ${where.sql})`;
        joinParams.push(...where.params);
      }
      joins.push(`LEFT JOIN ${ident(link.table)} ${alias} ON ${condition}`);
      return { spec, field, granularity: undefined, expression: `${alias}.${ident(link.otherColumn)}`, comodel };
    }
    if (field.type === 'one2many') {
      throw new InvalidQueryError(`Field '${field.name}' on model '${model.name}' cannot be grouped by: a one2many field has no column`);
    }
    if (!field.column || field.type === 'binary') {
      throw new InvalidQueryError(`Field '${field.name}' on model '${model.name}' cannot be grouped by: it is not stored`);
    }
    const column = `t.${ident(field.column)}`;
    if (isDate) {
      const granularity = spec.granularity ?? 'month';
      const expression =
        field.type === 'datetime' ? datetimeKeySql(column, granularity, settings) : truncateSql(column, granularity, settings.weekStart);
      return { spec, field, granularity, expression, comodel: undefined };
    }
    if (field.type === 'boolean') return { spec, field, granularity: undefined, expression: `COALESCE(${column}, 0)`, comodel: undefined };
    const comodel = field.type === 'many2one' ? this.registry.model(field.relation) : field.name === 'id' ? model : undefined;
    // `+`: the same value, but SQLite does not walk an index of the column to read the rows in key order
    // (a random read per row): on a large table, a scan and its sorter are faster. The WHERE keeps its indexes.
    return { spec, field, granularity: undefined, expression: `+${column}`, comodel };
  }

  /** ORDER BY: the caller's terms (keys, `__count`, aggregates), else the keys; the keys always end it. */
  #orderBy(
    model: RegistryModel,
    order: string | undefined,
    keys: readonly KeyPlan[],
    aggregates: readonly AggregatePlan[],
    used: Set<FieldInfo>,
  ): string {
    const terms: string[] = [];
    const keyTerm = (key: KeyPlan, direction: string, nulls: string | undefined) => {
      const nullsClause = ` NULLS ${nulls ?? (direction === 'ASC' ? 'LAST' : 'FIRST')}`;
      if (key.field.type === 'many2one' && key.comodel && key.comodel.order.trim() !== 'id') {
        return comodelOrder(key.comodel, key.expression, direction, nulls);
      }
      // By its alias: the expression of a datetime key in a zone is long, and written once is enough.
      return [`"__k${keys.indexOf(key)}" ${direction}${nullsClause}`];
    };
    if (order !== undefined && order.trim() !== '') {
      for (const raw of order.split(',')) {
        const text = raw.trim();
        const match = /^([A-Za-z0-9_:]+)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?$/i.exec(text);
        if (!match)
          throw new InvalidQueryError(`Invalid order term '${text}': expected '<key or aggregate> [asc|desc] [nulls first|last]'`);
        const [, name, dir, nullsWord] = match as unknown as [string, string, string | undefined, string | undefined];
        const direction = (dir ?? 'asc').toUpperCase();
        const nulls = nullsWord?.toUpperCase();
        const nullsClause = ` NULLS ${nulls ?? (direction === 'ASC' ? 'LAST' : 'FIRST')}`;
        // As read_group rewrites its orderby: a key (or its field's name, the last key first), then an
        // aggregate (or its field's name).
        const key = keys.find((k) => k.spec.key === name) ?? [...keys].reverse().find((k) => k.spec.field === name);
        if (key) {
          terms.push(...keyTerm(key, direction, nulls));
          continue;
        }
        if (name === '__count') {
          terms.push(`count(*) ${direction}`);
          continue;
        }
        const requested = aggregates.find((a) => a.key === name) ?? aggregates.find((a) => a.field.name === name);
        let aggregate = requested;
        if (!aggregate) {
          const [fieldName, aggregator, extra] = name.split(':');
          if (!aggregator || extra !== undefined || !isAggregator(aggregator)) {
            throw new InvalidQueryError(
              `Order term '${text}' is not a valid aggregate nor valid groupby: order by a group-by key, '__count' or '<field>:<aggregator>'`,
            );
          }
          aggregate = resolveAggregate(model, { field: fieldName!, aggregator, key: name }, used);
        }
        terms.push(`${aggregate.expression} ${direction}${nullsClause}`);
      }
    }
    // The keys end every order (Odoo's default order), so equal terms still give one order.
    for (const key of keys) terms.push(...keyTerm(key, 'ASC', undefined));
    return terms.join(', ');
  }

  /** Display names of the many2one (and id, many2many) values of the rows, by comodel. */
  #names(keys: readonly KeyPlan[], rows: readonly StoredValue[][]): Map<string, Map<number, string>> {
    const names = new Map<string, Map<number, string>>();
    keys.forEach((key, i) => {
      if (!key.comodel) return;
      const ids = [...new Set(rows.map((row) => row[i]).filter((v): v is number => typeof v === 'number'))];
      const known = names.get(key.comodel.name) ?? new Map<number, string>();
      names.set(key.comodel.name, known);
      const missing = ids.filter((id) => !known.has(id));
      if (missing.length) for (const [id, name] of this.reader.displayNames(key.comodel.name, missing)) known.set(id, name);
    });
    return names;
  }

  #group(
    keys: readonly KeyPlan[],
    aggregates: readonly AggregatePlan[],
    row: readonly StoredValue[],
    names: ReadonlyMap<string, ReadonlyMap<number, string>>,
    settings: DateSettings,
  ): RawGroup {
    const values: Record<string, unknown> = {};
    const conditions: ConditionSource[] = [];
    let range: Record<string, unknown> | undefined;
    keys.forEach((key, i) => {
      const raw = row[i] ?? null;
      const name = key.spec.key;
      if (key.granularity !== undefined) {
        range ??= {};
        if (raw === null) {
          values[name] = false;
          range[name] = false;
          conditions.push({ key, value: false });
          return;
        }
        const bounds = dateGroup(String(raw), key.granularity, key.field.type === 'datetime', settings);
        values[name] = bounds.label;
        range[name] = { from: bounds.from, to: bounds.to };
        conditions.push({ key, range: bounds });
        return;
      }
      if (key.comodel) {
        values[name] = raw === null ? false : [raw, names.get(key.comodel.name)?.get(raw as number) ?? ''];
        conditions.push({ key, value: raw ?? false });
        return;
      }
      const value = key.field.type === 'boolean' ? raw === 1 : raw === null ? false : raw;
      values[name] = value;
      conditions.push({ key, value });
    });
    const count = Number(row[keys.length]);
    const group: Record<string, unknown> = { ...values, __count: count };
    aggregates.forEach((aggregate, i) => {
      group[aggregate.key] = aggregateValue(aggregate, row[keys.length + 1 + i] ?? null);
    });
    return { group, conditions, range };
  }

  /**
   * Odoo's `_read_group_fill_results` for a many2one with `group_expand`: every expanded group in the
   * comodel's order (reversed when the order is `<field> desc`), the rows' own where they are, an empty
   * group for the others; then the rows that are not expanded groups (the empty one); `__fold` on each.
   */
  #expand(key: KeyPlan, aggregates: readonly AggregatePlan[], rows: readonly RawGroup[], order: string | undefined): RawGroup[] {
    const comodel = key.comodel!;
    // Odoo compares the order with `<field> desc` as written (`stage_id DESC` does not reverse the columns).
    const reverse = order !== undefined && order.trim() === `${key.spec.key} desc`;
    const direction = reverse ? 'DESC' : 'ASC';
    // crm.lead's `_read_group_stage_ids`: the stages present, and every stage of no team (all stages here).
    const ordered = this.statements
      .all({
        sql: `SELECT x."id" AS id FROM ${ident(comodel.table)} x${comodel.hasActive ? ' WHERE x."active" = 1' : ''} ORDER BY ${comodelOrder(comodel, 'x."id"', direction, undefined).join(', ')}`,
        params: [],
      })
      .map((r) => r.id as number);
    const byId = new Map<number | false, RawGroup>();
    for (const row of rows) {
      const value = row.group[key.spec.key];
      byId.set(Array.isArray(value) ? (value[0] as number) : false, row);
    }
    const missing = ordered.filter((id) => !byId.has(id));
    const names = missing.length ? this.reader.displayNames(comodel.name, missing) : new Map<number, string>();
    const out: RawGroup[] = [];
    for (const id of ordered) {
      const existing = byId.get(id);
      if (existing) {
        out.push(existing);
        byId.delete(id);
        continue;
      }
      const group: Record<string, unknown> = { [key.spec.key]: [id, names.get(id) ?? ''], __count: 0 };
      for (const aggregate of aggregates) group[aggregate.key] = emptyAggregate(aggregate.aggregator);
      out.push({ group, conditions: [{ key, value: id }], range: undefined });
    }
    out.push(...byId.values());
    const foldField = comodel.fields.get('fold');
    if (foldField?.column) {
      const ids = out.map((g) => g.group[key.spec.key]).flatMap((v) => (Array.isArray(v) ? [v[0] as number] : []));
      const folds = new Map(
        this.statements
          .all({
            sql: `SELECT "id" AS id, ${ident(foldField.column)} AS fold FROM ${ident(comodel.table)} WHERE "id" IN (SELECT value FROM json_each(?))`,
            params: [JSON.stringify(ids)],
          })
          .map((r) => [r.id as number, r.fold === 1]),
      );
      for (const g of out) {
        const value = g.group[key.spec.key];
        g.group.__fold = Array.isArray(value) ? (folds.get(value[0] as number) ?? false) : false;
      }
    }
    return out;
  }
}

/** A group before its `__domain` is made (the empty many2many group's depends on the others). */
interface RawGroup {
  readonly group: Record<string, unknown>;
  readonly conditions: readonly ConditionSource[];
  readonly range: Record<string, unknown> | undefined;
}

/** What a key's condition in `__domain` is made of: a value, or a date range. */
interface ConditionSource {
  readonly key: KeyPlan;
  readonly value?: DomainValue;
  readonly range?: { readonly from: string; readonly to: string };
}

/** The group with `__domain` (and `__range`, `__context`), as `_read_group_format_result` finishes it. */
function finishGroup(
  raw: RawGroup,
  keys: readonly KeyPlan[],
  domain: readonly DomainListTerm[],
  page: readonly RawGroup[],
  rest: readonly string[],
): Group {
  let terms: DomainListTerm[] = [...domain];
  for (const condition of raw.conditions) {
    const name = condition.key.field.name;
    let extra: DomainListTerm[];
    if (condition.range) {
      extra = ['&', [name, '>=', condition.range.from], [name, '<', condition.range.to]];
    } else if (condition.value === false && condition.key.field.type === 'many2many') {
      // Odoo: the records in none of the other groups of this answer.
      const index = keys.indexOf(condition.key);
      const others = page.map((g) => g.conditions[index]?.value).filter((v): v is number => typeof v === 'number');
      extra = [[name, 'not in', others]];
    } else {
      extra = [[name, '=', condition.value ?? false]];
    }
    terms = expressionAnd(terms, extra);
  }
  const group: Record<string, unknown> = { ...raw.group };
  if (raw.range) group.__range = raw.range;
  if (rest.length) group.__context = { group_by: [...rest] };
  group.__domain = terms;
  return group as Group;
}

/** Odoo's `expression.AND([a, b])` of two normalised domains: an empty one is left out. */
function expressionAnd(a: readonly DomainListTerm[], b: readonly DomainListTerm[]): DomainListTerm[] {
  if (a.length === 0) return [...b];
  if (b.length === 0) return [...a];
  return ['&', ...a, ...b];
}

function isAggregator(name: string): name is Aggregator {
  return Object.hasOwn(AGGREGATOR_TYPES, name);
}

function resolveAggregate(model: RegistryModel, spec: AggregateSpec, used: Set<FieldInfo>): AggregatePlan {
  const field = model.fields.get(spec.field);
  if (!field || field.internal) throw new InvalidQueryError(`Invalid field '${spec.field}' on model '${model.name}' for '${spec.key}'`);
  if (!isAggregator(spec.aggregator))
    throw new InvalidQueryError(`Invalid aggregate method '${String(spec.aggregator)}' for '${spec.key}'`);
  if (!field.column || field.type === 'binary') {
    const why = field.type === 'one2many' || field.type === 'many2many' ? `a ${field.type} field` : 'it is not stored';
    throw new InvalidQueryError(`Field '${field.name}' on model '${model.name}' cannot be aggregated ('${spec.key}'): ${why}`);
  }
  const types = AGGREGATOR_TYPES[spec.aggregator];
  if (types !== 'any' && !types.has(field.type)) {
    throw new InvalidQueryError(
      `Field '${field.name}' on model '${model.name}' (${field.type}) cannot be aggregated with '${spec.aggregator}' ('${spec.key}')`,
    );
  }
  used.add(field);
  const column = `t.${ident(field.column)}`;
  const expression = {
    sum: `sum(${column})`,
    avg: `avg(${column})`,
    max: `max(${column})`,
    min: `min(${column})`,
    bool_and: `min(${column})`,
    bool_or: `max(${column})`,
    array_agg: `json_group_array(${column} ORDER BY t."id")`,
    count: `count(${column})`,
    count_distinct: `count(DISTINCT ${column})`,
  }[spec.aggregator];
  return { key: spec.key, field, aggregator: spec.aggregator, expression };
}

function checkFieldAccess(model: RegistryModel, field: FieldInfo, actor: Actor): void {
  if (actor === 'superuser' || canAccessField(field, actor)) return;
  throw new AccessError(
    `You do not have enough rights to access the fields "${field.name}" on ${model.description} (${model.name}). ` +
      `Please contact your system administrator.\n\n(Operation: read)`,
  );
}

/** `_read_group_empty_value` of an aggregate. */
function emptyAggregate(aggregator: Aggregator): unknown {
  if (aggregator === 'count' || aggregator === 'count_distinct') return 0;
  if (aggregator === 'array_agg') return [];
  return false;
}

function aggregateValue(aggregate: AggregatePlan, raw: StoredValue): unknown {
  if (raw === null) return emptyAggregate(aggregate.aggregator);
  switch (aggregate.aggregator) {
    case 'bool_and':
    case 'bool_or':
      return raw === 1;
    case 'array_agg': {
      const values = JSON.parse(String(raw)) as unknown[];
      return aggregate.field.type === 'boolean' ? values.map((v) => (v === null ? null : v === 1)) : values;
    }
    case 'count':
    case 'count_distinct':
      return Number(raw);
    case 'sum':
      // A monetary is a PostgreSQL numeric: its sum is exact, where adding doubles leaves binary noise.
      return aggregate.field.type === 'monetary' && typeof raw === 'number' ? Number(raw.toPrecision(15)) : raw;
    default:
      return raw;
  }
}

// ------------------------------------------------------------------------------------------ comodel order

/**
 * A many2one key in its comodel's `_order` (Odoo's `_order_to_sql` through the many2one), one sub-query per
 * term; terms of the comodel's order that are themselves many2one sort by id. PostgreSQL's NULL placement.
 */
function comodelOrder(comodel: RegistryModel, column: string, direction: string, nulls: string | undefined): string[] {
  return comodel.order.split(',').map((term) => {
    const [name = 'id', innerDir = 'asc'] = term.trim().split(/\s+/);
    const innerColumn = comodel.fields.get(name)?.column ?? 'id';
    const dir = (innerDir.toLowerCase() === 'desc') !== (direction === 'DESC') ? 'DESC' : 'ASC';
    const nullsClause = ` NULLS ${nulls ?? (dir === 'ASC' ? 'LAST' : 'FIRST')}`;
    return `(SELECT o.${ident(innerColumn)} FROM ${ident(comodel.table)} o WHERE o."id" = ${column}) ${dir}${nullsClause}`;
  });
}

// ------------------------------------------------------------------------------------------ dates

/** res.lang's `week_start` (Odoo 17's data, base/data/res.lang.csv): Sunday or Saturday; every other language: Monday. */
const SUNDAY_WEEKS = new Set(
  'en_US am_ET zh_CN zh_HK zh_TW en_AU en_CA en_IN en_NZ fr_CA gu_IN he_IL hi_IN id_ID ja_JP km_KH ko_KR lo_LA mn_MN my_MM pt_BR sr_RS sr@latin es_AR es_CO es_GT es_MX es_PA es_PE es_PY es_VE th_TH te_IN'.split(
    ' ',
  ),
);
const SATURDAY_WEEKS = new Set(['ar_001', 'ar_SY', 'kab_DZ', 'fa_IR']);

function dateSettings(actor: Actor): DateSettings {
  const lang = (actor === 'superuser' ? undefined : actor.lang) ?? 'en_US';
  const weekStart = SUNDAY_WEEKS.has(lang) ? 0 : SATURDAY_WEEKS.has(lang) ? 6 : 1;
  return { zone: knownZone(actor === 'superuser' ? undefined : actor.tz), lang, weekStart };
}

/** The zone datetimes are grouped in; undefined (UTC) for none, UTC itself, or a zone the platform does not know. */
function knownZone(tz: string | undefined): string | undefined {
  if (!tz) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    return resolved === 'UTC' || resolved === 'Etc/UTC' ? undefined : tz;
  } catch {
    return undefined;
  }
}

/** A zone's UTC offsets: `offsets[i]` seconds holds from `changes[i - 1]` (ms, UTC) to `changes[i]`. */
interface ZoneOffsets {
  readonly changes: readonly number[];
  readonly offsets: readonly number[];
}

const zoneOffsets = new Map<string, ZoneOffsets>();
const FIRST = Date.UTC(1900, 0, 1);
const LAST = Date.UTC(2100, 0, 1);
const DAY = 86_400_000;

/** The offset of `zone` at `ms`, from the platform's time zone data (Intl). */
function platformOffset(format: Intl.DateTimeFormat, ms: number): number {
  const parts = format.formatToParts(ms);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 1000);
}

/** The offsets of `zone` from 1900 to 2100 (before and after: the first and last), each change found to the second. */
function offsetsOf(zone: string): ZoneOffsets {
  const cached = zoneOffsets.get(zone);
  if (cached) return cached;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const changes: number[] = [];
  const offsets: number[] = [platformOffset(format, FIRST)];
  // Weekly steps (zones change at most twice a year), each change then found by bisection.
  for (let at = FIRST; at < LAST; at += 7 * DAY) {
    let low = at;
    let high = Math.min(at + 7 * DAY, LAST);
    let after = platformOffset(format, high);
    while (after !== offsets[offsets.length - 1]) {
      // The first change in (low, high]: bisect to the second.
      let lo = low;
      let hi = high;
      const before = offsets[offsets.length - 1];
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (platformOffset(format, mid) === before) lo = mid;
        else hi = mid;
      }
      changes.push(hi);
      offsets.push(platformOffset(format, hi));
      low = hi;
      high = Math.min(at + 7 * DAY, LAST);
      after = platformOffset(format, high);
    }
  }
  const found = { changes, offsets };
  zoneOffsets.set(zone, found);
  return found;
}

function offsetAt(zone: ZoneOffsets, ms: number): number {
  let low = 0;
  let high = zone.changes.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (zone.changes[mid]! <= ms) low = mid + 1;
    else high = mid;
  }
  return zone.offsets[low]!;
}

/** `YYYY-MM-DD HH:MM:SS` of a UTC instant (ms), as Odoo writes datetimes. */
function utcText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The stored UTC datetime `column` as the zone's wall-clock text: `datetime(column, '<offset> seconds')`,
 * the offset picked by a balanced CASE over the zone's changes (text comparisons: the stored format sorts).
 */
function localTimeSql(column: string, zone: string | undefined): string {
  if (!zone) return column;
  const { changes, offsets } = offsetsOf(zone);
  const modifier = (offset: number) => `'${offset >= 0 ? '+' : ''}${offset} seconds'`;
  const pick = (low: number, high: number): string => {
    // offsets[low..high] over the changes between them.
    if (low === high) return modifier(offsets[low]!);
    const mid = (low + high + 1) >> 1;
    return `CASE WHEN ${column} < '${utcText(changes[mid - 1]!)}' THEN ${pick(low, mid - 1)} ELSE ${pick(mid, high)} END`;
  };
  return `datetime(${column}, ${pick(0, offsets.length - 1)})`;
}

/**
 * The group key of a stored UTC datetime in the caller's zone. Most rows skip the zone's CASE and
 * `datetime()`: a UTC time whose day of month is 02 to 27 has the same local month (hence quarter and
 * year) whatever the offset (less than a day), and one whose hour is far enough from midnight for every
 * offset the zone has had has the same local day (hence week); only the others are shifted. Hours are
 * always shifted.
 */
function datetimeKeySql(column: string, granularity: Granularity, settings: DateSettings): string {
  const utc = truncateSql(column, granularity, settings.weekStart);
  if (!settings.zone) return utc;
  const local = truncateSql(localTimeSql(column, settings.zone), granularity, settings.weekStart);
  let same: string | undefined;
  if (granularity === 'month' || granularity === 'quarter' || granularity === 'year') {
    same = `substr(${column}, 9, 2) BETWEEN '02' AND '27'`;
  } else if (granularity === 'day' || granularity === 'week') {
    // Hour h is safe when [h:00, h+1:00) shifted by any offset of the zone stays within the same day.
    const { offsets } = offsetsOf(settings.zone);
    const low = Math.min(...offsets);
    const high = Math.max(...offsets);
    const first = Math.max(0, Math.ceil(-low / 3600));
    const last = Math.floor((86_400 - high) / 3600) - 1;
    if (first <= last) same = `substr(${column}, 12, 2) BETWEEN '${pad(first)}' AND '${pad(last)}'`;
  }
  return same ? `CASE WHEN ${same} THEN ${utc} ELSE ${local} END` : local;
}

/** The start of a date group, as sortable text: `YYYY-MM-DD HH` (hour), `YYYY-MM-DD` (day, week), `YYYY-MM`, `YYYY-Q`, `YYYY`. */
function truncateSql(local: string, granularity: Granularity, weekStart: number): string {
  switch (granularity) {
    case 'hour':
      return `substr(${local}, 1, 13)`;
    case 'day':
      return `substr(${local}, 1, 10)`;
    case 'week':
      return `date(${local}, '-6 days', 'weekday ${weekStart}')`;
    case 'month':
      return `substr(${local}, 1, 7)`;
    case 'quarter':
      return `substr(${local}, 1, 4) || '-' || ((CAST(substr(${local}, 6, 2) AS INTEGER) + 2) / 3)`;
    case 'year':
      return `substr(${local}, 1, 4)`;
  }
}

/** A date group: its label (READ_GROUP_DISPLAY_FORMAT) and its range (`from` inclusive, `to` exclusive). */
interface DateGroup {
  readonly label: string;
  readonly from: string;
  readonly to: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `start` as truncateSql gives it, to the group's label and range. */
function dateGroup(start: string, granularity: Granularity, isDatetime: boolean, settings: DateSettings): DateGroup {
  const year = Number(start.slice(0, 4));
  let month = 1;
  let day = 1;
  let hour = 0;
  if (granularity === 'hour' || granularity === 'day' || granularity === 'week') {
    month = Number(start.slice(5, 7));
    day = Number(start.slice(8, 10));
    if (granularity === 'hour') hour = Number(start.slice(11, 13));
  } else if (granularity === 'month') {
    month = Number(start.slice(5, 7));
  } else if (granularity === 'quarter') {
    month = (Number(start.slice(5)) - 1) * 3 + 1;
  }
  const wallStart = Date.UTC(year, month - 1, day, hour);
  const wallEnd =
    granularity === 'hour'
      ? wallStart + 3_600_000
      : granularity === 'day'
        ? Date.UTC(year, month - 1, day + 1)
        : granularity === 'week'
          ? Date.UTC(year, month - 1, day + 7)
          : granularity === 'month'
            ? Date.UTC(year, month, 1)
            : granularity === 'quarter'
              ? Date.UTC(year, month + 2, 1)
              : Date.UTC(year + 1, 0, 1);
  const label = dateLabel(new Date(wallStart), granularity, settings.lang);
  if (!isDatetime) return { label, from: utcText(wallStart).slice(0, 10), to: utcText(wallEnd).slice(0, 10) };
  const zone = settings.zone ? offsetsOf(settings.zone) : undefined;
  return { label, from: utcText(localize(zone, wallStart)), to: utcText(localize(zone, wallEnd)) };
}

/**
 * A wall-clock time of the zone to UTC, as pytz's `localize(is_dst=False)`: where the time is ambiguous
 * (clocks going back) or does not exist (going forward), the offset of standard time, the smaller one.
 */
function localize(zone: ZoneOffsets | undefined, wall: number): number {
  if (!zone) return wall;
  const candidates = [...new Set([offsetAt(zone, wall - DAY), offsetAt(zone, wall + DAY)])];
  const valid = candidates.filter((offset) => offsetAt(zone, wall - offset * 1000) === offset);
  const offset = valid.length === 1 ? valid[0]! : Math.min(...candidates);
  return wall - offset * 1000;
}

/** Babel's abbreviated quarters (`QQQ`) where they are a letter and the number: `T1` in French, Spanish, Portuguese; `K1` in Dutch. */
const QUARTER_LETTERS: Readonly<Record<string, string>> = { fr: 'T', es: 'T', pt: 'T', nl: 'K' };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Babel's names of months in `lang` (format context), from the platform's CLDR data; English as Babel has it. */
function monthName(date: Date, lang: string, width: 'long' | 'short'): string {
  if (lang === 'en_US' || lang.startsWith('en'))
    return width === 'long' ? MONTHS[date.getUTCMonth()]! : MONTHS[date.getUTCMonth()]!.slice(0, 3);
  try {
    const parts = new Intl.DateTimeFormat(lang.replace('_', '-').replace('@latin', ''), {
      timeZone: 'UTC',
      day: 'numeric',
      month: width,
    }).formatToParts(date);
    return parts.find((p) => p.type === 'month')?.value ?? MONTHS[date.getUTCMonth()]!;
  } catch {
    return MONTHS[date.getUTCMonth()]!;
  }
}

/** The locale's week rules as Babel reads CLDR: first day (Monday 0 ... Sunday 6) and days the first week needs. */
function weekRules(lang: string): { firstDay: number; minDays: number } {
  if (lang === 'en_US') return { firstDay: 6, minDays: 1 };
  try {
    const locale = new Intl.Locale(lang.replace('_', '-').replace('@latin', '')) as Intl.Locale & {
      weekInfo?: { firstDay: number; minimalDays: number };
      getWeekInfo?: () => { firstDay: number; minimalDays: number };
    };
    const info = locale.getWeekInfo?.() ?? locale.weekInfo;
    if (info) return { firstDay: info.firstDay - 1, minDays: info.minimalDays };
  } catch {
    // An unknown locale: Babel's default territory rules (Monday, 1 day).
  }
  return { firstDay: 0, minDays: 1 };
}

/** Babel 2.10's `get_week_number(day_of_period, day_of_week)`. */
function babelWeekNumber(dayOfPeriod: number, dayOfWeek: number, rules: { firstDay: number; minDays: number }): number {
  const firstDay = (((dayOfWeek - rules.firstDay - dayOfPeriod + 1) % 7) + 7) % 7;
  let week = Math.floor((dayOfPeriod + firstDay - 1) / 7);
  if (7 - firstDay >= rules.minDays) week += 1;
  return week;
}

const dayOfYear = (date: Date) => Math.round((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY) + 1;
/** Python's weekday(): Monday 0 ... Sunday 6. */
const weekday = (date: Date) => (date.getUTCDay() + 6) % 7;

/**
 * READ_GROUP_DISPLAY_FORMAT as Babel formats it for the language (`date` holds the wall-clock start, in UTC
 * fields). Exported for its test (test/rest/groups.test.ts, against Babel's own labels).
 */
export function dateLabel(date: Date, granularity: Granularity, lang: string): string {
  const year = pad(date.getUTCFullYear(), 4);
  switch (granularity) {
    case 'hour': {
      const hour = date.getUTCHours() % 12 || 12;
      return `${pad(hour)}:00 ${pad(date.getUTCDate())} ${monthName(date, lang, 'short')}`;
    }
    case 'day':
      return `${pad(date.getUTCDate())} ${monthName(date, lang, 'short')} ${year}`;
    case 'week': {
      // `'W'w YYYY`: Babel's week of year, and its week-year (the previous year for a week 0).
      const rules = weekRules(lang);
      const doy = dayOfYear(date);
      let week = babelWeekNumber(doy, weekday(date), rules);
      let weekYear = date.getUTCFullYear();
      if (week === 0) {
        const previous = new Date(date.getTime() - doy * DAY);
        week = babelWeekNumber(dayOfYear(previous), weekday(previous), rules);
        weekYear -= 1;
      }
      return `W${week} ${weekYear}`;
    }
    case 'month':
      return `${monthName(date, lang, 'long')} ${year}`;
    case 'quarter':
      return `${QUARTER_LETTERS[lang.slice(0, 2)] ?? 'Q'}${Math.floor(date.getUTCMonth() / 3) + 1} ${year}`;
    case 'year':
      return year;
  }
}
