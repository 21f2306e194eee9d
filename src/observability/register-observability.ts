/**
 * What an operator watches, mounted on the Fastify instance:
 * - a request id on every request: a sane incoming `X-Request-Id` is kept, anything else replaced by a
 *   new UUID; it is on every log line of the request (pino's `reqId`), answered in `X-Request-Id`, and
 *   left in the request's headers so that the GraphQL face sends it on with its gateway calls (whose log
 *   lines then carry the same id);
 * - `GET /metrics` in Prometheus' text format (metrics.ts), unless turned off; behind a Bearer token when one
 *   is given (METRICS_TOKEN, compared in constant time; startup-checks.ts decides when it is needed); in a
 *   cluster worker (WORKERS), the figures of all workers together (cluster-metrics.ts);
 * - `GET /readyz`: 200 `{"status": "ready"}` when the backend answers `ping()` within 2 s, else 503
 *   `{"status": "unavailable", "error": ...}`; while the server drains it is 503 too (graceful-shutdown.ts).
 *   `GET /api/health` stays as the contract says: the process answers;
 * - with `ACCESS_LOG`, one `request completed` line per request (route, status, milliseconds).
 */
import cluster from 'node:cluster';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clusterMetricsText, shareRegistry } from './cluster-metrics.js';
import type { Metrics } from './metrics.js';

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Fastify's `genReqId`: the caller's `X-Request-Id` when it is 1 to 128 plain characters, else a new UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

export interface ObservabilityOptions {
  /** The metrics to fill and serve at /metrics; undefined: no /metrics, nothing measured. */
  readonly metrics: Metrics | undefined;
  /** The token /metrics asks for in `Authorization: Bearer <token>`; undefined: none. */
  readonly metricsToken?: string;
  /** What /readyz asks. */
  readonly ping: () => Promise<void>;
  readonly accessLog: boolean;
  /** The GraphQL face's own hops to the REST routes (labelled apart in the metrics). */
  readonly isInternal: (request: FastifyRequest) => boolean;
  /** How long /readyz waits for the backend. Default 2000 ms. */
  readonly readyTimeoutMs?: number;
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the backend did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** True when `Authorization` is `Bearer <token>`; digests of equal length, compared in constant time. */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

export async function registerObservability(app: FastifyInstance, options: ObservabilityOptions): Promise<void> {
  const { metrics, accessLog, isInternal } = options;

  app.addHook('onRequest', async (request, reply) => {
    request.headers[REQUEST_ID_HEADER] = request.id;
    reply.header(REQUEST_ID_HEADER, request.id);
  });

  if (metrics || accessLog) {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? '(no route)';
      const internal = isInternal(request);
      if (metrics) metrics.httpRequestDone(route, request.method, reply.statusCode, reply.elapsedTime, internal);
      if (accessLog) {
        request.log.info(
          {
            method: request.method,
            route,
            path: request.url.split('?')[0],
            status: reply.statusCode,
            ms: Math.round(reply.elapsedTime * 10) / 10,
            internal,
          },
          'request completed',
        );
      }
    });
  }

  const readyTimeoutMs = options.readyTimeoutMs ?? 2000;
  app.get('/readyz', async (request, reply) => {
    try {
      await withTimeout(options.ping(), readyTimeoutMs);
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      const message = error instanceof Error ? error.message : 'the backend is not available';
      return reply.code(503).header('retry-after', '5').send({ status: 'unavailable', error: message });
    }
  });

  if (metrics) {
    if (cluster.isWorker) shareRegistry(metrics.registry);
    const token = options.metricsToken;
    app.get('/metrics', async (request, reply) => {
      if (token !== undefined && !bearerMatches(request.headers.authorization, token)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .send({ error: "metrics need 'Authorization: Bearer <METRICS_TOKEN>'" });
      }
      // A cluster worker (WORKERS) answers with the whole cluster's figures (cluster-metrics.ts).
      if (!cluster.isWorker) return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      try {
        return reply.type(metrics.registry.contentType).send(await clusterMetricsText());
      } catch (error) {
        request.log.warn({ err: error }, 'cluster metrics unavailable');
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ error: `the cluster's metrics could not be collected: ${(error as Error).message}` });
      }
    });
  }
}
