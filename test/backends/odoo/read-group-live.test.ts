/**
 * Opt-in: the Odoo backend's readGroup (issue 18) against a live Odoo 17 (the lab), on records it creates
 * and deletes (crm.lead and sale.order marked `RGLIVE-<run>`), as admin and as demo:
 *
 *   source ~/odoo-lab/live.env && source ~/odoo-lab/keys.env && DEMO_KEY=$DEMO_KEY \
 *   npx vitest run test/backends/odoo/read-group-live.test.ts
 *
 * Needs ODOO_URL, ODOO_DB, ODOO_LOGIN (admin) and ODOO_API_KEY; demo's secret is DEMO_KEY, else
 * ODOO_SECRETS=demo:<key>, else the demo password `demo`. Without the first four: skipped, with one line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../../src/backends/backend.js';
import { InvalidQueryError } from '../../../src/backends/errors.js';
import { OdooBackend } from '../../../src/backends/odoo/odoo-backend.js';
import type { Group, ReadGroupParams } from '../../../src/backends/read-group.js';
import { parseDomain } from '../../../src/domain/parse-domain.js';
import { pairs } from '../../helpers/odoo-target.js';
import { executeKw } from '../../fidelity/support/lab-rpc.js';

const { ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_API_KEY } = process.env;
const missing = Object.entries({ ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_API_KEY })
  .filter(([, v]) => !v)
  .map(([k]) => k);
const skipped = `live read_group suite skipped: set ${missing.join(', ')} (source ~/odoo-lab/live.env) to run readGroup against a real Odoo`;
if (missing.length) console.info(skipped);

const DEMO_SECRET = process.env.DEMO_KEY ?? pairs(process.env.ODOO_SECRETS).demo ?? 'demo';
const MARK = `RGLIVE-${Date.now().toString(36)}`;

async function rpc(model: string, method: string, args: unknown[], kwargs: object = {}): Promise<any> {
  return executeKw({ url: ODOO_URL!, db: ODOO_DB!, uid: adminUid, key: ODOO_API_KEY! }, model, method, args, kwargs);
}

let adminUid = 0;

(missing.length ? describe.skip : describe)(missing.length ? skipped : `LIVE readGroup against ${ODOO_URL} (${ODOO_DB})`, () => {
  let backend: OdooBackend;
  let admin: Caller;
  let demo: Caller;
  const created: Array<[string, number]> = [];
  const leads = `[('name', '=like', '${MARK}-%')]`;
  const orders = `[('client_order_ref', '=like', '${MARK}-%')]`;

  beforeAll(async () => {
    backend = new OdooBackend({ url: ODOO_URL!, db: ODOO_DB! });
    admin = (await backend.authenticateBasic(ODOO_LOGIN!, ODOO_API_KEY!))!;
    demo = (await backend.authenticateBasic('demo', DEMO_SECRET))!;
    expect(admin, `${ODOO_LOGIN} with ODOO_API_KEY`).toBeTruthy();
    expect(demo, 'demo with DEMO_KEY, ODOO_SECRETS or the password demo').toBeTruthy();
    adminUid = admin.uid;
    const stages = (await rpc('crm.stage', 'search_read', [[]], { fields: ['name'], order: 'sequence, id' })) as Array<{
      id: number;
      name: string;
    }>;
    const stage = (name: string) => stages.find((s) => s.name === name)!.id;
    const rows: Array<[string, string, number | false, number, string | false]> = [
      ['A', 'New', admin.uid, 100, '2025-12-31'],
      ['B', 'New', demo.uid, 250.5, '2026-01-01'],
      ['C', 'Qualified', demo.uid, 1000, '2026-01-31'],
      ['D', 'Qualified', false, 50, false],
      ['E', 'Won', admin.uid, 7000, '2025-06-15'],
    ];
    for (const [name, stageName, user, revenue, deadline] of rows) {
      const id = await rpc('crm.lead', 'create', [
        {
          name: `${MARK}-${name}`,
          type: 'opportunity',
          stage_id: stage(stageName),
          user_id: user,
          expected_revenue: revenue,
          date_deadline: deadline,
        },
      ]);
      created.push(['crm.lead', id as number]);
    }
    const [partner] = (await rpc('res.partner', 'search_read', [[['name', '=', 'Azure Interior']]], {
      fields: ['id'],
      limit: 1,
    })) as Array<{ id: number }>;
    const [product] = (await rpc('product.product', 'search_read', [[['sale_ok', '=', true]]], {
      fields: ['id'],
      limit: 1,
      order: 'id',
    })) as Array<{ id: number }>;
    for (const [ref, date, price] of [
      ['S1', '2025-12-31 22:30:00', 10],
      ['S2', '2025-12-31 23:30:00', 20],
      ['S3', '2026-03-01 12:00:00', 40],
    ] as const) {
      const id = await rpc('sale.order', 'create', [
        {
          client_order_ref: `${MARK}-${ref}`,
          partner_id: partner!.id,
          date_order: date,
          user_id: demo.uid,
          order_line: [[0, 0, { product_id: product!.id, product_uom_qty: 1, price_unit: price, tax_id: [[6, 0, []]] }]],
        },
      ]);
      created.push(['sale.order', id as number]);
    }
  }, 60_000);

  afterAll(async () => {
    for (const [model, id] of created.reverse()) {
      if (model === 'sale.order') await rpc(model, 'action_cancel', [[id]]).catch(() => undefined);
      await rpc(model, 'unlink', [[id]]).catch(() => undefined);
    }
    await (backend as OdooBackend | undefined)?.close();
  }, 60_000);

  const params = (domain: string, p: Omit<ReadGroupParams, 'domain'>): ReadGroupParams => ({ ...p, domain: parseDomain(domain) });
  const sum = (field: string) => ({ field, aggregator: 'sum' as const, key: `${field}:sum` });

  /** Each group's `__domain`, counted by Odoo (search_count as the same caller), holds exactly `__count` records. */
  async function domainsCount(caller: Caller, model: string, groups: readonly Group[]): Promise<void> {
    for (const group of groups) {
      const domain = JSON.stringify(group.__domain);
      expect(await backend.searchCount(caller, model, parseDomain(domain)), domain).toBe(group.__count);
    }
  }

  it('LRG-01 leads by stage, sum and avg of one field, as admin and as demo (record rules change the totals); each __domain counts __count', async () => {
    const p = params(leads, {
      groupBy: [{ field: 'stage_id', key: 'stage_id' }],
      aggregates: [sum('expected_revenue'), { field: 'expected_revenue', aggregator: 'avg', key: 'expected_revenue:avg' }],
      lazy: false,
    });
    const asAdmin = await backend.readGroup(admin, 'crm.lead', p);
    expect(
      asAdmin.groups.map((g) => [(g.stage_id as [number, string])[1], g.__count, g['expected_revenue:sum'], g['expected_revenue:avg']]),
    ).toEqual([
      ['New', 2, 350.5, 175.25],
      ['Qualified', 2, 1050, 525],
      ['Won', 1, 7000, 7000],
    ]);
    expect(asAdmin.total).toBe(3);
    const asDemo = await backend.readGroup(demo, 'crm.lead', p);
    expect(asDemo.groups.map((g) => [(g.stage_id as [number, string])[1], g.__count, g['expected_revenue:sum']])).toEqual([
      ['New', 1, 250.5],
      ['Qualified', 2, 1050],
    ]);
    await domainsCount(admin, 'crm.lead', asAdmin.groups);
    await domainsCount(demo, 'crm.lead', asDemo.groups);
  });

  it('LRG-02 lazily: the empty stages of group_expand come with 0; counts as __count', async () => {
    const result = await backend.readGroup(
      admin,
      'crm.lead',
      params(leads, {
        groupBy: [
          { field: 'stage_id', key: 'stage_id' },
          { field: 'user_id', key: 'user_id' },
        ],
        aggregates: [sum('expected_revenue')],
        lazy: true,
      }),
    );
    const proposition = result.groups.find((g) => (g.stage_id as [number, string])[1] === 'Proposition');
    expect(proposition).toMatchObject({ __count: 0, 'expected_revenue:sum': 0 });
    expect(result.total).toBe(result.groups.length);
    await domainsCount(admin, 'crm.lead', result.groups);
  });

  it("LRG-03 deadlines by year across the boundary (date: no time zone), orders by year in the user's time zone", async () => {
    const byYear = await backend.readGroup(
      admin,
      'crm.lead',
      params(leads, {
        groupBy: [{ field: 'date_deadline', granularity: 'year', key: 'date_deadline:year' }],
        aggregates: [sum('expected_revenue')],
        lazy: false,
      }),
    );
    expect(byYear.groups.map((g) => [g['date_deadline:year'], g.__count, g['expected_revenue:sum']])).toEqual([
      ['2025', 2, 7100],
      ['2026', 2, 1250.5],
      [false, 1, 50],
    ]);
    await domainsCount(admin, 'crm.lead', byYear.groups);
    const info = await backend.userInfo(demo);
    const tz = (info.user_context as { tz?: unknown }).tz;
    const orders2 = await backend.readGroup(
      demo,
      'sale.order',
      params(orders, {
        groupBy: [{ field: 'date_order', granularity: 'year', key: 'date_order:year' }],
        aggregates: [sum('amount_total')],
        lazy: false,
      }),
    );
    // 2025-12-31 22:30 and 23:30 UTC: in Europe/Brussels (UTC+1) the second is already 2026; in UTC both are 2025.
    const expected =
      tz === 'Europe/Brussels'
        ? [
            ['2025', 1, 10],
            ['2026', 2, 60],
          ]
        : tz
          ? undefined
          : [
              ['2025', 2, 30],
              ['2026', 1, 40],
            ];
    if (expected) expect(orders2.groups.map((g) => [g['date_order:year'], g.__count, g['amount_total:sum']])).toEqual(expected);
    await domainsCount(demo, 'sale.order', orders2.groups);
  });

  it('LRG-04 a page ordered by an aggregate; the total counts every group', async () => {
    const result = await backend.readGroup(
      admin,
      'crm.lead',
      params(leads, {
        groupBy: [{ field: 'stage_id', key: 'stage_id' }],
        aggregates: [sum('expected_revenue')],
        order: 'expected_revenue:sum desc',
        limit: 2,
        offset: 1,
        lazy: false,
      }),
    );
    expect(result.groups.map((g) => g['expected_revenue:sum'])).toEqual([1050, 350.5]);
    expect(result.total).toBe(3);
  });

  it('LRG-05 bad input: 400 naming the field, from Odoo or checked first', async () => {
    const bad = async (p: Partial<ReadGroupParams>) =>
      backend
        .readGroup(
          admin,
          'crm.lead',
          params(leads, { groupBy: [{ field: 'stage_id', key: 'stage_id' }], aggregates: [], lazy: false, ...p }),
        )
        .catch((e: unknown) => e);
    const unknown = await bad({ groupBy: [{ field: 'nope', key: 'nope' }] });
    expect(unknown).toBeInstanceOf(InvalidQueryError);
    expect((unknown as Error).message).toMatch(/'nope'/);
    const charSum = await bad({ aggregates: [{ field: 'name', aggregator: 'sum', key: 'name:sum' }] });
    expect(charSum).toBeInstanceOf(InvalidQueryError);
    expect((charSum as Error).message).toMatch(/'name'/);
    const badOrder = await bad({ order: 'nope desc' });
    expect(badOrder).toBeInstanceOf(InvalidQueryError);
    expect((badOrder as Error).message).toMatch(/nope desc/);
  });
});
