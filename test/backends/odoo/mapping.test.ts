/**
 * The pure parts of the Odoo backend: domains as Odoo's JSON lists, contract values as Odoo's write()
 * values (field types from the recorded `fields_get` of sale.order), Odoo's faults as the contract's
 * statuses (every recorded fault), versions, and the caches' bounds and lifetimes.
 */
import { describe, expect, it } from 'vitest';
import { domainToList } from '../../../src/domain/domain-to-list.js';
import { defaultReadFields, toFieldsMeta } from '../../../src/backends/odoo/field-metadata.js';
import { faultToError, json2Fault, OdooServerError, rpcFault } from '../../../src/backends/odoo/odoo-faults.js';
import { secretKey } from '../../../src/backends/odoo/secret-key.js';
import { parseServerVersion } from '../../../src/backends/odoo/server-version.js';
import { TtlCache } from '../../../src/backends/odoo/ttl-cache.js';
import { needsFieldTypes, valuesToOdoo } from '../../../src/backends/odoo/values-to-odoo.js';
import { parseDomain } from '../../../src/domain/parse-domain.js';
import { toApiError } from '../../../src/rest/api-error.js';
import { recording, recordingsIndex } from './replay.js';

describe('MAP domains: the JSON list Odoo takes', () => {
  it.each([
    ['[]', []],
    ['[("state","=","sale")]', [['state', '=', 'sale']]],
    ["[('state', '=', 'sale'), ('amount_total', '>', 100)]", ['&', ['state', '=', 'sale'], ['amount_total', '>', 100]]],
    ["['|', ('a', '=', 1), '!', ('b', 'in', [1, 2])]", ['|', ['a', '=', 1], '!', ['b', 'in', [1, 2]]]],
    ["[(1, '=', 1)]", []],
    ["[(0, '=', 1)]", [[0, '=', 1]]],
    [
      "[('partner_id', 'any', [('name', 'ilike', 'deco'), ('active', '=', True)])]",
      [['partner_id', 'any', ['&', ['name', 'ilike', 'deco'], ['active', '=', true]]]],
    ],
    ["[('email', '=', False), ('ref', '!=', None)]", ['&', ['email', '=', false], ['ref', '!=', null]]],
  ])('MAP-01 %s', (text, list) => {
    expect(domainToList(parseDomain(text))).toEqual(list);
  });

  it('MAP-02 the recorded domains come out exactly as Odoo received them', () => {
    const sent = (recording('jsonrpc_sale_order_search_read').request.json as { params: { args: unknown[] } }).params.args[5];
    expect([domainToList(parseDomain("[('state', '=', 'sale')]"))]).toEqual(sent);
  });
});

describe("MAP values: the contract's create/update body as Odoo's write() values", () => {
  const fields = toFieldsMeta(recording('jsonrpc_sale_order_fields_get').response.json.result);

  it('MAP-10 many2one {id} → id, null → false; x2many ids → [[6, 0, ids]] (and [] clears); commands and scalars pass', () => {
    expect(
      valuesToOdoo(
        {
          partner_id: { id: 11 },
          user_id: null,
          team_id: 3,
          tag_ids: [1, 2],
          order_line: [
            [0, 0, { product_id: 7 }],
            [2, 50],
          ],
          invoice_ids: [],
          note: null,
          client_order_ref: 'PO-1',
          date_order: '2025-09-05 10:00:00',
        },
        fields,
      ),
    ).toEqual({
      partner_id: 11,
      user_id: false,
      team_id: 3,
      tag_ids: [[6, 0, [1, 2]]],
      order_line: [
        [0, 0, { product_id: 7 }],
        [2, 50],
      ],
      invoice_ids: [[6, 0, []]],
      note: false,
      client_order_ref: 'PO-1',
      date_order: '2025-09-05 10:00:00',
    });
  });

  it('MAP-11 field types are needed only for objects and id arrays, so plain bodies need no fields_get', () => {
    expect(needsFieldTypes({ name: 'x', partner_id: 11, expected_revenue: 1000, active: false, note: null })).toBe(false);
    expect(needsFieldTypes({ order_line: [[0, 0, {}]] })).toBe(false);
    expect(needsFieldTypes({ partner_id: { id: 11 } })).toBe(true);
    expect(needsFieldTypes({ tag_ids: [1] })).toBe(true);
    expect(needsFieldTypes({ tag_ids: [] })).toBe(true);
  });

  it('MAP-12 fields omitted: every field of fields_get except binary ones (sale.order: signature, tax_totals)', () => {
    const names = defaultReadFields(fields);
    expect(names).toHaveLength(104);
    expect(names).toEqual(expect.arrayContaining(['id', 'name', 'partner_id', 'order_line', 'display_name']));
    expect(names).not.toContain('signature');
    expect(names).not.toContain('tax_totals');
  });
});

describe("MAP faults: every recorded Odoo fault as the contract's status, Odoo's message kept, no traceback", () => {
  const cases: Array<[string, number, string | null]> = [
    ['jsonrpc_err_access_demo_read_config_parameter', 403, 'AccessError'],
    ['jsonrpc_err_access_demo_write_res_users', 403, 'AccessError'],
    ['jsonrpc_err_access_record_rule_demo_read_lead', 403, 'AccessError'],
    ['jsonrpc_err_private_method', 403, 'AccessError'],
    ['jsonrpc_err_missing_write_999999', 404, 'MissingError'],
    ['jsonrpc_err_unknown_model', 404, null],
    ['jsonrpc_err_unknown_field_in_domain', 400, 'InvalidQueryError'],
    ['jsonrpc_err_user_error_unlink_confirmed_sale_order', 400, 'UserError'],
    ['jsonrpc_err_validation_partner_recursion', 400, 'ValidationError'],
    ['jsonrpc_err_validation_sale_order_without_partner', 400, 'ValidationError'],
    ['jsonrpc_err_wrong_password_execute_kw', 401, 'AccessDenied'],
    ['jsonrpc_context_count_demo_unknown_company', 403, 'AccessError'],
    ['jsonrpc_context_models_demo_1', 403, 'AccessError'],
    ['jsonrpc_read_group_err_access_demo', 403, 'AccessError'],
    ['jsonrpc_read_group_err_unknown_aggregate_admin', 400, 'InvalidQueryError'],
    ['jsonrpc_read_group_err_unknown_groupby_admin', 400, 'InvalidQueryError'],
    ['web_session_authenticate_wrong_password', 401, 'AccessDenied'],
    ['web_session_get_session_info_after_destroy', 401, null],
    ['web_dataset_call_kw_no_session', 401, null],
  ];

  it('MAP-20 the cases cover every recorded error answer', () => {
    const withErrors = recordingsIndex()
      .files.map((f) => f.replace(/\.json$/, ''))
      .filter((name) => recording(name).response.json?.error);
    expect(cases.map(([name]) => name).sort()).toEqual(withErrors.sort());
  });

  it.each(cases)('MAP-21 %s → %i', (name, status, errorName) => {
    const { error } = recording(name).response.json;
    const mapped = faultToError(rpcFault(error)!);
    if (errorName) expect(mapped.name).toBe(errorName);
    const apiError = toApiError(mapped);
    expect(apiError.status).toBe(status);
    expect(apiError.message).not.toMatch(/Traceback|frames trimmed/);
    if (errorName && status !== 401) expect(apiError.message).toBe(error.data.message);
  });

  it("MAP-22 an exception the contract does not name: a generic 500; Odoo's text only in the error kept for the log", () => {
    const mapped = faultToError({
      name: 'psycopg2.errors.UniqueViolation',
      message: 'duplicate key value violates unique constraint "res_users_login_key"',
      code: 200,
    });
    expect(mapped).toBeInstanceOf(OdooServerError);
    expect(mapped.message).toContain('psycopg2.errors.UniqueViolation');
    expect(toApiError(mapped).status).toBe(500);
    expect(toApiError(mapped).message).not.toMatch(/psycopg2|duplicate/);
  });

  it('MAP-23 /json/2 errors (Odoo 19, not recorded: documented behaviour): by exception name, a 401 is AccessDenied, an unknown model 404', () => {
    expect(
      toApiError(
        faultToError(
          json2Fault(401, { name: 'werkzeug.exceptions.Unauthorized', message: 'Invalid apikey', arguments: ['Invalid apikey', 401] }),
        ),
      ).status,
    ).toBe(401);
    expect(
      toApiError(faultToError(json2Fault(404, { name: 'werkzeug.exceptions.NotFound', message: "the model 'no.such' does not exist" })))
        .message,
    ).toBe("unknown model 'no.such'");
    expect(
      toApiError(faultToError(json2Fault(422, { name: 'odoo.exceptions.UserError', message: 'You must first cancel it.' }))),
    ).toMatchObject({ status: 400, message: 'You must first cancel it.' });
    expect(toApiError(faultToError(json2Fault(403, { name: 'odoo.exceptions.AccessError', message: 'No.' }))).status).toBe(403);
    expect(
      toApiError(
        faultToError(
          json2Fault(422, { name: 'werkzeug.exceptions.UnprocessableEntity', message: "got an unexpected keyword argument 'x'" }),
        ),
      ).status,
    ).toBe(500);
    expect(toApiError(faultToError(json2Fault(401, 'Unauthorized'))).status).toBe(401);
  });
});

describe('MAP versions and caches', () => {
  it('MAP-30 common.version as recorded is 17; saas and 19 versions read their major', () => {
    expect(parseServerVersion(recording('jsonrpc_common_version').response.json.result)).toEqual({
      text: '17.0',
      info: [17, 0, 0, 'final', 0, ''],
      major: 17,
    });
    expect(parseServerVersion({ server_version: 'saas~17.2', server_version_info: ['saas~17', 2, 0, 'final', 0, ''] }).major).toBe(17);
    expect(parseServerVersion({ server_version: '19.0', server_version_info: [19, 0, 0, 'final', 0, ''] }).major).toBe(19);
    expect(parseServerVersion(null).major).toBe(0);
  });

  it('MAP-31 TtlCache: entries expire after ttlMs; when full, the least recently used goes first', () => {
    let now = 0;
    const cache = new TtlCache<number>({ ttlMs: 100, maxEntries: 2, now: () => now });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
    now = 100;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('MAP-32 secrets are cache keys only as a SHA-256, distinct per kind and login', () => {
    const key = secretKey('basic', 'odoo', 'admin', '<ADMIN_KEY>');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain('ADMIN_KEY');
    expect(secretKey('basic', 'odoo', 'demo', '<ADMIN_KEY>')).not.toBe(key);
    expect(secretKey('bearer', 'odoo', '<ADMIN_KEY>')).not.toBe(secretKey('session', 'odoo', '<ADMIN_KEY>'));
  });
});
