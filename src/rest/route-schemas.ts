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
 *   records (dynamic objects) are never walked by fast-json-stringify, and nothing is filtered out;
 * - a record id, `limit` and `offset` arrive as text and are checked as text (a pattern), but the document
 *   shows each as the integer its pattern spells (`documentedAs`, applied by openapi.ts), so generated
 *   clients pass back the integer ids the API returns;
 * - examples are ones that work on every model (Swagger UI's "Try it out" sends them as they stand); the
 *   per-model paths of the document (openapi-models.ts) carry examples of their own model.
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
 * routes, which answer a call that misses a member of Odoo's envelope in Odoo's own way (session-routes.ts),
 * and `GET /api/<slug>/fields`, which takes no input to check (fields-route.ts).
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

/** A non-negative integer, blanks around it allowed: `limit` and `offset` (groups-schema.ts's too). */
export const COUNT_PATTERN = '^\\s*[0-9]{0,15}\\s*$';
/** A record id: a positive integer. */
const ID_PATTERN = '^[1-9][0-9]{0,14}$';
/** A field name, as Odoo spells them. */
const FIELD_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,127}$';
/** The largest number either pattern lets through: 15 digits. */
const LARGEST = 999_999_999_999_999;

/**
 * How the OpenAPI document shows a parameter that is checked as text: the integer its pattern spells
 * (a record id: 1 or more; `limit`, `offset`: 0 or more; 15 digits at most), so that generated clients
 * type them as numbers. The same value on the wire: `?limit=80`, `/api/sale_order/21`. Other schemas are
 * shown as they are. Only the document changes: the routes keep validating with the patterns, so their
 * answers and messages stay the contract's (`query parameter 'limit' must be an integer >= 0, got '-1'`).
 */
export function documentedAs(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { pattern, examples, ...rest } = schema;
  if (pattern !== ID_PATTERN && pattern !== COUNT_PATTERN) return { ...schema };
  const minimum = pattern === ID_PATTERN ? 1 : 0;
  const numbers = Array.isArray(examples) ? examples.map(Number) : undefined;
  return { ...rest, type: 'integer', minimum, maximum: LARGEST, ...(numbers && { examples: numbers }) };
}

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
  if (error?.keyword === 'pattern' && error.schema === FIELD_PATTERN)
    return new ApiError(400, `invalid field name '${quoted(error.data)}': expected letters, digits and '_'`);
  if (part === 'body' && error?.keyword === 'type' && !name) return new ApiError(400, 'request body must be a JSON object of field values');
  const where = name ? `${PART_NAMES[part] ?? 'request'} '${name}'` : (PART_NAMES[part] ?? 'request');
  return new ApiError(400, `${where} ${error?.message ?? 'is invalid'}`);
}

/** The contract's page of records (`{count, total, limit, offset, results}`), with `items` for each record. */
export function pageSchema<T extends object>(items: T) {
  return {
    type: 'object',
    required: ['count', 'total', 'limit', 'offset', 'results'],
    properties: {
      count: { type: 'integer', description: 'Rows in this page.' },
      total: { type: 'integer', description: 'Rows matching the domain.' },
      limit: { type: 'integer', description: 'The limit used (after clamping).' },
      offset: { type: 'integer' },
      results: { type: 'array', items },
    },
  } as const;
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

/** A failure answer of a route's schema: `{"error"}` with what it means there. */
export const error = (description: string) => ({ description, $ref: 'ApiError#' });

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

/** The `<slug>` path parameter, with the slug of a model the route serves as its example. */
export function slugParameter(example: string) {
  return {
    type: 'string',
    description: `The model: its name with \`_\` for \`.\` (\`${example}\` is \`${example.replaceAll('_', '.')}\`); the dotted name works too.`,
    examples: [example],
  };
}

const slug = slugParameter('sale_order');
const id = { type: 'string', pattern: ID_PATTERN, description: 'Record id: a positive integer.', examples: ['1'] };
// `display_name`: a field of every model, so the example works whatever the slug.
const fields = {
  type: 'string',
  description: 'Comma-separated field names (`id` is always included). Omitted: every field the caller may read, except binary ones.',
  examples: ['id,display_name'],
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
// No example: no one body is valid for every model (each model's own path has one that is).
const values = {
  type: 'object',
  description:
    'Field values. many2one as an id, `{"id": n}`, or false/null to clear; x2many as an id list (replaces the set) or Odoo command ' +
    'triples (`[[0, 0, {values}]]` creates lines); dates `YYYY-MM-DD`, datetimes `YYYY-MM-DD HH:MM:SS` (UTC). ' +
    "The model's fields: `GET /api/<slug>/fields`, or the model's own paths (`/api/sale_order`...).",
  additionalProperties: true,
};
const written = {
  type: 'object',
  required: ['id', 'record'],
  properties: { id: { type: 'integer' }, record },
};

export const HEALTH_SCHEMA: FastifySchema = {
  operationId: 'health',
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
    // No example: only a tag this server gave is worth sending.
    'if-none-match': {
      type: 'string',
      description: 'The `ETag` of an earlier answer to this same request (embedded backend): `304 Not Modified` if no data changed since.',
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
  operationId: 'listRecords',
  summary: 'List records',
  description: 'A page of the records matching `domain` that the caller may read, with the total count.',
  tags: ['records'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug'], properties: { slug } },
  headers: CONDITIONAL_HEADERS,
  querystring: {
    type: 'object',
    properties: {
      // No example: a leaf names fields of one model (each model's own path has one).
      domain: {
        type: 'string',
        description:
          'Odoo 17 domain as a Python literal or JSON list: prefix `&` `|` `!`, leaves `(path, operator, value)`, dotted paths, ' +
          'e.g. `[("state","=","sale")]` on sale_order. Default: every record.',
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
        description:
          "Comma-separated `field [asc|desc] [nulls first|last]` on stored fields, e.g. `date_order desc, id desc` on sale_order. Default: the model's own order.",
        examples: ['id desc'],
      },
    },
  },
  response: {
    200: { description: 'One page.', ...pageSchema(record) },
    ...NOT_MODIFIED,
    ...COMMON_ERRORS,
  },
};

export const RETRIEVE_SCHEMA: FastifySchema = {
  operationId: 'getRecord',
  summary: 'Read one record',
  tags: ['records'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug', 'id'], properties: { slug, id } },
  headers: CONDITIONAL_HEADERS,
  querystring: { type: 'object', properties: { fields } },
  response: { 200: { ...record, description: 'The record, as the caller may read it.' }, ...NOT_MODIFIED, ...COMMON_ERRORS },
};

export const CREATE_SCHEMA: FastifySchema = {
  operationId: 'createRecord',
  summary: 'Create a record',
  description: 'Creates the record (with its lines, given as command triples) and answers it as the caller reads it back. All or nothing.',
  tags: ['records'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug'], properties: { slug } },
  body: values,
  response: { 201: { ...written, description: 'Created.' }, ...COMMON_ERRORS, ...BODY_ERRORS },
};

/** PUT and PATCH alike; the document names the PATCH operation `patchRecord` (openapi.ts). */
export const UPDATE_SCHEMA: FastifySchema = {
  operationId: 'updateRecord',
  summary: 'Update a record (PUT and PATCH both write only the fields given)',
  tags: ['records'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug', 'id'], properties: { slug, id } },
  body: values,
  response: { 200: { ...written, description: 'Updated.' }, ...COMMON_ERRORS, ...BODY_ERRORS },
};

export const DELETE_SCHEMA: FastifySchema = {
  operationId: 'deleteRecord',
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

/** A method name, as the action route takes it: checked by the route (src/backends/actions.ts), to name what is wrong. */
const method = {
  type: 'string',
  maxLength: 100,
  description: 'The method: a public record method of the model (`action_confirm`); `GET /api/<slug>/actions` lists the known ones.',
  examples: ['action_confirm'],
};

export const ACTION_SCHEMA: FastifySchema = {
  operationId: 'callAction',
  summary: 'Call a business action on a record (extension)',
  description:
    "Calls Odoo's method on the record as the caller (`sale_order` `action_confirm`, `crm_lead` `action_set_won`) and reads the " +
    "record back (`fields` as in a retrieve). The body is optional. Private methods and the ORM's own (`write`, `unlink`, " +
    "`sudo`...) are refused (400); a method the model does not have is a 404; Odoo's refusals keep their status (UserError 400 " +
    'with its message, AccessError 403). On the embedded store, one transaction with the read-back.',
  tags: ['actions'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug', 'id', 'method'], properties: { slug, id, method } },
  querystring: { type: 'object', properties: { fields } },
  body: {
    type: 'object',
    additionalProperties: false,
    description: "Arguments, as Odoo's RPC takes them after the record ids.",
    properties: {
      args: { type: 'array', maxItems: 32, description: 'Positional arguments after the record (rarely needed).' },
      kwargs: {
        type: 'object',
        maxProperties: 32,
        description: 'Keyword arguments (`{"lost_reason_id": 2}` for `action_set_lost`).',
        additionalProperties: true,
      },
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['id', 'result', 'record'],
      description: "The method's return value (JSON: `true`, or a window action when Odoo answers a wizard) and the record read back.",
      properties: { id: { type: 'integer' }, result: {}, record },
    },
    ...COMMON_ERRORS,
    ...BODY_ERRORS,
  },
};

export const ACTIONS_SCHEMA: FastifySchema = {
  operationId: 'listActions',
  summary: "A model's business actions (extension)",
  description:
    'The actions known for the model, with their keyword arguments: those the embedded store implements, or, in front of Odoo, ' +
    'the ones known to exist in Odoo 17 (any other public method can be called too).',
  tags: ['actions'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug'], properties: { slug } },
  response: {
    200: {
      type: 'object',
      required: ['actions'],
      properties: {
        actions: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'label', 'description', 'kwargs'],
            properties: {
              name: { type: 'string', examples: ['action_confirm'] },
              label: { type: 'string', examples: ['Confirm'] },
              description: { type: 'string' },
              kwargs: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['name', 'type', 'required', 'description'],
                  properties: {
                    name: { type: 'string' },
                    type: { type: 'string', examples: ['many2one'] },
                    relation: { type: 'string' },
                    required: { type: 'boolean' },
                    description: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
    ...COMMON_ERRORS,
  },
};

/** One field in Odoo's `fields_get` shape, as `GET /api/<slug>/fields` gives it; an OpenAPI component. */
export const FIELD_META_SCHEMA = {
  $id: 'FieldMeta',
  type: 'object',
  description: "A field's metadata in Odoo's `fields_get` shape (Odoo may add attributes of its own).",
  required: ['type', 'string'],
  properties: {
    type: {
      type: 'string',
      description:
        'Odoo field type: char, text, html, integer, float, monetary, boolean, date, datetime, selection, many2one, one2many, many2many, binary...',
      examples: ['many2one'],
    },
    string: { type: 'string', description: 'The label.', examples: ['Customer'] },
    required: { type: 'boolean' },
    readonly: { type: 'boolean' },
    store: { type: 'boolean', description: 'Stored: can be searched on and ordered by.' },
    relation: { type: 'string', description: 'The comodel of a relational field.', examples: ['res.partner'] },
    relation_field: { type: 'string', description: 'The inverse many2one of a one2many, on the comodel.' },
    selection: {
      type: 'array',
      description: 'The keys and labels of a selection field.',
      items: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'string' }], minItems: 2, maxItems: 2 },
      examples: [
        [
          ['draft', 'Quotation'],
          ['sale', 'Sales Order'],
        ],
      ],
    },
    help: { type: 'string' },
    depends: { type: 'array', items: { type: 'string' }, description: 'The fields a computed value follows.' },
  },
} as const;

const { 400: _noInput, ...FIELDS_ERRORS } = COMMON_ERRORS;

/** `GET /api/<slug>/fields` (extension, fields-route.ts): it documents; the route takes no input to refuse. */
export const FIELDS_SCHEMA: FastifySchema = {
  operationId: 'getFields',
  summary: "A model's fields (extension)",
  description:
    "The model's fields as the caller may see them, in Odoo's `fields_get` shape (fields the caller may not read are left out). " +
    'The typed GraphQL schema and the per-model schemas of this document are built from the same metadata.',
  tags: ['records'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug'], properties: { slug } },
  headers: CONDITIONAL_HEADERS,
  response: {
    200: {
      description: 'Field name to metadata.',
      type: 'object',
      additionalProperties: { $ref: 'FieldMeta#' },
    },
    ...NOT_MODIFIED,
    ...FIELDS_ERRORS,
  },
};

const binaryField = {
  type: 'string',
  pattern: FIELD_PATTERN,
  description: 'A binary field of the model (`GET /api/<slug>/fields`: type `binary`).',
  examples: ['image_1920'],
};
const bytes = { type: 'string', format: 'binary' } as const;

/** `GET /api/<slug>/<id>/<field>` (extension, binary-field-route.ts): a binary field's bytes. */
export const BINARY_FIELD_SCHEMA: FastifySchema = {
  operationId: 'getBinaryField',
  summary: "A binary field's content (extension)",
  description:
    'The bytes of a binary field (e.g. `image_1920` of res_partner), under the same rules as reading the record with ' +
    '`?fields=<field>`, which gives them as base64. `Content-Type` is told from the bytes (PNG, JPEG, GIF, WebP, PDF, SVG; ' +
    'else `application/octet-stream`); images and PDF come `Content-Disposition: inline`, anything else as an attachment ' +
    'named `<slug>-<id>-<field>`; SVG with a sandboxing `Content-Security-Policy`. A strong `ETag` (SHA-256 of the bytes), ' +
    '`Cache-Control: private, no-cache`.',
  tags: ['records'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug', 'id', 'field'], properties: { slug, id, field: binaryField } },
  headers: {
    type: 'object',
    properties: {
      'if-none-match': { type: 'string', description: 'The `ETag` of an earlier answer: `304 Not Modified` if the bytes are the same.' },
    },
  },
  response: {
    200: {
      description: "The field's bytes.",
      content: {
        'image/png': { schema: bytes },
        'image/jpeg': { schema: bytes },
        'image/gif': { schema: bytes },
        'image/webp': { schema: bytes },
        'image/svg+xml': { schema: bytes },
        'application/pdf': { schema: bytes },
        'application/octet-stream': { schema: bytes },
      },
    },
    304: { type: 'null', description: 'Not Modified: the `If-None-Match` tag is that of the current bytes; no body.' },
    ...COMMON_ERRORS,
    400: error('Bad id or field name, or a field that is not binary (naming it).'),
    403: error('A record rule hides the record, or the caller may not read the field.'),
    404: error(
      'Unknown model, no such record, a field the model does not have (`no route ...`, naming it), ' +
        'or the field is empty (`<model> record <id> has no <field>`).',
    ),
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
  operationId: 'authenticate',
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
  operationId: 'getSessionInfo',
  summary: 'Who the session (or API key) is',
  tags: ['session'],
  security: CALLER_SECURITY,
  body: rpcEnvelope({ type: 'object' }, {}),
  response: { 200: rpcAnswer("The session info, or Odoo's 'Session expired' error (code 100).") },
};

export const DESTROY_SCHEMA: FastifySchema = {
  operationId: 'destroySession',
  summary: 'Log out: ends the session for every later request',
  tags: ['session'],
  security: [{ cookieAuth: [] }],
  body: rpcEnvelope({ type: 'object' }, {}),
  response: { 200: rpcAnswer('`"result": null`; the cookie is cleared.') },
};
