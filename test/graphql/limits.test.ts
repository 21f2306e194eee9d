/**
 * The GraphQL face's hardening limits (issue 7), each refusal a GraphQL error with its own code and
 * nothing sent to the gateway: the cost limit with list sizes from `limit`, introspection switched off,
 * CSRF prevention for cookie-authenticated requests, batching limits. graphql-armor's depth, alias,
 * token and directive limits are in bad-input.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_GATEWAY_URL_BYTES } from '../../src/graphql/arguments.js';
import { DEFAULT_COUNT_COST, operationCost, selectOperation } from '../../src/graphql/operation-cost.js';
import { CSRF_MESSAGE } from '../../src/graphql/plugins/use-csrf-prevention.js';
import { loadSchema, SCHEMA_DIR } from '../../src/graphql/load-schema.js';
import { buildTypedSchema } from '../../src/graphql/typed/build-typed-schema.js';
import { startCountingProxy, type FakeGateway } from '../gateway/fake-gateway.js';
import { startServer } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { codes, graphql, sessionCookie } from './graphql-client.js';

const COST = { defaultListSize: 80, maxListSize: 1000 };
/** What every page costs for its count: the REST list route runs a search_count for each, whatever is selected. */
const COUNT = DEFAULT_COUNT_COST;

function cost(query: string, variables?: Record<string, unknown>, schema = loadSchema()): number {
  const document = parse(query);
  return operationCost(schema, document, selectOperation(document)!, variables, COST);
}

describe('operation cost: list sizes counted from limit', () => {
  it('GL-01 a page costs its count, its fields, and one per element of its list, sized by the limit', () => {
    expect(cost('{ records(slug: "sale_order", limit: 50) { total results } }')).toBe(1 + COUNT + 1 + 1 + 50);
    // No limit: the REST default page (80); above MAX_LIMIT: clamped, as REST clamps it.
    expect(cost('{ records(slug: "sale_order") { results } }')).toBe(1 + COUNT + 1 + 80);
    expect(cost('{ records(slug: "sale_order", limit: 999999) { results } }')).toBe(1 + COUNT + 1 + 1000);
  });

  it("GL-02 a limit given as a variable, or by the variable's default, counts the same", () => {
    const query = 'query($n: Int = 7) { records(slug: "sale_order", limit: $n) { results } }';
    expect(cost(query, { n: 300 })).toBe(COUNT + 302);
    expect(cost(query, {})).toBe(COUNT + 9);
  });

  it('GL-03 aliases add up; fragments are followed; nested lists multiply', () => {
    expect(
      cost(
        '{ a: records(slug: "x", limit: 10) { results } b: records(slug: "y", limit: 20) { ...Page } } fragment Page on RecordPage { results total }',
      ),
    ).toBe(COUNT + 12 + COUNT + 23);
    const typed = buildSchema(`
      type Query { orders(limit: Int = 10): [Order!]! }
      type Order { name: String lines(limit: Int): [Line!]! partner: Partner }
      type Line { product: Partner qty: Float }
      type Partner { name: String }
    `);
    // orders: 1 + 10 elements; per order: name 1, partner 1 + name 1, lines 1 + 5 elements; per line: qty 1.
    expect(cost('{ orders { name partner { name } lines(limit: 5) { qty } } }', undefined, typed)).toBe(1 + 10 + 10 * (1 + 2 + 1 + 5) + 50);
  });

  it('GL-04 a page that only counts costs its count, whatever its limit; rows cost as soon as anything needs them', () => {
    // total (and offset) alone: asked with limit=0, nothing read but the count.
    expect(cost('{ records(slug: "sale_order_line", limit: 1000, offset: 3) { total offset } }')).toBe(1 + COUNT + 2);
    const typed = buildTypedSchema(readFileSync(join(SCHEMA_DIR, 'typed', 'models.graphql'), 'utf8'));
    expect(cost('{ saleOrderLineList(limit: 1000) { total } }', undefined, typed)).toBe(1 + COUNT + 1);
    // `count` and `limit` are the page's as read: its rows are read, so they are counted.
    expect(cost('{ records(slug: "sale_order_line", limit: 1000) { count } }')).toBe(1 + COUNT + 1000 + 1);
    expect(cost('{ saleOrderLineList(limit: 1000) { limit } }', undefined, typed)).toBe(1 + COUNT + 1000 + 1);
    // Counted before the variables are checked: `@include` is not applied (never less than what is read), and a missing variable is no error here.
    expect(cost('query($r: Boolean!) { records(slug: "sale_order_line", limit: 1000) { total results @include(if: $r) } }', {})).toBe(
      1 + COUNT + 1 + 1 + 1000,
    );
    // The 15 aliases of a 1000-record page asking only `total`: 15 counts.
    const aliases = Array.from(
      { length: 15 },
      (_, i) => `a${i}: records(slug: "sale_order_line", limit: 1000, offset: ${i}) { total }`,
    ).join(' ');
    expect(cost(`{ ${aliases} }`)).toBe(15 * (1 + COUNT + 1));
  });
});

const server = useServer({ GRAPHQL_MAX_COST: 2000, GRAPHQL_BATCH_LIMIT: 2 });

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
    expect(result.body.errors?.[0]?.message).toMatch(new RegExp(`operation cost ${2004 + 2 * COUNT} is above the limit of 2000`));
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ cost: 2004 + 2 * COUNT, maxCost: 2000 });
  });

  it('GL-11 the same limit through a variable is refused too; a smaller one runs', async () => {
    const query =
      'query Page($n: Int) { a: records(slug: "sale_order", limit: $n) { total results } b: records(slug: "crm_lead", limit: $n) { total results } }';
    expect(codes(await graphql(server, 'admin', query, { n: 1000 }))).toEqual(['COST_LIMIT_EXCEEDED']);
    const small = await graphql(server, 'admin', query, { n: 5 });
    expect(small.body.errors).toBeUndefined();
    expect(small.body.data?.a.results).toHaveLength(5);
  });
});

describe('a page that only counts asks the gateway for no rows (seen through a counting proxy in front of the REST server)', () => {
  const rest = useServer({ GATEWAY_CACHE_MB: 0 });
  let proxy: FakeGateway;
  beforeAll(async () => {
    proxy = await startCountingProxy(rest.url);
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
    await proxy?.close();
  });
  const face = useServer(() => ({ GATEWAY_URL: proxy.url, GATEWAY_CACHE_MB: 0 }));
  /** What the GraphQL face answered and the URLs it sent while running `query`. */
  async function sentFor(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data: Record<string, any> | null | undefined; urls: string[] }> {
    const before = proxy.requests.length;
    const response = await graphql(face, null, query, variables, { authorization: rest.authorization('admin') });
    expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
    return { data: response.body.data, urls: proxy.requests.slice(before).map((r) => r.url) };
  }
  const total = async (slug: string) => (await rest.request('admin', 'GET', `/api/${slug}?limit=0`)).body.total as number;

  it('GL-12 records { total offset }: limit=0 (the contract: no rows, only total), the offset kept, the total right', async () => {
    const { data, urls } = await sentFor('{ records(slug: "sale_order_line", limit: 1000, offset: 3) { total offset } }');
    expect(urls).toEqual(['/api/sale_order_line?limit=0&offset=3']);
    expect(data?.records).toEqual({ total: await total('sale_order_line'), offset: 3 });
  });

  it('GL-13 the typed saleOrderLineList { total } likewise; through a fragment too', async () => {
    const typed = await sentFor('{ saleOrderLineList(limit: 1000) { total } }');
    expect(typed.urls).toEqual(['/api/sale_order_line?fields=id&limit=0']);
    expect(typed.data?.saleOrderLineList).toEqual({ total: await total('sale_order_line') });
    const fragment = await sentFor(
      '{ records(slug: "crm_lead", limit: 500) { ...Counted } } fragment Counted on RecordPage { total __typename }',
    );
    expect(fragment.urls).toEqual(['/api/crm_lead?limit=0']);
    expect(fragment.data?.records).toEqual({ total: await total('crm_lead'), __typename: 'RecordPage' });
  });

  it('GL-14 a page that needs its rows (results, count, limit) still reads them, and count is right', async () => {
    const counted = await sentFor('{ records(slug: "sale_order_line", limit: 5) { count limit total } }');
    expect(counted.urls).toEqual(['/api/sale_order_line?limit=5']);
    expect(counted.data?.records).toEqual({ count: 5, limit: 5, total: await total('sale_order_line') });
    const typed = await sentFor('{ saleOrderLineList(limit: 4) { count results { id } } }');
    expect(typed.urls).toEqual(['/api/sale_order_line?fields=id&limit=4']);
    expect(typed.data?.saleOrderLineList.count).toBe(4);
    // `@include` decides, as it decides what is answered.
    const query = 'query($r: Boolean!) { records(slug: "sale_order_line", limit: 5) { total results @include(if: $r) } }';
    expect((await sentFor(query, { r: true })).urls).toEqual(['/api/sale_order_line?limit=5']);
    expect((await sentFor(query, { r: false })).urls).toEqual(['/api/sale_order_line?limit=0']);
  });

  it('GL-15 the 15 aliases of a 1000-record page asking only total: 15 counts, no row read, every total right', async () => {
    const aliases = Array.from(
      { length: 15 },
      (_, i) => `a${i}: records(slug: "sale_order_line", limit: 1000, offset: ${i}) { total }`,
    ).join(' ');
    const { data, urls } = await sentFor(`{ ${aliases} }`);
    expect(urls.sort()).toEqual(Array.from({ length: 15 }, (_, i) => `/api/sale_order_line?limit=0&offset=${i}`).sort());
    const expected = await total('sale_order_line');
    expect(Object.values(data ?? {})).toEqual(Array.from({ length: 15 }, () => ({ total: expected })));
  });
});

describe("a read too large for the gateway's URL is the caller's input", () => {
  const ids = Array.from({ length: 20_000 }, (_, i) => i + 1);
  const tooLarge = new RegExp(`would be a URL of \\d+ bytes, above the limit of ${MAX_GATEWAY_URL_BYTES} bytes`);

  it('GL-50 a domain of 20,000 ids: BAD_USER_INPUT naming the limit, nothing sent (records and the typed list)', async () => {
    for (const query of [
      'query($d: Domain) { records(slug: "sale_order", domain: $d) { total } }',
      'query($d: Domain) { saleOrderList(domain: $d) { results { id } } }',
    ]) {
      const { result, sent } = await sentBy(() => graphql(server, 'admin', query, { d: [['id', 'in', ids]] }));
      expect([result.status, codes(result), sent], query).toEqual([200, ['BAD_USER_INPUT'], 0]);
      expect(result.body.errors?.[0]?.message).toMatch(tooLarge);
      expect(result.body.errors?.[0]?.message).toMatch(/'domain'/);
    }
  });

  it('GL-51 so is a record read naming 5,000 fields; a domain of 1,000 ids still answers', async () => {
    const fields = Array.from({ length: 5_000 }, (_, i) => `field_${i}`);
    const { result, sent } = await sentBy(() =>
      graphql(server, 'admin', 'query($f: [String!]) { record(slug: "sale_order", id: 1, fields: $f) }', { f: fields }),
    );
    expect([codes(result), sent]).toEqual([['BAD_USER_INPUT'], 0]);
    expect(result.body.errors?.[0]?.message).toMatch(tooLarge);
    const fits = await graphql(server, 'admin', 'query($d: Domain) { records(slug: "sale_order", domain: $d) { total } }', {
      d: [['id', 'in', ids.slice(0, 1000)]],
    });
    expect(fits.body.errors).toBeUndefined();
    expect(fits.body.data?.records.total).toBe((await server.request('admin', 'GET', '/api/sale_order?limit=0')).body.total);
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

  it('GL-21 authenticated (the default): introspection answers a caller with a key, not an anonymous one', async () => {
    const response = await graphql(server, 'portal', '{ __schema { queryType { name } } }');
    expect(response.body.data?.__schema.queryType.name).toBe('Query');
    const anonymous = await graphql(server, null, '{ __schema { queryType { name } } }');
    expect(codes(anonymous)).toEqual(['INTROSPECTION_DISABLED']);
  });
});

describe('CSRF prevention for cookie-authenticated requests', () => {
  const mutation = 'mutation { createRecord(slug: "res_partner", values: {name: "CSRF victim"}) { id } }';
  const partners = () =>
    (server.backend.db.prepare("SELECT count(*) AS n FROM res_partner WHERE name = 'CSRF victim'").get() as { n: number }).n;

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
    const withHeader = await server.request(null, 'POST', '/graphql', form, {
      'content-type': 'application/x-www-form-urlencoded',
      cookie,
      'x-graphql-csrf': '1',
    });
    expect(withHeader.body.errors, withHeader.text).toBeUndefined();
    const keyed = await server.request('demo', 'POST', '/graphql', new URLSearchParams({ query: '{ me { login } }' }).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(keyed.body.data?.me.login).toBe('demo');
    expect(partners()).toBe(1);
  });

  it('GL-32 a GET query with the cookie still runs (GET cannot mutate)', async () => {
    const cookie = await sessionCookie(server, 'demo');
    const response = await server.request(null, 'GET', `/graphql?query=${encodeURIComponent('{ me { login } }')}`, undefined, {
      cookie,
      accept: 'application/json',
    });
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
      expect([response.status, response.body.errors?.[0]?.extensions?.code, response.body.errors?.[0]?.message]).toEqual([
        400,
        'BAD_REQUEST',
        'Batching is not supported.',
      ]);
    } finally {
      await other.close();
    }
  });
});
