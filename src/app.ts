/**
 * createApp(config): wires the parts — the backend chosen by the config, the REST face and (when
 * present) the GraphQL face — and returns a Fastify instance that is not yet listening.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Backend } from './backends/backend.js';
import { EmbeddedBackend } from './backends/embedded/embedded-backend.js';
import { OdooBackend } from './backends/odoo/odoo-backend.js';
import { PassThroughBackend } from './backends/proxy/pass-through-backend.js';
import type { Config } from './config.js';
import { loopbackUrl } from './gateway/loopback-url.js';
import { HOP_HEADER, installGracefulShutdown } from './graceful-shutdown.js';
import { registerGraphQL, type GraphQLFace } from './graphql/register-graphql.js';
import { createTypedSchema, injectGet, type TypedSchema } from './graphql/typed/typed-schema.js';
import { typedModelList } from './graphql/typed/typed-sdl-source.js';
import { Metrics } from './observability/metrics.js';
import { registerObservability, requestIdFor } from './observability/register-observability.js';
import { clientErrorHandler } from './rest/client-error.js';
import { registerJsonBodyChecks } from './rest/json-body-checks.js';
import { installLingeringClose } from './rest/lingering-close.js';
import { DEFAULT_LIMIT } from './rest/list-params.js';
import { registerProxyRoutes } from './rest/proxy-routes.js';
import { rememberedBuckets, verifiedBuckets } from './rest/rate-limit-key.js';
import { frameworkErrors, registerRest } from './rest/register-rest.js';
import { registerSecurityPlugins } from './rest/security-plugins.js';
import { lingerBounds, selfGatewayKeepAlive, serverTimeoutOptions } from './rest/server-timeouts.js';
import { metricsAccess } from './startup-checks.js';

export interface App {
  readonly server: FastifyInstance;
  readonly backend: Backend;
  readonly config: Config;
  /** The GraphQL face at /graphql: its yoga server and its gateway client. */
  readonly graphql: GraphQLFace;
  /** The typed schema of the configured models (GRAPHQL_MODELS), merged into /graphql's schema. */
  readonly typedSchema: TypedSchema;
  /** The Prometheus metrics served at /metrics (undefined when not served: METRICS=false, or beyond loopback without METRICS_TOKEN). */
  readonly metrics: Metrics | undefined;
  /** Closes the server and then the backend (database file, upstream pools). */
  close(): Promise<void>;
}

export function createBackend(config: Config): Backend {
  switch (config.BACKEND) {
    case 'embedded':
      return new EmbeddedBackend({
        dataDir: config.DATA_DIR,
        dbName: config.DB_NAME,
        demo: config.DEMO_DATA,
        synchronous: config.SQLITE_SYNCHRONOUS,
      });
    case 'odoo':
      return new OdooBackend({
        url: config.ODOO_URL!, db: config.ODOO_DB!, timeout: config.ODOO_TIMEOUT_MS,
        retries: config.ODOO_RETRIES, retryBackoffMs: config.RETRY_BACKOFF_MS, maxQueue: config.ODOO_QUEUE,
      });
    case 'proxy':
      return new PassThroughBackend({ url: config.UPSTREAM_URL!, timeout: config.UPSTREAM_TIMEOUT_MS, maxQueue: config.UPSTREAM_QUEUE });
  }
}

export async function createApp(config: Config, options: { backend?: Backend; logger?: boolean } = {}): Promise<App> {
  const backend = options.backend ?? createBackend(config);
  const server = Fastify({
    logger: options.logger === false || config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL },
    bodyLimit: config.BODY_LIMIT,
    // Client addresses (login cooldowns, rate limits) from X-Forwarded-For only when sent by a listed proxy.
    trustProxy: config.TRUST_PROXY.length > 0 ? [...config.TRUST_PROXY] : false,
    // Per-request lines are off: errors are logged by the REST error handler.
    logController: new LogController({ disableRequestLogging: true }),
    // Repeated query parameters stay arrays, so the routes can refuse them.
    routerOptions: { maxParamLength: 200 },
    // Malformed URLs, over-long path segments and oversized request lines answer in the contract's error shape too.
    frameworkErrors,
    clientErrorHandler,
    // Header, request and keep-alive timeouts for slow clients (408 in the contract's shape).
    ...serverTimeoutOptions(config),
    // Draining is graceful-shutdown.ts's job; once the server closes, nothing is in flight any more.
    return503OnClosing: false,
    // A sane incoming X-Request-Id, else a new UUID (src/observability).
    genReqId: requestIdFor,
  });
  const shutdown = installGracefulShutdown(server);
  // A body refused before it was all read (413): the client may read the answer while it is still sending.
  installLingeringClose(server, lingerBounds(config));
  // Headers, CORS, rate limits, request ids, /metrics and /readyz: before any route (issue 7).
  const isInternal = (request: FastifyRequest) => request.headers[HOP_HEADER] === shutdown.hopHeaders[HOP_HEADER];
  // /metrics: open on loopback, behind METRICS_TOKEN, or not served beyond loopback without one (issue 13).
  const metricsServed = metricsAccess(config);
  if (metricsServed.warning) server.log.warn(metricsServed.warning);
  const metrics = metricsServed.served ? new Metrics() : undefined;
  // Rate-limit buckets by user: checked at once where that is a local lookup, else learnt from the routes (rate-limit-key.ts).
  const buckets = backend instanceof EmbeddedBackend ? verifiedBuckets(backend) : rememberedBuckets();
  await registerSecurityPlugins(server, { corsOrigins: config.CORS_ORIGINS, rateLimit: config.RATE_LIMIT, rateLimitWindowMs: config.RATE_LIMIT_WINDOW_MS, isInternal, buckets });
  await registerObservability(server, { metrics, metricsToken: metricsServed.token, ping: () => backend.ping(), accessLog: config.ACCESS_LOG, isInternal });
  // JSON nested too deep or holding unpaired surrogates: refused for REST, GraphQL and the proxy alike (issue 13).
  registerJsonBodyChecks(server, { graphqlEndpoint: '/graphql' });
  // BACKEND=proxy: the REST routes forward to UPSTREAM_URL, and GraphQL's gateway is the upstream itself.
  if (backend instanceof PassThroughBackend) await registerProxyRoutes(server, { upstream: backend.upstream, bodyLimit: config.BODY_LIMIT });
  else await registerRest(server, { backend, maxLimit: config.MAX_LIMIT, loginCooldown: { after: config.LOGIN_COOLDOWN_AFTER, durationMs: config.LOGIN_COOLDOWN_MS } });
  const remoteGateway = config.GATEWAY_URL ?? (backend instanceof PassThroughBackend ? config.UPSTREAM_URL : undefined);
  const typedSchema = await createTypedSchema({
    models: typedModelList(config.GRAPHQL_MODELS), backend, authorization: config.GRAPHQL_SCHEMA_AUTHORIZATION, get: injectGet(server), logger: server.log,
  });
  const graphql = await registerGraphQL(server, {
    // Default: this very process on loopback, known only once it listens.
    gatewayUrl: remoteGateway ?? (() => loopbackUrl(server.server.address())),
    gateway: {
      timeout: config.GATEWAY_TIMEOUT_MS,
      connectTimeout: config.GATEWAY_CONNECT_TIMEOUT_MS,
      connections: config.GATEWAY_CONNECTIONS,
      retries: config.GATEWAY_RETRIES,
      retryBackoffMs: config.RETRY_BACKOFF_MS,
      maxQueue: config.GATEWAY_QUEUE,
      cacheBytes: config.GATEWAY_CACHE_MB * 1024 * 1024,
      ...(metrics && { observer: metrics }),
      // The hop token only ever goes to this process itself, whose keep-alive timeout its sockets stay within.
      ...(remoteGateway === undefined && { headers: shutdown.hopHeaders, keepAliveTimeout: selfGatewayKeepAlive(config) }),
    },
    graphiql: config.GRAPHIQL,
    bodyLimit: config.BODY_LIMIT,
    schema: typedSchema.schema,
    hardening: {
      introspection: config.GRAPHQL_INTROSPECTION,
      maxCost: config.GRAPHQL_MAX_COST,
      defaultListSize: DEFAULT_LIMIT,
      maxListSize: config.MAX_LIMIT,
      batchLimit: config.GRAPHQL_BATCH_LIMIT,
      observer: metrics,
    },
  });
  metrics?.watchPool('gateway', graphql.gateway);
  metrics?.watchGatewayCache(() => graphql.gateway.cacheStats);
  if (backend instanceof OdooBackend) metrics?.watchPool('odoo', { get stats() { return backend.poolStats; } });
  if (backend instanceof PassThroughBackend) metrics?.watchPool('upstream', backend.upstream);
  let closed = false;
  return {
    server,
    backend,
    config,
    graphql,
    typedSchema,
    metrics,
    async close() {
      if (closed) return;
      closed = true;
      await shutdown.close(config.SHUTDOWN_GRACE_MS);
      await backend.close();
    },
  };
}
