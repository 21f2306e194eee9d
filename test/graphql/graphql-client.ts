/**
 * A small GraphQL-over-HTTP client for tests: POST /graphql as a demo user (Bearer key), as a session
 * (cookie), or anonymously, returning status, headers and the parsed body.
 */
import { beforeAll, vi, type MockInstance } from 'vitest';
import type { GatewayRequest } from '../../src/gateway/gateway-client.js';
import type { TestResponse, TestServer } from '../helpers/server.js';

export type Caller = string | null | { readonly cookie: string };

export interface GraphQLResponse extends TestResponse {
  readonly body: {
    data?: Record<string, any> | null;
    errors?: Array<{ message: string; path?: readonly (string | number)[]; extensions?: Record<string, any> }>;
  };
}

export async function graphql(
  server: TestServer,
  caller: Caller,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  const login = typeof caller === 'string' ? caller : null;
  const extra = caller !== null && typeof caller === 'object' ? { cookie: caller.cookie, ...headers } : headers;
  return await server.request(login, 'POST', '/graphql', { query, ...(variables && { variables }) }, extra);
}

/** The error codes of a response, in order. */
export function codes(response: GraphQLResponse): unknown[] {
  return (response.body.errors ?? []).map((e) => e.extensions?.code);
}

/** Logs in through /web/session/authenticate and returns the `session_id=...` cookie pair. */
export async function sessionCookie(server: TestServer, login: string, password = login): Promise<string> {
  const response = await fetch(`${server.url}/web/session/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { db: 'odoo', login, password }, id: 1 }),
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error(`login as ${login} failed: ${await response.text()}`);
  return cookie;
}

/**
 * What `read` gives once it gives something (not undefined, not false), polled every 20 ms; an error naming
 * `what` after `ms`. For what arrives over a stream (a subscription's events, a count in /metrics).
 */
export async function until<T>(read: () => T | undefined | false, what: string, ms = 6000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** An operation's answer, with the gateway requests it made: `METHOD path?query` (decoded) and their count. */
export type RecordedResponse = GraphQLResponse & { requests: string[]; count: number };

/**
 * `run(caller, query, variables)`: runs an operation and records the REST requests the GraphQL face made for
 * it, through a spy on the server's gateway client (set in beforeAll: call this where you would write one).
 */
export function recordGatewayRequests(
  server: TestServer,
): (caller: Caller, query: string, variables?: Record<string, unknown>) => Promise<RecordedResponse> {
  // Both ways the gateway client asks: parsed answers, and answers passed on as text (`records`).
  let spies: Array<MockInstance<(request: GatewayRequest) => Promise<unknown>>> | undefined;
  beforeAll(() => {
    spies = [vi.spyOn(server.app.graphql.gateway, 'request'), vi.spyOn(server.app.graphql.gateway, 'requestText')];
  });
  return async (caller, query, variables) => {
    if (!spies) throw new Error('recordGatewayRequests(): run inside a test, after beforeAll');
    const before = server.app.graphql.gateway.requestCount;
    for (const spy of spies) spy.mockClear();
    const answer = await graphql(server, caller, query, variables);
    const calls = spies.flatMap((spy) => spy.mock.calls.map(([request], i) => ({ request, order: spy.mock.invocationCallOrder[i]! })));
    const requests = calls
      .sort((a, b) => a.order - b.order)
      .map(({ request }) => `${request.method} ${request.path}${request.query ? `?${decodeURIComponent(request.query)}` : ''}`);
    return Object.assign(answer, { requests, count: server.app.graphql.gateway.requestCount - before });
  };
}
