/**
 * The errors a Backend raises, named after the Odoo exceptions they stand for, so that the REST layer
 * maps them to the contract's status codes in one place (src/rest/api-error.ts) whatever the
 * backend. Messages are meant for the API caller: they name the field, model or rule concerned and never
 * carry internals.
 */
import type { UpstreamFailureName } from '../resilience/upstream-failures.js';

export type OdooExceptionName =
  | 'odoo.exceptions.UserError'
  | 'odoo.exceptions.ValidationError'
  | 'odoo.exceptions.AccessError'
  | 'odoo.exceptions.AccessDenied'
  | 'odoo.exceptions.MissingError'
  | 'odoo.http.SessionExpiredException'
  | 'builtins.ValueError'
  | 'unknown_model';

/**
 * What a BackendError stands for: an Odoo exception, or a failure to reach an upstream server at all
 * (`upstream_unreachable`, `upstream_timeout`, `upstream_overloaded`: their statuses and messages are in
 * the table of src/resilience/upstream-failures.ts, and src/backends/upstream-failure.ts raises them).
 */
export type BackendErrorName = OdooExceptionName | UpstreamFailureName;

export class BackendError extends Error {
  override readonly name: string = 'BackendError';
  constructor(
    readonly odooName: BackendErrorName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Whether `error` is SQLite's SQLITE_BUSY (or one of its extended codes): the write lock was not to be had. */
export function isDatabaseBusy(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * SQLite still busy after its busy timeout: another process (a WORKERS worker, the CLI) holds the write
 * lock. The caller may retry, as for any overloaded backend (503 with Retry-After).
 */
export function databaseBusy(cause: unknown): BackendError {
  return new BackendError('upstream_overloaded', 'the database is busy with other writes: retry in a moment', { cause });
}

/** A business rule refused the operation (Odoo's UserError). HTTP 400. */
export class UserError extends BackendError {
  override readonly name = 'UserError';
  constructor(message: string) {
    super('odoo.exceptions.UserError', message);
  }
}

/** Bad values: unknown field, wrong type, missing required field, constraint (Odoo's ValidationError). HTTP 400. */
export class ValidationError extends BackendError {
  override readonly name = 'ValidationError';
  constructor(message: string) {
    super('odoo.exceptions.ValidationError', message);
  }
}

/** A malformed query argument (bad domain leaf, unknown field in a domain or order). Odoo raises ValueError. HTTP 400. */
export class InvalidQueryError extends BackendError {
  override readonly name = 'InvalidQueryError';
  constructor(message: string) {
    super('builtins.ValueError', message);
  }
}

/** Access rights or record rules forbid the operation (Odoo's AccessError). HTTP 403. */
export class AccessError extends BackendError {
  override readonly name = 'AccessError';
  constructor(message: string) {
    super('odoo.exceptions.AccessError', message);
  }
}

/** Wrong or missing credentials (Odoo's AccessDenied). HTTP 401. */
export class AccessDenied extends BackendError {
  override readonly name = 'AccessDenied';
  constructor(message = 'Access Denied') {
    super('odoo.exceptions.AccessDenied', message);
  }
}

/** The record does not exist (Odoo's MissingError). HTTP 404. */
export class MissingError extends BackendError {
  override readonly name = 'MissingError';
  constructor(message: string) {
    super('odoo.exceptions.MissingError', message);
  }
}

/** The slug or model name names no model of this backend. HTTP 404. */
export class UnknownModelError extends BackendError {
  override readonly name = 'UnknownModelError';
  constructor(readonly slug: string) {
    super('unknown_model', `unknown model '${slug}'`);
  }
}

/** Odoo 17's answer to /web/session/authenticate for a database it does not serve: an AccessError, "Database not found.". */
export class DatabaseNotFound extends AccessError {
  constructor() {
    super('Database not found.');
  }
}
