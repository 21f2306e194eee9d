/**
 * The undici Pool every outgoing client uses (the GraphQL gateway, the Odoo client, the proxy's
 * upstream), set up one way — keep-alive, connect/headers/body timeouts — and read one way for
 * `/metrics`: undici's socket figures plus the client's own bound on requests (RequestSlots).
 */
import { Pool, type Dispatcher } from 'undici';
import { RequestSlots } from './request-slots.js';

export interface UpstreamPoolSettings {
  /** Most sockets kept open. */
  readonly connections: number;
  /** Milliseconds to establish a connection. */
  readonly connectTimeout: number;
  /** Milliseconds to wait for the answer's headers, and between two chunks of its body. */
  readonly timeout: number;
  /** Milliseconds an idle socket stays open for reuse. */
  readonly keepAliveTimeout: number;
}

export function createUpstreamPool(origin: string, settings: UpstreamPoolSettings): Pool {
  return new Pool(origin, {
    connections: settings.connections,
    keepAliveTimeout: settings.keepAliveTimeout,
    connect: { timeout: settings.connectTimeout },
    headersTimeout: settings.timeout,
    bodyTimeout: settings.timeout,
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

/** The options an upstream client (Odoo, the proxy's upstream) takes about its connection. */
export interface UpstreamConnectionOptions {
  /** Base URL, optionally with a path prefix. */
  readonly url: string;
  /** Milliseconds to wait for the answer's headers, and between two chunks of its body. Default 30000. */
  readonly timeout?: number;
  /** Milliseconds to establish a connection. Default the smaller of 5000 and `timeout`. */
  readonly connectTimeout?: number;
  /** Most sockets kept open. */
  readonly connections?: number;
  /** Milliseconds an idle socket stays open for reuse. Default 10000. */
  readonly keepAliveTimeout?: number;
  /** Largest answer accepted, in bytes. Default 64 MiB. */
  readonly maxResponseBytes?: number;
  /** Requests allowed to wait beyond `connections` before 503. Default 256. */
  readonly maxQueue?: number;
  /** Sends every request here instead of an own Pool (tests: undici's MockAgent); not closed by the client. */
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
  const timeout = options.timeout ?? 30_000;
  const connections = options.connections ?? defaultConnections;
  const pool = options.dispatcher
    ? undefined
    : createUpstreamPool(url.origin, {
        connections,
        keepAliveTimeout: options.keepAliveTimeout ?? 10_000,
        connectTimeout: options.connectTimeout ?? Math.min(5_000, timeout),
        timeout,
      });
  return {
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    timeout,
    maxResponseBytes: options.maxResponseBytes ?? 64 * 1024 * 1024,
    pool,
    dispatcher: options.dispatcher ?? pool!,
    slots: new RequestSlots(connections + (options.maxQueue ?? 256)),
  };
}
