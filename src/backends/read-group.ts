/**
 * Grouped totals (issue 18): Odoo 17's `read_group(domain, fields, groupby, offset, limit, orderby, lazy)`
 * in the Backend's terms. The REST route (src/rest/groups-route.ts) parses `GET /api/<slug>/groups` into
 * ReadGroupParams; each backend answers a ReadGroupResult in Odoo's read_group shape (many2one keys as
 * `[id, display_name]` or `false`), and the route shapes it for the contract (`{id, name}`).
 */
import type { DomainNode } from '../domain/types.js';

/** The granularities Odoo 17 groups dates and datetimes by (`create_date:month`; `hour` for datetimes only). */
export const GRANULARITIES = ['hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/**
 * The aggregators Odoo 17's public read_group takes (`READ_GROUP_AGGREGATE` in odoo/models.py, less
 * `recordset`, which only its Python API answers), by what their `field:aggregator` spec names.
 */
export const AGGREGATORS = ['sum', 'avg', 'max', 'min', 'bool_and', 'bool_or', 'array_agg', 'count', 'count_distinct'] as const;
export type Aggregator = (typeof AGGREGATORS)[number];

/** One group-by key: a field, with a granularity for dates and datetimes (Odoo's default: `month`). */
export interface GroupBySpec {
  readonly field: string;
  readonly granularity?: Granularity;
  /** The key as the caller wrote it and as groups carry it: `stage_id`, `create_date:month`. */
  readonly key: string;
}

/** One aggregate: `expected_revenue:sum`, `id:count_distinct`. */
export interface AggregateSpec {
  readonly field: string;
  readonly aggregator: Aggregator;
  /** The key as the caller wrote it and as groups carry it: `expected_revenue:sum`. */
  readonly key: string;
}

export interface ReadGroupParams {
  readonly domain: DomainNode;
  /** At least one key. */
  readonly groupBy: readonly GroupBySpec[];
  readonly aggregates: readonly AggregateSpec[];
  /** Odoo orderby over group keys and aggregate keys (`__count desc`, `expected_revenue:sum desc`); undefined: by the keys. */
  readonly order?: string;
  readonly limit?: number;
  readonly offset?: number;
  /** Odoo's `lazy`: group by the first key only (the others are left for the next level). */
  readonly lazy: boolean;
}

/**
 * One group, in Odoo's read_group shape under the caller's keys: each group-by key (many2one as
 * `[id, display_name]`, `false` for the empty group; a date group as Odoo labels it, e.g. `January 2026`),
 * `__count`, each aggregate key, and `__domain` (the domain of exactly the group's records).
 */
export type Group = Record<string, unknown> & { readonly __count: number; readonly __domain: unknown[] };

export interface ReadGroupResult {
  /** Groups on this page. */
  readonly groups: Group[];
  /** Groups in all (without limit and offset). */
  readonly total: number;
}
