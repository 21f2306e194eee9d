/**
 * The GraphQL face's hardening limits (issue 7), each refusal a GraphQL error with its own code and
 * nothing sent to the gateway: the cost limit with list sizes from `limit`, introspection switched off,
 * CSRF prevention for cookie-authenticated requests, batching limits. graphql-armor's depth, alias,
 * token and directive limits are in bad-input.test.ts.
 */
import { buildSchema, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationCost, selectOperation } from '../../src/graphql/operation-cost.js';
import { CSRF_MESSAGE } from '../../src/graphql/plugins/use-csrf-prevention.js';
import { loadSchema } from '../../src/graphql/load-schema.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { codes, graphql, sessionCookie } from './graphql-client.js';

const COST = { defaultListSize: 80, maxListSize: 1000 };

function cost(query: string, variables?: Record<string, unknown>, schema = loadSchema()): number {
  const document = parse(query);
  return operationCost(schema, document, selectOperation(document)!, variables, COST);
}

describe('operation cost: list sizes counted from limit', () => {
  it('GL-01 a page costs its fields plus one per element of its list, sized by the limit', () => {
    expect(cost('{ records(slug: "sale_order", limit: 50) { total results } }')).toBe(1 + 1 + 1 + 50);
    expect(cost('{ records(slug: "sale_order") { total } }')).toBe(2);
    // No limit: the REST default page (80); above MAX_LIMIT: clamped, as REST clamps it.
    expect(cost('{ records(slug: "sale_order") { results } }')).toBe(1 + 1 + 80);
    expect(cost('{ records(slug: "sale_order", limit: 999999) { results } }')).toBe(1 + 1 + 1000);
  });

  it('GL-02 a limit given as a variable, or by the variable\'s default, counts the same', () => {
    const query = 'query($n: Int = 7) { records(slug: "sale_order", limit: $n) { results } }';
    expect(cost(query, { n: 300 })).toBe(302);
    expect(cost(query, {})).toBe(9);
  });

  it('GL-03 aliases add up; fragments are followed; nested lists multiply', () => {
    expect(cost('{ a: records(slug: "x", limit: 10) { results } b: records(slug: "y", limit: 20) { ...Page } } fragment Page on RecordPage { results total }')).toBe(12 + 23);
    const typed = buildSchema(`
      type Query { orders(limit: Int = 10): [Order!]! }
      type Order { name: String lines(limit: Int): [Line!]! partner: Partner }
      type Line { product: Partner qty: Float }
      type Partner { name: String }
    `);
    // orders: 1 + 10 elements; per order: name 1, partner 1 + name 1, lines 1 + 5 elements; per line: qty 1.
    expect(cost('{ orders { name partner { name } lines(limit: 5) { qty } } }', undefined, typed)).toBe(1 + 10 + 10 * (1 + 2 + 1 + 5) + 50);
  });
});

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ GRAPHQL_MAX_COST: 2000, GRAPHQL_BATCH_LIMIT: 2 });
});
afterAll(async () => {
  await server.close();
});

async function sentBy<T>(run: () => Promise<T>): Promise<{ result: T; sent: number }> {
  const before = server.app.graphql.gateway.requestCount;
  const result = await run();
  return { result, sent: server.app.graphql.gateway.requestCount - before };
}

describe('cost limit (GRAPHQL_MAX_COST)', () => {
  it('GL-10 an operation above the limit is COST_LIMIT_EXCEEDED (HTTP 400) with its cost, and nothing is sent', async () => {
    const query = '{ a: records(slug: "sale_order", limit: 1000) { results } b: records(slug: "crm_lead", limit: 1000) { results } }';
    const { result, sent } = await sentBy(() => graphql(server, 'admin', query));
    expect([result.status, codes(result), sent]).toEqual([400, ['COST_LIMIT_EXCEEDED'], 0]);
    expect(result.body.errors?.[0]?.message).toMatch(/operation cost 2004 is above the limit of 2000/);
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ cost: 2004, maxCost: 2000 });
  });

  it('GL-11 the same limit through a variable is refused too; a smaller one runs', async () => {
    const query = 'query Page($n: Int) { a: records(slug: "sale_order", limit: $n) { total results } b: records(slug: "crm_lead", limit: $n) { total results } }';
    expect(codes(await graphql(server, 'admin', query, { n: 1000 }))).toEqual(['COST_LIMIT_EXCEEDED']);
    const small = await graphql(server, 'admin', query, { n: 5 });
    expect(small.body.errors).toBeUndefined();
    expect(small.body.data?.a.results).toHaveLength(5);
  });
});

describe('introspection switch (GRAPHQL_INTROSPECTION)', () => {
  it('GL-20 off: __schema and __type are INTROSPECTION_DISABLED, __typename still works', async () => {
    const closed = await startServer({ GRAPHQL_INTROSPECTION: false });
    try {
      for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Query") { name } }']) {
        const response = await graphql(closed, null, query, undefined, { accept: 'application/graphql-response+json' });
        expect([response.status, codes(response)]).toEqual([400, ['INTROSPECTION_DISABLED']]);
      }
      const typename = await graphql(closed, null, '{ __typename health { status } }');
      expect(typename.body).toEqual({ data: { __typename: 'Query', health: { status: 'ok' } } });
    } finally {
      await closed.close();
    }
  });

  it('GL-21 on (the default): introspection answers', async () => {
    const response = await graphql(server, null, '{ __schema { queryType { name } } }');
    expect(response.body.data?.__schema.queryType.name).toBe('Query');
  });
});

describe('CSRF prevention for cookie-authenticated requests', () => {
  const mutation = 'mutation { createRecord(slug: "res_partner", values: {name: "CSRF victim"}) { id } }';
  const partners = () => (server.backend.db.prepare("SELECT count(*) AS n FROM res_partner WHERE name = 'CSRF victim'").get() as { n: number }).n;

  it('GL-30 a form POST carrying the session cookie is CSRF_PREVENTED (403); nothing is sent or written', async () => {
    const cookie = await sessionCookie(server, 'demo');
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', new URLSearchParams({ query: mutation }).toString()],
      ['text/plain', JSON.stringify({ query: mutation })],
    ] as const) {
      const { result, sent } = await sentBy(() => server.request(null, 'POST', '/graphql', body, { 'content-type': type, cookie }));
      expect([result.status, result.body.errors?.[0]?.extensions?.code, sent], type).toEqual([403, 'CSRF_PREVENTED', 0]);
      expect(result.body.errors?.[0]?.message).toBe(CSRF_MESSAGE);
    }
    expect(partners()).toBe(0);
  });

  it('GL-31 with JSON (GraphiQL, Apollo Client) or a CSRF header the same cookie works; a Bearer key is never at risk', async () => {
    const cookie = await sessionCookie(server, 'demo');
    const json = await graphql(server, { cookie }, '{ me { login } }');
    expect(json.body.data?.me.login).toBe('demo');
    const form = new URLSearchParams({ query: mutation }).toString();
    const withHeader = await server.request(null, 'POST', '/graphql', form, { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-graphql-csrf': '1' });
    expect(withHeader.body.errors, withHeader.text).toBeUndefined();
    const keyed = await server.request('demo', 'POST', '/graphql', new URLSearchParams({ query: '{ me { login } }' }).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(keyed.body.data?.me.login).toBe('demo');
    expect(partners()).toBe(1);
  });

  it('GL-32 a GET query with the cookie still runs (GET cannot mutate)', async () => {
    const cookie = await sessionCookie(server, 'demo');
    const response = await server.request(null, 'GET', `/graphql?query=${encodeURIComponent('{ me { login } }')}`, undefined, { cookie, accept: 'application/json' });
    expect(response.body.data?.me.login).toBe('demo');
  });
});

describe('batching limits (GRAPHQL_BATCH_LIMIT)', () => {
  const op = { query: '{ health { status } }' };

  it('GL-40 within the limit a batch answers one result per operation', async () => {
    const response = await server.request('admin', 'POST', '/graphql', [op, op]);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([{ data: { health: { status: 'ok' } } }, { data: { health: { status: 'ok' } } }]);
  });

  it('GL-41 above the limit: BATCH_LIMIT_EXCEEDED (HTTP 413), nothing runs', async () => {
    const { result, sent } = await sentBy(() => server.request('admin', 'POST', '/graphql', [op, op, op]));
    expect([result.status, result.body.errors?.[0]?.extensions?.code, sent]).toEqual([413, 'BATCH_LIMIT_EXCEEDED', 0]);
    expect(result.body.errors?.[0]?.message).toBe('a batch may hold at most 2 operations; this one holds 3');
  });

  it('GL-42 batching off (the default): any batch is BAD_REQUEST (HTTP 400)', async () => {
    const other = await startServer();
    try {
      const response = await other.request('admin', 'POST', '/graphql', [op]);
      expect([response.status, response.body.errors?.[0]?.extensions?.code, response.body.errors?.[0]?.message]).toEqual([400, 'BAD_REQUEST', 'Batching is not supported.']);
    } finally {
      await other.close();
    }
  });
});
