/**
 * The one table of upstream failures (src/resilience/upstream-failures.ts): each failure's status and
 * message, the same for the gateway client (GraphQL face) and the backends' upstream clients (REST face);
 * undici's transport errors sorted into it; and an answer above the size cap refused by undici's
 * `maxResponseSize`, for real, on both faces.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { errors } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/backends/errors.js';
import { UpstreamClient } from '../../src/backends/proxy/upstream-client.js';
import { upstreamError, upstreamFailure } from '../../src/backends/upstream-failure.js';
import { GatewayClient } from '../../src/gateway/gateway-client.js';
import { GatewayError, gatewayFailure } from '../../src/gateway/gateway-error.js';
import {
  isUpstreamFailureName,
  STATUS_BY_UPSTREAM_FAILURE_NAME,
  transportFailureKind,
  UPSTREAM_FAILURES,
  type UpstreamFailureKind,
} from '../../src/resilience/upstream-failures.js';
import { toApiError } from '../../src/rest/api-error.js';

const servers: Server[] = [];
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

async function serve(handler: (response: ServerResponse) => void): Promise<string> {
  const server = createServer((_request, response) => handler(response));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

async function rejection<E>(promise: Promise<unknown>, type: new (...args: any[]) => E): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

/** 5000 bytes of JSON, sent with a Content-Length or in chunks without one. */
const LARGE = JSON.stringify({ status: 'x'.repeat(5000) });
const declared = (response: ServerResponse) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(LARGE) });
  response.end(LARGE);
};
const chunked = (response: ServerResponse) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  for (let i = 0; i < LARGE.length; i += 500) response.write(LARGE.slice(i, i + 500));
  response.end();
};

describe('the table of upstream failures', () => {
  it('UT-01 each failure has one status, whichever face reports it', () => {
    const rows = Object.entries(UPSTREAM_FAILURES).map(([kind, row]) => [
      kind,
      row.status,
      'backendName' in row ? row.backendName : undefined,
      row.gatewayCode,
    ]);
    expect(rows).toEqual([
      ['UNREACHABLE', 502, 'upstream_unreachable', 'GATEWAY_UNREACHABLE'],
      ['TIMEOUT', 504, 'upstream_timeout', 'GATEWAY_TIMEOUT'],
      ['TOO_LARGE', 502, 'upstream_unreachable', 'GATEWAY_BAD_RESPONSE'],
      ['BAD_ANSWER', 502, 'upstream_unreachable', 'GATEWAY_BAD_RESPONSE'],
      ['OVERLOADED', 503, 'upstream_overloaded', 'GATEWAY_OVERLOADED'],
      ['ABORTED', 499, undefined, 'GATEWAY_ABORTED'],
    ]);
    expect(STATUS_BY_UPSTREAM_FAILURE_NAME).toEqual({ upstream_unreachable: 502, upstream_timeout: 504, upstream_overloaded: 503 });
    for (const kind of Object.keys(UPSTREAM_FAILURES) as UpstreamFailureKind[]) {
      const error = gatewayFailure(kind, 1);
      expect([error.code, error.status]).toEqual([UPSTREAM_FAILURES[kind].gatewayCode, UPSTREAM_FAILURES[kind].status]);
    }
  });

  it('UT-02 the REST face answers the BackendError of each failure with its status (Retry-After on 503)', () => {
    for (const kind of ['UNREACHABLE', 'TIMEOUT', 'TOO_LARGE', 'BAD_ANSWER', 'OVERLOADED'] as const) {
      const error = upstreamError(kind, 'the Odoo server', 7);
      expect(error).toBeInstanceOf(BackendError);
      expect(toApiError(error).status).toBe(UPSTREAM_FAILURES[kind].status);
    }
    expect(toApiError(upstreamError('OVERLOADED', 'the Odoo server', 7)).headers).toEqual({ 'retry-after': '1' });
    // Transport failures are not Odoo exceptions.
    expect(['upstream_unreachable', 'upstream_timeout', 'upstream_overloaded'].every(isUpstreamFailureName)).toBe(true);
    expect(['odoo.exceptions.AccessError', 'unknown_model', 'constructor', 'toString'].some(isUpstreamFailureName)).toBe(false);
  });

  it('UT-03 messages name the upstream by its role and say what happened', () => {
    expect(upstreamError('UNREACHABLE', 'the Odoo server', 'ECONNREFUSED').message).toBe('the Odoo server is unreachable (ECONNREFUSED)');
    expect(upstreamError('TIMEOUT', 'the Odoo server', 200).message).toBe('the Odoo server did not answer within 200 ms');
    expect(upstreamError('TOO_LARGE', 'the Odoo server', 1000).message).toBe('the Odoo server sent an answer larger than 1000 bytes');
    expect(upstreamError('OVERLOADED', 'the upstream REST gateway', 1).message).toBe(
      'the upstream REST gateway has too many requests waiting (1): retry in a moment',
    );
    expect(gatewayFailure('UNREACHABLE').message).toBe('the REST gateway is unreachable');
    expect(gatewayFailure('TIMEOUT', 200).message).toBe('the REST gateway did not answer within 200 ms');
    expect(gatewayFailure('ABORTED').message).toBe('the request to the REST gateway was cancelled');
  });

  it("UT-04 undici's transport errors, by their codes (on the error or its cause)", () => {
    const cases: Array<[unknown, string]> = [
      [new errors.ConnectTimeoutError(), 'TIMEOUT'],
      [new errors.HeadersTimeoutError(), 'TIMEOUT'],
      [new errors.BodyTimeoutError(), 'TIMEOUT'],
      [new errors.ResponseExceededMaxSizeError(), 'TOO_LARGE'],
      [new errors.RequestAbortedError(), 'ABORTED'],
      [new DOMException('cancelled', 'AbortError'), 'ABORTED'],
      [new DOMException('too slow', 'TimeoutError'), 'TIMEOUT'],
      [new errors.SocketError('other side closed'), 'UNREACHABLE'],
      [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'UNREACHABLE'],
      [new Error('fetch failed', { cause: Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }) }), 'TIMEOUT'],
      [new Error('no code at all'), 'UNREACHABLE'],
    ];
    for (const [error, kind] of cases) expect([String(error), transportFailureKind(error)]).toEqual([String(error), kind]);
    const limits = { timeoutMs: 300, maxResponseBytes: 1000 };
    expect(upstreamFailure(new errors.ResponseExceededMaxSizeError(), 'the Odoo server', limits)).toMatchObject({
      odooName: 'upstream_unreachable',
      message: 'the Odoo server sent an answer larger than 1000 bytes',
    });
    expect(upstreamFailure(new errors.HeadersTimeoutError(), 'the Odoo server', limits)).toMatchObject({
      odooName: 'upstream_timeout',
      message: 'the Odoo server did not answer within 300 ms',
    });
    expect(upstreamFailure(new Error('?'), 'the Odoo server', limits)).toMatchObject({
      odooName: 'upstream_unreachable',
      message: 'the Odoo server is unreachable (unknown error)',
    });
  });
});

describe("an answer above the size cap: undici's maxResponseSize, our error", () => {
  it("UT-10 the gateway client: GATEWAY_BAD_RESPONSE (502) with or without a Content-Length, its cause undici's error when counted", async () => {
    for (const [what, handler] of [
      ['declared', declared],
      ['chunked', chunked],
    ] as const) {
      const client = new GatewayClient({ url: await serve(handler), maxResponseBytes: 1000, retries: 0 });
      closers.push(() => client.close());
      const error = await rejection(client.request({ method: 'GET', path: '/api/health' }), GatewayError);
      expect([what, error.code, error.status, error.message]).toEqual([
        what,
        'GATEWAY_BAD_RESPONSE',
        502,
        'the REST gateway sent an answer larger than 1000 bytes',
      ]);
      if (what === 'chunked') expect((error.cause as { code?: string }).code).toBe('UND_ERR_RES_EXCEEDED_MAX_SIZE');
    }
    // Within the cap, the whole answer.
    const roomy = new GatewayClient({ url: await serve(chunked), maxResponseBytes: 100_000 });
    closers.push(() => roomy.close());
    expect(((await roomy.request({ method: 'GET', path: '/api/health' })).body as { status: string }).status).toHaveLength(5000);
  });

  it('UT-11 a 5xx that declares a length above the cap is refused as too large too, its body unread', async () => {
    const client = new GatewayClient({
      url: await serve((response) => {
        response.writeHead(500, { 'content-type': 'text/plain', 'content-length': 5000 });
        response.end('x'.repeat(5000));
      }),
      maxResponseBytes: 1000,
      retries: 0,
    });
    closers.push(() => client.close());
    const error = await rejection(client.request({ method: 'GET', path: '/api/health' }), GatewayError);
    expect([error.code, error.status]).toEqual(['GATEWAY_BAD_RESPONSE', 502]);
  });

  it("UT-12 the proxy's upstream client: upstream_unreachable (502) with or without a Content-Length", async () => {
    for (const [what, handler] of [
      ['declared', declared],
      ['chunked', chunked],
    ] as const) {
      const client = new UpstreamClient({ url: await serve(handler), maxResponseBytes: 1000 });
      closers.push(() => client.close());
      const error = await rejection(client.forward({ method: 'GET', pathAndQuery: '/api/health', headers: {} }), BackendError);
      expect([what, error.odooName, error.message, toApiError(error).status]).toEqual([
        what,
        'upstream_unreachable',
        'the upstream REST gateway sent an answer larger than 1000 bytes',
        502,
      ]);
      expect((error.cause as { code?: string }).code).toBe('UND_ERR_RES_EXCEEDED_MAX_SIZE');
    }
    const roomy = new UpstreamClient({ url: await serve(chunked), maxResponseBytes: 100_000 });
    closers.push(() => roomy.close());
    expect((await roomy.forward({ method: 'GET', pathAndQuery: '/api/health', headers: {} })).body.toString()).toBe(LARGE);
  });
});
