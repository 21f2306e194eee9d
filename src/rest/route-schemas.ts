/**
 * The REST routes' Fastify schemas: the one description of each route that both checks its requests
 * and becomes the OpenAPI document at /openapi.json (openapi.ts). Nothing here is kept by hand twice.
 *
 * How the schemas check requests without changing the contract (docs/rest-contract.md):
 * - requests are validated by a strict Ajv that never rewrites them (no type coercion, no defaults, no
 *   removed properties), so the handlers see exactly what was sent;
 * - Fastify validates every request before its handler runs; nothing in a handler can forget to. The
 *   /api/<slug> routes resolve the caller (401) and the model (404) in a preValidation hook first
 *   (caller.ts, `resolveApiCall`), so those answers keep their precedence over a 400 about the input;
 * - `schemaError`, the routes' schemaErrorFormatter, words a refusal as the contract does: 400
 *   `{"error": ...}` naming the parameter (`query parameter 'limit' must be an integer >= 0, got '-1'`).
 *   What a schema cannot express (a domain, field names, an order) the route refuses after it, in the
 *   same shape (list-params.ts), so a request with two faults is refused for the one the schema sees;
 * - the session routes answer in Odoo's JSON-RPC envelope, so their schemas only document
 *   (`documentedBy`): session-routes.ts answers a call that misses a member of the envelope as Odoo does;
 * - response schemas document; they do not serialise: the routes' serializer is JSON.stringify, so
 *   records (dynamic objects) are never walked by fast-json-stringify, and nothing is filtered out.
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { FastifySchema, FastifySchemaValidationError, RouteShorthandOptions } from 'fastify';
import { ApiError } from './api-error.js';

// `verbose`: a refusal can quote the value refused (`got '-1'`), as the contract's messages do.
const ajv = new Ajv({ coerceTypes: false, useDefaults: false, removeAdditional: false, allErrors: false, strict: true, verbose: true });

/** The route options that make a schema both the validator of its requests and their documentation. */
export function withSchema(schema: FastifySchema): RouteShorthandOptions {
  return {
    schema,
    validatorCompiler: ({ schema: part }) => ajv.compile(part as object),
    schemaErrorFormatter: schemaError,
    serializerCompiler: () => JSON.stringify,
  };
}

const acceptAnything = () => true;

/**
 * The route options of a route whose schema documents its requests without refusing any: the session
 * routes, which answer a call that misses a member of Odoo's envelope in Odoo's own way (session-routes.ts).
 */
export function documentedBy(schema: FastifySchema): RouteShorthandOptions {
  return { schema, validatorCompiler: () => acceptAnything, serializerCompiler: () => JSON.stringify };
}

const PART_NAMES: Readonly<Record<string, string>> = {
  querystring: 'query parameter',
  params: 'path parameter',
  body: 'request body',
  headers: 'header',
};

/** A non-negative integer, blanks around it allowed: `limit` and `offset`. */
const COUNT_PATTERN = '^\\s*[0-9]{0,15}\\s*$';
/** A record id: a positive integer. */
const ID_PATTERN = '^[1-9][0-9]{0,14}$';

/** The value a schema refused, quoted as the contract's messages quote it (its first 40 characters). */
const quoted = (value: unknown) => String(value).slice(0, 40);

/**
 * The contract's 400 for a request that fails its route schema (Fastify's schemaErrorFormatter), in the
 * contract's words where it has some (`query parameter 'limit' must be an integer >= 0, got '-1'`,
 * `invalid record id 'abc': expected a positive integer`), else naming the part and Ajv's reason
 * (`query parameter 'limit' must match pattern ...`). Ajv stops at the first failure, so one is named.
 */
export function schemaError(errors: readonly FastifySchemaValidationError[], part: string): ApiError {
  const error = errors[0] as Partial<ErrorObject> | undefined;
  const name =
    error?.instancePath?.split('/').filter(Boolean).join('.') ||
    (error?.params as { missingProperty?: string } | undefined)?.missingProperty;
  // A query parameter is a string, or an array when it is repeated.
  if (part === 'querystring' && error?.keyword === 'type' && name) return new ApiError(400, `query parameter '${name}' must be given once`);
  if (error?.keyword === 'pattern' && error.schema === COUNT_PATTERN) {
    return new ApiError(400, `query parameter '${name}' must be an integer >= 0, got '${quoted(error.data)}'`);
  }
  if (error?.keyword === 'pattern' && error.schema === ID_PATTERN)
    return new ApiError(400, `invalid record id '${quoted(error.data)}': expected a positive integer`);
  if (part === 'body' && error?.keyword === 'type' && !name) return new ApiError(400, 'request body must be a JSON object of field values');
  const where = name ? `${PART_NAMES[part] ?? 'request'} '${name}'` : (PART_NAMES[part] ?? 'request');
  return new ApiError(400, `${where} ${error?.message ?? 'is invalid'}`);
}

/** `{"error": "..."}`: every failure of the REST contract (docs/rest-contract.md, "Errors"); an OpenAPI component. */
export const API_ERROR_SCHEMA = {
  $id: 'ApiError',
  type: 'object',
  description: 'A failure, with a message a person can act on (never a stack trace).',
  required: ['error'],
  additionalProperties: false,
  properties: { error: { type: 'string', examples: ["query parameter 'limit' must be an integer >= 0, got '-1'"] } },
} as const;

const error = (description: string) => ({ description, $ref: 'ApiError#' });

/** Both ways to be a caller: `Authorization: Bearer <API key>` or the session cookie. */
export const CALLER_SECURITY: ReadonlyArray<Readonly<Record<string, readonly string[]>>> = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** The statuses every authenticated data route can answer besides its own. */
const COMMON_ERRORS = {
  400: error('Bad input, naming the parameter or field; or a business rule refused the change (Odoo UserError / ValidationError).'),
  401: error('No credentials, or a wrong or revoked API key, or an expired session (`WWW-Authenticate: Bearer`).'),
  403: error('Access rights or a record rule forbid it (Odoo AccessError).'),
  404: error("Unknown model (`unknown model '<slug>'`), or no such record."),
  500: error('Unexpected failure: a generic message; the details are in the server log.'),
  502: error('The Odoo server or upstream gateway behind this one cannot be reached.'),
  504: error('The Odoo server or upstream gateway behind this one did not answer in time.'),
};
const BODY_ERRORS = {
  413: error('Request body above the body limit (`BODY_LIMIT`).'),
  415: error('Request body not sent as `Content-Type: application/json`.'),
};

const slug = {
  type: 'string',
  description: 'The model: its name with `_` for `.` (`sale_order` is `sale.order`); the dotted name works too.',
  examples: ['sale_order'],
};
const id = { type: 'string', pattern: ID_PATTERN, description: 'Record id: a positive integer.', examples: ['21'] };
const fields = {
  type: 'string',
  description: 'Comma-separated field names (`id` is always included). Omitted: every field the caller may read, except binary ones.',
  examples: ['id,name,partner_id'],
};
const count = { type: 'string', pattern: COUNT_PATTERN };

/** A record in Odoo's read() shape; many2one as `{"id", "name"}`, x2many as id lists. Its keys depend on the model. */
const record = {
  type: 'object',
  description: 'A record in Odoo\'s read() shape: many2one as `{"id", "name"}` or false, x2many as arrays of ids, empty values false.',
  additionalProperties: true,
  properties: { id: { type: 'integer' } },
  examples: [{ id: 228, name: 'S00228', partner_id: { id: 28, name: 'Muebles Iberia' }, state: 'sale', amount_total: 95 }],
};
const values = {
  type: 'object',
  description:
    'Field values. many2one as an id, `{"id": n}`, or false/null to clear; x2many as an id list (replaces the set) or Odoo command ' +
    'triples (`[[0, 0, {values}]]` creates lines); dates `YYYY-MM-DD`, datetimes `YYYY-MM-DD HH:MM:SS` (UTC).',
  additionalProperties: true,
  examples: [
    { name: 'New Opportunity', partner_id: { id: 12 }, contact_name: 'John Doe', email_from: 'john@example.com', expected_revenue: 15000 },
  ],
};
const written = {
  type: 'object',
  required: ['id', 'record'],
  properties: { id: { type: 'integer' }, record },
};

export const HEALTH_SCHEMA: FastifySchema = {
  summary: 'Liveness',
  tags: ['health'],
  security: [],
  response: {
    200: {
      description: 'The server answers.',
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', const: 'ok' } },
    },
  },
};

/** Conditional reads (conditional-get.ts): the request header and the bodiless answer, on list and retrieve. */
const CONDITIONAL_HEADERS = {
  type: 'object',
  properties: {
    'if-none-match': {
      type: 'string',
      description: 'The `ETag` of an earlier answer to this same request (embedded backend): `304 Not Modified` if no data changed since.',
      examples: ['W/"2nq7dI0b0Ux0c3a3bYVqzmA1Q_p"'],
    },
  },
} as const;
const NOT_MODIFIED = {
  304: {
    type: 'null',
    description:
      'Not Modified: the `If-None-Match` tag is still current (no data changed); no body. Answers carry `ETag` and `Cache-Control: private, no-cache`.',
  },
} as const;

export const LIST_SCHEMA: FastifySchema = {
  summary: 'List records',
  description: 'A page of the records matching `domain` that the caller may read, with the total count.',
  tags: ['records'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug'], properties: { slug } },
  headers: CONDITIONAL_HEADERS,
  querystring: {
    type: 'object',
    properties: {
      domain: {
        type: 'string',
        description:
          'Odoo 17 domain as a Python literal or JSON list: prefix `&` `|` `!`, leaves `(path, operator, value)`, dotted paths. Default: every record.',
        examples: ['[("state","=","sale")]'],
      },
      fields,
      limit: {
        ...count,
        description: 'Page size, an integer >= 0 (0: only `total`). Default 80; above the server maximum (`MAX_LIMIT`) it is clamped.',
        examples: ['80'],
      },
      offset: { ...count, description: 'Rows to skip, an integer >= 0. Default 0.', examples: ['0'] },
      order: {
        type: 'string',
        description: "Comma-separated `field [asc|desc] [nulls first|last]` on stored fields. Default: the model's own order.",
        examples: ['date_order desc, id desc'],
      },
    },
  },
  response: {
    200: {
      description: 'One page.',
      type: 'object',
      required: ['count', 'total', 'limit', 'offset', 'results'],
      properties: {
        count: { type: 'integer', description: 'Rows in this page.' },
        total: { type: 'integer', description: 'Rows matching the domain.' },
        limit: { type: 'integer', description: 'The limit used (after clamping).' },
        offset: { type: 'integer' },
        results: { type: 'array', items: record },
      },
    },
    ...NOT_MODIFIED,
    ...COMMON_ERRORS,
  },
};

export const RETRIEVE_SCHEMA: FastifySchema = {
  summary: 'Read one record',
  tags: ['records'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug', 'id'], properties: { slug, id } },
  headers: CONDITIONAL_HEADERS,
  querystring: { type: 'object', properties: { fields } },
  response: { 200: { ...record, description: 'The record, as the caller may read it.' }, ...NOT_MODIFIED, ...COMMON_ERRORS },
};

export const CREATE_SCHEMA: FastifySchema = {
  summary: 'Create a record',
  description: 'Creates the record (with its lines, given as command triples) and answers it as the caller reads it back. All or nothing.',
  tags: ['records'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug'], properties: { slug } },
  body: values,
  response: { 201: { ...written, description: 'Created.' }, ...COMMON_ERRORS, ...BODY_ERRORS },
};

export const UPDATE_SCHEMA: FastifySchema = {
  summary: 'Update a record (PUT and PATCH both write only the fields given)',
  tags: ['records'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug', 'id'], properties: { slug, id } },
  body: values,
  response: { 200: { ...written, description: 'Updated.' }, ...COMMON_ERRORS, ...BODY_ERRORS },
};

export const DELETE_SCHEMA: FastifySchema = {
  summary: 'Delete a record',
  description: "Odoo 17's rules apply: a confirmed sale order or a purchase order must be cancelled first (400 with Odoo's message).",
  tags: ['records'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug', 'id'], properties: { slug, id } },
  response: {
    200: { description: 'Deleted.', type: 'object', required: ['ok'], properties: { ok: { type: 'boolean', const: true } } },
    ...COMMON_ERRORS,
  },
};

// Odoo's session routes: JSON-RPC 2.0 in and out; failures are HTTP 200 with an `error` member.
const rpcEnvelope = (params: object, example: object) => ({
  type: 'object',
  description: 'A JSON-RPC 2.0 call, as Odoo takes it.',
  properties: {
    jsonrpc: { type: 'string', const: '2.0' },
    method: { type: 'string', const: 'call' },
    params,
    id: { description: 'Echoed in the answer.' },
  },
  examples: [{ jsonrpc: '2.0', method: 'call', params: example, id: 1 }],
});
const rpcAnswer = (description: string) => ({
  description: `${description} Failures are HTTP 200 too, with Odoo's \`error\` member instead of \`result\`.`,
  type: 'object',
  required: ['jsonrpc'],
  properties: {
    jsonrpc: { type: 'string', const: '2.0' },
    id: {},
    result: { description: 'Session info: uid, name, username, db, user_context, is_admin, company_id, server_version...' },
    error: {
      type: 'object',
      properties: {
        code: { type: 'integer', description: '200 (Odoo Server Error) or 100 (session expired).' },
        message: { type: 'string' },
        data: {
          type: 'object',
          properties: { name: { type: 'string', examples: ['odoo.exceptions.AccessDenied'] }, message: { type: 'string' } },
        },
      },
    },
  },
});

export const AUTHENTICATE_SCHEMA: FastifySchema = {
  summary: 'Log in: sets the session_id cookie',
  tags: ['session'],
  security: [],
  body: rpcEnvelope(
    {
      type: 'object',
      required: ['db', 'login', 'password'],
      properties: { db: { type: 'string' }, login: { type: 'string' }, password: { type: 'string' } },
    },
    { db: 'odoo', login: 'demo', password: 'demo' },
  ),
  response: { 200: rpcAnswer('Logged in: the session info, and `Set-Cookie: session_id=...; HttpOnly; SameSite=Lax; Path=/`.') },
};

export const SESSION_INFO_SCHEMA: FastifySchema = {
  summary: 'Who the session (or API key) is',
  tags: ['session'],
  security: CALLER_SECURITY,
  body: rpcEnvelope({ type: 'object' }, {}),
  response: { 200: rpcAnswer("The session info, or Odoo's 'Session expired' error (code 100).") },
};

export const DESTROY_SCHEMA: FastifySchema = {
  summary: 'Log out: ends the session for every later request',
  tags: ['session'],
  security: [{ cookieAuth: [] }],
  body: rpcEnvelope({ type: 'object' }, {}),
  response: { 200: rpcAnswer('`"result": null`; the cookie is cleared.') },
};
