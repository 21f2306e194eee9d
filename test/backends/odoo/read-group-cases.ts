/**
 * The read_group cases recorded from the lab's Odoo 17 (read-group-recorder.ts) and replayed by
 * read-group.test.ts: each one readGroup call of the Odoo backend, as a user, on the recorder's marked
 * records (names or customer references starting with RECORDING_MARKER).
 */
import type { ReadGroupParams } from '../../../src/backends/read-group.js';

export const RECORDING_MARKER = 'RGREC';

export interface ReadGroupCase {
  /** Also the recording's name: `jsonrpc_read_group_<name>[_total]`. */
  readonly name: string;
  readonly login: 'admin' | 'demo';
  readonly model: string;
  /** The domain as the REST route receives it. */
  readonly domain: string;
  readonly params: Omit<ReadGroupParams, 'domain'>;
}

const LEADS = `[('name', '=like', '${RECORDING_MARKER}-%')]`;
const ORDERS = `[('client_order_ref', '=like', '${RECORDING_MARKER}-%')]`;
const REVENUE_SUM = { field: 'expected_revenue', aggregator: 'sum', key: 'expected_revenue:sum' } as const;
const REVENUE_AVG = { field: 'expected_revenue', aggregator: 'avg', key: 'expected_revenue:avg' } as const;
const STAGE = { field: 'stage_id', key: 'stage_id' } as const;

export const READ_GROUP_CASES: readonly ReadGroupCase[] = [
  {
    name: 'lead_stage_sum_avg_admin',
    login: 'admin',
    model: 'crm.lead',
    domain: LEADS,
    params: { groupBy: [STAGE], aggregates: [REVENUE_SUM, REVENUE_AVG], lazy: false },
  },
  {
    name: 'lead_stage_sum_avg_demo',
    login: 'demo',
    model: 'crm.lead',
    domain: LEADS,
    params: { groupBy: [STAGE], aggregates: [REVENUE_SUM, REVENUE_AVG], lazy: false },
  },
  {
    name: 'lead_stage_user_lazy_admin',
    login: 'admin',
    model: 'crm.lead',
    domain: LEADS,
    params: { groupBy: [STAGE, { field: 'user_id', key: 'user_id' }], aggregates: [REVENUE_SUM], lazy: true },
  },
  {
    name: 'lead_stage_user_eager_admin',
    login: 'admin',
    model: 'crm.lead',
    domain: LEADS,
    params: { groupBy: [STAGE, { field: 'user_id', key: 'user_id' }], aggregates: [REVENUE_SUM], lazy: false },
  },
  {
    name: 'lead_deadline_year_month_admin',
    login: 'admin',
    model: 'crm.lead',
    domain: LEADS,
    params: {
      groupBy: [
        { field: 'date_deadline', granularity: 'year', key: 'date_deadline:year' },
        { field: 'date_deadline', granularity: 'month', key: 'date_deadline:month' },
      ],
      aggregates: [REVENUE_SUM],
      lazy: false,
    },
  },
  {
    name: 'lead_stage_page_admin',
    login: 'admin',
    model: 'crm.lead',
    domain: LEADS,
    params: { groupBy: [STAGE], aggregates: [REVENUE_SUM], order: 'expected_revenue:sum desc', limit: 1, offset: 1, lazy: false },
  },
  {
    name: 'sale_partner_month_admin',
    login: 'admin',
    model: 'sale.order',
    domain: ORDERS,
    params: {
      groupBy: [
        { field: 'partner_id', key: 'partner_id' },
        { field: 'date_order', granularity: 'month', key: 'date_order:month' },
      ],
      aggregates: [
        { field: 'amount_total', aggregator: 'sum', key: 'amount_total:sum' },
        { field: 'amount_total', aggregator: 'avg', key: 'amount_total:avg' },
        { field: 'id', aggregator: 'count_distinct', key: 'id:count_distinct' },
      ],
      lazy: false,
    },
  },
  {
    name: 'sale_year_demo',
    login: 'demo',
    model: 'sale.order',
    domain: ORDERS,
    params: {
      groupBy: [{ field: 'date_order', granularity: 'year', key: 'date_order:year' }],
      aggregates: [{ field: 'amount_total', aggregator: 'sum', key: 'amount_total:sum' }],
      lazy: false,
    },
  },
  {
    // What `GET /api/crm_lead/groups?groupby=stage_id&aggregates=expected_revenue:sum&limit=80` sends (the
    // route passes limit and offset always; 80 is the GraphQL `groups` default).
    name: 'lead_stage_route_demo',
    login: 'demo',
    model: 'crm.lead',
    domain: LEADS,
    params: { groupBy: [STAGE], aggregates: [REVENUE_SUM], limit: 80, offset: 0, lazy: false },
  },
  {
    name: 'err_unknown_groupby_admin',
    login: 'admin',
    model: 'crm.lead',
    domain: LEADS,
    params: { groupBy: [{ field: 'no_such_field', key: 'no_such_field' }], aggregates: [], lazy: false },
  },
  {
    name: 'err_unknown_aggregate_admin',
    login: 'admin',
    model: 'crm.lead',
    domain: LEADS,
    params: { groupBy: [STAGE], aggregates: [{ field: 'no_such_field', aggregator: 'sum', key: 'no_such_field:sum' }], lazy: false },
  },
  {
    name: 'err_access_demo',
    login: 'demo',
    model: 'ir.config_parameter',
    domain: '[]',
    params: { groupBy: [{ field: 'key', key: 'key' }], aggregates: [], lazy: false },
  },
];
