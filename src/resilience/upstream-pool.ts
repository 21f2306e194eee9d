/**
 * The undici Pool every outgoing client uses (the GraphQL gateway, the Odoo client, the proxy's
 * upstream), set up one way — keep-alive, connect/headers/body timeouts, a cap on the size of an answer
 * (undici's `maxResponseSize`: beyond it the body fails with UND_ERR_RES_EXCEEDED_MAX_SIZE, which
 * upstream-failures.ts calls TOO_LARGE) — and read one way for `/metrics`: undici's socket figures plus
 * the client's own bound on requests (RequestSlots).
 */
import { Pool, type Dispatcher } from 'undici';
import { CONFIG_DEFAULTS } from '../config.js';
import { RequestSlots } from './request-slots.js';

/** The pool's own defaults, which no configuration variable sets. */
export const UPSTREAM_POOL_DEFAULTS = Object.freeze({
  /** Milliseconds an idle socket stays open for reuse. */
  keepAliveTimeout: 10_000,
  /** Largest answer accepted, in bytes. */
  maxResponseBytes: 64 * 1024 * 1024,
  /** Most milliseconds to establish a connection to Odoo or the proxy's upstream (at most their `timeout`). */
  connectTimeout: 5_000,
  /** Most sockets to a real Odoo (workers serve one request each) and to the proxy's upstream. */
  odooConnections: 32,
  proxyConnections: 64,
});

export interface UpstreamPoolSettings {
  /** Most sockets kept open. */
  readonly connections: number;
  /** Milliseconds to establish a connection. */
  readonly connectTimeout: number;
  /** Milliseconds to wait for the answer's headers, and between two chunks of its body. */
  readonly timeout: number;
  /** Milliseconds an idle socket stays open for reuse. */
  readonly keepAliveTimeout: number;
  /** Largest answer accepted, in bytes (undici fails the body beyond it). */
  readonly maxResponseBytes: number;
}

export function createUpstreamPool(origin: string, settings: UpstreamPoolSettings): Pool {
  return new Pool(origin, {
    connections: settings.connections,
    keepAliveTimeout: settings.keepAliveTimeout,
    connect: { timeout: settings.connectTimeout },
    headersTimeout: settings.timeout,
    bodyTimeout: settings.timeout,
    maxResponseSize: settings.maxResponseBytes,
    pipelining: 1,
  });
}

/** Sockets and requests now; the pool figures are zero without an own pool (an injected dispatcher). */
export interface PoolStats {
  readonly connected: number;
  readonly free: number;
  readonly running: number;
  readonly queued: number;
  readonly inFlight: number;
  readonly capacity: number;
}

export function poolStats(pool: Pool | undefined, slots: RequestSlots): PoolStats {
  const stats = pool?.stats;
  return {
    connected: stats?.connected ?? 0,
    free: stats?.free ?? 0,
    running: stats?.running ?? 0,
    queued: stats?.queued ?? 0,
    inFlight: slots.inUse,
    capacity: slots.capacity,
  };
}

/**
 * The options an upstream client (Odoo, the proxy's upstream) takes about its connection. The backends
 * are given ODOO_* or UPSTREAM_* from the config (app.ts); the defaults here serve other callers (tests).
 */
export interface UpstreamConnectionOptions {
  /** Base URL, optionally with a path prefix. */
  readonly url: string;
  /** Milliseconds to wait for the answer's headers, and between two chunks of its body. Default: UPSTREAM_TIMEOUT_MS's. */
  readonly timeout?: number;
  /** Milliseconds to establish a connection. Default the smaller of UPSTREAM_POOL_DEFAULTS.connectTimeout and `timeout`. */
  readonly connectTimeout?: number;
  /** Most sockets kept open. */
  readonly connections?: number;
  /** Milliseconds an idle socket stays open for reuse. Default: UPSTREAM_POOL_DEFAULTS's. */
  readonly keepAliveTimeout?: number;
  /** Largest answer accepted, in bytes (502 beyond). Default: UPSTREAM_POOL_DEFAULTS's. */
  readonly maxResponseBytes?: number;
  /** Requests allowed to wait beyond `connections` before 503. Default: UPSTREAM_QUEUE's. */
  readonly maxQueue?: number;
  /**
   * Sends every request here instead of an own Pool (tests: undici's MockAgent); not closed by the client.
   * Its own options bound the answers' size, not `maxResponseBytes`.
   */
  readonly dispatcher?: Dispatcher;
}

/** What an upstream client works with, resolved once from its options. */
export interface UpstreamConnection {
  readonly origin: string;
  /** The URL's path prefix, without a trailing slash. */
  readonly basePath: string;
  readonly timeout: number;
  readonly maxResponseBytes: number;
  /** Own pool, or undefined when a dispatcher was injected. */
  readonly pool: Pool | undefined;
  readonly dispatcher: Dispatcher;
  readonly slots: RequestSlots;
}

export function openUpstreamConnection(options: UpstreamConnectionOptions, defaultConnections: number): UpstreamConnection {
  const url = new URL(options.url);
  // ODOO_TIMEOUT_MS and ODOO_QUEUE have the same defaults as UPSTREAM_TIMEOUT_MS and UPSTREAM_QUEUE.
  const timeout = options.timeout ?? CONFIG_DEFAULTS.UPSTREAM_TIMEOUT_MS;
  const connections = options.connections ?? defaultConnections;
  const maxResponseBytes = options.maxResponseBytes ?? UPSTREAM_POOL_DEFAULTS.maxResponseBytes;
  const pool = options.dispatcher
    ? undefined
    : createUpstreamPool(url.origin, {
        connections,
        keepAliveTimeout: options.keepAliveTimeout ?? UPSTREAM_POOL_DEFAULTS.keepAliveTimeout,
        connectTimeout: options.connectTimeout ?? Math.min(UPSTREAM_POOL_DEFAULTS.connectTimeout, timeout),
        timeout,
        maxResponseBytes,
      });
  return {
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    timeout,
    maxResponseBytes,
    pool,
    dispatcher: options.dispatcher ?? pool!,
    slots: new RequestSlots(connections + (options.maxQueue ?? CONFIG_DEFAULTS.UPSTREAM_QUEUE)),
  };
}
