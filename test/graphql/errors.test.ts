/**
 * Error mapping and masking: every gateway failure has its code, the contract's message survives, an
 * unexpected error is masked (and logged, not shown). Uses yoga.fetch without a port where a server
 * adds nothing, as graphql-yoga's own tests do.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { GatewayClient } from '../../src/gateway/gateway-client.js';
import { GatewayError, type GatewayErrorCode } from '../../src/gateway/gateway-error.js';
import { createGraphQLServer, type GraphQLLogger } from '../../src/graphql/create-graphql-server.js';
import { codeForGateway } from '../../src/graphql/errors.js';

describe('codeForGateway', () => {
  it('ER-01 status and failure kind to extensions.code', () => {
    const table: Array<[GatewayErrorCode, number, string]> = [
      ['GATEWAY_HTTP_ERROR', 400, 'BAD_USER_INPUT'],
      ['GATEWAY_HTTP_ERROR', 413, 'BAD_USER_INPUT'],
      // A URL or headers too large for the gateway (a remote one with a smaller limit than ours): the caller's input.
      ['GATEWAY_HTTP_ERROR', 414, 'BAD_USER_INPUT'],
      ['GATEWAY_HTTP_ERROR', 431, 'BAD_USER_INPUT'],
      ['GATEWAY_HTTP_ERROR', 401, 'UNAUTHENTICATED'],
      ['GATEWAY_NO_CREDENTIALS', 401, 'UNAUTHENTICATED'],
      ['GATEWAY_HTTP_ERROR', 403, 'FORBIDDEN'],
      ['GATEWAY_HTTP_ERROR', 404, 'NOT_FOUND'],
      ['GATEWAY_HTTP_ERROR', 405, 'BAD_GATEWAY'],
      ['GATEWAY_HTTP_ERROR', 500, 'BAD_GATEWAY'],
      ['GATEWAY_HTTP_ERROR', 503, 'BAD_GATEWAY'],
      ['GATEWAY_TIMEOUT', 504, 'GATEWAY_TIMEOUT'],
      ['GATEWAY_UNREACHABLE', 502, 'BAD_GATEWAY'],
      ['GATEWAY_BAD_RESPONSE', 502, 'BAD_GATEWAY'],
    ];
    for (const [code, status, expected] of table) {
      expect([code, status, codeForGateway(new GatewayError(code, status, 'm'))]).toEqual([code, status, expected]);
    }
  });
});

describe('masking', () => {
  const logged: Array<{ level: string; object: object; message?: string }> = [];
  const logger: GraphQLLogger = {
    debug: (object, message) => logged.push({ level: 'debug', object, ...(message !== undefined && { message }) }),
    info: (object, message) => logged.push({ level: 'info', object, ...(message !== undefined && { message }) }),
    warn: (object, message) => logged.push({ level: 'warn', object, ...(message !== undefined && { message }) }),
    error: (object, message) => logged.push({ level: 'error', object, ...(message !== undefined && { message }) }),
  };
  /** yoga itself logs at debug level as it goes. */
  const lastNotDebug = () => logged.filter((l) => l.level !== 'debug').at(-1);
  const schema = makeExecutableSchema({
    typeDefs: 'type Query { broken: String refused: String gone: String }',
    resolvers: {
      Query: {
        broken: () => {
          throw new Error('ENOENT: /srv/odoo/secret.conf password=hunter2');
        },
        refused: () => {
          throw new GatewayError('GATEWAY_HTTP_ERROR', 403, "You are not allowed to access 'Lead/Opportunity' (crm.lead) records.");
        },
        gone: () => {
          throw new GatewayError('GATEWAY_UNREACHABLE', 502, 'the REST gateway is unreachable', {
            cause: new Error('connect ECONNREFUSED 10.0.0.7:8069'),
          });
        },
      },
    },
  });
  const yoga = createGraphQLServer({ gateway: new GatewayClient({ url: 'http://127.0.0.1:9' }), graphiql: false, logger, schema });
  const ask = async (query: string) =>
    (
      await yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      })
    ).json();

  it('ER-10 an unexpected error is "Unexpected error." for the caller and logged in full', async () => {
    const body = await ask('{ broken }');
    expect(body.errors).toEqual([
      {
        message: 'Unexpected error.',
        locations: [{ line: 1, column: 3 }],
        path: ['broken'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/hunter2|secret/);
    expect(logged.some((l) => l.level === 'error' && JSON.stringify(l).includes('hunter2'))).toBe(true);
  });

  it("ER-11 a gateway refusal keeps the contract's message and is logged as info", async () => {
    const body = await ask('{ refused }');
    expect(body.errors[0]).toMatchObject({
      message: "You are not allowed to access 'Lead/Opportunity' (crm.lead) records.",
      path: ['refused'],
      extensions: { code: 'FORBIDDEN' },
    });
    expect(lastNotDebug()).toMatchObject({ level: 'info', object: { status: 403 } });
  });

  it("ER-12 a gateway failure shows the client's own words, never the cause; logged as a warning", async () => {
    const body = await ask('{ gone }');
    expect(body.errors[0]).toMatchObject({ message: 'the REST gateway is unreachable', extensions: { code: 'BAD_GATEWAY' } });
    expect(JSON.stringify(body)).not.toMatch(/10\.0\.0\.7|ECONNREFUSED/);
    expect(lastNotDebug()?.level).toBe('warn');
  });
});
