/**
 * The access matrix: what each demo user may do on each demo model, over real HTTP.
 *
 * POLICY below IS the documentation of the policy (access rights and record rules as declared beside each
 * model in src/backends/embedded/models/). One row per user × model, five operations:
 *
 * - list      `GET /api/<slug>`: 403 (no read right), or 200 listing (and counting in `total`)
 *               'all'    every (active) row of the table,
 *               'subset' some rows but not all: exactly those of SUBSETS, the rule written in SQL,
 *               'none'   no row at all (the rules leave nothing visible).
 * - retrieve  `GET /api/<slug>/<id>`, update `PATCH /api/<slug>/<id>` and delete `DELETE /api/<slug>/<id>`
 *               act on a fresh record made by admin for that user (THE RECORD below): 200, or 403 from a
 *               missing access right or a record rule.
 * - create    `POST /api/<slug>` with plain values: 201 or 403.
 *
 * THE RECORD, made by admin before the user acts: salesperson / buyer / responsible is the user (admin for
 * the portal user, who is nobody's salesperson), company San Francisco, customer Deco Addict (the portal
 * user's company) on sales documents and transfers, a regular vendor on purchases; a new contact is a
 * contact of Deco Addict; a new company is one nobody else is allowed in. Orders to delete are drafts
 * (sales) or cancelled (purchases), so that only access decides.
 *
 * Each user acts on a fresh server (a fresh copy of the demo database), so writes and deletes of one row
 * cannot change the outcome of another user's rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestResponse, type TestServer } from '../helpers/server.js';
import { apiPath, CHICAGO, DECO_ADDICT, listPath, SAN_FRANCISCO, sqlCount, sqlRow, sqlRows, UID } from './support.js';

type Login = 'admin' | 'demo' | 'manager' | 'portal';
type Model =
  | 'res.partner'
  | 'res.users'
  | 'res.groups'
  | 'res.company'
  | 'res.country'
  | 'product.product'
  | 'sale.order'
  | 'sale.order.line'
  | 'crm.lead'
  | 'crm.stage'
  | 'stock.picking'
  | 'purchase.order'
  | 'purchase.order.line';
type List = 'all' | 'subset' | 'none' | 403;
type PolicyRow = readonly [
  user: Login,
  model: Model,
  list: List,
  retrieve: 200 | 403,
  create: 201 | 403,
  update: 200 | 403,
  del: 200 | 403,
];

// prettier-ignore
const POLICY: readonly PolicyRow[] = [
  // admin: Settings, sales / stock / purchase manager, both companies: everything.
  // user       model                    list      retrieve create update delete
  ['admin',   'res.partner',            'all',    200,     201,   200,   200],
  ['admin',   'res.users',              'all',    200,     201,   200,   200],
  ['admin',   'res.groups',             'all',    200,     201,   200,   200],
  ['admin',   'res.company',            'all',    200,     201,   200,   200],
  ['admin',   'res.country',            'all',    200,     201,   200,   200],
  ['admin',   'product.product',        'all',    200,     201,   200,   200],
  ['admin',   'sale.order',             'all',    200,     201,   200,   200],
  ['admin',   'sale.order.line',        'all',    200,     201,   200,   200],
  ['admin',   'crm.lead',               'all',    200,     201,   200,   200],
  ['admin',   'crm.stage',              'all',    200,     201,   200,   200],
  ['admin',   'stock.picking',          'all',    200,     201,   200,   200],
  ['admin',   'purchase.order',         'all',    200,     201,   200,   200],
  ['admin',   'purchase.order.line',    'all',    200,     201,   200,   200],

  // demo: salesman (own documents only), stock user, purchase user, Contact Creation (as Odoo's demo
  // user); allowed in both companies, San Francisco and Chicago, as Odoo 17's demo user is
  // (stock/data/stock_demo.xml adds Chicago to user_demo's companies), his own documents all in San
  // Francisco. Reads reference data; creates and edits contacts, his leads and orders; deletes contacts
  // (Contact Creation), order lines, transfers and purchases, but not leads or orders.
  // Partners, transfers and purchases are either company's or shared, so he sees them all, as Odoo 17
  // shows its demo user; the company rules on them are still proved by manager's and by the San Francisco
  // purchase user's rows ('as a user of one company' below).
  ['demo',    'res.partner',            'all',    200,     201,   200,   200],
  ['demo',    'res.users',              'all',    200,     403,   403,   403],
  ['demo',    'res.groups',             'all',    200,     403,   403,   403],
  ['demo',    'res.company',            'subset', 403,     403,   403,   403],
  ['demo',    'res.country',            'all',    200,     403,   403,   403],
  ['demo',    'product.product',        'all',    200,     403,   403,   403],
  ['demo',    'sale.order',             'subset', 200,     201,   200,   403],
  ['demo',    'sale.order.line',        'subset', 200,     201,   200,   200],
  ['demo',    'crm.lead',               'subset', 200,     201,   200,   403],
  ['demo',    'crm.stage',              'all',    200,     403,   403,   403],
  ['demo',    'stock.picking',          'all',    200,     201,   200,   200],
  ['demo',    'purchase.order',         'all',    200,     201,   200,   200],
  ['demo',    'purchase.order.line',    'all',    200,     201,   200,   200],

  // manager: sales manager (every lead and order of San Francisco), no stock or purchase rights.
  ['manager', 'res.partner',            'subset', 200,     201,   200,   403],
  ['manager', 'res.users',              'all',    200,     403,   403,   403],
  ['manager', 'res.groups',             'all',    200,     403,   403,   403],
  ['manager', 'res.company',            'subset', 403,     403,   403,   403],
  ['manager', 'res.country',            'all',    200,     403,   403,   403],
  ['manager', 'product.product',        'all',    200,     201,   200,   200],
  ['manager', 'sale.order',             'subset', 200,     201,   200,   200],
  ['manager', 'sale.order.line',        'subset', 200,     201,   200,   200],
  ['manager', 'crm.lead',               'subset', 200,     201,   200,   200],
  ['manager', 'crm.stage',              'all',    200,     201,   200,   200],
  ['manager', 'stock.picking',          'subset', 200,     201,   200,   200],
  ['manager', 'purchase.order',         403,      403,     403,   403,   403],
  ['manager', 'purchase.order.line',    403,      403,     403,   403,   403],

  // portal: Joel Willis of Deco Addict. Reads, never writes: Deco Addict and its contacts, their
  // orders and transfers; no leads, stages, products or groups; purchases only where Deco Addict
  // would be the vendor (none).
  ['portal',  'res.partner',            'subset', 200,     403,   403,   403],
  // Users are read under res.partner's rules too (Odoo's _inherits, see SUBSETS): himself alone, so not
  // THE RECORD, a user whose partner is nobody's contact of Deco Addict.
  ['portal',  'res.users',              'subset', 403,     403,   403,   403],
  ['portal',  'res.groups',             403,      403,     403,   403,   403],
  ['portal',  'res.company',            'subset', 403,     403,   403,   403],
  ['portal',  'res.country',            'all',    200,     403,   403,   403],
  ['portal',  'product.product',        403,      403,     403,   403,   403],
  ['portal',  'sale.order',             'subset', 200,     403,   403,   403],
  ['portal',  'sale.order.line',        'subset', 200,     403,   403,   403],
  ['portal',  'crm.lead',               403,      403,     403,   403,   403],
  ['portal',  'crm.stage',              403,      403,     403,   403,   403],
  ['portal',  'stock.picking',          'subset', 200,     403,   403,   403],
  ['portal',  'purchase.order',         'none',   403,     403,   403,   403],
  ['portal',  'purchase.order.line',    'none',   403,     403,   403,   403],
];

/** Tables of the models, and the rows a list counts as 'all' (the `active` filter, as a list applies it). */
const ALL_ROWS: Readonly<Record<Model, string>> = {
  'res.partner': `SELECT id FROM res_partner WHERE active = 1`,
  'res.users': `SELECT id FROM res_users WHERE active = 1`,
  'res.groups': `SELECT id FROM res_groups`,
  'res.company': `SELECT id FROM res_company`,
  'res.country': `SELECT id FROM res_country`,
  'product.product': `SELECT id FROM product_product WHERE active = 1`,
  'sale.order': `SELECT id FROM sale_order`,
  'sale.order.line': `SELECT id FROM sale_order_line`,
  'crm.lead': `SELECT id FROM crm_lead WHERE active = 1`,
  'crm.stage': `SELECT id FROM crm_stage`,
  'stock.picking': `SELECT id FROM stock_picking`,
  'purchase.order': `SELECT id FROM purchase_order`,
  'purchase.order.line': `SELECT id FROM purchase_order_line`,
};

/** The rule behind every 'subset' cell, in SQL: exactly these rows are listed. */
const SF = `(company_id IS NULL OR company_id = ${SAN_FRANCISCO})`;
/** demo's companies: both, as Odoo 17's demo user (stock/data/stock_demo.xml). */
const SF_CHI = `(company_id IS NULL OR company_id IN (${SAN_FRANCISCO}, ${CHICAGO}))`;
const DECO = `(SELECT id FROM res_partner WHERE commercial_partner_id = ${DECO_ADDICT})`;
const SUBSETS: Readonly<Partial<Record<`${Login} ${Model}`, string>>> = {
  // Multi-company: San Francisco's contacts and the shared ones, not Chicago's.
  'manager res.partner': `SELECT id FROM res_partner WHERE active = 1 AND ${SF}`,
  // Portal: their commercial entity (Deco Addict) and its contacts.
  'portal res.partner': `SELECT id FROM res_partner WHERE active = 1 AND ${SF} AND commercial_partner_id = ${DECO_ADDICT}`,
  // Users: res.users is read under res.partner's rules too, as Odoo's `_inherits = {'res.partner':
  // 'partner_id'}` makes ir.rule._compute_domain add [('partner_id', 'any', <res.partner's rule domain>)]:
  // the users whose partner he may read (above), and of those the user rule's (internal users, or share
  // users of his companies). That is Joel Willis himself alone (uid 5), as in Odoo 17.
  'portal res.users': `SELECT id FROM res_users WHERE active = 1
    AND (share = 0 OR id IN (SELECT user_id FROM res_company_users_rel WHERE cid = ${SAN_FRANCISCO}))
    AND partner_id IN (SELECT id FROM res_partner WHERE ${SF} AND commercial_partner_id = ${DECO_ADDICT})`,
  // Companies: only the ones the user is allowed in (not THE RECORD, a company nobody else is allowed in).
  'demo res.company': `SELECT id FROM res_company WHERE id IN (${SAN_FRANCISCO}, ${CHICAGO})`,
  'manager res.company': `SELECT id FROM res_company WHERE id = ${SAN_FRANCISCO}`,
  'portal res.company': `SELECT id FROM res_company WHERE id = ${SAN_FRANCISCO}`,
  // Salesman: his own documents and unassigned ones, of his companies (both: Chicago's unassigned ones too).
  'demo crm.lead': `SELECT id FROM crm_lead WHERE active = 1 AND ${SF_CHI} AND (user_id IS NULL OR user_id = ${UID.demo})`,
  'demo sale.order': `SELECT id FROM sale_order WHERE ${SF_CHI} AND (user_id IS NULL OR user_id = ${UID.demo})`,
  'demo sale.order.line': `SELECT l.id FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id WHERE o.company_id IN (${SAN_FRANCISCO}, ${CHICAGO}) AND (o.user_id IS NULL OR o.user_id = ${UID.demo})`,
  // Sales manager: everything of his company.
  'manager crm.lead': `SELECT id FROM crm_lead WHERE active = 1 AND ${SF}`,
  'manager sale.order': `SELECT id FROM sale_order WHERE ${SF}`,
  'manager sale.order.line': `SELECT l.id FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id WHERE o.company_id = ${SAN_FRANCISCO}`,
  'manager stock.picking': `SELECT id FROM stock_picking WHERE ${SF}`,
  // Portal: documents of Deco Addict and its contacts.
  'portal sale.order': `SELECT id FROM sale_order WHERE ${SF} AND partner_id IN ${DECO}`,
  'portal sale.order.line': `SELECT l.id FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id WHERE o.company_id = ${SAN_FRANCISCO} AND o.partner_id IN ${DECO}`,
  'portal stock.picking': `SELECT id FROM stock_picking WHERE ${SF} AND partner_id IN ${DECO}`,
};

const DESCRIPTIONS: Readonly<Record<Model, string>> = {
  'res.partner': 'Contact',
  'res.users': 'User',
  'res.groups': 'Access Groups',
  'res.company': 'Companies',
  'res.country': 'Country',
  'product.product': 'Product Variant',
  'sale.order': 'Sales Order',
  'sale.order.line': 'Sales Order Line',
  'crm.lead': 'Lead/Opportunity',
  'crm.stage': 'CRM Stages',
  'stock.picking': 'Transfer',
  'purchase.order': 'Purchase Order',
  'purchase.order.line': 'Purchase Order Line',
};

interface Context {
  readonly server: TestServer;
  readonly login: Login;
  /** Salesperson / buyer of THE RECORD: the user, or admin for the portal user. */
  readonly owner: number;
  /** Creates a record as admin over HTTP and returns its id. */
  admin(model: Model, values: Record<string, unknown>): Promise<number>;
  readonly vendor: number;
  readonly product: number;
}

interface ModelSpec {
  /** THE RECORD: made by admin; retrieve, update and delete act on it. */
  record(ctx: Context): Promise<number>;
  /** Values the user posts to create a record (admin may prepare what they point to). */
  create(ctx: Context): Promise<Record<string, unknown>>;
  /** A harmless change for update. */
  readonly update: Record<string, unknown>;
}

async function saleOrder(ctx: Context, extra: Record<string, unknown> = {}): Promise<number> {
  return ctx.admin('sale.order', { partner_id: DECO_ADDICT, user_id: ctx.owner, company_id: SAN_FRANCISCO, ...extra });
}

async function purchaseOrder(ctx: Context, extra: Record<string, unknown> = {}): Promise<number> {
  return ctx.admin('purchase.order', { partner_id: ctx.vendor, user_id: ctx.owner, company_id: SAN_FRANCISCO, ...extra });
}

function sqlIds(server: TestServer, text: string): number[] {
  return sqlRows<{ id: number }>(server, text)
    .map((r) => r.id)
    .sort((a, b) => a - b);
}

function lineOf(ctx: Context, table: string, orderId: number): number {
  return sqlRow<{ id: number }>(ctx.server, `SELECT id FROM ${table} WHERE order_id = ?`, orderId)!.id;
}

const SPECS: Readonly<Record<Model, ModelSpec>> = {
  'res.partner': {
    record: (ctx) => ctx.admin('res.partner', { name: `Matrix Contact of ${ctx.login}`, parent_id: DECO_ADDICT }),
    create: async () => ({ name: 'Matrix New Contact' }),
    update: { phone: '+1 555 0100' },
  },
  'res.users': {
    record: async (ctx) =>
      ctx.admin('res.users', {
        name: 'Matrix User',
        login: `matrix-user-${ctx.login}`,
        partner_id: await ctx.admin('res.partner', { name: 'Matrix User' }),
      }),
    create: async (ctx) => ({
      name: 'Matrix New User',
      login: `matrix-new-user-${ctx.login}`,
      partner_id: await ctx.admin('res.partner', { name: 'Matrix New User' }),
    }),
    update: { email: 'matrix@example.com' },
  },
  'res.groups': {
    record: (ctx) => ctx.admin('res.groups', { name: `Matrix Group of ${ctx.login}` }),
    create: async () => ({ name: 'Matrix New Group' }),
    update: { comment: 'matrix' },
  },
  'res.company': {
    record: async (ctx) =>
      ctx.admin('res.company', {
        name: `Matrix Company of ${ctx.login}`,
        partner_id: await ctx.admin('res.partner', { name: `Matrix Company of ${ctx.login}`, is_company: true }),
      }),
    create: async (ctx) => ({
      name: `Matrix New Company of ${ctx.login}`,
      partner_id: await ctx.admin('res.partner', { name: 'Matrix New Company', is_company: true }),
    }),
    update: { phone: '+1 555 0101' },
  },
  'res.country': {
    record: (ctx) => ctx.admin('res.country', { name: 'Matrixland', code: 'XA' }),
    create: async () => ({ name: 'New Matrixland', code: 'XB' }),
    update: { phone_code: 999 },
  },
  'product.product': {
    record: (ctx) => ctx.admin('product.product', { name: 'Matrix Product' }),
    create: async () => ({ name: 'Matrix New Product' }),
    update: { list_price: 12.5 },
  },
  'sale.order': {
    record: (ctx) => saleOrder(ctx),
    create: async () => ({ partner_id: DECO_ADDICT }),
    update: { client_order_ref: 'MATRIX' },
  },
  'sale.order.line': {
    record: async (ctx) =>
      lineOf(
        ctx,
        'sale_order_line',
        await saleOrder(ctx, {
          order_line: [[0, 0, { product_id: ctx.product, name: 'Matrix Line', product_uom_qty: 1, price_unit: 10 }]],
        }),
      ),
    create: async (ctx) => ({ order_id: await saleOrder(ctx), product_id: ctx.product, name: 'Matrix New Line', price_unit: 5 }),
    update: { product_uom_qty: 3 },
  },
  'crm.lead': {
    record: (ctx) => ctx.admin('crm.lead', { name: 'Matrix Lead', user_id: ctx.owner, company_id: SAN_FRANCISCO }),
    create: async () => ({ name: 'Matrix New Lead' }),
    update: { probability: 42 },
  },
  'crm.stage': {
    record: (ctx) => ctx.admin('crm.stage', { name: 'Matrix Stage' }),
    create: async () => ({ name: 'Matrix New Stage' }),
    update: { sequence: 99 },
  },
  'stock.picking': {
    record: (ctx) =>
      ctx.admin('stock.picking', {
        picking_type_code: 'outgoing',
        partner_id: DECO_ADDICT,
        user_id: ctx.owner,
        company_id: SAN_FRANCISCO,
      }),
    create: async () => ({ picking_type_code: 'internal' }),
    update: { origin: 'MATRIX' },
  },
  'purchase.order': {
    record: (ctx) => purchaseOrder(ctx, { state: 'cancel' }),
    create: async (ctx) => ({ partner_id: ctx.vendor }),
    update: { partner_ref: 'MATRIX' },
  },
  'purchase.order.line': {
    record: async (ctx) =>
      lineOf(
        ctx,
        'purchase_order_line',
        await purchaseOrder(ctx, {
          order_line: [[0, 0, { product_id: ctx.product, name: 'Matrix Line', product_qty: 1, price_unit: 10 }]],
        }),
      ),
    create: async (ctx) => ({ order_id: await purchaseOrder(ctx), product_id: ctx.product, name: 'Matrix New Line', price_unit: 5 }),
    update: { product_qty: 7 },
  },
};

/** A 403 must carry one of Odoo's two messages: a missing access right, or a record rule. */
function expectOdooRefusal(response: TestResponse, model: Model): void {
  const description = DESCRIPTIONS[model];
  const rights = `'${description}' (${model}) records.`;
  const rule = `access to:\n- ${description} (${model})`;
  const error = String(response.body?.error);
  expect(error.includes(rights) || error.includes(rule), `403 without Odoo's message: ${error}`).toBe(true);
}

function expectStatus(response: TestResponse, expected: number, model: Model): void {
  expect(response.status, response.text).toBe(expected);
  if (expected === 403) expectOdooRefusal(response, model);
}

const USERS: readonly Login[] = ['admin', 'demo', 'manager', 'portal'];

describe('the policy table', () => {
  it('has one row per demo user and demo model', () => {
    expect(POLICY).toHaveLength(USERS.length * Object.keys(SPECS).length);
    const keys = new Set(POLICY.map(([user, model]) => `${user} ${model}`));
    expect(keys.size).toBe(POLICY.length);
    for (const [user, model, list] of POLICY) {
      expect(list === 'subset', `${user} ${model}: SUBSETS has its rule exactly when the list is a subset`).toBe(
        SUBSETS[`${user} ${model}`] !== undefined,
      );
    }
  });
});

for (const login of USERS) {
  describe(`as ${login}`, () => {
    let server: TestServer;
    let ctx: Context;

    beforeAll(async () => {
      server = await startServer();
      const admin = async (model: string, values: Record<string, unknown>) => {
        const response = await server.request('admin', 'POST', apiPath(model), values);
        if (response.status !== 201) throw new Error(`fixture ${model}: ${response.status} ${response.text}`);
        return response.body.id as number;
      };
      ctx = {
        server,
        login,
        owner: login === 'portal' ? UID.admin : UID[login],
        admin,
        vendor: sqlRow<{ p: number }>(server, `SELECT partner_id AS p FROM purchase_order WHERE company_id = ? LIMIT 1`, SAN_FRANCISCO)!.p,
        product: sqlRow<{ id: number }>(server, `SELECT id FROM product_product WHERE active = 1 ORDER BY id LIMIT 1`)!.id,
      };
    });

    afterAll(async () => {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
      await server?.close();
    });

    const rows = POLICY.filter(([user]) => user === login);
    it.each(rows)(
      '%s on %s: list %s, retrieve %s, create %s, update %s, delete %s',
      async (user, model, list, retrieve, create, update, del) => {
        const spec = SPECS[model];
        const id = await spec.record(ctx);

        // list: the total, and the very rows (one page holds every row of the demo tables)
        const listed = await server.request(user, 'GET', listPath(model, { fields: 'id', limit: 1000 }));
        if (list === 403) {
          expectStatus(listed, 403, model);
        } else {
          expect(listed.status, listed.text).toBe(200);
          const all = sqlIds(server, ALL_ROWS[model]);
          const ids = (listed.body.results as Array<{ id: number }>).map((r) => r.id).sort((a, b) => a - b);
          expect(listed.body.total).toBe(ids.length);
          if (list === 'all') expect(ids).toEqual(all);
          if (list === 'none') expect(ids).toEqual([]);
          if (list === 'subset') {
            expect(ids.length).toBeGreaterThan(0);
            expect(ids.length).toBeLessThan(all.length);
            expect(ids).toEqual(sqlIds(server, SUBSETS[`${user} ${model}`]!));
          }
        }

        // retrieve
        const retrieved = await server.request(user, 'GET', apiPath(model, id));
        expectStatus(retrieved, retrieve, model);
        if (retrieve === 200) expect(retrieved.body.id).toBe(id);

        // update: a refused one changes nothing
        const table = model.replace(/\./g, '_');
        const before = sqlRow(server, `SELECT * FROM "${table}" WHERE id = ?`, id);
        const updated = await server.request(user, 'PATCH', apiPath(model, id), spec.update);
        expectStatus(updated, update, model);
        if (update === 403) expect(sqlRow(server, `SELECT * FROM "${table}" WHERE id = ?`, id)).toEqual(before);

        // create: a refused one leaves no row behind
        const values = await spec.create(ctx);
        const count = sqlCount(server, `SELECT id FROM "${table}"`);
        const created = await server.request(user, 'POST', apiPath(model), values);
        expectStatus(created, create, model);
        expect(sqlCount(server, `SELECT id FROM "${table}"`)).toBe(create === 201 ? count + 1 : count);

        // delete
        const deleted = await server.request(user, 'DELETE', apiPath(model, id));
        expectStatus(deleted, del, model);
        expect(sqlCount(server, `SELECT id FROM "${table}" WHERE id = ?`, id)).toBe(del === 200 ? 0 : 1);
      },
    );
  });
}

/**
 * Odoo 17's demo user is allowed in both companies (stock/data/stock_demo.xml gives user_demo Chicago
 * too), so he reads Chicago's contacts and purchases, which his row above counts as 'all'. A user of San
 * Francisco alone does not: salesman2 (Audrey Peterson), and, for purchases, which salesman2 may not read
 * at all, a purchase user of San Francisco alone made by admin, so that the company rule on purchases and
 * their lines (demo's rows no longer show it) is still proved by a record rule, not by a missing right.
 */
describe('as a user of both companies, and as users of one', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
    await server?.close();
  });

  async function listAll(login: string, model: Model, domain: string): Promise<{ ids: number[]; total: number }> {
    const response = await server.request(login, 'GET', listPath(model, { domain, fields: 'id', limit: 1000 }));
    expect(response.status, response.text).toBe(200);
    const ids = (response.body.results as Array<{ id: number }>).map((r) => r.id).sort((a, b) => a - b);
    return { ids, total: response.body.total as number };
  }

  function expectRuleRefusalBy(response: TestResponse, user: string, uid: number, model: Model): void {
    expect(response.status, response.text).toBe(403);
    expect(response.body.error).toContain(`Sorry, ${user} (id=${uid}) doesn't have 'read' access to:\n- ${DESCRIPTIONS[model]} (${model})`);
  }

  function expectRightsRefusalOf(response: TestResponse, model: Model): void {
    expect(response.status, response.text).toBe(403);
    expect(response.body.error).toContain(`You are not allowed to access '${DESCRIPTIONS[model]}' (${model}) records.`);
  }

  const chicagoPartners = () => sqlIds(server, `SELECT id FROM res_partner WHERE active = 1 AND company_id = ${CHICAGO}`);
  const chicagoPurchases = () => sqlIds(server, `SELECT id FROM purchase_order WHERE company_id = ${CHICAGO}`);
  const chicagoPurchaseLines = () =>
    sqlIds(server, `SELECT l.id FROM purchase_order_line l JOIN purchase_order o ON o.id = l.order_id WHERE o.company_id = ${CHICAGO}`);

  it("demo reads a Chicago partner and Chicago's purchase orders, as Odoo 17 shows its demo user; salesman2 does not", async () => {
    const partners = chicagoPartners();
    const purchases = chicagoPurchases();
    const lines = chicagoPurchaseLines();
    expect(partners.length).toBeGreaterThan(0);
    expect(purchases.length).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThan(0);
    const partnerDomain = `[('company_id', '=', ${CHICAGO})]`;

    // demo: every one of them, listed and read.
    expect(await listAll('demo', 'res.partner', partnerDomain)).toEqual({ ids: partners, total: partners.length });
    const partner = await server.request('demo', 'GET', apiPath('res.partner', partners[0]));
    expect(partner.status, partner.text).toBe(200);
    expect(partner.body.company_id).toEqual({ id: CHICAGO, name: 'My Company (Chicago)' });
    expect(await listAll('demo', 'purchase.order', partnerDomain)).toEqual({ ids: purchases, total: purchases.length });
    const purchase = await server.request('demo', 'GET', apiPath('purchase.order', purchases[0]));
    expect(purchase.status, purchase.text).toBe(200);
    expect(purchase.body.company_id).toEqual({ id: CHICAGO, name: 'My Company (Chicago)' });
    expect(await listAll('demo', 'purchase.order.line', `[('order_id.company_id', '=', ${CHICAGO})]`)).toEqual({
      ids: lines,
      total: lines.length,
    });

    // salesman2, of San Francisco alone: no Chicago partner, by the company rule...
    expect(await listAll('salesman2', 'res.partner', partnerDomain)).toEqual({ ids: [], total: 0 });
    expectRuleRefusalBy(
      await server.request('salesman2', 'GET', apiPath('res.partner', partners[0])),
      'Audrey Peterson',
      UID.salesman2,
      'res.partner',
    );
    // ...while he reads San Francisco's and the shared ones.
    expect((await listAll('salesman2', 'res.partner', '[]')).ids).toEqual(
      sqlIds(server, `SELECT id FROM res_partner WHERE active = 1 AND (company_id IS NULL OR company_id = ${SAN_FRANCISCO})`),
    );
    // No purchase at all: he has no purchase right (the company rule on purchases is the next test's).
    expectRightsRefusalOf(
      await server.request('salesman2', 'GET', listPath('purchase.order', { domain: partnerDomain })),
      'purchase.order',
    );
    expectRightsRefusalOf(await server.request('salesman2', 'GET', apiPath('purchase.order', purchases[0])), 'purchase.order');
  });

  it("a purchase user of San Francisco alone sees San Francisco's purchases, lines and transfers, not Chicago's", async () => {
    const group = sqlRow<{ id: number }>(server, `SELECT id FROM res_groups WHERE xml_id = 'purchase.group_purchase_user'`)!.id;
    const partner = await server.request('admin', 'POST', apiPath('res.partner'), { name: 'San Francisco Buyer' });
    expect(partner.status, partner.text).toBe(201);
    const user = await server.request('admin', 'POST', apiPath('res.users'), {
      name: 'San Francisco Buyer',
      login: 'sf-buyer',
      partner_id: partner.body.id,
      groups_id: [group],
      company_id: SAN_FRANCISCO,
      company_ids: [SAN_FRANCISCO],
    });
    expect(user.status, user.text).toBe(201);
    const uid = user.body.id as number;

    const SF_ONLY = `(company_id IS NULL OR company_id = ${SAN_FRANCISCO})`;
    expect((await listAll('sf-buyer', 'purchase.order', '[]')).ids).toEqual(
      sqlIds(server, `SELECT id FROM purchase_order WHERE ${SF_ONLY}`),
    );
    expect((await listAll('sf-buyer', 'purchase.order.line', '[]')).ids).toEqual(
      sqlIds(
        server,
        `SELECT l.id FROM purchase_order_line l JOIN purchase_order o ON o.id = l.order_id WHERE o.company_id = ${SAN_FRANCISCO}`,
      ),
    );
    expect((await listAll('sf-buyer', 'stock.picking', '[]')).ids).toEqual(sqlIds(server, `SELECT id FROM stock_picking WHERE ${SF_ONLY}`));
    expect(await listAll('sf-buyer', 'purchase.order', `[('company_id', '=', ${CHICAGO})]`)).toEqual({ ids: [], total: 0 });
    expectRuleRefusalBy(
      await server.request('sf-buyer', 'GET', apiPath('purchase.order', chicagoPurchases()[0])),
      'San Francisco Buyer',
      uid,
      'purchase.order',
    );
    expectRuleRefusalBy(
      await server.request('sf-buyer', 'GET', apiPath('purchase.order.line', chicagoPurchaseLines()[0])),
      'San Francisco Buyer',
      uid,
      'purchase.order.line',
    );
  });

  it("the portal user reads no user but himself: res.users is read under res.partner's rules (Odoo's _inherits)", async () => {
    expect(await listAll('portal', 'res.users', '[]')).toEqual({ ids: [UID.portal], total: 1 });
    expect((await server.request('portal', 'GET', apiPath('res.users', UID.portal))).status).toBe(200);
    expectRuleRefusalBy(await server.request('portal', 'GET', apiPath('res.users', UID.admin)), 'Joel Willis', UID.portal, 'res.users');
    // Employees still read every user.
    expect((await listAll('salesman2', 'res.users', '[]')).ids).toEqual(sqlIds(server, `SELECT id FROM res_users WHERE active = 1`));
  });
});
