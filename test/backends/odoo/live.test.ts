/**
 * Opt-in: the REST contract served by BACKEND=odoo in front of a live Odoo (14 to 19). Runs only when
 * the environment names a server and a user, otherwise it is skipped and says why:
 *
 *   ODOO_URL=http://localhost:8069 ODOO_DB=odoo ODOO_LOGIN=admin ODOO_API_KEY=... \
 *   [ODOO_PASSWORD=...] npx vitest run test/backends/odoo/live.test.ts
 *
 * ODOO_PASSWORD adds the session checks. The suite creates one partner and deletes it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import { testConfig } from '../../../src/config.js';
import { q } from '../../helpers/server.js';
import { basic } from './replay.js';

const env = {
  url: process.env.ODOO_URL,
  db: process.env.ODOO_DB,
  login: process.env.ODOO_LOGIN,
  key: process.env.ODOO_API_KEY,
  password: process.env.ODOO_PASSWORD,
};
const missing = Object.entries({ ODOO_URL: env.url, ODOO_DB: env.db, ODOO_LOGIN: env.login, ODOO_API_KEY: env.key })
  .filter(([, value]) => !value)
  .map(([name]) => name);
const reason = `live Odoo suite skipped: set ${missing.join(', ')} to run the contract against a real Odoo (BACKEND=odoo)`;
if (missing.length) console.info(reason);

const JSON_UTF8 = 'application/json; charset=utf-8';

(missing.length ? describe.skip : describe)(missing.length ? reason : `LIVE BACKEND=odoo against ${env.url} (${env.db})`, () => {
  let app: App;
  let base: string;
  let version = 0;
  const auth = () => ({ authorization: basic(env.login!, env.key!) });

  async function call(method: string, path: string, options: { headers?: Record<string, string>; body?: unknown } = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, { method, headers, ...(options.body !== undefined && { body: JSON.stringify(options.body) }) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined };
  }

  function expectError(answer: { status: number; headers: Headers; body: unknown; text: string }, status: number): void {
    expect(answer.status, answer.text).toBe(status);
    expect(answer.headers.get('content-type')).toBe(JSON_UTF8);
    expect(Object.keys(answer.body as object)).toEqual(['error']);
    expect(answer.text).not.toContain('Traceback');
  }

  beforeAll(async () => {
    app = await createApp(testConfig({ BACKEND: 'odoo', ODOO_URL: env.url!, ODOO_DB: env.db!, LOG_LEVEL: 'silent' }));
    base = await app.server.listen({ host: '127.0.0.1', port: 0 });
    const response = await fetch(`${env.url!.replace(/\/+$/, '')}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service: 'common', method: 'version', args: [] }, id: 1 }),
    });
    const info = ((await response.json()) as { result?: { server_version_info?: unknown[] } }).result?.server_version_info;
    version = Number.parseInt(String(info?.[0] ?? '0').replace(/^\D+/, ''), 10) || 0;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('LIVE-01 health, and the backend reaches Odoo', async () => {
    expect((await call('GET', '/api/health')).body).toEqual({ status: 'ok' });
    await expect(app.backend.ping()).resolves.toBeUndefined();
  });

  it('LIVE-02 list: {count, total, limit, offset, results}, many2one as {id, name} or false', async () => {
    const answer = await call('GET', `/api/res_partner?${q({ domain: "[('active', '=', True)]", fields: 'name,country_id,category_id', limit: 5, order: 'id' })}`, { headers: auth() });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({ count: answer.body.results.length, limit: 5, offset: 0 });
    expect(answer.body.total).toBeGreaterThanOrEqual(answer.body.count);
    for (const partner of answer.body.results) {
      expect(Object.keys(partner).sort()).toEqual(['category_id', 'country_id', 'id', 'name']);
      expect(partner.country_id === false || (typeof partner.country_id.id === 'number' && typeof partner.country_id.name === 'string')).toBe(true);
      expect(Array.isArray(partner.category_id)).toBe(true);
    }
  });

  it('LIVE-03 limit=0 gives only the total; retrieve one; fields omitted leave binary fields out', async () => {
    const counted = await call('GET', '/api/res_partner?limit=0', { headers: auth() });
    expect(counted.body).toMatchObject({ count: 0, limit: 0, results: [] });
    const first = await call('GET', '/api/res_partner?fields=id&limit=1&order=id', { headers: auth() });
    const id = first.body.results[0].id as number;
    const record = await call('GET', `/api/res_partner/${id}`, { headers: auth() });
    expect(record.status, record.text).toBe(200);
    expect(record.body.id).toBe(id);
    expect(record.body).not.toHaveProperty('image_1920');
  });

  it('LIVE-04 errors: unknown model 404, missing record 404, bad id 400, bad domain 400, unknown field 400, no or wrong credentials 401', async () => {
    expectError(await call('GET', '/api/no_such_model_here', { headers: auth() }), 404);
    expectError(await call('GET', '/api/res_partner/2147483000', { headers: auth() }), 404);
    expectError(await call('GET', '/api/res_partner/abc', { headers: auth() }), 400);
    expectError(await call('GET', `/api/res_partner?${q({ domain: "[('name', '=', foo)]" })}`, { headers: auth() }), 400);
    expectError(await call('GET', `/api/res_partner?${q({ domain: "[('no_such_field', '=', 1)]" })}`, { headers: auth() }), 400);
    expectError(await call('GET', '/api/res_partner'), 401);
    expectError(await call('GET', '/api/res_partner', { headers: { authorization: basic(env.login!, 'not-the-key') } }), 401);
  });

  it('LIVE-05 Bearer: served on Odoo 19+, a 401 explaining Basic and sessions before', async () => {
    const answer = await call('GET', '/api/res_partner?limit=1&fields=name', { headers: { authorization: `Bearer ${env.key}` } });
    if (version >= 19) {
      expect(answer.status, answer.text).toBe(200);
    } else {
      expectError(answer, 401);
      expect(answer.body.error).toMatch(/Basic.*session/);
    }
  });

  it('LIVE-06 create 201, update 200 (PUT and PATCH), delete 200, then 404', async () => {
    const name = `ogf live test ${Date.now()}`;
    const created = await call('POST', '/api/res_partner', { headers: auth(), body: { name, comment: null } });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as number;
    try {
      expect(created.body.record).toMatchObject({ id, name });
      const put = await call('PUT', `/api/res_partner/${id}`, { headers: auth(), body: { email: 'live@example.com' } });
      expect(put.body.record).toMatchObject({ id, name, email: 'live@example.com' });
      const patch = await call('PATCH', `/api/res_partner/${id}`, { headers: auth(), body: { name: `${name} (edited)` } });
      expect(patch.body.record).toMatchObject({ id, name: `${name} (edited)`, email: 'live@example.com' });
    } finally {
      expect((await call('DELETE', `/api/res_partner/${id}`, { headers: auth() })).body).toEqual({ ok: true });
    }
    expectError(await call('GET', `/api/res_partner/${id}`, { headers: auth() }), 404);
    expectError(await call('DELETE', `/api/res_partner/${id}`, { headers: auth() }), 404);
  });

  (env.password ? it : it.skip)('LIVE-07 sessions: Odoo\'s own session via /web/session/authenticate serves /api, then destroy ends it', async () => {
    const rpc = (params: Record<string, unknown>) => ({ jsonrpc: '2.0', method: 'call', params, id: 1 });
    const authenticated = await call('POST', '/web/session/authenticate', { body: rpc({ db: env.db, login: env.login, password: env.password }) });
    expect(authenticated.body.result, authenticated.text).toMatchObject({ username: env.login });
    const cookie = authenticated.headers.getSetCookie().find((c) => c.startsWith('session_id='))!.split(';')[0]!;
    expect((await call('GET', '/api/res_partner?limit=1&fields=name', { headers: { cookie } })).status).toBe(200);
    expect((await call('POST', '/web/session/get_session_info', { headers: { cookie }, body: rpc({}) })).body.result).toMatchObject({ username: env.login });
    await call('POST', '/web/session/destroy', { headers: { cookie }, body: rpc({}) });
    expectError(await call('GET', '/api/res_partner?limit=1', { headers: { cookie } }), 401);
    const wrong = await call('POST', '/web/session/authenticate', { body: rpc({ db: env.db, login: env.login, password: `${env.password}-wrong` }) });
    expect(wrong.body.error.data.name).toBe('odoo.exceptions.AccessDenied');
  });
});
