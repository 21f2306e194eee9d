/**
 * Persisted queries (issue 16) with the real Apollo client: @apollo/client's PersistedQueryLink (SHA-256
 * from node:crypto) against servers on loopback, every request counted by a custom fetch. Automatic
 * persisted queries register on a miss and go by hash afterwards (POST, or GET when the client asks); a
 * wrong hash is refused; persisted queries meet every limit other queries meet; the store's bound evicts;
 * persisted-only mode runs the listed operations and refuses others, with codes and without stack traces.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloClient, ApolloError, gql, HttpLink, InMemoryCache } from '@apollo/client/core/index.js';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries/index.js';
import { print } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { ConfigError, loadConfig, testConfig } from '../../src/config.js';
import { loadPersistedOperations, persistedOperationsFrom } from '../../src/graphql/persisted-operations.js';
import { createApqStore, PERSISTED_QUERY_ONLY_MESSAGE } from '../../src/graphql/plugins/use-persisted-queries.js';
import type { TestServer } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { sessionCookie } from './graphql-client.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** One request as the client sent it and the server answered it. */
interface Exchange {
  readonly method: string;
  /** The operation's fields: from the JSON body of a POST, from the query string of a GET. */
  readonly sent: { query?: string; extensions?: { persistedQuery?: { sha256Hash?: string } } };
  readonly status: number;
  readonly answer: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

/** A fetch that records every exchange, for the client to use. */
function countingFetch(): { fetch: typeof fetch; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const counting: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    // HttpLink puts a GET's fields in the query string, a POST's in a JSON body it sends as a string.
    const sent =
      method === 'GET'
        ? {
            ...(url.searchParams.has('query') && { query: url.searchParams.get('query')! }),
            ...(url.searchParams.has('extensions') && { extensions: JSON.parse(url.searchParams.get('extensions')!) }),
          }
        : JSON.parse(typeof init?.body === 'string' ? init.body : '{}');
    const response = await fetch(input, init);
    exchanges.push({ method, sent, status: response.status, answer: await response.clone().json() });
    return response;
  };
  return { fetch: counting, exchanges };
}

interface ClientOptions {
  readonly useGET?: boolean;
  readonly headers?: Record<string, string>;
}

/** Apollo Client as an app sets it up with APQ: PersistedQueryLink before HttpLink, the default cache; every query from the network. */
function apqClient(server: TestServer, login: string | null, options: ClientOptions = {}) {
  const counter = countingFetch();
  const headers = { ...(login && { authorization: `Bearer ${server.key(login)}` }), ...options.headers };
  const client = new ApolloClient({
    link: createPersistedQueryLink({ sha256, useGETForHashedQueries: options.useGET ?? false }).concat(
      new HttpLink({ uri: `${server.url}/graphql`, fetch: counter.fetch, headers }),
    ),
    cache: new InMemoryCache(),
    defaultOptions: { query: { fetchPolicy: 'network-only' } },
  });
  return { client, exchanges: counter.exchanges };
}

/** The error codes Apollo reports for a failed query (from the GraphQL errors, or from a non-2xx answer's body). */
async function refusal(promise: Promise<unknown>): Promise<{ codes: unknown[]; messages: string[] }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApolloError);
  const apolloError = error as ApolloError;
  const network = apolloError.networkError as { result?: { errors?: Array<{ message: string; extensions?: { code?: string } }> } } | null;
  const errors = apolloError.graphQLErrors.length ? apolloError.graphQLErrors : (network?.result?.errors ?? []);
  return { codes: errors.map((e) => e.extensions?.code), messages: errors.map((e) => e.message) };
}

/** A raw POST of `fields` (with the user's key, when one is named), as any HTTP client sends it. */
async function post(server: TestServer, login: string | null, fields: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(login && { authorization: `Bearer ${server.key(login)}` }),
      ...headers,
    },
    body: JSON.stringify(fields),
  });
  return { status: response.status, body: (await response.json()) as Exchange['answer'] };
}

/** The fields of a hash-only request: what a client sends once it believes the server knows the query. */
const byHash = (hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

/** No error of the answer carries a stack trace or yoga's internal `http` extension. */
function expectNoInternals(answer: unknown) {
  const text = JSON.stringify(answer);
  expect(text).not.toMatch(/stack|\n\s+at |\.ts:\d+|"http"/);
}

const PARTNERS = 'query Partners { records(slug: "res_partner", fields: ["name"], limit: 3, order: "id") { total results } }';
const ORDERS = 'query Orders { records(slug: "sale_order", fields: ["name"], limit: 2, order: "id") { results } }';
const ME = 'query Me { me { login } }';
const hashOf = (query: string) => sha256(print(new InMemoryCache().transformDocument(gql(query))));

describe('automatic persisted queries with Apollo (issue 16)', () => {
  const server = useServer({ GRAPHQL_MAX_COST: 500 });

  it('PQ-01 the first query goes by hash, is not found (404, PERSISTED_QUERY_NOT_FOUND), and is sent again with its query: registered, and answered', async () => {
    const { client, exchanges } = apqClient(server, 'demo');
    const { data } = await client.query({ query: gql(PARTNERS) });
    const rest = await server.request('demo', 'GET', '/api/res_partner?fields=name&limit=3&order=id');
    expect(data.records.results).toEqual(rest.body.results);
    expect(exchanges.map((e) => [e.method, e.status, 'query' in e.sent, e.sent.extensions?.persistedQuery?.sha256Hash])).toEqual([
      ['POST', 404, false, hashOf(PARTNERS)],
      ['POST', 200, true, hashOf(PARTNERS)],
    ]);
    expect(exchanges[0]!.answer.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
  });

  it('PQ-02 afterwards a client sends the hash alone, once, and gets the data (another client, another caller alike)', async () => {
    for (const login of ['demo', 'admin']) {
      const { client, exchanges } = apqClient(server, login);
      const { data } = await client.query({ query: gql(PARTNERS) });
      expect(data.records.results).toHaveLength(3);
      expect(exchanges.map((e) => [e.method, e.status, e.sent])).toEqual([
        [
          'POST',
          200,
          { operationName: 'Partners', variables: {}, extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(PARTNERS) } } },
        ],
      ]);
    }
  });

  it('PQ-03 useGETForHashedQueries: a miss is a GET, registered by POST; then one GET with the hash alone, which any HTTP client can send', async () => {
    const first = apqClient(server, 'demo', { useGET: true });
    await first.client.query({ query: gql(ORDERS) });
    expect(first.exchanges.map((e) => [e.method, e.status, 'query' in e.sent])).toEqual([
      ['GET', 404, false],
      ['POST', 200, true],
    ]);
    const second = apqClient(server, 'demo', { useGET: true });
    const { data } = await second.client.query({ query: gql(ORDERS) });
    expect(second.exchanges.map((e) => [e.method, e.status, 'query' in e.sent])).toEqual([['GET', 200, false]]);
    expect(data.records.results).toHaveLength(2);
    // The same read by URL alone (a CDN's cache key).
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hashOf(ORDERS) } });
    const response = await fetch(`${server.url}/graphql?extensions=${encodeURIComponent(extensions)}`, {
      headers: { authorization: `Bearer ${server.key('demo')}`, accept: 'application/json' },
    });
    expect([response.status, ((await response.json()) as Exchange['answer']).data?.records.results]).toEqual([200, data.records.results]);
  });

  it('PQ-04 a query sent with a hash that is not its own is refused (400, PERSISTED_QUERY_MISMATCH), and nothing is kept under that hash', async () => {
    const bogus = sha256('{ me { login name } }');
    const response = await server.request('demo', 'POST', '/graphql', {
      query: ME,
      extensions: { persistedQuery: { version: 1, sha256Hash: bogus } },
    });
    expect([response.status, response.body]).toEqual([
      400,
      { errors: [{ message: 'PersistedQueryMismatch', extensions: { code: 'PERSISTED_QUERY_MISMATCH' } }] },
    ]);
    const replay = await post(server, 'demo', byHash(bogus));
    expect([replay.status, replay.body.errors?.map((e) => e.extensions?.code)]).toEqual([404, ['PERSISTED_QUERY_NOT_FOUND']]);
    expectNoInternals(response.body);
  });

  it('PQ-05 a persisted query meets the limits every query meets: too deep, too costly, introspection', async () => {
    const deep = '{ __type(name: "Query") { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } }';
    const costly = '{ records(slug: "res_partner", limit: 1000) { results } }';
    const introspection = '{ __schema { queryType { name } } }';
    const cases = [
      [deep, 'demo', 'GRAPHQL_VALIDATION_FAILED', /depth limit of 8 exceeded/],
      [costly, 'demo', 'COST_LIMIT_EXCEEDED', /operation cost \d+ is above the limit of 500/],
      [introspection, null, 'INTROSPECTION_DISABLED', /./],
    ] as const;
    for (const [query, login, code, message] of cases) {
      const { client, exchanges } = apqClient(server, login);
      const refused = await refusal(client.query({ query: gql(query) }));
      expect(refused.codes, query).toEqual([code]);
      expect(refused.messages[0]).toMatch(message);
      expect(exchanges.map((e) => 'query' in e.sent)).toEqual([false, true]);
      // Registered (the hash was its query's), and refused by hash alone exactly as its text is.
      const replay = await post(server, login, byHash(hashOf(query)));
      const asText = await post(server, login, { query: exchanges[1]!.sent.query });
      expect(replay, query).toEqual(asText);
      expect(replay.body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
      expect(replay.body).not.toHaveProperty('data');
    }
  });

  it('PQ-06 by hash, a cookie-authenticated simple POST is still CSRF_PREVENTED (403), and a batch still needs batching on', async () => {
    const cookie = await sessionCookie(server, 'demo');
    const simple = await post(server, null, byHash(hashOf(PARTNERS)), { cookie, 'content-type': 'text/plain' });
    expect([simple.status, simple.body.errors?.map((e) => e.extensions?.code)]).toEqual([403, ['CSRF_PREVENTED']]);
    const persisted = byHash(hashOf(PARTNERS));
    const batch = await server.request('demo', 'POST', '/graphql', [persisted, persisted]);
    expect([batch.status, batch.body.errors?.map((e: { extensions?: { code?: string } }) => e.extensions?.code)]).toEqual([
      400,
      ['BAD_REQUEST'],
    ]);
  });
});

describe('the APQ store is bounded (GRAPHQL_APQ_MAX_ENTRIES, GRAPHQL_APQ_MAX_BYTES)', () => {
  const server = useServer({ GRAPHQL_APQ_MAX_ENTRIES: 2 });

  it('PQ-07 with room for 2 queries, a third evicts the least recently used: it goes by hash again after a miss', async () => {
    const queries = [1, 2, 3].map((n) => `query Page${n} { records(slug: "res_partner", limit: ${n}) { count } }`);
    const sent = async (query: string) => {
      const { client, exchanges } = apqClient(server, 'demo');
      await client.query({ query: gql(query) });
      return exchanges.map((e) => e.status);
    };
    for (const query of queries) expect(await sent(query)).toEqual([404, 200]);
    expect(await sent(queries[2]!)).toEqual([200]);
    expect(await sent(queries[1]!)).toEqual([200]);
    // The first was evicted by the third: not found, registered again (which evicts the third, now the oldest).
    expect(await sent(queries[0]!)).toEqual([404, 200]);
    expect(await sent(queries[2]!)).toEqual([404, 200]);
  });

  it('PQ-08 the byte bound counts query text and hash: older queries go first, and a query larger than the whole budget is not kept', () => {
    const store = createApqStore({ apqMaxEntries: 100, apqMaxBytes: 400 });
    const query = (n: number) => `{ records(slug: "res_partner", limit: ${n}) { count } ${'#'.repeat(80)} }`;
    for (const n of [1, 2, 3]) void store.set(sha256(query(n)), query(n));
    expect([1, 2, 3].map((n) => store.get(sha256(query(n))) !== undefined)).toEqual([false, true, true]);
    const huge = `{ me { login } ${'#'.repeat(500)} }`;
    void store.set(sha256(huge), huge);
    expect([store.get(sha256(huge)), store.size]).toEqual([undefined, 2]);
  });
});

describe('APQ off (GRAPHQL_APQ_MAX_ENTRIES=0)', () => {
  const server = useServer({ GRAPHQL_APQ_MAX_ENTRIES: 0 });

  it('PQ-09 a hash alone is PERSISTED_QUERY_NOT_SUPPORTED: Apollo sends the query, and stops sending hashes', async () => {
    const { client, exchanges } = apqClient(server, 'demo');
    await client.query({ query: gql(PARTNERS) });
    const { data } = await client.query({ query: gql(ORDERS) });
    expect(data.records.results).toHaveLength(2);
    expect(exchanges.map((e) => [e.status, 'query' in e.sent, e.answer.errors?.[0]?.extensions?.code])).toEqual([
      [400, false, 'PERSISTED_QUERY_NOT_SUPPORTED'],
      [200, true, undefined],
      [200, true, undefined],
    ]);
    expect(exchanges.map((e) => e.sent.extensions?.persistedQuery)).toEqual([expect.anything(), undefined, undefined]);
    // Neither query nor hash: yoga's own answer, as without persisted queries.
    const empty = await server.request('demo', 'POST', '/graphql', {});
    expect([empty.status, empty.body]).toEqual([
      200,
      { errors: [{ message: 'Must provide query string.', extensions: { code: 'BAD_REQUEST' } }] },
    ]);
  });
});

describe('persisted-only mode (GRAPHQL_PERSISTED_OPERATIONS, GRAPHQL_PERSISTED_ONLY)', () => {
  // The operations as Apollo Client sends them (the default cache adds __typename), as its manifest generator writes them.
  const listed = [PARTNERS, ME].map((query) => print(new InMemoryCache().transformDocument(gql(query))));
  const folder = mkdtempSync(join(tmpdir(), 'ogf-pq-'));
  const server = useServer(() => {
    const file = join(folder, 'operations.json');
    writeFileSync(file, JSON.stringify(Object.fromEntries(listed.map((query) => [sha256(query), query]))));
    return { GRAPHQL_PERSISTED_OPERATIONS: file, GRAPHQL_PERSISTED_ONLY: true };
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('PQ-10 a listed operation runs by hash at the first request, by POST or GET', async () => {
    for (const useGET of [false, true]) {
      const { client, exchanges } = apqClient(server, 'demo', { useGET });
      const { data } = await client.query({ query: gql(ME) });
      expect(data.me.login).toBe('demo');
      expect(exchanges.map((e) => [e.method, e.status, 'query' in e.sent])).toEqual([[useGET ? 'GET' : 'POST', 200, false]]);
    }
  });

  it('PQ-11 any other operation is refused: PERSISTED_QUERY_NOT_FOUND by hash, then PERSISTED_QUERY_ONLY with its query; nothing is registered', async () => {
    const { client, exchanges } = apqClient(server, 'demo');
    const refused = await refusal(client.query({ query: gql(ORDERS) }));
    expect(refused).toEqual({ codes: ['PERSISTED_QUERY_ONLY'], messages: [PERSISTED_QUERY_ONLY_MESSAGE] });
    expect(exchanges.map((e) => [e.status, 'query' in e.sent, e.answer.errors?.map((error) => error.extensions?.code)])).toEqual([
      [404, false, ['PERSISTED_QUERY_NOT_FOUND']],
      [400, true, ['PERSISTED_QUERY_ONLY']],
    ]);
    for (const exchange of exchanges) expectNoInternals(exchange.answer);
    const again = await post(server, 'demo', byHash(hashOf(ORDERS)));
    expect([again.status, again.body.errors?.map((e) => e.extensions?.code)]).toEqual([404, ['PERSISTED_QUERY_NOT_FOUND']]);
  });

  it('PQ-12 a listed query sent as text, or a request with neither query nor hash, is refused too', async () => {
    const asText = await server.request('demo', 'POST', '/graphql', { query: listed[1] });
    const empty = await server.request('demo', 'POST', '/graphql', {});
    for (const response of [asText, empty]) {
      expect([response.status, response.body]).toEqual([
        400,
        { errors: [{ message: PERSISTED_QUERY_ONLY_MESSAGE, extensions: { code: 'PERSISTED_QUERY_ONLY' } }] },
      ]);
    }
  });
});

describe('the persisted operations file, and the settings', () => {
  const query = '{ me { login } }';

  it('PQ-13 a flat {hash: query} object and an Apollo persisted query manifest are read; a key that is not its query hash is refused', () => {
    expect([...persistedOperationsFrom({ [sha256(query)]: query })]).toEqual([[sha256(query), query]]);
    const manifest = {
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: sha256(query), name: 'Me', type: 'query', body: query }],
    };
    expect([...persistedOperationsFrom(manifest)]).toEqual([[sha256(query), query]]);
    expect(() => persistedOperationsFrom({ [sha256('{ me { name } }')]: query })).toThrow(/is not the SHA-256 of its query/);
    expect(() => persistedOperationsFrom(['{ me { login } }'])).toThrow(/expected a JSON object/);
  });

  it('PQ-14 a file that cannot be read, or holds a wrong key, is a ConfigError naming it, and the server does not start', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ogf-pq-'));
    try {
      const missing = join(folder, 'no-such-file.json');
      await expect(loadPersistedOperations(missing)).rejects.toThrow(ConfigError);
      await expect(loadPersistedOperations(missing)).rejects.toThrow(`GRAPHQL_PERSISTED_OPERATIONS (${missing}): cannot read it as JSON`);
      const wrong = join(folder, 'wrong.json');
      writeFileSync(wrong, JSON.stringify({ [sha256('{ me { name } }')]: query }));
      const config = testConfig({ GRAPHQL_PERSISTED_OPERATIONS: wrong, DATA_DIR: folder, LOG_LEVEL: 'silent' });
      await expect(createApp(config)).rejects.toThrow(/is not the SHA-256 of its query/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('PQ-15 defaults: APQ on, 1000 queries, 4 MiB; persisted-only needs the file', () => {
    expect(loadConfig({})).toMatchObject({
      GRAPHQL_APQ_MAX_ENTRIES: 1000,
      GRAPHQL_APQ_MAX_BYTES: 4 * 1024 * 1024,
      GRAPHQL_PERSISTED_ONLY: false,
    });
    expect(() => loadConfig({ GRAPHQL_PERSISTED_ONLY: 'true' })).toThrow(/GRAPHQL_PERSISTED_ONLY=true needs GRAPHQL_PERSISTED_OPERATIONS/);
  });
});
