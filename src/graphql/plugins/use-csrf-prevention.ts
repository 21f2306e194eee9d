/**
 * CSRF prevention for cookie-authenticated GraphQL (as Apollo Server's and yoga's own plugins do it,
 * limited to the requests at risk). A browser sends the `session_id` cookie with a cross-site POST only
 * as a "simple" request: content type `text/plain`, `application/x-www-form-urlencoded`,
 * `multipart/form-data` or none, and no custom header. Such a POST that carries the session cookie and
 * no `Authorization` is refused (403, code `CSRF_PREVENTED`) unless it sends one of `requestHeaders`
 * (e.g. `x-graphql-csrf: 1`), which no other site can add without a CORS preflight that this server
 * does not grant. JSON POSTs (GraphiQL, Apollo Client, curl) and Bearer-key requests pass unchanged;
 * GET can only run queries, which change nothing.
 */
import type { Plugin } from 'graphql-yoga';
import { sessionCookiePair } from '../../gateway/credentials.js';

export const CSRF_REQUEST_HEADERS = ['x-graphql-csrf', 'apollo-require-preflight', 'x-apollo-operation-name', 'graphql-preflight'] as const;

const SIMPLE_CONTENT_TYPES = new Set(['', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

export const CSRF_MESSAGE =
  "cross-site request refused: a POST authenticated by the session cookie must send 'Content-Type: application/json' " +
  `or one of the headers ${CSRF_REQUEST_HEADERS.join(', ')}`;

export function useCsrfPrevention(requestHeaders: readonly string[] = CSRF_REQUEST_HEADERS): Plugin {
  return {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- yoga's endResponse is a closure, not a method
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST' || request.headers.has('authorization')) return;
      if (sessionCookiePair(request.headers.get('cookie') ?? undefined) === undefined) return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!SIMPLE_CONTENT_TYPES.has(type)) return;
      if (requestHeaders.some((name) => (request.headers.get(name) ?? '') !== '')) return;
      endResponse(
        new fetchAPI.Response(JSON.stringify({ errors: [{ message: CSRF_MESSAGE, extensions: { code: 'CSRF_PREVENTED' } }] }), {
          status: 403,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        }),
      );
    },
  };
}
