/**
 * `records` passes the REST page's records through to the answer as the gateway wrote them (issue 20:
 * src/gateway/raw-record-page.ts, src/graphql/raw-json-results.ts). The answer must be byte for byte the
 * one the parsing path gives, for every selection, in a batch and over SSE, with errors coded as ever;
 * what cannot be passed on as it is (Odoo's `[id, name]` many2one) is parsed as before.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RestGateway } from '../../src/gateway/rest-gateway.js';
import type { ListQueryParams } from '../../src/gateway/contract-types.js';
import { recordsRequest } from '../../src/graphql/operations.js';
import { RawJsonResults } from '../../src/graphql/raw-json-results.js';
import { useServer } from '../helpers/use-server.js';
import { codes, graphql } from './graphql-client.js';

// Without the revalidation cache, every page comes as text (with it, a 304 reuses the kept parsed page: RJ-06).
const server = useServer({ GRAPHQL_BATCH_LIMIT: 5, GATEWAY_CACHE_MB: 0 });

/** The answer's text as it is now, and as the parsing path writes it (`listRaw` made to parse). */
async function bothWays(login: string | null, body: unknown, headers: Record<string, string> = {}) {
  const pages = vi.spyOn(RawJsonResults.prototype, 'page');
  const passed = await server.request(login, 'POST', '/graphql', body, headers);
  // The pages were passed through (the scan accepted them), not parsed.
  expect(pages, passed.text).toHaveBeenCalled();
  pages.mockRestore();
  const spy = vi.spyOn(RestGateway.prototype, 'listRaw').mockImplementation(function (
    this: RestGateway,
    slug: string,
    params?: ListQueryParams,
  ) {
    return this.list(slug, params);
  });
  try {
    const parsed = await server.request(login, 'POST', '/graphql', body, headers);
    return { passed, parsed };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

const SELECTIONS: ReadonlyArray<readonly [string, string]> = [
  [
    'the bench page',
    '{ records(slug: "sale_order", fields: ["id", "name", "partner_id", "state", "amount_total", "date_order", "user_id"], limit: 80, order: "id asc") { count total limit offset results } }',
  ],
  ['every field of every default, the page in model order', '{ records(slug: "res_partner") { total results } }'],
  [
    'results alone, twice under two aliases, with __typename',
    '{ records(slug: "crm_lead", limit: 5) { __typename a: results b: results } }',
  ],
  [
    'two pages and me in one operation',
    '{ me { login } a: records(slug: "sale_order", limit: 3, fields: ["name"]) { results } b: records(slug: "product_product", limit: 4, domain: "[(\'sale_ok\', \'=\', True)]") { count results } }',
  ],
  [
    'a fragment, and an empty page',
    '{ records(slug: "sale_order", domain: [["id", "=", -1]]) { ...page } } fragment page on RecordPage { total results }',
  ],
  ['total only (no rows read)', '{ records(slug: "sale_order") { total } }'],
];

describe('records: the REST JSON passed through', () => {
  it.each(SELECTIONS)("RJ-01 %s: byte for byte the parsing path's answer", async (_what, query) => {
    const { passed, parsed } = await bothWays('admin', { query });
    expect(passed.status).toBe(200);
    expect(passed.body.errors).toBeUndefined();
    expect(passed.text).toBe(parsed.text);
  });

  it('RJ-02 the records are those of GET /api/<slug>, and the portal user gets their own', async () => {
    for (const login of ['admin', 'demo', 'portal']) {
      const rest = await server.request(login, 'GET', '/api/sale_order?fields=name,partner_id,amount_total&limit=20&order=id');
      const { passed, parsed } = await bothWays(
        login,
        recordsRequest('sale_order', { fields: ['name', 'partner_id', 'amount_total'], limit: 20, order: 'id' }),
      );
      expect(passed.text).toBe(parsed.text);
      expect(passed.body.data.records).toEqual(rest.body);
    }
  });

  it('RJ-03 a batch and an SSE answer carry the records too, byte for byte', async () => {
    const query = '{ records(slug: "sale_order", limit: 2, fields: ["name", "user_id"]) { results } }';
    const batch = await bothWays('admin', [{ query }, { query: '{ records(slug: "res_partner", limit: 2) { total results } }' }]);
    expect(batch.passed.text).toBe(batch.parsed.text);
    expect(batch.passed.body).toHaveLength(2);
    const sse = await bothWays('admin', { query }, { accept: 'text/event-stream' });
    expect(sse.passed.text).toContain('"results":[{"id":');
    expect(sse.passed.text).toBe(sse.parsed.text);
  });

  it('RJ-04 errors keep their codes, a page passed through beside a refused one included', async () => {
    const unknown = await graphql(server, 'admin', '{ records(slug: "no_such_model") { results } }');
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    const badOrder = await graphql(server, 'admin', '{ records(slug: "sale_order", order: "nope desc") { results } }');
    expect(codes(badOrder)).toEqual(['BAD_USER_INPUT']);
    const anonymous = await graphql(server, null, '{ records(slug: "sale_order") { results } }');
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const { passed, parsed } = await bothWays('portal', {
      query: '{ ok: records(slug: "sale_order", limit: 2, fields: ["name"]) { results } denied: records(slug: "crm_lead") { results } }',
    });
    expect(passed.text).toBe(parsed.text);
    // `records` is non-null: the refusal takes the whole `data` with it, as it always did.
    expect(codes(passed as never)).toEqual(['FORBIDDEN']);
    expect(passed.body.data).toBeNull();
  });

  it("RJ-05 a page the scan leaves to the parser (Odoo's [id, name] many2one) is parsed and shaped as before", async () => {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its `this`
    const real = RestGateway.prototype.listRaw;
    vi.spyOn(RestGateway.prototype, 'listRaw').mockImplementation(async function (
      this: RestGateway,
      slug: string,
      params?: ListQueryParams,
    ) {
      const page = await real.call(this, slug, params);
      expect('resultsJson' in page).toBe(true);
      return 'resultsJson' in page
        ? {
            count: page.count,
            total: page.total,
            limit: page.limit,
            offset: page.offset,
            results: [{ id: 1, partner_id: [12, 'Azure Interior'] }],
          }
        : page;
    });
    const answer = await graphql(server, 'admin', '{ records(slug: "sale_order", limit: 1, fields: ["partner_id"]) { results } }');
    expect(answer.body.data?.records.results).toEqual([{ id: 1, partner_id: { id: 12, name: 'Azure Interior' } }]);
  });
});

describe('records passed through, with the revalidation cache on', () => {
  const cached = useServer({ GATEWAY_CACHE_MB: 8 });

  it('RJ-06 the first answers passed on as text, the kept one reused on 304: the same bytes every time', async () => {
    const query = '{ records(slug: "sale_order", limit: 5, fields: ["name", "partner_id"]) { total results } }';
    const texts: string[] = [];
    for (let i = 0; i < 4; i++) texts.push((await cached.request('admin', 'POST', '/graphql', { query })).text);
    expect(new Set(texts).size).toBe(1);
    expect(JSON.parse(texts[0]!).data.records.results).toHaveLength(5);
    expect(cached.app.graphql.gateway.cacheStats?.entries).toBeGreaterThan(0);
  });
});
