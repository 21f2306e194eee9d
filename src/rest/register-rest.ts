/**
 * Mounts the REST face on a Fastify instance: the data routes, the session routes, 405 with `Allow`
 * for a known route called with the wrong method, 404 for unknown routes, and the contract's error
 * format for every failure (stack traces and internals go to the log only).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Backend } from '../backends/backend.js';
import { registerApiRoutes } from './api-routes.js';
import type { ChangesRouteLimits } from './changes-route.js';
import { toApiError } from './api-error.js';
import type { LoginCooldown } from './login-throttle.js';
import { registerOpenApi, type OpenApiOptions } from './openapi.js';
import { registerSessionRoutes } from './session-routes.js';

export interface RestOptions {
  readonly backend: Backend;
  readonly maxLimit: number;
  /** Long polling's limits on the change feed (changes-route.ts): CHANGES_MAX_WAIT_S, CHANGES_MAX_WAITERS; their defaults when not given. */
  readonly changes?: ChangesRouteLimits;
  /** Odoo's login cooldown at /web/session/authenticate (session-routes.ts); Odoo's defaults when not given. */
  readonly loginCooldown?: LoginCooldown;
  /** The models /openapi.json describes one by one, and whose field metadata to read them as (openapi.ts). */
  readonly openApi?: Pick<OpenApiOptions, 'models' | 'authorization'>;
}

// OPTIONS too: no route answers it (no CORS here), so on a known route it is a wrong method like any other.
const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Each route path and the methods it answers; the rest get 405. */
const ROUTE_METHODS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['/api/health', ['GET', 'HEAD']],
  ['/api/:slug', ['GET', 'HEAD', 'POST']],
  ['/api/:slug/:id', ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']],
  ['/api/:slug/fields', ['GET', 'HEAD']],
  ['/api/:slug/groups', ['GET', 'HEAD']],
  ['/api/:slug/changes', ['GET', 'HEAD']],
  ['/api/:slug/actions', ['GET', 'HEAD']],
  ['/web/session/authenticate', ['POST']],
  ['/web/session/get_session_info', ['POST']],
  ['/web/session/destroy', ['POST']],
];

/**
 * Answers a failure in the contract's `{"error": ...}` shape. The REST error handler, and Fastify's
 * `frameworkErrors` option (malformed URLs and over-long path segments, refused before any route runs).
 */
export function sendContractError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const apiError = toApiError(error);
  if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ status: apiError.status, reason: apiError.message }, 'request refused');
  reply.code(apiError.status).headers(apiError.headers).send({ error: apiError.message });
}

export const frameworkErrors = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void =>
  sendContractError(error, request, reply);

export async function registerRest(app: FastifyInstance, options: RestOptions): Promise<void> {
  app.setErrorHandler(sendContractError);
  // Bodies are JSON only (docs/rest-contract.md, "Transport"): without Fastify's text/plain parser, any other
  // content type is a 415 here. The GraphQL scope installs its own parsers.
  app.removeContentTypeParser('text/plain');
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` });
  });

  // First: the OpenAPI document is built from the schemas of the routes registered after it.
  await registerOpenApi(app, { backend: options.backend, ...options.openApi });
  await registerApiRoutes(app, options);
  await registerSessionRoutes(app, options);

  // On the root, outside the /api/<slug> scope: a wrong method is a 405 whoever calls.
  for (const [url, allowed] of ROUTE_METHODS) {
    const refused = ALL_METHODS.filter((m) => !allowed.includes(m));
    if (!refused.length) continue;
    app.route({
      method: [...refused],
      url,
      handler: async (request, reply) => {
        reply
          .code(405)
          .header('allow', allowed.join(', '))
          .send({ error: `method ${request.method} not allowed on ${url}; allowed: ${allowed.join(', ')}` });
      },
    });
  }
}
