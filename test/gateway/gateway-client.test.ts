/**
 * GatewayClient and RestGateway over real HTTP: against a real server (the REST contract as it is),
 * and against small real servers that show what the real one cannot (slow, failing, echoing headers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsFrom, NO_CREDENTIALS } from '../../src/gateway/credentials.js';
import { GatewayClient, type GatewayRequest } from '../../src/gateway/gateway-client.js';
import { GatewayError } from '../../src/gateway/gateway-error.js';
import { loopbackUrl } from '../../src/gateway/loopback-url.js';
import { listQuery, RestGateway } from '../../src/gateway/rest-gateway.js';
import { useServer } from '../helpers/use-server.js';
import { json, startFakeGateway, type FakeGateway } from './fake-gateway.js';

async function gatewayError(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('RestGateway against a real server', () => {
  const server = useServer();
  let client: GatewayClient;
  const as = (login: string) => new RestGateway(client, { authorization: `Bearer ${server.key(login)}` });

  beforeAll(async () => {
    client = new GatewayClient({ url: server.url });
  });
  afterAll(async () => {
    await client.close();
  });

  it('GW-01 health needs no credentials and sends none', async () => {
    expect(await new RestGateway(client, NO_CREDENTIALS).health()).toEqual({ status: 'ok' });
  });

  it('GW-02 list answers exactly what GET /api/<slug> answers, for the same parameters', async () => {
    const params = {
      domain: "[('state', '=', 'sale')]",
      fields: ['name', 'partner_id', 'amount_total'],
      limit: 5,
      offset: 2,
      order: 'name desc',
    };
    const rest = await server.request('demo', 'GET', `/api/sale_order?${listQuery(params)}`);
    expect(rest.status).toBe(200);
    expect(await as('demo').list('sale_order', params)).toEqual(rest.body);
  });

  it('GW-03 read, create, update and delete speak the contract', async () => {
    const gateway = as('admin');
    const created = await gateway.create('res_partner', { name: 'Gateway Test Partner', email: 'gw@example.com' });
    expect(created.record).toMatchObject({ id: created.id, name: 'Gateway Test Partner', email: 'gw@example.com' });
    expect(await gateway.read('res_partner', created.id, ['name'])).toEqual({ id: created.id, name: 'Gateway Test Partner' });
    const updated = await gateway.update('res_partner', created.id, { email: 'gw2@example.com' });
    expect(updated.record.email).toBe('gw2@example.com');
    expect(await gateway.delete('res_partner', created.id)).toEqual({ ok: true });
    const missing = await gatewayError(gateway.read('res_partner', created.id));
    expect([missing.code, missing.status]).toEqual(['GATEWAY_HTTP_ERROR', 404]);
  });

  it("GW-04 a refusal keeps the contract's status and message", async () => {
    const rest = await server.request('admin', 'GET', '/api/no_such_model');
    const unknown = await gatewayError(as('admin').list('no_such_model'));
    expect([unknown.status, unknown.message]).toEqual([404, rest.body.error]);
    const badDomain = await gatewayError(as('admin').list('sale_order', { domain: "[('nope', '=', 1)]" }));
    expect(badDomain.status).toBe(400);
    expect(badDomain.message).toMatch(/nope/);
    const badKey = await gatewayError(new RestGateway(client, { authorization: 'Bearer not-a-key' }).list('sale_order'));
    expect([badKey.code, badKey.status, badKey.message]).toEqual(['GATEWAY_HTTP_ERROR', 401, 'invalid or revoked API key']);
  });

  it('GW-05 without credentials nothing is sent: 401 GATEWAY_NO_CREDENTIALS', async () => {
    const before = client.requestCount;
    const gateway = new RestGateway(client, NO_CREDENTIALS);
    for (const call of [
      gateway.list('sale_order'),
      gateway.read('sale_order', 1),
      gateway.create('res_partner', { name: 'x' }),
      gateway.sessionInfo(),
    ]) {
      const error = await gatewayError(call);
      expect([error.code, error.status]).toEqual(['GATEWAY_NO_CREDENTIALS', 401]);
    }
    expect(client.requestCount).toBe(before);
  });

  it('GW-06 session info for a key and for a session cookie; an expired session is 401', async () => {
    expect(await as('demo').sessionInfo()).toMatchObject({ username: 'demo', db: 'odoo' });
    const login = await fetch(`${server.url}/web/session/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { db: 'odoo', login: 'manager', password: 'manager' }, id: 1 }),
    });
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    const bySession = new RestGateway(client, credentialsFrom({ cookie: `theme=dark; ${cookie}` }));
    expect(await bySession.sessionInfo()).toMatchObject({ username: 'manager' });
    await fetch(`${server.url}/web/session/destroy`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: '{}',
    });
    const expired = await gatewayError(new RestGateway(client, credentialsFrom({ cookie })).sessionInfo());
    expect([expired.code, expired.status]).toEqual(['GATEWAY_HTTP_ERROR', 401]);
  });
});

describe('GatewayClient over HTTP', () => {
  const fakes: FakeGateway[] = [];
  const clients: GatewayClient[] = [];
  const fake = async (...args: Parameters<typeof startFakeGateway>) => {
    const gateway = await startFakeGateway(...args);
    fakes.push(gateway);
    return gateway;
  };
  const clientFor = (url: string | (() => string), options: Partial<ConstructorParameters<typeof GatewayClient>[0]> = {}) => {
    const client = new GatewayClient({ ...options, url });
    clients.push(client);
    return client;
  };
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(fakes.map((f) => f.close()));
  });

  it("GW-10 forwards the caller's Authorization header, session_id cookie and Odoo context headers, nothing else of the caller's", async () => {
    const echo = await fake((_, response) => json(response, 200, { count: 0, total: 0, limit: 80, offset: 0, results: [] }));
    const credentials = credentialsFrom({
      authorization: 'Bearer abc123',
      cookie: 'theme=dark; session_id=s3cr3t; tracking=1; cids=2-1',
      'x-forwarded-for': '10.0.0.1',
      'user-agent': 'curl/8',
      'accept-language': 'fr',
    });
    await new RestGateway(clientFor(echo.url), credentials).list('sale_order');
    const [request] = echo.requests;
    expect(request?.headers.authorization).toBe('Bearer abc123');
    expect(request?.headers.cookie).toBe('session_id=s3cr3t');
    expect(request?.headers['user-agent']).toBe('odoo-graphql-facade (gateway client)');
    // The request's language and companies (the web client's cids cookie becomes the header the REST face reads).
    expect(request?.headers['accept-language']).toBe('fr');
    expect(request?.headers['x-company-ids']).toBe('2-1');
    expect(Object.keys(request?.headers ?? {}).sort()).toEqual([
      'accept',
      'accept-language',
      'authorization',
      'connection',
      'cookie',
      'host',
      'user-agent',
      'x-company-ids',
    ]);
  });

  it('GW-10b an X-Company-Ids header wins over the cids cookie; without either none is sent', async () => {
    const echo = await fake((_, response) => json(response, 200, { count: 0, total: 0, limit: 80, offset: 0, results: [] }));
    await new RestGateway(clientFor(echo.url), credentialsFrom({ authorization: 'Bearer k', cookie: 'cids=1', 'x-company-ids': '2' })).list(
      'sale_order',
    );
    await new RestGateway(clientFor(echo.url), credentialsFrom({ authorization: 'Bearer k' })).list('sale_order');
    expect(echo.requests.map((r) => r.headers['x-company-ids'])).toEqual(['2', undefined]);
  });

  it('GW-11 keeps connections alive: sequential requests reuse their sockets', async () => {
    const echo = await fake((_, response) => json(response, 200, { status: 'ok' }));
    const client = clientFor(echo.url);
    for (let i = 0; i < 20; i++) await new RestGateway(client, NO_CREDENTIALS).health();
    expect(echo.requests).toHaveLength(20);
    // undici may open a second socket while the first one drains, never one per request.
    expect(echo.connections()).toBeLessThanOrEqual(2);
  });

  it('GW-12 resolves a lazy base URL on first use, and keeps its path prefix', async () => {
    const echo = await fake((_, response) => json(response, 200, { status: 'ok' }));
    let calls = 0;
    const client = clientFor(() => {
      calls++;
      return `${echo.url}/odoo/`;
    });
    expect([calls, client.url]).toEqual([0, undefined]);
    await new RestGateway(client, NO_CREDENTIALS).health();
    await new RestGateway(client, NO_CREDENTIALS).health();
    expect(calls).toBe(1);
    expect(echo.requests.map((r) => r.url)).toEqual(['/odoo/api/health', '/odoo/api/health']);
  });

  it('GW-13 a URL that cannot be known yet is GATEWAY_UNREACHABLE', async () => {
    const client = clientFor(() => loopbackUrl(null));
    const error = await gatewayError(client.request({ method: 'GET', path: '/api/health' }));
    expect([error.code, error.status]).toEqual(['GATEWAY_UNREACHABLE', 502]);
  });

  it('GW-14 an unreachable gateway is GATEWAY_UNREACHABLE (502)', async () => {
    const closed = await startFakeGateway(() => undefined);
    await closed.close();
    const error = await gatewayError(clientFor(closed.url).request({ method: 'GET', path: '/api/health' }));
    expect([error.code, error.status, error.message]).toEqual(['GATEWAY_UNREACHABLE', 502, 'the REST gateway is unreachable']);
    expect(error.cause).toBeDefined();
  });

  it('GW-15 a gateway that does not answer in time is GATEWAY_TIMEOUT (504)', async () => {
    const slow = await fake((_, response) => {
      setTimeout(() => json(response, 200, { status: 'ok' }), 4000).unref();
    });
    const started = Date.now();
    const error = await gatewayError(clientFor(slow.url, { timeout: 200 }).request({ method: 'GET', path: '/api/health' }));
    expect([error.code, error.status, error.message]).toEqual(['GATEWAY_TIMEOUT', 504, 'the REST gateway did not answer within 200 ms']);
    // undici's timers tick about once a second: the timeout holds to within that.
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('GW-16 a 5xx answer never passes its body on', async () => {
    const failing = await fake((_, response) => json(response, 500, { error: 'Traceback: psycopg2 password=hunter2 at /srv/odoo' }));
    const error = await gatewayError(clientFor(failing.url).request({ method: 'GET', path: '/api/health' }));
    expect([error.code, error.status, error.message]).toEqual(['GATEWAY_HTTP_ERROR', 500, 'the REST gateway failed (HTTP 500)']);
    expect(JSON.stringify({ ...error, message: error.message })).not.toMatch(/hunter2|Traceback/);
  });

  it("GW-17 an answer that is not the contract's JSON is GATEWAY_BAD_RESPONSE", async () => {
    const html = await fake((_, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>login</html>');
    });
    const notJson = await gatewayError(clientFor(html.url).request({ method: 'GET', path: '/api/health' }));
    expect([notJson.code, notJson.status]).toEqual(['GATEWAY_BAD_RESPONSE', 502]);
    const wrongShape = await fake((_, response) => json(response, 200, { rows: [] }));
    const shape = await gatewayError(new RestGateway(clientFor(wrongShape.url), { authorization: 'Bearer k' }).list('sale_order'));
    expect([shape.code, shape.status]).toEqual(['GATEWAY_BAD_RESPONSE', 502]);
  });

  it('GW-18 an answer above the size cap is refused', async () => {
    const huge = await fake((_, response) => json(response, 200, { status: 'x'.repeat(10_000) }));
    const error = await gatewayError(clientFor(huge.url, { maxResponseBytes: 1000 }).request({ method: 'GET', path: '/api/health' }));
    expect([error.code, error.status]).toEqual(['GATEWAY_BAD_RESPONSE', 502]);
    // Without a Content-Length (chunked), the cap holds while reading.
    const chunked = await fake((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 10; i++) response.write(`${i === 0 ? '{"status":"' : ''}${'x'.repeat(500)}`);
      response.end('"}');
    });
    const streamed = await gatewayError(clientFor(chunked.url, { maxResponseBytes: 1000 }).request({ method: 'GET', path: '/api/health' }));
    expect([streamed.code, streamed.status]).toEqual(['GATEWAY_BAD_RESPONSE', 502]);
    const small = await clientFor(chunked.url, { maxResponseBytes: 100_000 }).request({ method: 'GET', path: '/api/health' });
    expect((small.body as { status: string }).status).toHaveLength(5000);
  });

  it('GW-19 a cancelled caller cancels the request (GATEWAY_ABORTED)', async () => {
    const slow = await fake((_, response) => {
      setTimeout(() => json(response, 200, { status: 'ok' }), 2000).unref();
    });
    const controller = new AbortController();
    const pending = clientFor(slow.url).request({ method: 'GET', path: '/api/health', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await gatewayError(pending);
    expect(error.code).toBe('GATEWAY_ABORTED');
  });

  it('GW-20 identical GETs of one RestGateway are sent once; writes clear what was read', async () => {
    const page = { count: 0, total: 0, limit: 80, offset: 0, results: [] };
    const echo = await fake((request, response) =>
      request.method === 'GET' ? json(response, 200, page) : json(response, 201, { id: 1, record: { id: 1 } }),
    );
    const gateway = new RestGateway(clientFor(echo.url), { authorization: 'Bearer k' });
    await Promise.all([
      gateway.list('sale_order', { limit: 5 }),
      gateway.list('sale_order', { limit: 5 }),
      gateway.list('sale_order', { limit: 6 }),
    ]);
    expect(echo.requests).toHaveLength(2);
    await gateway.create('res_partner', { name: 'x' });
    await gateway.list('sale_order', { limit: 5 });
    expect(echo.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/sale_order?limit=5',
      'GET /api/sale_order?limit=6',
      'POST /api/res_partner',
      'GET /api/sale_order?limit=5',
    ]);
    // A new operation (a new RestGateway) reads afresh.
    await new RestGateway((gateway as unknown as { client: GatewayClient }).client, { authorization: 'Bearer k' }).list('sale_order', {
      limit: 5,
    });
    expect(echo.requests).toHaveLength(5);
  });

  it('GW-22 requestText gives a 2xx answer as its text; other statuses fail as request() fails; listRaw parses what it cannot pass on', async () => {
    const pretty = '{ "count": 1, "total": 1, "limit": 80, "offset": 0, "results": [{ "id": 1, "partner_id": [12, "Azure"] }] }';
    const canonical = '{"count":1,"total":1,"limit":80,"offset":0,"results":[{"id":1,"name":"x"}]}';
    const answers: Record<string, [number, string]> = {
      '/pretty': [200, pretty],
      '/canonical': [200, canonical],
      '/not-json': [200, 'not json'],
      '/refused': [403, '{"error":"no, you may not"}'],
      '/failed': [500, '{"error":"internal details"}'],
    };
    const gateway = await fake((request, response) => {
      const [status, text] = answers[request.url.split('?')[0]!] ?? [404, '{"error":"missing"}'];
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(text);
    });
    const client = clientFor(gateway.url, { cacheBytes: 0 });
    expect(await client.requestText({ method: 'GET', path: '/canonical' })).toEqual({ status: 200, text: canonical });
    expect(await client.requestText({ method: 'GET', path: '/not-json' })).toEqual({ status: 200, text: 'not json' });
    expect((await gatewayError(client.requestText({ method: 'GET', path: '/refused' }))).message).toBe('no, you may not');
    expect((await gatewayError(client.requestText({ method: 'GET', path: '/failed' }))).code).toBe('GATEWAY_HTTP_ERROR');
    const rest = (path: string) =>
      new RestGateway({ requestText: (request: GatewayRequest) => client.requestText({ ...request, path }) } as unknown as GatewayClient, {
        authorization: 'Bearer k',
      });
    expect(await rest('/canonical').listRaw('sale_order')).toEqual({
      count: 1,
      total: 1,
      limit: 80,
      offset: 0,
      resultsJson: '[{"id":1,"name":"x"}]',
    });
    // Not in JSON.stringify's form: parsed (the GraphQL face then shapes its many2one) as list() would.
    expect(await rest('/pretty').listRaw('sale_order')).toEqual(JSON.parse(pretty));
    expect((await gatewayError(rest('/not-json').listRaw('sale_order'))).code).toBe('GATEWAY_BAD_RESPONSE');
  });

  it('GW-21 options are checked', () => {
    expect(() => new GatewayClient({ url: 'ftp://example.com' })).toThrow(/invalid gateway URL/);
    expect(() => new GatewayClient({ url: 'http://127.0.0.1:1', timeout: 0 })).toThrow(/'timeout' must be a positive integer/);
  });
});

describe('loopbackUrl', () => {
  it('GW-30 a wildcard address becomes loopback, a specific one stays', () => {
    expect(loopbackUrl({ address: '0.0.0.0', family: 'IPv4', port: 4000 })).toBe('http://127.0.0.1:4000');
    expect(loopbackUrl({ address: '::', family: 'IPv6', port: 4001 })).toBe('http://[::1]:4001');
    expect(loopbackUrl({ address: '127.0.0.1', family: 'IPv4', port: 5 })).toBe('http://127.0.0.1:5');
    expect(loopbackUrl({ address: '::1', family: 'IPv6', port: 6 })).toBe('http://[::1]:6');
    expect(() => loopbackUrl(null)).toThrow(/known only after listen/);
  });
});
