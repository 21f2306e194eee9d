/**
 * GATEWAY_URL pointing at another instance: server B's GraphQL face works unchanged over server A's
 * REST routes (through a counting proxy, so we see exactly what reached A), with A's credentials, and
 * B's own database is never touched. Gateways that fail map to BAD_GATEWAY / GATEWAY_TIMEOUT without
 * leaking what they said.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { json, startCountingProxy, startFakeGateway, type FakeGateway } from '../gateway/fake-gateway.js';
import { codes, graphql, sessionCookie } from './graphql-client.js';

describe('instance B over instance A', () => {
  const a = useServer();
  let proxy: FakeGateway;
  beforeAll(async () => {
    proxy = await startCountingProxy(a.url);
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
    await proxy?.close();
  });
  const b = useServer(() => ({ GATEWAY_URL: proxy.url }));

  it("TS-01 B answers with A's data, as A's REST answers it, using A's key", async () => {
    const key = a.key('demo');
    const rest = await a.request('demo', 'GET', '/api/sale_order?fields=name,partner_id&limit=7');
    const gql = await graphql(
      b,
      null,
      '{ records(slug: "sale_order", fields: ["name", "partner_id"], limit: 7) { count total limit offset results } }',
      undefined,
      {
        authorization: `Bearer ${key}`,
      },
    );
    expect(gql.body.data?.records).toEqual(rest.body);
    expect(proxy.requests.at(-1)).toMatchObject({ method: 'GET', url: '/api/sale_order?fields=name%2Cpartner_id&limit=7' });
    expect(proxy.requests.at(-1)?.headers.authorization).toBe(`Bearer ${key}`);
  });

  it("TS-02 a mutation through B lands in A, not in B's own database", async () => {
    const before = (await b.request('admin', 'GET', '/api/res_partner?limit=0')).body.total as number;
    const gql = await graphql(
      b,
      null,
      'mutation { createRecord(slug: "res_partner", values: {name: "Made through B"}) { id record } }',
      undefined,
      {
        authorization: `Bearer ${a.key('admin')}`,
      },
    );
    const id = gql.body.data?.createRecord.id as number;
    expect((await a.request('admin', 'GET', `/api/res_partner/${id}?fields=name`)).body).toEqual({ id, name: 'Made through B' });
    expect((await b.request('admin', 'GET', '/api/res_partner?limit=0')).body.total).toBe(before);
  });

  it("TS-03 A's session cookie works through B; B's own keys mean nothing to A", async () => {
    const cookie = await sessionCookie(a, 'manager');
    const me = await graphql(b, { cookie }, '{ me { login } }');
    expect(me.body.data).toEqual({ me: { login: 'manager' } });
    expect(proxy.requests.at(-1)?.headers.cookie).toBe(cookie);
    const foreign = await graphql(b, 'admin', '{ records(slug: "sale_order") { total } }');
    expect([foreign.status, codes(foreign)]).toEqual([401, ['UNAUTHENTICATED']]);
  });

  it('TS-04 input known to be invalid never reaches A', async () => {
    const seen = proxy.requests.length;
    const key = `Bearer ${a.key('admin')}`;
    for (const query of [
      `{ records(slug: "sale_order", domain: "[('state', '=')]") { total } }`,
      '{ records(slug: "sale_order", limit: -1) { total } }',
      '{ records(slug: "../api/health") { total } }',
      'mutation { createRecord(slug: "res_partner", values: {parent_id: {id: "x"}}) { id } }',
    ]) {
      const response = await graphql(b, null, query, undefined, { authorization: key });
      expect(response.body.errors?.length).toBe(1);
    }
    const anonymous = await graphql(b, null, '{ me { uid } }');
    expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
    expect(proxy.requests.length).toBe(seen);
  });

  it('TS-05 root fields run concurrently; identical reads are made once', async () => {
    const seen = proxy.requests.length;
    // `first` selects `count`, so it reads the page `again` reads: one request (`total` alone would be a
    // count, asked with limit=0: limits.test.ts GL-12).
    const response = await graphql(
      b,
      null,
      `
        {
          first: records(slug: "sale_order", limit: 3) {
            total
            count
          }
          again: records(slug: "sale_order", limit: 3) {
            count
            results
          }
          leads: records(slug: "crm_lead", limit: 2) {
            count
          }
          health {
            status
          }
        }
      `,
      undefined,
      { authorization: `Bearer ${a.key('admin')}` },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.first.total).toBeGreaterThan(0);
    expect(response.body.data?.again.count).toBe(3);
    expect(
      proxy.requests
        .slice(seen)
        .map((r) => r.url)
        .sort(),
    ).toEqual(['/api/crm_lead?limit=2', '/api/health', '/api/sale_order?limit=3']);
  });
});

describe('a gateway that fails', () => {
  const started: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const s of started.reverse()) await s.close();
  });
  async function behind(handler: Parameters<typeof startFakeGateway>[0], config: Record<string, string | number> = {}) {
    const gateway = await startFakeGateway(handler);
    const server = await startServer({ GATEWAY_URL: gateway.url, ...config });
    started.push(gateway, server);
    return { gateway, server };
  }

  it('TS-10 too slow: GATEWAY_TIMEOUT', async () => {
    const { server } = await behind((_, response) => void setTimeout(() => json(response, 200, { status: 'ok' }), 4000).unref(), {
      GATEWAY_TIMEOUT_MS: 200,
    });
    const response = await graphql(server, null, '{ health { status } }');
    expect([codes(response), response.body.errors?.[0]?.message]).toEqual([
      ['GATEWAY_TIMEOUT'],
      'the REST gateway did not answer within 200 ms',
    ]);
  });

  it('TS-11 a 5xx: BAD_GATEWAY, its body never shown', async () => {
    const { server } = await behind((_, response) =>
      json(response, 500, { error: 'psycopg2.OperationalError: password=hunter2 host=db.internal' }),
    );
    const response = await graphql(server, 'admin', '{ records(slug: "sale_order") { total } }', undefined, { authorization: 'Bearer k' });
    expect([codes(response), response.body.errors?.[0]?.message]).toEqual([['BAD_GATEWAY'], 'the REST gateway failed (HTTP 500)']);
    expect(response.text).not.toMatch(/hunter2|psycopg2|db\.internal/);
  });

  it('TS-12 not the contract (HTML login page): BAD_GATEWAY', async () => {
    const { server } = await behind((_, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>Odoo login</html>');
    });
    const response = await graphql(server, null, '{ health { status } }');
    expect(codes(response)).toEqual(['BAD_GATEWAY']);
    expect(response.text).not.toMatch(/Odoo login/);
  });

  it('TS-06 root fields reach the gateway concurrently', async () => {
    let inFlight = 0;
    let most = 0;
    const page = { count: 0, total: 0, limit: 1, offset: 0, results: [] };
    const { server, gateway } = await behind((_, response) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => {
        inFlight--;
        json(response, 200, page);
      }, 300).unref();
    });
    const started = Date.now();
    const response = await graphql(
      server,
      null,
      '{ a: records(slug: "sale_order", limit: 1) { total } b: records(slug: "crm_lead", limit: 1) { total } c: records(slug: "res_partner", limit: 1) { total } }',
      undefined,
      {
        authorization: 'Bearer k',
      },
    );
    expect(response.body.errors).toBeUndefined();
    expect([gateway.requests.length, most]).toEqual([3, 3]);
    expect(Date.now() - started).toBeLessThan(800);
  });

  it('TS-13 unreachable: BAD_GATEWAY', async () => {
    const gone = await startFakeGateway(() => undefined);
    await gone.close();
    const server = await startServer({ GATEWAY_URL: gone.url });
    started.push(server);
    const response = await graphql(server, null, '{ health { status } }');
    expect([codes(response), response.body.errors?.[0]?.message]).toEqual([['BAD_GATEWAY'], 'the REST gateway is unreachable']);
  });
});
