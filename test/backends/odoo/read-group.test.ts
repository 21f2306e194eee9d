/**
 * The Odoo backend's readGroup (issue 18) against real Odoo 17 answers: the read_group exchanges recorded
 * from the lab by read-group-recorder.ts (test/fixtures/odoo-recordings/jsonrpc_read_group_*.json, on its
 * marked records, see read-group-cases.ts), replayed through undici's MockAgent (replay.ts). Each test
 * proves both directions: the requests sent equal the recorded ones (`assertDone`), and Odoo's answers
 * become the Group shape of src/backends/read-group.ts.
 */
import { describe, expect, it } from 'vitest';
import { AccessError, InvalidQueryError } from '../../../src/backends/errors.js';
import { readGroupCall } from '../../../src/backends/odoo/model-call.js';
import { checkReadGroup, odooOrder, toGroup } from '../../../src/backends/odoo/read-group.js';
import type { ReadGroupParams, ReadGroupResult } from '../../../src/backends/read-group.js';
import { parseDomain } from '../../../src/domain/parse-domain.js';
import { READ_GROUP_CASES, type ReadGroupCase } from './read-group-cases.js';
import {
  DEMO_KEY,
  DOCUMENTED_MODELS,
  basic,
  modelListRequest,
  recording,
  rpcResult,
  useReplayedOdooApp,
  useReplayedOdooBackend,
} from './replay.js';

const odoo = useReplayedOdooBackend();

function theCase(name: string): ReadGroupCase {
  const found = READ_GROUP_CASES.find((c) => c.name === name);
  if (!found) throw new Error(`no case ${name}`);
  return found;
}

function paramsOf(c: ReadGroupCase): ReadGroupParams {
  return { ...c.params, domain: parseDomain(c.domain) };
}

/** The execute_kw arguments of a recorded request. */
function argsOf(name: string): unknown[] {
  return (recording(name).request.json as { params: { args: unknown[] } }).params.args;
}

const DATES = new Set(['date_deadline', 'date_order', 'create_date']);

/** Runs a recorded case: its fields_get, context_get (date group-bys), read_group and total, as recorded. */
async function run(name: string, { total = false }: { total?: boolean } = {}): Promise<ReadGroupResult> {
  const c = theCase(name);
  const caller = await odoo.login(c.login);
  odoo.replay.expect(`jsonrpc_read_group_fields_get_${c.model.replaceAll('.', '_')}_${c.login}`);
  if (c.params.groupBy.some((g) => DATES.has(g.field))) odoo.replay.expect(`jsonrpc_read_group_context_get_${c.login}`);
  odoo.replay.expect(`jsonrpc_read_group_${name}`);
  if (total) odoo.replay.expect(`jsonrpc_read_group_${name}_total`);
  const result = await odoo.backend.readGroup(caller, c.model, paramsOf(c));
  odoo.replay.assertDone();
  return result;
}

const SCOPE = ['name', '=like', 'RGREC-%'];
const ORDERS = ['client_order_ref', '=like', 'RGREC-%'];

describe('RG read_group over JSON-RPC, as recorded from Odoo 17', () => {
  it('RG-01 by stage, two aggregates of one field: sent as `__agg0:sum(expected_revenue)`, `__agg1:avg(...)`, answered under the caller keys', async () => {
    const request = argsOf('jsonrpc_read_group_lead_stage_sum_avg_admin');
    expect(request.slice(3)).toEqual([
      'crm.lead',
      'read_group',
      [[SCOPE], ['__agg0:sum(expected_revenue)', '__agg1:avg(expected_revenue)'], ['stage_id']],
      { lazy: false },
    ]);
    const result = await run('lead_stage_sum_avg_admin');
    expect(result).toEqual({
      total: 3,
      groups: [
        {
          stage_id: [1, 'New'],
          __count: 2,
          'expected_revenue:sum': 3500,
          'expected_revenue:avg': 1750,
          __domain: ['&', SCOPE, ['stage_id', '=', 1]],
        },
        {
          stage_id: [2, 'Qualified'],
          __count: 2,
          'expected_revenue:sum': 4500,
          'expected_revenue:avg': 2250,
          __domain: ['&', SCOPE, ['stage_id', '=', 2]],
        },
        {
          stage_id: [3, 'Proposition'],
          __count: 1,
          'expected_revenue:sum': 12000,
          'expected_revenue:avg': 12000,
          __domain: ['&', SCOPE, ['stage_id', '=', 3]],
        },
      ],
    });
  });

  it("RG-02 as demo, record rules change the totals: only demo's own and unassigned leads", async () => {
    const result = await run('lead_stage_sum_avg_demo');
    expect(result.total).toBe(2);
    expect(result.groups.map((g) => [g.stage_id, g.__count, g['expected_revenue:sum']])).toEqual([
      [[1, 'New'], 1, 2500],
      [[2, 'Qualified'], 2, 4500],
    ]);
  });

  it("RG-03 lazy: Odoo's `stage_id_count` becomes `__count`; group_expand's empty stage comes with 0; `__fold`, `__context` left out", async () => {
    const raw = recording('jsonrpc_read_group_lead_stage_user_lazy_admin').response.json.result as Array<Record<string, unknown>>;
    expect(raw[0]).toMatchObject({ stage_id_count: 2, __fold: false, __context: { group_by: ['user_id'] } });
    expect(raw[3]).toMatchObject({ stage_id: [4, 'Won'], stage_id_count: 0, __agg0: false });
    const result = await run('lead_stage_user_lazy_admin');
    expect(result.total).toBe(4);
    expect(result.groups[0]).toEqual({
      stage_id: [1, 'New'],
      __count: 2,
      'expected_revenue:sum': 3500,
      __domain: ['&', SCOPE, ['stage_id', '=', 1]],
    });
    expect(result.groups[3]).toEqual({
      stage_id: [4, 'Won'],
      __count: 0,
      'expected_revenue:sum': 0,
      __domain: ['&', SCOPE, ['stage_id', '=', 4]],
    });
    for (const group of result.groups)
      expect(Object.keys(group).sort()).toEqual(['__count', '__domain', 'expected_revenue:sum', 'stage_id']);
  });

  it('RG-04 eager over two keys: one group per (stage, user) that has records, `false` for no salesperson', async () => {
    const result = await run('lead_stage_user_eager_admin');
    expect(result.groups.map((g) => [g.stage_id, g.user_id, g.__count, g['expected_revenue:sum']])).toEqual([
      [[1, 'New'], [6, 'Marc Demo'], 1, 2500],
      [[1, 'New'], [2, 'Mitchell Admin'], 1, 1000],
      [[2, 'Qualified'], [6, 'Marc Demo'], 1, 4000],
      [[2, 'Qualified'], false, 1, 500],
      [[3, 'Proposition'], [2, 'Mitchell Admin'], 1, 12000],
    ]);
    expect(result.total).toBe(5);
    expect(result.groups[3]!.__domain).toEqual(['&', '&', SCOPE, ['stage_id', '=', 2], ['user_id', '=', false]]);
  });

  it("RG-05 dates by year and month across the year boundary: Odoo's labels, `__range` under the caller keys, the empty date last", async () => {
    const request = argsOf('jsonrpc_read_group_lead_deadline_year_month_admin');
    expect(request[6]).toEqual({ lazy: false, context: { lang: 'en_US', tz: 'Europe/Brussels' } });
    const result = await run('lead_deadline_year_month_admin');
    expect(result.groups.map((g) => [g['date_deadline:year'], g['date_deadline:month'], g.__count, g['expected_revenue:sum']])).toEqual([
      ['2025', 'November 2025', 1, 12000],
      ['2025', 'December 2025', 1, 1000],
      ['2026', 'January 2026', 2, 6500],
      [false, false, 1, 500],
    ]);
    expect(result.groups[1]).toMatchObject({
      __range: {
        'date_deadline:year': { from: '2025-01-01', to: '2026-01-01' },
        'date_deadline:month': { from: '2025-12-01', to: '2026-01-01' },
      },
      __domain: [
        '&',
        '&',
        SCOPE,
        '&',
        ['date_deadline', '>=', '2025-01-01'],
        ['date_deadline', '<', '2026-01-01'],
        '&',
        ['date_deadline', '>=', '2025-12-01'],
        ['date_deadline', '<', '2026-01-01'],
      ],
    });
    expect(result.groups[3]!.__range).toEqual({ 'date_deadline:year': false, 'date_deadline:month': false });
  });

  it('RG-06 a page (order by an aggregate, limit 1, offset 1): the order passed as written; the total from a second read_group without limit', async () => {
    const page = argsOf('jsonrpc_read_group_lead_stage_page_admin');
    // The aggregate asked for is ordered by its alias (Odoo 17 maps it back; Odoo 14-16 know only aliases).
    expect(page[6]).toEqual({ offset: 1, limit: 1, orderby: '__agg0 desc', lazy: false });
    const total = argsOf('jsonrpc_read_group_lead_stage_page_admin_total');
    expect(total.slice(5)).toEqual([[[SCOPE], ['__count'], ['stage_id']], { lazy: false }]);
    const result = await run('lead_stage_page_admin', { total: true });
    expect(result).toEqual({
      total: 3,
      groups: [{ stage_id: [2, 'Qualified'], __count: 2, 'expected_revenue:sum': 4500, __domain: ['&', SCOPE, ['stage_id', '=', 2]] }],
    });
  });

  it("RG-07 sale orders by customer and month in the user's time zone (Europe/Brussels): 2025-12-31 23:30 UTC is January 2026", async () => {
    const result = await run('sale_partner_month_admin');
    expect(
      result.groups.map((g) => [
        (g.partner_id as [number, string])[1],
        g['date_order:month'],
        g.__count,
        g['amount_total:sum'],
        g['amount_total:avg'],
        g['id:count_distinct'],
      ]),
    ).toEqual([
      ['Azure Interior', 'December 2025', 1, 300, 300, 1],
      ['Azure Interior', 'January 2026', 1, 500, 500, 1],
      ['Deco Addict', 'February 2026', 1, 200, 200, 1],
    ]);
    expect(result.groups[1]!.__range).toEqual({ 'date_order:month': { from: '2025-12-31 23:00:00', to: '2026-01-31 23:00:00' } });
    expect(result.groups[1]!.__domain).toContainEqual(ORDERS);
  });

  it('RG-08 as demo, by year: the order of 2025-12-31 23:30 UTC counts in 2026', async () => {
    const result = await run('sale_year_demo');
    expect(result.groups.map((g) => [g['date_order:year'], g.__count, g['amount_total:sum']])).toEqual([
      ['2025', 1, 300],
      ['2026', 2, 700],
    ]);
  });
});

describe("RG errors: Odoo's faults mapped, what Odoo would not refuse refused first", () => {
  it("RG-10 an unknown group-by field: Odoo's ValueError, a 400 naming it", async () => {
    const error = await run('err_unknown_groupby_admin').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidQueryError);
    expect((error as Error).message).toBe("Invalid field 'no_such_field' on model 'crm.lead'");
  });

  it("RG-11 an unknown aggregate field: Odoo's ValueError naming the field and the aggregate (not the alias)", async () => {
    const error = await run('err_unknown_aggregate_admin').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidQueryError);
    expect((error as Error).message).toBe("Invalid field 'no_such_field' on model 'crm.lead' for 'no_such_field:sum'.");
  });

  it('RG-12 a model demo may not read: AccessError (403)', async () => {
    const error = await run('err_access_demo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessError);
    expect((error as Error).message).toMatch(/not allowed to access 'System Parameter' \(ir\.config_parameter\)/);
  });

  const refused: Array<[string, string, Partial<ReadGroupParams>, RegExp]> = [
    ['crm.lead', 'not stored', { groupBy: [{ field: 'display_name', key: 'display_name' }] }, /'display_name' of crm\.lead is not stored/],
    [
      'sale.order',
      'a one2many',
      { groupBy: [{ field: 'order_line', key: 'order_line' }] },
      /'order_line' of sale\.order \(one2many\) cannot be grouped/,
    ],
    [
      'crm.lead',
      'sum of a char',
      { aggregates: [{ field: 'name', aggregator: 'sum', key: 'name:sum' }] },
      /'name' of crm\.lead is no number \(char\), 'name:sum'/,
    ],
    [
      'crm.lead',
      'max of a boolean',
      { aggregates: [{ field: 'active', aggregator: 'max', key: 'active:max' }] },
      /'active' of crm\.lead is a boolean, 'active:max'/,
    ],
    [
      'crm.lead',
      'bool_or of a float',
      { aggregates: [{ field: 'expected_revenue', aggregator: 'bool_or', key: 'expected_revenue:bool_or' }] },
      /is no boolean \(monetary\)/,
    ],
    [
      'crm.lead',
      'hour of a date',
      { groupBy: [{ field: 'date_deadline', granularity: 'hour', key: 'date_deadline:hour' }] },
      /'date_deadline' of crm\.lead is a date, 'hour'/,
    ],
    [
      'crm.lead',
      'a granularity on a char',
      { groupBy: [{ field: 'name', granularity: 'month', key: 'name:month' }] },
      /'name' of crm\.lead is no date or datetime \(char\)/,
    ],
    [
      'crm.lead',
      'an aggregate of a many2many',
      { aggregates: [{ field: 'tag_ids', aggregator: 'count', key: 'tag_ids:count' }] },
      /'tag_ids' of crm\.lead \(many2many\) cannot be aggregated/,
    ],
    [
      'crm.lead',
      'an aggregate of a computed field',
      { aggregates: [{ field: 'display_name', aggregator: 'count', key: 'display_name:count' }] },
      /'display_name' of crm\.lead is not stored/,
    ],
  ];
  for (const [model, what, params, message] of refused) {
    it(`RG-13 ${what} (${model}): a 400 naming the field, only fields_get sent (Odoo would fail in PostgreSQL or Python)`, async () => {
      const caller = await odoo.login('admin');
      odoo.replay.expect(`jsonrpc_read_group_fields_get_${model.replaceAll('.', '_')}_admin`);
      const full: ReadGroupParams = {
        domain: parseDomain('[]'),
        groupBy: [{ field: 'stage_id', key: 'stage_id' }],
        aggregates: [],
        lazy: false,
        ...params,
      };
      const error = await odoo.backend.readGroup(caller, model, full).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidQueryError);
      expect((error as Error).message).toMatch(message);
      odoo.replay.assertDone();
    });
  }

  it('RG-14 limit 0: no page asked, only the total', async () => {
    const caller = await odoo.login('admin');
    odoo.replay.expect('jsonrpc_read_group_fields_get_crm_lead_admin');
    odoo.replay.expect('jsonrpc_read_group_lead_stage_page_admin_total');
    const c = theCase('lead_stage_page_admin');
    const result = await odoo.backend.readGroup(caller, c.model, { ...paramsOf(c), order: undefined, limit: 0, offset: 0 });
    expect(result).toEqual({ groups: [], total: 3 });
    odoo.replay.assertDone();
  });
});

describe('RG the call in each protocol, and the mapping alone', () => {
  it('RG-20 execute_kw positional (domain, fields, groupby), call_kw all keywords as the web client, /json/2 by name', () => {
    const call = readGroupCall('crm.lead', [['type', '=', 'opportunity']], {
      fields: ['__agg0:sum(expected_revenue)'],
      groupby: ['stage_id'],
      limit: 5,
      offset: 10,
      orderby: '__count desc',
      lazy: true,
      context: { tz: 'Europe/Brussels' },
    });
    const kwargs = { offset: 10, limit: 5, orderby: '__count desc', lazy: true, context: { tz: 'Europe/Brussels' } };
    expect(call.args).toEqual([[['type', '=', 'opportunity']], ['__agg0:sum(expected_revenue)'], ['stage_id']]);
    expect(call.kwargs).toEqual(kwargs);
    expect(call.web).toEqual({
      args: [],
      kwargs: { domain: [['type', '=', 'opportunity']], fields: ['__agg0:sum(expected_revenue)'], groupby: ['stage_id'], ...kwargs },
    });
    expect(call.named).toEqual({
      domain: [['type', '=', 'opportunity']],
      fields: ['__agg0:sum(expected_revenue)'],
      groupby: ['stage_id'],
      ...kwargs,
    });
  });

  it('RG-22b order: an aggregate asked for by its alias; group keys, __count and other aggregates as written', () => {
    const aggregates = [
      { field: 'amount_total', aggregator: 'sum', key: 'amount_total:sum' },
      { field: 'amount_total', aggregator: 'avg', key: 'amount_total:avg' },
    ] as const;
    expect(odooOrder('amount_total:avg desc, __count,date_order:month asc', aggregates)).toBe('__agg1 desc, __count, date_order:month asc');
    expect(odooOrder('amount_untaxed:sum', aggregates)).toBe('amount_untaxed:sum');
    expect(odooOrder(undefined, aggregates)).toBeUndefined();
  });

  it('RG-21 a row with no count is no answer of Odoo (a 500, not a group of 0)', () => {
    const params: ReadGroupParams = {
      domain: parseDomain('[]'),
      groupBy: [{ field: 'stage_id', key: 'stage_id' }],
      aggregates: [],
      lazy: false,
    };
    expect(() => toGroup({ stage_id: false, __domain: [] }, 'crm.lead', params)).toThrow(/without a count/);
    expect(toGroup({ stage_id: false, __count: 3, __domain: [['stage_id', '=', false]] }, 'crm.lead', params)).toEqual({
      stage_id: false,
      __count: 3,
      __domain: [['stage_id', '=', false]],
    });
  });

  it('RG-22 fields the caller cannot see are left to Odoo (its ValueError or AccessError)', () => {
    const params: ReadGroupParams = {
      domain: parseDomain('[]'),
      groupBy: [{ field: 'secret', key: 'secret' }],
      aggregates: [],
      lazy: false,
    };
    expect(() => checkReadGroup('crm.lead', params, {})).not.toThrow();
  });
});

describe('RG the REST route and the GraphQL `groups` query in front of the replayed Odoo', () => {
  const served = useReplayedOdooApp();
  const DEMO = { authorization: basic('demo', DEMO_KEY) };
  const ROUTE = '/api/crm_lead/groups?groupby=stage_id&aggregates=expected_revenue:sum&limit=80';
  const EXPECTED = {
    count: 2,
    total: 2,
    groups: [
      { stage_id: { id: 1, name: 'New' }, __count: 1, 'expected_revenue:sum': 2500, __domain: ['&', SCOPE, ['stage_id', '=', 1]] },
      { stage_id: { id: 2, name: 'Qualified' }, __count: 2, 'expected_revenue:sum': 4500, __domain: ['&', SCOPE, ['stage_id', '=', 2]] },
    ],
  };

  function demoReadsGroups(): void {
    served
      .replay()
      .expect('jsonrpc_common_authenticate_demo_apikey')
      .expectDocumented('ir.model', modelListRequest(6, DEMO_KEY), { json: rpcResult(DOCUMENTED_MODELS) })
      .expect('jsonrpc_read_group_fields_get_crm_lead_demo')
      .expect('jsonrpc_read_group_lead_stage_route_demo');
  }

  it('RG-30 GET /api/crm_lead/groups as demo: read_group as recorded, many2one keys as {id, name}', async () => {
    const url = await served.start();
    demoReadsGroups();
    const response = await fetch(`${url}${ROUTE}&domain=${encodeURIComponent(`[('name', '=like', 'RGREC-%')]`)}`, { headers: DEMO });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(EXPECTED);
    served.replay().assertDone();
  });

  it('RG-31 the GraphQL `groups` query as demo answers the same, through the REST route', async () => {
    const url = await served.start();
    demoReadsGroups();
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { ...DEMO, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ groups(slug: "crm_lead", domain: "[('name', '=like', 'RGREC-%')]", groupBy: ["stage_id"], aggregates: ["expected_revenue:sum"]) { count total groups } }`,
      }),
    });
    const body = (await response.json()) as { data?: { groups: unknown }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data!.groups).toEqual(EXPECTED);
    served.replay().assertDone();
  });
});
