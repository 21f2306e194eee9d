/**
 * The typed schema against a real server (embedded backend, GraphQL over its own REST routes): data
 * equal to REST's, gateway requests counted with the gateway client's counter (and their URLs seen
 * through a spy on it), the fields asked of the gateway exactly those the selection needs, relations
 * batched per model and level, many2one shortcuts, field-level permissions, single reads and mutations.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NESTED_ORDERS_QUERY } from '../../../src/graphql/typed/typed-operations.js';
import { q } from '../../helpers/server.js';
import { useServer } from '../../helpers/use-server.js';
import { codes, recordGatewayRequests } from '../graphql-client.js';

// Default limits: the issue's nested query fits under GRAPHQL_MAX_COST (a relation list of each record
// counts as 10 elements, not a page of 80).
const server = useServer();
const run = recordGatewayRequests(server);

/** The `fields` parameter of a request line. */
function fieldsOf(request: string): string | undefined {
  return /[?&]fields=([^&]*)/.exec(request)?.[1];
}

/** REST: records of a model by id, with these fields, keyed by id. */
async function restRecords(slug: string, ids: readonly number[], fields: string): Promise<Map<number, any>> {
  const unique = [...new Set(ids)];
  const answer = await server.request(
    'admin',
    'GET',
    `/api/${slug}?${q({ domain: `[('id', 'in', [${unique.join(', ')}])]`, fields, limit: unique.length })}`,
  );
  expect(answer.status, answer.text).toBe(200);
  return new Map(answer.body.results.map((record: any) => [record.id, record]));
}

const NESTED = NESTED_ORDERS_QUERY;

describe('typed queries: data and gateway requests', () => {
  it('TY-01 80 sale orders with partner { name country_id } and order lines { product { display_name } }: at most 3 gateway requests, the same data as REST', async () => {
    const answer = await run('admin', NESTED);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.count).toBeLessThanOrEqual(3);

    const orders = await server.request('admin', 'GET', '/api/sale_order?limit=80&fields=name,partner_id,order_line');
    expect(orders.body.count).toBe(80);
    const partners = await restRecords(
      'res_partner',
      orders.body.results.map((o: any) => o.partner_id.id),
      'name,country_id',
    );
    const lines = await restRecords(
      'sale_order_line',
      orders.body.results.flatMap((o: any) => o.order_line),
      'product_id',
    );
    const products = await restRecords(
      'product_product',
      [...lines.values()].filter((l) => l.product_id).map((l) => l.product_id.id),
      'display_name',
    );
    const expected = orders.body.results.map((order: any) => {
      const partner = partners.get(order.partner_id.id);
      return {
        id: order.id,
        name: order.name,
        partnerRecord: { name: partner.name, country_id: partner.country_id || null },
        orderLineRecords: order.order_line.map((id: number) => {
          const line = lines.get(id);
          return { productRecord: line.product_id ? { display_name: products.get(line.product_id.id).display_name } : null };
        }),
      };
    });
    expect(answer.body.data!.saleOrderList.total).toBe(orders.body.total);
    expect(answer.body.data!.saleOrderList.results).toEqual(expected);
  });

  it('TY-02 the gateway is asked for exactly the fields the selection needs (plus id), one request per related model and level', async () => {
    const answer = await run('admin', NESTED);
    expect(answer.requests).toHaveLength(3);
    const [orders, ...related] = answer.requests;
    expect(orders).toMatch(/^GET \/api\/sale_order\?/);
    expect(fieldsOf(orders!)).toBe('name,order_line,partner_id');
    expect(orders).toContain('limit=80');
    const bySlug = new Map(related.map((request) => [/\/api\/(\w+)\?/.exec(request)![1], request]));
    expect([...bySlug.keys()].sort()).toEqual(['res_partner', 'sale_order_line']);
    expect(fieldsOf(bySlug.get('res_partner')!)).toBe('country_id,name');
    // The products' display names ("[code] name") come from the lines' expanded many2one: nothing is asked of product_product.
    expect(fieldsOf(bySlug.get('sale_order_line')!)).toBe('product_id');
    expect(bySlug.get('res_partner')).toMatch(/domain=\[\('id', 'in', \[[\d, ]+\]\), \('active', 'in', \[True, False\]\)\]/);
  });

  it('TY-03 a relation selecting only id and the display name is answered from the many2one, without a request; another field needs one', async () => {
    const shortcut = await run(
      'admin',
      `{ saleOrderList(limit: 5, order: "id") { results { partner_id partnerRecord { id display_name } } } }`,
    );
    expect(shortcut.body.errors).toBeUndefined();
    expect(shortcut.count).toBe(1);
    for (const order of shortcut.body.data!.saleOrderList.results) {
      expect(order.partnerRecord).toEqual({ id: order.partner_id.id, display_name: order.partner_id.name });
    }
    // A partner's display name is its complete name ("Deco Addict, Joel Willis"), not its `name`: asked for.
    const named = await run('admin', `{ saleOrderList(limit: 5, order: "id") { results { partnerRecord { name } } } }`);
    expect(named.count).toBe(2);
    const rest = await server.request('admin', 'GET', '/api/sale_order?limit=5&order=id&fields=partner_id');
    const partners = await restRecords(
      'res_partner',
      rest.body.results.map((o: any) => o.partner_id.id),
      'name',
    );
    expect(named.body.data!.saleOrderList.results.map((o: any) => o.partnerRecord.name)).toEqual(
      rest.body.results.map((o: any) => partners.get(o.partner_id.id).name),
    );
  });

  it('TY-04 records are reused within the operation: the same relation asked twice (aliases, fragments) is one request per model', async () => {
    const answer = await run(
      'admin',
      `
      fragment Who on ResPartner { name email }
      {
        a: saleOrderList(limit: 20, order: "id") { results { partnerRecord { ...Who } } }
        b: saleOrderList(limit: 20, order: "id") { results { customer: partnerRecord { name } } }
      }`,
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.count).toBe(2);
    const a = answer.body.data!.a.results.map((o: any) => o.partnerRecord.name);
    expect(answer.body.data!.b.results.map((o: any) => o.customer.name)).toEqual(a);
  });

  it('TY-05 @skip and @include decide what is asked of the gateway', async () => {
    const answer = await run(
      'admin',
      `query ($withPartner: Boolean!) { saleOrderList(limit: 3) { results { name partnerRecord @include(if: $withPartner) { name } state @skip(if: true) } } }`,
      { withPartner: false },
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.requests).toHaveLength(1);
    expect(fieldsOf(answer.requests[0]!)).toBe('name');
  });

  it('TY-06 typed values: selection as enum, datetime as RFC 3339, unset many2one and char as null, x2many ids', async () => {
    const answer = await run(
      'admin',
      `{ saleOrder(id: 7) { id name state date_order validity_date client_order_ref order_line user_id } }`,
    );
    expect(answer.body.errors).toBeUndefined();
    const rest = (
      await server.request(
        'admin',
        'GET',
        '/api/sale_order/7?fields=name,state,date_order,validity_date,client_order_ref,order_line,user_id',
      )
    ).body;
    expect(answer.body.data!.saleOrder).toEqual({
      id: 7,
      name: rest.name,
      state: rest.state,
      date_order: `${rest.date_order.replace(' ', 'T')}Z`,
      validity_date: rest.validity_date || null,
      client_order_ref: rest.client_order_ref || null,
      order_line: rest.order_line,
      user_id: rest.user_id || null,
    });
  });
});

describe("the README's typed query", () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Typed GraphQL schema'));
  const block = /```graphql\n([\s\S]*?)```/.exec(section)?.[1];

  it('TY-15 runs as shown: no errors, 3 gateway requests for 80 orders with their partners, lines and products', async () => {
    if (block === undefined) throw new Error('README.md\'s "## Typed GraphQL schema" section has no ```graphql block');
    const answer = await run('admin', block);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.saleOrderList.results).toHaveLength(80);
    expect(answer.count).toBe(3);
  });
});

describe('typed queries: permissions and errors', () => {
  it('TY-07 a field the caller may not read is an error on that field only (portal: res.partner ref and comment)', async () => {
    const answer = await run('portal', `{ resPartnerList(order: "id") { results { id name ref comment } } }`);
    const results = answer.body.data!.resPartnerList.results as any[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((p) => typeof p.name === 'string' && p.ref === null && p.comment === null)).toBe(true);
    expect(answer.body.errors).toHaveLength(results.length * 2);
    expect(new Set(codes(answer))).toEqual(new Set(['FORBIDDEN']));
    expect(answer.body.errors![0]).toMatchObject({
      message: "You are not allowed to read the field 'ref' of res.partner.",
      path: ['resPartnerList', 'results', 0, 'ref'],
    });
    // The refused read, the caller's field list, the read without the forbidden fields.
    expect(answer.requests.map((r) => r.split('?')[0])).toEqual([
      'GET /api/res_partner',
      'GET /api/res_partner/fields',
      'GET /api/res_partner',
    ]);
    const rest = await server.request('portal', 'GET', '/api/res_partner?order=id&fields=name');
    expect(results.map((p) => p.name)).toEqual(rest.body.results.map((p: any) => p.name));
  });

  it('TY-08 the same inside a relation: the orders and partners come, only `ref` errs', async () => {
    const answer = await run('portal', `{ saleOrderList(limit: 3, order: "id") { results { name partnerRecord { name ref } } } }`);
    const results = answer.body.data!.saleOrderList.results as any[];
    expect(results).toHaveLength(3);
    for (const [index, order] of results.entries()) {
      expect(order.partnerRecord).toEqual({ name: expect.any(String), ref: null });
      expect(answer.body.errors).toContainEqual(
        expect.objectContaining({ path: ['saleOrderList', 'results', index, 'partnerRecord', 'ref'], extensions: { code: 'FORBIDDEN' } }),
      );
    }
  });

  it('TY-09 a related model the caller may not read at all: FORBIDDEN on that relation, the rest answered', async () => {
    const answer = await run(
      'portal',
      `{ saleOrderList(limit: 2, order: "id") { results { name orderLineRecords { name productRecord { default_code } } } } }`,
    );
    const results = answer.body.data!.saleOrderList.results as any[];
    expect(
      results.every(
        (o) => typeof o.name === 'string' && o.orderLineRecords.every((l: any) => typeof l.name === 'string' && l.productRecord === null),
      ),
    ).toBe(true);
    expect(new Set(codes(answer))).toEqual(new Set(['FORBIDDEN']));
    expect(answer.body.errors![0]!.message).toMatch(/Product Variant/);
  });

  it('TY-16 relations are read ahead of their resolvers, a read that fails is not asked again by each record', async () => {
    const answer = await run(
      'portal',
      `{ saleOrderList(limit: 2, order: "id") { results { name orderLineRecords { name productRecord { default_code } } } } }`,
    );
    // Orders, their lines, the refused products and the field list it then asks: each once.
    expect(answer.requests.map((request) => request.split('?')[0])).toEqual([
      'GET /api/sale_order',
      'GET /api/sale_order_line',
      'GET /api/product_product',
      'GET /api/product_product/fields',
    ]);
    const lines = (answer.body.data!.saleOrderList.results as any[]).flatMap((order) => order.orderLineRecords);
    expect(answer.body.errors).toHaveLength(lines.length);
    const nested = await run('admin', NESTED);
    expect(nested.body.errors).toBeUndefined();
    expect(nested.requests).toHaveLength(3);
  });

  it('TY-10 single reads: NOT_FOUND for a missing record, FORBIDDEN for one a record rule hides', async () => {
    const missing = await run('admin', `{ saleOrder(id: 999999) { id name } }`);
    expect(missing.body.data).toEqual({ saleOrder: null });
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    const visible = await server.request('portal', 'GET', '/api/sale_order?fields=id&limit=1000');
    const hidden = [...Array(240).keys()].map((i) => i + 1).find((id) => !visible.body.results.some((o: any) => o.id === id))!;
    const denied = await run('portal', `{ saleOrder(id: ${hidden}) { id name } }`);
    expect(denied.body.data).toEqual({ saleOrder: null });
    expect(codes(denied)).toEqual(['FORBIDDEN']);
    const bad = await run('admin', `{ saleOrder(id: 0) { id } }`);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.count).toBe(0);
  });

  it('TY-11 list arguments as `records` takes them: a Domain (string or JSON), order, limit, offset; a bad domain is BAD_USER_INPUT before any request', async () => {
    const answer = await run(
      'admin',
      `{ saleOrderList(domain: [["state", "=", "sale"]], order: "id desc", limit: 2, offset: 1) { count total limit offset results { id } } }`,
    );
    const rest = await server.request(
      'admin',
      'GET',
      `/api/sale_order?${q({ domain: "[('state', '=', 'sale')]", order: 'id desc', limit: 2, offset: 1, fields: 'id' })}`,
    );
    expect(answer.body.data!.saleOrderList).toEqual(rest.body);
    const bad = await run('admin', `{ saleOrderList(domain: "[('state', '=')]") { total } }`);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.count).toBe(0);
  });
});

describe('typed mutations', () => {
  it('TY-12 create, update and delete with input types: many2one by id, enum keys that are not GraphQL names, dates', async () => {
    const created = await run(
      'admin',
      `mutation ($values: CrmLeadInput!) { createCrmLead(values: $values) { id name priority expected_revenue date_deadline partnerRecord { name } } }`,
      {
        values: { name: 'Typed lead', partner_id: 12, priority: 'VALUE_2', expected_revenue: 1500, date_deadline: '2026-03-01' },
      },
    );
    expect(created.body.errors).toBeUndefined();
    const lead = created.body.data!.createCrmLead;
    expect(lead).toMatchObject({
      name: 'Typed lead',
      priority: 'VALUE_2',
      expected_revenue: 1500,
      date_deadline: '2026-03-01',
      partnerRecord: { name: 'Azure Interior' },
    });
    let rest = await server.request('admin', 'GET', `/api/crm_lead/${lead.id}?fields=name,priority,partner_id,date_deadline`);
    expect(rest.body).toEqual({
      id: lead.id,
      name: 'Typed lead',
      priority: '2',
      partner_id: { id: 12, name: 'Azure Interior' },
      date_deadline: '2026-03-01',
    });

    const updated = await run(
      'admin',
      `mutation { updateCrmLead(id: ${lead.id}, values: {partner_id: null, priority: VALUE_0, date_closed: "2026-03-02T10:30:00+02:00"}) { id partner_id partnerRecord { name } priority date_closed } }`,
    );
    expect(updated.body.errors).toBeUndefined();
    expect(updated.body.data!.updateCrmLead).toEqual({
      id: lead.id,
      partner_id: null,
      partnerRecord: null,
      priority: 'VALUE_0',
      date_closed: '2026-03-02T08:30:00Z',
    });
    rest = await server.request('admin', 'GET', `/api/crm_lead/${lead.id}?fields=partner_id,priority,date_closed`);
    expect(rest.body).toEqual({ id: lead.id, partner_id: false, priority: '0', date_closed: '2026-03-02 08:30:00' });

    const deleted = await run('admin', `mutation { deleteCrmLead(id: ${lead.id}) { ok } }`);
    expect(deleted.body.data).toEqual({ deleteCrmLead: { ok: true } });
    expect((await server.request('admin', 'GET', `/api/crm_lead/${lead.id}`)).status).toBe(404);
  });

  it('TY-13 invalid input is BAD_USER_INPUT before any request: an impossible date, an unknown enum value, a read-only field', async () => {
    for (const values of [
      '{date_deadline: "2026-02-30"}',
      '{date_closed: "2026-03-02 25:00:00"}',
      '{priority: VALUE_9}',
      '{name: "x", id: 3}',
    ]) {
      const answer = await run('admin', `mutation { updateCrmLead(id: 1, values: ${values}) { id } }`);
      expect(answer.body.data, values).toBeUndefined();
      expect(codes(answer).length, values).toBe(1);
      expect(answer.count, values).toBe(0);
    }
    const dated = await run('admin', `mutation ($d: Date) { updateCrmLead(id: 1, values: {date_deadline: $d}) { id } }`, {
      d: '2026-02-30',
    });
    expect(codes(dated)).toEqual(['BAD_USER_INPUT']);
    expect(dated.body.errors![0]!.message).toMatch(/2026-02-30/);
    const literal = await run('admin', `mutation { updateCrmLead(id: 1, values: {date_deadline: "2026-02-30"}) { id } }`);
    expect(codes(literal)).toEqual(['BAD_USER_INPUT']);
  });

  it("TY-14 a refused write keeps the contract's message and code (portal may not write orders)", async () => {
    const answer = await run('portal', `mutation { updateSaleOrder(id: 1, values: {client_order_ref: "x"}) { id } }`);
    expect(answer.body.data).toBeNull();
    expect(codes(answer)).toEqual(['FORBIDDEN']);
  });
});
