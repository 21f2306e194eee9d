/**
 * createApp(config): wires the parts — the backend chosen by the config, the REST face and (when
 * present) the GraphQL face — and returns a Fastify instance that is not yet listening.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Backend } from './backends/backend.js';
import { EmbeddedBackend } from './backends/embedded/embedded-backend.js';
import { OdooBackend } from './backends/odoo/odoo-backend.js';
import { PassThroughBackend } from './backends/proxy/pass-through-backend.js';
import type { Config } from './config.js';
import { loopbackUrl } from './gateway/loopback-url.js';
import { installGracefulShutdown } from './graceful-shutdown.js';
import { registerGraphQL, type GraphQLFace } from './graphql/register-graphql.js';
import { clientErrorHandler } from './rest/client-error.js';
import { registerProxyRoutes } from './rest/proxy-routes.js';
import { frameworkErrors, registerRest } from './rest/register-rest.js';

export interface App {
  readonly server: FastifyInstance;
  readonly backend: Backend;
  readonly config: Config;
  /** The GraphQL face at /graphql: its yoga server and its gateway client. */
  readonly graphql: GraphQLFace;
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
      return new OdooBackend({ url: config.ODOO_URL!, db: config.ODOO_DB!, timeout: config.ODOO_TIMEOUT_MS });
    case 'proxy':
      return new PassThroughBackend({ url: config.UPSTREAM_URL!, timeout: config.UPSTREAM_TIMEOUT_MS });
  }
}

export async function createApp(config: Config, options: { backend?: Backend; logger?: boolean } = {}): Promise<App> {
  const backend = options.backend ?? createBackend(config);
  const server = Fastify({
    logger: options.logger === false || config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL },
    bodyLimit: config.BODY_LIMIT,
    // Per-request lines are off: errors are logged by the REST error handler.
    logController: new LogController({ disableRequestLogging: true }),
    // Repeated query parameters stay arrays, so the routes can refuse them.
    routerOptions: { maxParamLength: 200 },
    // Malformed URLs, over-long path segments and oversized request lines answer in the contract's error shape too.
    frameworkErrors,
    clientErrorHandler,
    // Draining is graceful-shutdown.ts's job; once the server closes, nothing is in flight any more.
    return503OnClosing: false,
  });
  const shutdown = installGracefulShutdown(server);
  // BACKEND=proxy: the REST routes forward to UPSTREAM_URL, and GraphQL's gateway is the upstream itself.
  if (backend instanceof PassThroughBackend) await registerProxyRoutes(server, { upstream: backend.upstream, bodyLimit: config.BODY_LIMIT });
  else await registerRest(server, { backend, maxLimit: config.MAX_LIMIT });
  const remoteGateway = config.GATEWAY_URL ?? (backend instanceof PassThroughBackend ? config.UPSTREAM_URL : undefined);
  const graphql = await registerGraphQL(server, {
    // Default: this very process on loopback, known only once it listens.
    gatewayUrl: remoteGateway ?? (() => loopbackUrl(server.server.address())),
    gateway: {
      timeout: config.GATEWAY_TIMEOUT_MS,
      connectTimeout: config.GATEWAY_CONNECT_TIMEOUT_MS,
      connections: config.GATEWAY_CONNECTIONS,
      // The hop token only ever goes to this process itself.
      ...(remoteGateway === undefined && { headers: shutdown.hopHeaders }),
    },
    graphiql: config.GRAPHIQL,
    bodyLimit: config.BODY_LIMIT,
  });
  let closed = false;
  return {
    server,
    backend,
    config,
    graphql,
    async close() {
      if (closed) return;
      closed = true;
      await shutdown.close(config.SHUTDOWN_GRACE_MS);
      await backend.close();
    },
  };
}
