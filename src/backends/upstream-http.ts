/**
 * One upstream server of a backend (a real Odoo for BACKEND=odoo, the REST gateway for BACKEND=proxy),
 * reached one way: a slot first (503 `upstream_overloaded` when `connections + maxQueue` requests are
 * already held), the request on the keep-alive pool (or an injected dispatcher: undici's MockAgent in
 * tests), the whole answer read (the pool's `maxResponseSize` stops it past `maxResponseBytes`: 502), and
 * transport failures as the contract's 502/504 (upstream-failure.ts). What the answer means is the
 * client's business.
 */
import type { Dispatcher } from 'undici';
import {
  openUpstreamConnection,
  poolStats,
  type PoolStats,
  type UpstreamConnection,
  type UpstreamConnectionOptions,
} from '../resilience/upstream-pool.js';
import { upstreamError, upstreamFailure } from './upstream-failure.js';

export interface UpstreamRequest {
  readonly method: Dispatcher.HttpMethod;
  /** Path (and query) below the upstream's base URL. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer | undefined;
}

export interface UpstreamAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export class UpstreamHttp {
  readonly #connection: UpstreamConnection;
  readonly #ownsDispatcher: boolean;

  /** `what` names the upstream in messages ("the Odoo server"), never its address. */
  constructor(
    options: UpstreamConnectionOptions,
    defaultConnections: number,
    private readonly what: string,
  ) {
    this.#connection = openUpstreamConnection(options, defaultConnections);
    this.#ownsDispatcher = !options.dispatcher;
  }

  /** Sockets and requests now (pool figures are zero with an injected dispatcher). */
  get stats(): PoolStats {
    return poolStats(this.#connection.pool, this.#connection.slots);
  }

  /** Sends the request and reads the whole answer; rejects only with a 502/503/504 BackendError. */
  async send(request: UpstreamRequest): Promise<UpstreamAnswer> {
    const { slots, dispatcher, origin, basePath, timeout, maxResponseBytes } = this.#connection;
    if (!slots.tryAcquire()) throw upstreamError('OVERLOADED', this.what, slots.capacity);
    try {
      const response = await dispatcher.request({
        origin,
        path: `${basePath}${request.path}`,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const body = Buffer.from(await response.body.arrayBuffer());
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      throw upstreamFailure(error, this.what, { timeoutMs: timeout, maxResponseBytes });
    } finally {
      slots.release();
    }
  }

  /** Closes the own connection pool (an injected dispatcher is left to its owner). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#connection.dispatcher.close();
  }
}
