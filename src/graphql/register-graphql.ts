/**
 * Mounts the GraphQL face on the Fastify instance that serves the REST routes: one port, one process
 * (README.md, "GraphQL"). The route lives in its own encapsulated scope, so that
 * - Fastify's JSON parser does not touch GraphQL bodies: every content type is read raw (up to the body
 *   limit, 413 above) and handed to yoga, which answers GraphQL-over-HTTP itself (415, 400, 405...);
 * - failures before yoga (body too large) answer in GraphQL's shape, not the REST `{"error"}` shape.
 * The REST scope's parsers, error handler and 404 handler are left as they are.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayClient, type GatewayClientOptions } from '../gateway/gateway-client.js';
import { createGraphQLServer, type GraphQLLimits, type GraphQLServer, type GraphQLServerOptions } from './create-graphql-server.js';
import type { GraphQLHardening } from './hardening.js';
import { registerGraphiQLAssets } from './graphiql-page.js';

export interface RegisterGraphQLOptions {
  /** The REST gateway's base URL, or a function giving it once the server listens (the default: itself). */
  readonly gatewayUrl: string | (() => string);
  /** Timeouts, pool size and the like of the gateway client. */
  readonly gateway?: Omit<GatewayClientOptions, 'url'>;
  readonly graphiql: boolean;
  /** Largest request body in bytes (413 above). */
  readonly bodyLimit: number;
  readonly endpoint?: string;
  readonly limits?: Partial<GraphQLLimits>;
  /** The schema (default: the generic one); with the typed schema, see src/graphql/typed/typed-schema.ts. */
  readonly schema?: GraphQLServerOptions['schema'];
  /** Cost limit, introspection, CSRF prevention, batching, metrics (hardening.ts). */
  readonly hardening?: GraphQLHardening;
  /** Automatic persisted queries and persisted-only mode (plugins/use-persisted-queries.ts). */
  readonly persistedQueries?: GraphQLServerOptions['persistedQueries'];
}

export interface GraphQLFace {
  readonly yoga: GraphQLServer;
  readonly gateway: GatewayClient;
  readonly endpoint: string;
}

/** Content types answered as a stream (subscriptions, incremental delivery); everything else as one string. */
const STREAMING = /^(text\/event-stream|multipart\/mixed)/i;

/**
 * Hands one request to yoga. Normally through its Node adapter, given the raw request (URL with its
 * query string, socket) with the headers and the body Fastify already read; not Fastify's request
 * itself, whose parsed `query` would make yoga rebuild the URL every time. A request without a body (a
 * POST with `Content-Length: 0`) goes as a fetch Request: the adapter would wait on the raw stream, which
 * Fastify has consumed.
 */
function handle(yoga: GraphQLServer, request: FastifyRequest, reply: FastifyReply): Promise<Response> {
  const body = request.body as Buffer | undefined;
  const context = { req: request, reply };
  if (request.method !== 'GET' && request.method !== 'HEAD' && !body?.length) {
    const url = `http://${request.headers.host ?? 'localhost'}${request.raw.url ?? '/'}`;
    return Promise.resolve(yoga.fetch(url, { method: request.method, headers: request.headers, body: '' }, context));
  }
  const node = { raw: request.raw, method: request.method, headers: request.headers, body };
  return Promise.resolve(yoga.handleNodeRequestAndResponse(node as never, reply, context));
}

export async function registerGraphQL(app: FastifyInstance, options: RegisterGraphQLOptions): Promise<GraphQLFace> {
  const endpoint = options.endpoint ?? '/graphql';
  const gateway = new GatewayClient({ ...options.gateway, url: options.gatewayUrl });
  const yoga = createGraphQLServer({
    gateway,
    graphiql: options.graphiql,
    logger: app.log,
    endpoint,
    ...(options.limits && { limits: options.limits }),
    ...(options.schema && { schema: options.schema }),
    ...(options.hardening && { hardening: options.hardening }),
    ...(options.persistedQueries && { persistedQueries: options.persistedQueries }),
  });
  app.addHook('onClose', async () => {
    await gateway.close();
    await yoga.dispose();
  });

  if (options.graphiql) registerGraphiQLAssets(app, endpoint);
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) request.log.error({ err: error }, 'graphql request failed');
      const message = status === 413 ? 'request body is too large' : status === 500 ? 'Unexpected error.' : error.message;
      // 429 comes from the rate limiter (src/rest/security-plugins.ts).
      const code = status === 500 ? 'INTERNAL_SERVER_ERROR' : status === 429 ? 'RATE_LIMITED' : 'BAD_REQUEST';
      reply
        .code(status)
        .type('application/json; charset=utf-8')
        .send({ errors: [{ message, extensions: { code } }] });
    });
    scope.route({
      url: endpoint,
      method: ['GET', 'POST', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'],
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const response = await handle(yoga, request, reply);
        reply.code(response.status);
        for (const [name, value] of response.headers) reply.header(name, value);
        if (STREAMING.test(response.headers.get('content-type') ?? '')) return reply.send(response.body);
        return reply.send(await response.text());
      },
    });
  });
  return { yoga, gateway, endpoint };
}
