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
import { onDraining } from '../graceful-shutdown.js';
import type { SubscriptionObserver } from '../observability/metrics.js';
import {
  createGraphQLServer,
  schemaResolver,
  type GraphQLLimits,
  type GraphQLServer,
  type GraphQLServerOptions,
} from './create-graphql-server.js';
import { loadSchema } from './load-schema.js';
import { DEFAULT_SUBSCRIPTION_LIMITS, SubscriptionTracker, type SubscriptionLimits } from './subscriptions.js';
import { attachWsTransport, type WsTransport } from './ws-transport.js';
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
  /** Subscriptions (issue 19): limits, the WebSocket pings, metrics. */
  readonly subscriptions?: {
    readonly limits?: Partial<SubscriptionLimits>;
    /** Milliseconds between WebSocket pings (GRAPHQL_WS_KEEPALIVE_MS). */
    readonly keepAliveMs?: number;
    readonly observer?: SubscriptionObserver | undefined;
  };
}

export interface GraphQLFace {
  readonly yoga: GraphQLServer;
  readonly gateway: GatewayClient;
  /** The gateway client of the subscriptions' long polls of the change feed (its own pool). */
  readonly feedGateway: GatewayClient;
  readonly endpoint: string;
  readonly subscriptions: SubscriptionTracker;
  readonly ws: WsTransport;
}

/** Sockets of the feed client: one per subscription waiting on the feed (the REST side's CHANGES_MAX_WAITERS). */
const FEED_CONNECTIONS = 1000;

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
  const limits = { ...DEFAULT_SUBSCRIPTION_LIMITS, ...options.subscriptions?.limits };
  const subscriptions = new SubscriptionTracker(limits, options.subscriptions?.observer);
  // Long polls hold a socket up to `waitS`: their own pool, never the sockets of queries, and a timeout
  // beyond the wait. Nothing to revalidate (the feed answers no-store).
  const feedGateway = new GatewayClient({
    ...options.gateway,
    url: options.gatewayUrl,
    connections: FEED_CONNECTIONS,
    timeout: Math.max(options.gateway?.timeout ?? 0, (limits.waitS + 15) * 1000),
    cacheBytes: 0,
  });
  const schema = options.schema ?? loadSchema();
  const yoga = createGraphQLServer({
    gateway,
    feedGateway,
    subscriptions,
    schema,
    graphiql: options.graphiql,
    logger: app.log,
    endpoint,
    ...(options.limits && { limits: options.limits }),
    ...(options.hardening && { hardening: options.hardening }),
    ...(options.persistedQueries && { persistedQueries: options.persistedQueries }),
  });
  const ws = attachWsTransport({
    server: app.server,
    path: endpoint,
    yoga,
    resolveSchema: schemaResolver(schema),
    gateway,
    feedGateway,
    keepAliveMs: options.subscriptions?.keepAliveMs ?? 12_000,
    maxPayload: options.bodyLimit,
  });
  // Subscriptions would hold a graceful shutdown for as long as they last: when draining starts, each
  // ends with a last SERVICE_UNAVAILABLE error (SSE requests then end), and WebSockets close (1001).
  // Without a graceful shutdown (a bare Fastify instance), the same when it closes.
  const stopSubscriptions = async () => {
    subscriptions.shutdown();
    await ws.close();
  };
  onDraining(app.server, () => void stopSubscriptions());
  app.addHook('preClose', stopSubscriptions);
  app.addHook('onClose', async () => {
    await gateway.close();
    await feedGateway.close();
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
  return { yoga, gateway, feedGateway, endpoint, subscriptions, ws };
}
