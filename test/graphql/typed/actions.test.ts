/**
 * Business actions as typed mutations (issue 17; docs/graphql.md, "Business actions"): one mutation per
 * known action (`confirmSaleOrder`, `markCrmLeadLost(lostReasonId)`), through `POST /api/<slug>/<id>/<method>`
 * on a real server over loopback, returning the typed record read back (its relations resolving as in a
 * query), Odoo's refusals as coded errors, the wizard Odoo answers instead of acting as the error
 * ACTION_REQUIRES_WIZARD, and @apollo/client's cache taking the new state without a refetch.
 */
import { readFileSync } from 'node:fs';
import { ApolloClient, ApolloError, gql, HttpLink, InMemoryCache, type NormalizedCacheObject } from '@apollo/client/core/index.js';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.js';
import { testConfig } from '../../../src/config.js';
import { ACTION_VERBS, actionArgumentName, actionMutationName } from '../../../src/graphql/typed/naming.js';
import { readTypedModels } from '../../../src/graphql/typed/read-typed-models.js';
import { asActionList, isWizard } from '../../../src/graphql/typed/typed-actions.js';
import { TYPED_FALLBACK_FILE } from '../../../src/graphql/typed/typed-sdl-source.js';
import { q } from '../../helpers/server.js';
import { useServer } from '../../helpers/use-server.js';
import { codes, graphql } from '../graphql-client.js';

const server = useServer();
const AZURE_INTERIOR = 12;
type Row = Record<string, any>;

async function rest(login: string, path: string): Promise<Row> {
  const answer = await server.request(login, 'GET', path);
  expect(answer.status, answer.text).toBe(200);
  return answer.body as Row;
}

/** A demo product's id by its internal reference. */
async function product(code: string): Promise<number> {
  const page = await rest('admin', `/api/product_product?${q({ domain: `[("default_code", "=", "${code}")]`, fields: 'id' })}`);
  return page.results[0].id as number;
}

/** A new draft sale order of Azure Interior, as `login`, with a storable product (its delivery is planned on confirmation). */
async function draftOrder(login = 'admin', values: Row = {}): Promise<number> {
  const created = await server.request(login, 'POST', '/api/sale_order?fields=state', {
    partner_id: AZURE_INTERIOR,
    order_line: [[0, 0, { product_id: await product('FURN_0001'), product_uom_qty: 2 }]],
    ...values,
  });
  expect(created.status, created.text).toBe(201);
  expect(created.body.record.state).toBe('draft');
  return created.body.id as number;
}

async function orderState(id: number): Promise<string> {
  return (await rest('admin', `/api/sale_order/${id}?fields=state`)).state as string;
}

const CONFIRM = `mutation Confirm($id: Int!) {
  confirmSaleOrder(id: $id) { __typename id name state date_order partnerRecord { id name countryRecord { code } } }
}`;

const EXPECTED_MUTATIONS: Record<string, [string, string]> = {
  confirmSaleOrder: ['SaleOrder', 'action_confirm'],
  markSaleOrderSent: ['SaleOrder', 'action_quotation_sent'],
  cancelSaleOrder: ['SaleOrder', 'action_cancel'],
  setSaleOrderToDraft: ['SaleOrder', 'action_draft'],
  markCrmLeadWon: ['CrmLead', 'action_set_won'],
  markCrmLeadLost: ['CrmLead', 'action_set_lost'],
  confirmPurchaseOrder: ['PurchaseOrder', 'button_confirm'],
  cancelPurchaseOrder: ['PurchaseOrder', 'button_cancel'],
  setPurchaseOrderToDraft: ['PurchaseOrder', 'button_draft'],
  confirmStockPicking: ['StockPicking', 'action_confirm'],
  assignStockPicking: ['StockPicking', 'action_assign'],
  validateStockPicking: ['StockPicking', 'button_validate'],
};

describe('typed business actions: the schema', () => {
  it('TA-01 one mutation per known action, named from the verb table, read back from the SDL (@odooAction, @odooArgument)', () => {
    const typed = readTypedModels(parse(readFileSync(TYPED_FALLBACK_FILE, 'utf8')));
    const actions = Object.fromEntries([...typed.actions.values()].map((a) => [a.name, [a.type, a.method]]));
    expect(actions).toEqual(EXPECTED_MUTATIONS);
    expect(typed.actions.get('markCrmLeadLost')?.args).toEqual([{ name: 'lostReasonId', kwarg: 'lost_reason_id' }]);
    expect(actionMutationName('SaleOrder', 'action_quotation_sent')).toBe('markSaleOrderSent');
    expect(actionMutationName('SaleOrder', 'action_fly')).toBeUndefined();
    expect(actionMutationName('SaleOrder', 'toString')).toBeUndefined();
    expect(Object.keys(ACTION_VERBS)).toHaveLength(11);
    expect(actionArgumentName('lost_reason_id', true)).toBe('lostReasonId');
    expect(actionArgumentName('partner', true)).toBe('partnerId');
    expect(actionArgumentName('force_send', false)).toBe('forceSend');
  });

  it('TA-02 the server runs them: the introspected arguments and descriptions, each with an example', async () => {
    const answer = await graphql(
      server,
      'admin',
      `
        {
          __type(name: "Mutation") {
            fields {
              name
              description
              type {
                kind
                ofType {
                  name
                }
              }
              args {
                name
                description
                type {
                  kind
                  name
                  ofType {
                    name
                  }
                }
              }
            }
          }
        }
      `,
    );
    expect(answer.body.errors).toBeUndefined();
    const fields = (answer.body.data?.__type.fields as Row[]).filter((f) => f.name in EXPECTED_MUTATIONS);
    expect(fields.map((f) => f.name).sort()).toEqual(Object.keys(EXPECTED_MUTATIONS).sort());
    for (const field of fields) {
      expect(field.type).toEqual({ kind: 'NON_NULL', ofType: { name: EXPECTED_MUTATIONS[field.name]![0] } });
      expect(field.description).toContain(`Example: \`${field.name}(id: 7`);
      expect(field.description).toContain('ACTION_REQUIRES_WIZARD');
      for (const arg of field.args as Row[]) expect(arg.description).toMatch(/Example: `/);
    }
    const lost = fields.find((f) => f.name === 'markCrmLeadLost')!;
    expect((lost.args as Row[]).map((a) => [a.name, a.type])).toEqual([
      ['id', { kind: 'NON_NULL', name: null, ofType: { name: 'Int' } }],
      ['lostReasonId', { kind: 'SCALAR', name: 'Int', ofType: null }],
    ]);
  });

  it("TA-03 an upstream's action listing is read as the generator takes it; a wizard is a window action opening a dialog", () => {
    expect(
      asActionList({
        actions: [
          { name: 'action_x', label: 'X', description: 'Does x.', kwargs: [{ name: 'when', type: 'datetime', required: true }] },
          { name: 'action_y', kwargs: [{ type: 'char' }] },
        ],
      }),
    ).toEqual([
      { name: 'action_x', label: 'X', description: 'Does x.', kwargs: [{ name: 'when', type: 'json', required: true, description: '' }] },
    ]);
    expect(() => asActionList({ error: 'no route' })).toThrow(/actions/);
    expect(isWizard({ type: 'ir.actions.act_window', target: 'new', res_model: 'sale.order.cancel' })).toBe(true);
    expect(isWizard({ type: 'ir.actions.act_window', target: 'current' })).toBe(false);
    expect(isWizard(true)).toBe(false);
    expect(isWizard(false)).toBe(false);
  });
});

describe('typed business actions over HTTP', () => {
  it('TA-04 confirmSaleOrder: the typed order, state `sale`, its partner resolved in the same mutation; its delivery exists', async () => {
    const id = await draftOrder();
    const answer = await graphql(server, 'admin', CONFIRM, { id });
    expect(answer.body.errors, JSON.stringify(answer.body.errors)).toBeUndefined();
    const order = answer.body.data?.confirmSaleOrder as Row;
    expect(order).toMatchObject({
      __typename: 'SaleOrder',
      id,
      state: 'sale',
      partnerRecord: { id: AZURE_INTERIOR, name: 'Azure Interior' },
    });
    expect(order.date_order).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(order.partnerRecord.countryRecord).toEqual({ code: expect.any(String) });
    // As REST sees it: the order confirmed, its delivery planned with a move for the storable product.
    expect(await orderState(id)).toBe('sale');
    const pickings = await rest(
      'admin',
      `/api/stock_picking?${q({ domain: `[("sale_id", "=", ${id})]`, fields: 'state,picking_type_code,origin' })}`,
    );
    expect(pickings.results).toEqual([expect.objectContaining({ picking_type_code: 'outgoing', origin: order.name })]);
  });

  it("TA-05 confirming twice: BAD_USER_INPUT with Odoo's message, and the order is as it was", async () => {
    const id = await draftOrder();
    expect((await graphql(server, 'admin', CONFIRM, { id })).body.errors).toBeUndefined();
    const name = (await rest('admin', `/api/sale_order/${id}?fields=name`)).name as string;
    const again = await graphql(server, 'admin', CONFIRM, { id });
    expect(codes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.body.errors?.[0]?.message).toBe(`The following orders are not in a state requiring confirmation: ${name}`);
    expect(again.body.errors?.[0]?.path).toEqual(['confirmSaleOrder']);
    expect(again.body.data).toBeNull();
    expect(await orderState(id)).toBe('sale');
    // A record that does not exist, an id that cannot be one.
    expect(codes(await graphql(server, 'admin', CONFIRM, { id: 999999 }))).toEqual(['NOT_FOUND']);
    expect(codes(await graphql(server, 'admin', CONFIRM, { id: -1 }))).toEqual(['BAD_USER_INPUT']);
  });

  it('TA-06 demo outside his record rules: FORBIDDEN, nothing confirmed; his own order he confirms', async () => {
    const admins = await draftOrder('admin', { user_id: 2 });
    const refused = await graphql(server, 'demo', CONFIRM, { id: admins });
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(await orderState(admins)).toBe('draft');
    const own = await draftOrder('demo');
    const confirmed = await graphql(
      server,
      'demo',
      `
        mutation ($id: Int!) {
          confirmSaleOrder(id: $id) {
            id
            state
          }
        }
      `,
      { id: own },
    );
    expect(confirmed.body).toEqual({ data: { confirmSaleOrder: { id: own, state: 'sale' } } });
  });

  it('TA-07 markCrmLeadLost with a lostReasonId writes it; markCrmLeadWon wins the lead back', async () => {
    const created = await server.request('admin', 'POST', '/api/crm_lead?fields=id', { name: 'Typed actions lead', type: 'opportunity' });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as number;
    const lost = await graphql(
      server,
      'admin',
      `
        mutation ($id: Int!, $reason: Int) {
          markCrmLeadLost(id: $id, lostReasonId: $reason) {
            __typename
            id
            active
            probability
            lost_reason_id
          }
        }
      `,
      { id, reason: 1 },
    );
    expect(lost.body.errors, JSON.stringify(lost.body.errors)).toBeUndefined();
    expect(lost.body.data?.markCrmLeadLost).toEqual({
      __typename: 'CrmLead',
      id,
      active: false,
      probability: 0,
      lost_reason_id: { id: 1, name: 'Too expensive' },
    });
    expect(await rest('admin', `/api/crm_lead/${id}?fields=lost_reason_id,active`)).toMatchObject({
      active: false,
      lost_reason_id: { id: 1, name: 'Too expensive' },
    });
    const won = await graphql(
      server,
      'admin',
      `
        mutation ($id: Int!) {
          markCrmLeadWon(id: $id) {
            id
            active
            probability
            lost_reason_id
            stageRecord {
              is_won
            }
          }
        }
      `,
      { id },
    );
    expect(won.body.errors, JSON.stringify(won.body.errors)).toBeUndefined();
    expect(won.body.data?.markCrmLeadWon).toEqual({
      id,
      active: true,
      probability: 100,
      lost_reason_id: null,
      stageRecord: { is_won: true },
    });
    // A reason that does not exist: Odoo's refusal, the lead as it was.
    const bad = await graphql(
      server,
      'admin',
      `
        mutation ($id: Int!) {
          markCrmLeadLost(id: $id, lostReasonId: 99999) {
            id
          }
        }
      `,
      { id },
    );
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect((await rest('admin', `/api/crm_lead/${id}?fields=active`)).active).toBe(true);
  });

  it('TA-08 cancelSaleOrder: a draft is cancelled; a confirmed order answers the wizard, ACTION_REQUIRES_WIZARD, and stays confirmed', async () => {
    const draft = await draftOrder();
    const cancelled = await graphql(
      server,
      'admin',
      `
        mutation ($id: Int!) {
          cancelSaleOrder(id: $id) {
            id
            state
          }
        }
      `,
      { id: draft },
    );
    expect(cancelled.body).toEqual({ data: { cancelSaleOrder: { id: draft, state: 'cancel' } } });
    const drafted = await graphql(
      server,
      'admin',
      `
        mutation ($id: Int!) {
          setSaleOrderToDraft(id: $id) {
            id
            state
          }
        }
      `,
      { id: draft },
    );
    expect(drafted.body).toEqual({ data: { setSaleOrderToDraft: { id: draft, state: 'draft' } } });

    const id = await draftOrder();
    expect((await graphql(server, 'admin', CONFIRM, { id })).body.errors).toBeUndefined();
    const answer = await graphql(
      server,
      'admin',
      `
        mutation ($id: Int!) {
          cancelSaleOrder(id: $id) {
            id
            state
          }
        }
      `,
      { id },
    );
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^cancelSaleOrder: Odoo answered a wizard \(sale\.order\.cancel\) instead of doing sale\.order\.action_cancel/,
        ),
        path: ['cancelSaleOrder'],
        extensions: expect.objectContaining({
          code: 'ACTION_REQUIRES_WIZARD',
          model: 'sale.order',
          id,
          method: 'action_cancel',
          result: expect.objectContaining({
            type: 'ir.actions.act_window',
            res_model: 'sale.order.cancel',
            target: 'new',
            context: expect.objectContaining({ default_order_id: id }),
          }),
        }),
      }),
    ]);
    expect(await orderState(id)).toBe('sale');
  });

  it('TA-09 the action is one POST; the record is read back with the fields the selection needs, its relations batched as in a query', async () => {
    const id = await draftOrder();
    const before = server.app.graphql.gateway.requestCount;
    const answer = await graphql(
      server,
      'admin',
      `
        mutation ($id: Int!) {
          confirmSaleOrder(id: $id) {
            id
            state
            partnerRecord {
              id
              name
            }
          }
        }
      `,
      {
        id,
      },
    );
    expect(answer.body.errors).toBeUndefined();
    // The action (POST), the order (state, partner_id), the partner (name).
    expect(server.app.graphql.gateway.requestCount - before).toBe(3);
    // Selecting only what the action's answer holds costs the action alone.
    const id2 = await draftOrder();
    const before2 = server.app.graphql.gateway.requestCount;
    const bare = await graphql(
      server,
      'admin',
      `
        mutation ($id: Int!) {
          markSaleOrderSent(id: $id) {
            id
          }
        }
      `,
      { id: id2 },
    );
    expect(bare.body).toEqual({ data: { markSaleOrderSent: { id: id2 } } });
    expect(server.app.graphql.gateway.requestCount - before2).toBe(1);
  });
});

describe('typed business actions with @apollo/client', () => {
  let posts = 0;
  let client: ApolloClient<NormalizedCacheObject>;

  beforeAll(() => {
    const countingFetch: typeof fetch = (input, init) => {
      posts += 1;
      return fetch(input, init);
    };
    client = new ApolloClient({
      link: new HttpLink({
        uri: `${server.url}/graphql`,
        fetch: countingFetch,
        headers: { authorization: `Bearer ${server.key('admin')}` },
      }),
      cache: new InMemoryCache(),
    });
  });

  afterAll(() => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
    client?.stop();
  });

  const ORDER = gql`
    query Order($id: Int!) {
      saleOrder(id: $id) {
        id
        name
        state
        partnerRecord {
          id
          name
        }
      }
    }
  `;

  it('TA-10 a cached order, then confirmSaleOrder: the cache shows `sale` without a refetch; the wizard rejects and leaves the cache as it is', async () => {
    const id = await draftOrder();
    const watched: string[] = [];
    const watch = client.watchQuery({ query: ORDER, variables: { id }, fetchPolicy: 'cache-first' });
    const subscription = watch.subscribe(({ data }) => watched.push(data.saleOrder.state));
    const { data } = await client.query({ query: ORDER, variables: { id } });
    expect(data.saleOrder.state).toBe('draft');

    const postsBefore = posts;
    const { data: mutated } = await client.mutate({
      mutation: gql`
        mutation Confirm($id: Int!) {
          confirmSaleOrder(id: $id) {
            id
            state
          }
        }
      `,
      variables: { id },
    });
    expect(mutated.confirmSaleOrder).toEqual({ __typename: 'SaleOrder', id, state: 'sale' });
    expect(posts - postsBefore).toBe(1);
    const cached = await client.query({ query: ORDER, variables: { id }, fetchPolicy: 'cache-only' });
    expect(cached.data.saleOrder).toMatchObject({ id, state: 'sale', partnerRecord: { id: AZURE_INTERIOR } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(watched.at(-1)).toBe('sale');
    expect(posts - postsBefore).toBe(1);

    // Cancelling the confirmed order: Odoo's wizard, an ApolloError carrying the window action; the cache keeps `sale`.
    const cancel = client.mutate({
      mutation: gql`
        mutation Cancel($id: Int!) {
          cancelSaleOrder(id: $id) {
            id
            state
          }
        }
      `,
      variables: { id },
    });
    const error = await cancel.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApolloError);
    const [graphQLError] = (error as ApolloError).graphQLErrors;
    expect(graphQLError?.extensions?.code).toBe('ACTION_REQUIRES_WIZARD');
    expect(graphQLError?.extensions?.result).toMatchObject({ res_model: 'sale.order.cancel' });
    expect(client.readQuery({ query: ORDER, variables: { id } }).saleOrder.state).toBe('sale');
    subscription.unsubscribe();
  });
});

describe('typed business actions read through the REST contract', () => {
  it("TA-11 BACKEND=proxy with an identity: the mutations come from the upstream's GET /api/<slug>/actions, and act through it", async () => {
    const proxy = await createApp(
      testConfig({
        LOG_LEVEL: 'silent',
        BACKEND: 'proxy',
        UPSTREAM_URL: server.url,
        GRAPHQL_SCHEMA_AUTHORIZATION: `Bearer ${server.key('admin')}`,
      }),
    );
    try {
      const url = await proxy.server.listen({ host: '127.0.0.1', port: 0 });
      const id = await draftOrder();
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.key('admin')}` },
        body: JSON.stringify({
          query: `mutation ($id: Int!) { confirmSaleOrder(id: $id) { id state partnerRecord { name } } }`,
          variables: { id },
        }),
      });
      expect(await response.json()).toEqual({
        data: { confirmSaleOrder: { id, state: 'sale', partnerRecord: { name: 'Azure Interior' } } },
      });
      const typed = await proxy.typedSchema.sdl();
      expect(typed.origin).toBe('gateway');
      const actions = [...readTypedModels(parse(typed.sdl)).actions.keys()].sort();
      expect(actions).toEqual(Object.keys(EXPECTED_MUTATIONS).sort());
    } finally {
      await proxy.close();
    }
  });
});
