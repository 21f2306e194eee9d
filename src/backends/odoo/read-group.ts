/**
 * Grouped totals (issue 18) over a real Odoo: Odoo's public `read_group(domain, fields, groupby, offset,
 * limit, orderby, lazy)` (odoo/models.py, Odoo 14 to 18; still there, deprecated, in 19), its answer
 * mapped to the Backend's Group shape (src/backends/read-group.ts).
 *
 * What Odoo 17 does, as the lab answered it (test/fixtures/odoo-recordings/jsonrpc_read_group_*.json):
 * - every aggregate is sent as `alias:agg(field)`, the alias `__agg<n>`, so that two aggregates of one field
 *   (`amount_total:sum,amount_total:avg`) both come back; Odoo names a plain `field:agg` by the field
 *   alone. Only what is asked is aggregated (`fields` without a plain field name: no default `sum`s);
 * - the count is `__count`, except lazily (`lazy`, one level) where it is `<first field>_count`;
 * - a date or datetime group comes labelled in the user's language (`January 2026`, `W9 2026`, `Q1 2026`),
 *   with `__range: {<groupby>: {from, to}}` (or `false` for the empty group) and a `__domain` over that
 *   range; datetimes are grouped in the context's time zone, so `lang` and `tz` are sent (the caller's
 *   own, from `res.users.context_get`, as Odoo's web client sends them);
 * - lazily, a field with `group_expand` (crm.lead's `stage_id`) adds its empty groups (`_read_group_fill_results`),
 *   and `__fold`; those empty groups come even with a `limit`, which Odoo applies before adding them;
 * - bad input Odoo refuses with a ValueError naming the field ("Invalid field 'x' on model 'crm.lead'",
 *   "Granularity specification isn't correct: 'decade'"), a field the user may not read with an
 *   AccessError; but a one2many group-by, `sum` of a char, `max` of a boolean reach PostgreSQL
 *   (`psycopg2.errors.UndefinedColumn`, `UndefinedFunction`) and `hour` on a date fails in Python
 *   (AttributeError): those are refused here before Odoo sees them (checkReadGroup), as are fields that are
 *   not stored, naming the field.
 *
 * The total number of groups: Odoo's `web_read_group` (addons/web) counts the groups past a full page
 * with a second `_read_group`, but not the empty groups `group_expand` adds, and answers 0 for an offset
 * past the end. So the total here is the page's own length when that is all there is (no offset, fewer
 * groups than the limit), else the length of a second `read_group` without limit, offset nor aggregates.
 */
import type { AggregateSpec, Group, GroupBySpec, ReadGroupParams } from '../read-group.js';
import { InvalidQueryError } from '../errors.js';
import type { DomainListTerm } from '../../domain/domain-to-list.js';
import type { WritableFields } from './check-values.js';
import { readGroupCall, type ModelCall } from './model-call.js';
import { OdooServerError } from './odoo-faults.js';

/** The alias an aggregate is sent under (`__agg0:sum(expected_revenue)`): \w+, as Odoo's `regex_field_agg` wants. */
export function aggregateAlias(index: number): string {
  return `__agg${index}`;
}

/** A group-by as sent to Odoo: `stage_id`, `create_date:month`. */
export function odooGroupBy(spec: GroupBySpec): string {
  return spec.granularity ? `${spec.field}:${spec.granularity}` : spec.field;
}

/** `read_group`'s `fields`: each aggregate under its alias; only the count (`__count`) when there is none. */
export function odooAggregates(aggregates: readonly AggregateSpec[]): string[] {
  if (!aggregates.length) return ['__count'];
  return aggregates.map((a, i) => `${aggregateAlias(i)}:${a.aggregator}(${a.field})`);
}

/**
 * `orderby` for Odoo: an aggregate asked for (`expected_revenue:sum desc`) by its alias (`__agg0 desc`),
 * which Odoo 17 maps back to the aggregate and Odoo 14 to 16 understand (they order by aggregate names
 * only, not by `field:agg`); group keys, `__count` and other terms as written.
 */
export function odooOrder(order: string | undefined, aggregates: readonly AggregateSpec[]): string | undefined {
  if (!order) return undefined;
  return order
    .split(',')
    .map((term) => {
      const [key = '', ...rest] = term.trim().split(/\s+/);
      const index = aggregates.findIndex((a) => a.key === key);
      return index < 0 ? term.trim() : [aggregateAlias(index), ...rest].join(' ');
    })
    .join(', ');
}

/** The `read_group` call of one page (`context`: `lang` and `tz`, for date groups). */
export function pageCall(
  model: string,
  domain: DomainListTerm[],
  params: ReadGroupParams,
  context?: Readonly<Record<string, unknown>>,
): ModelCall {
  return readGroupCall(model, domain, {
    fields: odooAggregates(params.aggregates),
    groupby: params.groupBy.map(odooGroupBy),
    offset: params.offset,
    limit: params.limit,
    orderby: odooOrder(params.order, params.aggregates),
    lazy: params.lazy,
    context,
  });
}

/** The `read_group` call that counts every group: the page's, without limit, offset, order nor aggregates. */
export function totalCall(
  model: string,
  domain: DomainListTerm[],
  params: ReadGroupParams,
  context?: Readonly<Record<string, unknown>>,
): ModelCall {
  return readGroupCall(model, domain, { fields: ['__count'], groupby: params.groupBy.map(odooGroupBy), lazy: params.lazy, context });
}

/** Whether the page's groups are all the groups there are, so that no second call is needed to count them. */
export function pageIsWhole(params: ReadGroupParams, groups: number): boolean {
  if (params.offset) return false;
  return params.limit === undefined || groups < params.limit;
}

/** Whether a date or datetime is grouped: the labels then depend on the language, datetimes on the time zone. */
export function groupsByDate(params: ReadGroupParams, fields: WritableFields): boolean {
  return params.groupBy.some((g) => fields[g.field]?.type === 'date' || fields[g.field]?.type === 'datetime');
}

const NUMERIC = new Set(['integer', 'float', 'monetary']);
/** The aggregators whose value over no records is 0. */
const COUNTING: ReadonlySet<string> = new Set(['sum', 'count', 'count_distinct']);
const DATES = new Set(['date', 'datetime']);
/** Types with no column of their own, or whose column PostgreSQL cannot group or compare. */
const NOT_GROUPABLE = new Set(['one2many', 'binary', 'properties', 'properties_definition']);
const NOT_AGGREGATABLE = new Set(['one2many', 'many2many', 'binary', 'properties', 'properties_definition']);

/**
 * Refuses (InvalidQueryError, the contract's 400, naming the field) what Odoo would let through to
 * PostgreSQL or fail on in Python: group-bys and aggregates of fields that are not stored or have no
 * column, a granularity on a field that is no date (`hour` on a date), `sum`/`avg` of what is not a number,
 * `bool_and`/`bool_or` of what is not a boolean, `max`/`min` of a boolean. Fields the caller's `fields_get`
 * does not show are left to Odoo: an unknown one is its ValueError (400), one the caller may not read
 * its AccessError (403).
 */
export function checkReadGroup(model: string, params: ReadGroupParams, fields: WritableFields): void {
  for (const spec of params.groupBy) {
    const field = fields[spec.field];
    if (!field) continue;
    const where = `query parameter 'groupby': field '${spec.field}' of ${model}`;
    if (NOT_GROUPABLE.has(field.type)) throw new InvalidQueryError(`${where} (${field.type}) cannot be grouped by`);
    if (!field.stored) throw new InvalidQueryError(`${where} is not stored, records cannot be grouped by it`);
    if (spec.granularity) {
      if (!DATES.has(field.type))
        throw new InvalidQueryError(`${where} is no date or datetime (${field.type}), '${spec.key}' has no granularity to apply`);
      if (spec.granularity === 'hour' && field.type === 'date')
        throw new InvalidQueryError(`${where} is a date, 'hour' is a granularity of datetimes only`);
    }
  }
  for (const spec of params.aggregates) {
    const field = fields[spec.field];
    if (!field) continue;
    const where = `query parameter 'aggregates': field '${spec.field}' of ${model}`;
    if (NOT_AGGREGATABLE.has(field.type)) throw new InvalidQueryError(`${where} (${field.type}) cannot be aggregated`);
    if (!field.stored) throw new InvalidQueryError(`${where} is not stored, it cannot be aggregated`);
    const { aggregator } = spec;
    if ((aggregator === 'sum' || aggregator === 'avg') && !NUMERIC.has(field.type))
      throw new InvalidQueryError(`${where} is no number (${field.type}), '${spec.key}' cannot be computed`);
    if ((aggregator === 'bool_and' || aggregator === 'bool_or') && field.type !== 'boolean')
      throw new InvalidQueryError(`${where} is no boolean (${field.type}), '${spec.key}' cannot be computed`);
    if ((aggregator === 'max' || aggregator === 'min') && field.type === 'boolean')
      throw new InvalidQueryError(`${where} is a boolean, '${spec.key}' cannot be computed (use bool_and or bool_or)`);
  }
}

/**
 * A PostgreSQL error a read_group reached despite checkReadGroup (a field type it does not know): bad
 * input all the same, a 400 with PostgreSQL's first line (`function sum(character varying) does not exist`).
 */
export function readGroupDatabaseError(error: unknown, model: string): unknown {
  if (!(error instanceof OdooServerError) || !/^psycopg2\.errors\.(Undefined|Datatype|InvalidTextRepresentation)/.test(error.odooName))
    return error;
  const detail = error.message
    .replace(/^Odoo raised \S+: /, '')
    .split('\n')[0]
    ?.trim();
  return new InvalidQueryError(`these groupby and aggregates cannot be computed on ${model}: ${detail || error.odooName}`);
}

/** Odoo's tuples come as JSON lists already; a copy, so the group owns its domain. */
function plainDomain(domain: unknown): unknown[] {
  return Array.isArray(domain) ? (JSON.parse(JSON.stringify(domain)) as unknown[]) : [];
}

/**
 * One `read_group` row as a Group under the caller's keys: the group-by values as Odoo gives them
 * (many2one `[id, display_name]`, `false` for the empty group, a date group's label), `__count` (lazily
 * Odoo's `<field>_count`), each aggregate from its alias (null when Odoo gives none; on an empty group 0
 * for sum, count and count_distinct, else null), `__domain`, and
 * `__range` of the date groups under the caller's keys. `__fold` and `__context` are left out.
 */
export function toGroup(row: Record<string, unknown>, model: string, params: ReadGroupParams): Group {
  const groupBy = params.lazy ? params.groupBy.slice(0, 1) : params.groupBy;
  const out: Record<string, unknown> = {};
  for (const spec of groupBy) {
    const value = row[odooGroupBy(spec)];
    out[spec.key] = value === undefined || value === null ? false : value;
  }
  const first = params.groupBy[0];
  const count = row.__count ?? (params.lazy && first ? row[`${first.field}_count`] : undefined);
  if (typeof count !== 'number') throw new OdooServerError(`${model}.read_group`, 'answered a group without a count');
  out.__count = count;
  params.aggregates.forEach((spec, i) => {
    const value = row[aggregateAlias(i)];
    // An empty group (group_expand's, lazily) comes with Odoo's "empty value", `false`: 0 for what counts
    // or adds up, null for the rest, as for any group whose records have no value.
    if (count === 0) out[spec.key] = COUNTING.has(spec.aggregator) ? 0 : null;
    else out[spec.key] = value === undefined ? null : value;
  });
  out.__domain = plainDomain(row.__domain);
  const range = row.__range;
  if (range && typeof range === 'object') {
    const mapped: Record<string, unknown> = {};
    for (const spec of groupBy) {
      const value = (range as Record<string, unknown>)[odooGroupBy(spec)];
      if (value !== undefined) mapped[spec.key] = value;
    }
    if (Object.keys(mapped).length) out.__range = mapped;
  }
  return out as Group;
}

/** A read_group answer as Groups (an answer that is no list of objects is Odoo's fault: a 500). */
export function toGroups(answer: unknown, model: string, params: ReadGroupParams): Group[] {
  if (!Array.isArray(answer) || !answer.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r)))
    throw new OdooServerError(`${model}.read_group`, 'answered no list of groups');
  return (answer as Record<string, unknown>[]).map((row) => toGroup(row, model, params));
}

/** How many groups a read_group answered. */
export function groupCount(answer: unknown, model: string): number {
  if (!Array.isArray(answer)) throw new OdooServerError(`${model}.read_group`, 'answered no list of groups');
  return answer.length;
}
