/**
 * Record rules over real HTTP: a salesman (demo) cannot reach another salesman's leads and orders by id,
 * by a domain on a dotted path, by update, by delete or through a many2one; `total` never counts hidden
 * rows; a refused write changes nothing; multi-company; the portal user; field-level access.
 *
 * demo (Marc Demo) is allowed in both companies, as Odoo 17's demo user is (stock/data/stock_demo.xml):
 * where a test needs a salesman who may not see Chicago, it is salesman2 (Audrey Peterson, uid 6, a
 * salesman of San Francisco alone, without demo's stock, purchase and Contact Creation groups).
 *
 * `child_of` / `parent_of` on a relational field make the checks `in` makes (issue 13).
 *
 * Ground truth comes from SQL on the same database (`server.backend.db`), never from the API itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../graphql/graphql-client.js';
import { startServer, type TestServer } from '../helpers/server.js';
import {
  apiPath,
  CHICAGO,
  DECO_ADDICT,
  expectRightsRefusal,
  expectRuleRefusal,
  listedIds,
  listPath,
  SAN_FRANCISCO,
  sqlCount,
  sqlRow,
  sqlRows,
  storedRow,
  UID,
} from './support.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
  await server?.close();
});

/** Ids of the rows an SQL query selects, sorted. */
function sqlIds(text: string, ...params: unknown[]): number[] {
  return sqlRows<{ id: number }>(server, text, ...params)
    .map((r) => r.id)
    .sort((a, b) => a - b);
}

/** Every id a user lists with this domain (one page large enough for the demo data), sorted. */
async function listAll(
  login: string,
  model: string,
  domain = '[]',
  extra: Record<string, string> = {},
): Promise<{ ids: number[]; total: number }> {
  const response = await server.request(login, 'GET', listPath(model, { domain, fields: 'id', limit: 1000, ...extra }));
  const ids = listedIds(response).sort((a, b) => a - b);
  return { ids, total: response.body.total as number };
}

/** A lead / order of salesman2 in San Francisco: demo's colleague, same company. */
function colleagueLead(): number {
  return sqlRow<{ id: number }>(
    server,
    `SELECT id FROM crm_lead WHERE user_id = ? AND company_id = ? AND active = 1 ORDER BY id LIMIT 1`,
    UID.salesman2,
    SAN_FRANCISCO,
  )!.id;
}
function colleagueOrder(state = 'draft'): number {
  return sqlRow<{ id: number }>(
    server,
    `SELECT id FROM sale_order WHERE user_id = ? AND company_id = ? AND state = ? ORDER BY id LIMIT 1`,
    UID.salesman2,
    SAN_FRANCISCO,
    state,
  )!.id;
}
function ownLead(): number {
  return sqlRow<{ id: number }>(server, `SELECT id FROM crm_lead WHERE user_id = ? AND active = 1 ORDER BY id LIMIT 1`, UID.demo)!.id;
}
function ownOrder(state = 'draft'): number {
  return sqlRow<{ id: number }>(server, `SELECT id FROM sale_order WHERE user_id = ? AND state = ? ORDER BY id LIMIT 1`, UID.demo, state)!
    .id;
}
/** A lead / order of salesman2 (San Francisco alone), for tests about what a user of one company sees. */
function salesman2Lead(): number {
  return sqlRow<{ id: number }>(server, `SELECT id FROM crm_lead WHERE user_id = ? AND active = 1 ORDER BY id LIMIT 1`, UID.salesman2)!.id;
}
function salesman2Order(state = 'draft'): number {
  return sqlRow<{ id: number }>(
    server,
    `SELECT id FROM sale_order WHERE user_id = ? AND state = ? ORDER BY id LIMIT 1`,
    UID.salesman2,
    state,
  )!.id;
}

/** What salesman2, a salesman of San Francisco alone, may read: his own and unassigned leads and orders of his company. */
const SALESMAN2_LEADS = `SELECT id FROM crm_lead WHERE active = 1 AND (company_id IS NULL OR company_id = ${SAN_FRANCISCO}) AND (user_id IS NULL OR user_id = ${UID.salesman2})`;
const SALESMAN2_ORDERS = `SELECT id FROM sale_order WHERE company_id = ${SAN_FRANCISCO} AND (user_id IS NULL OR user_id = ${UID.salesman2})`;

describe("a salesman cannot reach another salesman's lead or order by id", () => {
  it("retrieve answers 403 with Odoo's record-rule message, not 404", async () => {
    const lead = await server.request('demo', 'GET', apiPath('crm.lead', colleagueLead()));
    expectRuleRefusal(lead, 'Marc Demo', UID.demo, 'read', 'Lead/Opportunity', 'crm.lead');
    expect(lead.body).toEqual({ error: expect.any(String) });
    expect(lead.text).not.toContain('expected_revenue');

    const order = await server.request('demo', 'GET', apiPath('sale.order', colleagueOrder()));
    expectRuleRefusal(order, 'Marc Demo', UID.demo, 'read', 'Sales Order', 'sale.order');

    const line = sqlRow<{ id: number }>(server, `SELECT id FROM sale_order_line WHERE order_id = ?`, colleagueOrder())!.id;
    expectRuleRefusal(
      await server.request('demo', 'GET', apiPath('sale.order.line', line)),
      'Marc Demo',
      UID.demo,
      'read',
      'Sales Order Line',
      'sale.order.line',
    );
  });

  it('his own and unassigned ones are readable; a missing id is 404', async () => {
    expect((await server.request('demo', 'GET', apiPath('crm.lead', ownLead()))).status).toBe(200);
    const unassigned = sqlRow<{ id: number }>(
      server,
      `SELECT id FROM sale_order WHERE user_id IS NULL AND company_id = ? LIMIT 1`,
      SAN_FRANCISCO,
    )!.id;
    expect((await server.request('demo', 'GET', apiPath('sale.order', unassigned))).status).toBe(200);
    expect((await server.request('demo', 'GET', apiPath('crm.lead', 999_999))).status).toBe(404);
  });

  it('a domain on ids returns nothing hidden', async () => {
    const hidden = colleagueLead();
    const probe = await listAll('demo', 'crm.lead', `[('id', '=', ${hidden})]`);
    expect(probe).toEqual({ ids: [], total: 0 });
    expect((await listAll('admin', 'crm.lead', `[('id', '=', ${hidden})]`)).total).toBe(1);
  });
});

describe('total never counts hidden rows', () => {
  it("leads: total and rows are exactly the salesman's own and unassigned ones of his company", async () => {
    // Unassigned leads of the other company exist: the company rule has something to hide.
    expect(sqlCount(server, `SELECT id FROM crm_lead WHERE active = 1 AND user_id IS NULL AND company_id = ?`, CHICAGO)).toBeGreaterThan(0);
    const expected = sqlIds(SALESMAN2_LEADS);
    const { ids, total } = await listAll('salesman2', 'crm.lead');
    expect(total).toBe(expected.length);
    expect(ids).toEqual(expected);
    // ...while the admin's total is every active lead.
    expect((await listAll('admin', 'crm.lead')).total).toBe(sqlCount(server, `SELECT id FROM crm_lead WHERE active = 1`));
    expect(total).toBeLessThan(sqlCount(server, `SELECT id FROM crm_lead WHERE active = 1`));
  });

  it('orders, with a domain and with limit=0 (only the total)', async () => {
    const domain = `[('state', '=', 'sale')]`;
    expect(
      sqlCount(server, `SELECT id FROM sale_order WHERE state = 'sale' AND user_id IS NULL AND company_id = ?`, CHICAGO),
    ).toBeGreaterThan(0);
    const expected = sqlCount(server, `${SALESMAN2_ORDERS} AND state = 'sale'`);
    const page = await server.request('salesman2', 'GET', listPath('sale.order', { domain, limit: 0 }));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ count: 0, total: expected, results: [] });
    const admin = await server.request('admin', 'GET', listPath('sale.order', { domain, limit: 0 }));
    expect(admin.body.total).toBe(sqlCount(server, `SELECT id FROM sale_order WHERE state = 'sale'`));
    expect(admin.body.total).toBeGreaterThan(expected);
  });

  it("paging through every page of a salesman's orders never shows another salesman's order", async () => {
    const seen: number[] = [];
    let total = -1;
    for (let offset = 0; total < 0 || offset < total; offset += 25) {
      const page = await server.request('salesman2', 'GET', listPath('sale.order', { fields: 'user_id,company_id', limit: 25, offset }));
      expect(page.status).toBe(200);
      total = page.body.total;
      for (const order of page.body.results) {
        expect([false, UID.salesman2]).toContain(order.user_id === false ? false : order.user_id.id);
        expect(order.company_id.id).toBe(SAN_FRANCISCO);
        seen.push(order.id);
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual(sqlIds(SALESMAN2_ORDERS));
  });

  it('negations and ORs do not widen the rule', async () => {
    const all = sqlIds(SALESMAN2_LEADS);
    expect((await listAll('salesman2', 'crm.lead', `[('user_id', '!=', ${UID.salesman2})]`)).ids).toEqual(
      sqlIds(`${SALESMAN2_LEADS} AND user_id IS NULL`),
    );
    expect((await listAll('salesman2', 'crm.lead', `['|', ('user_id', '=', ${UID.demo}), ('id', '!=', 0)]`)).ids).toEqual(all);
    expect((await listAll('salesman2', 'crm.lead', `['|', ('company_id', '=', ${CHICAGO}), ('id', '!=', 0)]`)).ids).toEqual(all);
    expect((await listAll('salesman2', 'crm.lead', `['!', ('user_id', '=', ${UID.salesman2})]`)).total).toBe(
      sqlCount(server, `${SALESMAN2_LEADS} AND user_id IS NULL`),
    );
    expect((await listAll('salesman2', 'crm.lead', `['!', ('company_id', '=', ${SAN_FRANCISCO})]`)).ids).toEqual(
      sqlIds(`${SALESMAN2_LEADS} AND company_id IS NULL`),
    );
    expect((await listAll('salesman2', 'crm.lead', `[(1, '=', 1)]`)).ids).toEqual(all);
  });
});

describe('dotted paths cannot probe hidden records', () => {
  it("orders through their lines: [('order_line.order_id.user_id', '=', salesman2)]", async () => {
    for (const domain of [
      `[('order_line.order_id.user_id', '=', ${UID.salesman2})]`,
      `[('order_line.order_id.user_id.login', '=', 'salesman2')]`,
      `[('order_line', 'any', [('order_id.user_id', '=', ${UID.salesman2})])]`,
      `[('user_id.login', '=', 'salesman2')]`,
    ]) {
      expect(await listAll('demo', 'sale.order', domain), domain).toEqual({ ids: [], total: 0 });
      expect((await listAll('admin', 'sale.order', domain)).total, domain).toBeGreaterThan(0);
    }
  });

  it("leads: [('user_id.login', '=', 'salesman2')] and friends", async () => {
    for (const domain of [
      `[('user_id.login', '=', 'salesman2')]`,
      `[('user_id', '=', 'Audrey Peterson')]`,
      `[('user_id', 'ilike', 'Audrey')]`,
      `[('user_id', 'in', [${UID.salesman2}])]`,
    ]) {
      expect(await listAll('demo', 'crm.lead', domain), domain).toEqual({ ids: [], total: 0 });
      expect((await listAll('admin', 'crm.lead', domain)).total, domain).toBeGreaterThan(0);
    }
  });

  it('a related record hidden by its own rule is not matched, even from a visible record', async () => {
    // salesman3 (a visible user) works for Chicago, a company salesman2 is not allowed in.
    const domain = `[('company_id.name', 'ilike', 'Chicago')]`;
    expect((await listAll('admin', 'res.users', domain)).ids).toEqual([UID.salesman3]);
    expect((await listAll('salesman2', 'res.users', `[('id', '=', ${UID.salesman3})]`)).ids).toEqual([UID.salesman3]);
    expect(await listAll('salesman2', 'res.users', domain)).toEqual({ ids: [], total: 0 });
    expect((await listAll('admin', 'res.users', `[('company_ids.name', 'ilike', 'Chicago')]`)).ids).toContain(UID.salesman3);
    expect(await listAll('salesman2', 'res.users', `[('company_ids.name', 'ilike', 'Chicago')]`)).toEqual({ ids: [], total: 0 });
  });

  it('through x2many fields and hierarchies: a hidden child does not reveal itself through its visible parent', async () => {
    // A shared contact (visible to salesman2) with one contact in Chicago (hidden from salesman2).
    const parent = (await server.request('admin', 'POST', apiPath('res.partner'), { name: 'Probe Parent Co', is_company: true })).body
      .id as number;
    const secret = (
      await server.request('admin', 'POST', apiPath('res.partner'), { name: 'Zebulon Secretname', parent_id: parent, company_id: CHICAGO })
    ).body.id as number;
    expect((await server.request('salesman2', 'GET', apiPath('res.partner', secret))).status).toBe(403);

    // The visible parent reads with no child at all.
    const read = await server.request('salesman2', 'GET', `${apiPath('res.partner', parent)}?fields=child_ids`);
    expect(read.body.child_ids).toEqual([]);
    expect((await server.request('admin', 'GET', `${apiPath('res.partner', parent)}?fields=child_ids`)).body.child_ids).toEqual([secret]);

    for (const domain of [
      `[('child_ids.name', '=', 'Zebulon Secretname')]`,
      `[('child_ids', 'any', [('name', 'ilike', 'Secretname')])]`,
      `[('child_ids', 'ilike', 'Secretname')]`,
      `[('child_ids', 'in', [${secret}])]`,
      `[('id', '=', ${parent}), ('child_ids', '!=', False)]`,
      `[('id', 'parent_of', 'Zebulon Secretname')]`,
    ]) {
      const admin = await listAll('admin', 'res.partner', domain);
      expect(admin.ids, `admin: ${domain}`).toContain(parent);
      expect.soft((await listAll('salesman2', 'res.partner', domain)).ids, `salesman2: ${domain}`).not.toContain(parent);
    }
    // Admin's answers keep Odoo's semantics: no partner has Deco Addict (a top-level company) as a child.
    expect((await listAll('admin', 'res.partner', `[('child_ids', 'not in', [${DECO_ADDICT}])]`)).total).toBe(
      sqlCount(server, `SELECT id FROM res_partner WHERE active = 1`),
    );
    // The other way round, "has no child" is what salesman2 sees: the parent has none he may read.
    expect((await listAll('salesman2', 'res.partner', `[('id', '=', ${parent}), ('child_ids', '=', False)]`)).ids).toEqual([parent]);
  });
});

describe('dotted paths through a model the caller has no access right on', () => {
  it("are refused with 403 naming that model, as Odoo's _search refuses them", async () => {
    const product = sqlRow<{ name: string }>(
      server,
      `SELECT p.name FROM product_product p JOIN sale_order_line l ON l.product_id = p.id LIMIT 1`,
    )!.name;
    // The portal user may not read products at all...
    expect((await server.request('portal', 'GET', apiPath('product.product'))).status).toBe(403);
    // ...so cannot search his orders or lines by product either.
    for (const [model, domain] of [
      ['sale.order', `[('order_line.product_id.name', '=', ${JSON.stringify(product)})]`],
      ['sale.order.line', `[('product_id.name', 'ilike', ${JSON.stringify(product.slice(0, 4))})]`],
      ['sale.order.line', `[('product_id', 'ilike', ${JSON.stringify(product.slice(0, 4))})]`],
      ['sale.order.line', `[('product_id', 'any', [('list_price', '>', 100)])]`],
    ] as const) {
      expectRightsRefusal(
        await server.request('portal', 'GET', listPath(model, { domain })),
        'access',
        'Product Variant',
        'product.product',
      );
    }
    // Groups are off limits to him too, even through users he may read.
    expectRightsRefusal(
      await server.request('portal', 'GET', listPath('res.users', { domain: `[('groups_id.name', '=', 'Settings')]` })),
      'access',
      'Access Groups',
      'res.groups',
    );
    // Employees may read products: the same search works for them.
    expect(
      (
        await server.request(
          'demo',
          'GET',
          listPath('sale.order', { domain: `[('order_line.product_id.name', '=', ${JSON.stringify(product)})]` }),
        )
      ).status,
    ).toBe(200);
  });
});

describe("child_of and parent_of make the checks 'in' makes (issue 13)", () => {
  type Hierarchy = 'child_of' | 'parent_of';

  /** The ids `operator` reaches from `start` along `table`'s parent_id (start included), as SQL sees them; `start` itself without one. */
  function hierarchyIds(table: string, operator: Hierarchy, start: readonly number[]): number[] {
    const hasParent = sqlRows<{ name: string }>(server, `SELECT name FROM pragma_table_info(?)`, table).some((c) => c.name === 'parent_id');
    if (!hasParent) return [...start].sort((a, b) => a - b);
    const step =
      operator === 'child_of'
        ? `SELECT c.id FROM "${table}" c JOIN h ON c.parent_id = h.id`
        : `SELECT p.parent_id FROM "${table}" p JOIN h ON p.id = h.id WHERE p.parent_id IS NOT NULL`;
    return sqlIds(`WITH RECURSIVE h(id) AS (SELECT id FROM "${table}" WHERE id IN (${start.join(', ')}) UNION ${step}) SELECT id FROM h`);
  }

  /**
   * Odoo 17's walk along a partner's `child_ids` taken as the parent field (`child_ids child_of X` is X and
   * its ancestors, `parent_of` goes down), each step an `in` made through the API as `login`: a step goes
   * on only from a contact `login` may read, as `in` on child_ids counts only those.
   */
  async function childIdsWalk(login: string, operator: Hierarchy, start: readonly number[]): Promise<number[]> {
    const reached = new Set(start);
    let frontier = [...start];
    while (frontier.length) {
      const step =
        operator === 'child_of' ? `('child_ids', 'in', [${frontier.join(', ')}])` : `('parent_id', 'in', [${frontier.join(', ')}])`;
      frontier = (await listAll(login, 'res.partner', `[${step}, ('active', 'in', [True, False])]`)).ids.filter((id) => !reached.has(id));
      for (const id of frontier) reached.add(id);
    }
    return [...reached].sort((a, b) => a - b);
  }

  /**
   * The same search written with `operator` and with `in` over the ids the hierarchy reaches: both answers
   * (status, and ids and total or the error), for one user. On a field to the model itself Odoo 17 answers
   * `('id', 'in', ids reached)` (expression.py: `HIERARCHY_FUNCS('id', ids, model, parent=field)`), walking
   * `parent_id` on a many2one or a parent store (partner tags), the one2many itself on partners.
   */
  async function withBothForms(
    login: string,
    model: string,
    field: string,
    comodelTable: string,
    operator: Hierarchy,
    start: readonly number[],
  ) {
    const selfReferential = model.replace(/\./g, '_') === comodelTable;
    const reached =
      selfReferential && model === 'res.partner' && field === 'child_ids'
        ? await childIdsWalk(login, operator, start)
        : hierarchyIds(comodelTable, operator, start);
    const ask = async (domain: string) => {
      const response = await server.request(login, 'GET', listPath(model, { domain, fields: 'id', limit: 1000 }));
      return response.status === 200
        ? { status: 200, ids: listedIds(response).sort((a, b) => a - b), total: response.body.total as number }
        : { status: response.status, error: response.body.error as string };
    };
    return {
      hierarchy: await ask(`[('${field}', '${operator}', [${start.join(', ')}])]`),
      in: await ask(`[('${selfReferential ? 'id' : field}', 'in', [${reached.join(', ')}])]`),
    };
  }

  /** A company partner everyone in San Francisco may read, with one contact in Chicago that salesman2 may not read (demo may). */
  async function parentWithHiddenContact(): Promise<{ parent: number; hidden: number }> {
    const parent = (await server.request('admin', 'POST', apiPath('res.partner'), { name: 'Hierarchy Probe Co', is_company: true })).body
      .id as number;
    const hidden = (
      await server.request('admin', 'POST', apiPath('res.partner'), {
        name: 'Hierarchy Hidden Contact',
        parent_id: parent,
        company_id: CHICAGO,
      })
    ).body.id as number;
    expect((await server.request('salesman2', 'GET', apiPath('res.partner', hidden))).status).toBe(403);
    expect((await server.request('salesman2', 'GET', apiPath('res.partner', parent))).status).toBe(200);
    expect((await server.request('demo', 'GET', apiPath('res.partner', hidden))).status).toBe(200);
    return { parent, hidden };
  }

  const settingsGroup = () => sqlRow<{ id: number }>(server, `SELECT id FROM res_groups WHERE xml_id = 'base.group_system'`)!.id;
  const internalGroup = () => sqlRow<{ id: number }>(server, `SELECT id FROM res_groups WHERE xml_id = 'base.group_user'`)!.id;
  /** A partner tag with tags under it. */
  const parentTag = () =>
    sqlRow<{ id: number }>(
      server,
      `SELECT id FROM res_partner_category t WHERE EXISTS (SELECT 1 FROM res_partner_category c WHERE c.parent_id = t.id) ORDER BY id LIMIT 1`,
    )!.id;

  it("salesman2: [('company_ids', 'child_of', [Chicago])] on res.users does not tell who works for a company he may not read", async () => {
    const chicagoUsers = sqlIds(`SELECT user_id AS id FROM res_company_users_rel WHERE cid = ?`, CHICAGO);
    expect(chicagoUsers).toContain(UID.salesman3);
    for (const operator of ['child_of', 'parent_of'] as const) {
      const { hierarchy, in: asIn } = await withBothForms('salesman2', 'res.users', 'company_ids', 'res_company', operator, [CHICAGO]);
      expect(asIn, operator).toEqual({ status: 200, ids: [], total: 0 });
      expect(hierarchy, operator).toEqual(asIn);
    }
    // Admin, allowed in Chicago, finds them.
    const admin = await withBothForms('admin', 'res.users', 'company_ids', 'res_company', 'child_of', [CHICAGO]);
    expect(admin.hierarchy).toMatchObject({ status: 200, ids: expect.arrayContaining([UID.salesman3]) });
    expect(admin.hierarchy).toEqual(admin.in);
  });

  it("portal: [('groups_id', 'child_of', [Settings])] on res.users is refused, as 'in' is (no access right on res.groups)", async () => {
    for (const operator of ['child_of', 'parent_of'] as const) {
      const { hierarchy, in: asIn } = await withBothForms('portal', 'res.users', 'groups_id', 'res_groups', operator, [settingsGroup()]);
      expect(asIn.status, operator).toBe(403);
      expect(asIn.error).toContain(`You are not allowed to access 'Access Groups' (res.groups) records.`);
      expect(hierarchy, operator).toEqual(asIn);
    }
    // demo may read groups: he finds the administrators, as with 'in'.
    const demo = await withBothForms('demo', 'res.users', 'groups_id', 'res_groups', 'child_of', [settingsGroup()]);
    expect(demo.hierarchy).toMatchObject({ status: 200, ids: expect.arrayContaining([UID.admin]) });
    expect(demo.hierarchy).toEqual(demo.in);
  });

  it("portal: [('category_id', 'child_of', [tag])] on res.partner is refused, as 'in' is (no access right on partner tags)", async () => {
    for (const operator of ['child_of', 'parent_of'] as const) {
      const { hierarchy, in: asIn } = await withBothForms('portal', 'res.partner', 'category_id', 'res_partner_category', operator, [
        parentTag(),
      ]);
      expect(asIn.status, operator).toBe(403);
      expect(asIn.error).toContain('(res.partner.category) records.');
      expect(hierarchy, operator).toEqual(asIn);
    }
  });

  it("salesman2: [('child_ids', 'child_of', [hidden contact])] does not find the contact's visible parent", async () => {
    const { parent, hidden } = await parentWithHiddenContact();
    for (const operator of ['child_of', 'parent_of'] as const) {
      const { hierarchy, in: asIn } = await withBothForms('salesman2', 'res.partner', 'child_ids', 'res_partner', operator, [hidden]);
      expect(asIn.status, operator).toBe(200);
      expect(hierarchy, operator).toEqual(asIn);
      expect(hierarchy.ids, operator).not.toContain(parent);
    }
    // Admin, who may read the contact, finds its parent: on partners, Odoo 17 walks child_ids as the parent
    // field, so child_of goes up from the contact (parent_of goes down, to the contact alone).
    expect((await withBothForms('admin', 'res.partner', 'child_ids', 'res_partner', 'child_of', [hidden])).hierarchy.ids).toContain(parent);
    expect((await withBothForms('admin', 'res.partner', 'child_ids', 'res_partner', 'parent_of', [hidden])).hierarchy.ids).toEqual([
      hidden,
    ]);
  });

  it('every case, as demo, salesman2 and portal, answers exactly as its in form: the same status, ids and total, or the same refusal', async () => {
    const { hidden } = await parentWithHiddenContact();
    const decoContact = sqlRow<{ id: number }>(
      server,
      `SELECT id FROM res_partner WHERE parent_id = ? AND active = 1 ORDER BY id LIMIT 1`,
      DECO_ADDICT,
    )!.id;
    const cases: Array<[model: string, field: string, comodelTable: string, start: number[]]> = [
      ['res.users', 'company_ids', 'res_company', [CHICAGO]],
      ['res.users', 'company_ids', 'res_company', [SAN_FRANCISCO, CHICAGO]],
      ['res.users', 'groups_id', 'res_groups', [settingsGroup()]],
      ['res.users', 'groups_id', 'res_groups', [internalGroup()]],
      ['res.partner', 'category_id', 'res_partner_category', [parentTag()]],
      ['res.partner', 'child_ids', 'res_partner', [hidden]],
      ['res.partner', 'child_ids', 'res_partner', [decoContact]],
      ['res.partner', 'child_ids', 'res_partner', [DECO_ADDICT]],
      ['res.partner', 'parent_id', 'res_partner', [DECO_ADDICT]],
      ['res.partner', 'id', 'res_partner', [DECO_ADDICT]],
      ['res.partner.category', 'child_ids', 'res_partner_category', [parentTag()]],
      ['sale.order', 'partner_id', 'res_partner', [DECO_ADDICT]],
    ];
    // demo is allowed in Chicago (he reads the hidden contact); salesman2 and portal are not.
    for (const login of ['demo', 'salesman2', 'portal']) {
      for (const [model, field, comodelTable, start] of cases) {
        for (const operator of ['child_of', 'parent_of'] as const) {
          const { hierarchy, in: asIn } = await withBothForms(login, model, field, comodelTable, operator, start);
          expect.soft(hierarchy, `${login}: ${model} [('${field}', '${operator}', [${start.join(', ')}])]`).toEqual(asIn);
        }
      }
    }
  });

  it('through typed GraphQL: the same answers, and the same refusal', async () => {
    const listOf = async (login: string, query: string) => (await graphql(server, login, query)).body;
    const salesman2Chicago = await listOf(
      'salesman2',
      `{ resUsersList(domain: "[('company_ids', 'child_of', [${CHICAGO}])]") { total results { id } } }`,
    );
    expect(salesman2Chicago.errors).toBeUndefined();
    expect(salesman2Chicago.data!.resUsersList).toEqual({ total: 0, results: [] });
    const adminChicago = await listOf(
      'admin',
      `{ resUsersList(domain: "[('company_ids', 'child_of', [${CHICAGO}])]") { total results { id } } }`,
    );
    expect(adminChicago.data!.resUsersList.results).toContainEqual({ id: UID.salesman3 });

    const portalSettings = await listOf(
      'portal',
      `{ resUsersList(domain: "[('groups_id', 'child_of', [${settingsGroup()}])]") { total results { id } } }`,
    );
    const portalSettingsIn = await listOf(
      'portal',
      `{ resUsersList(domain: "[('groups_id', 'in', [${settingsGroup()}])]") { total results { id } } }`,
    );
    expect(portalSettings.data?.resUsersList ?? null).toBeNull();
    expect(portalSettings.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(portalSettings.errors?.[0]?.message).toContain('(res.groups) records.');
    expect(portalSettings.errors?.map((e) => e.message)).toEqual(portalSettingsIn.errors?.map((e) => e.message));
  });
});

describe('many2many writes leave links to records the writer cannot see alone', () => {
  it("replacing or clearing a tag's partners keeps the hidden (Chicago) partners tagged", async () => {
    const shared = sqlRow<{ id: number }>(
      server,
      `SELECT id FROM res_partner WHERE company_id IS NULL AND is_company = 1 AND active = 1 AND id > 20 LIMIT 1`,
    )!.id;
    const other = sqlRow<{ id: number }>(
      server,
      `SELECT id FROM res_partner WHERE company_id IS NULL AND is_company = 1 AND active = 1 AND id > ? LIMIT 1`,
      shared,
    )!.id;
    const hidden = sqlRow<{ id: number }>(server, `SELECT id FROM res_partner WHERE company_id = ? AND active = 1 LIMIT 1`, CHICAGO)!.id;
    const created = await server.request('admin', 'POST', apiPath('res.partner.category'), {
      name: 'Probe Tag',
      partner_ids: [shared, hidden],
    });
    expect(created.status, created.text).toBe(201);
    const tag = created.body.id as number;
    const links = () =>
      sqlRows<{ partner_id: number }>(
        server,
        `SELECT partner_id FROM res_partner_res_partner_category_rel WHERE category_id = ? ORDER BY partner_id`,
        tag,
      ).map((r) => r.partner_id);

    // salesman2 (San Francisco alone; a salesman may edit tags) sees only the partner he may read...
    expect(
      (await server.request('salesman2', 'GET', `${apiPath('res.partner.category', tag)}?fields=partner_ids`)).body.partner_ids,
    ).toEqual([shared]);
    // ...and his replace, unlink or clear only touch those.
    for (const partner_ids of [[[6, 0, [other]]], [other], [[3, hidden]], [[5]]]) {
      const response = await server.request('salesman2', 'PATCH', apiPath('res.partner.category', tag), { partner_ids });
      expect(response.status, `${JSON.stringify(partner_ids)}: ${response.text}`).toBe(200);
      expect(links(), JSON.stringify(partner_ids)).toContain(hidden);
    }
    expect(links()).toEqual([hidden]);
    // Linking a record he may not read is refused.
    expect((await server.request('salesman2', 'PATCH', apiPath('res.partner.category', tag), { partner_ids: [[4, hidden]] })).status).toBe(
      403,
    );
    // Admin sees and clears everything.
    expect((await server.request('admin', 'PATCH', apiPath('res.partner.category', tag), { partner_ids: [[5]] })).status).toBe(200);
    expect(links()).toEqual([]);
  });
});

describe('a refused write changes nothing', () => {
  it("update of another salesman's lead and order: 403, row unchanged", async () => {
    const lead = colleagueLead();
    const before = storedRow(server, 'crm_lead', lead);
    const response = await server.request('demo', 'PATCH', apiPath('crm.lead', lead), { name: 'Mine now', probability: 99 });
    expectRuleRefusal(response, 'Marc Demo', UID.demo, 'write', 'Lead/Opportunity', 'crm.lead');
    expect(storedRow(server, 'crm_lead', lead)).toEqual(before);

    const order = colleagueOrder();
    const orderBefore = storedRow(server, 'sale_order', order);
    const linesBefore = sqlRows(server, `SELECT * FROM sale_order_line WHERE order_id = ? ORDER BY id`, order);
    const put = await server.request('demo', 'PUT', apiPath('sale.order', order), {
      client_order_ref: 'HIJACK',
      order_line: [[0, 0, { name: 'Extra', price_unit: 1 }]],
    });
    expectRuleRefusal(put, 'Marc Demo', UID.demo, 'write', 'Sales Order', 'sale.order');
    expect(storedRow(server, 'sale_order', order)).toEqual(orderBefore);
    expect(sqlRows(server, `SELECT * FROM sale_order_line WHERE order_id = ? ORDER BY id`, order)).toEqual(linesBefore);
  });

  it('a write that would move his own lead to another salesman: 403, nothing changes', async () => {
    // salesman2, of San Francisco alone (demo may move his orders to Chicago, a company he is allowed in).
    const lead = salesman2Lead();
    const before = storedRow(server, 'crm_lead', lead);
    const response = await server.request('salesman2', 'PATCH', apiPath('crm.lead', lead), { probability: 77, user_id: UID.demo });
    expectRuleRefusal(response, 'Audrey Peterson', UID.salesman2, 'write', 'Lead/Opportunity', 'crm.lead');
    expect(storedRow(server, 'crm_lead', lead)).toEqual(before);
    // The same for his own order, moved to demo or to Chicago.
    const order = salesman2Order();
    const orderBefore = storedRow(server, 'sale_order', order);
    for (const values of [{ user_id: UID.demo }, { company_id: CHICAGO }]) {
      const moved = await server.request('salesman2', 'PATCH', apiPath('sale.order', order), values);
      expectRuleRefusal(moved, 'Audrey Peterson', UID.salesman2, 'write', 'Sales Order', 'sale.order');
    }
    expect(storedRow(server, 'sale_order', order)).toEqual(orderBefore);
    // A harmless write to the same order goes through: the refusals were the rule's, not a lack of right.
    expect((await server.request('salesman2', 'PATCH', apiPath('sale.order', order), { client_order_ref: 'STILL MINE' })).status).toBe(200);
  });

  it('creating a lead or order for another salesman is refused and leaves no row', async () => {
    const leads = sqlCount(server, `SELECT id FROM crm_lead`);
    const lead = await server.request('demo', 'POST', apiPath('crm.lead'), { name: 'For Audrey', user_id: UID.salesman2 });
    expectRuleRefusal(lead, 'Marc Demo', UID.demo, 'create', 'Lead/Opportunity', 'crm.lead');
    expect(sqlCount(server, `SELECT id FROM crm_lead`)).toBe(leads);

    const orders = sqlCount(server, `SELECT id FROM sale_order`);
    const lines = sqlCount(server, `SELECT id FROM sale_order_line`);
    const order = await server.request('demo', 'POST', apiPath('sale.order'), {
      partner_id: DECO_ADDICT,
      user_id: UID.salesman2,
      order_line: [[0, 0, { name: 'Line', price_unit: 3 }]],
    });
    expect(order.status).toBe(403);
    expect(sqlCount(server, `SELECT id FROM sale_order`)).toBe(orders);
    expect(sqlCount(server, `SELECT id FROM sale_order_line`)).toBe(lines);
  });

  it("order lines of another salesman's order cannot be added, moved into his order, edited or deleted", async () => {
    const mine = ownOrder();
    const theirs = colleagueOrder();
    const theirLine = sqlRow<{ id: number }>(server, `SELECT id FROM sale_order_line WHERE order_id = ?`, theirs)!.id;
    const snapshot = () => ({
      mine: storedRow(server, 'sale_order', mine),
      theirs: storedRow(server, 'sale_order', theirs),
      lines: sqlRows(server, `SELECT * FROM sale_order_line WHERE order_id IN (?, ?) ORDER BY id`, mine, theirs),
    });
    const before = snapshot();

    // New line on their order.
    const created = await server.request('demo', 'POST', apiPath('sale.order.line'), { order_id: theirs, name: 'Sneaky', price_unit: 1 });
    expectRuleRefusal(created, 'Marc Demo', UID.demo, 'create', 'Sales Order Line', 'sale.order.line');
    // Their line linked into my order, or set as my order's lines.
    for (const order_line of [[[4, theirLine]], [[6, 0, [theirLine]]]]) {
      const response = await server.request('demo', 'PATCH', apiPath('sale.order', mine), { order_line });
      expectRuleRefusal(response, 'Marc Demo', UID.demo, 'write', 'Sales Order Line', 'sale.order.line');
    }
    // Their line edited or deleted directly.
    expectRuleRefusal(
      await server.request('demo', 'PATCH', apiPath('sale.order.line', theirLine), { price_unit: 0 }),
      'Marc Demo',
      UID.demo,
      'write',
      'Sales Order Line',
      'sale.order.line',
    );
    expectRuleRefusal(
      await server.request('demo', 'DELETE', apiPath('sale.order.line', theirLine)),
      'Marc Demo',
      UID.demo,
      'unlink',
      'Sales Order Line',
      'sale.order.line',
    );
    expect(snapshot()).toEqual(before);
  });
});

describe('delete', () => {
  it('a salesman has no right to delete leads or orders at all: 403 naming the groups that may', async () => {
    for (const [model, id, table] of [
      ['crm.lead', colleagueLead(), 'crm_lead'],
      ['sale.order', colleagueOrder(), 'sale_order'],
      ['crm.lead', ownLead(), 'crm_lead'],
    ] as const) {
      const response = await server.request('demo', 'DELETE', apiPath(model, id));
      expectRightsRefusal(response, 'delete', model === 'crm.lead' ? 'Lead/Opportunity' : 'Sales Order', model);
      expect(response.body.error).toContain('This operation is allowed for the following groups:');
      expect(sqlCount(server, `SELECT id FROM ${table} WHERE id = ?`, id)).toBe(1);
    }
  });

  it("the groups are named as Odoo 17 names them, `Category/Name`, as the lab's Odoo answers", async () => {
    // Lab (reference gateway, demo): DELETE /api/crm_lead/<his lead>, and POST /api/res_company.
    const lead = await server.request('demo', 'DELETE', apiPath('crm.lead', ownLead()));
    expect(lead.body.error).toBe(
      "You are not allowed to delete 'Lead/Opportunity' (crm.lead) records.\n\nThis operation is allowed for the following groups:\n\t- Sales/Administrator\n\nContact your administrator to request access if necessary.",
    );
    const company = await server.request('demo', 'POST', '/api/res_company', { name: 'Not allowed' });
    expect(company.body.error).toBe(
      "You are not allowed to create 'Companies' (res.company) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Access Rights\n\nContact your administrator to request access if necessary.",
    );
  });

  it('record rules refuse deletes the rights would allow (manager, a Chicago lead); demo deletes lines of his own orders', async () => {
    const chicagoLead = sqlRow<{ id: number }>(server, `SELECT id FROM crm_lead WHERE company_id = ? AND active = 1 LIMIT 1`, CHICAGO)!.id;
    const response = await server.request('manager', 'DELETE', apiPath('crm.lead', chicagoLead));
    expectRuleRefusal(response, 'Beth Evans', UID.manager, 'unlink', 'Lead/Opportunity', 'crm.lead');
    expect(storedRow(server, 'crm_lead', chicagoLead)).toBeDefined();

    // demo may delete lines of his own draft orders, not of his colleague's.
    const own = (await server.request('demo', 'POST', apiPath('sale.order.line'), { order_id: ownOrder(), name: 'Mine', price_unit: 1 }))
      .body.id as number;
    expect((await server.request('demo', 'DELETE', apiPath('sale.order.line', own))).status).toBe(200);
    expect(storedRow(server, 'sale_order_line', own)).toBeUndefined();
  });
});

describe('many2one to a record the caller may not read', () => {
  it('shows its name, as Odoo does, while the record itself stays unreadable', async () => {
    // Admin gives one of salesman2's leads a Chicago customer, which salesman2 (San Francisco alone) may not read.
    const lead = salesman2Lead();
    const chicagoCustomer = sqlRow<{ id: number; complete_name: string }>(
      server,
      `SELECT id, complete_name FROM res_partner WHERE company_id = ? AND is_company = 1 AND active = 1 LIMIT 1`,
      CHICAGO,
    )!;
    expect((await server.request('admin', 'PATCH', apiPath('crm.lead', lead), { partner_id: chicagoCustomer.id })).status).toBe(200);

    const read = await server.request('salesman2', 'GET', `${apiPath('crm.lead', lead)}?fields=partner_id`);
    expect(read.status).toBe(200);
    expect(read.body.partner_id).toEqual({ id: chicagoCustomer.id, name: chicagoCustomer.complete_name });
    expectRuleRefusal(
      await server.request('salesman2', 'GET', apiPath('res.partner', chicagoCustomer.id)),
      'Audrey Peterson',
      UID.salesman2,
      'read',
      'Contact',
      'res.partner',
    );
    expect(await listAll('salesman2', 'res.partner', `[('id', '=', ${chicagoCustomer.id})]`)).toEqual({ ids: [], total: 0 });
    // The name shows, but a search on it through the many2one finds nothing: the partner's rule applies.
    expect(
      (await listAll('admin', 'crm.lead', `[('partner_id.name', '=', ${JSON.stringify(chicagoCustomer.complete_name)})]`)).ids,
    ).toContain(lead);
    expect(
      (await listAll('salesman2', 'crm.lead', `[('partner_id.name', '=', ${JSON.stringify(chicagoCustomer.complete_name)})]`)).ids,
    ).not.toContain(lead);
  });

  it('a user of another company: his company shows by name, but cannot be read', async () => {
    // salesman2 (San Francisco alone) reads salesman3, of Chicago.
    const user = await server.request('salesman2', 'GET', `${apiPath('res.users', UID.salesman3)}?fields=name,company_id,company_ids`);
    expect(user.status).toBe(200);
    expect(user.body.company_id).toEqual({ id: CHICAGO, name: 'My Company (Chicago)' });
    // x2many values only list what the reader may read.
    expect(user.body.company_ids).toEqual([]);
    expect((await server.request('admin', 'GET', `${apiPath('res.users', UID.salesman3)}?fields=company_ids`)).body.company_ids).toEqual([
      CHICAGO,
    ]);
    expectRuleRefusal(
      await server.request('salesman2', 'GET', apiPath('res.company', CHICAGO)),
      'Audrey Peterson',
      UID.salesman2,
      'read',
      'Companies',
      'res.company',
    );
    expect((await server.request('salesman2', 'GET', apiPath('res.company', SAN_FRANCISCO))).status).toBe(200);
  });

  it("lines of another salesman's order are as hidden as the order itself (lines follow their order)", async () => {
    const theirs = colleagueOrder();
    const lines = await listAll('demo', 'sale.order.line', `[('order_id', '=', ${theirs})]`);
    expect(lines).toEqual({ ids: [], total: 0 });
    expect((await listAll('admin', 'sale.order.line', `[('order_id', '=', ${theirs})]`)).total).toBeGreaterThan(0);
  });
});

describe('x2many values list only what the reader may read', () => {
  it('order_line of an order lists exactly the lines the user may read', async () => {
    for (const [login, order] of [
      ['demo', ownOrder('sale')],
      ['manager', colleagueOrder('sale')],
      ['portal', null],
    ] as const) {
      const id =
        order ??
        sqlRow<{ id: number }>(
          server,
          `SELECT o.id FROM sale_order o JOIN res_partner p ON p.id = o.partner_id WHERE p.commercial_partner_id = ? ORDER BY o.id LIMIT 1`,
          DECO_ADDICT,
        )!.id;
      const read = await server.request(login, 'GET', `${apiPath('sale.order', id)}?fields=order_line`);
      expect(read.status, `${login} ${read.text}`).toBe(200);
      const readable = await listAll(login, 'sale.order.line', `[('order_id', '=', ${id})]`);
      expect([...read.body.order_line].sort((a: number, b: number) => a - b)).toEqual(readable.ids);
      expect(readable.ids).toEqual(sqlIds(`SELECT id FROM sale_order_line WHERE order_id = ?`, id));
    }
  });
});

describe('multi-company', () => {
  it('salesman3, in Chicago only, sees only Chicago\'s orders (all of them: he has "All Documents")', async () => {
    const expected = sqlIds(`SELECT id FROM sale_order WHERE company_id = ?`, CHICAGO);
    const { ids, total } = await listAll('salesman3', 'sale.order');
    expect(total).toBe(expected.length);
    expect(ids).toEqual(expected);
    expect(sqlCount(server, `SELECT id FROM sale_order WHERE company_id = ? AND user_id != ?`, CHICAGO, UID.salesman3)).toBeGreaterThan(0);

    const sanFrancisco = sqlRow<{ id: number }>(
      server,
      `SELECT id FROM sale_order WHERE company_id = ? AND user_id IS NULL LIMIT 1`,
      SAN_FRANCISCO,
    )!.id;
    expectRuleRefusal(
      await server.request('salesman3', 'GET', apiPath('sale.order', sanFrancisco)),
      'Jeffrey Kelly',
      UID.salesman3,
      'read',
      'Sales Order',
      'sale.order',
    );
    expect((await listAll('salesman3', 'crm.lead')).ids).toEqual(
      sqlIds(`SELECT id FROM crm_lead WHERE active = 1 AND (company_id IS NULL OR company_id = ?)`, CHICAGO),
    );
  });

  it('salesman3 cannot create an order in San Francisco, nor move one there', async () => {
    const orders = sqlCount(server, `SELECT id FROM sale_order`);
    const created = await server.request('salesman3', 'POST', apiPath('sale.order'), {
      partner_id: DECO_ADDICT,
      company_id: SAN_FRANCISCO,
    });
    expectRuleRefusal(created, 'Jeffrey Kelly', UID.salesman3, 'create', 'Sales Order', 'sale.order');
    expect(sqlCount(server, `SELECT id FROM sale_order`)).toBe(orders);
    // His default company is Chicago: a plain create lands there.
    const plain = await server.request('salesman3', 'POST', apiPath('sale.order'), { partner_id: DECO_ADDICT });
    expect(plain.status, plain.text).toBe(201);
    expect(plain.body.record.company_id).toEqual({ id: CHICAGO, name: 'My Company (Chicago)' });
    const before = storedRow(server, 'sale_order', plain.body.id);
    expect((await server.request('salesman3', 'PATCH', apiPath('sale.order', plain.body.id), { company_id: SAN_FRANCISCO })).status).toBe(
      403,
    );
    expect(storedRow(server, 'sale_order', plain.body.id)).toEqual(before);
  });

  it('admin, allowed in both companies, sees both', async () => {
    expect((await listAll('admin', 'sale.order')).total).toBe(sqlCount(server, `SELECT id FROM sale_order`));
  });
});

describe('the portal user (Joel Willis, of Deco Addict)', () => {
  const DECO_ORDERS = `SELECT o.id FROM sale_order o JOIN res_partner p ON p.id = o.partner_id WHERE p.commercial_partner_id = ${DECO_ADDICT} AND o.company_id = ${SAN_FRANCISCO}`;

  it("sees only Deco Addict's orders", async () => {
    const expected = sqlIds(DECO_ORDERS);
    expect(expected.length).toBeGreaterThan(0);
    const { ids, total } = await listAll('portal', 'sale.order');
    expect(total).toBe(expected.length);
    expect(ids).toEqual(expected);
    const other = sqlRow<{ id: number }>(server, `SELECT id FROM sale_order WHERE id NOT IN (${DECO_ORDERS}) LIMIT 1`)!.id;
    expectRuleRefusal(
      await server.request('portal', 'GET', apiPath('sale.order', other)),
      'Joel Willis',
      UID.portal,
      'read',
      'Sales Order',
      'sale.order',
    );
  });

  it('reads them only: no update, create or delete', async () => {
    const order = sqlIds(DECO_ORDERS)[0]!;
    const before = storedRow(server, 'sale_order', order);
    expectRightsRefusal(
      await server.request('portal', 'PATCH', apiPath('sale.order', order), { client_order_ref: 'PORTAL' }),
      'modify',
      'Sales Order',
      'sale.order',
    );
    expectRightsRefusal(await server.request('portal', 'DELETE', apiPath('sale.order', order)), 'delete', 'Sales Order', 'sale.order');
    expectRightsRefusal(
      await server.request('portal', 'POST', apiPath('sale.order'), { partner_id: DECO_ADDICT }),
      'create',
      'Sales Order',
      'sale.order',
    );
    expect(storedRow(server, 'sale_order', order)).toEqual(before);
  });

  it("no leads: 403 on list, with Odoo's message", async () => {
    const response = await server.request('portal', 'GET', apiPath('crm.lead'));
    expectRightsRefusal(response, 'access', 'Lead/Opportunity', 'crm.lead');
    expect(response.body.error).toMatch(/^You are not allowed to access 'Lead\/Opportunity' \(crm\.lead\) records\./);
  });

  it('contacts: Deco Addict and its people, without the employees-only fields', async () => {
    const { ids } = await listAll('portal', 'res.partner');
    expect(ids).toEqual(sqlIds(`SELECT id FROM res_partner WHERE active = 1 AND commercial_partner_id = ?`, DECO_ADDICT));

    const deco = await server.request('portal', 'GET', apiPath('res.partner', DECO_ADDICT));
    expect(deco.status).toBe(200);
    expect(deco.body).toHaveProperty('name', 'Deco Addict');
    expect(deco.body).not.toHaveProperty('ref');
    expect(deco.body).not.toHaveProperty('comment');
    const page = await server.request('portal', 'GET', listPath('res.partner', { limit: 5 }));
    for (const record of page.body.results) {
      expect(record).not.toHaveProperty('ref');
      expect(record).not.toHaveProperty('comment');
    }
    // Employees do see them.
    const employee = await server.request('demo', 'GET', apiPath('res.partner', DECO_ADDICT));
    expect(employee.body).toHaveProperty('ref');
    expect(employee.body).toHaveProperty('comment');
  });

  it('employees-only fields asked for by name, searched or sorted on: 403 naming the field', async () => {
    for (const path of [
      `${apiPath('res.partner', DECO_ADDICT)}?fields=name,ref`,
      `${apiPath('res.partner', DECO_ADDICT)}?fields=comment`,
      listPath('res.partner', { fields: 'ref' }),
      listPath('res.partner', { domain: `[('ref', '=', 'C0002')]` }),
      listPath('res.partner', { domain: `[('parent_id.ref', 'like', 'C')]` }),
      listPath('sale.order', { domain: `[('partner_id.comment', '!=', False)]` }),
      listPath('res.partner', { order: 'ref' }),
      listPath('res.partner', { order: 'name, comment desc' }),
    ]) {
      const response = await server.request('portal', 'GET', path);
      expect.soft(response.status, `${path}: ${response.text.slice(0, 200)}`).toBe(403);
      expect(response.body.error, path).toMatch(/ref|comment/);
    }
  });
});

describe('res.users.password', () => {
  it('is never in the default fields, for anyone', async () => {
    // Each reads himself, a user everyone may read (the portal user reads no other: res.users is read
    // under res.partner's rules, Odoo's _inherits).
    for (const login of ['admin', 'demo', 'manager', 'portal'] as const) {
      const me = await server.request(login, 'GET', apiPath('res.users', UID[login]));
      expect(me.status, `${login}: ${me.text}`).toBe(200);
      expect(me.body.id).toBe(UID[login]);
      expect(me.body).not.toHaveProperty('password');
      const page = await server.request(login, 'GET', listPath('res.users', {}));
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('scrypt$');
      for (const record of page.body.results) expect(record).not.toHaveProperty('password');
    }
  });

  it('is refused by name (400, as a field the API does not have), even to admin, in fields, domains and order', async () => {
    for (const path of [
      `${apiPath('res.users', UID.admin)}?fields=password`,
      listPath('res.users', { fields: 'login,password' }),
      listPath('res.users', { domain: `[('password', 'like', 'scrypt')]` }),
      listPath('res.partner', { domain: `[('user_id.password', '!=', False)]` }),
      listPath('res.users', { order: 'password' }),
    ]) {
      const response = await server.request('admin', 'GET', path);
      // Not a field of the API at all: refused by name like an unknown field.
      expect(response.status, `${path}: ${response.text}`).toBe(400);
      expect(response.body.error, path).toContain('password');
      expect(response.text).not.toContain('scrypt$');
    }
  });

  it('cannot be written through the API either', async () => {
    const before = storedRow(server, 'res_users', UID.demo);
    const response = await server.request('admin', 'PATCH', apiPath('res.users', UID.demo), { password: 'hacked' });
    expect(response.status).toBe(400);
    expect(response.body.error).toContain("Invalid field 'password'");
    expect(storedRow(server, 'res_users', UID.demo)).toEqual(before);
  });
});
