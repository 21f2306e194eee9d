/**
 * Transport failures of an upstream server (a real Odoo for BACKEND=odoo, the REST gateway for
 * BACKEND=proxy) as the contract's 502 and 504 (CONTRACT.md, "Errors"). undici reports them with
 * stable codes on the error or its `cause`; messages name the upstream by role only, never its address.
 */
import { BackendError } from './errors.js';

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** The first `code` found on an error or along its `cause` chain. */
function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * `upstream_timeout` (504) when the upstream did not connect or answer within `timeoutMs`, else
 * `upstream_unreachable` (502). `what` names the upstream for the caller ("the Odoo server").
 */
export function upstreamFailure(error: unknown, what: string, timeoutMs: number): BackendError {
  const code = errorCode(error) ?? 'unknown error';
  if (TIMEOUT_CODES.has(code)) {
    return new BackendError('upstream_timeout', `${what} did not answer within ${timeoutMs} ms`, { cause: error });
  }
  return new BackendError('upstream_unreachable', `${what} is unreachable (${code})`, { cause: error });
}
