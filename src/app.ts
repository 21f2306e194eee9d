/**
 * createApp(config): wires the parts — the REST face (serving the backend the config names, or forwarding
 * to the upstream of BACKEND=proxy), the GraphQL face over it, and what guards and observes both — and
 * returns a Fastify instance that is not yet listening.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Backend, DataSource } from './backends/backend.js';
import { EmbeddedBackend } from './backends/embedded/embedded-backend.js';
import { OdooBackend } from './backends/odoo/odoo-backend.js';
import { UpstreamClient } from './backends/proxy/upstream-client.js';
import type { Config } from './config.js';
import { loopbackUrl } from './gateway/loopback-url.js';
import { HOP_HEADER, installGracefulShutdown } from './graceful-shutdown.js';
import { loadPersistedOperations } from './graphql/persisted-operations.js';
import { registerGraphQL, type GraphQLFace } from './graphql/register-graphql.js';
import { createTypedSchema, injectGet, type TypedSchema } from './graphql/typed/typed-schema.js';
import { typedModelList } from './graphql/typed/typed-sdl-source.js';
import { Metrics } from './observability/metrics.js';
import { registerObservability, requestIdFor } from './observability/register-observability.js';
import { clientErrorHandler } from './rest/client-error.js';
import { registerJsonBodyChecks } from './rest/json-body-checks.js';
import { installLingeringClose } from './rest/lingering-close.js';
import { DEFAULT_LIMIT } from './gateway/contract-types.js';
import { registerProxyRoutes } from './rest/proxy-routes.js';
import { rememberedBuckets, verifiedBuckets, type CallerBuckets } from './rest/rate-limit-key.js';
import { frameworkErrors, registerRest } from './rest/register-rest.js';
import { registerSecurityPlugins } from './rest/security-plugins.js';
import { lingerBounds, selfGatewayKeepAlive, serverTimeoutOptions } from './rest/server-timeouts.js';
import { metricsAccess } from './startup-checks.js';

export interface App {
  readonly server: FastifyInstance;
  /**
   * What the REST face answers from: the Backend it serves, or with BACKEND=proxy the upstream it forwards
   * to. /readyz pings it; it is closed last.
   */
  readonly dataSource: DataSource;
  /** The Backend the REST face serves; undefined with BACKEND=proxy, whose REST face forwards instead. */
  readonly backend: Backend | undefined;
  readonly config: Config;
  /** The GraphQL face at /graphql: its yoga server and its gateway client. */
  readonly graphql: GraphQLFace;
  /** The typed schema of the configured models (GRAPHQL_MODELS), merged into /graphql's schema. */
  readonly typedSchema: TypedSchema;
  /** The Prometheus metrics served at /metrics (undefined when not served: METRICS=false, or beyond loopback without METRICS_TOKEN). */
  readonly metrics: Metrics | undefined;
  /** Closes the server and then the data source (database file, upstream pools). */
  close(): Promise<void>;
}

export interface AppOptions {
  /** A Backend to serve instead of the one the config names (a prepared store, a replayed Odoo). */
  readonly backend?: Backend;
  /** With BACKEND=proxy, the upstream to forward to instead of one made from the config (other pool sizes). */
  readonly upstream?: UpstreamClient;
  /** false: no log at all, whatever LOG_LEVEL says. */
  readonly logger?: boolean;
}

/**
 * The REST face (`/api/*`, `/web/session/*`) in one of its two modes (docs/backends.md): it serves a
 * Backend, or it forwards every request unchanged to an upstream that speaks the contract (BACKEND=proxy).
 */
interface RestFace {
  /** What it answers from: the Backend, or the upstream. */
  readonly dataSource: DataSource;
  /** The Backend it serves; undefined when it forwards. */
  readonly backend: Backend | undefined;
  /** Whose rate-limit bucket a request counts in (rate-limit-key.ts). */
  readonly buckets: CallerBuckets;
  /** A REST gateway that GraphQL's gateway client calls directly, rather than this process (the upstream). */
  readonly gatewayUrl: string | undefined;
  register(server: FastifyInstance): Promise<void>;
}

/** Serves `backend`: the contract's routes over it (rest/register-rest.ts). */
function servingFace(backend: Backend, config: Config): RestFace {
  return {
    dataSource: backend,
    backend,
    // Rate-limit buckets by user: checked at once where that is a local lookup, else learnt from the routes.
    buckets: backend.authenticatesLocally ? verifiedBuckets(backend) : rememberedBuckets(),
    gatewayUrl: undefined,
    register: (server) =>
      registerRest(server, {
        backend,
        maxLimit: config.MAX_LIMIT,
        changes: {
          maxWaitS: config.CHANGES_MAX_WAIT_S,
          maxWaiters: config.CHANGES_MAX_WAITERS,
          heartbeatS: config.CHANGES_HEARTBEAT_S,
          streamQueue: config.CHANGES_STREAM_QUEUE,
          streamsPerUser: config.CHANGES_STREAMS_PER_USER,
          authCheckS: config.CHANGES_AUTH_CHECK_S,
        },
        loginCooldown: { after: config.LOGIN_COOLDOWN_AFTER, durationMs: config.LOGIN_COOLDOWN_MS },
        // /openapi.json describes the typed GraphQL schema's models, from the same field metadata.
        openApi: { models: typedModelList(config.GRAPHQL_MODELS), authorization: config.GRAPHQL_SCHEMA_AUTHORIZATION },
      }),
  };
}

/** Forwards to `upstream` (rest/proxy-routes.ts), which GraphQL's gateway client then calls directly too. */
function forwardingFace(upstream: UpstreamClient, config: Config): RestFace {
  return {
    dataSource: upstream,
    backend: undefined,
    buckets: rememberedBuckets(),
    gatewayUrl: upstream.url,
    register: (server) => registerProxyRoutes(server, { upstream, bodyLimit: config.BODY_LIMIT }),
  };
}

/** The REST face the config names, over the backend or upstream given instead when there is one. */
function createRestFace(config: Config, { backend, upstream }: AppOptions): RestFace {
  if (backend) return servingFace(backend, config);
  switch (config.BACKEND) {
    case 'embedded':
      return servingFace(
        new EmbeddedBackend({
          dataDir: config.DATA_DIR,
          dbName: config.DB_NAME,
          demo: config.DEMO_DATA,
          synchronous: config.SQLITE_SYNCHRONOUS,
          changeLog: { maxAgeS: config.CHANGES_MAX_AGE_S, maxRows: config.CHANGES_MAX_ROWS },
        }),
        config,
      );
    case 'odoo':
      return servingFace(
        new OdooBackend({
          url: config.ODOO_URL,
          db: config.ODOO_DB,
          timeout: config.ODOO_TIMEOUT_MS,
          retries: config.ODOO_RETRIES,
          retryBackoffMs: config.RETRY_BACKOFF_MS,
          maxQueue: config.ODOO_QUEUE,
          changesPollMs: config.CHANGES_ODOO_POLL_MS,
        }),
        config,
      );
    case 'proxy':
      return forwardingFace(
        upstream ?? new UpstreamClient({ url: config.UPSTREAM_URL, timeout: config.UPSTREAM_TIMEOUT_MS, maxQueue: config.UPSTREAM_QUEUE }),
        config,
      );
  }
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  // Read first: a file that cannot be used stops the start before anything is opened.
  const persistedOperations = config.GRAPHQL_PERSISTED_OPERATIONS
    ? await loadPersistedOperations(config.GRAPHQL_PERSISTED_OPERATIONS)
    : undefined;
  const rest = createRestFace(config, options);
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
  await registerSecurityPlugins(server, {
    corsOrigins: config.CORS_ORIGINS,
    rateLimit: config.RATE_LIMIT,
    rateLimitWindowMs: config.RATE_LIMIT_WINDOW_MS,
    isInternal,
    buckets: rest.buckets,
  });
  await registerObservability(server, {
    metrics,
    metricsToken: metricsServed.token,
    ping: () => rest.dataSource.ping(),
    accessLog: config.ACCESS_LOG,
    isInternal,
  });
  // JSON nested too deep or holding unpaired surrogates: refused for REST, GraphQL and the proxy alike (issue 13).
  registerJsonBodyChecks(server, { graphqlEndpoint: '/graphql' });
  await rest.register(server);
  const remoteGateway = config.GATEWAY_URL ?? rest.gatewayUrl;
  const typedSchema = await createTypedSchema({
    models: typedModelList(config.GRAPHQL_MODELS),
    backend: rest.backend,
    authorization: config.GRAPHQL_SCHEMA_AUTHORIZATION,
    get: injectGet(server),
    logger: server.log,
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
      // Its backend's revision (the embedded store's) tells when identical reads may share one request.
      ...(remoteGateway === undefined && {
        headers: shutdown.hopHeaders,
        keepAliveTimeout: selfGatewayKeepAlive(config),
        freshness: () => rest.backend?.revision?.(),
      }),
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
    persistedQueries: {
      apqMaxEntries: config.GRAPHQL_APQ_MAX_ENTRIES,
      apqMaxBytes: config.GRAPHQL_APQ_MAX_BYTES,
      operations: persistedOperations,
      only: config.GRAPHQL_PERSISTED_ONLY,
    },
    subscriptions: {
      limits: {
        maxPerConnection: config.GRAPHQL_MAX_SUBSCRIPTIONS_PER_CONNECTION,
        maxPerUser: config.GRAPHQL_MAX_SUBSCRIPTIONS_PER_USER,
        // The self-gateway's feed refuses a longer wait than its CHANGES_MAX_WAIT_S (400).
        waitS:
          remoteGateway === undefined
            ? Math.min(config.GRAPHQL_SUBSCRIPTION_WAIT_S, config.CHANGES_MAX_WAIT_S)
            : config.GRAPHQL_SUBSCRIPTION_WAIT_S,
        queueSize: config.GRAPHQL_SUBSCRIPTION_QUEUE,
      },
      keepAliveMs: config.GRAPHQL_WS_KEEPALIVE_MS,
      observer: metrics,
    },
  });
  metrics?.watchPool('gateway', graphql.gateway);
  metrics?.watchPool('gateway_feed', graphql.feedGateway);
  metrics?.watchGatewayCache(() => graphql.gateway.cacheStats);
  for (const [name, pool] of Object.entries(rest.dataSource.pools ?? {})) metrics?.watchPool(name, pool);
  let closed = false;
  return {
    server,
    dataSource: rest.dataSource,
    backend: rest.backend,
    config,
    graphql,
    typedSchema,
    metrics,
    async close() {
      if (closed) return;
      closed = true;
      await shutdown.close(config.SHUTDOWN_GRACE_MS);
      await rest.dataSource.close();
    },
  };
}
