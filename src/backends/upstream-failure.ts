/**
 * Failures to reach an upstream server (a real Odoo for BACKEND=odoo, the REST gateway for
 * BACKEND=proxy) as BackendErrors, with the name, status and message of the table in
 * src/resilience/upstream-failures.ts (docs/rest-contract.md, "Errors": 502, 503, 504). undici reports
 * transport failures with stable codes on the error or its `cause`; messages name the upstream by role
 * only, never its address.
 */
import { errorCodeOf } from '../resilience/retry.js';
import { transportFailureKind, UPSTREAM_FAILURES, type UpstreamFailureKind } from '../resilience/upstream-failures.js';
import { BackendError } from './errors.js';

/** The kinds of the table a backend meets (a backend's requests are never cancelled by a caller). */
export type BackendFailureKind = Exclude<UpstreamFailureKind, 'ABORTED'>;

/** The BackendError of a failure of this kind; `what` names the upstream ("the Odoo server"), `detail` is what the table's message takes. */
export function upstreamError(
  kind: BackendFailureKind,
  what: string,
  detail?: string | number,
  options?: { cause?: unknown },
): BackendError {
  const failure = UPSTREAM_FAILURES[kind];
  return new BackendError(failure.backendName, failure.message(what, detail), options);
}

/** The limits a transport failure's message names. */
export interface UpstreamLimits {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

/**
 * A transport failure as a BackendError: `upstream_timeout` (504) when the upstream did not connect or
 * answer within `timeoutMs`, `upstream_unreachable` (502) when its answer grew past `maxResponseBytes`
 * or nothing usable came back (the message then names undici's or Node's code).
 */
export function upstreamFailure(error: unknown, what: string, limits: UpstreamLimits): BackendError {
  const kind = transportFailureKind(error);
  if (kind === 'TIMEOUT') return upstreamError('TIMEOUT', what, limits.timeoutMs, { cause: error });
  if (kind === 'TOO_LARGE') return upstreamError('TOO_LARGE', what, limits.maxResponseBytes, { cause: error });
  return upstreamError('UNREACHABLE', what, errorCodeOf(error) ?? 'unknown error', { cause: error });
}
