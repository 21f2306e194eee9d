/**
 * The same policy for session-cookie callers (`POST /web/session/authenticate`, Odoo's JSON-RPC envelope)
 * as for API keys; inactive users cannot log in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { apiPath, expectRightsRefusal, expectRuleRefusal, listPath, SAN_FRANCISCO, sqlCount, sqlRow, storedRow, UID } from './support.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
  await server?.close();
});

async function authenticate(login: string, password = login) {
  const response = await server.request(null, 'POST', '/web/session/authenticate', {
    jsonrpc: '2.0',
    method: 'call',
    params: { db: 'odoo', login, password },
    id: 7,
  });
  expect(response.status).toBe(200);
  const cookie = /session_id=([^;]*)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  return { body: response.body, cookie: cookie ? `session_id=${cookie}` : undefined };
}

/** A request carrying only the session cookie. */
function withSession(cookie: string, method: string, path: string, body?: unknown) {
  return server.request(null, method, path, body, { cookie });
}

describe('session callers get the same policy as key callers', () => {
  let demo: string;

  beforeAll(async () => {
    const session = await authenticate('demo');
    expect(session.body.result).toMatchObject({ uid: UID.demo, username: 'demo', is_admin: false });
    demo = session.cookie!;
  });

  it("lists count only the salesman's own and unassigned leads, as with his key", async () => {
    // Of his companies, read from the database: demo is allowed in both, San Francisco and Chicago, as
    // Odoo 17's demo user (stock/data/stock_demo.xml), so Chicago's unassigned leads count too.
    const companies = `SELECT cid FROM res_company_users_rel WHERE user_id = ${UID.demo}`;
    const expected = sqlCount(
      server,
      `SELECT id FROM crm_lead WHERE active = 1 AND (company_id IS NULL OR company_id IN (${companies})) AND (user_id IS NULL OR user_id = ?)`,
      UID.demo,
    );
    expect(expected).toBeLessThan(sqlCount(server, `SELECT id FROM crm_lead WHERE active = 1`));
    const bySession = await withSession(demo, 'GET', listPath('crm.lead', { limit: 0 }));
    expect(bySession.status).toBe(200);
    expect(bySession.body.total).toBe(expected);
    expect((await server.request('demo', 'GET', listPath('crm.lead', { limit: 0 }))).body.total).toBe(expected);
    expect((await withSession(demo, 'GET', listPath('crm.lead', { domain: `[('user_id.login', '=', 'salesman2')]` }))).body.total).toBe(0);
  });

  it("another salesman's lead: retrieve, update and delete are refused and nothing changes", async () => {
    const lead = sqlRow<{ id: number }>(
      server,
      `SELECT id FROM crm_lead WHERE user_id = ? AND company_id = ? AND active = 1 LIMIT 1`,
      UID.salesman2,
      SAN_FRANCISCO,
    )!.id;
    const before = storedRow(server, 'crm_lead', lead);
    expectRuleRefusal(
      await withSession(demo, 'GET', apiPath('crm.lead', lead)),
      'Marc Demo',
      UID.demo,
      'read',
      'Lead/Opportunity',
      'crm.lead',
    );
    expectRuleRefusal(
      await withSession(demo, 'PATCH', apiPath('crm.lead', lead), { user_id: UID.demo }),
      'Marc Demo',
      UID.demo,
      'write',
      'Lead/Opportunity',
      'crm.lead',
    );
    expectRightsRefusal(await withSession(demo, 'DELETE', apiPath('crm.lead', lead)), 'delete', 'Lead/Opportunity', 'crm.lead');
    expect(storedRow(server, 'crm_lead', lead)).toEqual(before);
  });

  it('writes run as the session user: a new lead is his', async () => {
    const created = await withSession(demo, 'POST', apiPath('crm.lead'), { name: 'By session' });
    expect(created.status, created.text).toBe(201);
    expect(created.body.record.user_id).toEqual({ id: UID.demo, name: 'Marc Demo' });
    expect(storedRow(server, 'crm_lead', created.body.id)).toMatchObject({ create_uid: UID.demo, user_id: UID.demo });
  });

  it("a portal session has no leads and only Deco Addict's orders", async () => {
    const portal = (await authenticate('portal')).cookie!;
    expectRightsRefusal(await withSession(portal, 'GET', apiPath('crm.lead')), 'access', 'Lead/Opportunity', 'crm.lead');
    const orders = await withSession(portal, 'GET', listPath('sale.order', { limit: 0 }));
    expect(orders.body.total).toBe(
      sqlCount(
        server,
        `SELECT o.id FROM sale_order o JOIN res_partner p ON p.id = o.partner_id WHERE p.commercial_partner_id = 10 AND o.company_id = ?`,
        SAN_FRANCISCO,
      ),
    );
  });

  it('with both a key and a cookie, the key decides who is calling', async () => {
    const both = await server.request('admin', 'GET', listPath('crm.lead', { limit: 0 }), undefined, { cookie: demo });
    expect(both.body.total).toBe(sqlCount(server, `SELECT id FROM crm_lead WHERE active = 1`));
  });
});

describe('inactive users', () => {
  it('__system__ (inactive) cannot log in, even with its password', async () => {
    const session = await authenticate('__system__');
    expect(session.cookie ?? '').toBe('');
    expect(session.body.result).toBeUndefined();
    expect(session.body.error.data).toMatchObject({ name: 'odoo.exceptions.AccessDenied', message: 'Access Denied' });
    expect(() => server.key('__system__')).toThrow(/no active user/);
  });

  it('a user archived by admin loses his open session and his keys at once', async () => {
    const session = (await authenticate('salesman2')).cookie!;
    server.key('salesman2');
    expect((await withSession(session, 'GET', listPath('crm.lead', { limit: 0 }))).status).toBe(200);
    expect((await server.request('salesman2', 'GET', listPath('crm.lead', { limit: 0 }))).status).toBe(200);

    expect((await server.request('admin', 'PATCH', apiPath('res.users', UID.salesman2), { active: false })).status).toBe(200);
    expect((await withSession(session, 'GET', listPath('crm.lead', { limit: 0 }))).status).toBe(401);
    expect((await server.request('salesman2', 'GET', listPath('crm.lead', { limit: 0 }))).status).toBe(401);
    expect((await authenticate('salesman2')).body.error.data.name).toBe('odoo.exceptions.AccessDenied');
  });
});

describe('logout is a JSON-RPC call, not a cross-site form (issue 13, item 13)', () => {
  /** Odoo 17's refusal of a request that is not JSON on a `type='json'` route (odoo/http.py, _set_request_dispatcher). */
  const NOT_JSON = "Request inferred type is compatible with ['http'] but '/web/session/destroy' is type='json'.";

  async function stillLoggedIn(cookie: string): Promise<boolean> {
    const info = await withSession(cookie, 'POST', '/web/session/get_session_info', { jsonrpc: '2.0', method: 'call', params: {}, id: 1 });
    return info.body?.result?.uid === UID.demo && (await withSession(cookie, 'GET', listPath('crm.lead', { limit: 1 }))).status === 200;
  }

  it('LO-01 a cookie with no body, or a form, text or multipart body, is refused (400) and the session stays valid', async () => {
    const cookie = (await authenticate('demo')).cookie!;
    const attempts: Array<{ headers: Record<string, string>; body?: string }> = [
      { headers: {} },
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' },
      { headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { headers: { 'content-type': 'text/plain' }, body: '{"jsonrpc":"2.0","method":"call","params":{},"id":1}' },
      { headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--\r\n' },
    ];
    for (const { headers, body } of attempts) {
      const response = await fetch(`${server.url}/web/session/destroy`, {
        method: 'POST',
        headers: { cookie, ...headers },
        ...(body !== undefined && { body }),
      });
      const label = `${headers['content-type'] ?? 'no content type'} ${body ?? 'no body'}`;
      expect(response.status, label).toBe(400);
      expect(await response.json(), label).toEqual({ error: NOT_JSON });
      expect(response.headers.getSetCookie(), label).toEqual([]);
      expect(await stillLoggedIn(cookie), label).toBe(true);
    }
  });

  it('LO-02 JSON that is not a JSON-RPC object (array, string, null) is refused (400) and the session stays valid', async () => {
    const cookie = (await authenticate('demo')).cookie!;
    for (const body of ['[]', '"logout"', 'null', '1']) {
      const response = await fetch(`${server.url}/web/session/destroy`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body,
      });
      expect(response.status, body).toBe(400);
      expect(await response.json(), body).toEqual({ error: 'Invalid JSON-RPC data' });
      expect(await stillLoggedIn(cookie), body).toBe(true);
    }
  });

  it('LO-03 the JSON-RPC call logs out, as before', async () => {
    const cookie = (await authenticate('demo')).cookie!;
    const response = await withSession(cookie, 'POST', '/web/session/destroy', { jsonrpc: '2.0', method: 'call', params: {}, id: 9 });
    expect(response.body).toEqual({ jsonrpc: '2.0', id: 9, result: null });
    expect(await stillLoggedIn(cookie)).toBe(false);
  });

  it("LO-04 the other session routes want JSON-RPC too (Odoo's type='json' routes)", async () => {
    const cookie = (await authenticate('demo')).cookie!;
    for (const path of ['/web/session/get_session_info', '/web/session/authenticate']) {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { cookie } });
      expect(response.status, path).toBe(400);
      expect(await response.json(), path).toEqual({
        error: `Request inferred type is compatible with ['http'] but '${path}' is type='json'.`,
      });
    }
  });
});
