/**
 * `GET /api/<slug>/groups` (issue 18, src/rest/groups-route.ts) in the gateway's terms: its query
 * parameters, its answer `{count, total, groups}` and the check that an answer has that shape.
 */
import { gatewayFailure } from './gateway-error.js';

/** Query parameters of `GET /api/<slug>/groups`; absent ones are not sent, so the gateway's defaults apply. */
export interface GroupsQueryParams {
  /** A domain in Python-literal form (`[('type', '=', 'opportunity')]`). */
  readonly domain?: string;
  /** `stage_id`, `create_date:month`: at least one. */
  readonly groupBy: readonly string[];
  /** `expected_revenue:sum`, `id:count_distinct`. */
  readonly aggregates?: readonly string[];
  readonly order?: string;
  readonly limit?: number;
  readonly offset?: number;
  readonly lazy?: boolean;
}

/** One group: its keys (many2one as `{id, name}`, `false` for none), `__count`, the aggregates, `__domain`. */
export type ContractGroup = Record<string, unknown> & { readonly __count: number; readonly __domain: unknown[] };

/** `GET /api/<slug>/groups`'s answer. */
export interface GroupPage {
  /** Groups on this page. */
  readonly count: number;
  /** Groups in all, whatever `limit` and `offset`. */
  readonly total: number;
  readonly groups: ContractGroup[];
}

function isGroup(value: unknown): value is ContractGroup {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { __count?: unknown }).__count === 'number' &&
    Array.isArray((value as { __domain?: unknown }).__domain)
  );
}

export function asGroupPage(body: unknown): GroupPage {
  const page = body as Partial<GroupPage> | null;
  if (
    typeof page === 'object' &&
    page !== null &&
    typeof page.count === 'number' &&
    typeof page.total === 'number' &&
    Array.isArray(page.groups) &&
    page.groups.every(isGroup)
  ) {
    return page as GroupPage;
  }
  throw gatewayFailure('BAD_ANSWER', 'sent an answer that is not a page of groups {count, total, groups}');
}

/** The query string of `GET /api/<slug>/groups`, parameters in a fixed order so equal requests give equal keys. */
export function groupsQuery(params: GroupsQueryParams): string {
  const parts: string[] = [];
  if (params.domain !== undefined) parts.push(`domain=${encodeURIComponent(params.domain)}`);
  parts.push(`groupby=${encodeURIComponent(params.groupBy.join(','))}`);
  if (params.aggregates?.length) parts.push(`aggregates=${encodeURIComponent(params.aggregates.join(','))}`);
  if (params.order !== undefined) parts.push(`order=${encodeURIComponent(params.order)}`);
  if (params.limit !== undefined) parts.push(`limit=${params.limit}`);
  if (params.offset !== undefined) parts.push(`offset=${params.offset}`);
  if (params.lazy !== undefined) parts.push(`lazy=${params.lazy ? 'true' : 'false'}`);
  return parts.join('&');
}
