/**
 * Odoo's faults as the Backend's error family (src/backends/errors.ts), so the REST layer answers them
 * with the contract's statuses. A fault arrives as the `error.data` of a JSON-RPC answer (HTTP 200,
 * test/fixtures/odoo-recordings/jsonrpc_err_*.json) or as the JSON body of a /json/2 error (HTTP 4xx/5xx,
 * Odoo 19's documented shape); both name the Python exception and carry its message.
 *
 * Odoo's message is kept for the exceptions meant for users (access, missing record, business rule,
 * validation, bad domain). Anything else is an `OdooServerError`, which the REST layer answers as a
 * generic 500: its message stays in the log. The `debug` traceback is never read.
 */
import {
  AccessDenied,
  AccessError,
  BackendError,
  InvalidQueryError,
  MissingError,
  UnknownModelError,
  UserError,
  ValidationError,
} from '../errors.js';

/** The part of an Odoo fault this mapping reads. */
export interface OdooFault {
  /** Fully qualified Python exception name, e.g. `odoo.exceptions.AccessError`. */
  readonly name: string;
  readonly message: string;
  /** JSON-RPC error code: 200 for server errors, 100 for an expired session. */
  readonly code?: number;
  /** HTTP status of a /json/2 error answer. */
  readonly status?: number;
}

/** An Odoo failure with no place in the contract: a 500 with a generic message for the caller. */
export class OdooServerError extends Error {
  override readonly name = 'OdooServerError';
  constructor(
    readonly odooName: string,
    message: string,
  ) {
    super(`Odoo raised ${odooName}: ${message}`);
  }
}

export const SESSION_EXPIRED_MESSAGE = 'session expired or invalid: authenticate again at /web/session/authenticate';

/** Odoo's "Object x.y doesn't exist" (a UserError): the model is not installed (any more). */
const UNKNOWN_MODEL = /^Object (\S+) doesn't exist$/;
/** /json/2's 404 for a model it does not have (Odoo 19 `web_json_2_rpc`). */
const JSON2_UNKNOWN_MODEL = /^the model '([^']+)' does not exist$/;

/**
 * The Backend error for an Odoo fault:
 * AccessDenied / invalid key → AccessDenied (401); SessionExpired → 401; AccessError → 403;
 * MissingError → 404; "Object x doesn't exist" (/json/2: "the model 'x' does not exist") → UnknownModelError
 * (404); UserError, RedirectWarning, ValidationError → 400; ValueError (bad domain, unknown field) → 400;
 * anything else → OdooServerError (500).
 */
export function faultToError(fault: OdooFault): Error {
  const message = fault.message.trim() ? fault.message : fault.name;
  switch (fault.name) {
    case 'odoo.exceptions.AccessDenied':
    case 'werkzeug.exceptions.Unauthorized':
      return new AccessDenied(message);
    case 'odoo.http.SessionExpiredException':
      return new BackendError('odoo.http.SessionExpiredException', SESSION_EXPIRED_MESSAGE);
    case 'odoo.exceptions.AccessError':
      return new AccessError(message);
    case 'odoo.exceptions.MissingError':
      return new MissingError(message);
    case 'odoo.exceptions.UserError':
    case 'odoo.exceptions.RedirectWarning': {
      const unknown = UNKNOWN_MODEL.exec(message);
      return unknown?.[1] ? new UnknownModelError(unknown[1]) : new UserError(message);
    }
    case 'odoo.exceptions.ValidationError':
      return new ValidationError(message);
    case 'builtins.ValueError':
      return new InvalidQueryError(message);
    case 'werkzeug.exceptions.NotFound': {
      const unknown = JSON2_UNKNOWN_MODEL.exec(message);
      if (unknown?.[1]) return new UnknownModelError(unknown[1]);
      break;
    }
  }
  if (fault.code === 100) return new BackendError('odoo.http.SessionExpiredException', SESSION_EXPIRED_MESSAGE);
  if (fault.status === 401) return new AccessDenied(message);
  return new OdooServerError(fault.name || `HTTP ${fault.status ?? '?'}`, message);
}

/** Reads a fault out of a JSON-RPC `error` member, or undefined when it has not that shape. */
export function rpcFault(error: unknown): OdooFault | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, data } = error as { code?: unknown; message?: unknown; data?: { name?: unknown; message?: unknown } };
  const name = typeof data?.name === 'string' ? data.name : '';
  const text = typeof data?.message === 'string' ? data.message : typeof message === 'string' ? message : '';
  return { name, message: text, ...(typeof code === 'number' && { code }) };
}

/** Reads a fault out of a /json/2 error body (`{name, message, arguments, context, debug}`). */
export function json2Fault(status: number, body: unknown): OdooFault {
  const object = typeof body === 'object' && body !== null ? (body as { name?: unknown; message?: unknown }) : {};
  const name = typeof object.name === 'string' ? object.name : '';
  const message = typeof object.message === 'string' ? object.message : typeof body === 'string' ? body : '';
  return { name, message, status };
}
