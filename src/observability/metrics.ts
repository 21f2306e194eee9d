/**
 * The process's Prometheus metrics (prom-client), one registry per app so that several apps in one
 * process (tests) never mix their figures:
 * - `http_requests_total` and `http_request_duration_seconds` per route pattern (`/api/:slug`), method
 *   and status; `internal="true"` marks the GraphQL face's own hops to the REST routes;
 * - `graphql_operations_total` and `graphql_operation_duration_seconds` per operation name and type,
 *   `graphql_errors_total` per `extensions.code` (refusals included);
 * - `gateway_requests_total` and `gateway_request_duration_seconds` (the GraphQL face's REST calls) per
 *   method and outcome, `gateway_retries_total`;
 * - `http_client_pool` per pool (`gateway`, `odoo`, `upstream`) and state: sockets connected and free,
 *   requests running, queued, held (in flight) and the bound on them;
 * - Node's default process metrics (`process_resident_memory_bytes`, event loop lag, heap, GC...);
 * - `cluster_workers`: 1, so that with WORKERS the cluster's aggregate (cluster-metrics.ts) counts its workers.
 * Operation names come from callers: past MAX_OPERATION_NAMES distinct ones they are counted as `(other)`.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GatewayObserver, GatewayRequestEvent } from '../gateway/gateway-client.js';
import type { RevalidationCacheStats } from '../gateway/revalidation-cache.js';

/** A counter's and a histogram's children for one set of labels, looked up once. */
interface LabelledChildren {
  readonly count: { inc(): void };
  readonly duration: { observe(value: number): void };
}

/** A source of pool figures: the gateway client, the Odoo client, the proxy's upstream client. */
export interface PoolStatsSource {
  readonly stats: { connected: number; free: number; running: number; queued: number; inFlight: number; capacity: number };
}

export interface OperationEvent {
  /** The operation's name, or undefined for an anonymous one. */
  readonly name: string | undefined;
  readonly type: 'query' | 'mutation' | 'subscription';
  readonly durationMs: number;
  /** Whether the result carried errors. */
  readonly failed: boolean;
}

/** What the GraphQL face reports (see src/graphql/plugins/use-operation-metrics.ts). */
export interface GraphQLObserver {
  operationDone(event: OperationEvent): void;
  errorsAnswered(codes: readonly string[]): void;
}

/** How a GraphQL subscription travels: GraphQL over SSE (yoga's) or WebSocket (`graphql-ws`). */
export type SubscriptionTransport = 'sse' | 'ws';

/** What the GraphQL subscriptions report (see src/graphql/subscriptions.ts). */
export interface SubscriptionObserver {
  subscriptionStarted(transport: SubscriptionTransport): void;
  /** `reason`: complete (the client left), unauthenticated, cursor_expired, slow_consumer, error. */
  subscriptionEnded(transport: SubscriptionTransport, reason: string): void;
  /** Changes handed to subscribers. */
  changesDelivered(transport: SubscriptionTransport, count: number): void;
  /** A subscription refused by a limit (`connection` or `user`). */
  subscriptionRefused(limit: 'connection' | 'user'): void;
}

const MAX_OPERATION_NAMES = 200;
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class Metrics implements GatewayObserver, GraphQLObserver, SubscriptionObserver {
  readonly registry = new Registry();
  readonly #httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, per route pattern, method and status.',
    labelNames: ['route', 'method', 'status', 'internal'] as const,
    registers: [this.registry],
  });
  readonly #httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, per route pattern and method.',
    labelNames: ['route', 'method', 'internal'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly #operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations executed, per operation name, type and outcome (ok: no errors).',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly #operationDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time to execute a GraphQL operation, per operation name and type.',
    labelNames: ['operation', 'type'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly #graphqlErrors = new Counter({
    name: 'graphql_errors_total',
    help: 'GraphQL errors answered, per extensions.code (refusals before execution included).',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly #gatewayRequests = new Counter({
    name: 'gateway_requests_total',
    help: 'Requests of the GraphQL face to the REST gateway, per method and outcome (HTTP status, or the failure code).',
    labelNames: ['method', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly #gatewayDuration = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'Time of a request to the REST gateway, retries included, per method.',
    labelNames: ['method'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly #gatewayRetries = new Counter({
    name: 'gateway_retries_total',
    help: 'Reads to the REST gateway sent again after a failure.',
    registers: [this.registry],
  });
  readonly #subscriptionsActive = new Gauge({
    name: 'graphql_subscriptions_active',
    help: 'GraphQL subscriptions open now, per transport (sse, ws).',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });
  readonly #subscriptionsEnded = new Counter({
    name: 'graphql_subscriptions_ended_total',
    help: 'GraphQL subscriptions ended, per transport and reason (complete, unauthenticated, cursor_expired, slow_consumer, error).',
    labelNames: ['transport', 'reason'] as const,
    registers: [this.registry],
  });
  readonly #subscriptionEvents = new Counter({
    name: 'graphql_subscription_events_total',
    help: 'Changes delivered to GraphQL subscribers, per transport.',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });
  readonly #subscriptionsRefused = new Counter({
    name: 'graphql_subscriptions_refused_total',
    help: 'GraphQL subscriptions refused by a limit (connection: per WebSocket connection; user: per caller).',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });
  readonly #operationNames = new Set<string>();
  /** Per-label children, looked up once: prom-client otherwise hashes the labels on every call. */
  readonly #httpChildren = new Map<string, LabelledChildren>();
  readonly #gatewayChildren = new Map<string, LabelledChildren>();
  readonly #pools = new Map<string, PoolStatsSource>();
  #gatewayCache: (() => RevalidationCacheStats | undefined) | undefined;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    // 1 per process: summed over a cluster's workers (cluster-metrics.ts), the number of them counted.
    new Gauge({
      name: 'cluster_workers',
      help: 'Server processes whose figures this answer adds up (WORKERS; 1 without a cluster).',
      aggregator: 'sum',
      registers: [this.registry],
    }).set(1);
    const pools = this.#pools;
    new Gauge({
      name: 'http_client_pool',
      help: 'Outgoing HTTP pools: sockets connected and free, requests running, queued, in flight (held) and capacity (the bound on in flight).',
      labelNames: ['pool', 'state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [pool, source] of pools) {
          for (const [state, value] of Object.entries(source.stats)) this.set({ pool, state }, value);
        }
      },
    });
    const cacheStats = () => this.#gatewayCache?.();
    new Gauge({
      name: 'gateway_cache',
      help: "The gateway client's revalidation cache: answers kept, bytes counted (estimated) and the budget.",
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const stats = cacheStats();
        if (!stats) return;
        this.set({ state: 'entries' }, stats.entries);
        this.set({ state: 'bytes' }, stats.bytes);
        this.set({ state: 'max_bytes' }, stats.maxBytes);
      },
    });
  }

  /** Reports the gateway client's revalidation cache as `gateway_cache{state="entries"|"bytes"|"max_bytes"}`. */
  watchGatewayCache(stats: () => RevalidationCacheStats | undefined): void {
    this.#gatewayCache = stats;
  }

  /** Adds a pool to `http_client_pool`. */
  watchPool(name: string, source: PoolStatsSource): void {
    this.#pools.set(name, source);
  }

  httpRequestDone(route: string, method: string, status: number, durationMs: number, internal: boolean): void {
    const key = `${route} ${method} ${status} ${internal}`;
    let children = this.#httpChildren.get(key);
    if (!children) {
      const flag = internal ? 'true' : 'false';
      children = {
        count: this.#httpRequests.labels({ route, method, status: String(status), internal: flag }),
        duration: this.#httpDuration.labels({ route, method, internal: flag }),
      };
      // Routes, methods and statuses are few; the bound only guards against the unexpected.
      if (this.#httpChildren.size < 2000) this.#httpChildren.set(key, children);
    }
    children.count.inc();
    children.duration.observe(durationMs / 1000);
  }

  subscriptionStarted(transport: SubscriptionTransport): void {
    this.#subscriptionsActive.inc({ transport });
  }

  subscriptionEnded(transport: SubscriptionTransport, reason: string): void {
    this.#subscriptionsActive.dec({ transport });
    this.#subscriptionsEnded.inc({ transport, reason });
  }

  changesDelivered(transport: SubscriptionTransport, count: number): void {
    this.#subscriptionEvents.inc({ transport }, count);
  }

  subscriptionRefused(limit: 'connection' | 'user'): void {
    this.#subscriptionsRefused.inc({ limit });
  }

  operationDone(event: OperationEvent): void {
    const operation = this.#operationLabel(event.name);
    this.#operations.inc({ operation, type: event.type, outcome: event.failed ? 'error' : 'ok' });
    this.#operationDuration.observe({ operation, type: event.type }, event.durationMs / 1000);
  }

  errorsAnswered(codes: readonly string[]): void {
    for (const code of codes) this.#graphqlErrors.inc({ code });
  }

  requestDone(event: GatewayRequestEvent): void {
    // An answer counts by its HTTP status (200, 404, 503...), a failure without one by its code (GATEWAY_TIMEOUT...).
    const outcome = event.code === undefined || event.code === 'GATEWAY_HTTP_ERROR' ? String(event.status) : event.code;
    // Each labelled child looked up once (prom-client hashes and checks labels at every labelled call).
    const key = `${event.method} ${outcome}`;
    let children = this.#gatewayChildren.get(key);
    if (!children) {
      children = {
        count: this.#gatewayRequests.labels({ method: event.method, outcome }),
        duration: this.#gatewayDuration.labels({ method: event.method }),
      };
      // Methods and outcomes are few; the bound only guards against the unexpected.
      if (this.#gatewayChildren.size < 2000) this.#gatewayChildren.set(key, children);
    }
    children.count.inc();
    children.duration.observe(event.durationMs / 1000);
    if (event.retries > 0) this.#gatewayRetries.inc(event.retries);
  }

  #operationLabel(name: string | undefined): string {
    if (name === undefined) return '(anonymous)';
    if (this.#operationNames.has(name)) return name;
    if (this.#operationNames.size >= MAX_OPERATION_NAMES) return '(other)';
    this.#operationNames.add(name);
    return name;
  }
}
