/**
 * GraphQL over HTTP conformance (graphql-http's server audits) of /graphql as mounted in the Fastify
 * instance that serves the REST routes: every MUST and SHOULD passes (and, today, every MAY too).
 * A few audits ask `__type`, which by default (GRAPHQL_INTROSPECTION=authenticated) only a caller with a
 * valid key may: every audit request carries one, as a client of this API would.
 */
import { serverAudits } from 'graphql-http';
import { describe, expect, it } from 'vitest';
import { useServer } from '../helpers/use-server.js';

const server = useServer();

describe('graphql-http server audits against /graphql', () => {
  const withKey = (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set('authorization', server.authorization('demo'));
    return fetch(input, { ...init, headers });
  };
  for (const audit of serverAudits({ url: () => `${server.url}/graphql`, fetchFn: withKey })) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      expect(result.status, result.status === 'ok' ? '' : result.reason).toBe('ok');
    });
  }
});
