/**
 * Transport failures of an upstream server (a real Odoo for BACKEND=odoo, the REST gateway for
 * BACKEND=proxy) as the contract's 502 and 504 (docs/rest-contract.md, "Errors"). undici reports them with
 * stable codes on the error or its `cause`; messages name the upstream by role only, never its address.
 */
import { errorCodeOf, TIMEOUT_TRANSPORT_CODES } from '../resilience/retry.js';
import { BackendError } from './errors.js';

/**
 * `upstream_timeout` (504) when the upstream did not connect or answer within `timeoutMs`, else
 * `upstream_unreachable` (502). `what` names the upstream for the caller ("the Odoo server").
 */
export function upstreamFailure(error: unknown, what: string, timeoutMs: number): BackendError {
  const code = errorCodeOf(error) ?? 'unknown error';
  if (TIMEOUT_TRANSPORT_CODES.has(code)) {
    return new BackendError('upstream_timeout', `${what} did not answer within ${timeoutMs} ms`, { cause: error });
  }
  return new BackendError('upstream_unreachable', `${what} is unreachable (${code})`, { cause: error });
}
