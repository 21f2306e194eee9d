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
  await server?.close();
});

async function authenticate(login: string, password = login) {
  const response = await server.request(null, 'POST', '/web/session/authenticate', {
    jsonrpc: '2.0', method: 'call', params: { db: 'odoo', login, password }, id: 7,
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

  it('lists count only the salesman\'s own and unassigned leads, as with his key', async () => {
    const expected = sqlCount(server, `SELECT id FROM crm_lead WHERE active = 1 AND (company_id IS NULL OR company_id = ?) AND (user_id IS NULL OR user_id = ?)`, SAN_FRANCISCO, UID.demo);
    const bySession = await withSession(demo, 'GET', listPath('crm.lead', { limit: 0 }));
    expect(bySession.status).toBe(200);
    expect(bySession.body.total).toBe(expected);
    expect((await server.request('demo', 'GET', listPath('crm.lead', { limit: 0 }))).body.total).toBe(expected);
    expect((await withSession(demo, 'GET', listPath('crm.lead', { domain: `[('user_id.login', '=', 'salesman2')]` }))).body.total).toBe(0);
  });

  it('another salesman\'s lead: retrieve, update and delete are refused and nothing changes', async () => {
    const lead = sqlRow<{ id: number }>(server, `SELECT id FROM crm_lead WHERE user_id = ? AND company_id = ? AND active = 1 LIMIT 1`, UID.salesman2, SAN_FRANCISCO)!.id;
    const before = storedRow(server, 'crm_lead', lead);
    expectRuleRefusal(await withSession(demo, 'GET', apiPath('crm.lead', lead)), 'Marc Demo', UID.demo, 'read', 'Lead/Opportunity', 'crm.lead');
    expectRuleRefusal(await withSession(demo, 'PATCH', apiPath('crm.lead', lead), { user_id: UID.demo }), 'Marc Demo', UID.demo, 'write', 'Lead/Opportunity', 'crm.lead');
    expectRightsRefusal(await withSession(demo, 'DELETE', apiPath('crm.lead', lead)), 'delete', 'Lead/Opportunity', 'crm.lead');
    expect(storedRow(server, 'crm_lead', lead)).toEqual(before);
  });

  it('writes run as the session user: a new lead is his', async () => {
    const created = await withSession(demo, 'POST', apiPath('crm.lead'), { name: 'By session' });
    expect(created.status, created.text).toBe(201);
    expect(created.body.record.user_id).toEqual({ id: UID.demo, name: 'Marc Demo' });
    expect(storedRow(server, 'crm_lead', created.body.id)).toMatchObject({ create_uid: UID.demo, user_id: UID.demo });
  });

  it('a portal session has no leads and only Deco Addict\'s orders', async () => {
    const portal = (await authenticate('portal')).cookie!;
    expectRightsRefusal(await withSession(portal, 'GET', apiPath('crm.lead')), 'access', 'Lead/Opportunity', 'crm.lead');
    const orders = await withSession(portal, 'GET', listPath('sale.order', { limit: 0 }));
    expect(orders.body.total).toBe(sqlCount(server,
      `SELECT o.id FROM sale_order o JOIN res_partner p ON p.id = o.partner_id WHERE p.commercial_partner_id = 10 AND o.company_id = ?`, SAN_FRANCISCO));
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
