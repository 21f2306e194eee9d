/**
 * The Odoo backend against real Odoo 17 answers (test/fixtures/odoo-recordings, replayed through undici's
 * MockAgent; see replay.ts). Each test checks both directions: the requests the backend sends equal the recorded
 * ones (`assertDone`), and the recorded answers become the Backend's results and errors. Exchanges
 * that have no recording say "not recorded: documented behaviour" and follow Odoo's external API docs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../../src/backends/backend.js';
import {
  AccessDenied,
  AccessError,
  BackendError,
  InvalidQueryError,
  MissingError,
  UnknownModelError,
  UserError,
  ValidationError,
} from '../../../src/backends/errors.js';
import { OdooBackend, type OdooCacheOptions } from '../../../src/backends/odoo/odoo-backend.js';
import { parseDomain } from '../../../src/domain/parse-domain.js';
import { TRUE_DOMAIN } from '../../../src/domain/types.js';
import {
  ADMIN_KEY,
  DEMO_KEY,
  DOCUMENTED_MODELS,
  ODOO_DB,
  ODOO_ORIGIN,
  OdooReplay,
  SESSION_ID,
  executeKwRequest,
  modelListRequest,
  recording,
  recordingsIndex,
  rpcResult,
} from './replay.js';

let replay: OdooReplay;
let backend: OdooBackend;
let clock = 1_000_000;

function newBackend(cache: Partial<OdooCacheOptions> = {}): OdooBackend {
  return new OdooBackend({ url: ODOO_ORIGIN, db: ODOO_DB, dispatcher: replay.agent, cache, now: () => clock });
}

beforeEach(() => {
  clock = 1_000_000;
  replay = new OdooReplay();
  backend = newBackend();
});

afterEach(async () => {
  await backend.close();
  await replay.close();
});

async function admin(): Promise<Caller> {
  replay.expect('jsonrpc_common_authenticate_admin_apikey');
  const caller = await backend.authenticateBasic('admin', ADMIN_KEY);
  expect(caller).not.toBeNull();
  return caller!;
}

async function demo(): Promise<Caller> {
  replay.expect('jsonrpc_common_authenticate_demo_apikey');
  const caller = await backend.authenticateBasic('demo', DEMO_KEY);
  expect(caller).not.toBeNull();
  return caller!;
}

/** The Odoo message of a recorded fault. */
function odooMessage(name: string): string {
  return recording(name).response.json.error.data.message;
}

describe('OD auth: API keys with their login (Basic), any Odoo version', () => {
  it('OD-01 `common.authenticate(db, login, key, {})` as recorded; uid 2 is the admin caller; a second check within the TTL asks nothing', async () => {
    const caller = await admin();
    expect(caller).toEqual({ uid: 2, login: 'admin', name: 'admin', via: 'apikey' });
    expect(await backend.authenticateBasic('admin', ADMIN_KEY)).toEqual(caller);
    replay.assertDone();
  });

  it('OD-02 the demo key is uid 6 (INDEX.json demo_uid)', async () => {
    expect((await demo()).uid).toBe(6);
    replay.assertDone();
  });

  it('OD-03 a wrong key: Odoo answers `false`, the backend null; refusals are not cached', async () => {
    replay.expect('jsonrpc_common_authenticate_wrong_password', 2);
    expect(await backend.authenticateBasic('admin', 'wrong-password')).toBeNull();
    expect(await backend.authenticateBasic('admin', 'wrong-password')).toBeNull();
    replay.assertDone();
  });

  it('OD-04 a verified key is trusted for credentialsTtlMs only, then checked again', async () => {
    backend = newBackend({ credentialsTtlMs: 1000 });
    await admin();
    clock += 999;
    await backend.authenticateBasic('admin', ADMIN_KEY);
    clock += 2;
    await admin();
    replay.assertDone();
  });

  it('OD-05 every data call carries the key: execute_kw with uid and key, as recorded', async () => {
    const caller = await admin();
    replay.expect('jsonrpc_record_rules_sale_order_search_count_admin');
    expect(await backend.searchCount(caller, 'sale.order', TRUE_DOMAIN)).toBe(24);
    replay.assertDone();
  });

  it('OD-06 a Caller the backend did not hand out is refused (AccessDenied), nothing is sent', async () => {
    await expect(
      backend.searchCount({ uid: 2, login: 'admin', name: 'admin', via: 'apikey' }, 'sale.order', TRUE_DOMAIN),
    ).rejects.toBeInstanceOf(AccessDenied);
    replay.assertDone();
  });
});

describe('OD Bearer keys: /json/2 on Odoo 19+, a 401 that explains the options on older Odoo', () => {
  it('OD-10 on Odoo 17 (`common.version` as recorded): AccessDenied naming Basic and sessions; the version is asked once', async () => {
    replay.expect('jsonrpc_common_version');
    const refusal = backend.authenticateApiKey(ADMIN_KEY);
    await expect(refusal).rejects.toBeInstanceOf(AccessDenied);
    await expect(refusal).rejects.toThrow(
      /needs Odoo 19 or later, and this Odoo server is 17\.0: send the key as 'Authorization: Basic <base64 of login:API key>'.*\/web\/session\/authenticate/,
    );
    await expect(backend.authenticateApiKey(ADMIN_KEY)).rejects.toBeInstanceOf(AccessDenied);
    replay.assertDone();
  });

  it('OD-11 on Odoo 19: context_get and read of res.users over /json/2 with `Authorization: bearer` (not recorded: documented behaviour)', async () => {
    const json2 = (model: string, method: string, json: unknown) => ({
      path: `/json/2/${model}/${method}`,
      json,
      headers: { 'Content-Type': 'application/json', Authorization: `bearer ${ADMIN_KEY}`, 'X-Odoo-Database': ODOO_DB },
    });
    replay
      .expectDocumented(
        'version 19',
        { path: '/jsonrpc', json: recording('jsonrpc_common_version').request.json },
        {
          json: rpcResult({
            server_version: '19.0',
            server_version_info: [19, 0, 0, 'final', 0, ''],
            server_serie: '19.0',
            protocol_version: 1,
          }),
        },
      )
      .expectDocumented('context_get', json2('res.users', 'context_get', {}), { json: { lang: 'en_US', tz: 'Europe/Brussels', uid: 2 } })
      .expectDocumented('whoami', json2('res.users', 'read', { ids: [2], fields: ['login', 'name'] }), {
        json: [{ id: 2, login: 'admin', name: 'Mitchell Admin' }],
      })
      .expectDocumented('search_count', json2('sale.order', 'search_count', { domain: [['state', '=', 'sale']] }), { json: 19 })
      .expectDocumented('create', json2('crm.lead', 'create', { vals_list: [{ name: 'x' }] }), { json: [52] });
    const caller = await backend.authenticateApiKey(ADMIN_KEY);
    expect(caller).toEqual({ uid: 2, login: 'admin', name: 'Mitchell Admin', via: 'apikey' });
    expect(await backend.searchCount(caller!, 'sale.order', parseDomain("[('state', '=', 'sale')]"))).toBe(19);
    expect(await backend.create(caller!, 'crm.lead', { name: 'x' })).toBe(52);
    replay.assertDone();
  });

  it('OD-12 on Odoo 19, an invalid key: HTTP 401 `werkzeug.exceptions.Unauthorized` gives null (not recorded: documented behaviour)', async () => {
    replay
      .expectDocumented(
        'version 19',
        { path: '/jsonrpc', json: recording('jsonrpc_common_version').request.json },
        {
          json: rpcResult({ server_version: '19.0', server_version_info: [19, 0, 0, 'final', 0, ''] }),
        },
      )
      .expectDocumented(
        'context_get',
        { path: '/json/2/res.users/context_get', json: {}, headers: { Authorization: 'bearer nope' } },
        {
          status: 401,
          json: {
            name: 'werkzeug.exceptions.Unauthorized',
            message: 'Invalid apikey',
            arguments: ['Invalid apikey', 401],
            context: {},
            debug: 'Traceback ...',
          },
        },
      );
    expect(await backend.authenticateApiKey('nope')).toBeNull();
    replay.assertDone();
  });
});

describe("OD sessions: Odoo's own, forwarded", () => {
  it("OD-20 createSession forwards /web/session/authenticate as recorded; the session id is Odoo's cookie, the info Odoo's answer with the contract's company_id", async () => {
    replay.expect('web_session_authenticate_admin');
    const session = await backend.createSession(ODOO_DB, 'admin', 'admin');
    expect(session.sessionId).toBe(SESSION_ID);
    // Odoo 17's session info has the company as user_companies.current_company only; the contract wants company_id.
    const recorded = recording('web_session_authenticate_admin').response.json.result;
    expect(recorded).not.toHaveProperty('company_id');
    expect(session.info).toEqual({ ...recorded, company_id: recorded.user_companies.current_company });
    // Verified at creation: using it right away asks Odoo nothing more.
    expect(await backend.authenticateSession(SESSION_ID)).toEqual({ uid: 2, login: 'admin', name: 'Mitchell Admin', via: 'session' });
    replay.assertDone();
  });

  it("OD-21 a wrong password: Odoo's AccessDenied error becomes AccessDenied", async () => {
    replay.expect('web_session_authenticate_wrong_password');
    await expect(backend.createSession(ODOO_DB, 'admin', 'wrong-password')).rejects.toBeInstanceOf(AccessDenied);
    replay.assertDone();
  });

  it('OD-22 another database than ODOO_DB: Odoo\'s "Database not found." (an AccessError) without asking Odoo', async () => {
    await expect(backend.createSession('other', 'admin', 'admin')).rejects.toMatchObject({
      odooName: 'odoo.exceptions.AccessError',
      message: 'Database not found.',
    });
    replay.assertDone();
  });

  it('OD-23 an unknown session cookie is checked with get_session_info (POST, as recorded) and then cached', async () => {
    replay.expect('web_session_get_session_info_post');
    const caller = await backend.authenticateSession(SESSION_ID);
    expect(caller).toEqual({ uid: 2, login: 'admin', name: 'Mitchell Admin', via: 'session' });
    expect(await backend.authenticateSession(SESSION_ID)).toEqual(caller);
    replay.assertDone();
  });

  it("OD-24 a session caller's calls go to /web/dataset/call_kw with the cookie and the user context, as the web client sends them", async () => {
    replay.expect('web_session_get_session_info_post');
    const caller = (await backend.authenticateSession(SESSION_ID))!;
    replay.expect('web_dataset_call_kw_sale_order_search_read');
    const records = await backend.searchRead(caller, 'sale.order', {
      domain: parseDomain("[('state', '=', 'sale')]"),
      fields: ['name', 'partner_id', 'state', 'amount_total', 'date_order', 'order_line', 'user_id'],
      limit: 3,
    });
    expect(records).toEqual(recording('web_dataset_call_kw_sale_order_search_read').response.json.result);
    expect(records[0]).toMatchObject({ id: 24, partner_id: [11, 'Gemini Furniture'], order_line: [50], user_id: [6, 'Marc Demo'] });
    replay.assertDone();
  });

  it('OD-25 destroySession forwards /web/session/destroy (answered without `result`); the session is then expired for every check', async () => {
    replay.expect('web_session_authenticate_admin');
    await backend.createSession(ODOO_DB, 'admin', 'admin');
    replay.expect('web_session_destroy').expect('web_session_get_session_info_after_destroy', 2);
    await backend.destroySession(SESSION_ID);
    expect(await backend.sessionInfo(SESSION_ID)).toBeNull();
    expect(await backend.authenticateSession(SESSION_ID)).toBeNull();
    replay.assertDone();
  });

  it("OD-26 userInfo of a session caller is Odoo's session info", async () => {
    replay.expect('web_session_get_session_info_post', 2);
    const caller = (await backend.authenticateSession(SESSION_ID))!;
    const info = await backend.userInfo(caller);
    expect(info).toMatchObject({
      uid: 2,
      name: 'Mitchell Admin',
      username: 'admin',
      db: 'odoo',
      server_version: '17.0',
      is_admin: true,
      is_system: true,
    });
    replay.assertDone();
  });

  it('OD-27 userInfo of an API-key caller reads res.users, the groups that make is_system / is_admin, and the companies (not recorded: documented behaviour)', async () => {
    const caller = await admin();
    const hasGroup = (group: string, answer: boolean) =>
      replay.expectDocumented(`has_group ${group}`, executeKwRequest(2, ADMIN_KEY, 'res.users', 'has_group', [group]), {
        json: rpcResult(answer),
      });
    replay
      .expectDocumented(
        'read user',
        executeKwRequest(2, ADMIN_KEY, 'res.users', 'read', [[2]], {
          fields: ['name', 'login', 'partner_id', 'company_id', 'company_ids', 'lang', 'tz'],
        }),
        {
          json: rpcResult([
            {
              id: 2,
              name: 'Mitchell Admin',
              login: 'admin',
              partner_id: [3, 'YourCompany, Mitchell Admin'],
              company_id: [1, 'My Company (San Francisco)'],
              company_ids: [1, 2],
              lang: 'en_US',
              tz: 'Europe/Brussels',
            },
          ]),
        },
      )
      .expect('jsonrpc_common_version');
    hasGroup('base.group_system', true);
    hasGroup('base.group_erp_manager', true);
    hasGroup('base.group_user', true);
    replay.expectDocumented(
      'read companies',
      executeKwRequest(2, ADMIN_KEY, 'res.company', 'read', [[1, 2]], { fields: ['name', 'sequence', 'parent_id'] }),
      {
        json: rpcResult([
          { id: 1, name: 'My Company (San Francisco)', sequence: 0, parent_id: false },
          { id: 2, name: 'My Company (Chicago)', sequence: 10, parent_id: false },
        ]),
      },
    );
    expect(await backend.userInfo(caller)).toEqual({
      uid: 2,
      is_system: true,
      is_admin: true,
      is_internal_user: true,
      name: 'Mitchell Admin',
      username: 'admin',
      db: 'odoo',
      user_context: { lang: 'en_US', tz: 'Europe/Brussels', uid: 2 },
      partner_id: 3,
      partner_display_name: 'YourCompany, Mitchell Admin',
      company_id: 1,
      user_companies: {
        current_company: 1,
        allowed_companies: {
          1: { id: 1, name: 'My Company (San Francisco)', sequence: 0, child_ids: [], parent_id: false },
          2: { id: 2, name: 'My Company (Chicago)', sequence: 10, child_ids: [], parent_id: false },
        },
        disallowed_ancestor_companies: {},
      },
      server_version: '17.0',
      server_version_info: [17, 0, 0, 'final', 0, ''],
    });
    replay.assertDone();
  });

  it("OD-28 userInfo of a salesman with an API key: is_admin and is_system false, as Odoo's session info says (not recorded: documented behaviour)", async () => {
    const caller = await demo();
    const hasGroup = (group: string, answer: boolean) =>
      replay.expectDocumented(`has_group ${group}`, executeKwRequest(6, DEMO_KEY, 'res.users', 'has_group', [group]), {
        json: rpcResult(answer),
      });
    replay
      .expectDocumented(
        'read user',
        executeKwRequest(6, DEMO_KEY, 'res.users', 'read', [[6]], {
          fields: ['name', 'login', 'partner_id', 'company_id', 'company_ids', 'lang', 'tz'],
        }),
        {
          json: rpcResult([
            {
              id: 6,
              name: 'Marc Demo',
              login: 'demo',
              partner_id: [7, 'YourCompany, Marc Demo'],
              company_id: [1, 'My Company (San Francisco)'],
              company_ids: [1],
              lang: 'en_US',
              tz: 'Europe/Brussels',
            },
          ]),
        },
      )
      .expect('jsonrpc_common_version');
    hasGroup('base.group_system', false);
    hasGroup('base.group_erp_manager', false);
    hasGroup('base.group_user', true);
    replay.expectDocumented(
      'read companies',
      executeKwRequest(6, DEMO_KEY, 'res.company', 'read', [[1]], { fields: ['name', 'sequence', 'parent_id'] }),
      {
        json: rpcResult([{ id: 1, name: 'My Company (San Francisco)', sequence: 0, parent_id: false }]),
      },
    );
    expect(await backend.userInfo(caller)).toMatchObject({
      uid: 6,
      is_system: false,
      is_admin: false,
      is_internal_user: true,
      company_id: 1,
      partner_id: 7,
    });
    replay.assertDone();
  });
});

describe("OD reads: search_read, search_count, read in Odoo's read() shape", () => {
  it('OD-30 searchRead sends the domain as a JSON list and `fields`/`limit` as keywords; many2one stay `[id, name]`', async () => {
    const caller = await admin();
    replay.expect('jsonrpc_sale_order_search_read');
    const records = await backend.searchRead(caller, 'sale.order', {
      domain: parseDomain('[("state", "=", "sale")]'),
      fields: ['name', 'partner_id', 'state', 'amount_total', 'date_order', 'order_line', 'user_id'],
      limit: 3,
      offset: 0,
    });
    expect(records.map((r) => r.id)).toEqual([24, 23, 22]);
    expect(records[1]).toEqual({
      id: 23,
      name: 'S00023',
      partner_id: [11, 'Gemini Furniture'],
      state: 'sale',
      amount_total: 5002.5,
      date_order: '2026-11-29 15:19:59',
      order_line: [48, 49],
      user_id: [6, 'Marc Demo'],
    });
    replay.assertDone();
  });

  it('OD-31 searchCount as recorded', async () => {
    const caller = await admin();
    replay.expect('jsonrpc_sale_order_search_count');
    expect(await backend.searchCount(caller, 'sale.order', parseDomain("[('state', '=', 'sale')]"))).toBe(19);
    replay.assertDone();
  });

  it("OD-32 record rules are Odoo's: admin and demo count what INDEX.json says", async () => {
    const counts = recordingsIndex();
    const a = await admin();
    const d = await demo();
    replay
      .expect('jsonrpc_record_rules_crm_lead_search_count_admin')
      .expect('jsonrpc_record_rules_crm_lead_search_count_demo')
      .expect('jsonrpc_record_rules_sale_order_search_count_admin')
      .expect('jsonrpc_record_rules_sale_order_search_count_demo');
    expect(await backend.searchCount(a, 'crm.lead', TRUE_DOMAIN)).toBe(counts.record_rule_counts['admin:crm.lead']);
    expect(await backend.searchCount(d, 'crm.lead', TRUE_DOMAIN)).toBe(counts.record_rule_counts['demo:crm.lead']);
    expect(await backend.searchCount(a, 'sale.order', TRUE_DOMAIN)).toBe(counts.record_rule_counts['admin:sale.order']);
    expect(await backend.searchCount(d, 'sale.order', TRUE_DOMAIN)).toBe(counts.record_rule_counts['demo:sale.order']);
    replay.assertDone();
  });

  it('OD-33 read as recorded: many2one pair, many2many ids, unset many2one `false`', async () => {
    const caller = await admin();
    replay.expect('jsonrpc_res_partner_read');
    const [partner] = await backend.read(
      caller,
      'res.partner',
      [11],
      ['name', 'email', 'parent_id', 'category_id', 'is_company', 'country_id', 'active'],
    );
    expect(partner).toEqual({
      id: 11,
      name: 'Gemini Furniture',
      email: 'john.b@tech.info',
      parent_id: false,
      category_id: [4, 7],
      is_company: true,
      country_id: [233, 'United States'],
      active: true,
    });
    replay.assertDone();
  });

  it('OD-34 read of a missing id answers no record (Odoo answers `[]`, no error)', async () => {
    const caller = await admin();
    replay.expect('jsonrpc_read_missing_id_999999_returns_empty');
    expect(await backend.read(caller, 'res.partner', [999999], ['name'])).toEqual([]);
    replay.assertDone();
  });

  it("OD-35 read of a record hidden by a record rule: AccessError with Odoo's message", async () => {
    const caller = await demo();
    replay.expect('jsonrpc_err_access_record_rule_demo_read_lead');
    const failure = backend.read(caller, 'crm.lead', [1], ['name']);
    await expect(failure).rejects.toBeInstanceOf(AccessError);
    await expect(failure).rejects.toThrow(odooMessage('jsonrpc_err_access_record_rule_demo_read_lead'));
    replay.assertDone();
  });

  it("OD-36 an unknown field in a domain: InvalidQueryError (400) with Odoo's ValueError message", async () => {
    const caller = await admin();
    replay.expect('jsonrpc_err_unknown_field_in_domain');
    const failure = backend.searchRead(caller, 'sale.order', {
      domain: parseDomain("[('no_such_field', '=', 1)]"),
      fields: ['name'],
      limit: 1,
    });
    await expect(failure).rejects.toBeInstanceOf(InvalidQueryError);
    await expect(failure).rejects.toThrow("Invalid field sale.order.no_such_field in leaf ('no_such_field', '=', 1)");
    replay.assertDone();
  });

  it("OD-37 no access right on the model: AccessError with Odoo's message", async () => {
    const caller = await demo();
    replay.expect('jsonrpc_err_access_demo_read_config_parameter');
    const failure = backend.searchRead(caller, 'ir.config_parameter', { domain: TRUE_DOMAIN, fields: ['key', 'value'], limit: 1 });
    await expect(failure).rejects.toBeInstanceOf(AccessError);
    await expect(failure).rejects.toThrow("You are not allowed to access 'System Parameter' (ir.config_parameter) records.");
    replay.assertDone();
  });

  it('OD-38 limit 0 (the contract: no rows, only the total) sends nothing: Odoo would read it as "no limit"', async () => {
    const caller = await admin();
    expect(await backend.searchRead(caller, 'sale.order', { domain: TRUE_DOMAIN, limit: 0 })).toEqual([]);
    replay.assertDone();
  });

  it('OD-39 fields omitted: fields_get (as recorded) then every non-binary field (search_read answer not recorded: documented behaviour)', async () => {
    const caller = await admin();
    const meta = recording('jsonrpc_sale_order_fields_get').response.json.result as Record<string, { type: string }>;
    const nonBinary = Object.keys(meta).filter((name) => meta[name]!.type !== 'binary');
    expect(nonBinary).not.toContain('signature');
    expect(nonBinary).not.toContain('tax_totals');
    replay
      .expect('jsonrpc_sale_order_fields_get')
      .expectDocumented(
        'search_read all fields',
        executeKwRequest(2, ADMIN_KEY, 'sale.order', 'search_read', [[['state', '=', 'cancel']]], { fields: nonBinary, limit: 80 }),
        { json: rpcResult([]) },
      );
    expect(await backend.searchRead(caller, 'sale.order', { domain: parseDomain("[('state', '=', 'cancel')]"), limit: 80 })).toEqual([]);
    replay.assertDone();
  });
});

describe('OD fields_get: metadata per user and model, cached', () => {
  it('OD-40 fieldsGet asks the recorded attributes and maps the answer to FieldMeta; a second call asks nothing', async () => {
    const caller = await admin();
    replay.expect('jsonrpc_sale_order_fields_get');
    const fields = await backend.fieldsGet(caller, 'sale.order');
    expect(Object.keys(fields)).toHaveLength(106);
    expect(fields.partner_id).toEqual({
      type: 'many2one',
      string: 'Customer',
      required: true,
      readonly: false,
      store: true,
      relation: 'res.partner',
    });
    expect(fields.order_line).toMatchObject({ type: 'one2many', relation: 'sale.order.line' });
    expect(fields.state?.type).toBe('selection');
    expect(fields.state?.selection?.map(([key]) => key)).toContain('sale');
    expect(fields.signature?.type).toBe('binary');
    expect(await backend.fieldsGet(caller, 'sale.order')).toBe(fields);
    replay.assertDone();
  });

  it('OD-41 the cache is per user: another uid asks again (fields_get answer for demo not recorded: documented behaviour)', async () => {
    const a = await admin();
    const d = await demo();
    replay.expect('jsonrpc_sale_order_fields_get').expectDocumented(
      'fields_get as demo',
      executeKwRequest(6, DEMO_KEY, 'sale.order', 'fields_get', [], {
        attributes: ['type', 'string', 'relation', 'required', 'readonly', 'selection'],
      }),
      {
        json: rpcResult({ name: { type: 'char', string: 'Order Reference', required: true, readonly: false } }),
      },
    );
    expect(Object.keys(await backend.fieldsGet(a, 'sale.order'))).toHaveLength(106);
    expect(Object.keys(await backend.fieldsGet(d, 'sale.order'))).toEqual(['name']);
    replay.assertDone();
  });
});

describe('OD writes: create, write, unlink as the caller', () => {
  it('OD-50 create, write, read back and unlink a lead as recorded', async () => {
    const caller = await admin();
    replay.expect('jsonrpc_crm_lead_create').expect('jsonrpc_crm_lead_write').expect('jsonrpc_crm_lead_read_after_write');
    const id = await backend.create(caller, 'crm.lead', { name: 'Lab lead (JSON-RPC)', partner_id: 11, expected_revenue: 1000 });
    expect(id).toBe(51);
    await backend.write(caller, 'crm.lead', [51], { name: 'Lab lead (JSON-RPC, edited)', expected_revenue: 2500, priority: '2' });
    const [lead] = await backend.read(
      caller,
      'crm.lead',
      [51],
      ['name', 'partner_id', 'expected_revenue', 'priority', 'type', 'stage_id', 'user_id'],
    );
    expect(lead).toEqual({
      id: 51,
      name: 'Lab lead (JSON-RPC, edited)',
      partner_id: [11, 'Gemini Furniture'],
      expected_revenue: 2500,
      priority: '2',
      type: 'opportunity',
      stage_id: [1, 'New'],
      user_id: [2, 'Mitchell Admin'],
    });
    // unlink: the existence check is not recorded (documented behaviour: read answers the existing ids), the unlink is.
    replay
      .expectDocumented('exists before unlink', executeKwRequest(2, ADMIN_KEY, 'crm.lead', 'read', [[51]], { fields: ['id'] }), {
        json: rpcResult([{ id: 51 }]),
      })
      .expect('jsonrpc_crm_lead_unlink');
    await backend.unlink(caller, 'crm.lead', [51]);
    replay.assertDone();
  });

  it("OD-51 unlink of a missing id: MissingError, unlink not sent (Odoo's unlink would succeed silently; read answer as recorded for a missing id)", async () => {
    const caller = await admin();
    replay.expectDocumented('exists before unlink', executeKwRequest(2, ADMIN_KEY, 'res.partner', 'read', [[999999]], { fields: ['id'] }), {
      json: rpcResult([]),
    });
    await expect(backend.unlink(caller, 'res.partner', [999999])).rejects.toBeInstanceOf(MissingError);
    replay.assertDone();
  });

  it("OD-52 unlink refused by a business rule: UserError (400) with Odoo's message", async () => {
    const caller = await admin();
    replay
      .expectDocumented('exists before unlink', executeKwRequest(2, ADMIN_KEY, 'sale.order', 'read', [[24]], { fields: ['id'] }), {
        json: rpcResult([{ id: 24 }]),
      })
      .expect('jsonrpc_err_user_error_unlink_confirmed_sale_order');
    const failure = backend.unlink(caller, 'sale.order', [24]);
    await expect(failure).rejects.toBeInstanceOf(UserError);
    await expect(failure).rejects.toThrow(/^You can not delete a sent quotation or a confirmed sales order\. You must first cancel it\.$/);
    replay.assertDone();
  });

  it("OD-53 write on a missing record: MissingError (404) with Odoo's message", async () => {
    const caller = await admin();
    replay.expect('jsonrpc_err_missing_write_999999');
    const failure = backend.write(caller, 'res.partner', [999999], { name: 'x' });
    await expect(failure).rejects.toBeInstanceOf(MissingError);
    await expect(failure).rejects.toThrow('Record does not exist or has been deleted.');
    replay.assertDone();
  });

  it("OD-54 constraints: ValidationError (400) with Odoo's message, for a missing required field and a recursion", async () => {
    const caller = await admin();
    replay.expect('jsonrpc_err_validation_sale_order_without_partner').expect('jsonrpc_err_validation_partner_recursion');
    await expect(backend.create(caller, 'sale.order', {})).rejects.toThrow(ValidationError);
    await expect(backend.write(caller, 'res.partner', [11], { parent_id: 11 })).rejects.toThrow(
      'You cannot create recursive Partner hierarchies.',
    );
    replay.assertDone();
  });

  it("OD-55 no write access: AccessError (403) with Odoo's message", async () => {
    const caller = await demo();
    replay.expect('jsonrpc_err_access_demo_write_res_users');
    await expect(backend.write(caller, 'res.users', [2], { name: 'Hacked' })).rejects.toThrow(
      /^You are not allowed to modify 'User' \(res\.users\) records\./,
    );
    replay.assertDone();
  });

  it("OD-56 contract values become Odoo's: many2one `{id}` → id, `null` → false, x2many ids → [[6, 0, ids]], commands pass (types from the recorded fields_get; create answer not recorded: documented behaviour)", async () => {
    const caller = await admin();
    const sent = {
      partner_id: 11,
      client_order_ref: false,
      tag_ids: [[6, 0, [1, 2]]],
      order_line: [[0, 0, { product_id: 7, product_uom_qty: 2 }]],
    };
    replay
      .expect('jsonrpc_sale_order_fields_get')
      .expectDocumented('create', executeKwRequest(2, ADMIN_KEY, 'sale.order', 'create', [sent]), { json: rpcResult(25) });
    const id = await backend.create(caller, 'sale.order', {
      partner_id: { id: 11 },
      client_order_ref: null,
      tag_ids: [1, 2],
      order_line: [[0, 0, { product_id: 7, product_uom_qty: 2 }]],
    });
    expect(id).toBe(25);
    replay.assertDone();
  });
});

/** The fields_get a REST create or update asks first (WRITE_FIELD_ATTRIBUTES); answers not recorded: documented behaviour. */
function writeFieldsGetRequest(uid: number, key: string, model: string) {
  return executeKwRequest(uid, key, model, 'fields_get', [], {
    attributes: ['type', 'string', 'relation', 'readonly', 'selection', 'store', 'depends', 'related'],
  });
}

/** The lab's Odoo 17 fields_get of those attributes, for the fields used here. */
const LEAD_WRITE_FIELDS = {
  name: { type: 'char', string: 'Opportunity', readonly: false, store: true, depends: [] },
  partner_id: { type: 'many2one', string: 'Customer', relation: 'res.partner', readonly: false, store: true, depends: [] },
  probability: { type: 'float', string: 'Probability', readonly: false, store: true, depends: ['stage_id', 'team_id'] },
  prorated_revenue: {
    type: 'monetary',
    string: 'Prorated Revenue',
    readonly: true,
    store: true,
    depends: ['expected_revenue', 'probability'],
  },
};

describe('OD the REST create and update: values checked before Odoo sees them (check-values.ts)', () => {
  it('OD-57 refused values never reach Odoo: only fields_get is asked, once per user and model (not recorded: documented behaviour)', async () => {
    const caller = await admin();
    replay.expectDocumented('fields_get', writeFieldsGetRequest(2, ADMIN_KEY, 'crm.lead'), { json: rpcResult(LEAD_WRITE_FIELDS) });
    await expect(backend.writeAndRead(caller, 'crm.lead', 51, { probability: 'fifty' })).rejects.toThrow(/'probability'/);
    await expect(backend.writeAndRead(caller, 'crm.lead', 51, { prorated_revenue: 1 })).rejects.toThrow(
      /'prorated_revenue'.*read-only \(computed\)/,
    );
    await expect(backend.createAndRead(caller, 'crm.lead', { name: 42 })).rejects.toThrow(ValidationError);
    await expect(backend.createAndRead(caller, 'crm.lead', { name: 'x', write_uid: 1 })).rejects.toThrow(/'write_uid'.*read-only/);
    replay.assertDone();
  });

  it('OD-58 a MissingError about a record the values name is a ValidationError (400) naming the field; the record of the URL missing stays a MissingError (404) (not recorded: documented behaviour)', async () => {
    const caller = await admin();
    const missing = (model: string, id: number) => ({
      json: {
        jsonrpc: '2.0',
        id: 0,
        error: {
          code: 200,
          message: 'Odoo Server Error',
          data: {
            name: 'odoo.exceptions.MissingError',
            debug: '',
            message: `Record does not exist or has been deleted.\n(Record: ${model}(${id},), User: 2)`,
            arguments: [],
            context: {},
          },
        },
      },
    });
    replay
      .expectDocumented('fields_get', writeFieldsGetRequest(2, ADMIN_KEY, 'crm.lead'), { json: rpcResult(LEAD_WRITE_FIELDS) })
      .expectDocumented(
        'create naming a missing partner',
        executeKwRequest(2, ADMIN_KEY, 'crm.lead', 'create', [{ name: 'x', partner_id: 999999 }]),
        missing('res.partner', 999999),
      )
      .expectDocumented(
        'write of a missing lead',
        executeKwRequest(2, ADMIN_KEY, 'crm.lead', 'write', [[999999], { name: 'x' }]),
        missing('crm.lead', 999999),
      );
    const create = backend.createAndRead(caller, 'crm.lead', { name: 'x', partner_id: { id: 999999 } });
    await expect(create).rejects.toBeInstanceOf(ValidationError);
    await expect(create).rejects.toThrow(
      "Invalid value for field 'partner_id' on crm.lead: res.partner record 999999 does not exist or has been deleted",
    );
    await expect(backend.writeAndRead(caller, 'crm.lead', 999999, { name: 'x' })).rejects.toBeInstanceOf(MissingError);
    replay.assertDone();
  });

  it('OD-59 `order` on a field that is no column (Odoo 17 ignores it with a warning) is an InvalidQueryError naming it (not recorded: documented behaviour)', async () => {
    const caller = await admin();
    replay.expectDocumented('fields_get', writeFieldsGetRequest(2, ADMIN_KEY, 'sale.order'), {
      json: rpcResult({
        name: { type: 'char', string: 'Order Reference', readonly: false, store: true, depends: [] },
        order_line: { type: 'one2many', string: 'Order Lines', relation: 'sale.order.line', readonly: false, store: true, depends: [] },
        display_name: { type: 'char', string: 'Display Name', readonly: true, store: false, depends: ['name'] },
      }),
    });
    for (const order of ['order_line', 'name asc, display_name desc']) {
      const failure = backend.searchRead(caller, 'sale.order', { domain: TRUE_DOMAIN, fields: ['name'], limit: 1, order });
      await expect(failure).rejects.toBeInstanceOf(InvalidQueryError);
      await expect(failure).rejects.toThrow(/'(order_line|display_name)' of sale\.order is not stored/);
    }
    replay.assertDone();
  });
});

describe('OD default reads leave out what the caller may not read', () => {
  it('OD-45 an AccessError on a field of a default read: the records are read without the fields the error points at, which are remembered (not recorded: documented behaviour)', async () => {
    const caller = await demo();
    const refused = {
      json: {
        jsonrpc: '2.0',
        id: 0,
        error: {
          code: 200,
          message: 'Odoo Server Error',
          data: {
            name: 'odoo.exceptions.AccessError',
            debug: '',
            message: "You are not allowed to access 'Bank Accounts' (res.partner.bank) records.",
            arguments: [],
            context: {},
          },
        },
      },
    };
    const meta = {
      name: { type: 'char', string: 'Name', readonly: false, store: true, depends: [] },
      bank_ids: { type: 'one2many', string: 'Banks', relation: 'res.partner.bank', readonly: false, store: true, depends: [] },
      bank_account_count: { type: 'integer', string: 'Bank', readonly: true, store: false, depends: ['bank_ids'] },
      email: { type: 'char', string: 'Email', readonly: false, store: true, depends: [] },
    };
    const read = (fields: string[]) => executeKwRequest(6, DEMO_KEY, 'res.partner', 'read', [[8]], { fields });
    replay
      .expectDocumented(
        'fields_get',
        executeKwRequest(6, DEMO_KEY, 'res.partner', 'fields_get', [], {
          attributes: ['type', 'string', 'relation', 'required', 'readonly', 'selection'],
        }),
        { json: rpcResult(meta) },
      )
      .expectDocumented('default read refused', read(['name', 'bank_ids', 'bank_account_count', 'email']), refused)
      .expectDocumented('the records themselves are readable', read(['id']), { json: rpcResult([{ id: 8 }]) })
      .expectDocumented('fields_get with what tells computed fields', writeFieldsGetRequest(6, DEMO_KEY, 'res.partner'), {
        json: rpcResult(meta),
      })
      .expectDocumented('read without them', read(['name', 'email']), {
        json: rpcResult([{ id: 8, name: 'Joel Willis', email: 'joel@example.com' }]),
      })
      .expectDocumented('the next default read leaves them out at once', read(['name', 'email']), {
        json: rpcResult([{ id: 8, name: 'Joel Willis', email: 'joel@example.com' }]),
      });
    expect(await backend.read(caller, 'res.partner', [8])).toEqual([{ id: 8, name: 'Joel Willis', email: 'joel@example.com' }]);
    expect(await backend.read(caller, 'res.partner', [8])).toEqual([{ id: 8, name: 'Joel Willis', email: 'joel@example.com' }]);
    replay.assertDone();
  });

  it('OD-46 the rest is found by halving the field list; an AccessError on the records themselves stays the answer (not recorded: documented behaviour)', async () => {
    const caller = await demo();
    const accessError = (message: string) => ({
      json: {
        jsonrpc: '2.0',
        id: 0,
        error: {
          code: 200,
          message: 'Odoo Server Error',
          data: { name: 'odoo.exceptions.AccessError', debug: '', message, arguments: [], context: {} },
        },
      },
    });
    const meta = {
      a: { type: 'char', string: 'A', readonly: false, store: true, depends: [] },
      b: { type: 'char', string: 'B', readonly: true, store: false, depends: [] },
      c: { type: 'char', string: 'C', readonly: false, store: true, depends: [] },
    };
    const read = (ids: number[], fields: string[]) => executeKwRequest(6, DEMO_KEY, 'res.partner', 'read', [ids], { fields });
    const hidden = accessError('Uh-oh! Looks like you have stumbled upon some top-secret records.');
    replay
      .expectDocumented(
        'fields_get',
        executeKwRequest(6, DEMO_KEY, 'res.partner', 'fields_get', [], {
          attributes: ['type', 'string', 'relation', 'required', 'readonly', 'selection'],
        }),
        { json: rpcResult(meta) },
      )
      .expectDocumented('default read refused', read([8], ['a', 'b', 'c']), accessError('You are not allowed to compute b.'))
      .expectDocumented('the records are readable', read([8], ['id']), { json: rpcResult([{ id: 8 }]) })
      .expectDocumented('halving: first half refused', read([8], ['a', 'b']), accessError('You are not allowed to compute b.'))
      .expectDocumented('a', read([8], ['a']), { json: rpcResult([{ id: 8, a: 'x' }]) })
      .expectDocumented('b', read([8], ['b']), accessError('You are not allowed to compute b.'))
      .expectDocumented('second half', read([8], ['c']), { json: rpcResult([{ id: 8, c: 'z' }]) })
      .expectDocumented('read without b', read([8], ['a', 'c']), { json: rpcResult([{ id: 8, a: 'x', c: 'z' }]) })
      // A record a rule hides: the read of its ids fails too, and that is the answer.
      .expectDocumented('hidden record', read([9], ['a', 'c']), hidden)
      .expectDocumented('hidden record, ids only', read([9], ['id']), hidden);
    expect(await backend.read(caller, 'res.partner', [8])).toEqual([{ id: 8, a: 'x', c: 'z' }]);
    await expect(backend.read(caller, 'res.partner', [9])).rejects.toThrow(/top-secret/);
    replay.assertDone();
  });
});

describe('OD models: slugs resolve against ir.model, cached with a refresh', () => {
  it('OD-60 sale_order, sale.order and ir_actions_act_window resolve from one ir.model load (ir.model answer not recorded: documented behaviour)', async () => {
    const caller = await admin();
    replay.expectDocumented('ir.model', modelListRequest(2, ADMIN_KEY), { json: rpcResult(DOCUMENTED_MODELS) });
    expect(await backend.resolveModel('sale_order', caller)).toEqual({ model: 'sale.order', description: 'Sales Order' });
    expect(await backend.resolveModel('sale.order', caller)).toEqual({ model: 'sale.order', description: 'Sales Order' });
    expect(await backend.resolveModel('ir_actions_act_window', caller)).toEqual({
      model: 'ir.actions.act_window',
      description: 'Action Window',
    });
    expect(await backend.resolveModel('no_such_model', caller)).toBeUndefined();
    replay.assertDone();
  });

  it('OD-61 an unknown slug reloads a list older than modelsMissRefreshMs (a module installed meanwhile); the list expires after modelsTtlMs', async () => {
    backend = newBackend({ modelsMissRefreshMs: 1000, modelsTtlMs: 10_000 });
    const caller = await admin();
    replay.expectDocumented('ir.model', modelListRequest(2, ADMIN_KEY), { json: rpcResult(DOCUMENTED_MODELS) });
    expect(await backend.resolveModel('stock_picking', caller)).toBeUndefined();
    clock += 1500;
    replay.expectDocumented('ir.model again', modelListRequest(2, ADMIN_KEY), {
      json: rpcResult([...DOCUMENTED_MODELS, { id: 7, model: 'stock.picking', name: 'Transfer' }]),
    });
    expect(await backend.resolveModel('stock_picking', caller)).toEqual({ model: 'stock.picking', description: 'Transfer' });
    expect(await backend.resolveModel('mrp_production', caller)).toBeUndefined();
    replay.assertDone();
  });

  it('OD-62 concurrent resolutions share one ir.model request', async () => {
    const caller = await admin();
    replay.expectDocumented('ir.model', modelListRequest(2, ADMIN_KEY), { json: rpcResult(DOCUMENTED_MODELS) });
    const found = await Promise.all(['sale_order', 'crm_lead', 'res_partner'].map((slug) => backend.resolveModel(slug, caller)));
    expect(found.map((m) => m?.model)).toEqual(['sale.order', 'crm.lead', 'res.partner']);
    replay.assertDone();
  });

  it('OD-63 without a caller, a cold list cannot be loaded: the resolution fails, nothing is sent', async () => {
    await expect(backend.resolveModel('sale_order')).rejects.toThrow(/not loaded yet/);
    replay.assertDone();
  });
});

describe('OD the server itself', () => {
  it('OD-70 ping is `common.version` as recorded', async () => {
    replay.expect('jsonrpc_common_version');
    await expect(backend.ping()).resolves.toBeUndefined();
    replay.assertDone();
  });

  it("OD-71 an answer that is not JSON-RPC (Odoo's recorded HTML 400 of a json route): a 502, no HTML passed on", async () => {
    const caller = await admin();
    // The recorded answer of web_session_get_session_info_get, given here to a data call.
    const html = recording('web_session_get_session_info_get').response;
    replay.expectDocumented('html answer', executeKwRequest(2, ADMIN_KEY, 'sale.order', 'search_count', [[]]), {
      status: html.status,
      text: html.text!,
      headers: { 'Content-Type': String(html.headers['Content-Type']) },
    });
    const failure = backend.searchCount(caller, 'sale.order', TRUE_DOMAIN);
    await expect(failure).rejects.toBeInstanceOf(BackendError);
    await expect(failure).rejects.toMatchObject({
      odooName: 'upstream_unreachable',
      message: 'the Odoo server answered HTTP 400 without a JSON-RPC response on /jsonrpc',
    });
    replay.assertDone();
  });

  it('OD-72 a model Odoo says does not exist (stale list): UnknownModelError, and the list is reloaded next time', async () => {
    const caller = await admin();
    replay
      .expectDocumented('ir.model', modelListRequest(2, ADMIN_KEY), {
        json: rpcResult([...DOCUMENTED_MODELS, { id: 9, model: 'no.such.model', name: 'Gone' }]),
      })
      .expectDocumented('search_count of a removed model', executeKwRequest(2, ADMIN_KEY, 'no.such.model', 'search_count', [[]]), {
        json: recording('jsonrpc_err_unknown_model').response.json,
      });
    expect(await backend.resolveModel('no_such_model', caller)).toBeDefined();
    await expect(backend.searchCount(caller, 'no.such.model', TRUE_DOMAIN)).rejects.toEqual(new UnknownModelError('no.such.model'));
    replay.expectDocumented('ir.model reloaded', modelListRequest(2, ADMIN_KEY), { json: rpcResult(DOCUMENTED_MODELS) });
    expect(await backend.resolveModel('no_such_model', caller)).toBeUndefined();
    replay.assertDone();
  });
});
