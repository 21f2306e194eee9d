/**
 * The `groups` root field's arguments (issue 18), checked as arguments.ts checks those of `records`: what
 * `GET /api/<slug>/groups` would refuse whatever the data (a key that is no field name, an unknown
 * aggregator or granularity, a negative limit) is BAD_USER_INPUT here, and nothing is sent. Whether the
 * field exists, can be grouped or aggregated, and may be read is the gateway's to say.
 */
import { printDomain } from '../domain/print-domain.js';
import type { DomainNode } from '../domain/types.js';
import { AGGREGATORS, GRANULARITIES } from '../backends/read-group.js';
import { DEFAULT_LIMIT } from '../gateway/contract-types.js';
import { groupsQuery, type GroupsQueryParams } from '../gateway/groups.js';
import { checkGatewayUrl } from './arguments.js';
import { badUserInput } from './errors.js';

const FIELD = '[A-Za-z_][A-Za-z0-9_]*';
const GROUP_BY = new RegExp(`^${FIELD}(:(${GRANULARITIES.join('|')}))?$`);
const AGGREGATE = new RegExp(`^${FIELD}:(${AGGREGATORS.join('|')})$`);
const ORDER_TERM = new RegExp(`^${FIELD}(:[a-z_]+)?(\\s+(asc|desc))?$`, 'i');
/** More keys than any pivot shows; a longer list is a mistake or an attack, not a report. */
export const MAX_GROUP_BY = 10;
export const MAX_AGGREGATES = 30;

export interface GroupsArgs {
  readonly slug: string;
  readonly domain?: DomainNode | null;
  readonly groupBy: readonly string[];
  readonly aggregates?: readonly string[] | null;
  readonly order?: string | null;
  readonly limit?: number | null;
  readonly offset?: number | null;
  readonly lazy?: boolean | null;
}

function trimmed(list: readonly string[] | null | undefined): string[] {
  return (list ?? []).map((s) => s.trim()).filter((s) => s !== '');
}

function nonNegative(name: string, value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (value < 0) throw badUserInput(`'${name}' must be an integer >= 0, got ${value}`);
  return value;
}

/** The `groups` arguments as the gateway's parameters; the always-true domain is not sent. */
export function groupsParams(args: GroupsArgs): GroupsQueryParams {
  const groupBy = trimmed(args.groupBy);
  if (!groupBy.length) throw badUserInput(`'groupBy' needs at least one key, e.g. ["stage_id"] or ["create_date:month"]`);
  if (groupBy.length > MAX_GROUP_BY) throw badUserInput(`'groupBy' has ${groupBy.length} keys, at most ${MAX_GROUP_BY} are allowed`);
  for (const key of groupBy) {
    if (!GROUP_BY.test(key))
      throw badUserInput(`invalid key '${key.slice(0, 60)}' in 'groupBy': expected 'field' or 'field:${GRANULARITIES.join('|')}'`);
  }
  const aggregates = trimmed(args.aggregates);
  if (aggregates.length > MAX_AGGREGATES)
    throw badUserInput(`'aggregates' has ${aggregates.length} entries, at most ${MAX_AGGREGATES} are allowed`);
  for (const spec of aggregates) {
    if (!AGGREGATE.test(spec))
      throw badUserInput(`invalid aggregate '${spec.slice(0, 60)}' in 'aggregates': expected 'field:${AGGREGATORS.join('|')}'`);
  }
  let order: string | undefined;
  if (args.order !== null && args.order !== undefined && args.order.trim() !== '') {
    const terms = args.order.split(',').map((t) => t.trim());
    for (const term of terms) {
      if (!ORDER_TERM.test(term))
        throw badUserInput(`invalid term '${term.slice(0, 60)}' in 'order': expected a group key or an aggregate, then 'asc' or 'desc'`);
    }
    order = terms.join(', ');
  }
  // Omitted: the REST list's default page, as `records` (and as the cost limit counts it, operation-cost.ts).
  const limit = nonNegative('limit', args.limit) ?? DEFAULT_LIMIT;
  const offset = nonNegative('offset', args.offset);
  const domain = args.domain && args.domain.kind !== 'true' ? printDomain(args.domain) : undefined;
  const params: GroupsQueryParams = {
    groupBy,
    ...(domain !== undefined && { domain }),
    ...(aggregates.length && { aggregates }),
    ...(order !== undefined && { order }),
    limit,
    ...(offset !== undefined && { offset }),
    ...(args.lazy !== null && args.lazy !== undefined && { lazy: args.lazy }),
  };
  checkGatewayUrl(`/api/${encodeURIComponent(args.slug)}/groups`, groupsQuery(params));
  return params;
}
