/**
 * The Fastify schema of `GET /api/<slug>/changes` (changes-route.ts), in route-schemas.ts's style: it
 * checks the request's shape (each parameter given once; `limit` an integer, shown as one in /openapi.json
 * by `documentedAs`) and documents the route as the operation `listChanges`. What the schema cannot
 * express (the domain, field names, the cursor, `wait` against CHANGES_MAX_WAIT_S) the route checks after
 * it, in the same words (`query parameter 'wait': ...`).
 */
import type { FastifySchema } from 'fastify';
import { DEFAULT_CHANGES_LIMIT } from '../backends/changes.js';
import { CALLER_SECURITY, COUNT_PATTERN, error, slugParameter } from './route-schemas.js';

const slug = slugParameter('crm_lead');

const change = {
  type: 'object',
  required: ['op', 'id'],
  properties: {
    op: {
      type: 'string',
      enum: ['created', 'updated', 'removed'],
      description:
        "`created`: new in the caller's view (created, or entered the domain or his rules); `updated`: changed and still in it; " +
        '`removed`: deleted, archived, or left the domain or his rules (see docs/rest.md, "Change feed", for when a removal is told).',
    },
    id: { type: 'integer' },
    record: {
      type: 'object',
      additionalProperties: true,
      description: "`created` and `updated`: the record's latest state with the asked `fields`, in the contract's shape.",
    },
    cursor: {
      type: 'string',
      description:
        'The cursor right after this change (opaque): `since` from it resumes without repeating this change or losing a later one. ' +
        "Given when the backend can tell one per change (the embedded store); BACKEND=odoo gives none (resume from the answer's `cursor`).",
    },
  },
};

/** `GET /api/<slug>/changes` (extension, changes-route.ts): the change feed of a model. */
export const CHANGES_SCHEMA: FastifySchema = {
  operationId: 'listChanges',
  summary: 'Changes since a cursor: the change feed (extension)',
  description:
    'The records of the model that changed since the cursor `since`, as the caller may read them: one entry per record (its ' +
    'latest state), oldest change first. Without `since`: no changes, just the current cursor (take it before loading the ' +
    'records). With `wait`, an answer with nothing to report is held until a change or the timeout (long polling). ' +
    'With `Accept: text/event-stream`, the changes are streamed as server-sent events (`event: change`, `id` the cursor ' +
    'after it, `data` the change; a heartbeat comment; resume with `Last-Event-ID`; see docs/rest.md, "Change feed"). ' +
    'BACKEND=odoo polls Odoo (`CHANGES_ODOO_POLL_MS`); its cursors are held by the process that gave them.',
  tags: ['records'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug'], properties: { slug } },
  querystring: {
    type: 'object',
    properties: {
      since: {
        type: 'string',
        maxLength: 200,
        description: 'The `cursor` of an earlier answer. Omitted: the answer is the current cursor, with no changes.',
      },
      domain: {
        type: 'string',
        description:
          'Odoo 17 domain as for `GET /api/<slug>`: records matching it are told as created or updated, those that stop matching as removed. Default: every record.',
      },
      fields: {
        type: 'string',
        description: "Comma-separated field names of each change's `record`. Omitted: every field the caller may read, except binary ones.",
        examples: ['id,display_name'],
      },
      limit: {
        type: 'string',
        pattern: COUNT_PATTERN,
        description: `Records in the answer, an integer >= 1 (then \`more\`). Default ${DEFAULT_CHANGES_LIMIT}; above the server maximum (\`MAX_LIMIT\`) it is clamped.`,
        examples: ['100'],
      },
      wait: {
        type: 'string',
        description:
          'Long polling: seconds (a number >= 0, at most `CHANGES_MAX_WAIT_S`, default 30) to hold an answer with nothing to report until a change or the timeout. Default 0: answer at once.',
        examples: ['25'],
      },
    },
  },
  response: {
    200: {
      description: 'The changes since `since`, and the cursor to ask from next.',
      type: 'object',
      required: ['cursor', 'changes', 'more'],
      properties: {
        cursor: { type: 'string', description: 'Opaque: give it back as `since`.' },
        changes: { type: 'array', items: change },
        more: { type: 'boolean', description: 'More changes are there: ask again at once with `cursor`.' },
      },
    },
    400: error('Bad input, naming it: a parameter, a malformed cursor, an unknown field, a domain, `wait` above the maximum.'),
    401: error('No credentials, or a wrong or revoked API key, or an expired session (`WWW-Authenticate: Bearer`).'),
    403: error('Access rights forbid reading the model, or the caller may not read a field asked or searched.'),
    404: error("Unknown model (`unknown model '<slug>'`)."),
    410: error(
      'The cursor is older than the change log keeps, of another database, or (BACKEND=odoo) not held by this process: reload the records and start from a new cursor.',
    ),
    429: error('Event streams: this user has `CHANGES_STREAMS_PER_USER` streams open already.'),
    500: error('Unexpected failure: a generic message; the details are in the server log.'),
    501: error('The backend has no change feed.'),
    503: error('Too many requests are waiting for changes or streaming them (`CHANGES_MAX_WAITERS`): retry after `Retry-After` seconds.'),
  },
};
