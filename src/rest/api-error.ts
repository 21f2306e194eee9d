/**
 * The contract's error family: every failure leaves the REST layer as `{"error": "<message>"}` with
 * one of the statuses of docs/rest-contract.md ("Errors"). `toApiError` is the single place where backend, domain
 * and framework errors become contract errors; anything unrecognised is a 500 with a generic message.
 */
import { DomainError } from '../domain/domain-error.js';
import { BackendError, databaseBusy, isDatabaseBusy, type BackendErrorName } from '../backends/errors.js';
import { STATUS_BY_UPSTREAM_FAILURE_NAME } from '../resilience/upstream-failures.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

const STATUS_BY_ODOO_NAME: Readonly<Record<BackendErrorName, number>> = {
  'odoo.exceptions.UserError': 400,
  'odoo.exceptions.ValidationError': 400,
  'builtins.ValueError': 400,
  'odoo.exceptions.AccessError': 403,
  'odoo.exceptions.AccessDenied': 401,
  'odoo.exceptions.MissingError': 404,
  'odoo.http.SessionExpiredException': 401,
  unknown_model: 404,
  // Failures to reach an upstream at all (upstream_unreachable 502, ...): their table's statuses.
  ...STATUS_BY_UPSTREAM_FAILURE_NAME,
};

/** Messages for the framework's own error codes (fastify's FST_ERR_*), phrased for an API caller. */
const FRAMEWORK_MESSAGES: Readonly<Record<string, (error: FrameworkError) => string>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => "unsupported content type: send 'Content-Type: application/json'",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => 'request body length does not match Content-Length',
  FST_ERR_CTP_BODY_TOO_LARGE: () => 'request body is too large',
  FST_ERR_CTP_EMPTY_JSON_BODY: () => 'request body is empty: send a JSON object',
  // Fastify's parser gives one error for both causes (secure-json-parse refuses prototype-polluting keys).
  FST_ERR_CTP_INVALID_JSON_BODY: () =>
    'request body is not valid JSON, or holds a "__proto__" or "constructor.prototype" key, which is refused',
  FST_ERR_BAD_URL: () => 'malformed URL: invalid percent-encoding in the path',
  FST_ERR_MAX_PARAM_LENGTH: () => 'URL path segment too long: a model slug or record id has at most 200 characters',
};

/** Framework errors whose own status is outside the contract's list: an over-long path segment is bad input. */
const FRAMEWORK_STATUS: Readonly<Record<string, number>> = { FST_ERR_MAX_PARAM_LENGTH: 400 };

interface FrameworkError {
  code?: string;
  statusCode?: number;
  message: string;
}

export const UNAUTHENTICATED_HEADERS = { 'www-authenticate': 'Bearer' } as const;

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) return new ApiError(400, error.message);
  if (error instanceof BackendError) {
    const status = STATUS_BY_ODOO_NAME[error.odooName];
    return new ApiError(status, error.message, status === 401 ? UNAUTHENTICATED_HEADERS : status === 503 ? { 'retry-after': '1' } : {});
  }
  const framework = typeof error === 'object' && error !== null ? (error as FrameworkError) : undefined;
  // SQLite still busy after its busy_timeout (another process writing: WORKERS, the CLI), outside the
  // store's transactions (which say so themselves): the caller may retry, as for any overloaded backend.
  if (isDatabaseBusy(error)) return toApiError(databaseBusy(error));
  if (framework && typeof framework.statusCode === 'number' && framework.statusCode >= 400 && framework.statusCode < 500) {
    const describe = framework.code ? FRAMEWORK_MESSAGES[framework.code] : undefined;
    if (describe) return new ApiError(FRAMEWORK_STATUS[framework.code!] ?? framework.statusCode, describe(framework));
    if (error instanceof SyntaxError) return new ApiError(400, `request body is not valid JSON: ${framework.message}`);
    return new ApiError(framework.statusCode, framework.message);
  }
  return new ApiError(500, 'internal server error: the request could not be completed (details are in the server log)');
}
