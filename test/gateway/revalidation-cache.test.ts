/**
 * The gateway client's revalidation cache (src/gateway/revalidation-cache.ts) over a real server: a
 * repeated GraphQL read asks the REST route with If-None-Match and reuses its kept answer on 304, yet
 * never shows stale data, never one caller's data to another, and never skips the credential check.
 */
import { describe, expect, it } from 'vitest';
import { cacheKey, RevalidationCache } from '../../src/gateway/revalidation-cache.js';
import { NESTED_ORDERS_QUERY } from '../../src/graphql/typed/typed-operations.js';
import type { TestServer } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { codes, graphql } from '../graphql/graphql-client.js';

const server = useServer();
const uncached = useServer({ GATEWAY_CACHE_MB: 0 });

const ORDERS = `{ records(slug: "sale_order", fields: ["id", "name", "partner_id"], limit: 20, order: "id") { total results } }`;

/** How many GETs the GraphQL face sent to its gateway that were answered `outcome` (gateway_requests_total). */
async function gatewayGets(target: TestServer, outcome: string): Promise<number> {
  const metrics = await target.request(null, 'GET', '/metrics');
  const line = metrics.text.split('\n').find((l) => l.startsWith(`gateway_requests_total{method="GET",outcome="${outcome}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('revalidation cache of the gateway client', () => {
  it('RC-01 a read that proved stable (same tag twice) is kept, then revalidated: the gateway answers 304, the result is the same', async () => {
    const first = await graphql(server, 'admin', ORDERS);
    expect(first.body.errors).toBeUndefined();
    const [ok, notModified] = [await gatewayGets(server, '200'), await gatewayGets(server, '304')];
    // The second read is a full one (the first left only its tag); its equal tag gets the answer kept.
    expect((await graphql(server, 'admin', ORDERS)).body).toEqual(first.body);
    expect(await gatewayGets(server, '200')).toBe(ok + 1);
    const third = await graphql(server, 'admin', ORDERS);
    expect(third.body).toEqual(first.body);
    expect(await gatewayGets(server, '304')).toBe(notModified + 1);
    expect(await gatewayGets(server, '200')).toBe(ok + 1);
    expect(server.app.graphql.gateway.cacheStats!.entries).toBeGreaterThan(0);
    const metrics = (await server.request(null, 'GET', '/metrics')).text;
    expect(metrics).toMatch(/^gateway_cache\{state="entries"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^gateway_cache\{state="max_bytes"\} 8388608$/m);
  });

  it('RC-02 no stale data: after a write through REST the next GraphQL read shows it', async () => {
    const before = await graphql(server, 'admin', ORDERS);
    const id = before.body.data!.records.results[0].id as number;
    const renamed = await server.request('admin', 'PUT', `/api/sale_order/${id}`, { name: 'Renamed for RC-02' });
    expect(renamed.status, renamed.text).toBe(200);
    const after = await graphql(server, 'admin', ORDERS);
    expect(after.body.data!.records.results[0]).toMatchObject({ id, name: 'Renamed for RC-02' });
  });

  it('RC-03 one caller never gets what was kept for another: each sees their own rights', async () => {
    const query = `{ records(slug: "crm_lead", fields: ["id"], limit: 0) { total } }`;
    const admin = await graphql(server, 'admin', query);
    const demo = await graphql(server, 'demo', query);
    const demoRest = await server.request('demo', 'GET', '/api/crm_lead?fields=id&limit=0');
    expect(demo.body.data!.records.total).toBe(demoRest.body.total);
    expect(demo.body.data!.records.total).toBeLessThan(admin.body.data!.records.total);
  });

  it('RC-04 a revoked key is refused although its last answer is kept', async () => {
    const key = server.backend.createApiKey('demo', 'revoked while cached');
    const ask = () => server.request(null, 'POST', '/graphql', { query: ORDERS }, { authorization: `Bearer ${key}` });
    for (let i = 0; i < 3; i += 1) expect((await ask()).body.errors).toBeUndefined();
    server.backend.revokeApiKey(key.slice(0, 8));
    const refused = await ask();
    expect(refused.status).toBe(401);
    expect(codes(refused as never)).toEqual(['UNAUTHENTICATED']);
    expect(refused.body.data ?? null).toBeNull();
  });

  it('RC-05 GATEWAY_CACHE_MB=0 turns it off: every hop is a full read', async () => {
    expect(uncached.app.graphql.gateway.cacheStats).toBeUndefined();
    const first = await graphql(uncached, 'admin', ORDERS);
    const second = await graphql(uncached, 'admin', ORDERS);
    expect(second.body).toEqual(first.body);
    expect(await gatewayGets(uncached, '304')).toBe(0);
    expect(await gatewayGets(uncached, '200')).toBeGreaterThanOrEqual(2);
  });

  it('RC-08 the typed nested query reuses kept answers (shared, frozen) and gives the same result every time', async () => {
    const first = await graphql(server, 'admin', NESTED_ORDERS_QUERY);
    expect(first.body.errors).toBeUndefined();
    expect((await graphql(server, 'admin', NESTED_ORDERS_QUERY)).body).toEqual(first.body);
    const notModified = await gatewayGets(server, '304');
    for (let i = 0; i < 3; i += 1) expect((await graphql(server, 'admin', NESTED_ORDERS_QUERY)).body).toEqual(first.body);
    expect(await gatewayGets(server, '304')).toBeGreaterThanOrEqual(notModified + 3);
  });
});

describe('RevalidationCache', () => {
  it("RC-06 is bounded by an estimate of the memory held (twice the answer's length), least recently used out first; an answer above a sixteenth of the budget is not kept", () => {
    const cache = new RevalidationCache(1600);
    for (let i = 0; i < 20; i += 1) cache.set(`k${i}`, `W/"${i}"`, { i }, 50);
    expect(cache.stats).toEqual({ entries: 16, bytes: 1600, maxBytes: 1600 });
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k4')?.etag).toBe('W/"4"');
    cache.set('k20', 'W/"20"', { i: 20 }, 50);
    expect(cache.get('k4')).toBeDefined(); // used just before: kept
    expect(cache.get('k5')).toBeUndefined(); // the least recently used: dropped
    cache.set('big', 'W/"big"', {}, 51);
    expect(cache.get('big')).toBeUndefined();
  });

  it('RC-09 an answer is kept only once it proved stable: the tag alone first, the answer when the same tag comes again', () => {
    const cache = new RevalidationCache(1 << 20);
    cache.offer('k', 'W/"1"', { v: 1 }, 10);
    expect(cache.get('k')).toEqual({ etag: 'W/"1"', body: undefined, cost: 256 });
    cache.offer('k', 'W/"2"', { v: 2 }, 10);
    expect(cache.get('k')?.body).toBeUndefined();
    cache.offer('k', 'W/"2"', { v: 2 }, 10);
    expect(cache.get('k')).toEqual({ etag: 'W/"2"', body: { v: 2 }, cost: 20 });
  });

  it('RC-07 an answer is frozen once it is shared, and keys hold a digest of the credentials, not the credentials', () => {
    const cache = new RevalidationCache(1 << 20);
    const body = { results: [{ id: 1, partner_id: { id: 2, name: 'x' } }] };
    cache.set('k', 'W/"1"', body, 10);
    expect(Object.isFrozen(body)).toBe(false); // the operation that read it first still owns it alone
    expect(RevalidationCache.reuse(cache.get('k')!)).toBe(body);
    expect(Object.isFrozen(body.results[0]!.partner_id)).toBe(true);
    expect(() => {
      (body.results[0] as { id: number }).id = 2;
    }).toThrow(TypeError);
    const secret = 'a'.repeat(40);
    const key = cacheKey({ authorization: `Bearer ${secret}` }, '/api/sale_order');
    expect(key).not.toContain(secret);
    expect(key).not.toBe(cacheKey({ authorization: `Bearer ${'b'.repeat(40)}` }, '/api/sale_order'));
    expect(key).not.toBe(cacheKey({ sessionCookie: `session_id=${secret}` }, '/api/sale_order'));
  });
});
