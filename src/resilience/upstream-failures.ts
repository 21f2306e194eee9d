/**
 * Every way a request to an upstream server (the REST gateway of the GraphQL face, a real Odoo, the
 * proxy's upstream) fails without an answer worth passing on, in one table, as fastify's lib/errors.js
 * keeps its codes: for each failure, the HTTP status the caller gets, the message, and the code each
 * client's error family reports it under — a BackendError's `odooName` behind the REST routes
 * (docs/rest-contract.md, "Errors") and a GatewayError's `code` behind the GraphQL face. Messages name
 * the upstream by its role (`what`: "the Odoo server"), never by its address.
 *
 * An answer the upstream did give (a 4xx, a 5xx, an Odoo fault) is not here: its status is the
 * answer's, or the Odoo exception's (src/backends/errors.ts).
 */
import { errorCodeOf } from './retry.js';

interface UpstreamFailure {
  readonly status: number;
  /** The BackendError name (REST side); none when the backends never meet it. */
  readonly backendName?: `upstream_${string}`;
  /** The GatewayError code (GraphQL side). */
  readonly gatewayCode: `GATEWAY_${string}`;
  /** `detail`: what the row's message says it takes (the code seen, milliseconds, bytes, a count). */
  readonly message: (what: string, detail?: string | number) => string;
}

export const UPSTREAM_FAILURES = {
  /** Connection refused, reset or closed; the answer cut short; bytes that are not HTTP. */
  UNREACHABLE: {
    status: 502,
    backendName: 'upstream_unreachable',
    gatewayCode: 'GATEWAY_UNREACHABLE',
    message: (what, detail) => (detail === undefined ? `${what} is unreachable` : `${what} is unreachable (${detail})`),
  },
  /** No connection, or no answer (headers, or the next chunk of the body), within the timeout. */
  TIMEOUT: {
    status: 504,
    backendName: 'upstream_timeout',
    gatewayCode: 'GATEWAY_TIMEOUT',
    message: (what, timeoutMs) => `${what} did not answer within ${timeoutMs} ms`,
  },
  /** An answer above the client's `maxResponseBytes` (undici's `maxResponseSize`). */
  TOO_LARGE: {
    status: 502,
    backendName: 'upstream_unreachable',
    gatewayCode: 'GATEWAY_BAD_RESPONSE',
    message: (what, maxBytes) => `${what} sent an answer larger than ${maxBytes} bytes`,
  },
  /** An answer that is not the protocol's (not JSON, not JSON-RPC, not the contract's shape). */
  BAD_ANSWER: {
    status: 502,
    backendName: 'upstream_unreachable',
    gatewayCode: 'GATEWAY_BAD_RESPONSE',
    message: (what, problem) => `${what} ${problem}`,
  },
  /** The client's own bound (connections + queue) is full: refused at once, before anything is sent. */
  OVERLOADED: {
    status: 503,
    backendName: 'upstream_overloaded',
    gatewayCode: 'GATEWAY_OVERLOADED',
    message: (what, capacity) => `${what} has too many requests waiting (${capacity}): retry in a moment`,
  },
  /** The caller went away and the request was cancelled (nginx's 499: nobody is left to see it). */
  ABORTED: {
    status: 499,
    gatewayCode: 'GATEWAY_ABORTED',
    message: (what) => `the request to ${what} was cancelled`,
  },
} as const satisfies Readonly<Record<string, UpstreamFailure>>;

export type UpstreamFailureKind = keyof typeof UPSTREAM_FAILURES;

type Row = (typeof UPSTREAM_FAILURES)[UpstreamFailureKind];

/** The BackendError names of upstream failures (`upstream_unreachable`, ...): not Odoo exceptions. */
export type UpstreamFailureName = Extract<Row, { backendName: string }>['backendName'];

/** The status of each BackendError name of the table (rows that share a name share a status). */
export const STATUS_BY_UPSTREAM_FAILURE_NAME: Readonly<Record<UpstreamFailureName, number>> = Object.freeze(
  Object.fromEntries(
    Object.values(UPSTREAM_FAILURES).flatMap((row) => ('backendName' in row ? [[row.backendName, row.status]] : [])),
  ) as Record<UpstreamFailureName, number>,
);

export function isUpstreamFailureName(name: string): name is UpstreamFailureName {
  return Object.hasOwn(STATUS_BY_UPSTREAM_FAILURE_NAME, name);
}

/** The failures a transport error (no answer at all) can be. */
export type TransportFailureKind = Extract<UpstreamFailureKind, 'UNREACHABLE' | 'TIMEOUT' | 'TOO_LARGE' | 'ABORTED'>;

/** undici's and Node's transport error codes, by the failure they are; any other code is UNREACHABLE. */
const KIND_BY_TRANSPORT_CODE: ReadonlyMap<string, TransportFailureKind> = new Map([
  ['UND_ERR_CONNECT_TIMEOUT', 'TIMEOUT'],
  ['UND_ERR_HEADERS_TIMEOUT', 'TIMEOUT'],
  ['UND_ERR_BODY_TIMEOUT', 'TIMEOUT'],
  ['ETIMEDOUT', 'TIMEOUT'],
  ['UND_ERR_RES_EXCEEDED_MAX_SIZE', 'TOO_LARGE'],
  ['UND_ERR_ABORTED', 'ABORTED'],
  ['ABORT_ERR', 'ABORTED'],
]);

/** Errors without a string code (DOMExceptions from an AbortSignal), by name. */
const KIND_BY_ERROR_NAME: ReadonlyMap<string, TransportFailureKind> = new Map([
  ['AbortError', 'ABORTED'],
  ['TimeoutError', 'TIMEOUT'],
]);

/** The failure a transport error (from undici, on the error or along its `cause` chain) stands for. */
export function transportFailureKind(error: unknown): TransportFailureKind {
  const name = (error as { name?: unknown } | null)?.name;
  return (
    KIND_BY_TRANSPORT_CODE.get(errorCodeOf(error) ?? '') ??
    (typeof name === 'string' ? KIND_BY_ERROR_NAME.get(name) : undefined) ??
    'UNREACHABLE'
  );
}
