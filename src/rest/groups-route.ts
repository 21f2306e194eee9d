/**
 * Extension to the contract (issue 18): `GET /api/<slug>/groups`, grouped totals with the semantics of
 * Odoo 17's `read_group(domain, fields, groupby, offset, limit, orderby, lazy)`, under the caller's rules.
 *
 *   GET /api/crm_lead/groups?groupby=stage_id,create_date:month&aggregates=expected_revenue:sum&order=__count desc
 *   {"count": 2, "total": 2, "groups": [{"stage_id": {"id": 1, "name": "New"}, "create_date:month": "January 2026",
 *     "__count": 12, "expected_revenue:sum": 1234.5, "__range": {...}, "__domain": [...]}, ...]}
 *
 * Parameters (the schema, groups-schema.ts, checks their shape; this file what it cannot express, each
 * refusal a 400 naming the parameter): `groupby` (required: comma-separated fields, dates and datetimes as
 * `field:granularity`), `domain` (as List), `aggregates` (comma-separated `field:aggregator`), `order`
 * (group-by keys, `__count`, `field:aggregator`), `limit` (default and maximum MAX_LIMIT; 0: only `total`),
 * `offset`, `lazy` (`true`/`false`, default false). Whether a field exists, can be grouped by or aggregated
 * so, and whether the caller may read it is the backend's to say (400, 403), as for a List's fields.
 *
 * The answer is the backend's ReadGroupResult (src/backends/read-group.ts, Odoo's read_group shape) with
 * many2one keys in the contract's `{id, name}` (record-shape.ts); each group's `__domain` is a JSON domain
 * that `GET /api/<slug>?domain=` takes as it stands, and lists exactly the group's `__count` records.
 * Conditional GET as List (conditional-get.ts). Registered in the /api/<slug> scope (api-routes.ts), whose
 * hook resolves the caller (401) and then the model (404) first; Fastify prefers the static segment, so
 * `groups` is never taken for a record id. BACKEND=proxy forwards the path as it forwards all of /api.
 */
import type { FastifyInstance } from 'fastify';
import type { Backend } from '../backends/backend.js';
import {
  AGGREGATORS,
  GRANULARITIES,
  type AggregateSpec,
  type Aggregator,
  type Granularity,
  type GroupBySpec,
  type ReadGroupParams,
} from '../backends/read-group.js';
import { ApiError } from './api-error.js';
import { apiCall } from './caller.js';
import { conditionalRead } from './conditional-get.js';
import { GROUPS_SCHEMA } from './groups-schema.js';
import { parseListParams } from './list-params.js';
import { isMany2OnePair } from './record-shape.js';
import { withSchema } from './route-schemas.js';

export interface GroupsRouteOptions {
  readonly backend: Backend;
  readonly maxLimit: number;
}

/** The route's query parameters, as its schema lets them through (each a string, given once). */
export interface GroupsQuery {
  readonly groupby?: string;
  readonly domain?: string;
  readonly aggregates?: string;
  readonly order?: string;
  readonly limit?: string;
  readonly offset?: string;
  readonly lazy?: string;
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const ORDER_TERM = /^[A-Za-z_][A-Za-z0-9_]*(:[A-Za-z_]+)?(\s+(asc|desc))?(\s+nulls\s+(first|last))?$/i;
/** More keys than any pivot uses; each is a GROUP BY column. */
const MAX_KEYS = 10;
const MAX_AGGREGATES = 50;

const quoted = (text: string) => `'${text.slice(0, 60)}'`;
const isGranularity = (text: string): text is Granularity => (GRANULARITIES as readonly string[]).includes(text);
const isAggregator = (text: string): text is Aggregator => (AGGREGATORS as readonly string[]).includes(text);

/** `a, b,c` to its non-empty items. */
function items(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseGroupBy(text: string | undefined): GroupBySpec[] {
  if (text === undefined) {
    throw new ApiError(
      400,
      "query parameter 'groupby' is required: the fields to group by, e.g. 'stage_id' or 'stage_id,create_date:month'",
    );
  }
  const keys = items(text);
  if (keys.length === 0) {
    throw new ApiError(400, "query parameter 'groupby' must name at least one field, e.g. 'stage_id' or 'create_date:month'");
  }
  if (keys.length > MAX_KEYS) throw new ApiError(400, `query parameter 'groupby': at most ${MAX_KEYS} keys, got ${keys.length}`);
  const seen = new Set<string>();
  return keys.map((key) => {
    const [field = '', granularity, extra] = key.split(':');
    if (!FIELD_NAME.test(field))
      throw new ApiError(400, `query parameter 'groupby': invalid field name ${quoted(field)} in ${quoted(key)}`);
    if (extra !== undefined) {
      throw new ApiError(400, `query parameter 'groupby': invalid key ${quoted(key)}, expected 'field' or 'field:granularity'`);
    }
    if (granularity !== undefined && !isGranularity(granularity)) {
      throw new ApiError(
        400,
        `query parameter 'groupby': unknown granularity ${quoted(granularity)} in ${quoted(key)}, expected one of ${GRANULARITIES.join(', ')}`,
      );
    }
    if (seen.has(key)) throw new ApiError(400, `query parameter 'groupby': ${quoted(key)} is given twice`);
    seen.add(key);
    return granularity === undefined ? { field, key } : { field, granularity, key };
  });
}

function parseAggregates(text: string | undefined): AggregateSpec[] {
  // `__count` is in every group; Odoo's read_group skips it among its fields too.
  const specs = items(text).filter((item) => item !== '__count');
  if (specs.length > MAX_AGGREGATES) {
    throw new ApiError(400, `query parameter 'aggregates': at most ${MAX_AGGREGATES} aggregates, got ${specs.length}`);
  }
  const seen = new Set<string>();
  return specs.map((key) => {
    const [field = '', aggregator, extra] = key.split(':');
    if (!FIELD_NAME.test(field)) {
      throw new ApiError(400, `query parameter 'aggregates': invalid field name ${quoted(field)} in ${quoted(key)}`);
    }
    if (aggregator === undefined || aggregator === '') {
      throw new ApiError(
        400,
        `query parameter 'aggregates': ${quoted(key)} has no aggregator, expected 'field:aggregator' with one of ${AGGREGATORS.join(', ')}`,
      );
    }
    if (extra !== undefined)
      throw new ApiError(400, `query parameter 'aggregates': invalid aggregate ${quoted(key)}, expected 'field:aggregator'`);
    if (!isAggregator(aggregator)) {
      throw new ApiError(
        400,
        `query parameter 'aggregates': unknown aggregator ${quoted(aggregator)} in ${quoted(key)}, expected one of ${AGGREGATORS.join(', ')}`,
      );
    }
    if (seen.has(key)) throw new ApiError(400, `query parameter 'aggregates': ${quoted(key)} is given twice`);
    seen.add(key);
    return { field, aggregator, key };
  });
}

function parseOrder(text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const terms = text.split(',').map((term) => term.trim());
  for (const term of terms) {
    if (!ORDER_TERM.test(term)) {
      throw new ApiError(
        400,
        `query parameter 'order': invalid term ${quoted(term)}, expected '<group-by key, __count or field:aggregator> [asc|desc] [nulls first|last]'`,
      );
    }
  }
  return terms.join(', ');
}

function parseLazy(text: string | undefined): boolean {
  if (text === undefined || text.trim() === '') return false;
  const value = text.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ApiError(400, `query parameter 'lazy' must be 'true' or 'false', got ${quoted(text)}`);
}

/** `limit` or `offset` (digits, by the schema's pattern); the default when absent or blank. */
function count(text: string | undefined, fallback: number): number {
  return text === undefined || text.trim() === '' ? fallback : Number(text.trim());
}

/** The route's query to the Backend's ReadGroupParams, or a 400 naming the parameter. */
export function parseGroupsParams(query: GroupsQuery, maxLimit: number): ReadGroupParams {
  const groupBy = parseGroupBy(query.groupby);
  // The domain as List parses it, with List's messages.
  const { domain } = parseListParams({ domain: query.domain }, maxLimit);
  return {
    domain,
    groupBy,
    aggregates: parseAggregates(query.aggregates),
    order: parseOrder(query.order),
    limit: Math.min(count(query.limit, maxLimit), maxLimit),
    offset: count(query.offset, 0),
    lazy: parseLazy(query.lazy),
  };
}

/** A group as the contract answers it: each many2one (and many2many, id) key `{id, name}`; the rest as the backend gave it. */
function toContractGroup(group: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...group };
  for (const key of keys) {
    const value = group[key];
    if (isMany2OnePair(value)) out[key] = { id: value[0], name: value[1] };
  }
  return out;
}

export async function registerGroupsRoute(app: FastifyInstance, { backend, maxLimit }: GroupsRouteOptions): Promise<void> {
  // 304 when unchanged, as the other reads; parameters are parsed only when the answer is read.
  app.get<{ Querystring: GroupsQuery }>('/api/:slug/groups', withSchema(GROUPS_SCHEMA), async (request, reply) => {
    const { caller, model } = apiCall(request);
    return conditionalRead(backend, caller, request, reply, async () => {
      const params = parseGroupsParams(request.query, maxLimit);
      const { groups, total } = await backend.readGroup(caller, model, params);
      const keys = params.groupBy.map((spec) => spec.key);
      return { count: groups.length, total, groups: groups.map((group) => toContractGroup(group, keys)) };
    });
  });
}
