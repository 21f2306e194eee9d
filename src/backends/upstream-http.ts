/**
 * One upstream server of a backend (a real Odoo for BACKEND=odoo, the REST gateway for BACKEND=proxy),
 * reached one way: a slot first (503 `upstream_overloaded` when `connections + maxQueue` requests are
 * already held), the request on the keep-alive pool (or an injected dispatcher: undici's MockAgent in
 * tests), the whole answer read up to `maxResponseBytes` (502 above), and transport failures as the
 * contract's 502/504 (upstream-failure.ts). What the answer means is the client's business.
 */
import type { Dispatcher } from 'undici';
import { openUpstreamConnection, poolStats, type PoolStats, type UpstreamConnection, type UpstreamConnectionOptions } from '../resilience/upstream-pool.js';
import { BackendError } from './errors.js';
import { upstreamFailure } from './upstream-failure.js';

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
    const { slots, dispatcher, origin, basePath, timeout } = this.#connection;
    if (!slots.tryAcquire()) {
      throw new BackendError('upstream_overloaded', `${this.what} has too many requests waiting (${slots.capacity}): retry in a moment`);
    }
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
      return { status: response.statusCode, headers: response.headers, body: await this.#read(response.body) };
    } catch (error) {
      if (error instanceof BackendError) throw error;
      throw upstreamFailure(error, this.what, timeout);
    } finally {
      slots.release();
    }
  }

  async #read(body: Dispatcher.ResponseData['body']): Promise<Buffer> {
    const limit = this.#connection.maxResponseBytes;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        body.destroy();
        throw new BackendError('upstream_unreachable', `${this.what} sent an answer larger than ${limit} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** Closes the own connection pool (an injected dispatcher is left to its owner). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#connection.dispatcher.close();
  }
}
