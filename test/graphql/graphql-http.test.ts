/**
 * GraphQL over HTTP conformance (graphql-http's server audits) of /graphql as mounted in the Fastify
 * instance that serves the REST routes: every MUST and SHOULD passes (and, today, every MAY too).
 */
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('graphql-http server audits against /graphql', () => {
  for (const audit of serverAudits({ url: () => `${server.url}/graphql`, fetchFn: fetch })) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      expect(result.status, result.status === 'ok' ? '' : result.reason).toBe('ok');
    });
  }
});
