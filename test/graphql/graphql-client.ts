/**
 * A small GraphQL-over-HTTP client for tests: POST /graphql as a demo user (Bearer key), as a session
 * (cookie), or anonymously, returning status, headers and the parsed body.
 */
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
