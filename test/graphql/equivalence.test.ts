/**
 * Equivalence: for the same input and the same user (admin, demo), /graphql answers what the REST
 * routes answer: the same records, pages and payloads, and for a refusal the code that stands for the
 * REST status with the REST message (400 BAD_USER_INPUT, 403 FORBIDDEN, 404 NOT_FOUND).
 */
import { describe, expect, it } from 'vitest';
import { recordsRequest } from '../../src/graphql/operations.js';
import { q, type TestResponse } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { graphql, type GraphQLResponse } from './graphql-client.js';

const CODE_FOR_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
};

const server = useServer();

/** The REST answer and the GraphQL answer (`data[field]`) say the same thing. */
function expectSame(rest: TestResponse, gql: GraphQLResponse, field: string): void {
  if (rest.status >= 200 && rest.status < 300) {
    expect(gql.body.errors, JSON.stringify(gql.body.errors)).toBeUndefined();
    expect(gql.body.data?.[field]).toEqual(rest.body);
  } else {
    expect(gql.body.errors?.map((e) => [e.extensions?.code, e.message, e.path])).toEqual([
      [CODE_FOR_STATUS[rest.status], rest.body.error, [field]],
    ]);
  }
}

interface ListCase {
  readonly name: string;
  readonly slug: string;
  readonly params: { domain?: string; fields?: string[]; limit?: number; offset?: number; order?: string };
}

const LIST_CASES: readonly ListCase[] = [
  { name: 'every default (all fields, 80 rows, model order)', slug: 'sale_order', params: {} },
  {
    name: 'domain, fields, order, limit and offset',
    slug: 'sale_order',
    params: {
      domain: "[('state', '=', 'sale')]",
      fields: ['name', 'partner_id', 'amount_total', 'state'],
      order: 'name desc',
      limit: 10,
      offset: 3,
    },
  },
  {
    name: 'prefix operators and a dotted path',
    slug: 'crm_lead',
    params: {
      domain: "['|', ('type', '=', 'opportunity'), ('partner_id.country_id.code', '=', 'US')]",
      fields: ['name', 'type', 'partner_id', 'user_id'],
      order: 'id',
    },
  },
  {
    name: 'the dotted model name',
    slug: 'res.partner',
    params: { domain: '[("is_company", "=", True)]', fields: ['name', 'country_id'], limit: 5 },
  },
  { name: 'limit 0: only the total', slug: 'stock_picking', params: { limit: 0 } },
  { name: 'a limit above the maximum is clamped', slug: 'res_partner', params: { fields: ['name'], limit: 5000 } },
  {
    name: 'any over a many2one',
    slug: 'sale_order',
    params: { domain: "[('partner_id', 'any', [('is_company', '=', True)])]", fields: ['name'] },
  },
  { name: 'an unknown slug', slug: 'no_such_model', params: {} },
  { name: 'an unknown field in fields', slug: 'sale_order', params: { fields: ['name', 'no_such_field'] } },
  { name: 'an unknown field in the domain', slug: 'sale_order', params: { domain: "[('no_such_field', '=', 1)]" } },
  { name: 'an order on an unknown field', slug: 'crm_lead', params: { order: 'no_such_field desc' } },
];

for (const login of ['admin', 'demo']) {
  describe(`as ${login}`, () => {
    for (const { name, slug, params } of LIST_CASES) {
      it(`EQ-list ${name}`, async () => {
        const query = q(
          Object.fromEntries(Object.entries({ ...params, fields: params.fields?.join(',') }).filter(([, v]) => v !== undefined)) as Record<
            string,
            string
          >,
        );
        const rest = await server.request(login, 'GET', `/api/${slug}${query ? `?${query}` : ''}`);
        const { query: operation, variables } = recordsRequest(slug, params);
        expectSame(rest, await graphql(server, login, operation, variables), 'records');
      });
    }

    it('EQ-list a JSON-list domain selects what its Python-literal twin selects over REST', async () => {
      const rest = await server.request(
        login,
        'GET',
        `/api/res_partner?${q({ domain: "[('is_company', '=', True), ('name', 'ilike', 'a')]", fields: 'name' })}`,
      );
      const gql = await graphql(
        server,
        login,
        `
          {
            records(slug: "res_partner", domain: [["is_company", "=", true], ["name", "ilike", "a"]], fields: ["name"]) {
              count
              total
              limit
              offset
              results
            }
          }
        `,
      );
      expectSame(rest, gql, 'records');
    });

    it('EQ-record retrieve, with and without fields, and a missing id', async () => {
      const page = await server.request(login, 'GET', '/api/sale_order?fields=name&limit=1');
      const id = page.body.results[0].id as number;
      for (const [suffix, fields] of [
        ['', undefined],
        ['?fields=name,partner_id,order_line', ['name', 'partner_id', 'order_line']],
      ] as const) {
        const rest = await server.request(login, 'GET', `/api/sale_order/${id}${suffix}`);
        const gql = await graphql(
          server,
          login,
          'query($id: Int!, $fields: [String!]) { record(slug: "sale_order", id: $id, fields: $fields) }',
          { id, fields },
        );
        expectSame(rest, gql, 'record');
      }
      const rest = await server.request(login, 'GET', '/api/sale_order/999999');
      expectSame(rest, await graphql(server, login, '{ record(slug: "sale_order", id: 999999) }'), 'record');
    });

    it('EQ-mutation create, update and delete give the REST answers', async () => {
      const values = { name: `Equivalence ${login}`, email: 'eq@example.com', parent_id: { id: 12 }, category_id: [7] };
      const restCreated = await server.request(login, 'POST', '/api/res_partner', values);
      expect(restCreated.status).toBe(201);
      const created = await graphql(
        server,
        login,
        'mutation($v: JSONObject!) { createRecord(slug: "res_partner", values: $v) { id record } }',
        { v: values },
      );
      const payload = created.body.data?.createRecord as { id: number; record: Record<string, unknown> };
      // The same record as REST created, but for its id (also where it points at itself) and timestamps;
      // and exactly what REST reads back.
      const volatile = (r: Record<string, unknown>) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [
            k,
            k === 'id' || k === 'create_date' || k === 'write_date' ? 0 : (v as { id?: unknown } | null)?.id === r.id ? 'self' : v,
          ]),
        );
      expect(volatile(payload.record)).toEqual(volatile(restCreated.body.record));
      expect(payload.record).toEqual((await server.request(login, 'GET', `/api/res_partner/${payload.id}`)).body);

      const change = { email: 'changed@example.com', parent_id: null };
      const restUpdated = await server.request(login, 'PUT', `/api/res_partner/${restCreated.body.id}`, change);
      const updated = await graphql(
        server,
        login,
        'mutation($id: Int!, $v: JSONObject!) { updateRecord(slug: "res_partner", id: $id, values: $v) { id record } }',
        { id: payload.id, v: change },
      );
      expect(updated.body.data?.updateRecord.id).toBe(payload.id);
      expect(volatile(updated.body.data?.updateRecord.record)).toEqual(volatile(restUpdated.body.record));

      const restDeleted = await server.request(login, 'DELETE', `/api/res_partner/${restCreated.body.id}`);
      const deleted = await graphql(server, login, 'mutation($id: Int!) { deleteRecord(slug: "res_partner", id: $id) { ok } }', {
        id: payload.id,
      });
      expectSame(restDeleted, deleted, 'deleteRecord');
      // Whatever the user's rights say, both faces left the same state.
      const gone = restDeleted.status === 200 ? 404 : 200;
      expect((await server.request('admin', 'GET', `/api/res_partner/${restCreated.body.id}`)).status).toBe(gone);
      expect((await server.request('admin', 'GET', `/api/res_partner/${payload.id}`)).status).toBe(gone);
      // demo may delete contacts: Odoo's Contact Creation group, which Odoo's demo user has.
      if (login === 'demo') expect(restDeleted.status).toBe(200);
    });

    it('EQ-mutation refusals: a business rule, a wrong value, an unknown field, a missing record', async () => {
      const draft = await server.request(
        login,
        'GET',
        `/api/purchase_order?${q({ domain: "[('state', '=', 'draft')]", fields: 'name', limit: 1 })}`,
      );
      const id = draft.body.results[0].id as number;
      expectSame(
        await server.request(login, 'DELETE', `/api/purchase_order/${id}`),
        await graphql(server, login, `mutation { deleteRecord(slug: "purchase_order", id: ${id}) { ok } }`),
        'deleteRecord',
      );
      for (const values of [{ name: 'x', no_such_field: 1 }, { name: 'x', is_company: 'not a boolean' }, { email: 'no name' }]) {
        expectSame(
          await server.request(login, 'POST', '/api/res_partner', values),
          await graphql(server, login, 'mutation($v: JSONObject!) { createRecord(slug: "res_partner", values: $v) { id record } }', {
            v: values,
          }),
          'createRecord',
        );
      }
      expectSame(
        await server.request(login, 'PUT', '/api/res_partner/999999', { name: 'x' }),
        await graphql(server, login, 'mutation { updateRecord(slug: "res_partner", id: 999999, values: {name: "x"}) { id } }'),
        'updateRecord',
      );
    });
  });
}

describe('record rules and access rights apply to GraphQL as to REST', () => {
  it('EQ-rules demo sees fewer sale orders than admin, the same over both faces', async () => {
    const totals: number[] = [];
    for (const login of ['admin', 'demo']) {
      const rest = await server.request(login, 'GET', '/api/sale_order?limit=0');
      const gql = await graphql(server, login, '{ records(slug: "sale_order", limit: 0) { total } }');
      expect(gql.body.data?.records.total).toBe(rest.body.total);
      totals.push(rest.body.total as number);
    }
    expect(totals[1]).toBeLessThan(totals[0] as number);
  });

  it('EQ-rules a record hidden from demo by a record rule is FORBIDDEN with the REST message', async () => {
    const all = await server.request('admin', 'GET', '/api/sale_order?fields=name&limit=1000');
    const mine = await server.request('demo', 'GET', '/api/sale_order?fields=name&limit=1000');
    const visible = new Set((mine.body.results as Array<{ id: number }>).map((r) => r.id));
    const hidden = (all.body.results as Array<{ id: number }>).find((r) => !visible.has(r.id));
    expect(hidden).toBeDefined();
    const rest = await server.request('demo', 'GET', `/api/sale_order/${hidden?.id}`);
    expect(rest.status).toBe(403);
    expectSame(rest, await graphql(server, 'demo', `{ record(slug: "sale_order", id: ${hidden?.id}) }`), 'record');
  });

  it('EQ-rules a model the user may not read is FORBIDDEN (portal and leads)', async () => {
    const rest = await server.request('portal', 'GET', '/api/crm_lead');
    expect(rest.status).toBe(403);
    expectSame(rest, await graphql(server, 'portal', '{ records(slug: "crm_lead") { total } }'), 'records');
  });
});
