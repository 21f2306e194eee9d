/**
 * The one error family of the gateway client, in undici's style: a stable `code` per kind of failure,
 * the HTTP `status` it stands for, the contract's message, and the low-level `cause`.
 *
 * - `GATEWAY_HTTP_ERROR`: the gateway answered a non-2xx status. `status` is that status; `message` is
 *   the contract's `{"error": "..."}` text for a 4xx, and a fixed text for a 5xx (whose body is never
 *   trusted to be free of internals).
 * - `GATEWAY_NO_CREDENTIALS`: the caller sent neither a Bearer key nor a session cookie to a route that
 *   needs one; refused with 401 before anything is sent (docs/rest-contract.md, "Auth").
 * - `GATEWAY_UNREACHABLE`: connection refused, reset or closed (502).
 * - `GATEWAY_TIMEOUT`: no connection or no answer in time (504).
 * - `GATEWAY_BAD_RESPONSE`: an answer that is not the contract's JSON, or too large (502).
 * - `GATEWAY_OVERLOADED`: too many requests already wait for the gateway; refused at once (503).
 * - `GATEWAY_ABORTED`: the caller went away and the request was cancelled (499, never seen by anyone).
 */
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
