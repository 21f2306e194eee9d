/**
 * The Fastify schema of `GET /api/<slug>/groups` (groups-route.ts), in route-schemas.ts's style: it checks
 * the request's shape (each parameter given once; `limit`, `offset` integers >= 0, shown as integers in
 * /openapi.json by `documentedAs`) and documents the route as the operation `readGroups`. What the schema
 * cannot express (group-by keys, aggregates, the order, the domain) the route checks after it, in the same
 * words (`query parameter 'groupby': ...`).
 */
import type { FastifySchema } from 'fastify';
import { AGGREGATORS, GRANULARITIES } from '../backends/read-group.js';
import { CALLER_SECURITY, COUNT_PATTERN, error, slugParameter } from './route-schemas.js';

const slug = slugParameter('crm_lead');

/** One group: its keys, `__count`, the aggregates asked for, `__domain`; `__range` for date keys. Keys depend on the request. */
const group = {
  type: 'object',
  description:
    'One group. Each group-by key as written in `groupby` (many2one as `{"id", "name"}`, `false` for the group of records without ' +
    'a value; a date group as Odoo labels it), `__count` (its records), each aggregate as written in `aggregates` (`false` when ' +
    'no record has a value), `__domain` (a domain, usable as the `domain` of `GET /api/<slug>`, of exactly its records) and, for ' +
    'date keys, `__range` (`{"<key>": {"from", "to"}}`: the group\'s bounds, `from` inclusive, `to` exclusive, datetimes in UTC).',
  required: ['__count', '__domain'],
  additionalProperties: true,
  properties: {
    __count: { type: 'integer', description: 'Records in the group.' },
    __domain: { type: 'array', description: "The domain of the group's records: the request's domain AND each key's value." },
    __range: { type: 'object', description: 'Date keys: the bounds of the group (`false` for the group without a date).' },
    __context: { type: 'object', description: 'Lazy mode: `{"group_by": [...]}`, the keys left for the next level.' },
    __fold: { type: 'boolean', description: 'Lazy mode on a kanban column field (crm_lead `stage_id`): whether the column is folded.' },
  },
  examples: [
    {
      stage_id: { id: 1, name: 'New' },
      __count: 12,
      'expected_revenue:sum': 1234.5,
      __domain: [['stage_id', '=', 1]],
    },
  ],
};

const GROUPS_ERRORS = {
  400: error(
    'Bad input, naming it: a parameter, an unknown field, a field that cannot be grouped by (not stored, one2many) or aggregated ' +
      '(`name:sum`), an unknown aggregator or granularity, a granularity on a field that is not a date, an order term that is not a key nor an aggregate.',
  ),
  401: error('No credentials, or a wrong or revoked API key, or an expired session (`WWW-Authenticate: Bearer`).'),
  403: error('Access rights forbid reading the model, or the caller may not read a field it groups by, aggregates or orders by.'),
  404: error("Unknown model (`unknown model '<slug>'`)."),
  500: error('Unexpected failure: a generic message; the details are in the server log.'),
  502: error('The Odoo server or upstream gateway behind this one cannot be reached.'),
  504: error('The Odoo server or upstream gateway behind this one did not answer in time.'),
};

const granularities = GRANULARITIES.join('|');
const aggregators = AGGREGATORS.join(', ');

/** `GET /api/<slug>/groups` (extension, groups-route.ts): grouped totals, Odoo 17's `read_group`. */
export const GROUPS_SCHEMA: FastifySchema = {
  operationId: 'readGroups',
  summary: "Grouped totals: Odoo's read_group (extension)",
  description:
    "The records matching `domain` that the caller may read, grouped by `groupby`, with each group's count, the aggregates asked " +
    "for, and the domain of its records; under the caller's record rules, so totals differ from user to user. " +
    "Dates and datetimes group by a granularity (`create_date:month`, the default: month), datetimes in the user's time zone; " +
    "a date group is labelled as Odoo labels it: `15 Jan 2026` (day), `W3 2026` (week: Babel's week of year of the language, " +
    'en_US weeks starting on Sunday), `January 2026` (month), `Q1 2026` (quarter), `2026` (year), `hh:00 dd MMM` with a ' +
    '12-hour clock (hour); its bounds are in `__range`, and its `__domain` selects them. ' +
    'Example on crm_lead: `?groupby=stage_id,create_date:month&aggregates=expected_revenue:sum&order=expected_revenue:sum desc`.',
  tags: ['records'],
  security: CALLER_SECURITY,
  params: { type: 'object', required: ['slug'], properties: { slug } },
  headers: {
    type: 'object',
    properties: {
      'if-none-match': {
        type: 'string',
        description:
          'The `ETag` of an earlier answer to this same request (embedded backend): `304 Not Modified` if no data changed since.',
      },
    },
  },
  // `groupby` is required, but checked by the route (groups-route.ts) so that a request missing it and
  // repeating another parameter is told about the repeated one first, as on every route; the document
  // shows it required (openapi.ts, DOCUMENTED_REQUIRED).
  querystring: {
    type: 'object',
    properties: {
      groupby: {
        type: 'string',
        description:
          `Comma-separated group-by keys: stored fields (many2one, many2many, selection, char, boolean, numbers...; not one2many), ` +
          `dates and datetimes as \`field:${granularities}\` (\`hour\`: datetimes only). Required.`,
        examples: ['create_date:month'],
      },
      domain: {
        type: 'string',
        description: 'Odoo 17 domain as a Python literal or JSON list, as for `GET /api/<slug>`. Default: every record.',
      },
      aggregates: {
        type: 'string',
        description:
          `Comma-separated \`field:aggregator\`, each answered under that key (\`expected_revenue:sum\`). Aggregators: ${aggregators}. ` +
          'sum and avg take numbers; min and max numbers, text, dates and many2one ids; bool_and and bool_or booleans. Default: none (`__count` is always given).',
        examples: ['id:count'],
      },
      order: {
        type: 'string',
        description:
          "Comma-separated `term [asc|desc] [nulls first|last]`, each term a group-by key, `__count`, or `field:aggregator`. Default: by the keys (a many2one in its model's order).",
        examples: ['__count desc'],
      },
      limit: {
        type: 'string',
        pattern: COUNT_PATTERN,
        description: 'Groups in the page, an integer >= 0 (0: only `total`). Default and maximum: the server maximum (`MAX_LIMIT`).',
        examples: ['80'],
      },
      offset: { type: 'string', pattern: COUNT_PATTERN, description: 'Groups to skip, an integer >= 0. Default 0.', examples: ['0'] },
      lazy: {
        type: 'string',
        description:
          "`true`: Odoo's lazy mode, grouping by the first key only (the others in each group's `__context`), with a kanban's empty " +
          'columns (crm_lead stages). Default `false`: grouped by every key.',
        examples: ['false'],
      },
    },
  },
  response: {
    200: {
      description: 'One page of groups.',
      type: 'object',
      required: ['count', 'total', 'groups'],
      properties: {
        count: { type: 'integer', description: 'Groups in this page.' },
        total: { type: 'integer', description: 'Groups in all.' },
        groups: { type: 'array', items: group },
      },
    },
    304: {
      type: 'null',
      description:
        'Not Modified: the `If-None-Match` tag is still current (no data changed); no body. Answers carry `ETag` and `Cache-Control: private, no-cache`.',
    },
    ...GROUPS_ERRORS,
  },
};
