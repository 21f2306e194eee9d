/**
 * Bad input for `GET /api/<slug>/groups` (issue 18), table-driven, over real HTTP: each case gets its 4xx
 * with a `{"error": ...}` message naming the problem (the parameter, the field, the aggregator, the
 * granularity or the order term), and the database is left exactly as it was (the route only reads: a
 * fingerprint of every table is compared around the whole corpus). The messages for fields, aggregates
 * and order terms are the embedded store's (src/backends/embedded/store-group.ts), worded after Odoo 17's
 * ValueErrors in `_read_group_groupby`, `_read_group_select` and `_read_group_orderby`.
 */
import { describe, expect, it } from 'vitest';
import { useServer } from '../helpers/use-server.js';
import { databaseFingerprint, expectError } from './support.js';

interface BadGroups {
  readonly what: string;
  /** The query string after `?` (a record is made into one with URLSearchParams). */
  readonly query: string | Record<string, string>;
  readonly slug?: string;
  /** Whose API key to send; null for none. Default admin. */
  readonly user?: string | null;
  readonly status: number;
  readonly error: RegExp;
}

const cases: BadGroups[] = [
  // ---- groupby
  { what: 'no groupby', query: {}, status: 400, error: /query parameter 'groupby' is required/ },
  { what: 'empty groupby', query: { groupby: '' }, status: 400, error: /query parameter 'groupby' must name at least one field/ },
  { what: 'only commas', query: { groupby: ' , ,' }, status: 400, error: /query parameter 'groupby' must name at least one field/ },
  {
    what: 'domain given twice, groupby missing',
    query: 'domain=[]&domain=[]',
    status: 400,
    error: /^query parameter 'domain' must be given once$/,
  },
  {
    what: 'groupby given twice',
    query: 'groupby=stage_id&groupby=user_id',
    status: 400,
    error: /query parameter 'groupby' must be given once/,
  },
  { what: 'unknown field', query: { groupby: 'nonexistent' }, status: 400, error: /Invalid field 'nonexistent' on model 'crm\.lead'/ },
  {
    what: 'a one2many',
    slug: 'sale_order',
    query: { groupby: 'order_line' },
    status: 400,
    error: /'order_line'.*cannot be grouped by: a one2many/,
  },
  {
    what: 'display_name: not stored',
    query: { groupby: 'display_name' },
    status: 400,
    error: /'display_name'.*cannot be grouped by: it is not stored/,
  },
  {
    what: 'a binary field',
    slug: 'res_partner',
    query: { groupby: 'image_1920' },
    status: 400,
    error: /'image_1920'.*cannot be grouped by/,
  },
  {
    what: 'granularity on a char',
    query: { groupby: 'name:month' },
    status: 400,
    error: /Granularity set on a no-datetime field: 'name:month'/,
  },
  {
    what: 'granularity on a many2one',
    query: { groupby: 'stage_id:year' },
    status: 400,
    error: /Granularity set on a no-datetime field: 'stage_id:year'/,
  },
  { what: 'granularity on id', query: { groupby: 'id:day' }, status: 400, error: /Granularity set on a no-datetime field: 'id:day'/ },
  {
    what: 'unknown granularity',
    query: { groupby: 'create_date:decade' },
    status: 400,
    error: /unknown granularity 'decade' in 'create_date:decade', expected one of hour, day, week, month, quarter, year/,
  },
  { what: 'granularity in capitals', query: { groupby: 'create_date:Month' }, status: 400, error: /unknown granularity 'Month'/ },
  { what: 'empty granularity', query: { groupby: 'create_date:' }, status: 400, error: /unknown granularity '' in 'create_date:'/ },
  {
    what: 'hour of a date',
    query: { groupby: 'date_deadline:hour' },
    status: 400,
    error: /'hour' is for datetime fields only: 'date_deadline:hour'/,
  },
  { what: 'two granularities', query: { groupby: 'create_date:month:day' }, status: 400, error: /invalid key 'create_date:month:day'/ },
  { what: 'the same key twice', query: { groupby: 'stage_id,stage_id' }, status: 400, error: /'stage_id' is given twice/ },
  {
    what: 'a dotted path',
    query: { groupby: 'stage_id.name' },
    status: 400,
    error: /query parameter 'groupby': invalid field name 'stage_id\.name'/,
  },
  { what: 'not a name', query: { groupby: '1st' }, status: 400, error: /query parameter 'groupby': invalid field name '1st'/ },
  { what: 'SQL in a key', query: { groupby: 'stage_id) --' }, status: 400, error: /invalid field name 'stage_id\) --'/ },
  {
    what: 'a bad second key, lazy',
    query: { groupby: 'stage_id,nope', lazy: 'true' },
    status: 400,
    error: /Invalid field 'nope' on model 'crm\.lead'/,
  },
  { what: 'eleven keys', query: { groupby: 'a,b,c,d,e,f,g,h,i,j,k' }, status: 400, error: /query parameter 'groupby': at most 10 keys/ },
  // ---- aggregates
  {
    what: 'no aggregator',
    query: { groupby: 'stage_id', aggregates: 'expected_revenue' },
    status: 400,
    error: /query parameter 'aggregates': 'expected_revenue' has no aggregator/,
  },
  {
    what: 'unknown aggregator',
    query: { groupby: 'stage_id', aggregates: 'expected_revenue:total' },
    status: 400,
    error: /unknown aggregator 'total' in 'expected_revenue:total', expected one of sum, avg/,
  },
  {
    what: 'recordset (Python only)',
    query: { groupby: 'stage_id', aggregates: 'partner_id:recordset' },
    status: 400,
    error: /unknown aggregator 'recordset'/,
  },
  {
    what: 'sum of a char',
    query: { groupby: 'stage_id', aggregates: 'name:sum' },
    status: 400,
    error: /'name' on model 'crm\.lead' \(char\) cannot be aggregated with 'sum'/,
  },
  {
    what: 'avg of a date',
    query: { groupby: 'stage_id', aggregates: 'date_deadline:avg' },
    status: 400,
    error: /\(date\) cannot be aggregated with 'avg'/,
  },
  {
    what: 'max of a boolean',
    query: { groupby: 'stage_id', aggregates: 'active:max' },
    status: 400,
    error: /'active'.*\(boolean\) cannot be aggregated with 'max'/,
  },
  {
    what: 'bool_and of a float',
    query: { groupby: 'stage_id', aggregates: 'probability:bool_and' },
    status: 400,
    error: /\(float\) cannot be aggregated with 'bool_and'/,
  },
  {
    what: 'a many2many aggregated',
    slug: 'res_partner',
    query: { groupby: 'is_company', aggregates: 'category_id:count' },
    status: 400,
    error: /'category_id'.*cannot be aggregated.*many2many/,
  },
  {
    what: 'an unknown field aggregated',
    query: { groupby: 'stage_id', aggregates: 'nope:sum' },
    status: 400,
    error: /Invalid field 'nope' on model 'crm\.lead' for 'nope:sum'/,
  },
  {
    what: 'display_name aggregated',
    query: { groupby: 'stage_id', aggregates: 'display_name:count' },
    status: 400,
    error: /'display_name'.*cannot be aggregated.*not stored/,
  },
  {
    what: 'the same aggregate twice',
    query: { groupby: 'stage_id', aggregates: 'id:count,id:count' },
    status: 400,
    error: /'id:count' is given twice/,
  },
  {
    what: 'an aggregate with two aggregators',
    query: { groupby: 'stage_id', aggregates: 'id:count:sum' },
    status: 400,
    error: /invalid aggregate 'id:count:sum'/,
  },
  // ---- order
  {
    what: 'order by a field that is no key',
    query: { groupby: 'stage_id', order: 'name' },
    status: 400,
    error: /Order term 'name' is not a valid aggregate nor valid groupby/,
  },
  {
    what: 'order by an unknown field',
    query: { groupby: 'stage_id', order: 'nonsense desc' },
    status: 400,
    error: /Order term 'nonsense desc' is not a valid aggregate nor valid groupby/,
  },
  {
    what: 'order by an unknown aggregator',
    query: { groupby: 'stage_id', order: 'expected_revenue:median desc' },
    status: 400,
    error: /Order term 'expected_revenue:median desc'/,
  },
  {
    what: 'order by another granularity',
    query: { groupby: 'create_date:week', order: 'create_date:month' },
    status: 400,
    error: /Order term 'create_date:month'/,
  },
  {
    what: 'order by an aggregate of a char',
    query: { groupby: 'stage_id', order: 'name:sum' },
    status: 400,
    error: /'name'.*\(char\) cannot be aggregated with 'sum'/,
  },
  {
    what: 'order sideways',
    query: { groupby: 'stage_id', order: 'stage_id sideways' },
    status: 400,
    error: /query parameter 'order': invalid term 'stage_id sideways'/,
  },
  {
    what: 'SQL in the order',
    query: { groupby: 'stage_id', order: 'stage_id; DROP TABLE crm_lead' },
    status: 400,
    error: /query parameter 'order': invalid term/,
  },
  // ---- paging, lazy, domain
  {
    what: 'negative limit',
    query: { groupby: 'stage_id', limit: '-1' },
    status: 400,
    error: /query parameter 'limit' must be an integer >= 0, got '-1'/,
  },
  {
    what: 'fractional limit',
    query: { groupby: 'stage_id', limit: '1.5' },
    status: 400,
    error: /query parameter 'limit' must be an integer >= 0, got '1\.5'/,
  },
  {
    what: 'offset not a number',
    query: { groupby: 'stage_id', offset: 'abc' },
    status: 400,
    error: /query parameter 'offset' must be an integer >= 0, got 'abc'/,
  },
  {
    what: 'lazy neither true nor false',
    query: { groupby: 'stage_id', lazy: 'yes' },
    status: 400,
    error: /query parameter 'lazy' must be 'true' or 'false', got 'yes'/,
  },
  { what: 'malformed domain', query: { groupby: 'stage_id', domain: '[("stage_id"' }, status: 400, error: /query parameter 'domain'/ },
  { what: 'domain on an unknown field', query: { groupby: 'stage_id', domain: '[("nope", "=", 1)]' }, status: 400, error: /nope/ },
  {
    what: 'domain with an unknown operator',
    query: { groupby: 'stage_id', domain: '[("name", "bogus", 1)]' },
    status: 400,
    error: /bogus/,
  },
  // ---- who and what
  { what: 'unknown model', slug: 'no_such_model', query: { groupby: 'id' }, status: 404, error: /unknown model 'no_such_model'/ },
  { what: 'no credentials', query: { groupby: 'stage_id' }, user: null, status: 401, error: /authentication required/ },
  { what: 'no access right on the model', query: { groupby: 'stage_id' }, user: 'portal', status: 403, error: /crm\.lead/ },
  {
    what: 'a field the caller may not read',
    slug: 'res_partner',
    query: { groupby: 'ref' },
    user: 'portal',
    status: 403,
    error: /"ref" on Contact \(res\.partner\)/,
  },
];

const server = useServer();

describe('GET /api/<slug>/groups: bad input', () => {
  let before: Record<string, string> | undefined;
  it(`GBI-00 the corpus has at least 30 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    // The callers' API keys are made on first use: before the fingerprint.
    for (const login of new Set(cases.map((c) => (c.user === undefined ? 'admin' : c.user)))) if (login) server.key(login);
    before = databaseFingerprint(server);
  });

  for (const [index, c] of cases.entries()) {
    it(`GBI-${String(index + 1).padStart(2, '0')} ${c.what}: ${c.status}`, async () => {
      const query = typeof c.query === 'string' ? c.query : new URLSearchParams(c.query).toString();
      const answer = await server.request(c.user === undefined ? 'admin' : c.user, 'GET', `/api/${c.slug ?? 'crm_lead'}/groups?${query}`);
      expectError(answer, c.status, c.error);
    });
  }

  it('GBI-99 nothing changed, and the server still answers', async () => {
    expect(databaseFingerprint(server)).toEqual(before);
    expect((await server.request(null, 'GET', '/api/health')).status).toBe(200);
  });
});
