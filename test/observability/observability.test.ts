/**
 * What an operator sees (issue 7): a request id on every answer and log line, carried to the gateway;
 * pino JSON logs; Prometheus metrics at /metrics; /readyz asking the backend; /api/health as the
 * contract says.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { EmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { testConfig } from '../../src/config.js';
import { metricsAccess } from '../../src/startup-checks.js';
import { json, startFakeGateway } from '../gateway/fake-gateway.js';
import { refusingUrl } from '../helpers/misbehaving-server.js';
import { freshDataDir, startServer } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { spawnServer } from '../helpers/spawn-server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const server = useServer();

describe('request ids', () => {
  it('OB-01 a sane X-Request-Id is kept and answered; a missing or unreasonable one is replaced by a new UUID', async () => {
    const kept = await server.request('admin', 'GET', '/api/sale_order?limit=1', undefined, { 'x-request-id': 'checkout-7f3a:42' });
    expect(kept.headers.get('x-request-id')).toBe('checkout-7f3a:42');
    const none = await server.request(null, 'GET', '/api/health');
    expect(none.headers.get('x-request-id')).toMatch(UUID);
    expect((await server.request(null, 'GET', '/api/health')).headers.get('x-request-id')).not.toBe(none.headers.get('x-request-id'));
    for (const bad of ['x'.repeat(129), 'has spaces', 'new\\nline', '<script>']) {
      const answer = await server.request(null, 'GET', '/api/no_such', undefined, { 'x-request-id': bad });
      expect(answer.headers.get('x-request-id'), bad).toMatch(UUID);
    }
  });

  it("OB-02 the GraphQL face sends the request's id with its gateway calls, and answers it", async () => {
    const page = { count: 0, total: 0, limit: 80, offset: 0, results: [] };
    const gateway = await startFakeGateway((_request, response) => json(response, 200, page));
    const app = await createApp(testConfig({ LOG_LEVEL: 'silent', GATEWAY_URL: gateway.url, DATA_DIR: freshDataDir() }));
    try {
      const url = await app.server.listen({ host: '127.0.0.1', port: 0 });
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json', 'x-request-id': 'trace-42' },
        body: JSON.stringify({ query: '{ a: records(slug: "sale_order") { total } b: records(slug: "crm_lead") { total } }' }),
      });
      expect(response.headers.get('x-request-id')).toBe('trace-42');
      expect(gateway.requests.map((r) => r.headers['x-request-id'])).toEqual(['trace-42', 'trace-42']);
    } finally {
      await app.close();
      await gateway.close();
    }
  });

  it('OB-04 BACKEND=proxy sends the request id upstream with the forwarded request', async () => {
    const upstream = await startFakeGateway((_request, response) => json(response, 200, { status: 'ok' }));
    const app = await createApp(testConfig({ LOG_LEVEL: 'silent', BACKEND: 'proxy', UPSTREAM_URL: upstream.url }));
    try {
      const url = await app.server.listen({ host: '127.0.0.1', port: 0 });
      const answer = await fetch(`${url}/api/health`, { headers: { 'x-request-id': 'proxied-7' } });
      expect(answer.headers.get('x-request-id')).toBe('proxied-7');
      expect(upstream.requests[0]?.headers['x-request-id']).toBe('proxied-7');
    } finally {
      await app.close();
      await upstream.close();
    }
  });

  it('OB-03 pino JSON logs: a GraphQL request and its self-gateway hops share one reqId (ACCESS_LOG=true)', async () => {
    const dataDir = freshDataDir();
    const backend = new EmbeddedBackend({ dataDir, dbName: 'odoo', demo: true });
    const key = backend.createApiKey('admin', 'logs');
    backend.db.close();
    const spawned = await spawnServer({ DATA_DIR: dataDir, LOG_LEVEL: 'info', ACCESS_LOG: 'true' });
    try {
      await fetch(`${spawned.url}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-request-id': 'log-trace-1' },
        body: JSON.stringify({ query: 'query Two { a: records(slug: "sale_order", limit: 1) { total } me { login } }' }),
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const lines = spawned
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const traced = lines.filter((l) => l.reqId === 'log-trace-1' && l.msg === 'request completed');
      expect(traced.map((l) => [l.route, l.internal]).sort()).toEqual([
        ['/api/:slug', true],
        ['/graphql', false],
        ['/web/session/get_session_info', true],
      ]);
      expect(traced.every((l) => typeof l.time === 'number' && l.level === 30 && typeof l.ms === 'number')).toBe(true);
    } finally {
      await spawned.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('/metrics', () => {
  it('OB-10 Prometheus text: requests and latency per REST route, GraphQL operations and error codes, gateway calls, pool usage, process', async () => {
    await server.request('demo', 'GET', '/api/crm_lead?limit=2');
    await server.request('demo', 'GET', '/api/crm_lead/999999');
    await server.request('admin', 'POST', '/graphql', { query: 'query LeadCount { records(slug: "crm_lead", limit: 1) { total } }' });
    await server.request('admin', 'POST', '/graphql', { query: 'query Missing { record(slug: "crm_lead", id: 999999) }' });
    const metrics = await server.request(null, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = metrics.text;
    expect(text).toMatch(/^http_requests_total\{route="\/api\/:slug",method="GET",status="200",internal="false"\} [1-9]/m);
    expect(text).toMatch(/^http_requests_total\{route="\/api\/:slug\/:id",method="GET",status="404",internal="false"\} 1$/m);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0\.1",route="\/api\/:slug",method="GET",internal="false"\} [1-9]/m);
    expect(text).toMatch(/^http_requests_total\{route="\/api\/:slug",method="GET",status="200",internal="true"\} [1-9]/m);
    expect(text).toMatch(/^graphql_operations_total\{operation="LeadCount",type="query",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^graphql_operations_total\{operation="Missing",type="query",outcome="error"\} 1$/m);
    expect(text).toMatch(/^graphql_operation_duration_seconds_count\{operation="LeadCount",type="query"\} 1$/m);
    expect(text).toMatch(/^graphql_errors_total\{code="NOT_FOUND"\} [1-9]/m);
    expect(text).toMatch(/^gateway_requests_total\{method="GET",outcome="200"\} [1-9]/m);
    expect(text).toMatch(/^gateway_requests_total\{method="GET",outcome="404"\} [1-9]/m);
    expect(text).toMatch(/^gateway_request_duration_seconds_count\{method="GET"\} [1-9]/m);
    expect(text).toMatch(/^http_client_pool\{pool="gateway",state="connected"\} [1-9]/m);
    expect(text).toMatch(/^http_client_pool\{pool="gateway",state="capacity"\} 320$/m);
    expect(text).toMatch(/^process_resident_memory_bytes [1-9]/m);
  });

  it('OB-12 on loopback (the default) /metrics stays open: no token asked for', async () => {
    expect(server.app.config.HOST).toBe('127.0.0.1');
    const open = await server.request(null, 'GET', '/metrics');
    expect(open.status).toBe(200);
    expect(open.text).toMatch(/^process_resident_memory_bytes /m);
  });

  it('OB-13 HOST beyond loopback without METRICS_TOKEN: /metrics is not served, and the start says why', async () => {
    expect(metricsAccess(testConfig({ HOST: '0.0.0.0' }))).toEqual({
      served: false,
      warning: expect.stringMatching(/\/metrics is not served: HOST=0\.0\.0\.0 is not loopback and METRICS_TOKEN is not set/),
    });
    expect(metricsAccess(testConfig({ HOST: '10.1.2.3', METRICS: false }))).toEqual({ served: false });
    // Listening on 127.0.0.1 here, configured as it would be for the network.
    const exposed = await startServer({ HOST: '0.0.0.0' });
    try {
      for (const authorization of [undefined, 'Bearer anything-at-all-123456']) {
        const answer = await exposed.request(null, 'GET', '/metrics', undefined, authorization ? { authorization } : {});
        expect([answer.status, answer.body], answer.text.slice(0, 100)).toEqual([404, { error: 'no route GET /metrics' }]);
      }
      expect(exposed.app.metrics).toBeUndefined();
      expect((await exposed.request(null, 'GET', '/api/health')).status).toBe(200);
    } finally {
      await exposed.close();
    }
  });

  it('OB-14 with METRICS_TOKEN (beyond loopback, or on it): 200 only to the right Bearer token, else 401 {"error"}', async () => {
    const token = 'metrics-0123456789-abcdef';
    for (const host of ['0.0.0.0', '127.0.0.1']) {
      const guarded = await startServer({ HOST: host, METRICS_TOKEN: token });
      try {
        const wrong = [
          undefined,
          'Bearer',
          `Bearer ${token}x`,
          `Bearer ${token.slice(0, -1)}`,
          `Bearer ${'m'.repeat(token.length)}`,
          `Basic ${Buffer.from(`x:${token}`).toString('base64')}`,
          token,
        ];
        for (const authorization of wrong) {
          const answer = await guarded.request(null, 'GET', '/metrics', undefined, authorization ? { authorization } : {});
          expect([answer.status, answer.body], `${host} ${authorization}`).toEqual([
            401,
            { error: "metrics need 'Authorization: Bearer <METRICS_TOKEN>'" },
          ]);
          expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
          expect(answer.text).not.toMatch(/process_|nodejs_/);
        }
        const right = await guarded.request(null, 'GET', '/metrics', undefined, { authorization: `Bearer ${token}` });
        expect(right.status, host).toBe(200);
        expect(right.text).toMatch(/^process_resident_memory_bytes /m);
      } finally {
        await guarded.close();
      }
    }
  });

  it('OB-15 METRICS_TOKEN is at least 16 visible characters, and a refused one is not printed back', () => {
    expect(() => testConfig({ METRICS_TOKEN: 'short-secret' })).toThrow(/METRICS_TOKEN: expected at least 16 visible ASCII characters/);
    expect(() => testConfig({ METRICS_TOKEN: 'has a space in it, long enough' })).toThrow(/^(?![\s\S]*has a space)[\s\S]*METRICS_TOKEN/);
  });

  it('OB-11 METRICS=false: no /metrics route', async () => {
    const quiet = await startServer({ METRICS: false });
    try {
      expect((await quiet.request(null, 'GET', '/metrics')).status).toBe(404);
      expect(quiet.app.metrics).toBeUndefined();
    } finally {
      await quiet.close();
    }
  });
});

describe('/readyz and /api/health', () => {
  it('OB-20 ready when the backend answers; /api/health as the contract says', async () => {
    const ready = await server.request(null, 'GET', '/readyz');
    expect([ready.status, ready.body]).toEqual([200, { status: 'ready' }]);
    const health = await server.request(null, 'GET', '/api/health');
    expect([health.status, health.body]).toEqual([200, { status: 'ok' }]);
  });

  it('OB-21 503 {"status": "unavailable"} when the backend does not answer: an upstream that is down, a closed database', async () => {
    const app = await createApp(testConfig({ LOG_LEVEL: 'silent', BACKEND: 'proxy', UPSTREAM_URL: await refusingUrl() }));
    try {
      const url = await app.server.listen({ host: '127.0.0.1', port: 0 });
      const answer = await fetch(`${url}/readyz`);
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(await answer.json()).toEqual({ status: 'unavailable', error: 'the upstream REST gateway is unreachable (ECONNREFUSED)' });
      expect((await fetch(`${url}/api/health`)).status).toBe(502);
    } finally {
      await app.close();
    }
    const closing = await startServer();
    closing.backend.db.close();
    try {
      const answer = await closing.request(null, 'GET', '/readyz');
      expect([answer.status, answer.body.status]).toEqual([503, 'unavailable']);
    } finally {
      await closing.app.server.close();
    }
  });
});
