/**
 * BACKEND=proxy, for real: an embedded instance as the upstream REST gateway (test/helpers/server.ts),
 * a proxy instance in front of it (createApp with BACKEND=proxy, UPSTREAM_URL = the upstream), both on
 * 127.0.0.1 port 0. A representative part of the contract goes through the proxy and must come back
 * exactly as the upstream answers it: list, retrieve, create, update, delete, errors, sessions. Then the
 * upstream misbehaves for real: a closed port (502) and a server that accepts and never answers (504).
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { q, sendJson, startServer, type TestResponse, type TestServer } from '../helpers/server.js';

const JSON_UTF8 = 'application/json; charset=utf-8';

const call = sendJson;

async function startProxy(upstreamUrl: string, values: Record<string, string | number> = {}): Promise<{ app: App; url: string }> {
  const app = await createApp(testConfig({ BACKEND: 'proxy', UPSTREAM_URL: upstreamUrl, LOG_LEVEL: 'silent', ...values }));
  const url = await app.server.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}

function rpcBody(params: Record<string, unknown>, id: unknown = 1) {
  return { jsonrpc: '2.0', method: 'call', params, id };
}

let upstream: TestServer;
let proxy: { app: App; url: string };
let auth: Record<string, string>;

beforeAll(async () => {
  upstream = await startServer();
  proxy = await startProxy(upstream.url);
  auth = { authorization: `Bearer ${upstream.key('admin')}` };
});

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
  await proxy?.app.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
  await upstream?.close();
});

/** The same request to the upstream and through the proxy: same status, same body, same content type. */
async function expectRelayed(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<TestResponse> {
  const direct = await call(upstream.url, method, path, options);
  const proxied = await call(proxy.url, method, path, options);
  expect(proxied.status, proxied.text).toBe(direct.status);
  expect(proxied.body).toEqual(direct.body);
  expect(proxied.headers.get('content-type')).toBe(direct.headers.get('content-type'));
  return proxied;
}

describe('PROXY reads: answers relayed unchanged', () => {
  it('PX-01 GET /api/health is forwarded: 200 {"status": "ok"}; HEAD too, without a body', async () => {
    const answer = await expectRelayed('GET', '/api/health');
    expect(answer.body).toEqual({ status: 'ok' });
    const head = await call(proxy.url, 'HEAD', '/api/health');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('PX-02 list with domain, fields, limit, offset and order: the upstream page, many2one as {id, name}', async () => {
    const path = `/api/sale_order?${q({ domain: "[('state', '=', 'sale')]", fields: 'name,partner_id,amount_total', limit: 3, offset: 1, order: 'id desc' })}`;
    const answer = await expectRelayed('GET', path, { headers: auth });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ count: 3, limit: 3, offset: 1 });
    expect(answer.body.results[0].partner_id).toEqual({ id: expect.any(Number), name: expect.any(String) });
  });

  it('PX-03 retrieve one record, with and without fields', async () => {
    const { body } = await call(upstream.url, 'GET', `/api/res_partner?${q({ fields: 'id', limit: 1 })}`, { headers: auth });
    const id = body.results[0].id as number;
    expect((await expectRelayed('GET', `/api/res_partner/${id}?fields=name,email`, { headers: auth })).body).toEqual({
      id,
      name: expect.any(String),
      email: expect.anything(),
    });
    await expectRelayed('GET', `/api/res_partner/${id}`, { headers: auth });
  });

  it('PX-04 the dotted model name (extension) and a repeated query parameter reach the upstream as sent', async () => {
    await expectRelayed('GET', '/api/sale.order?fields=name&limit=2', { headers: auth });
    expect((await expectRelayed('GET', '/api/sale_order?limit=1&limit=2', { headers: auth })).status).toBe(400);
  });
});

describe('PROXY conditional reads', () => {
  it("PX-05 the upstream's ETag comes back and If-None-Match goes up: 304 through the proxy, a full answer once data changed", async () => {
    const path = `/api/sale_order?${q({ fields: 'id,name', limit: 3 })}`;
    const first = await call(proxy.url, 'GET', path, { headers: auth });
    const tag = first.headers.get('etag');
    expect(tag).toMatch(/^W\//);
    const again = await call(proxy.url, 'GET', path, { headers: { ...auth, 'if-none-match': tag! } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect((await call(proxy.url, 'POST', '/api/crm_lead', { headers: auth, body: { name: 'PX-05 write' } })).status).toBe(201);
    const changed = await call(proxy.url, 'GET', path, { headers: { ...auth, 'if-none-match': tag! } });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual(first.body);
  });
});

describe('PROXY errors: the upstream decides, the proxy relays', () => {
  it('PX-10 no credentials: 401 with WWW-Authenticate relayed', async () => {
    const answer = await expectRelayed('GET', '/api/sale_order');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('PX-11 wrong key: 401; Basic on an embedded upstream: its 401 too', async () => {
    expect((await expectRelayed('GET', '/api/sale_order', { headers: { authorization: `Bearer ${'0'.repeat(40)}` } })).status).toBe(401);
    const basic = `Basic ${Buffer.from(`admin:${upstream.key('admin')}`).toString('base64')}`;
    expect((await expectRelayed('GET', '/api/sale_order', { headers: { authorization: basic } })).status).toBe(401);
  });

  it('PX-12 unknown model, missing record, unknown route: 404 {"error"}', async () => {
    expect((await expectRelayed('GET', '/api/no_such_model', { headers: auth })).body).toEqual({ error: "unknown model 'no_such_model'" });
    expect((await expectRelayed('GET', '/api/sale_order/999999', { headers: auth })).status).toBe(404);
    expect((await expectRelayed('GET', '/api/sale_order/1/extra', { headers: auth })).status).toBe(404);
  });

  it('PX-13 bad domain, bad id, unknown field: 400 naming the problem', async () => {
    expect((await expectRelayed('GET', `/api/sale_order?${q({ domain: "[('state', '=', foo)]" })}`, { headers: auth })).status).toBe(400);
    expect((await expectRelayed('GET', '/api/sale_order/abc', { headers: auth })).status).toBe(400);
    expect((await expectRelayed('GET', '/api/sale_order?fields=no_such_field', { headers: auth })).status).toBe(400);
  });

  it("PX-14 wrong method: 405 with the upstream's Allow header", async () => {
    const answer = await expectRelayed('DELETE', '/api/sale_order', { headers: auth });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe(
      (await call(upstream.url, 'DELETE', '/api/sale_order', { headers: auth })).headers.get('allow'),
    );
  });

  it('PX-15 bodies travel as bytes: malformed JSON 400 and another content type 415 come from the upstream', async () => {
    expect((await expectRelayed('POST', '/api/crm_lead', { headers: auth, body: '{"name": ' })).status).toBe(400);
    expect(
      (await expectRelayed('POST', '/api/crm_lead', { headers: { ...auth, 'content-type': 'text/plain' }, body: 'name=x' })).status,
    ).toBe(415);
  });

  it('PX-16 a body above the proxy\'s BODY_LIMIT: 413 {"error"} without reaching the upstream', async () => {
    const small = await startProxy(upstream.url, { BODY_LIMIT: 1024 });
    try {
      const answer = await call(small.url, 'POST', '/api/crm_lead', { headers: auth, body: { name: 'x'.repeat(4096) } });
      expect(answer.status).toBe(413);
      expect(answer.body).toEqual({ error: expect.any(String) });
    } finally {
      await small.app.close();
    }
  });

  it('PX-17 a path outside the REST face: 404 {"error"} from the proxy itself', async () => {
    const answer = await call(proxy.url, 'GET', '/nowhere');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: 'no route GET /nowhere' });
  });
});

describe('PROXY forwarding, seen from the upstream', () => {
  it('PX-18 method, raw path and query, body bytes, Authorization and only the session_id cookie go up; status and client headers come back', async () => {
    const seen: Array<{ method?: string; url?: string; headers: Record<string, unknown>; body: string }> = [];
    const echo = createHttpServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, headers: request.headers, body });
        response
          .writeHead(418, {
            'content-type': 'text/plain; charset=utf-8',
            'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
            'x-internal': 'secret',
          })
          .end('short and stout');
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const front = await startProxy(`http://127.0.0.1:${(echo.address() as { port: number }).port}/prefix`);
    try {
      const body = '{"name":  "spaces kept", "x": [1,2]}';
      const path = '/api/crm_lead/7?domain=%5B(%27a%27%2C%27%3D%27%2C1)%5D&fields=a,b&fields=c';
      const answer = await call(front.url, 'PATCH', path, {
        headers: {
          authorization: 'Basic YWRtaW46a2V5',
          cookie: 'theme=dark; session_id=abc123; cids=1',
          'content-type': 'application/json; charset=utf-8',
          'x-custom': 'stays here',
        },
        body,
      });
      expect(answer.status).toBe(418);
      expect(answer.text).toBe('short and stout');
      expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(answer.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
      expect(answer.headers.get('x-internal')).toBeNull();
      const [request] = seen;
      expect(request).toMatchObject({ method: 'PATCH', url: `/prefix${path}`, body });
      expect(request!.headers).toMatchObject({
        authorization: 'Basic YWRtaW46a2V5',
        cookie: 'session_id=abc123',
        'content-type': 'application/json; charset=utf-8',
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-proto': 'http',
        // The web client's companies (cookie `cids`) as the header the upstream reads.
        'x-company-ids': '1',
      });
      expect(request!.headers['x-custom']).toBeUndefined();
    } finally {
      await front.app.close();
      await new Promise<void>((resolve) => echo.close(() => resolve()));
    }
  });
});

describe('PROXY writes go through once, as the caller', () => {
  it('PX-20 create 201 {id, record}, update with PUT and PATCH 200, delete 200 then 404', async () => {
    const created = await call(proxy.url, 'POST', '/api/crm_lead', {
      headers: auth,
      body: { name: 'Through the proxy', expected_revenue: 1000 },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('content-type')).toBe(JSON_UTF8);
    const id = created.body.id as number;
    expect(created.body.record).toMatchObject({ id, name: 'Through the proxy', expected_revenue: 1000 });
    expect((await call(upstream.url, 'GET', `/api/crm_lead/${id}?fields=name`, { headers: auth })).body).toEqual({
      id,
      name: 'Through the proxy',
    });

    const put = await call(proxy.url, 'PUT', `/api/crm_lead/${id}`, { headers: auth, body: { expected_revenue: 2500 } });
    expect(put.status, put.text).toBe(200);
    expect(put.body.record).toMatchObject({ id, expected_revenue: 2500 });
    const patch = await call(proxy.url, 'PATCH', `/api/crm_lead/${id}`, { headers: auth, body: { name: 'Edited through the proxy' } });
    expect(patch.body.record).toMatchObject({ id, name: 'Edited through the proxy', expected_revenue: 2500 });

    expect((await call(proxy.url, 'DELETE', `/api/crm_lead/${id}`, { headers: auth })).body).toEqual({ ok: true });
    expect((await call(proxy.url, 'GET', `/api/crm_lead/${id}`, { headers: auth })).status).toBe(404);
  });

  it("PX-21 a business rule refuses: 400 with Odoo's message (a purchase order must be cancelled first)", async () => {
    const { body } = await call(
      upstream.url,
      'GET',
      `/api/purchase_order?${q({ domain: "[('state', '=', 'draft')]", fields: 'id', limit: 1 })}`,
      { headers: auth },
    );
    const id = body.results[0].id as number;
    const refused = await call(proxy.url, 'DELETE', `/api/purchase_order/${id}`, { headers: auth });
    expect(refused).toMatchObject({ status: 400, body: { error: 'In order to delete a purchase order, you must cancel it first.' } });
  });

  it('PX-22 validation: 400 naming the field; access rights: 403 for the demo user', async () => {
    expect((await call(proxy.url, 'POST', '/api/crm_lead', { headers: auth, body: { no_such_field: 1 } })).status).toBe(400);
    const demo = { authorization: `Bearer ${upstream.key('demo')}` };
    const answer = await expectRelayed('PUT', '/api/res_users/2', { headers: demo, body: { name: 'Hacked' } });
    expect(answer.status).toBe(403);
  });
});

describe("PROXY sessions: Odoo's JSON-RPC envelope and the session cookie pass both ways", () => {
  it("PX-30 authenticate sets the upstream's session_id; the cookie then serves lists, session info and destroy", async () => {
    const authenticated = await call(proxy.url, 'POST', '/web/session/authenticate', {
      body: rpcBody({ db: 'odoo', login: 'demo', password: 'demo' }, 7),
    });
    expect(authenticated.status).toBe(200);
    expect(authenticated.body).toMatchObject({ jsonrpc: '2.0', id: 7, result: { username: 'demo' } });
    const setCookie = authenticated.headers.getSetCookie().find((c) => c.startsWith('session_id='));
    expect(setCookie).toMatch(/HttpOnly/);
    const cookie = setCookie!.split(';')[0]!;

    const leads = await call(proxy.url, 'GET', '/api/crm_lead?fields=name&limit=5', { headers: { cookie: `other=1; ${cookie}` } });
    expect(leads.status, leads.text).toBe(200);
    expect(leads.body.total).toBe((await call(upstream.url, 'GET', '/api/crm_lead?fields=id&limit=0', { headers: { cookie } })).body.total);

    const info = await call(proxy.url, 'POST', '/web/session/get_session_info', { headers: { cookie }, body: rpcBody({}, 8) });
    expect(info.body).toMatchObject({ id: 8, result: { username: 'demo' } });

    const destroyed = await call(proxy.url, 'POST', '/web/session/destroy', { headers: { cookie }, body: rpcBody({}, 9) });
    expect(destroyed.body).toMatchObject({ jsonrpc: '2.0', id: 9 });
    expect((await call(proxy.url, 'GET', '/api/crm_lead', { headers: { cookie } })).status).toBe(401);
    const expired = await call(proxy.url, 'POST', '/web/session/get_session_info', { headers: { cookie }, body: rpcBody({}) });
    expect(expired.body.error).toMatchObject({ code: 100, data: { name: 'odoo.http.SessionExpiredException' } });
  });

  it("PX-31 a wrong password: HTTP 200 with Odoo's AccessDenied error, no cookie", async () => {
    const answer = await expectRelayed('POST', '/web/session/authenticate', {
      body: rpcBody({ db: 'odoo', login: 'admin', password: 'wrong' }, 2),
    });
    expect(answer.body.error.data).toMatchObject({ name: 'odoo.exceptions.AccessDenied', message: 'Access Denied' });
    expect(answer.headers.getSetCookie()).toEqual([]);
  });
});

describe('PROXY GraphQL: the gateway client calls the upstream directly', () => {
  it('PX-40 a GraphQL query on the proxy instance is answered from the upstream, whose URL is the gateway', async () => {
    const response = await fetch(`${proxy.url}/graphql`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ records(slug: "sale_order", fields: ["name"], limit: 1) { total } }' }),
    });
    const body = (await response.json()) as { data?: { records?: { total?: number } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const direct = await call(upstream.url, 'GET', '/api/sale_order?fields=id&limit=0', { headers: auth });
    expect(body.data?.records?.total).toBe(direct.body.total);
    expect(proxy.app.graphql.gateway.url).toBe(upstream.url);
  });
});

describe('PROXY is a mode of the REST face, not a Backend', () => {
  it('PX-45 the app serves no Backend: its data source is the upstream, which the banner describes', () => {
    expect(proxy.app.backend).toBeUndefined();
    expect(proxy.app.dataSource.describe()).toEqual({
      kind: 'remote',
      name: 'upstream',
      location: `to ${upstream.url}`,
      apiKeyHint: 'one that the upstream accepts: it is passed on as sent',
    });
    // No demo passwords to check: a proxy listens wherever it is told to.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- read only to see that it is absent
    expect(proxy.app.dataSource.loginsWithDemoPasswords).toBeUndefined();
  });

  it('PX-46 /metrics watches the upstream pool beside the gateway pool', async () => {
    await call(proxy.url, 'GET', '/api/health');
    const text = (await call(proxy.url, 'GET', '/metrics')).text;
    expect(text).toMatch(/^http_client_pool\{pool="upstream",state="capacity"\} 320$/m);
    expect(text).toMatch(/^http_client_pool\{pool="upstream",state="connected"\} [1-9]/m);
    expect(text).toMatch(/^http_client_pool\{pool="gateway",state="capacity"\} 320$/m);
  });
});

describe("PROXY upstream failures: 502 and 504 in the contract's error format", () => {
  const sockets = new Set<Socket>();
  let hanging: Server;
  let hangingUrl: string;
  let closedUrl: string;

  beforeAll(async () => {
    // A server that accepts connections and never answers.
    hanging = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as { port: number }).port}`;
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedUrl = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => hanging.close(() => resolve()));
  });

  it('PX-50 upstream down (connection refused): 502 {"error"}', async () => {
    const down = await startProxy(closedUrl);
    try {
      const answer = await call(down.url, 'GET', '/api/sale_order', { headers: auth });
      expect(answer.status).toBe(502);
      expect(answer.headers.get('content-type')).toBe(JSON_UTF8);
      expect(answer.body).toEqual({ error: 'the upstream REST gateway is unreachable (ECONNREFUSED)' });
      expect(answer.text).not.toContain('127.0.0.1');
    } finally {
      await down.app.close();
    }
  });

  it('PX-51 upstream hanging: 504 {"error"} after UPSTREAM_TIMEOUT_MS, not later', async () => {
    const slow = await startProxy(hangingUrl, { UPSTREAM_TIMEOUT_MS: 300 });
    try {
      const started = Date.now();
      const answer = await call(slow.url, 'POST', '/api/crm_lead', { headers: auth, body: { name: 'never stored' } });
      const elapsed = Date.now() - started;
      expect(answer.status).toBe(504);
      expect(answer.body).toEqual({ error: 'the upstream REST gateway did not answer within 300 ms' });
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(5_000);
      expect(sockets.size).toBeGreaterThan(0);
    } finally {
      await slow.app.close();
    }
  });

  it("PX-52 the data source's ping reports the upstream's health", async () => {
    await expect(proxy.app.dataSource.ping()).resolves.toBeUndefined();
    const down = await startProxy(closedUrl);
    try {
      await expect(down.app.dataSource.ping()).rejects.toMatchObject({ odooName: 'upstream_unreachable' });
    } finally {
      await down.app.close();
    }
  });
});
