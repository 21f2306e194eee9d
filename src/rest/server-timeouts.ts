/**
 * How long the server waits for a client (issue 13), as Fastify and Node's http.Server options.
 *
 * - `headersTimeout` (HEADERS_TIMEOUT_MS): from the first byte of a request (or from the connection, for
 *   its first request) until its headers are complete;
 * - `requestTimeout` (REQUEST_TIMEOUT_MS): until the whole request, body included, has arrived.
 *   Both end in a 408 `{"error"}` (client-error.ts) and a closed connection. Neither bounds the time the
 *   server takes to answer: once the request is in, a GraphQL operation may run as long as it needs;
 * - `keepAliveTimeout` (KEEP_ALIVE_TIMEOUT_MS): how long an idle connection is kept between requests.
 *   Answers say so in `Keep-Alive: timeout=<seconds>`, which undici (the self-gateway's pool) honours,
 *   less two seconds, so that it never sends on a socket the server is closing.
 *
 * Node checks the first two every `connectionsCheckingInterval` (30 s by default, which would let a 15 s
 * timeout run to 45 s); here the interval follows the headers timeout, at most a second.
 */
import type { ServerOptions } from 'node:http';
import type { Config } from '../config.js';
import { GATEWAY_DEFAULTS } from '../gateway/gateway-client.js';
import { LINGER_DEFAULTS, type LingerBounds } from './lingering-close.js';

type TimeoutConfig = Pick<Config, 'HEADERS_TIMEOUT_MS' | 'REQUEST_TIMEOUT_MS' | 'KEEP_ALIVE_TIMEOUT_MS'>;

export interface ServerTimeoutOptions {
  /** Fastify's own options, which it sets on the http.Server after creating it. */
  readonly requestTimeout: number;
  readonly keepAliveTimeout: number;
  /** Passed by Fastify to `http.createServer`. */
  readonly http: ServerOptions;
}

export function serverTimeoutOptions(config: TimeoutConfig): ServerTimeoutOptions {
  const headersTimeout = config.HEADERS_TIMEOUT_MS;
  const requestTimeout = config.REQUEST_TIMEOUT_MS;
  const keepAliveTimeout = config.KEEP_ALIVE_TIMEOUT_MS;
  const connectionsCheckingInterval = Math.max(25, Math.min(1_000, Math.floor(headersTimeout / 4)));
  return {
    requestTimeout,
    keepAliveTimeout,
    http: { headersTimeout, requestTimeout, keepAliveTimeout, connectionsCheckingInterval },
  };
}

/**
 * The idle time of the self-gateway's sockets to this server: below the server's keep-alive timeout by a
 * second, should an answer ever come without the `Keep-Alive` hint undici otherwise follows.
 */
export function selfGatewayKeepAlive(config: TimeoutConfig): number {
  return Math.max(1, Math.min(GATEWAY_DEFAULTS.keepAliveTimeout, config.KEEP_ALIVE_TIMEOUT_MS - 1_000));
}

/**
 * How long a connection lingers after an answer sent before its body was all read (lingering-close.ts):
 * no longer than a whole request may take, and no longer idle than its headers may take (at most 2 s).
 */
export function lingerBounds(config: TimeoutConfig): LingerBounds {
  return {
    maxMs: config.REQUEST_TIMEOUT_MS,
    idleMs: Math.min(LINGER_DEFAULTS.idleMs, config.HEADERS_TIMEOUT_MS),
    maxBytes: LINGER_DEFAULTS.maxBytes,
  };
}
