/**
 * UpstreamClient: HTTP to the upstream REST gateway of BACKEND=proxy (an Odoo running the REST app of
 * the seed, or another instance of this server) over an undici Pool with keep-alive. It forwards a
 * request as given and hands back the answer as received; connection failures and timeouts become the
 * contract's 502/504 (upstream-failure.ts). At most `connections + maxQueue` requests are held at once;
 * past that a request fails at once with 503 rather than queueing behind a slow upstream.
 */
import type { Dispatcher, Pool } from 'undici';
import { openUpstreamConnection, poolStats, type PoolStats, type UpstreamConnectionOptions } from '../../resilience/upstream-pool.js';
import type { RequestSlots } from '../../resilience/request-slots.js';
import { BackendError } from '../errors.js';
import { upstreamFailure } from '../upstream-failure.js';

/** Connection options: `url` is UPSTREAM_URL; 64 sockets by default; an answer above `maxResponseBytes` is a 502. */
export type UpstreamClientOptions = UpstreamConnectionOptions;

export interface ForwardRequest {
  readonly method: string;
  /** Path and query as the caller sent them (`/api/sale_order?domain=...`). */
  readonly pathAndQuery: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer | undefined;
}

export interface ForwardResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

const WHAT = 'the upstream REST gateway';

export class UpstreamClient {
  readonly timeout: number;
  readonly #origin: string;
  readonly #basePath: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #maxResponseBytes: number;
  readonly #pool: Pool | undefined;
  readonly #slots: RequestSlots;

  constructor(options: UpstreamClientOptions) {
    const connection = openUpstreamConnection(options, 64);
    this.#origin = connection.origin;
    this.#basePath = connection.basePath;
    this.timeout = connection.timeout;
    this.#maxResponseBytes = connection.maxResponseBytes;
    this.#ownsDispatcher = !options.dispatcher;
    this.#pool = connection.pool;
    this.#dispatcher = connection.dispatcher;
    this.#slots = connection.slots;
  }

  /** Sockets and requests now (pool figures are zero with an injected dispatcher). */
  get stats(): PoolStats {
    return poolStats(this.#pool, this.#slots);
  }

  /** Sends the request upstream and reads the whole answer; rejects only with a 502/504 BackendError. */
  async forward(request: ForwardRequest): Promise<ForwardResponse> {
    if (!this.#slots.tryAcquire()) {
      throw new BackendError('upstream_overloaded', `${WHAT} has too many requests waiting (${this.#slots.capacity}): retry in a moment`);
    }
    try {
      const response = await this.#dispatcher.request({
        origin: this.#origin,
        path: `${this.#basePath}${request.pathAndQuery}`,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body ?? null,
        headersTimeout: this.timeout,
        bodyTimeout: this.timeout,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > this.#maxResponseBytes) {
          response.body.destroy();
          throw new BackendError('upstream_unreachable', `${WHAT} sent an answer larger than ${this.#maxResponseBytes} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
      return { status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) };
    } catch (error) {
      if (error instanceof BackendError) throw error;
      throw upstreamFailure(error, WHAT, this.timeout);
    } finally {
      this.#slots.release();
    }
  }

  /** `GET /api/health` upstream answers 200. */
  async health(): Promise<void> {
    const { status } = await this.forward({ method: 'GET', pathAndQuery: '/api/health', headers: {} });
    if (status !== 200) throw new BackendError('upstream_unreachable', `${WHAT} is not healthy (HTTP ${status})`);
  }

  /** Closes the own connection pool (an injected dispatcher is left to its owner). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }
}
