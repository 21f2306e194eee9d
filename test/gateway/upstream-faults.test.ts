/**
 * Upstream faults, for real (issue 7): the gateway client, the Odoo client and the proxy's upstream
 * client against servers on 127.0.0.1 that refuse, reset, hang, answer slowly, drop the connection
 * mid-body or answer garbage. Reads (GET; Odoo's read-only calls) are retried a bounded number of times
 * with backoff when nothing usable came back, writes never; a slow upstream is not retried; a full
 * pool and queue answers 503 at once. The basic timeout and unreachable cases are GW-14/15 and PX-50/51.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { OdooClient, isReadOnlyCall } from '../../src/backends/odoo/odoo-client.js';
import { UpstreamClient } from '../../src/backends/proxy/upstream-client.js';
import { BackendError } from '../../src/backends/errors.js';
import { testConfig } from '../../src/config.js';
import { GatewayClient, type GatewayRequestEvent } from '../../src/gateway/gateway-client.js';
import { GatewayError } from '../../src/gateway/gateway-error.js';
import { toApiError } from '../../src/rest/api-error.js';
import {
  badGateway,
  dropMidBody,
  firstThen,
  hang,
  json,
  refusingUrl,
  reset,
  slow,
  startGarbageServer,
  startMisbehaving,
  type Behaviour,
  type Misbehaving,
} from '../helpers/misbehaving-server.js';
import { freshDataDir } from '../helpers/server.js';

const servers: Misbehaving[] = [];
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await Promise.all(servers.map((s) => s.close()));
});

async function upstream(behaviour: Behaviour): Promise<Misbehaving> {
  const server = await startMisbehaving(behaviour);
  servers.push(server);
  return server;
}

function gatewayClient(url: string, options: Partial<ConstructorParameters<typeof GatewayClient>[0]> = {}) {
  const events: GatewayRequestEvent[] = [];
  const client = new GatewayClient({ url, retryBackoffMs: 20, observer: { requestDone: (e) => events.push(e) }, ...options });
  closers.push(() => client.close());
  return { client, events };
}

async function failure<E>(promise: Promise<unknown>, type: new (...args: any[]) => E): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

const OK_PAGE = (_n: number, _request: unknown, response: Parameters<Behaviour>[2]) => json(response, 200, { status: 'ok' });
const GET = { method: 'GET', path: '/api/health' } as const;
const POST = { method: 'POST', path: '/api/res_partner', body: { name: 'x' } } as const;

describe('GatewayClient: reads retried, writes never', () => {
  it('UF-01 refused: a GET is tried 1 + 2 times with backoff, then GATEWAY_UNREACHABLE (502)', async () => {
    const { client, events } = gatewayClient(await refusingUrl());
    const started = Date.now();
    const error = await failure(client.request(GET), GatewayError);
    expect([error.code, error.status]).toEqual(['GATEWAY_UNREACHABLE', 502]);
    expect(events).toEqual([expect.objectContaining({ method: 'GET', code: 'GATEWAY_UNREACHABLE', retries: 2 })]);
    // Backoff 20 ms then 40 ms, each at least half of that.
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    const post = await failure(client.request(POST), GatewayError);
    expect(post.code).toBe('GATEWAY_UNREACHABLE');
    expect(events[1]).toMatchObject({ method: 'POST', retries: 0 });
  });

  it('UF-02 reset twice, then answered: the GET succeeds on its third try; a reset POST is sent once', async () => {
    const flaky = await upstream(firstThen(2, reset, OK_PAGE));
    const { client, events } = gatewayClient(flaky.url);
    expect((await client.request(GET)).body).toEqual({ status: 'ok' });
    expect([flaky.seen(), events[0]?.retries]).toEqual([3, 2]);
    const resetting = await upstream(reset);
    const error = await failure(gatewayClient(resetting.url).client.request(POST), GatewayError);
    expect([error.code, resetting.seen()]).toEqual(['GATEWAY_UNREACHABLE', 1]);
  });

  it('UF-03 hanging: GATEWAY_TIMEOUT (504) after the timeout, not retried (waiting again would only double the wait)', async () => {
    const hanging = await upstream(hang);
    const started = Date.now();
    const error = await failure(gatewayClient(hanging.url, { timeout: 200 }).client.request(GET), GatewayError);
    expect([error.code, error.status, hanging.seen()]).toEqual(['GATEWAY_TIMEOUT', 504, 1]);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('UF-04 slow but within the timeout: answered, once', async () => {
    const slowServer = await upstream(slow(300, OK_PAGE));
    expect((await gatewayClient(slowServer.url, { timeout: 5000 }).client.request(GET)).body).toEqual({ status: 'ok' });
    expect(slowServer.seen()).toBe(1);
  });

  it('UF-05 dropped mid-body: the GET is retried, then 502; the POST is not', async () => {
    const dropping = await upstream(dropMidBody);
    const error = await failure(gatewayClient(dropping.url).client.request(GET), GatewayError);
    expect([error.code, error.status, dropping.seen()]).toEqual(['GATEWAY_UNREACHABLE', 502, 3]);
    const droppingWrites = await upstream(dropMidBody);
    await failure(gatewayClient(droppingWrites.url).client.request(POST), GatewayError);
    expect(droppingWrites.seen()).toBe(1);
    const recovering = await upstream(firstThen(1, dropMidBody, OK_PAGE));
    expect((await gatewayClient(recovering.url).client.request(GET)).body).toEqual({ status: 'ok' });
  });

  it('UF-06 garbage: bytes that are not HTTP, or HTML for JSON, fail at once (502), never retried', async () => {
    const garbage = await startGarbageServer();
    servers.push(garbage);
    const error = await failure(gatewayClient(garbage.url).client.request(GET), GatewayError);
    expect([error.status, garbage.seen()]).toEqual([502, 1]);
    const html = await upstream((_n, _request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>login</html>');
    });
    const bad = await failure(gatewayClient(html.url).client.request(GET), GatewayError);
    expect([bad.code, html.seen()]).toEqual(['GATEWAY_BAD_RESPONSE', 1]);
  });

  it('UF-07 502/503 from the gateway: a GET tries again, a POST does not; a 500 is never retried', async () => {
    const unavailable = await upstream(firstThen(2, (_n, _r, response) => json(response, 503, { error: 'busy' }), OK_PAGE));
    expect((await gatewayClient(unavailable.url).client.request(GET)).body).toEqual({ status: 'ok' });
    expect(unavailable.seen()).toBe(3);
    const failing = await upstream((_n, _r, response) => json(response, 503, { error: 'busy' }));
    const post = await failure(gatewayClient(failing.url).client.request(POST), GatewayError);
    expect([post.code, post.status, failing.seen()]).toEqual(['GATEWAY_HTTP_ERROR', 503, 1]);
    const broken = await upstream((_n, _r, response) => json(response, 500, { error: 'bug' }));
    await failure(gatewayClient(broken.url).client.request(GET), GatewayError);
    expect(broken.seen()).toBe(1);
  });

  it('UF-08 a retry waits no longer than the caller: aborting during the backoff ends it', async () => {
    const { client } = gatewayClient(await refusingUrl(), { retryBackoffMs: 5000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    await failure(client.request({ ...GET, signal: controller.signal }), GatewayError);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('bounded pool and queue: a slow upstream cannot exhaust the process', () => {
  it('UF-10 GatewayClient: past connections + maxQueue requests, GATEWAY_OVERLOADED (503) at once', async () => {
    const hanging = await upstream(hang);
    const { client } = gatewayClient(hanging.url, { connections: 2, maxQueue: 1, timeout: 60_000 });
    const controller = new AbortController();
    // Different reads: identical ones of one caller would share one request (gateway-client.ts).
    const held = Array.from({ length: 3 }, (_, i) =>
      client.request({ ...GET, query: `n=${i}`, signal: controller.signal }).catch((e: unknown) => e),
    );
    const started = Date.now();
    const refused = await failure(client.request({ ...GET, query: 'n=3' }), GatewayError);
    expect([refused.code, refused.status]).toEqual(['GATEWAY_OVERLOADED', 503]);
    expect(Date.now() - started).toBeLessThan(100);
    expect(client.stats).toMatchObject({ inFlight: 3, capacity: 3 });
    controller.abort();
    await Promise.all(held);
    expect(client.stats.inFlight).toBe(0);
  });

  it('UF-11 GraphQL over a stuck gateway: the field past the queue is SERVICE_UNAVAILABLE (HTTP 503, Retry-After) at once', async () => {
    const hanging = await upstream(hang);
    // An embedded app: its database in a temporary folder (the default DATA_DIR, ./data, is the repository's).
    const dataDir = freshDataDir();
    const app = await createApp(
      testConfig({
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
        GATEWAY_URL: hanging.url,
        GATEWAY_CONNECTIONS: 1,
        GATEWAY_QUEUE: 0,
        GATEWAY_TIMEOUT_MS: 5_000,
      }),
    );
    closers.push(async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const url = await app.server.listen({ host: '127.0.0.1', port: 0 });
    const started = Date.now();
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ a: records(slug: "sale_order") { total } b: records(slug: "crm_lead") { total } }' }),
    });
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    // The first error ends the operation (every field is non-null): the refused one, at once, not the stuck one.
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
    // Before the stuck field could have timed out: the refusal did not wait for it (no wall-clock bound
    // tighter than that, which a loaded machine breaks).
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('UF-12 BACKEND=proxy: past the upstream pool and queue, 503 {"error"} with Retry-After', async () => {
    const hanging = await upstream(hang);
    const client = new UpstreamClient({ url: hanging.url, connections: 1, maxQueue: 0, timeout: 1000 });
    const app = await createApp(testConfig({ LOG_LEVEL: 'silent', BACKEND: 'proxy', UPSTREAM_URL: hanging.url }), { upstream: client });
    closers.push(() => app.close());
    const url = await app.server.listen({ host: '127.0.0.1', port: 0 });
    const stuck = fetch(`${url}/api/sale_order`).then((r) => r.status);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refused = await fetch(`${url}/api/sale_order`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ error: 'the upstream REST gateway has too many requests waiting (1): retry in a moment' });
    expect(await stuck).toBe(504);
  });
});

describe('OdooClient: read-only calls retried, writes never', () => {
  const read = {
    service: 'object',
    method: 'execute_kw',
    args: ['odoo', 2, 'key', 'res.partner', 'search_read', [[]], { fields: ['name'] }],
  };
  const create = { service: 'object', method: 'execute_kw', args: ['odoo', 2, 'key', 'res.partner', 'create', [{ name: 'x' }], {}] };
  const RESULT: Behaviour = (_n, _r, response) => json(response, 200, { jsonrpc: '2.0', id: 1, result: [{ id: 1, name: 'A' }] });
  const odoo = (url: string, options: Partial<ConstructorParameters<typeof OdooClient>[0]> = {}) => {
    const client = new OdooClient({ url, retryBackoffMs: 20, ...options });
    closers.push(() => client.close());
    return client;
  };

  it('OF-01 which calls are read-only', () => {
    expect(isReadOnlyCall('/jsonrpc', read)).toBe(true);
    expect(isReadOnlyCall('/jsonrpc', create)).toBe(false);
    expect(isReadOnlyCall('/jsonrpc', { service: 'common', method: 'version', args: [] })).toBe(true);
    expect(isReadOnlyCall('/jsonrpc', { service: 'common', method: 'authenticate', args: [] })).toBe(false);
    expect(isReadOnlyCall('/web/dataset/call_kw/sale.order/read', { model: 'sale.order', method: 'read' })).toBe(true);
    expect(isReadOnlyCall('/web/dataset/call_kw/sale.order/write', { model: 'sale.order', method: 'write' })).toBe(false);
    expect(isReadOnlyCall('/web/session/get_session_info', {})).toBe(true);
    expect(isReadOnlyCall('/web/session/authenticate', {})).toBe(false);
    expect(isReadOnlyCall('/web/session/destroy', {})).toBe(false);
  });

  it('OF-02 reset, then answered: a read succeeds on a later try; a create that was reset is sent once (502)', async () => {
    const flaky = await upstream(firstThen(2, reset, RESULT));
    expect((await odoo(flaky.url).jsonRpc('/jsonrpc', read)).result).toEqual([{ id: 1, name: 'A' }]);
    expect(flaky.seen()).toBe(3);
    const resetting = await upstream(reset);
    const error = await failure(odoo(resetting.url).jsonRpc('/jsonrpc', create), BackendError);
    expect([error.odooName, resetting.seen()]).toEqual(['upstream_unreachable', 1]);
  });

  it('OF-03 a 502 page from a proxy in front of Odoo: a read tries again; a create is not repeated', async () => {
    const recovering = await upstream(firstThen(1, badGateway, RESULT));
    expect((await odoo(recovering.url).jsonRpc('/jsonrpc', read)).result).toEqual([{ id: 1, name: 'A' }]);
    expect(recovering.seen()).toBe(2);
    const down = await upstream(badGateway);
    const error = await failure(odoo(down.url).jsonRpc('/jsonrpc', create), BackendError);
    expect([error.odooName, down.seen()]).toEqual(['upstream_unreachable', 1]);
    expect(toApiError(error).status).toBe(502);
  });

  it('OF-04 hanging: 504 after the timeout, not retried', async () => {
    const hanging = await upstream(hang);
    const error = await failure(odoo(hanging.url, { timeout: 200 }).jsonRpc('/jsonrpc', read), BackendError);
    expect([error.odooName, hanging.seen(), toApiError(error).status]).toEqual(['upstream_timeout', 1, 504]);
  });

  it('OF-05 dropped mid-body: a read is retried (1 + 2 tries), then 502', async () => {
    const dropping = await upstream(dropMidBody);
    const error = await failure(odoo(dropping.url).jsonRpc('/jsonrpc', read), BackendError);
    expect([error.odooName, dropping.seen()]).toEqual(['upstream_unreachable', 3]);
  });

  it('OF-06 garbage (not HTTP): 502 at once', async () => {
    const garbage = await startGarbageServer();
    servers.push(garbage);
    const error = await failure(odoo(garbage.url).jsonRpc('/jsonrpc', read), BackendError);
    expect([toApiError(error).status, garbage.seen()]).toEqual([502, 1]);
  });

  it('OF-07 past connections + maxQueue: 503 upstream_overloaded at once, with Retry-After in REST', async () => {
    const hanging = await upstream(hang);
    const client = odoo(hanging.url, { connections: 1, maxQueue: 0, timeout: 1000 });
    const stuck = client.jsonRpc('/jsonrpc', read).catch((e: unknown) => e);
    const error = await failure(client.jsonRpc('/jsonrpc', read), BackendError);
    expect(error.odooName).toBe('upstream_overloaded');
    expect(client.stats).toMatchObject({ inFlight: 1, capacity: 1 });
    const api = toApiError(error);
    expect([api.status, api.headers]).toEqual([503, { 'retry-after': '1' }]);
    expect(await stuck).toBeInstanceOf(BackendError);
  });
});
