/**
 * Typed grouped totals (issue 18; docs/graphql.md, "Grouped totals"): `crmLeadGroups(groupBy: [STAGE_ID])`
 * and the like on a real server over loopback, through `GET /api/<slug>/groups`: sums equal to the REST
 * answer's, date keys with Odoo's labels and their ranges, selection keys as enum values, a group's
 * `records` (one request per level, none when not selected), the aggregates asked being those selected,
 * GraphQL validation refusing an unknown key, record rules (demo's own totals), and the cost of `records`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SCHEMA_DIR } from '../../../src/graphql/load-schema.js';
import { DEFAULT_COUNT_COST, operationCost, selectOperation } from '../../../src/graphql/operation-cost.js';
import { buildTypedSchema } from '../../../src/graphql/typed/build-typed-schema.js';
import { generateTypedSDL } from '../../../src/graphql/typed/generate-typed-sdl.js';
import { groupByValueNames } from '../../../src/graphql/typed/naming.js';
import { readTypedModels } from '../../../src/graphql/typed/read-typed-models.js';
import { q } from '../../helpers/server.js';
import { useServer } from '../../helpers/use-server.js';
import { codes, recordGatewayRequests } from '../graphql-client.js';

const server = useServer();
const run = recordGatewayRequests(server);

async function restGroups(login: string, slug: string, params: Record<string, string | number>): Promise<any[]> {
  const answer = await server.request(login, 'GET', `/api/${slug}/groups?${q(params)}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body.groups as any[];
}

const REVENUE_PER_STAGE = `{
  crmLeadGroups(groupBy: [STAGE_ID]) {
    count total
    groups { stage_id stageRecord { id name } count sum { expected_revenue } domain }
  }
}`;

describe('typed grouped totals', () => {
  it("GT-01 revenue per stage of crm leads: the REST answer's sums and counts, one request asking only the aggregates selected", async () => {
    const answer = await run('admin', REVENUE_PER_STAGE);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.count).toBe(1);
    expect(answer.requests[0]).toMatch(/^GET \/api\/crm_lead\/groups\?groupby=stage_id&aggregates=expected_revenue:sum&limit=80$/);
    const rest = await restGroups('admin', 'crm_lead', { groupby: 'stage_id', aggregates: 'expected_revenue:sum' });
    const page = answer.body.data!.crmLeadGroups;
    expect(page.count).toBe(rest.length);
    expect(page.groups).toEqual(
      rest.map((group) => ({
        stage_id: group.stage_id,
        stageRecord: { id: group.stage_id.id, name: group.stage_id.name },
        count: group.__count,
        sum: { expected_revenue: group['expected_revenue:sum'] },
        domain: `[('stage_id', '=', ${group.stage_id.id})]`,
      })),
    );
    expect(page.groups.reduce((total: number, group: any) => total + group.sum.expected_revenue, 0)).toBeGreaterThan(0);
  });

  it("GT-02 date and datetime granularities: Odoo's labels, and the ranges as Date / DateTime", async () => {
    const answer = await run(
      'admin',
      `{
        leads: crmLeadGroups(groupBy: [DATE_DEADLINE_WEEK], limit: 5) { groups { date_deadline { label range { from to } } count } }
        orders: saleOrderGroups(groupBy: [DATE_ORDER_MONTH, STATE], order: "date_order:month desc") {
          total groups { date_order { label range { from to } } state count avg { amount_total } max { amount_total } }
        }
      }`,
    );
    expect(answer.body.errors).toBeUndefined();
    const weeks = await restGroups('admin', 'crm_lead', { groupby: 'date_deadline:week', limit: 5 });
    expect(answer.body.data!.leads.groups).toEqual(
      weeks.map((group) => ({
        date_deadline: {
          label: group['date_deadline:week'] || '',
          range: group.__range?.['date_deadline:week'] || null,
        },
        count: group.__count,
      })),
    );
    expect(answer.body.data!.leads.groups[0].date_deadline.label).toMatch(/^W\d+ \d{4}$/);
    const months = await restGroups('admin', 'sale_order', {
      groupby: 'date_order:month,state',
      aggregates: 'amount_total:avg,amount_total:max',
      order: 'date_order:month desc',
      limit: 80,
    });
    const utc = (odoo: string) => `${odoo.replace(' ', 'T')}Z`;
    const orders = answer.body.data!.orders.groups;
    expect(orders).toHaveLength(months.length);
    for (const [index, group] of months.entries()) {
      const range = group.__range['date_order:month'];
      expect(orders[index].date_order).toEqual({ label: group['date_order:month'], range: { from: utc(range.from), to: utc(range.to) } });
      expect(orders[index].date_order.label).toMatch(/^[A-Z][a-z]+ \d{4}$/);
      expect(orders[index].avg.amount_total).toBeCloseTo(group['amount_total:avg'], 6);
      expect(orders[index].max.amount_total).toBe(group['amount_total:max']);
    }
  });

  it('GT-03 a selection key comes back as the enum value (a key that is no GraphQL name as its VALUE_ name)', async () => {
    const answer = await run(
      'admin',
      '{ saleOrderGroups(groupBy: [STATE]) { groups { state count } } crmLeadGroups(groupBy: [PRIORITY]) { groups { priority count } } }',
    );
    expect(answer.body.errors).toBeUndefined();
    const states = await restGroups('admin', 'sale_order', { groupby: 'state' });
    expect(answer.body.data!.saleOrderGroups.groups).toEqual(states.map((group) => ({ state: group.state || null, count: group.__count })));
    const priorities = await restGroups('admin', 'crm_lead', { groupby: 'priority' });
    expect(answer.body.data!.crmLeadGroups.groups).toEqual(
      priorities.map((group) => ({ priority: `VALUE_${group.priority}`, count: group.__count })),
    );
  });

  it("GT-04 records under a group: exactly the group's records, every group of the level in one request", async () => {
    const answer = await run(
      'admin',
      `{
        crmLeadGroups(groupBy: [STAGE_ID], limit: 10) {
          groups { stage_id count domain records(limit: 100) { id name stage_id } }
        }
      }`,
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.requests).toHaveLength(2);
    expect(answer.requests[0]).toContain('aggregates=id:array_agg');
    expect(answer.requests[1]).toMatch(/^GET \/api\/crm_lead\?domain=\[\('id', 'in', \[/);
    const groups = answer.body.data!.crmLeadGroups.groups as any[];
    const small = groups.filter((group) => group.count <= 100);
    expect(small.length).toBeGreaterThan(0);
    for (const group of small) {
      expect(group.records).toHaveLength(group.count);
      for (const record of group.records) expect(record.stage_id).toEqual(group.stage_id);
      // The same records as listing the group's domain through REST.
      const listed = await server.request('admin', 'GET', `/api/crm_lead?${q({ domain: group.domain, fields: 'id', limit: 1000 })}`);
      expect(group.records.map((record: any) => record.id)).toEqual(
        listed.body.results.map((r: any) => r.id).sort((a: number, b: number) => a - b),
      );
    }
  });

  it('GT-04b a many2many key: one tag per group, its typed record, and records holding that tag (in several groups)', async () => {
    const answer = await run(
      'admin',
      '{ resPartnerGroups(groupBy: [CATEGORY_ID], limit: 20) { groups { category_id categoryRecord { id name } count records(limit: 30) { id category_id } } } }',
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.count).toBe(2);
    const rest = await restGroups('admin', 'res_partner', { groupby: 'category_id', limit: 20 });
    const groups = answer.body.data!.resPartnerGroups.groups as any[];
    expect(groups.map((group) => [group.category_id, group.count])).toEqual(
      rest.map((group) => [group.category_id || null, group.__count]),
    );
    for (const group of groups) {
      expect(group.records).toHaveLength(Math.min(30, group.count));
      if (group.category_id === null) {
        expect(group.categoryRecord).toBeNull();
        for (const record of group.records) expect(record.category_id).toEqual([]);
      } else {
        expect(group.categoryRecord).toEqual(group.category_id);
        for (const record of group.records) expect(record.category_id).toContain(group.category_id.id);
      }
    }
  });

  it('GT-05 records with an order and a limit: in that order, still one request for the level; one level more is one more', async () => {
    const answer = await run(
      'admin',
      `{
        crmLeadGroups(groupBy: [STAGE_ID]) {
          groups { count records(limit: 3, order: "expected_revenue desc, id") { id expected_revenue stageRecord { name sequence } } }
        }
      }`,
    );
    expect(answer.body.errors).toBeUndefined();
    // groups, the ordered records of every group, their stages.
    expect(answer.requests.map((r) => r.split('?')[0])).toEqual(['GET /api/crm_lead/groups', 'GET /api/crm_lead', 'GET /api/crm_stage']);
    for (const group of answer.body.data!.crmLeadGroups.groups as any[]) {
      expect(group.records).toHaveLength(Math.min(3, group.count));
      const revenues = group.records.map((record: any) => record.expected_revenue);
      expect(revenues).toEqual([...revenues].sort((a, b) => b - a));
    }
  });

  it('GT-06 not selecting records makes one request only, and asks no ids', async () => {
    const answer = await run('admin', '{ crmLeadGroups(groupBy: [STAGE_ID, TYPE], lazy: false) { groups { stage_id type count } } }');
    expect(answer.body.errors).toBeUndefined();
    expect(answer.count).toBe(1);
    expect(answer.requests[0]).not.toContain('array_agg');
    expect(answer.requests[0]).not.toContain('aggregates');
    // `{ total }` alone is a count (limit=0).
    const total = await run('admin', '{ crmLeadGroups(groupBy: [STAGE_ID]) { total } }');
    expect(total.requests).toEqual(['GET /api/crm_lead/groups?groupby=stage_id&limit=0']);
  });

  it('GT-07 an unknown group key is refused by GraphQL validation (an enum), and nothing is sent; one field at two granularities is BAD_USER_INPUT', async () => {
    const unknown = await run('admin', '{ crmLeadGroups(groupBy: [DESCRIPTION]) { count } }');
    expect(codes(unknown)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(unknown.count).toBe(0);
    const text = await run('admin', '{ crmLeadGroups(groupBy: ["stage_id"]) { count } }');
    expect(codes(text)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const twice = await run('admin', '{ saleOrderGroups(groupBy: [DATE_ORDER_YEAR, DATE_ORDER_MONTH]) { count } }');
    expect(codes(twice)).toEqual(['BAD_USER_INPUT']);
    expect(twice.body.errors![0]!.message).toContain('date_order');
    expect(twice.count).toBe(0);
  });

  it("GT-08 demo sees his own totals (record rules), the same as his REST answer and not admin's", async () => {
    const demo = await run('demo', REVENUE_PER_STAGE);
    const admin = await run('admin', REVENUE_PER_STAGE);
    expect(demo.body.errors).toBeUndefined();
    const rest = await restGroups('demo', 'crm_lead', { groupby: 'stage_id', aggregates: 'expected_revenue:sum' });
    const shown = demo.body.data!.crmLeadGroups.groups.map((group: any) => [group.stage_id.id, group.count, group.sum.expected_revenue]);
    expect(shown).toEqual(rest.map((group) => [group.stage_id.id, group.__count, group['expected_revenue:sum']]));
    expect(shown).not.toEqual(admin.body.data!.crmLeadGroups.groups.map((g: any) => [g.stage_id.id, g.count, g.sum.expected_revenue]));
    // A group's records are the caller's too.
    const records = await run('demo', '{ crmLeadGroups(groupBy: [STAGE_ID], limit: 10) { groups { count records(limit: 100) { id } } } }');
    expect(records.body.errors).toBeUndefined();
    for (const group of records.body.data!.crmLeadGroups.groups) expect(group.records).toHaveLength(group.count);
  });
});

describe('typed grouped totals: the example of docs/graphql.md', () => {
  it('GT-13 runs as shown: stages and months, the typed stage, labels, sums, domains and the top records, in 3 requests', async () => {
    const docs = readFileSync(join(SCHEMA_DIR, '..', 'docs', 'graphql.md'), 'utf8');
    const query = /```graphql\n(query RevenuePerStage[\s\S]*?)```/.exec(docs)![1]!;
    const answer = await run('admin', query);
    expect(answer.body.errors).toBeUndefined();
    // The groups; then, at the groups' level, their stages and their records.
    expect(answer.requests.map((r) => r.split('?')[0]).sort()).toEqual([
      'GET /api/crm_lead',
      'GET /api/crm_lead/groups',
      'GET /api/crm_stage',
    ]);
    const page = answer.body.data!.crmLeadGroups;
    expect(page.groups.length).toBeGreaterThan(0);
    const sums = page.groups.map((group: any) => group.sum.expected_revenue ?? 0);
    expect(sums).toEqual([...sums].sort((a, b) => b - a));
    for (const group of page.groups) {
      expect(group.stageRecord.name).toBe(group.stage_id.name);
      expect(group.records.length).toBe(Math.min(5, group.count));
      const listed = await server.request('admin', 'GET', `/api/crm_lead?${q({ domain: group.domain, fields: 'id', limit: 0 })}`);
      expect(listed.body.total).toBe(group.count);
    }
  });
});

describe('typed grouped totals: schema, names and cost', () => {
  const typed = buildTypedSchema(readFileSync(join(SCHEMA_DIR, 'typed', 'models.graphql'), 'utf8'));
  const COST = { defaultListSize: 80, maxListSize: 1000 };
  const cost = (query: string) => {
    const document = parse(query);
    return operationCost(typed, document, selectOperation(document)!, undefined, COST);
  };

  it('GT-09 group-by values: the field in upper case, dates per granularity, collision-free; read back to their specs', () => {
    expect(groupByValueNames(['stage_id', 'date_order:month', 'date_order_month', '_x', 'a_b', 'ab'])).toEqual([
      'STAGE_ID',
      'DATE_ORDER_MONTH_2',
      'DATE_ORDER_MONTH',
      'FIELD__X',
      'A_B',
      'AB_2',
    ]);
    const models = readTypedModels(parse(readFileSync(join(SCHEMA_DIR, 'typed', 'models.graphql'), 'utf8')));
    expect(models.enums.get('SaleOrderGroupBy')?.get('DATE_ORDER_MONTH')).toBe('date_order:month');
    expect(models.enums.get('CrmLeadGroupBy')?.get('STAGE_ID')).toBe('stage_id');
    const lead = models.byModel.get('crm.lead')!.groups!;
    expect(lead.queryName).toBe('crmLeadGroups');
    expect([...lead.totals].sort()).toEqual(['expected_revenue', 'probability', 'prorated_revenue']);
    expect(lead.keys.has('description')).toBe(false); // html
    expect(lead.keys.has('display_name')).toBe(false); // not stored
    expect(models.byModel.get('sale.order')!.groups!.keys.has('order_line')).toBe(false); // one2many
    expect(models.byModel.get('res.partner')!.groups!.relations.get('categoryRecord')).toMatchObject({ field: 'category_id', many: false });
  });

  it('GT-10 a model whose group names are taken keeps its own names and has no typed groups; a field named like a group field is no key', () => {
    const sdl = generateTypedSDL(
      [
        { model: 'x.order', fields: { name: { type: 'char' }, count: { type: 'integer' }, amount: { type: 'float' } } },
        { model: 'x.order.group', fields: { name: { type: 'char' } } },
      ],
      { types: [], queryFields: [], mutationFields: [] },
    );
    const models = readTypedModels(parse(sdl));
    expect(models.byModel.get('x.order')?.groups).toBeUndefined();
    expect(models.byModel.get('x.order.group')?.groups?.queryName).toBe('xOrderGroupGroups');
    const alone = readTypedModels(
      parse(
        generateTypedSDL([{ model: 'x.order', fields: { name: { type: 'char' }, count: { type: 'integer' } } }], {
          types: [],
          queryFields: [],
          mutationFields: [],
        }),
      ),
    );
    expect([...alone.byModel.get('x.order')!.groups!.keys.keys()]).toEqual(['name']);
    expect([...alone.byModel.get('x.order')!.groups!.totals]).toEqual(['count']);
  });

  it("GT-11 the cost counts a group's records as a list per group (its limit, default 10), and their request", () => {
    const base = cost('{ crmLeadGroups(groupBy: [STAGE_ID], limit: 5) { groups { count } } }');
    // The page (1 + its count), groups (1 + 5 elements), count per group.
    expect(base).toBe(1 + DEFAULT_COUNT_COST + 1 + 5 + 5);
    const records = cost('{ crmLeadGroups(groupBy: [STAGE_ID], limit: 5) { groups { count records { id } } } }');
    expect(records - base).toBe(5 + 5 * 10 + 5 * 10 + DEFAULT_COUNT_COST);
    const big = cost('{ crmLeadGroups(groupBy: [STAGE_ID], limit: 5) { groups { records(limit: 1000) { id } } } }');
    expect(big).toBeGreaterThan(10_000);
    const ordered = cost('{ crmLeadGroups(groupBy: [STAGE_ID], limit: 5) { groups { count records(order: "id") { id } } } }');
    expect(ordered - records).toBe(4 * DEFAULT_COUNT_COST);
  });

  it('GT-12 the server refuses records beyond the cost limit, before any request', async () => {
    const answer = await run('admin', '{ crmLeadGroups(groupBy: [STAGE_ID], limit: 50) { groups { records(limit: 1000) { id name } } } }');
    expect(codes(answer)).toEqual(['COST_LIMIT_EXCEEDED']);
    expect(answer.count).toBe(0);
  });
});
