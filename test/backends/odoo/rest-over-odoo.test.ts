/**
 * The REST contract served by BACKEND=odoo, over real HTTP on 127.0.0.1, with Odoo's side replayed from
 * real Odoo 17 answers (replay.ts): recorded answers must come out as the contract's answers (statuses,
 * `{"error": ...}` with Odoo's message, many2one as `{id, name}`, Odoo's session envelope), and the
 * requests behind them must be the recorded ones. Model lists (`ir.model`) have no recording: they
 * follow Odoo's documented search_read answer (DOCUMENTED_MODELS).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import { OdooBackend } from '../../../src/backends/odoo/odoo-backend.js';
import { testConfig } from '../../../src/config.js';
import { q } from '../../helpers/server.js';
import { expectError } from '../../rest/support.js';
import {
  ADMIN_KEY,
  DEMO_KEY,
  DOCUMENTED_MODELS,
  ODOO_DB,
  ODOO_ORIGIN,
  OdooReplay,
  SESSION_ID,
  basic,
  executeKwRequest,
  modelListRequest,
  recording,
  rpcResult,
} from './replay.js';

const ADMIN = { authorization: basic('admin', ADMIN_KEY) };
const DEMO = { authorization: basic('demo', DEMO_KEY) };

let replay: OdooReplay;
let app: App;
let url: string;

beforeEach(async () => {
  replay = new OdooReplay();
  const backend = new OdooBackend({ url: ODOO_ORIGIN, db: ODOO_DB, dispatcher: replay.agent });
  app = await createApp(testConfig({ BACKEND: 'odoo', ODOO_URL: ODOO_ORIGIN, ODOO_DB, LOG_LEVEL: 'silent' }), { backend });
  url = await app.server.listen({ host: '127.0.0.1', port: 0 });
});

afterEach(async () => {
  await app.close();
  await replay.close();
});

async function call(method: string, path: string, options: { headers?: Record<string, string>; body?: unknown } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined };
}

/** The caller's Basic check and the model list, as every first /api request of a caller needs them. */
function adminArrives(): void {
  replay
    .expect('jsonrpc_common_authenticate_admin_apikey')
    .expectDocumented('ir.model', modelListRequest(2, ADMIN_KEY), { json: rpcResult(DOCUMENTED_MODELS) });
}

function demoArrives(): void {
  replay
    .expect('jsonrpc_common_authenticate_demo_apikey')
    .expectDocumented('ir.model', modelListRequest(6, DEMO_KEY), { json: rpcResult(DOCUMENTED_MODELS) });
}

describe("RO reads: recorded answers as the contract's", () => {
  it('RO-01 GET /api/sale_order with domain, fields, limit: search_read and search_count as recorded; many2one as {id, name}', async () => {
    adminArrives();
    replay.expect('jsonrpc_sale_order_search_read').expect('jsonrpc_sale_order_search_count');
    const fields = 'name,partner_id,state,amount_total,date_order,order_line,user_id';
    const answer = await call('GET', `/api/sale_order?${q({ domain: '[("state","=","sale")]', fields, limit: 3 })}`, { headers: ADMIN });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({
      count: 3,
      total: 19,
      limit: 3,
      offset: 0,
      results: [
        {
          id: 24,
          name: 'S00024',
          partner_id: { id: 11, name: 'Gemini Furniture' },
          state: 'sale',
          amount_total: 2288.5,
          date_order: '2026-11-29 15:19:59',
          order_line: [50],
          user_id: { id: 6, name: 'Marc Demo' },
        },
        {
          id: 23,
          name: 'S00023',
          partner_id: { id: 11, name: 'Gemini Furniture' },
          state: 'sale',
          amount_total: 5002.5,
          date_order: '2026-11-29 15:19:59',
          order_line: [48, 49],
          user_id: { id: 6, name: 'Marc Demo' },
        },
        {
          id: 22,
          name: 'S00022',
          partner_id: { id: 11, name: 'Gemini Furniture' },
          state: 'sale',
          amount_total: 1696.25,
          date_order: '2026-11-29 15:19:59',
          order_line: [47],
          user_id: { id: 6, name: 'Marc Demo' },
        },
      ],
    });
    replay.assertDone();
  });

  it('RO-02 GET /api/res_partner/11: many2one {id, name}, many2many ids, unset many2one false', async () => {
    adminArrives();
    replay.expect('jsonrpc_res_partner_read');
    const answer = await call('GET', '/api/res_partner/11?fields=name,email,parent_id,category_id,is_company,country_id,active', {
      headers: ADMIN,
    });
    expect(answer.body).toEqual({
      id: 11,
      name: 'Gemini Furniture',
      email: 'john.b@tech.info',
      parent_id: false,
      category_id: [4, 7],
      is_company: true,
      country_id: { id: 233, name: 'United States' },
      active: true,
    });
    replay.assertDone();
  });

  it('RO-03 GET /api/crm_lead/51 as recorded after the write', async () => {
    adminArrives();
    replay.expect('jsonrpc_crm_lead_read_after_write');
    const answer = await call('GET', '/api/crm_lead/51?fields=name,partner_id,expected_revenue,priority,type,stage_id,user_id', {
      headers: ADMIN,
    });
    expect(answer.body).toEqual({
      id: 51,
      name: 'Lab lead (JSON-RPC, edited)',
      partner_id: { id: 11, name: 'Gemini Furniture' },
      expected_revenue: 2500,
      priority: '2',
      type: 'opportunity',
      stage_id: { id: 1, name: 'New' },
      user_id: { id: 2, name: 'Mitchell Admin' },
    });
    replay.assertDone();
  });

  it("RO-04 limit=0 answers only the total: search_count is sent, search_read is not; record rules are Odoo's (admin 39, demo 21 leads)", async () => {
    adminArrives();
    replay.expect('jsonrpc_record_rules_crm_lead_search_count_admin');
    expect((await call('GET', '/api/crm_lead?limit=0', { headers: ADMIN })).body).toEqual({
      count: 0,
      total: 39,
      limit: 0,
      offset: 0,
      results: [],
    });
    replay.expect('jsonrpc_common_authenticate_demo_apikey').expect('jsonrpc_record_rules_crm_lead_search_count_demo');
    expect((await call('GET', '/api/crm_lead?limit=0', { headers: DEMO })).body.total).toBe(21);
    replay.assertDone();
  });

  it('RO-05 GET /api/health answers without asking Odoo', async () => {
    expect((await call('GET', '/api/health')).body).toEqual({ status: 'ok' });
    replay.assertDone();
  });
});

describe('RO auth: Basic on every version, Bearer explained on Odoo 17, sessions forwarded', () => {
  it('RO-10 no credentials: 401 with WWW-Authenticate, nothing asked of Odoo', async () => {
    const answer = await call('GET', '/api/sale_order');
    expectError(answer, 401, /authentication required/, { 'www-authenticate': 'Bearer' });
    replay.assertDone();
  });

  it('RO-11 Basic with a wrong key: common.authenticate answers false (as recorded), 401', async () => {
    replay.expect('jsonrpc_common_authenticate_wrong_password');
    expectError(
      await call('GET', '/api/sale_order', { headers: { authorization: basic('admin', 'wrong-password') } }),
      401,
      'invalid login or API key',
    );
    replay.assertDone();
  });

  it('RO-12 Bearer on Odoo 17: 401 whose message explains Basic and sessions (common.version as recorded)', async () => {
    replay.expect('jsonrpc_common_version');
    const answer = await call('GET', '/api/sale_order', { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expectError(
      answer,
      401,
      /needs Odoo 19 or later, and this Odoo server is 17\.0: send the key as 'Authorization: Basic <base64 of login:API key>' \(any Odoo version\), or authenticate at \/web\/session\/authenticate/,
      {
        'www-authenticate': 'Bearer',
      },
    );
    replay.assertDone();
  });

  it('RO-13 malformed Basic and unknown schemes: 401 without asking Odoo', async () => {
    expectError(
      await call('GET', '/api/sale_order', { headers: { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` } }),
      401,
      /malformed Basic credentials/,
    );
    expectError(
      await call('GET', '/api/sale_order', { headers: { authorization: 'Digest abc' } }),
      401,
      /unsupported Authorization header/,
    );
    replay.assertDone();
  });

  it("RO-14 /web/session/authenticate is Odoo's: its session info, its session_id (HttpOnly); get_session_info and destroy forwarded", async () => {
    replay.expect('web_session_authenticate_admin');
    const rpc = (id: number, params: Record<string, unknown>) => ({ jsonrpc: '2.0', method: 'call', params, id });
    const authenticated = await call('POST', '/web/session/authenticate', {
      body: rpc(1, { db: 'odoo', login: 'admin', password: 'admin' }),
    });
    // Odoo's session info, plus the contract's `company_id` (Odoo 17 has it as user_companies.current_company).
    const recorded = recording('web_session_authenticate_admin').response.json.result;
    expect(authenticated.body).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { ...recorded, company_id: recorded.user_companies.current_company },
    });
    expect(authenticated.body.result.company_id).toBe(1);
    const cookie = authenticated.headers.getSetCookie().find((c) => c.startsWith('session_id='))!;
    expect(cookie).toMatch(/^session_id=<session>;.*HttpOnly/);

    replay.expect('web_session_get_session_info_post');
    const info = await call('POST', '/web/session/get_session_info', { headers: { cookie: `session_id=${SESSION_ID}` }, body: rpc(3, {}) });
    expect(info.body).toMatchObject({
      jsonrpc: '2.0',
      id: 3,
      result: { uid: 2, username: 'admin', server_version: '17.0', company_id: 1 },
    });

    replay.expect('web_session_destroy').expect('web_session_get_session_info_after_destroy');
    expect(
      (await call('POST', '/web/session/destroy', { headers: { cookie: `session_id=${SESSION_ID}` }, body: rpc(6, {}) })).body,
    ).toEqual({ jsonrpc: '2.0', id: 6, result: null });
    const expired = await call('POST', '/web/session/get_session_info', {
      headers: { cookie: `session_id=${SESSION_ID}` },
      body: rpc(7, {}),
    });
    expect(expired.body).toMatchObject({
      jsonrpc: '2.0',
      id: null,
      error: { code: 100, message: 'Odoo Session Expired', data: { name: 'odoo.http.SessionExpiredException' } },
    });
    expect(expired.text).not.toContain('Traceback');
    replay.assertDone();
  });

  it("RO-15 a wrong password at /web/session/authenticate: HTTP 200 with Odoo's AccessDenied error, no cookie", async () => {
    replay.expect('web_session_authenticate_wrong_password');
    const answer = await call('POST', '/web/session/authenticate', {
      body: { jsonrpc: '2.0', method: 'call', params: { db: 'odoo', login: 'admin', password: 'wrong-password' }, id: 2 },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      jsonrpc: '2.0',
      id: 2,
      error: { code: 200, data: { name: 'odoo.exceptions.AccessDenied', message: 'Access Denied' } },
    });
    expect(answer.headers.getSetCookie()).toEqual([]);
    replay.assertDone();
  });

  it('RO-16 a destroyed session used on /api: get_session_info says expired (as recorded), 401', async () => {
    replay.expect('web_session_get_session_info_after_destroy');
    expectError(await call('GET', '/api/sale_order', { headers: { cookie: `session_id=${SESSION_ID}` } }), 401, /session expired/);
    replay.assertDone();
  });
});

/**
 * The fields_get a create or update asks before Odoo sees the values (check-values.ts), with the attributes
 * that tell computed fields apart. Not recorded: documented behaviour, answers as the lab's Odoo 17 gives
 * them for the fields named.
 */
function writeFieldsGet(uid: number, key: string, model: string, fields: Record<string, unknown>) {
  const attributes = ['type', 'string', 'relation', 'readonly', 'selection', 'store', 'depends', 'related'];
  return [
    `fields_get of ${model} for the write check`,
    executeKwRequest(uid, key, model, 'fields_get', [], { attributes }),
    { json: rpcResult(fields) },
  ] as const;
}

const PARTNER_WRITE_FIELDS = {
  name: { type: 'char', string: 'Name', readonly: false, store: true, depends: [] },
  parent_id: { type: 'many2one', string: 'Related Company', relation: 'res.partner', readonly: false, store: true, depends: [] },
};

describe("RO errors: Odoo's faults as the contract's statuses, with Odoo's message and no traceback", () => {
  it('RO-20 403: a record hidden by a record rule, a model without write access', async () => {
    demoArrives();
    replay
      .expect('jsonrpc_err_access_record_rule_demo_read_lead')
      .expectDocumented(
        ...writeFieldsGet(6, DEMO_KEY, 'res.users', {
          name: { type: 'char', string: 'Name', readonly: false, store: false, depends: ['partner_id.name'], related: 'partner_id.name' },
        }),
      )
      .expect('jsonrpc_err_access_demo_write_res_users');
    expectError(
      await call('GET', '/api/crm_lead/1?fields=name', { headers: DEMO }),
      403,
      recording('jsonrpc_err_access_record_rule_demo_read_lead').response.json.error.data.message,
    );
    expectError(
      await call('PUT', '/api/res_users/2', { headers: DEMO, body: { name: 'Hacked' } }),
      403,
      /^You are not allowed to modify 'User' \(res\.users\) records\./,
    );
    replay.assertDone();
  });

  it('RO-21 404: a missing record on read (Odoo answers []) and on write (MissingError); an unknown slug never reaches Odoo', async () => {
    adminArrives();
    replay
      .expect('jsonrpc_read_missing_id_999999_returns_empty')
      .expectDocumented(...writeFieldsGet(2, ADMIN_KEY, 'res.partner', PARTNER_WRITE_FIELDS))
      .expect('jsonrpc_err_missing_write_999999');
    expectError(
      await call('GET', '/api/res_partner/999999?fields=name', { headers: ADMIN }),
      404,
      'res.partner record 999999 does not exist',
    );
    expectError(
      await call('PUT', '/api/res_partner/999999', { headers: ADMIN, body: { name: 'x' } }),
      404,
      /^Record does not exist or has been deleted\./,
    );
    expectError(await call('GET', '/api/no_such_model', { headers: ADMIN }), 404, "unknown model 'no_such_model'");
    replay.assertDone();
  });

  it("RO-22 400: ValidationError and UserError with Odoo's message", async () => {
    adminArrives();
    replay
      .expect('jsonrpc_err_validation_sale_order_without_partner')
      .expectDocumented(...writeFieldsGet(2, ADMIN_KEY, 'res.partner', PARTNER_WRITE_FIELDS))
      .expect('jsonrpc_err_validation_partner_recursion')
      .expectDocumented('exists before unlink', executeKwRequest(2, ADMIN_KEY, 'sale.order', 'read', [[24]], { fields: ['id'] }), {
        json: rpcResult([{ id: 24 }]),
      })
      .expect('jsonrpc_err_user_error_unlink_confirmed_sale_order');
    expectError(
      await call('POST', '/api/sale_order', { headers: ADMIN, body: {} }),
      400,
      recording('jsonrpc_err_validation_sale_order_without_partner').response.json.error.data.message,
    );
    expectError(
      await call('PUT', '/api/res_partner/11', { headers: ADMIN, body: { parent_id: 11 } }),
      400,
      'You cannot create recursive Partner hierarchies.',
    );
    expectError(
      await call('DELETE', '/api/sale_order/24', { headers: ADMIN }),
      400,
      'You can not delete a sent quotation or a confirmed sales order. You must first cancel it.',
    );
    replay.assertDone();
  });

  it("RO-23 400: an unknown field in a domain, with Odoo's ValueError message (search_count's identical refusal not recorded: documented behaviour)", async () => {
    adminArrives();
    const refusal = recording('jsonrpc_err_unknown_field_in_domain').response.json;
    replay
      .expect('jsonrpc_err_unknown_field_in_domain')
      .expectDocumented(
        'search_count refuses the same domain',
        executeKwRequest(2, ADMIN_KEY, 'sale.order', 'search_count', [[['no_such_field', '=', 1]]]),
        { json: refusal },
      );
    const answer = await call('GET', `/api/sale_order?${q({ domain: "[('no_such_field', '=', 1)]", fields: 'name', limit: 1 })}`, {
      headers: ADMIN,
    });
    expectError(answer, 400, "Invalid field sale.order.no_such_field in leaf ('no_such_field', '=', 1)");
    expect(answer.text).not.toContain('Traceback');
    replay.assertDone();
  });

  it("RO-24 403 on a model the user may not read (search_count's identical refusal not recorded: documented behaviour)", async () => {
    demoArrives();
    const refusal = recording('jsonrpc_err_access_demo_read_config_parameter').response.json;
    replay
      .expect('jsonrpc_err_access_demo_read_config_parameter')
      .expectDocumented('search_count refuses too', executeKwRequest(6, DEMO_KEY, 'ir.config_parameter', 'search_count', [[]]), {
        json: refusal,
      });
    expectError(
      await call('GET', '/api/ir_config_parameter?fields=key,value&limit=1', { headers: DEMO }),
      403,
      /^You are not allowed to access 'System Parameter'/,
    );
    replay.assertDone();
  });

  it("RO-25 any other Odoo exception: 500 with a generic message, nothing of Odoo's text (not recorded: documented error envelope)", async () => {
    adminArrives();
    replay.expectDocumented('an unexpected exception', executeKwRequest(2, ADMIN_KEY, 'sale.order', 'search_count', [[]]), {
      json: {
        jsonrpc: '2.0',
        id: 0,
        error: {
          code: 200,
          message: 'Odoo Server Error',
          data: {
            name: 'psycopg2.errors.SerializationFailure',
            message: 'could not serialize access due to concurrent update',
            debug: 'Traceback (most recent call last): ...',
            arguments: [],
            context: {},
          },
        },
      },
    });
    const answer = await call('GET', '/api/sale_order?limit=0', { headers: ADMIN });
    expectError(answer, 500, /^internal server error/);
    expect(answer.text).not.toMatch(/psycopg2|serialize|Traceback/);
    replay.assertDone();
  });

  it("RO-26 a key revoked after its check: Odoo's AccessDenied on the next call is a 401 and the key leaves the cache (answer as recorded for execute_kw with a bad key)", async () => {
    replay.expect('jsonrpc_common_authenticate_admin_apikey').expectDocumented('ir.model refused', modelListRequest(2, ADMIN_KEY), {
      json: recording('jsonrpc_err_wrong_password_execute_kw').response.json,
    });
    expectError(await call('GET', '/api/sale_order?limit=0', { headers: ADMIN }), 401, 'Access Denied');
    // Not trusted any more: the next request checks the key again.
    adminArrives();
    replay.expect('jsonrpc_record_rules_sale_order_search_count_admin');
    expect((await call('GET', '/api/sale_order?limit=0', { headers: ADMIN })).body.total).toBe(24);
    replay.assertDone();
  });
});

describe('RO upstream failures: 502 and 504', () => {
  it('RO-30 an Odoo that cannot be reached: 502 {"error"} naming no address', async () => {
    const { createServer } = await import('node:net');
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closed = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = await createApp(testConfig({ BACKEND: 'odoo', ODOO_URL: closed, ODOO_DB, LOG_LEVEL: 'silent' }));
    const downUrl = await down.server.listen({ host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(`${downUrl}/api/sale_order`, { headers: ADMIN });
      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({ error: 'the Odoo server is unreachable (ECONNREFUSED)' });
    } finally {
      await down.close();
    }
  });
});
