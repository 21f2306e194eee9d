/**
 * GatewayClient: HTTP to the REST gateway (docs/rest-contract.md) over one undici Pool with keep-alive, so the
 * GraphQL face reaches data exactly as a REST caller would (README.md, "GraphQL").
 *
 * - The base URL may be given lazily: the default gateway is this process itself, whose port is known
 *   only after listen. It is resolved on the first request.
 * - Connect, headers and body timeouts; a response size cap (undici's `maxResponseSize`); JSON in and out.
 * - GETs (reads) are retried a bounded number of times with backoff when nothing usable came back
 *   (connection refused or reset, cut mid-body, 502/503); writes never are. A slow gateway is not
 *   retried: waiting again would only double the wait. (resilience/retry.ts says why not undici's
 *   retry interceptor.)
 * - At most `connections + maxQueue` requests are held at once; past that a request fails at once with
 *   `GATEWAY_OVERLOADED` (503) instead of queueing without end behind a slow gateway.
 * - Only the caller's `Authorization` header, `session_id` cookie and Odoo context headers are forwarded (see credentials.ts).
 * - Every failure is a `GatewayError` with a stable code; a non-2xx answer keeps the contract's message
 *   for 4xx and never passes a 5xx body on.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher, Pool } from 'undici';
import { CONFIG_DEFAULTS } from '../config.js';
import { createUpstreamPool, poolStats, UPSTREAM_POOL_DEFAULTS, type PoolStats } from '../resilience/upstream-pool.js';
import { RequestSlots } from '../resilience/request-slots.js';
import { errorCodeOf, RETRYABLE_TRANSPORT_CODES, withRetries, type RetryPolicy } from '../resilience/retry.js';
import { transportFailureKind } from '../resilience/upstream-failures.js';
import { COMPANIES_HEADER, type Credentials } from './credentials.js';
import { gatewayFailure, GatewayError, type GatewayErrorCode } from './gateway-error.js';
import { cacheKey, freezeShared, RevalidationCache, type RevalidationCacheStats } from './revalidation-cache.js';

export interface GatewayClientOptions {
  /** Base URL of the gateway (`http://127.0.0.1:4000`, or with a path prefix), or a function giving it on first use. */
  readonly url: string | (() => string);
  /** Most sockets kept open to the gateway. Default: GATEWAY_CONNECTIONS's (see GATEWAY_DEFAULTS for all). */
  readonly connections?: number;
  /** Milliseconds to establish a connection. Default: GATEWAY_CONNECT_TIMEOUT_MS's. */
  readonly connectTimeout?: number;
  /** Headers sent with every request, besides the caller's credentials (e.g. the self-gateway's hop token). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Milliseconds to wait for the answer's headers, and between two chunks of its body (undici checks about once a second). Default: GATEWAY_TIMEOUT_MS's. */
  readonly timeout?: number;
  /** Milliseconds an idle socket stays open for reuse. Default: UPSTREAM_POOL_DEFAULTS's. */
  readonly keepAliveTimeout?: number;
  /** Largest answer accepted, in bytes (GATEWAY_BAD_RESPONSE beyond). Default: UPSTREAM_POOL_DEFAULTS's. */
  readonly maxResponseBytes?: number;
  /** Sent as `User-Agent`, so a gateway's logs tell the facade's requests apart. */
  readonly userAgent?: string;
  /** Retries of a GET that got nothing usable back (refused, reset, cut short, 502/503). Default: GATEWAY_RETRIES's; 0 turns them off. */
  readonly retries?: number;
  /** Milliseconds before the first retry, doubled for each next one (with jitter). Default: RETRY_BACKOFF_MS's. */
  readonly retryBackoffMs?: number;
  /** Requests allowed to wait for a socket when all `connections` are busy; more fail with 503. Default: GATEWAY_QUEUE's. */
  readonly maxQueue?: number;
  /** Told about every request once it is over (metrics). */
  readonly observer?: GatewayObserver;
  /**
   * A token that changes whenever the gateway's data may have changed (the embedded store's revision,
   * which moves with every commit of any process): while the revalidation cache is on, the same caller's
   * identical reads share one request in flight, but only while this token holds, so a read never gets an
   * answer older than a write committed before it began. Without it, reads are never shared.
   */
  readonly freshness?: () => string | undefined;
  /**
   * Bytes (estimated: twice their length) of GET answers kept for revalidation (revalidation-cache.ts): an
   * answer that came twice with the same `ETag` is kept and offered back with `If-None-Match`, and a `304`
   * reuses it. Default: GATEWAY_CACHE_MB's; 0 turns it off.
   */
  readonly cacheBytes?: number;
}

/** One finished gateway request, as metrics see it. */
export interface GatewayRequestEvent {
  readonly method: GatewayMethod;
  /** The HTTP status answered, or the status a failure stands for (502, 503, 504, 499). */
  readonly status: number;
  /** Set when the request failed. */
  readonly code?: GatewayErrorCode;
  readonly durationMs: number;
  readonly retries: number;
}

export interface GatewayObserver {
  requestDone(event: GatewayRequestEvent): void;
}

/** Sockets and requests of the gateway client's pool at one moment (undici's PoolStats plus the bound). */
export type GatewayPoolStats = PoolStats;

/** The client's defaults: the GATEWAY_* settings' defaults (config.ts) and the pool's own (upstream-pool.ts). */
export const GATEWAY_DEFAULTS = Object.freeze({
  connections: CONFIG_DEFAULTS.GATEWAY_CONNECTIONS,
  connectTimeout: CONFIG_DEFAULTS.GATEWAY_CONNECT_TIMEOUT_MS,
  timeout: CONFIG_DEFAULTS.GATEWAY_TIMEOUT_MS,
  keepAliveTimeout: UPSTREAM_POOL_DEFAULTS.keepAliveTimeout,
  maxResponseBytes: UPSTREAM_POOL_DEFAULTS.maxResponseBytes,
  userAgent: 'odoo-graphql-facade (gateway client)',
  retries: CONFIG_DEFAULTS.GATEWAY_RETRIES,
  retryBackoffMs: CONFIG_DEFAULTS.RETRY_BACKOFF_MS,
  maxQueue: CONFIG_DEFAULTS.GATEWAY_QUEUE,
  cacheBytes: CONFIG_DEFAULTS.GATEWAY_CACHE_MB * 1024 * 1024,
});

export type GatewayMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface GatewayRequest {
  readonly method: GatewayMethod;
  /** Path below the base URL, starting with `/`, already encoded (`/api/sale_order/7`). */
  readonly path: string;
  /** Encoded query string without the `?`, or empty. */
  readonly query?: string;
  /** JSON body (sent with `Content-Type: application/json`). */
  readonly body?: unknown;
  readonly credentials?: Credentials;
  /** Cancels the request, e.g. when the GraphQL caller goes away. */
  readonly signal?: AbortSignal;
  /** Sent as `X-Request-Id`, so the gateway's log lines carry the id of the request that caused them. */
  readonly requestId?: string;
}

export interface GatewayResponse {
  /** The HTTP status answered: 304 when the kept answer was still good (its body is then `body`). */
  readonly status: number;
  readonly body: unknown;
}

/**
 * A 2xx answer as `requestText` gives it: its JSON text, not parsed (the caller checks it, and parses it
 * with `parseAnswerText` unless it can pass it on as it is). When the revalidation cache had to parse it
 * (an answer it keeps) or reused a kept answer (304), the parsed `body` comes too, and `text` may be absent.
 */
export type GatewayTextResponse =
  | { readonly status: number; readonly text: string; readonly body?: unknown }
  | { readonly status: number; readonly text?: undefined; readonly body: unknown };

/** An answer several operations may hold: its parsed body frozen, as a kept answer is (RevalidationCache.reuse). */
function shareable(response: GatewayTextResponse): GatewayTextResponse {
  if (response.body !== undefined) freezeShared(response.body);
  return response;
}

/** `promise`, or the ABORTED failure as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(gatewayFailure('ABORTED', undefined, { cause: signal.reason }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(gatewayFailure('ABORTED', undefined, { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** One request as the client sends it: built once by `#send`, then tried (and retried) as it is. */
interface Exchange {
  readonly pool: Pool;
  readonly request: GatewayRequest;
  /** Base path, route and query string. */
  readonly path: string;
  /** Sent as they are; `if-none-match` is set or removed by each try. */
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly asText: boolean;
  /** The revalidation cache's key (caller and URL) of a GET while the cache is on. */
  readonly key: string | undefined;
}

/** What may be sent again: a GET that got nothing usable back. A timeout waiting for an answer is not retried. */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof GatewayError)) return false;
  if (error.code === 'GATEWAY_HTTP_ERROR') return error.status === 502 || error.status === 503;
  if (error.code === 'GATEWAY_UNREACHABLE' || error.code === 'GATEWAY_TIMEOUT')
    return RETRYABLE_TRANSPORT_CODES.has(errorCodeOf(error.cause) ?? '');
  return false;
}

export class GatewayClient {
  readonly #options: Required<Omit<GatewayClientOptions, 'url' | 'observer' | 'freshness'>>;
  readonly #freshness: (() => string | undefined) | undefined;
  readonly #cache: RevalidationCache | undefined;
  readonly #url: string | (() => string);
  readonly #observer: GatewayObserver | undefined;
  readonly #slots: RequestSlots;
  /** Reads in flight while the revalidation cache is on, by answer form and cache key (caller and URL), with the freshness token they began under. */
  readonly #inFlight = new Map<string, { readonly token: string; readonly answer: Promise<GatewayTextResponse> }>();
  readonly #retryPolicy: RetryPolicy;
  #pool: Pool | undefined;
  #origin = '';
  #basePath = '';
  #requests = 0;
  #closed = false;

  constructor(options: GatewayClientOptions) {
    this.#url = options.url;
    this.#freshness = options.freshness;
    this.#options = {
      connections: options.connections ?? GATEWAY_DEFAULTS.connections,
      connectTimeout: options.connectTimeout ?? GATEWAY_DEFAULTS.connectTimeout,
      timeout: options.timeout ?? GATEWAY_DEFAULTS.timeout,
      keepAliveTimeout: options.keepAliveTimeout ?? GATEWAY_DEFAULTS.keepAliveTimeout,
      maxResponseBytes: options.maxResponseBytes ?? GATEWAY_DEFAULTS.maxResponseBytes,
      userAgent: options.userAgent ?? GATEWAY_DEFAULTS.userAgent,
      headers: options.headers ?? {},
      retries: options.retries ?? GATEWAY_DEFAULTS.retries,
      retryBackoffMs: options.retryBackoffMs ?? GATEWAY_DEFAULTS.retryBackoffMs,
      maxQueue: options.maxQueue ?? GATEWAY_DEFAULTS.maxQueue,
      cacheBytes: options.cacheBytes ?? GATEWAY_DEFAULTS.cacheBytes,
    };
    const mayBeZero = new Set(['retries', 'retryBackoffMs', 'maxQueue', 'cacheBytes']);
    for (const [name, value] of Object.entries(this.#options)) {
      if (typeof value === 'number' && !(Number.isSafeInteger(value) && value >= (mayBeZero.has(name) ? 0 : 1))) {
        throw new TypeError(
          `GatewayClient option '${name}' must be a ${mayBeZero.has(name) ? 'non-negative' : 'positive'} integer, got ${value}`,
        );
      }
    }
    this.#observer = options.observer;
    this.#slots = new RequestSlots(this.#options.connections + this.#options.maxQueue);
    this.#retryPolicy = { retries: this.#options.retries, backoffMs: this.#options.retryBackoffMs };
    this.#cache = this.#options.cacheBytes > 0 ? new RevalidationCache(this.#options.cacheBytes) : undefined;
    if (typeof this.#url === 'string') this.#resolve();
  }

  /** Requests sent so far (dispatched to the pool), for tests and metrics. */
  get requestCount(): number {
    return this.#requests;
  }

  /** Sockets and requests now: undici's pool figures and this client's own bound. */
  get stats(): GatewayPoolStats {
    return poolStats(this.#pool, this.#slots);
  }

  /** Answers kept for revalidation now (undefined when that cache is off). */
  get cacheStats(): RevalidationCacheStats | undefined {
    return this.#cache?.stats;
  }

  /** The resolved base URL, or undefined while a lazy URL has not been needed yet. */
  get url(): string | undefined {
    return this.#pool ? `${this.#origin}${this.#basePath}` : undefined;
  }

  /** Milliseconds the client waits for an answer (see `GatewayClientOptions.timeout`). */
  get timeout(): number {
    return this.#options.timeout;
  }

  #resolve(): Pool {
    if (this.#pool) return this.#pool;
    let text: string;
    try {
      text = typeof this.#url === 'function' ? this.#url() : this.#url;
    } catch (error) {
      throw gatewayFailure('UNREACHABLE', 'its address is not known yet', { cause: error });
    }
    let url: URL;
    try {
      url = new URL(text);
    } catch (error) {
      throw new TypeError(`invalid gateway URL '${text}': expected http(s)://host[:port][/path]`, { cause: error });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`invalid gateway URL '${text}': expected http(s)://host[:port][/path]`);
    }
    this.#origin = url.origin;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#pool = createUpstreamPool(this.#origin, this.#options);
    return this.#pool;
  }

  /**
   * Sends one request and returns the parsed JSON answer of a 2xx status.
   * Throws `GatewayError`: `GATEWAY_HTTP_ERROR` for another status (with the contract's message for a
   * 4xx), `GATEWAY_TIMEOUT`, `GATEWAY_UNREACHABLE`, `GATEWAY_BAD_RESPONSE`, `GATEWAY_OVERLOADED` or
   * `GATEWAY_ABORTED`. A GET is retried as described above; the error is then the last attempt's.
   */
  async request(request: GatewayRequest): Promise<GatewayResponse> {
    // Not as text: the answer always comes parsed.
    return (await this.#send(request, false)) as GatewayResponse;
  }

  /**
   * As `request`, but a 2xx answer's JSON text is given as it is, not parsed (see `GatewayTextResponse`):
   * for a caller that can pass it on (src/gateway/raw-record-page.ts). Every failure is as `request`'s,
   * but for a 2xx body that is not JSON, which the caller finds (`parseAnswerText` throws `request`'s error).
   */
  requestText(request: GatewayRequest): Promise<GatewayTextResponse> {
    return this.#send(request, true);
  }

  async #send(request: GatewayRequest, asText: boolean): Promise<GatewayTextResponse> {
    if (this.#closed) throw gatewayFailure('UNREACHABLE', 'the client is closed');
    const pool = this.#resolve();
    const headers: Record<string, string> = { ...this.#options.headers, accept: 'application/json', 'user-agent': this.#options.userAgent };
    const { credentials } = request;
    if (credentials?.authorization !== undefined) headers.authorization = credentials.authorization;
    if (credentials?.sessionCookie !== undefined) headers.cookie = credentials.sessionCookie;
    if (credentials?.acceptLanguage !== undefined) headers['accept-language'] = credentials.acceptLanguage;
    if (credentials?.companyIds !== undefined) headers[COMPANIES_HEADER] = credentials.companyIds;
    if (request.requestId !== undefined) headers['x-request-id'] = request.requestId;
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    const path = `${this.#basePath}${request.path}${request.query ? `?${request.query}` : ''}`;
    const key = request.method === 'GET' && this.#cache ? cacheKey(credentials, path) : undefined;
    const token = key === undefined ? undefined : this.#freshness?.();
    const exchange: Exchange = { pool, request, path, headers, body, asText, key };
    if (key === undefined || token === undefined) return this.#exchange(exchange);
    // One read in flight per caller and URL: the same caller's identical reads wait for it and share
    // its answer (a write elsewhere changes every tag at once, and 32 operations would each read in
    // full where one does). Only the same credentials share, as the cache itself, and only while
    // nothing was committed since the read began (the freshness token).
    const flightKey = `${asText ? 'text' : 'json'}\n${key}`;
    const leading = this.#inFlight.get(flightKey);
    if (leading?.token === token) return this.#follow(leading.answer, request, asText);
    const flight = {
      token,
      answer: this.#exchange(exchange)
        .then(shareable)
        .finally(() => {
          if (this.#inFlight.get(flightKey) === flight) this.#inFlight.delete(flightKey);
        }),
    };
    this.#inFlight.set(flightKey, flight);
    return flight.answer;
  }

  /**
   * The answer of a read another operation of the same caller has in flight; this caller's own
   * cancellation ends the wait. Should that read be cancelled by its own caller, this one reads anew.
   */
  async #follow(flight: Promise<GatewayTextResponse>, request: GatewayRequest, asText: boolean): Promise<GatewayTextResponse> {
    try {
      return await untilAborted(flight, request.signal);
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'GATEWAY_ABORTED' && !request.signal?.aborted) return this.#send(request, asText);
      throw error;
    }
  }

  /** The request, with retries for a GET, reported to the observer. */
  async #exchange(exchange: Exchange): Promise<GatewayTextResponse> {
    const { request } = exchange;
    const started = performance.now();
    let retries = 0;
    try {
      const response =
        request.method === 'GET'
          ? await withRetries(() => this.#attempt(exchange), this.#retryPolicy, isRetryable, {
              signal: request.signal,
              onRetry: () => retries++,
            })
          : await this.#attempt(exchange);
      this.#observer?.requestDone({ method: request.method, status: response.status, durationMs: performance.now() - started, retries });
      return response;
    } catch (error) {
      if (error instanceof GatewayError) {
        this.#observer?.requestDone({
          method: request.method,
          status: error.status,
          code: error.code,
          durationMs: performance.now() - started,
          retries,
        });
      }
      throw error;
    }
  }

  /**
   * One try: a slot (or 503 at once), the request, the whole answer read and parsed. With a cache `key`
   * (a GET while the revalidation cache is on): the kept answer's tag goes along, a 304 reuses it, and a
   * new tagged 2xx answer is offered to the cache (kept once it proved stable). `asText`: a 2xx answer is
   * given as its text, parsed only when the cache keeps it (`requestText`).
   */
  async #attempt(exchange: Exchange): Promise<GatewayTextResponse> {
    const { pool, request, path, headers, body, asText, key } = exchange;
    const entry = key === undefined ? undefined : this.#cache?.get(key);
    const cached = entry?.body !== undefined ? entry : undefined;
    if (cached) headers['if-none-match'] = cached.etag;
    else delete headers['if-none-match'];
    if (!this.#slots.tryAcquire()) throw gatewayFailure('OVERLOADED', this.#slots.capacity);
    try {
      this.#requests++;
      let answer: Dispatcher.ResponseData;
      try {
        answer = await pool.request({
          method: request.method,
          path,
          headers,
          body,
          ...(request.signal && { signal: request.signal }),
        });
      } catch (error) {
        throw this.#failure(error, request.signal);
      }
      if (answer.statusCode === 304 && cached) {
        await answer.body.dump();
        return { status: 304, body: RevalidationCache.reuse(cached) };
      }
      let text: string;
      try {
        text = await this.#readBody(answer);
      } catch (error) {
        throw error instanceof GatewayError ? error : this.#failure(error, request.signal);
      }
      const status = answer.statusCode;
      const etag = key !== undefined && this.#cache ? answer.headers.etag : undefined;
      // A 2xx answer wanted as text is parsed only when the cache is to keep it (its second coming).
      if (asText && status >= 200 && status < 300 && !(typeof etag === 'string' && this.#cache?.keeps(key!, etag))) {
        if (key !== undefined && this.#cache) {
          if (typeof etag === 'string') this.#cache.offer(key, etag, undefined, 0);
          else this.#cache.delete(key);
        }
        return { status, text };
      }
      let parsed: unknown;
      try {
        parsed = parseAnswerText(status, text);
      } catch (error) {
        if (key !== undefined) this.#cache?.delete(key);
        throw error;
      }
      if (key !== undefined && this.#cache) {
        // Asked as text, the kept answer's text may be held beside it (rest-gateway.ts): counted too.
        if (typeof etag === 'string') this.#cache.offer(key, etag, parsed, asText ? Math.ceil(text.length * 1.5) : text.length);
        else this.#cache.delete(key);
      }
      return asText ? { status, text, body: parsed } : { status, body: parsed };
    } finally {
      this.#slots.release();
    }
  }

  /** The answer's text; past `maxResponseBytes` the pool's `maxResponseSize` fails it (TOO_LARGE, in `#failure`). */
  async #readBody(answer: Dispatcher.ResponseData): Promise<string> {
    // undici counts only the bytes received: an answer that declares a length above the cap is refused
    // before any is read (and so is a 5xx, whose body is otherwise dumped below).
    if (Number(answer.headers['content-length']) > this.#options.maxResponseBytes) {
      answer.body.on('error', () => undefined).destroy();
      throw gatewayFailure('TOO_LARGE', this.#options.maxResponseBytes);
    }
    if (answer.statusCode >= 500) {
      // Never read, never shown: a 5xx body may carry internals.
      await answer.body.dump();
      return '';
    }
    return answer.body.text();
  }

  /** A transport failure (undici's error) as a GatewayError: cancelled by the caller, too slow, too large or unreachable. */
  #failure(error: unknown, signal: AbortSignal | undefined): GatewayError {
    const kind = signal?.aborted ? 'ABORTED' : transportFailureKind(error);
    const detail = kind === 'TIMEOUT' ? this.#options.timeout : kind === 'TOO_LARGE' ? this.#options.maxResponseBytes : undefined;
    return gatewayFailure(kind, detail, { cause: error });
  }

  /** Closes the pool after the requests in flight; later requests fail with `GATEWAY_UNREACHABLE`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool?.close();
  }
}

/**
 * The parsed body of an answer with this status and text, for a 2xx; throws the `GatewayError` of any
 * other status (the contract's message for a 4xx, never a 5xx body), and `GATEWAY_BAD_RESPONSE` for a
 * body that is not JSON. An empty body is `undefined`.
 */
export function parseAnswerText(status: number, text: string): unknown {
  if (status >= 500) {
    const code = status === 504 ? 'GATEWAY_TIMEOUT' : 'GATEWAY_HTTP_ERROR';
    throw new GatewayError(code, status, `the REST gateway failed (HTTP ${status})`);
  }
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch (error) {
    throw gatewayFailure('BAD_ANSWER', `answered HTTP ${status} with a body that is not JSON`, { cause: error });
  }
  if (status >= 200 && status < 300) return body;
  throw new GatewayError('GATEWAY_HTTP_ERROR', status, contractMessage(body) ?? `the REST gateway refused the request (HTTP ${status})`);
}

/** Longest contract message passed on; a longer one is cut (a message is for a person, not a dump). */
const MAX_MESSAGE_LENGTH = 1000;

/** The `error` of a contract error body `{"error": "..."}`, or undefined. */
export function contractMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const message = (body as { error?: unknown }).error;
  if (typeof message !== 'string' || message.trim() === '') return undefined;
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}...` : message;
}
