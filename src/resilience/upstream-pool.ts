/**
 * The undici Pool every outgoing client uses (the GraphQL gateway, the Odoo client, the proxy's
 * upstream), set up one way — keep-alive, connect/headers/body timeouts — and read one way for
 * `/metrics`: undici's socket figures plus the client's own bound on requests (RequestSlots).
 */
import { Pool } from 'undici';
import type { RequestSlots } from './request-slots.js';

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
