/**
 * The one error family of the gateway client, in undici's style: a stable `code` per kind of failure,
 * the HTTP `status` it stands for, the contract's message, and the low-level `cause`.
 *
 * - `GATEWAY_HTTP_ERROR`: the gateway answered a non-2xx status. `status` is that status; `message` is
 *   the contract's `{"error": "..."}` text for a 4xx, and a fixed text for a 5xx (whose body is never
 *   trusted to be free of internals).
 * - `GATEWAY_NO_CREDENTIALS`: the caller sent neither a Bearer key nor a session cookie to a route that
 *   needs one; refused with 401 before anything is sent (docs/rest-contract.md, "Auth").
 * - The gateway could not be asked, or its answer cannot be used: `GATEWAY_UNREACHABLE` (502),
 *   `GATEWAY_TIMEOUT` (504), `GATEWAY_BAD_RESPONSE` (not the contract's JSON, or too large: 502),
 *   `GATEWAY_OVERLOADED` (too many requests already wait for the gateway: 503, at once) and
 *   `GATEWAY_ABORTED` (the caller went away: 499, never seen by anyone). Their statuses and messages are
 *   those of the table of upstream failures (src/resilience/upstream-failures.ts); `gatewayFailure`
 *   makes them.
 */
import { UPSTREAM_FAILURES, type UpstreamFailureKind } from '../resilience/upstream-failures.js';

export type GatewayErrorCode =
  | 'GATEWAY_HTTP_ERROR'
  | 'GATEWAY_NO_CREDENTIALS'
  | 'GATEWAY_UNREACHABLE'
  | 'GATEWAY_TIMEOUT'
  | 'GATEWAY_BAD_RESPONSE'
  | 'GATEWAY_OVERLOADED'
  | 'GATEWAY_ABORTED';

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly code: GatewayErrorCode,
    /** The gateway's HTTP status for `GATEWAY_HTTP_ERROR`; 401, 502, 503, 504 or 499 for the others. */
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** How the gateway is named in its failures' messages. */
const WHAT = 'the REST gateway';

/** The GatewayError of an upstream failure of this kind: code, status and message from the table; `detail` is what the message takes. */
export function gatewayFailure(kind: UpstreamFailureKind, detail?: string | number, options?: { cause?: unknown }): GatewayError {
  const failure = UPSTREAM_FAILURES[kind];
  return new GatewayError(failure.gatewayCode, failure.status, failure.message(WHAT, detail), options);
}
