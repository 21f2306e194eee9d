/**
 * UpstreamClient: HTTP to the upstream REST gateway of BACKEND=proxy (an Odoo running `mrm_rest_api`,
 * the app of docs/rest-contract.md, or another instance of this server) over an undici Pool with keep-alive. It forwards a
 * request as given and hands back the answer as received; connection failures and timeouts become the
 * contract's 502/504 (upstream-failure.ts). At most `connections + maxQueue` requests are held at once;
 * past that a request fails at once with 503 rather than queueing behind a slow upstream.
 *
 * It is no Backend: the REST face forwards to it (src/rest/proxy-routes.ts) and the GraphQL gateway client
 * calls it directly. As the DataSource of BACKEND=proxy it answers /readyz with the upstream's health,
 * reports its pool to /metrics and describes itself in the start banner.
 */
import type { DataSource, DataSourceDescription } from '../backend.js';
import { UPSTREAM_POOL_DEFAULTS, type PoolStats, type UpstreamConnectionOptions } from '../../resilience/upstream-pool.js';
import { upstreamError } from '../upstream-failure.js';
import { UpstreamHttp, type UpstreamAnswer } from '../upstream-http.js';

/** Connection options: `url` is UPSTREAM_URL; 64 sockets by default; an answer above `maxResponseBytes` is a 502. */
export type UpstreamClientOptions = UpstreamConnectionOptions;

export interface ForwardRequest {
  readonly method: string;
  /** Path and query as the caller sent them (`/api/sale_order?domain=...`). */
  readonly pathAndQuery: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer | undefined;
}

export type ForwardResponse = UpstreamAnswer;

const WHAT = 'the upstream REST gateway';

export class UpstreamClient implements DataSource {
  /** UPSTREAM_URL: the upstream REST gateway, which GraphQL's gateway client may call directly too. */
  readonly url: string;
  /** DataSource.pools: the connection pool to the upstream. */
  readonly pools: DataSource['pools'] = { upstream: this };
  readonly #http: UpstreamHttp;

  constructor(options: UpstreamClientOptions) {
    this.url = options.url;
    this.#http = new UpstreamHttp(options, UPSTREAM_POOL_DEFAULTS.proxyConnections, WHAT);
  }

  /** Sockets and requests now (pool figures are zero with an injected dispatcher). */
  get stats(): PoolStats {
    return this.#http.stats;
  }

  /** Sends the request upstream and reads the whole answer; rejects only with a 502/503/504 BackendError. */
  async forward(request: ForwardRequest): Promise<ForwardResponse> {
    return this.#http.send({ method: request.method, path: request.pathAndQuery, headers: request.headers, body: request.body });
  }

  /** DataSource.ping: `GET /api/health` upstream answers 200. */
  async ping(): Promise<void> {
    const { status } = await this.forward({ method: 'GET', pathAndQuery: '/api/health', headers: {} });
    if (status !== 200) throw upstreamError('BAD_ANSWER', WHAT, `is not healthy (HTTP ${status})`);
  }

  /** DataSource.describe: the upstream, which judges the API keys passed on to it. */
  describe(): DataSourceDescription {
    return {
      kind: 'remote',
      name: 'upstream',
      location: `to ${this.url}`,
      apiKeyHint: 'one that the upstream accepts: it is passed on as sent',
    };
  }

  /** Closes the own connection pool (an injected dispatcher is left to its owner). */
  close(): Promise<void> {
    return this.#http.close();
  }
}
