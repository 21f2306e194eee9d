/**
 * docs/rest-contract.md as tests: one test per clause, its id and wording in the name, grouped by the
 * contract's sections, over real HTTP against servers on 127.0.0.1 port 0, each on a fresh copy of the
 * demo database. mrm_rest_api's four documented examples are here as written, SEED-1..4 (the doc's
 * "Documented examples").
 * Ground truth comes from the database itself (`server.truth`: the embedded store's SQLite, or a live
 * Odoo's PostgreSQL), so a failing test names the promise that broke, not a number that drifted. Every
 * truth call is awaited; its SQL is valid in both dialects (test/helpers/ground-truth.ts).
 *
 * The same file runs through a BACKEND=proxy instance (test/proxy/contract-through-proxy.test.ts) and, when
 * the environment names one, in front of a live Odoo (test/backends/odoo/live.test.ts). The records it
 * names come from `F` (test/rest/fixtures.ts: the demo data's fixed ids on the embedded store); the few
 * tests that need the embedded store itself are declared with `itNeeds` (test/rest/capabilities.ts).
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { Backend } from '../../src/backends/backend.js';
import { EmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { BackendError } from '../../src/backends/errors.js';
import { testConfig } from '../../src/config.js';
import { odooFieldsGet } from '../helpers/odoo-target.js';
import { freshDataDir, odooSecretOf, odooTarget, q, startServer, type TestResponse, type TestServer } from '../helpers/server.js';
import { has, itNeeds } from './capabilities.js';
import { resolveFixtures, schemaSql, type Fixtures } from './fixtures.js';
import { JSON_UTF8, credentials, expectError, jsonKind, login, odooRecording, rpc, sessionCookieOf } from './support.js';

let server: TestServer;
/** The records the tests name (see the module comment). */
let F: Fixtures;
/** User ids by login. */
let UID: Fixtures['uid'];

beforeAll(async () => {
  server = await startServer();
  F = await resolveFixtures(server.truth);
  UID = F.uid;
});

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
  await server?.close();
});

const get = (path: string, user: string | null = 'admin', headers?: Record<string, string>) =>
  server.request(user, 'GET', path, undefined, headers);
const list = (slug: string, params: Record<string, string | number> = {}, user: string | null = 'admin') =>
  get(`/api/${slug}?${q(params)}`, user);
/** The total of a list of sale orders matching `domain`, as admin (who sees every order of both companies). */
const totalOf = async (domain: string, slug = 'sale_order') => {
  const response = await list(slug, { domain, fields: 'id', limit: 0 });
  expect(response.status, `${domain}: ${response.text}`).toBe(200);
  return response.body.total as number;
};
/** Ground truth: the number of sale orders `WHERE <where>`, and of active partners. */
const orders = (where: string, ...params: unknown[]) => server.truth.count(`SELECT id FROM sale_order WHERE ${where}`, ...params);
const activePartners = (where: string, ...params: unknown[]) =>
  server.truth.count(`SELECT id FROM res_partner WHERE active AND (${where})`, ...params);

/** Numeric order for id lists (the default sort compares them as strings). */
const byId = (a: number, b: number) => a - b;

/** The embedded store's models (src/backends/embedded/models/), which a live Odoo with sale, crm, purchase and stock has too. */
const DEMO_MODELS = [
  'crm.lead',
  'crm.stage',
  'product.product',
  'purchase.order',
  'purchase.order.line',
  'res.company',
  'res.country',
  'res.groups',
  'res.partner',
  'res.partner.category',
  'res.users',
  'sale.order',
  'sale.order.line',
  'stock.picking',
];

async function firstId(text: string, ...params: unknown[]): Promise<number> {
  const row = (await server.truth.rows<{ id: number }>(text, ...params))[0];
  if (!row) throw new Error(`no demo record for ${text}`);
  return row.id;
}

/** Creates a record through the API as admin (201 expected) and returns its id. */
async function created(slug: string, values: Record<string, unknown>): Promise<number> {
  const response = await server.request('admin', 'POST', `/api/${slug}`, values);
  expect(response.status, `POST /api/${slug}: ${response.text}`).toBe(201);
  return response.body.id as number;
}

/**
 * The first row `text` finds, or, when the database has none (a live Odoo's demo data lacks some records
 * the embedded demo has, and earlier runs delete some), the one found after `make` created it through the API.
 */
async function firstOrMade<T extends Record<string, unknown>>(text: string, params: unknown[], make: () => Promise<unknown>): Promise<T> {
  const found = (await server.truth.rows<T>(text, ...params))[0];
  if (found) return found;
  await make();
  const made = (await server.truth.rows<T>(text, ...params))[0];
  if (!made) throw new Error(`no record for ${text}, even after creating one through the API`);
  return made;
}

/**
 * An order (`sale_order`, `purchase_order`) in `state`, other than those in `except`: the first in the
 * database, or one created through the API as a draft for Azure Interior and written to that state.
 */
async function orderIn(slug: 'sale_order' | 'purchase_order', state: string, except: readonly number[] = []): Promise<number> {
  const found = (await server.truth.rows<{ id: number }>(`SELECT id FROM ${slug} WHERE state = ? ORDER BY id`, state)).find(
    (r) => !except.includes(r.id),
  );
  if (found) return found.id;
  const id = await created(slug, { partner_id: F.azure });
  if (state !== 'draft') {
    const written = await server.request('admin', 'PUT', `/api/${slug}/${id}`, { state });
    expect(written.status, written.text).toBe(200);
  }
  return id;
}

/**
 * A record without the fields a real Odoo computes from the clock at every read, so that two reads a
 * second apart differ: mail's `duration_tracking` (seconds spent in the current stage, on leads) and a
 * quotation's `expected_date` (now + lead time). The embedded store has neither.
 */
function withoutClock(record: Record<string, unknown>): Record<string, unknown> {
  const { duration_tracking: _seconds, expected_date: _now, ...rest } = record;
  return rest;
}

/** Field metadata as `GET /api/<slug>/fields` answers it to `user` (the same route on every backend). */
async function fieldsMeta(slug: string, user = 'admin'): Promise<Record<string, { type: string; readonly?: boolean; required?: boolean }>> {
  // The route is this server's extension; another implementation of the contract is asked through its Odoo.
  if (!has('extensions')) return odooFieldsGet(odooTarget(), user, odooSecretOf(user), slug.replace(/_/g, '.'));
  const answer = await get(`/api/${slug}/fields`, user);
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}

/** A field's type, and a selection's keys: enough to check a read shape. */
interface FieldShape {
  readonly type: string;
  readonly selection?: ReadonlyArray<readonly [string, string]>;
}

/**
 * The fields of a model: the embedded store's registry, or in front of a live Odoo (hundreds of models
 * the embedded registry does not describe) the model's fields_get as admin reads it (`GET /api/<slug>/fields`).
 */
async function fieldsOf(slug: string): Promise<{ model: string; fields: ReadonlyMap<string, FieldShape> }> {
  if (has('embedded-store')) {
    const model = server.backend.registry.resolve(slug)!;
    return { model: model.name, fields: model.fields };
  }
  return { model: slug, fields: new Map(Object.entries((await fieldsMeta(slug)) as Record<string, FieldShape>)) };
}

/** Checks every value of a record against the contract's read shape for its field's type. */
function expectReadShape(
  { model, fields }: { model: string; fields: ReadonlyMap<string, FieldShape> },
  record: Record<string, unknown>,
): void {
  for (const [name, value] of Object.entries(record)) {
    const field = fields.get(name);
    expect(field, `${model}.${name} is a field`).toBeDefined();
    const what = `${model}.${name} (${field!.type}) = ${JSON.stringify(value)}`;
    switch (field!.type) {
      case 'integer':
        expect(Number.isInteger(value), what).toBe(true);
        break;
      case 'float':
      case 'monetary':
        expect(typeof value, what).toBe('number');
        break;
      case 'boolean':
        expect(typeof value, what).toBe('boolean');
        break;
      case 'char':
      case 'text':
      case 'html':
      case 'selection':
        expect(typeof value === 'string' || value === false, what).toBe(true);
        if (field!.type === 'selection' && value !== false)
          expect(
            field!.selection!.map(([key]) => key),
            what,
          ).toContain(value);
        break;
      case 'date':
        expect(value === false || /^\d{4}-\d{2}-\d{2}$/.test(String(value)), what).toBe(true);
        break;
      case 'datetime':
        expect(value === false || /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(String(value)), what).toBe(true);
        break;
      case 'many2one':
        if (value !== false) {
          expect(value, what).toEqual({ id: expect.any(Number), name: expect.any(String) });
        }
        break;
      case 'one2many':
      case 'many2many':
        expect(Array.isArray(value) && (value as unknown[]).every((v) => Number.isInteger(v)), what).toBe(true);
        break;
      case 'binary':
        expect(value === false || (typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value)), what).toBe(true);
        break;
    }
  }
}

/** A server whose backend is the embedded one with `searchRead` replaced, to see how the REST layer reports a failure. */
async function startServerWithFailingList(failure: Error) {
  const dataDir = freshDataDir();
  const real = new EmbeddedBackend({ dataDir, dbName: 'odoo', demo: true });
  const backend = new Proxy(real, {
    get(target, property) {
      // The list reads through searchPage where the backend has it (the embedded store), else searchRead.
      if (property === 'searchRead' || property === 'searchPage')
        return async () => {
          throw failure;
        };
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Backend;
  const app = await createApp(testConfig({ PORT: 0, LOG_LEVEL: 'silent', DATA_DIR: dataDir }), { backend });
  const url = await app.server.listen({ host: '127.0.0.1', port: 0 });
  const key = real.createApiKey('admin', 'test');
  return {
    get: async (path: string) => {
      const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: JSON.parse(text) } as TestResponse;
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------------------------------------------ Transport

describe('Transport', () => {
  it('C-TRANSPORT-01 JSON in and out, `Content-Type: application/json; charset=utf-8`', async () => {
    const answers = [
      await get('/api/health', null),
      await list('sale_order', { limit: 1 }),
      await server.request('admin', 'POST', '/api/crm_lead', { name: 'Transport check' }),
      await get('/api/sale_order/abc'),
      await get('/api/sale_order', null),
      await get('/api/no_such_model'),
      await server.request('admin', 'DELETE', '/api/health'),
      await get('/no/such/route'),
    ];
    for (const answer of answers) {
      expect(answer.headers.get('content-type'), answer.text).toBe(JSON_UTF8);
      expect(() => JSON.parse(answer.text), answer.text).not.toThrow();
    }
    const session = await rpc(server, '/web/session/authenticate', credentials('demo'));
    expect(session.headers.get('content-type')).toBe(JSON_UTF8);
  });

  it('C-TRANSPORT-02 Request bodies must be JSON objects (415 for another content type)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x']) {
      const response = await server.request('admin', 'POST', '/api/crm_lead', '{"name": "x"}', { 'content-type': type });
      expectError(response, 415, /content type.*application\/json/i);
    }
    const update = await server.request('admin', 'PUT', '/api/crm_lead/1', '{"name": "x"}', { 'content-type': 'text/plain' });
    expectError(update, 415);
    expect(
      (
        await server.request('admin', 'POST', '/api/crm_lead', '{"name": "charset given"}', {
          'content-type': 'application/json; charset=utf-8',
        })
      ).status,
    ).toBe(201);
  });

  it('C-TRANSPORT-08 A request that needs no body and sends none is served whatever its Content-Type says', async () => {
    const json = { 'content-type': 'application/json' };
    const lead = (await server.request('admin', 'POST', '/api/crm_lead', { name: 'C-TRANSPORT-08 lead' })).body.id as number;
    const read = await server.request('admin', 'GET', `/api/crm_lead/${lead}?fields=name`, undefined, json);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('C-TRANSPORT-08 lead');
    expect((await server.request('admin', 'GET', '/api/crm_lead?limit=1', undefined, json)).status).toBe(200);
    expect((await server.request('admin', 'DELETE', `/api/crm_lead/${lead}`, undefined, json)).body).toEqual({ ok: true });
    expectError(await server.request('admin', 'GET', `/api/crm_lead/${lead}`), 404);
    // The wording is this server's (test/rest/bad-input.test.ts, T11); the contract asks for a 400 about the body.
    expectError(await server.request('admin', 'POST', '/api/crm_lead', '', json), 400, /body/i);
  });

  it('C-TRANSPORT-03 Request bodies must be JSON objects (400 for malformed JSON or a non-object)', async () => {
    expectError(await server.request('admin', 'POST', '/api/crm_lead', '{"name": '), 400, /JSON/); // wording: bad-input T01-T03
    for (const body of ['[{"name": "x"}]', '"x"', '42', 'null', 'true']) {
      expectError(await server.request('admin', 'POST', '/api/crm_lead', body), 400, /JSON object/);
      expectError(await server.request('admin', 'PATCH', '/api/crm_lead/1', body), 400, /JSON object/);
    }
  });

  it('C-TRANSPORT-04 Request bodies must be JSON objects (413 above the body limit)', async () => {
    const small = await startServer({ BODY_LIMIT: 1024 });
    try {
      const before = await small.truth.count('SELECT id FROM crm_lead');
      expectError(await small.request('admin', 'POST', '/api/crm_lead', { name: 'x'.repeat(2000) }), 413, /too large/);
      expectError(await small.request('admin', 'PUT', '/api/crm_lead/1', { description: 'x'.repeat(2000) }), 413, /too large/);
      expect(await small.truth.count('SELECT id FROM crm_lead')).toBe(before);
      expect((await small.request('admin', 'POST', '/api/crm_lead', { name: 'x'.repeat(500) })).status).toBe(201);
    } finally {
      await small.close();
    }
  });

  it('C-TRANSPORT-05 Every `/api/*` route except `GET /api/health` requires a caller', async () => {
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/api/sale_order'],
      ...(has('extensions') ? [['HEAD', '/api/sale_order'] as [string, string]] : []),
      ['GET', '/api/sale_order/1'],
      ['POST', '/api/crm_lead', { name: 'anonymous' }],
      ['PUT', `/api/crm_lead/${F.lead}`, { name: 'anonymous' }],
      ['PATCH', `/api/crm_lead/${F.lead}`, { name: 'anonymous' }],
      ['DELETE', `/api/crm_lead/${F.lead}`],
      ['GET', '/api/no_such_model'],
    ];
    for (const [method, path, body] of calls) {
      const response = await server.request(null, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(401);
      if (method !== 'HEAD') expectError(response, 401);
    }
    expect((await server.truth.row('crm_lead', F.lead))?.name).not.toBe('anonymous');
    expect((await get('/api/health', null)).status).toBe(200);
  });

  it('C-TRANSPORT-06 Unknown route: 404 `{"error": ...}`', async () => {
    for (const path of ['/', '/api', '/api/sale_order/1/lines', '/web/session/nope', '/jsonrpc']) {
      expectError(await get(path), 404, /no route/);
    }
    expectError(await server.request('admin', 'POST', '/api/sale_order/1/confirm', {}), 404);
  });

  it('C-TRANSPORT-07 Known route, wrong method: 405 with an `Allow` header', async () => {
    const cases: Array<[string, string, string[]]> = [
      ['POST', '/api/health', ['GET']],
      ['DELETE', '/api/health', ['GET']],
      ['PUT', '/api/sale_order', ['GET', 'POST']],
      ['PATCH', '/api/sale_order', ['GET', 'POST']],
      ['DELETE', '/api/sale_order', ['GET', 'POST']],
      ['POST', '/api/sale_order/1', ['GET', 'PUT', 'PATCH', 'DELETE']],
      ['GET', '/web/session/authenticate', ['POST']],
      ['GET', '/web/session/get_session_info', ['POST']],
      ['DELETE', '/web/session/destroy', ['POST']],
      ['OPTIONS', '/api/sale_order', ['GET', 'POST']],
      ['OPTIONS', '/api/sale_order/1', ['GET', 'PUT', 'PATCH', 'DELETE']],
      ['OPTIONS', '/web/session/authenticate', ['POST']],
    ];
    for (const [method, path, allowed] of cases) {
      const response = await server.request('admin', method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      expectError(response, 405, new RegExp(method));
      const allow = (response.headers.get('allow') ?? '').split(',').map((m) => m.trim());
      for (const m of allowed) expect(allow, `${method} ${path}`).toContain(m);
      expect(allow).not.toContain(method);
    }
    const head = await server.request('admin', 'HEAD', '/web/session/get_session_info');
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('POST');
  });
});

// ------------------------------------------------------------------------------------------------ Auth

describe('Auth', () => {
  itNeeds(
    'embedded-store',
    'C-AUTH-01 `Authorization: Bearer <API key>`: an Odoo-style API key (scope `rpc`) belonging to one user',
    async () => {
      const created = await server.request('demo', 'POST', '/api/crm_lead', { name: 'Made with the demo key' });
      expect(created.status).toBe(201);
      expect(created.body.record.user_id).toEqual({ id: UID.demo, name: 'Marc Demo' });
      expect(await server.truth.row('crm_lead', created.body.id)).toMatchObject({ create_uid: UID.demo, write_uid: UID.demo });
      const keys = await server.truth.rows<{ user_id: number; scope: string }>(
        `SELECT user_id, scope FROM res_users_apikeys WHERE index_prefix = ?`,
        server.key('demo').slice(0, 8),
      );
      expect(keys).toEqual([{ user_id: UID.demo, scope: 'rpc' }]);
      // The scheme is case-insensitive, as in Odoo.
      expect((await get('/api/crm_lead?limit=1', null, { authorization: `bearer ${server.key('demo')}` })).status).toBe(200);
    },
  );

  itNeeds('embedded-store', 'C-AUTH-02 Keys are shown once when created and stored only as a hash', async () => {
    const key = server.backend.createApiKey('manager', 'shown once');
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    const dump = JSON.stringify(await server.truth.rows('SELECT * FROM res_users_apikeys'));
    expect(dump).not.toContain(key);
    expect(dump).toContain(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(server.backend.listApiKeys())).not.toContain(key);
    expect((await get('/api/crm_lead?limit=1', null, { authorization: `Bearer ${key}` })).status).toBe(200);
  });

  it('C-AUTH-03 Or the `session_id` cookie set by `POST /web/session/authenticate`: it works on every /api route', async () => {
    const cookie = await login(server, 'admin');
    const as = (method: string, path: string, body?: unknown) => server.request(null, method, path, body, { cookie });
    const listed = await as('GET', '/api/crm_lead?limit=2');
    expect(listed.status).toBe(200);
    expect(listed.body.count).toBe(2);
    if (has('extensions')) expect((await as('HEAD', '/api/crm_lead')).status).toBe(200);
    expect((await as('GET', `/api/crm_lead/${F.lead}`)).status).toBe(200);
    const created = await as('POST', '/api/crm_lead', { name: 'Made with a session' });
    expect(created.status).toBe(201);
    expect(created.body.record.user_id).toEqual({ id: UID.admin, name: 'Mitchell Admin' });
    expect((await as('PUT', `/api/crm_lead/${created.body.id}`, { probability: 10 })).body.record.probability).toBe(10);
    expect((await as('PATCH', `/api/crm_lead/${created.body.id}`, { probability: 20 })).body.record.probability).toBe(20);
    expect((await as('DELETE', `/api/crm_lead/${created.body.id}`)).body).toEqual({ ok: true });
    if (has('extensions')) expect((await as('GET', '/api/sale.order?limit=1')).status).toBe(200);
  });

  it('C-AUTH-04 Both present: the key wins', async () => {
    const demoCookie = await login(server, 'demo');
    const adminLead = await firstId(`SELECT id FROM crm_lead WHERE user_id = ? AND company_id = 1 AND active`, UID.admin);
    expect((await get(`/api/crm_lead/${adminLead}`, null, { cookie: demoCookie })).status).toBe(403);
    const both = await get(`/api/crm_lead/${adminLead}`, 'admin', { cookie: demoCookie });
    expect(both.status).toBe(200);
    const created = await server.request('admin', 'POST', '/api/crm_lead', { name: 'key wins' }, { cookie: demoCookie });
    expect(created.body.record.user_id.id).toBe(UID.admin);
    // A wrong key is not rescued by a good cookie.
    const wrongKey = await get('/api/crm_lead?limit=1', null, { authorization: `Bearer ${'0'.repeat(40)}`, cookie: demoCookie });
    expectError(wrongKey, 401);
  });

  it('C-AUTH-05 Neither: 401 `{"error": "..."}` with `WWW-Authenticate: Bearer`', async () => {
    const response = await get('/api/sale_order', null);
    expectError(response, 401, /Bearer|session/);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    // A cookie header without a session_id is no caller either.
    const otherCookie = await get('/api/sale_order', null, { cookie: 'cids=1; tz=UTC' });
    expectError(otherCookie, 401);
    expect(otherCookie.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  });

  it('C-AUTH-06 Wrong key, expired or destroyed session: 401', async () => {
    // Basic admin:admin is no credential of the embedded store; on Odoo it is the demo admin's password, so there a wrong one.
    const basic = has('embedded-store') ? 'Basic YWRtaW46YWRtaW4=' : `Basic ${Buffer.from('admin:not-the-secret').toString('base64')}`;
    for (const authorization of [`Bearer ${'f'.repeat(40)}`, 'Bearer not-a-key', basic, 'Bearer']) {
      const response = await get('/api/sale_order?limit=1', null, { authorization });
      expectError(response, 401);
      expect(response.headers.get('www-authenticate'), authorization).toMatch(/^Bearer\b/);
    }
    // Revoking a key and expiring a session are done in the embedded store itself (on Odoo, in Odoo).
    if (has('embedded-store')) {
      // A revoked key gets 401 at once, on this running server.
      const key = server.backend.createApiKey('demo', 'to revoke');
      const withKey = () => get('/api/crm_lead?limit=1', null, { authorization: `Bearer ${key}` });
      expect((await withKey()).status).toBe(200);
      expect(server.backend.revokeApiKey(key.slice(0, 8))).toBe(1);
      expectError(await withKey(), 401, /invalid or revoked/);
      // Expired session.
      const expired = await login(server, 'demo');
      expect((await get('/api/crm_lead?limit=1', null, { cookie: expired })).status).toBe(200);
      const sid = expired.split('=')[1]!;
      server.backend.db
        .prepare(`UPDATE web_session SET expires_at = 0 WHERE sid_hash = ?`)
        .run(createHash('sha256').update(sid).digest('hex'));
      expectError(await get('/api/crm_lead?limit=1', null, { cookie: expired }), 401, /session/);
    }
    // Destroyed session.
    const destroyed = await login(server, 'demo');
    await rpc(server, '/web/session/destroy', {}, { cookie: destroyed });
    const after = await get('/api/crm_lead?limit=1', null, { cookie: destroyed });
    expectError(after, 401, /session/);
    expect(after.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    // A made-up session id, and one that is not even valid percent-encoding.
    expectError(await get('/api/crm_lead?limit=1', null, { cookie: 'session_id=made-up' }), 401);
    expectError(await get('/api/crm_lead?limit=1', null, { cookie: 'session_id=%E0%A4%A' }), 401);
  });

  it('C-AUTH-07 Every read and write runs as that user: model access rights and record rules apply', async () => {
    const adminTotal = (await list('crm_lead', { limit: 0 })).body.total;
    const demoTotal = (await list('crm_lead', { limit: 0 }, 'demo')).body.total;
    expect(adminTotal).toBe(await server.truth.count(`SELECT id FROM crm_lead WHERE active`));
    expect(demoTotal).toBe(
      await server.truth.count(
        `SELECT id FROM crm_lead WHERE active AND (user_id = ? OR user_id IS NULL) AND (company_id IS NULL OR company_id IN (1, 2))`,
        UID.demo,
      ),
    );
    expect(demoTotal).toBeLessThan(adminTotal);
    // Access rights: portal users have none on leads; the demo salesman may not delete them.
    expectError(await list('crm_lead', {}, 'portal'), 403);
    const ownLead = await firstId(`SELECT id FROM crm_lead WHERE user_id = ? AND active`, UID.demo);
    expectError(await server.request('demo', 'DELETE', `/api/crm_lead/${ownLead}`), 403);
    expect(await server.truth.row('crm_lead', ownLead)).toBeDefined();
    // Record rules on writes: demo cannot write admin's lead.
    const adminLead = await firstId(`SELECT id FROM crm_lead WHERE user_id = ? AND company_id = 1 AND active`, UID.admin);
    const before = await server.truth.row('crm_lead', adminLead);
    expectError(await server.request('demo', 'PUT', `/api/crm_lead/${adminLead}`, { name: 'taken over' }), 403);
    expect(await server.truth.row('crm_lead', adminLead)).toEqual(before);
  });
});

// ------------------------------------------------------------------------------------------------ Session routes

describe('Session routes', () => {
  it('C-SESSION-01 `POST /web/session/authenticate` answers HTTP 200 `{"jsonrpc":"2.0","id":<same id>,"result":{<session info>}}`', async () => {
    for (const id of [1, 42, 'a-string-id', null]) {
      const response = await rpc(server, '/web/session/authenticate', credentials('admin'), { id });
      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual(['id', 'jsonrpc', 'result']);
      expect(response.body).toMatchObject({
        jsonrpc: '2.0',
        id,
        result: { uid: UID.admin, username: 'admin', db: credentials('admin').db },
      });
    }
    const demo = await rpc(server, '/web/session/authenticate', credentials('demo'), { id: 9 });
    expect(demo.body.result).toMatchObject({ uid: UID.demo, name: 'Marc Demo', username: 'demo', is_admin: false, is_system: false });
  });

  it('C-SESSION-02 ...and sets `session_id` (HttpOnly, SameSite=Lax, Path=/)', async () => {
    const response = await rpc(server, '/web/session/authenticate', credentials('demo'));
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('session_id='));
    expect(cookie).toBeDefined();
    const [pair, ...attributes] = cookie!.split(';').map((part) => part.trim());
    expect(pair).toMatch(/^session_id=[A-Za-z0-9_-]{20,}$/);
    const lower = attributes.map((a) => a.toLowerCase());
    expect(lower).toContain('httponly');
    expect(lower).toContain('samesite=lax');
    expect(lower).toContain('path=/');
    // Two logins, two sessions.
    const again = await rpc(server, '/web/session/authenticate', credentials('demo'));
    expect(sessionCookieOf(again.headers)).not.toBe(pair);
  });

  it('C-SESSION-03 Failure is also HTTP 200, with an `"error"` member in Odoo\'s shape (AccessDenied)', async () => {
    const recorded = odooRecording('web_session_authenticate_wrong_password').response;
    const attempts: Array<Record<string, unknown>> = [
      { ...credentials('admin'), password: 'wrong-password' },
      credentials('nobody'),
      { ...credentials('admin'), password: '' },
    ];
    for (const params of attempts) {
      const response = await rpc(server, '/web/session/authenticate', params, { id: 2 });
      expect(response.status).toBe(recorded.status);
      expect(response.headers.getSetCookie().filter((c) => c.startsWith('session_id=') && !/max-age=0/i.test(c))).toEqual([]);
      expect(Object.keys(response.body).sort()).toEqual(['error', 'id', 'jsonrpc']);
      expect(response.body).toMatchObject({ jsonrpc: '2.0', id: 2 });
      const { debug: _debug, ...recordedData } = recorded.json.error.data;
      expect(response.body.error).toMatchObject({ code: 200, message: 'Odoo Server Error', data: recordedData });
      expect(response.body.error.data).toMatchObject({ name: 'odoo.exceptions.AccessDenied', message: 'Access Denied' });
    }
    // Another database: Odoo 17 refuses it before looking at the login (web/controllers/session.py), with an
    // AccessError, also in the same envelope and without a session.
    const otherDb = await rpc(server, '/web/session/authenticate', { ...credentials('admin'), db: 'not-this-db' }, { id: 3 });
    expect(otherDb.status).toBe(200);
    expect(otherDb.headers.getSetCookie().filter((c) => c.startsWith('session_id=') && !/max-age=0/i.test(c))).toEqual([]);
    expect(otherDb.body).toMatchObject({ jsonrpc: '2.0', id: 3, error: { code: 200, message: 'Odoo Server Error' } });
    expect(otherDb.body.error.data).toMatchObject({
      name: 'odoo.exceptions.AccessError',
      message: 'Database not found.',
      arguments: ['Database not found.'],
      context: {},
    });
  });

  it('C-SESSION-04 `POST /web/session/get_session_info`: the session info', async () => {
    const authenticated = await rpc(server, '/web/session/authenticate', credentials('demo'));
    const cookie = sessionCookieOf(authenticated.headers);
    const info = await rpc(server, '/web/session/get_session_info', {}, { cookie, id: 3 });
    expect(info.status).toBe(200);
    expect(info.body).toEqual({ jsonrpc: '2.0', id: 3, result: authenticated.body.result });
  });

  it('C-SESSION-05 ...or Odoo\'s "Session expired" error (`code` 100, `data.name` `odoo.http.SessionExpiredException`)', async () => {
    const recorded = odooRecording('web_session_get_session_info_after_destroy').response;
    for (const cookie of [undefined, 'session_id=made-up', 'session_id=', 'session_id=%E0%A4%A']) {
      const response = await rpc(server, '/web/session/get_session_info', {}, { id: 7, ...(cookie ? { cookie } : {}) });
      expect(response.status).toBe(200);
      expect(response.body.id).toBeNull();
      const { debug: _debug, ...recordedData } = recorded.json.error.data;
      expect(response.body.error).toMatchObject({ code: 100, message: recorded.json.error.message, data: recordedData });
      expect(response.body.error.data.name).toBe('odoo.http.SessionExpiredException');
    }
  });

  it('C-SESSION-06 `POST /web/session/destroy`: `"result": null`; the session is gone for every later request', async () => {
    const cookie = await login(server, 'admin');
    const other = await login(server, 'admin');
    const destroyed = await rpc(server, '/web/session/destroy', {}, { cookie, id: 6 });
    expect(destroyed.status).toBe(200);
    expect(destroyed.body).toEqual({ jsonrpc: '2.0', id: 6, result: null });
    const info = await rpc(server, '/web/session/get_session_info', {}, { cookie, id: 7 });
    expect(info.body).toMatchObject({ id: null, error: { code: 100, data: { name: 'odoo.http.SessionExpiredException' } } });
    for (const [method, path] of [
      ['GET', '/api/sale_order'],
      ['GET', '/api/sale_order/1'],
      ['DELETE', '/api/crm_lead/1'],
    ] as const) {
      expectError(await server.request(null, method, path, undefined, { cookie }), 401);
    }
    // Only that session: another one of the same user lives on.
    expect((await get('/api/sale_order?limit=1', null, { cookie: other })).status).toBe(200);
    // Destroying without a session is harmless.
    expect((await rpc(server, '/web/session/destroy', {}, { id: 8 })).body).toEqual({ jsonrpc: '2.0', id: 8, result: null });
  });

  it('C-SESSION-07 Session info carries at least `uid`, `name`, `username`, `db`, `user_context` (`lang`, `tz`, `uid`), `is_admin`, `is_system`, `partner_id`, `company_id`, `server_version`, `server_version_info`', async () => {
    for (const [user, uid] of [
      ['admin', UID.admin],
      ['demo', UID.demo],
      ['portal', UID.portal],
    ] as const) {
      const { result } = (await rpc(server, '/web/session/authenticate', credentials(user))).body;
      // The user's name is its partner's (Odoo's res_users has no name column of its own).
      const stored = (
        await server.truth.rows<Record<string, unknown>>(
          `SELECT p.name, u.partner_id, u.company_id FROM res_users u JOIN res_partner p ON p.id = u.partner_id WHERE u.id = ?`,
          uid,
        )
      )[0]!;
      expect(result).toMatchObject({
        uid,
        name: stored.name,
        username: user,
        db: credentials(user).db,
        user_context: { lang: expect.any(String), tz: expect.anything(), uid },
        is_admin: user === 'admin',
        is_system: user === 'admin',
        partner_id: stored.partner_id,
        company_id: stored.company_id,
        server_version: F.serverVersion,
        server_version_info: F.serverVersionInfo,
      });
      // A time zone name, or `false` for a user who has none (Odoo's context_get: the portal demo user on Odoo).
      const { tz } = result.user_context;
      expect(tz === false || (typeof tz === 'string' && tz.length > 0), `${user}: tz ${JSON.stringify(tz)}`).toBe(true);
    }
  });

  it('C-SESSION-08 The exact shapes are in `odoo-recordings/` (answers of a real Odoo 17): match them', async () => {
    const recorded = odooRecording('web_session_authenticate_admin').response;
    const response = await rpc(server, '/web/session/authenticate', credentials('admin'), { id: 1 });
    expect(response.status).toBe(recorded.status);
    expect(response.headers.get('content-type')).toBe(recorded.headers['Content-Type']);
    expect(Object.keys(response.body).sort()).toEqual(Object.keys(recorded.json).sort());
    // Every key both answers carry has the recording's JSON kind; user_context has the recording's keys.
    const ours = response.body.result as Record<string, unknown>;
    const theirs = recorded.json.result as Record<string, unknown>;
    const shared = Object.keys(ours).filter((k) => k in theirs);
    expect(shared.length).toBeGreaterThanOrEqual(15);
    for (const key of shared) expect(jsonKind(ours[key]), key).toBe(jsonKind(theirs[key]));
    expect(Object.keys(ours.user_context as object).sort()).toEqual(Object.keys(theirs.user_context as object).sort());
    expect(Object.keys((ours.user_companies as any).allowed_companies['1']).sort()).toEqual(
      Object.keys((theirs.user_companies as any).allowed_companies['1']).sort(),
    );
    // The Set-Cookie attributes of Odoo's answer are all there (plus SameSite=Lax).
    const cookie = sessionCookieOf(response.headers);
    const attributes = response.headers
      .getSetCookie()
      .find((c) => c.startsWith(cookie))!
      .split(';')
      .slice(1)
      .map((a) => a.trim().split('=')[0]!.toLowerCase());
    for (const attribute of ['expires', 'max-age', 'httponly', 'path']) expect(attributes).toContain(attribute);
    // The error envelopes have exactly the recorded members.
    const wrong = await rpc(server, '/web/session/authenticate', { ...credentials('admin'), password: 'wrong-password' }, { id: 2 });
    const recordedWrong = odooRecording('web_session_authenticate_wrong_password').response.json;
    expect(Object.keys(wrong.body.error).sort()).toEqual(Object.keys(recordedWrong.error).sort());
    expect(Object.keys(wrong.body.error.data).sort()).toEqual(Object.keys(recordedWrong.error.data).sort());
    const expired = await rpc(server, '/web/session/get_session_info', {}, { id: 7 });
    const recordedExpired = odooRecording('web_session_get_session_info_after_destroy').response.json;
    expect(Object.keys(expired.body).sort()).toEqual(Object.keys(recordedExpired).sort());
    expect(Object.keys(expired.body.error.data).sort()).toEqual(Object.keys(recordedExpired.error.data).sort());
    // get_session_info answers the same info as authenticate, as Odoo does.
    const info = await rpc(server, '/web/session/get_session_info', {}, { cookie, id: 3 });
    expect(Object.keys(info.body.result).sort()).toEqual(Object.keys(ours).sort());
  });
});

// ------------------------------------------------------------------------------------------------ Slugs

describe('Slugs', () => {
  it('C-SLUG-01 A slug is a model name with `.` replaced by `_`: `sale_order` is `sale.order`, `crm_lead` is `crm.lead`', async () => {
    // Every model of the embedded store; in front of Odoo (hundreds of models), those of the embedded demo.
    const models = has('embedded-store') ? [...server.backend.registry.models].map((m) => m.name) : DEMO_MODELS;
    for (const model of models) {
      const slug = model.replace(/\./g, '_');
      const response = await list(slug, { limit: 1, fields: 'id' });
      expect(response.status, slug).toBe(200);
      // The same model as its dotted name (an extension here) names.
      if (has('extensions')) expect(response.body.total, slug).toBe((await list(model, { limit: 0 })).body.total);
    }
    const order = await get(`/api/sale_order/${F.saleOrder}?fields=name`);
    expect(order.body).toEqual({ id: F.saleOrder, name: (await server.truth.row('sale_order', F.saleOrder))!.name });
    expect((await list('crm_lead', { limit: 0 })).body.total).toBe(await server.truth.count('SELECT id FROM crm_lead WHERE active'));
  });

  it('C-SLUG-02 Resolve it against the registry of known models, never by blind replacement', async () => {
    // Models whose names hold several dots resolve to themselves, not to a guess.
    const line = await get('/api/sale_order_line?limit=1&fields=order_id');
    expect(line.status).toBe(200);
    expect(line.body.results[0].order_id).toEqual({ id: expect.any(Number), name: expect.stringMatching(/^S\d{5}$/) });
    expect((await list('res_partner_category', { limit: 0 })).body.total).toBe(
      await server.truth.count('SELECT id FROM res_partner_category WHERE active'),
    );
    // A name that blind replacement would turn into a model's name is not one.
    expectError(await get('/api/sale.order_line'), 404, /unknown model 'sale\.order_line'/);
    expectError(await get('/api/sale_order.line'), 404, /unknown model/);
    expectError(await get('/api/Sale_Order'), 404, /unknown model/);
    // `ir_actions_act_window` names `ir.actions.act_window` where the registry has it (a real Odoo; blind
    // replacement would look for `ir.actions.act.window`), and nothing where it does not (the embedded store).
    const actWindow = has('embedded-store')
      ? server.backend.registry.resolve('ir.actions.act_window') !== undefined
      : (await server.truth.count(`SELECT id FROM ir_model WHERE model = 'ir.actions.act_window'`)) > 0;
    if (actWindow) {
      const actions = await get('/api/ir_actions_act_window?limit=3&fields=type,res_model');
      expect(actions.status, actions.text).toBe(200);
      expect(actions.body.results.length).toBeGreaterThan(0);
      for (const action of actions.body.results) expect(action.type).toBe('ir.actions.act_window');
    } else {
      expectError(await get('/api/ir_actions_act_window'), 404, /unknown model 'ir_actions_act_window'/);
    }
  });

  itNeeds('extensions', 'C-SLUG-03 *Extension:* the dotted name is accepted too', async () => {
    const dotted = await get('/api/sale.order?limit=3&fields=name');
    const slugged = await get('/api/sale_order?limit=3&fields=name');
    expect(dotted.status).toBe(200);
    expect(dotted.body).toEqual(slugged.body);
    expect((await get(`/api/sale.order.line/${F.saleOrderLine}?fields=id`)).body).toEqual({ id: F.saleOrderLine });
    const created = await server.request('admin', 'POST', '/api/crm.lead', { name: 'dotted create' });
    expect(created.status).toBe(201);
    expect((await server.request('admin', 'PATCH', `/api/crm.lead/${created.body.id}`, { probability: 5 })).status).toBe(200);
    expect((await server.request('admin', 'DELETE', `/api/crm.lead/${created.body.id}`)).body).toEqual({ ok: true });
  });

  it('C-SLUG-04 Unknown: 404 `{"error": "unknown model \'<slug>\'"}`', async () => {
    // account.move and ir.config_parameter are Odoo models the embedded store does not have (a live Odoo serves them).
    for (const slug of ['no_such_model', 'sale_orders', ...(has('embedded-store') ? ['account_move', 'ir.config_parameter'] : [])]) {
      const response = await get(`/api/${slug}`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: `unknown model '${slug}'` });
      expect((await get(`/api/${slug}/1`)).body).toEqual({ error: `unknown model '${slug}'` });
      expect((await server.request('admin', 'POST', `/api/${slug}`, { name: 'x' })).body).toEqual({ error: `unknown model '${slug}'` });
      expect((await server.request('admin', 'DELETE', `/api/${slug}/1`)).body).toEqual({ error: `unknown model '${slug}'` });
    }
  });
});

// ------------------------------------------------------------------------------------------------ List

describe('List: GET /api/<slug>', () => {
  it('SEED-1 List confirmed sale orders (id, name, partner): `GET /api/sale_order?domain=[("state","=","sale")]&fields=id,name,partner_id`', async () => {
    const response = await get(`/api/sale_order?${q({ domain: '[("state","=","sale")]', fields: 'id,name,partner_id' })}`);
    expect(response.status).toBe(200);
    const total = await orders(`state = 'sale'`);
    expect(response.body).toMatchObject({ count: Math.min(total, 80), total, limit: 80, offset: 0 });
    expect(response.body.results).toHaveLength(response.body.count);
    for (const record of response.body.results) {
      expect(Object.keys(record)).toEqual(['id', 'name', 'partner_id']);
      const stored = (await server.truth.row('sale_order', record.id))!;
      expect(stored.state).toBe('sale');
      expect(record.name).toBe(stored.name);
      expect(record.partner_id).toEqual({ id: stored.partner_id, name: expect.any(String) });
    }
    const azure = response.body.results.find((r: any) => r.partner_id.id === F.azure);
    if (azure) expect(azure.partner_id).toEqual({ id: F.azure, name: 'Azure Interior' });
    // The same request, unencoded as a person pastes it into curl -G without --data-urlencode.
    const raw = await get('/api/sale_order?domain=[("state","=","sale")]&fields=id,name,partner_id');
    expect(raw.body).toEqual(response.body);
  });

  it('C-LIST-01 `domain`: a Python-literal list, URL-encoded: lists and tuples, quoted strings with escapes, integers, floats, True, False, None, nested lists; JSON arrays parse the same', async () => {
    const sale = await orders(`state = 'sale'`);
    for (const domain of [
      `[("state", "=", "sale")]`,
      `[('state', '=', 'sale')]`,
      `[['state', '=', "sale"]]`,
      `(("state", "=", "sale"),)`,
      `[["state","=","sale"]]`,
      `[ ( 'state' , '=' , 'sa' 'le' ) ]`,
      `[("state", "=", "s\\x61le")]`,
      `[("state", "=", "\\u0073ale")]`,
    ]) {
      expect(await totalOf(domain), domain).toBe(sale);
    }
    expect(await totalOf(`[("amount_total", ">", 1000.5)]`)).toBe(await orders('amount_total > 1000.5'));
    expect(await totalOf(`[("amount_total", ">", 1_000)]`)).toBe(await orders('amount_total > 1000'));
    expect(await totalOf(`[("client_order_ref", "=", None)]`)).toBe(await orders('client_order_ref IS NULL'));
    expect(await totalOf(`[["client_order_ref", "=", null]]`)).toBe(await orders('client_order_ref IS NULL'));
    expect(await totalOf(`[("is_company", "=", True)]`, 'res_partner')).toBe(await activePartners('is_company'));
    expect(await totalOf(`[["is_company", "=", false]]`, 'res_partner')).toBe(await activePartners('NOT is_company OR is_company IS NULL'));
    expect(await totalOf(`[("state", "in", ("sale", "cancel"))]`)).toBe(await orders(`state IN ('sale', 'cancel')`));
    expect(await totalOf(`[("state", "in", ["sale", "cancel"])]`)).toBe(await orders(`state IN ('sale', 'cancel')`));
    expect(await totalOf(`[]`)).toBe(await orders('TRUE'));
  });

  it('C-LIST-02 Anything else (names, calls, arithmetic, dicts, sets) is a 400 naming the position', async () => {
    // [domain, what the message names, the text at the position it names]
    const cases: Array<[string, string, string]> = [
      [`[("state", "=", sale)]`, `name 'sale'`, 'sale'],
      [`[("state", "=", str(1))]`, `name 'str'`, 'str'],
      [`__import__("os").system("id")`, `name '__import__'`, '__import__'],
      [`[("amount_total", ">", 1 + 1)]`, `'+'`, '+'],
      [`[("amount_total", ">", 2 * 3)]`, `'*'`, '*'],
      [`[{"state": "sale"}]`, `'{'`, '{'],
      [`[("state", "in", {"sale", "cancel"})]`, `'{'`, '{'],
      [`[("state".upper(), "=", "SALE")]`, `'.'`, '.'],
    ];
    for (const [domain, what, at] of cases) {
      const response = await list('sale_order', { domain });
      expectError(response, 400, /domain/);
      expect(response.body.error, domain).toContain(`${what} at position ${domain.indexOf(at)}`);
    }
  });

  it("C-LIST-03 Semantics are Odoo 17's: prefix `&` `|` `!`, implicit `&` between top-level terms, leaves `(path, operator, value)`, `(1,'=',1)` true and `(0,'=',1)` false", async () => {
    expect(await totalOf(`["|", ("state", "=", "draft"), ("state", "=", "cancel")]`)).toBe(await orders(`state IN ('draft', 'cancel')`));
    expect(await totalOf(`["!", ("state", "=", "sale")]`)).toBe(await orders(`state != 'sale'`));
    expect(await totalOf(`["&", ("state", "=", "sale"), ("partner_id", "=", ${F.azure})]`)).toBe(
      await orders(`state = 'sale' AND partner_id = ?`, F.azure),
    );
    expect(await totalOf(`[("state", "=", "sale"), ("partner_id", "=", ${F.azure})]`)).toBe(
      await orders(`state = 'sale' AND partner_id = ?`, F.azure),
    );
    expect(await totalOf(`["|", "!", ("state", "=", "sale"), ("amount_total", ">", 5000)]`)).toBe(
      await orders(`state != 'sale' OR amount_total > 5000`),
    );
    expect(await totalOf(`["|", ("state", "=", "draft"), ("state", "=", "sent"), ("amount_total", "<", 1000)]`)).toBe(
      await orders(`state IN ('draft', 'sent') AND amount_total < 1000`),
    );
    expect(await totalOf(`[(1, "=", 1)]`)).toBe(await orders('TRUE'));
    expect(await totalOf(`[(0, "=", 1)]`)).toBe(0);
    expect(await totalOf(`["|", (0, "=", 1), ("state", "=", "sale")]`)).toBe(await orders(`state = 'sale'`));
    expect(await totalOf(`["!", (0, "=", 1)]`)).toBe(await orders('TRUE'));
  });

  it('C-LIST-04 operators `= != <> > >= < <= =? like not like ilike not ilike =like =ilike in not in child_of parent_of any not any` (like/ilike wrap in %, =like/=ilike take a pattern, like is case-sensitive and ilike is not)', async () => {
    const table: Array<[string, string]> = [
      [`[("state", "=", "sale")]`, `state = 'sale'`],
      [`[("state", "!=", "sale")]`, `state != 'sale'`],
      [`[("state", "<>", "sale")]`, `state != 'sale'`],
      [`[("amount_total", ">", 5000)]`, `amount_total > 5000`],
      [`[("amount_total", ">=", 5000)]`, `amount_total >= 5000`],
      [`[("amount_total", "<", 5000)]`, `amount_total < 5000`],
      [`[("amount_total", "<=", 5000)]`, `amount_total <= 5000`],
      [`[("date_order", ">=", "2026-01-01")]`, `date_order >= '2026-01-01'`],
      [`[("client_order_ref", "=?", None)]`, `TRUE`],
      [`[("client_order_ref", "=?", False)]`, `TRUE`],
      [`[("state", "=?", "sale")]`, `state = 'sale'`],
      // Case-sensitive matching in both dialects: "contains" as replace(), patterns as substr() and length().
      [`[("name", "like", "S0001")]`, `replace(name, 'S0001', '') <> name`],
      [`[("name", "not like", "S0001")]`, `replace(name, 'S0001', '') = name`],
      [`[("name", "ilike", "s0001")]`, `replace(name, 'S0001', '') <> name`],
      [`[("name", "not ilike", "s0001")]`, `replace(name, 'S0001', '') = name`],
      [`[("name", "=like", "S0001_")]`, `substr(name, 1, 5) = 'S0001' AND length(name) = 6`],
      [`[("name", "=like", "%1")]`, `substr(name, length(name), 1) = '1'`],
      [`[("name", "=ilike", "s00010")]`, `name = 'S00010'`],
      [`[("state", "in", ["draft", "cancel"])]`, `state IN ('draft', 'cancel')`],
      [`[("state", "not in", ["draft", "cancel"])]`, `state NOT IN ('draft', 'cancel')`],
      [
        `[("partner_id", "child_of", ${F.azure})]`,
        `partner_id IN (SELECT id FROM res_partner WHERE id = ${F.azure} OR parent_id = ${F.azure})`,
      ],
      [`[("partner_id", "parent_of", ${F.azureContact})]`, `partner_id IN (${F.azureContact}, ${F.azure})`],
      [`[("order_line", "any", [("product_uom_qty", ">", 5)])]`, `id IN (SELECT order_id FROM sale_order_line WHERE product_uom_qty > 5)`],
      [
        `[("order_line", "not any", [("product_uom_qty", ">", 5)])]`,
        `id NOT IN (SELECT order_id FROM sale_order_line WHERE product_uom_qty > 5)`,
      ],
    ];
    for (const [domain, where] of table) expect(await totalOf(domain), domain).toBe(await orders(where));
    // like is case-sensitive, ilike is not (as on PostgreSQL).
    expect(await totalOf(`[("name", "like", "azure")]`, 'res_partner')).toBe(0);
    expect(await totalOf(`[("name", "like", "Azure")]`, 'res_partner')).toBe(await activePartners(`replace(name, 'Azure', '') <> name`));
    expect(await totalOf(`[("name", "ilike", "aZuRe")]`, 'res_partner')).toBe(await activePartners(`lower(name) LIKE '%azure%'`));
    expect(await totalOf(`[("name", "=ilike", "azure interior")]`, 'res_partner')).toBe(1);
    expect(await totalOf(`[("name", "=like", "azure interior")]`, 'res_partner')).toBe(0);
    // like treats % and _ of the value as wildcards only with =like; a literal % is escaped with a backslash.
    expect(await totalOf(`[("name", "=like", "S0001\\\\_")]`)).toBe(0);
  });

  it('C-LIST-05 `= False` and `in [False, ..]` match unset values, and the negative operators (`!=`, `not like`, `not ilike`, `not in`) match unset values too', async () => {
    const unset = await orders('client_order_ref IS NULL');
    expect(unset).toBeGreaterThan(0);
    expect(await totalOf(`[("client_order_ref", "=", False)]`)).toBe(unset);
    expect(await totalOf(`[("client_order_ref", "!=", False)]`)).toBe(await orders('client_order_ref IS NOT NULL'));
    expect(await totalOf(`[("validity_date", "=", False)]`)).toBe(await orders('validity_date IS NULL'));
    expect(await totalOf(`[("user_id", "=", False)]`)).toBe(await orders('user_id IS NULL'));
    const aRef = (
      await firstOrMade<{ ref: string }>(
        `SELECT client_order_ref AS ref FROM sale_order WHERE client_order_ref IS NOT NULL ORDER BY id LIMIT 1`,
        [],
        () => created('sale_order', { partner_id: F.azure, client_order_ref: 'REF-C-LIST-05' }),
      )
    ).ref;
    expect(await totalOf(`[("client_order_ref", "in", [False, "${aRef}"])]`)).toBe(
      await orders('client_order_ref IS NULL OR client_order_ref = ?', aRef),
    );
    expect(await totalOf(`[("user_id", "in", [False, ${UID.admin}])]`)).toBe(await orders('user_id IS NULL OR user_id = ?', UID.admin));
    expect(await totalOf(`[("client_order_ref", "!=", "${aRef}")]`)).toBe(
      await orders('client_order_ref IS NULL OR client_order_ref != ?', aRef),
    );
    expect(await totalOf(`[("user_id", "!=", ${UID.admin})]`)).toBe(await orders('user_id IS NULL OR user_id != ?', UID.admin));
    expect(await totalOf(`[("client_order_ref", "not like", "${aRef}")]`)).toBe(
      await orders('client_order_ref IS NULL OR client_order_ref != ?', aRef),
    );
    expect(await totalOf(`[("client_order_ref", "not ilike", "${aRef.toLowerCase()}")]`)).toBe(
      await orders('client_order_ref IS NULL OR client_order_ref != ?', aRef),
    );
    expect(await totalOf(`[("user_id", "not in", [${UID.admin}, ${UID.demo}])]`)).toBe(
      await orders('user_id IS NULL OR user_id NOT IN (?, ?)', UID.admin, UID.demo),
    );
    expect(await totalOf(`[("user_id", "not in", [False, ${UID.admin}])]`)).toBe(
      await orders('user_id IS NOT NULL AND user_id != ?', UID.admin),
    );
  });

  it('C-LIST-06 A string compared with a relational field matches its display name', async () => {
    expect(await totalOf(`[("partner_id", "=", "Azure Interior")]`)).toBe(await orders('partner_id = ?', F.azure));
    expect(await totalOf(`[("partner_id", "ilike", "azure interior")]`)).toBe(
      await orders(`partner_id IN (SELECT id FROM res_partner WHERE lower(complete_name) LIKE '%azure interior%')`),
    );
    const contact = await firstOrMade<{ id: number; complete_name: string }>(
      `SELECT p.id, p.complete_name FROM res_partner p JOIN sale_order o ON o.partner_id = p.id WHERE p.parent_id IS NOT NULL AND NOT p.is_company ORDER BY o.id LIMIT 1`,
      [],
      () => created('sale_order', { partner_id: F.azureContact }),
    );
    expect(contact.complete_name).toContain(', ');
    expect(await totalOf(`[("partner_id", "=", "${contact.complete_name}")]`)).toBe(await orders('partner_id = ?', contact.id));
    expect(await totalOf(`[("user_id", "=", "Marc Demo")]`)).toBe(await orders('user_id = ?', UID.demo));
    expect(await totalOf(`[("user_id", "in", ["Marc Demo", "Mitchell Admin"])]`)).toBe(
      await orders('user_id IN (?, ?)', UID.demo, UID.admin),
    );
  });

  it('C-LIST-07 Dotted paths follow many2one and x2many fields', async () => {
    expect(await totalOf(`[("partner_id.name", "=", "Azure Interior")]`)).toBe(await orders('partner_id = ?', F.azure));
    expect(await totalOf(`[("partner_id.country_id.code", "=", "US")]`)).toBe(
      await orders(`partner_id IN (SELECT p.id FROM res_partner p JOIN res_country c ON c.id = p.country_id WHERE c.code = 'US')`),
    );
    expect(await totalOf(`[("partner_id.parent_id", "=", ${F.azure})]`)).toBe(
      await orders('partner_id IN (SELECT id FROM res_partner WHERE parent_id = ?)', F.azure),
    );
    expect(await totalOf(`[("order_line.product_id", "=", ${F.products[0]})]`)).toBe(
      await orders('id IN (SELECT order_id FROM sale_order_line WHERE product_id = ?)', F.products[0]),
    );
    expect(await totalOf(`[("order_line.product_id.name", "ilike", "desk")]`)).toBe(
      await orders(
        schemaSql({
          embedded: `id IN (SELECT l.order_id FROM sale_order_line l JOIN product_product p ON p.id = l.product_id WHERE lower(p.name) LIKE '%desk%')`,
          odoo: `id IN (SELECT l.order_id FROM sale_order_line l JOIN product_product p ON p.id = l.product_id JOIN product_template t ON t.id = p.product_tmpl_id WHERE lower(t.name->>'en_US') LIKE '%desk%')`,
        }),
      ),
    );
    expect(await totalOf(`[("category_id.name", "=", "Vendor")]`, 'res_partner')).toBe(
      await activePartners(
        schemaSql({
          embedded: `id IN (SELECT r.partner_id FROM res_partner_res_partner_category_rel r JOIN res_partner_category c ON c.id = r.category_id WHERE c.name = 'Vendor')`,
          odoo: `id IN (SELECT r.partner_id FROM res_partner_res_partner_category_rel r JOIN res_partner_category c ON c.id = r.category_id WHERE c.name->>'en_US' = 'Vendor')`,
        }),
      ),
    );
  });

  it('C-LIST-08 `child_of`/`parent_of` follow `parent_id`', async () => {
    const family = (
      await server.truth.rows<{ id: number }>(
        `SELECT id FROM res_partner WHERE active AND (id = ? OR parent_id = ?) ORDER BY id`,
        F.azure,
        F.azure,
      )
    ).map((r) => r.id);
    expect(family.length).toBeGreaterThan(1);
    const children = await list('res_partner', { domain: `[("id", "child_of", ${F.azure})]`, fields: 'id', order: 'id' });
    expect(children.body.results.map((r: any) => r.id)).toEqual(family);
    const byName = await list('res_partner', { domain: `[("id", "child_of", "Azure Interior")]`, fields: 'id', order: 'id' });
    expect(byName.body.results.map((r: any) => r.id)).toEqual(family);
    const contact = family.find((id) => id !== F.azure)!;
    const parents = await list('res_partner', { domain: `[("id", "parent_of", ${contact})]`, fields: 'id', order: 'id' });
    expect(parents.body.results.map((r: any) => r.id)).toEqual([F.azure, contact].sort((a, b) => a - b));
    // A many2one to the model itself: Odoo 17 follows it as `id child_of` through that field (expression.py,
    // `parent=left`), so `parent_id child_of X` is X and its descendants; every backend answers so.
    expect(await totalOf(`[("parent_id", "child_of", [${F.azure}])]`, 'res_partner')).toBe(family.length);
  });

  it('C-LIST-09 Unknown field, wrong arity or unknown operator: 400 naming it', async () => {
    expectError(await list('sale_order', { domain: `[("no_such_field", "=", 1)]` }), 400, /no_such_field/);
    expectError(await list('sale_order', { domain: `[("partner_id.no_such_field", "=", 1)]` }), 400, /no_such_field/);
    // Naming the term (this server's wording, "a leaf must have 3 items ... got 2": bad-input D31-D33).
    expectError(await list('sale_order', { domain: `[("state", "=")]` }), 400, /'state', '='/);
    expectError(await list('sale_order', { domain: `[("state", "=", "sale", "extra")]` }), 400, /'extra'/);
    expectError(await list('sale_order', { domain: `["&", ("state", "=", "sale")]` }), 400, /'&'/);
    expectError(await list('sale_order', { domain: `[("state", "between", "sale")]` }), 400, /'between'/);
    expectError(await list('sale_order', { domain: `[("state", "==", "sale")]` }), 400, /'=='/);
  });

  it('C-LIST-10 `fields`: comma-separated names, spaces ignored', async () => {
    const response = await list('sale_order', { fields: ' name , partner_id,state ,, ', limit: 2 });
    expect(response.status).toBe(200);
    for (const record of response.body.results) expect(Object.keys(record)).toEqual(['id', 'name', 'partner_id', 'state']);
  });

  it('C-LIST-11 Omitted: every field the caller may read, except binary fields', async () => {
    // The fields admin may read: the embedded store's model registry, or on a real Odoo what its
    // fields_get shows admin (`GET /api/<slug>/fields`).
    const readable = async (model: string) => {
      if (has('embedded-store')) {
        return [...server.backend.registry.model(model).fields.values()]
          .filter((f) => !f.internal && f.type !== 'binary')
          .map((f) => f.name)
          .sort();
      }
      const meta = await fieldsMeta(model.replace(/\./g, '_'));
      return Object.keys(meta)
        .filter((name) => meta[name]!.type !== 'binary')
        .sort();
    };
    for (const model of ['sale.order', 'crm.lead', 'res.partner', 'res.users']) {
      const response = await list(model.replace(/\./g, '_'), { limit: 1 });
      expect(Object.keys(response.body.results[0]).sort(), model).toEqual(await readable(model));
    }
    // res.partner has a binary field (image_1920): never in an unasked read, list or retrieve.
    expect((await fieldsMeta('res_partner')).image_1920?.type).toBe('binary');
    expect((await get(`/api/res_partner/${F.azure}`)).body).not.toHaveProperty('image_1920');
    expect((await list('res_partner', { limit: 5 })).body.results.filter((r: object) => 'image_1920' in r)).toEqual([]);
    // A user's password is never read: the embedded store has no such field; Odoo's reads empty.
    const user = (await get('/api/res_users?limit=1')).body.results[0];
    if ('password' in user) expect([false, '']).toContain(user.password);
    // Fields the caller may not read are left out for a portal user: those its fields_get does not show
    // (employee-only: `ref` and `comment` on the embedded store, `credit`, `activity_ids`... on Odoo).
    const portalFields = await fieldsMeta('res_partner', 'portal');
    const employeeOnly = Object.keys(await fieldsMeta('res_partner')).filter((name) => !(name in portalFields));
    expect(employeeOnly).not.toEqual([]);
    const portal = await list('res_partner', { limit: 1 }, 'portal');
    expect(portal.status).toBe(200);
    expect(Object.keys(portal.body.results[0]).filter((name) => employeeOnly.includes(name))).toEqual([]);
    expect(Object.keys(portal.body.results[0])).toContain('name');
  });

  it('C-LIST-12 `id` is always included', async () => {
    for (const fields of ['name', 'state,name', 'id', 'name,id']) {
      const response = await list('sale_order', { fields, limit: 3 });
      for (const record of response.body.results) expect(Number.isInteger(record.id), fields).toBe(true);
    }
    const retrieved = await get(`/api/sale_order/${F.saleOrder}?fields=state`);
    expect(retrieved.body).toEqual({ id: F.saleOrder, state: (await server.truth.row('sale_order', F.saleOrder))!.state });
  });

  it('C-LIST-13 `fields`: unknown field: 400 naming it', async () => {
    expectError(await list('sale_order', { fields: 'name,no_such_field' }), 400, /no_such_field/);
    expectError(await get(`/api/sale_order/${F.saleOrder}?fields=no_such_field`), 400, /no_such_field/);
    // `password` is no field of the embedded store's users (400 naming it); a real Odoo has one, which
    // reads empty for everybody (never the hash).
    if ('password' in (await fieldsMeta('res_users'))) {
      const passwords = await list('res_users', { fields: 'password' });
      expect(passwords.status, passwords.text).toBe(200);
      for (const user of passwords.body.results) expect([false, '']).toContain(user.password);
    } else {
      expectError(await list('res_users', { fields: 'password' }), 400, /password/);
    }
  });

  it('C-LIST-14 `limit`: default 80', async () => {
    const response = await list('sale_order', { fields: 'id' });
    const total = await orders('TRUE');
    expect(response.body.limit).toBe(80);
    expect(response.body.count).toBe(Math.min(80, total));
    expect(response.body.results).toHaveLength(Math.min(80, total));
    expect(response.body.total).toBe(total);
  });

  it('C-LIST-15 `limit`: integer >= 0 (0 returns no rows, only `total`)', async () => {
    const response = await list('sale_order', { domain: `[("state", "=", "sale")]`, limit: 0 });
    expect(response.body).toEqual({ count: 0, total: await orders(`state = 'sale'`), limit: 0, offset: 0, results: [] });
    expect((await list('sale_order', { limit: 7, fields: 'id' })).body.count).toBe(7);
  });

  it("C-LIST-16 above the server's maximum (default 1000) `limit` is clamped, and the response's `limit` shows the value used", async () => {
    const defaultMax = await list('sale_order', { limit: 5000, fields: 'id' });
    expect(defaultMax.body.limit).toBe(1000);
    expect(defaultMax.body.count).toBe(Math.min(1000, await orders('TRUE')));
    const small = await startServer({ MAX_LIMIT: 5 });
    try {
      const clamped = await small.request('admin', 'GET', `/api/sale_order?${q({ limit: 50, fields: 'id' })}`);
      expect(clamped.status).toBe(200);
      expect(clamped.body).toMatchObject({ count: 5, limit: 5, offset: 0, total: await small.truth.count('SELECT id FROM sale_order') });
      expect(clamped.body.results).toHaveLength(5);
      const defaulted = await small.request('admin', 'GET', '/api/sale_order?fields=id');
      expect(defaulted.body).toMatchObject({ count: 5, limit: 5 });
      const below = await small.request('admin', 'GET', '/api/sale_order?fields=id&limit=3');
      expect(below.body).toMatchObject({ count: 3, limit: 3 });
    } finally {
      await small.close();
    }
  });

  it('C-LIST-17 `offset`: integer >= 0, default 0', async () => {
    const all = (await list('sale_order', { fields: 'id', limit: 30 })).body;
    expect(all.offset).toBe(0);
    const page = (await list('sale_order', { fields: 'id', limit: 10, offset: 10 })).body;
    expect(page).toMatchObject({ count: 10, limit: 10, offset: 10, total: all.total });
    expect(page.results).toEqual(all.results.slice(10, 20));
    const beyond = (await list('sale_order', { fields: 'id', offset: 100000 })).body;
    expect(beyond).toMatchObject({ count: 0, total: all.total, offset: 100000, results: [] });
  });

  it('C-LIST-18 `limit`/`offset`: anything else: 400', async () => {
    for (const [name, value] of [
      ['limit', '-1'],
      ['limit', 'ten'],
      ['limit', '1.5'],
      ['limit', '1e2'],
      ['limit', '0x10'],
      ['limit', '99999999999999999999'],
      ['offset', '-3'],
      ['offset', 'x'],
      ['offset', '2.0'],
    ]) {
      expectError(await get(`/api/sale_order?${name}=${value}`), 400, new RegExp(`\\b${name}\\b`)); // wording: bad-input L01-
    }
    expectError(await get('/api/sale_order?limit=1&limit=2'), 400, /\blimit\b/);
  });

  it('C-LIST-19 `order`: comma-separated `field [asc|desc]`, optionally `nulls first|last`; stored fields only', async () => {
    const byName = await list('sale_order', { order: 'name asc', fields: 'name', limit: 5 });
    expect(byName.body.results.map((r: any) => r.name)).toEqual(
      (await server.truth.rows<{ name: string }>('SELECT name FROM sale_order ORDER BY name LIMIT 5')).map((r) => r.name),
    );
    const twoKeys = await list('sale_order', { order: 'state desc, amount_total asc', fields: 'id', limit: 20 });
    expect(twoKeys.body.results.map((r: any) => r.id)).toEqual(
      (await server.truth.rows<{ id: number }>('SELECT id FROM sale_order ORDER BY state DESC, amount_total ASC, id ASC LIMIT 20')).map(
        (r) => r.id,
      ),
    );
    await firstOrMade(`SELECT id FROM sale_order WHERE validity_date IS NULL`, [], () =>
      created('sale_order', { partner_id: F.azure, validity_date: false }),
    );
    const nullsFirst = await list('sale_order', { order: 'validity_date asc nulls first', fields: 'validity_date', limit: 3 });
    expect(nullsFirst.body.results[0].validity_date).toBe(false);
    expect(nullsFirst.body.results.map((r: any) => r.validity_date)).toEqual(
      (
        await server.truth.rows<{ d: string | null }>(
          'SELECT validity_date AS d FROM sale_order ORDER BY validity_date ASC NULLS FIRST LIMIT 3',
        )
      ).map((r) => r.d ?? false),
    );
    const nullsLast = await list('sale_order', { order: 'validity_date desc nulls last', fields: 'validity_date', limit: 3 });
    expect(nullsLast.body.results.every((r: any) => r.validity_date !== false)).toBe(true);
    const upper = await list('sale_order', { order: 'NAME DESC', fields: 'name', limit: 1 });
    expect(upper.status).toBe(400); // field names are case-sensitive, as in Odoo
    const mixed = await list('sale_order', { order: 'name DESC NULLS LAST', fields: 'name', limit: 1 });
    expect(mixed.body.results[0].name).toBe(
      (await server.truth.rows<{ name: string }>('SELECT max(name) AS name FROM sale_order'))[0]!.name,
    );
    expectError(await list('sale_order', { order: 'order_line' }), 400, /order_line.*not stored/);
    expectError(await list('sale_order', { order: 'display_name' }), 400, /display_name/);
  });

  it("C-LIST-20 `order` default: the model's own order (`sale.order`: `date_order desc, id desc`)", async () => {
    const response = await list('sale_order', { fields: 'id,date_order', limit: 80 });
    const expected = (await server.truth.rows<{ id: number }>('SELECT id FROM sale_order ORDER BY date_order DESC, id DESC LIMIT 80')).map(
      (r) => r.id,
    );
    expect(response.body.results.map((r: any) => r.id)).toEqual(expected);
    const explicit = await list('sale_order', { fields: 'id,date_order', limit: 80, order: 'date_order desc, id desc' });
    expect(explicit.body.results).toEqual(response.body.results);
    const leads = await list('crm_lead', { fields: 'id', limit: 20 });
    expect(leads.body.results.map((r: any) => r.id)).toEqual(
      (await server.truth.rows<{ id: number }>('SELECT id FROM crm_lead WHERE active ORDER BY priority DESC, id DESC LIMIT 20')).map(
        (r) => r.id,
      ),
    );
  });

  it('C-LIST-21 `order`: anything else: 400', async () => {
    for (const order of [
      'id; DROP TABLE sale_order',
      '(SELECT 1)',
      'no_such_field',
      'name sideways',
      'name asc nulls sometimes',
      'name,',
      'partner_id.name',
    ]) {
      expectError(await list('sale_order', { order }), 400, /order/);
    }
    expect(await server.truth.count('SELECT id FROM sale_order')).toBeGreaterThan(0);
  });

  it('C-LIST-22 Response 200: `{"count": <rows in this page>, "total": <rows matching the domain>, "limit", "offset", "results": [...]}`', async () => {
    for (const state of ['cancel', 'sale']) {
      const response = await list('sale_order', { domain: `[("state", "=", "${state}")]`, fields: 'name', limit: 10, offset: 5 });
      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual(['count', 'limit', 'offset', 'results', 'total']);
      const total = await orders(`state = ?`, state);
      expect(response.body).toMatchObject({ count: Math.max(0, Math.min(10, total - 5)), total, limit: 10, offset: 5 });
      expect(response.body.results).toHaveLength(response.body.count);
    }
  });
});

// ------------------------------------------------------------------------------------------------ Records

describe('Records as returned everywhere', () => {
  it('C-RECORD-01 `id`: integer; char, text, html, selection: string or `false`; date `"YYYY-MM-DD"`, datetime `"YYYY-MM-DD HH:MM:SS"` (UTC) or `false`; integer, float, monetary: number; boolean: boolean', async () => {
    for (const slug of [
      'sale_order',
      'sale_order_line',
      'crm_lead',
      'res_partner',
      'stock_picking',
      'purchase_order',
      'product_product',
      'res_users',
    ]) {
      const model = await fieldsOf(slug);
      const response = await list(slug, { limit: 40 });
      expect(response.status, slug).toBe(200);
      for (const record of response.body.results) expectReadShape(model, record);
    }
    const order = (await get(`/api/sale_order/${F.saleOrder}`)).body;
    const stored = (await server.truth.row('sale_order', F.saleOrder))!;
    expect(order.date_order).toBe(stored.date_order);
    expect(order.amount_total).toBe(stored.amount_total);
    expect(order.note).toBe(stored.note ?? false);
    // ISO 8601 with `T` and `Z` in a written datetime is this server's extension; the contract's form is `YYYY-MM-DD HH:MM:SS`.
    const closed = has('extensions') ? '2026-03-02T08:09:10Z' : '2026-03-02 08:09:10';
    const lead = (
      await server.request('admin', 'POST', '/api/crm_lead', { name: 'Shapes', date_deadline: '2026-03-01', date_closed: closed })
    ).body.record;
    expect(lead).toMatchObject({
      date_deadline: '2026-03-01',
      date_closed: '2026-03-02 08:09:10',
      phone: false,
      active: true,
      expected_revenue: 0,
    });
  });

  it('C-RECORD-02 many2one: `{"id": 12, "name": "Azure Interior"}` (name = display name), or `false`', async () => {
    const order = await firstId(`SELECT id FROM sale_order WHERE partner_id = ?`, F.azure);
    expect((await get(`/api/sale_order/${order}?fields=partner_id`)).body.partner_id).toEqual({ id: F.azure, name: 'Azure Interior' });
    const contact = await firstOrMade<{ id: number; partner_id: number; complete_name: string }>(
      `SELECT o.id, o.partner_id, p.complete_name FROM sale_order o JOIN res_partner p ON p.id = o.partner_id WHERE p.parent_id IS NOT NULL AND NOT p.is_company ORDER BY o.id LIMIT 1`,
      [],
      () => created('sale_order', { partner_id: F.azureContact }),
    );
    expect((await get(`/api/sale_order/${contact.id}?fields=partner_id`)).body.partner_id).toEqual({
      id: contact.partner_id,
      name: contact.complete_name,
    });
    const unassigned = (
      await firstOrMade<{ id: number }>(`SELECT id FROM sale_order WHERE user_id IS NULL ORDER BY id`, [], () =>
        created('sale_order', { partner_id: F.azure, user_id: false }),
      )
    ).id;
    expect((await get(`/api/sale_order/${unassigned}?fields=user_id`)).body.user_id).toBe(false);
  });

  it('C-RECORD-03 one2many and many2many: array of ids', async () => {
    const lines = (
      await server.truth.rows<{ id: number }>('SELECT id FROM sale_order_line WHERE order_id = ? ORDER BY id', F.saleOrder)
    ).map((r) => r.id);
    const order = (await get(`/api/sale_order/${F.saleOrder}?fields=order_line`)).body;
    expect([...order.order_line].sort((a: number, b: number) => a - b)).toEqual(lines);
    const tagged = (
      await server.truth.rows<{ partner_id: number }>('SELECT partner_id FROM res_partner_res_partner_category_rel LIMIT 1')
    )[0]!.partner_id;
    const tags = (
      await server.truth.rows<{ category_id: number }>(
        'SELECT category_id FROM res_partner_res_partner_category_rel WHERE partner_id = ? ORDER BY category_id',
        tagged,
      )
    ).map((r) => r.category_id);
    const partner = (await get(`/api/res_partner/${tagged}?fields=category_id,child_ids`)).body;
    expect([...partner.category_id].sort((a: number, b: number) => a - b)).toEqual(tags);
    expect(Array.isArray(partner.child_ids)).toBe(true);
    expect((await get(`/api/res_partner/${F.azure}?fields=child_ids`)).body.child_ids.sort()).toEqual(
      (await server.truth.rows<{ id: number }>('SELECT id FROM res_partner WHERE parent_id = ? AND active', F.azure))
        .map((r) => r.id)
        .sort(),
    );
  });

  it('C-RECORD-04 binary: only when asked for by name; base64 string or `false`', async () => {
    // A partner of its own, without an image (Odoo's demo partners have one), and a real image: Odoo takes
    // nothing else, and keeps a 1x1 PNG byte for byte.
    const partner = await created('res_partner', { name: 'Binary Shapes' });
    const path = `/api/res_partner/${partner}`;
    expect((await get(`${path}?fields=image_1920`)).body).toEqual({ id: partner, image_1920: false });
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const written = await server.request('admin', 'PUT', path, { image_1920: png });
    expect(written.status, written.text).toBe(200);
    expect(written.body.record).not.toHaveProperty('image_1920');
    expect((await get(`${path}?fields=name,image_1920`)).body).toEqual({ id: partner, name: 'Binary Shapes', image_1920: png });
    expect((await get(path)).body).not.toHaveProperty('image_1920');
    const listed = await list('res_partner', { domain: `[("id", "=", ${partner})]`, fields: 'image_1920' });
    expect(listed.body.results).toEqual([{ id: partner, image_1920: png }]);
    expectError(await server.request('admin', 'PUT', path, { image_1920: 'not base64!' }), 400, /image_1920/);
  });
});

// ------------------------------------------------------------------------------------------------ Retrieve

describe('Retrieve: GET /api/<slug>/<id>', () => {
  it('C-RETRIEVE-01 Optional `fields` as in List. 200 with the record', async () => {
    const full = await get(`/api/sale_order/${F.saleOrder}`);
    expect(full.status).toBe(200);
    expect(full.body.id).toBe(F.saleOrder);
    const fromList = (await list('sale_order', { domain: `[("id", "=", ${F.saleOrder})]` })).body.results[0];
    expect(withoutClock(full.body)).toEqual(withoutClock(fromList));
    const some = await get(`/api/sale_order/${F.saleOrder}?fields=name,%20partner_id`);
    expect(Object.keys(some.body)).toEqual(['id', 'name', 'partner_id']);
    expect(some.body.name).toBe(full.body.name);
  });

  it('C-RETRIEVE-02 `<id>` not a positive integer: 400', async () => {
    for (const id of ['abc', '0', '-1', '1.5', '1e3', '0x10', '%201', '99999999999999999999', '9'.repeat(300)]) {
      expectError(await get(`/api/sale_order/${id}`), 400, /id|URL/);
    }
  });

  it('C-RETRIEVE-03 No such record: 404', async () => {
    const missing = (await server.truth.rows<{ id: number }>('SELECT max(id) AS id FROM sale_order'))[0]!.id + 1000;
    expectError(await get(`/api/sale_order/${missing}`), 404, new RegExp(String(missing)));
    expectError(await get('/api/crm_lead/999999?fields=name'), 404);
  });

  it("C-RETRIEVE-04 Record hidden by a record rule: 403 (Odoo's AccessError)", async () => {
    const adminLead = await firstId(`SELECT id FROM crm_lead WHERE user_id = ? AND company_id = 1 AND active`, UID.admin);
    expectError(await get(`/api/crm_lead/${adminLead}`, 'demo'), 403, /doesn't have 'read' access to:\n- Lead\/Opportunity \(crm\.lead\)/);
    // As the sales manager of the first company only, where the database has one (`manager`: the embedded
    // demo, the lab's Odoo), and an order of the second company (made as admin when there is none).
    if (UID.manager) {
      const chicagoOrder = (
        await firstOrMade<{ id: number }>(`SELECT id FROM sale_order WHERE company_id = 2 ORDER BY id`, [], () =>
          created('sale_order', { partner_id: F.azure, company_id: 2 }),
        )
      ).id;
      expectError(await get(`/api/sale_order/${chicagoOrder}`, 'manager'), 403);
      expect((await get(`/api/sale_order/${chicagoOrder}`, 'admin')).status).toBe(200);
    }
  });
});

// ------------------------------------------------------------------------------------------------ Create / Update

describe('Create: POST /api/<slug> / Update: PUT or PATCH /api/<slug>/<id>', () => {
  it('SEED-2 Create a CRM lead: `POST /api/crm_lead` with `"partner_id": {"id": 12}`', async () => {
    const response = await server.request('admin', 'POST', '/api/crm_lead', {
      name: 'New Opportunity',
      partner_id: { id: F.azure },
      contact_name: 'John Doe',
      email_from: 'john@example.com',
      expected_revenue: 15000,
    });
    expect(response.status).toBe(201);
    expect(Object.keys(response.body).sort()).toEqual(['id', 'record']);
    expect(response.body.record).toMatchObject({
      id: response.body.id,
      name: 'New Opportunity',
      partner_id: { id: F.azure, name: 'Azure Interior' },
      contact_name: 'John Doe',
      email_from: 'john@example.com',
      expected_revenue: 15000,
    });
    expect(await server.truth.row('crm_lead', response.body.id)).toMatchObject({
      name: 'New Opportunity',
      partner_id: F.azure,
      expected_revenue: 15000,
    });
  });

  it('SEED-3 Update a picking\'s scheduled date: `PUT /api/stock_picking/<id>` with `{"scheduled_date": "2025-09-05 10:00:00"}`', async () => {
    const picking = await firstId(`SELECT id FROM stock_picking ORDER BY id`);
    const before = (await server.truth.row('stock_picking', picking))!;
    const response = await server.request('admin', 'PUT', `/api/stock_picking/${picking}`, { scheduled_date: '2025-09-05 10:00:00' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: picking, record: { id: picking, scheduled_date: '2025-09-05 10:00:00', name: before.name } });
    expect(await server.truth.row('stock_picking', picking)).toMatchObject({
      ...before,
      scheduled_date: '2025-09-05 10:00:00',
      write_uid: UID.admin,
      write_date: expect.any(String),
    });
  });

  it('C-WRITE-01 Body: a JSON object of field values', async () => {
    const created = await server.request('admin', 'POST', '/api/res_partner', {
      name: 'Body Corp',
      is_company: true,
      email: 'body@example.com',
      country_id: F.country,
    });
    expect(created.status).toBe(201);
    expect(created.body.record).toMatchObject({
      name: 'Body Corp',
      is_company: true,
      email: 'body@example.com',
      country_id: { id: F.country, name: expect.any(String) },
    });
  });

  it('C-WRITE-02 Many2one as an id, `{"id": n}`, or `false`/`null` to clear', async () => {
    const lead = (await server.request('admin', 'POST', '/api/crm_lead', { name: 'm2o', partner_id: F.azure })).body;
    expect(lead.record.partner_id).toEqual({ id: F.azure, name: 'Azure Interior' });
    const path = `/api/crm_lead/${lead.id}`;
    expect((await server.request('admin', 'PUT', path, { partner_id: { id: F.decoAddict } })).body.record.partner_id.id).toBe(F.decoAddict);
    // A record read back round-trips: `{id, name}` is accepted as written.
    expect(
      (await server.request('admin', 'PUT', path, { partner_id: { id: F.azure, name: 'Azure Interior' } })).body.record.partner_id.id,
    ).toBe(F.azure);
    expect((await server.request('admin', 'PUT', path, { partner_id: false })).body.record.partner_id).toBe(false);
    expect((await server.request('admin', 'PUT', path, { partner_id: F.gemini })).body.record.partner_id.id).toBe(F.gemini);
    expect((await server.request('admin', 'PUT', path, { partner_id: null })).body.record.partner_id).toBe(false);
    expect((await server.truth.row('crm_lead', lead.id))!.partner_id).toBeNull();
  });

  it('C-WRITE-03 x2many as an array of ids (replaces the set)', async () => {
    const [t1, t2, t3] = F.tags;
    const partner = (await server.request('admin', 'POST', '/api/res_partner', { name: 'Tagged', category_id: [t1, t2] })).body;
    expect([...partner.record.category_id].sort(byId)).toEqual([t1, t2]);
    const replaced = await server.request('admin', 'PUT', `/api/res_partner/${partner.id}`, { category_id: [t3] });
    expect(replaced.body.record.category_id).toEqual([t3]);
    expect((await server.request('admin', 'PUT', `/api/res_partner/${partner.id}`, { category_id: [] })).body.record.category_id).toEqual(
      [],
    );
    expect(await server.truth.count('SELECT 1 FROM res_partner_res_partner_category_rel WHERE partner_id = ?', partner.id)).toBe(0);
  });

  it('C-WRITE-04 ...or Odoo command triples (`[[0,0,{vals}]]`, `[[1,id,{vals}]]`, `[[2,id]]`, `[[3,id]]`, `[[4,id]]`, `[[5]]`, `[[6,0,[ids]]]`)', async () => {
    // many2many on res.partner.category_id
    const [t1, t2, t3, t4, t5] = F.tags;
    const [p1, p2, p3] = F.products;
    const partner = (await server.request('admin', 'POST', '/api/res_partner', { name: 'Commands', category_id: [[6, 0, [t1, t2]]] })).body;
    const tags = async (commands: unknown) => {
      const response = await server.request('admin', 'PUT', `/api/res_partner/${partner.id}`, { category_id: commands });
      expect(response.status, response.text).toBe(200);
      return [...response.body.record.category_id].sort(byId);
    };
    /** A tag's stored name (a jsonb of translations on Odoo). */
    const tagName = async (id: number) =>
      (
        await server.truth.rows<{ name: string }>(
          schemaSql({
            embedded: `SELECT name FROM res_partner_category WHERE id = ?`,
            odoo: `SELECT name->>'en_US' AS name FROM res_partner_category WHERE id = ?`,
          }),
          id,
        )
      )[0]?.name;
    expect([...partner.record.category_id].sort(byId)).toEqual([t1, t2]);
    expect(await tags([[4, t3]])).toEqual([t1, t2, t3]);
    expect(await tags([[3, t1]])).toEqual([t2, t3]);
    expect(await server.truth.count('SELECT id FROM res_partner_category WHERE id = ?', t1)).toBe(1); // unlinked, not deleted
    const created = await tags([[0, 0, { name: 'Made by command' }]]);
    const newTag = created.find((id) => id !== t2 && id !== t3)!;
    expect(await tagName(newTag)).toBe('Made by command');
    await tags([[1, newTag, { name: 'Renamed by command' }]]);
    expect(await tagName(newTag)).toBe('Renamed by command');
    expect(await tags([[2, newTag]])).toEqual([t2, t3]);
    expect(await server.truth.row('res_partner_category', newTag)).toBeUndefined(); // deleted
    expect(await tags([[5]])).toEqual([]);
    expect(await tags([[6, 0, [t4, t5]]])).toEqual([t4, t5]);
    // one2many on sale.order.order_line
    const order = (
      await server.request('admin', 'POST', '/api/sale_order', {
        partner_id: F.azure,
        order_line: [
          [0, 0, { product_id: p1, product_uom_qty: 1, price_unit: 100 }],
          [0, 0, { product_id: p2, product_uom_qty: 2, price_unit: 50 }],
        ],
      })
    ).body;
    const [first, second] = [...order.record.order_line].sort((a: number, b: number) => a - b) as [number, number];
    // The lines' sum is the untaxed amount; the total adds the taxes where there are any (Odoo's demo
    // products carry a sales tax, the embedded store has none) and is what the database holds.
    const lines = async (commands: unknown) => {
      const response = await server.request('admin', 'PATCH', `/api/sale_order/${order.id}`, { order_line: commands });
      expect(response.status, response.text).toBe(200);
      const record = response.body.record as { order_line: number[]; amount_untaxed: number; amount_total: number; amount_tax?: number };
      expect(record.amount_total).toBeCloseTo(record.amount_untaxed + (record.amount_tax ?? 0), 2);
      expect(record.amount_total).toBe((await server.truth.row('sale_order', order.id))!.amount_total);
      return record;
    };
    expect((await lines([[1, first, { price_unit: 300 }]])).amount_untaxed).toBe(400);
    const afterDelete = await lines([[2, second]]);
    expect(afterDelete).toMatchObject({ order_line: [first], amount_untaxed: 300 });
    expect(await server.truth.row('sale_order_line', second)).toBeUndefined();
    const added = await lines([[0, 0, { product_id: p3, product_uom_qty: 3, price_unit: 10 }]]);
    expect(added.order_line).toHaveLength(2);
    expect(added.amount_untaxed).toBe(330);
    // Lines cannot live without their order (order_id is required): [3, id] and [5] delete them, as in Odoo.
    expect((await lines([[3, first]])).order_line).toHaveLength(1);
    expect(await lines([[5]])).toMatchObject({ order_line: [], amount_untaxed: 0, amount_total: 0 });
    // [4, id] and [6, 0, ids] move existing lines of another order here.
    const donor = (
      await server.request('admin', 'POST', '/api/sale_order', {
        partner_id: F.decoAddict,
        order_line: [
          [0, 0, { product_id: p1, price_unit: 7 }],
          [0, 0, { product_id: p1, price_unit: 8 }],
        ],
      })
    ).body;
    const [a, b] = donor.record.order_line as [number, number];
    expect((await lines([[4, a]])).order_line).toEqual([a]);
    const set = await lines([[6, 0, [a, b]]]);
    expect([...set.order_line].sort()).toEqual([a, b].sort());
    expect(set.amount_untaxed).toBe(15);
    expect((await get(`/api/sale_order/${donor.id}?fields=order_line,amount_total`)).body).toEqual({
      id: donor.id,
      order_line: [],
      amount_total: 0,
    });
  });

  it('C-WRITE-05 ...so an order and its lines can be created in one request', async () => {
    const response = await server.request('admin', 'POST', '/api/sale_order', {
      partner_id: { id: F.azure },
      client_order_ref: 'PO-4711',
      order_line: [
        [0, 0, { product_id: F.products[0], product_uom_qty: 2, price_unit: 150 }],
        [0, 0, { product_id: F.products[1], product_uom_qty: 1, price_unit: 99.99, discount: 10 }],
      ],
    });
    expect(response.status).toBe(201);
    const { id, record } = response.body;
    expect(record).toMatchObject({
      name: expect.stringMatching(/^S\d{5}$/),
      state: 'draft',
      partner_id: { id: F.azure, name: 'Azure Interior' },
      amount_untaxed: 389.99,
    });
    // The total adds the taxes where there are any (Odoo's demo products carry a sales tax; the embedded store has none).
    expect(record.amount_total).toBeCloseTo(389.99 + (record.amount_tax ?? 0), 2);
    expect(record.amount_total).toBe((await server.truth.row('sale_order', id))!.amount_total);
    expect(record.order_line).toHaveLength(2);
    const stored = await server.truth.rows<{ order_id: number; price_subtotal: number }>(
      'SELECT order_id, price_subtotal FROM sale_order_line WHERE order_id = ? ORDER BY id',
      id,
    );
    expect(stored.map((l) => l.price_subtotal)).toEqual([300, 89.99]);
    const lines = await list('sale_order_line', { domain: `[("order_id", "=", ${id})]`, fields: 'order_id,price_subtotal', order: 'id' });
    expect(lines.body.results.map((l: any) => l.order_id)).toEqual([
      { id, name: record.name },
      { id, name: record.name },
    ]);
  });

  it('C-WRITE-06 Dates and datetimes as above; selection values must be valid keys', async () => {
    const created = await server.request('admin', 'POST', '/api/crm_lead', {
      name: 'Dates',
      date_deadline: '2026-02-28',
      date_closed: '2026-02-28 23:59:59',
      priority: '3',
      type: 'lead',
    });
    expect(created.body.record).toMatchObject({
      date_deadline: '2026-02-28',
      date_closed: '2026-02-28 23:59:59',
      priority: '3',
      type: 'lead',
    });
    const path = `/api/crm_lead/${created.body.id}`;
    expectError(await server.request('admin', 'PUT', path, { date_deadline: '2026-02-30' }), 400, /date_deadline/);
    expectError(await server.request('admin', 'PUT', path, { date_deadline: '28/02/2026' }), 400, /date_deadline/);
    expectError(await server.request('admin', 'PUT', path, { date_closed: '2026-02-28 24:00:00' }), 400, /date_closed/);
    expectError(await server.request('admin', 'PUT', path, { priority: '4' }), 400, /priority/);
    expectError(await server.request('admin', 'PUT', path, { type: 'Lead' }), 400, /type/);
    expect((await server.request('admin', 'PUT', path, { date_deadline: false, priority: false })).body.record).toMatchObject({
      date_deadline: false,
      priority: false,
    });
  });

  it('C-WRITE-07 Unknown field, wrong type, invalid selection, missing required field, write to a read-only field (`id`, `create_date`, `write_date`, `create_uid`, `write_uid`, computed fields): 400 naming the field', async () => {
    const lead = (await server.request('admin', 'POST', '/api/crm_lead', { name: 'Refusals' })).body;
    const path = `/api/crm_lead/${lead.id}`;
    const before = await server.truth.row('crm_lead', lead.id);
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ no_such_field: 1 }, 'no_such_field'],
      [{ probability: 'fifty' }, 'probability'],
      [{ expected_revenue: [1] }, 'expected_revenue'],
      [{ name: 42 }, 'name'],
      [{ active: 'yes' }, 'active'],
      [{ partner_id: 'Azure Interior' }, 'partner_id'],
      [{ partner_id: 999999 }, 'partner_id'],
      [{ priority: 'urgent' }, 'priority'],
      [{ name: null }, 'name'],
      [{ id: 1 }, 'id'],
      [{ create_date: '2020-01-01 00:00:00' }, 'create_date'],
      [{ write_date: '2020-01-01 00:00:00' }, 'write_date'],
      [{ create_uid: 1 }, 'create_uid'],
      [{ write_uid: 1 }, 'write_uid'],
      [{ prorated_revenue: 1 }, 'prorated_revenue'],
      [{ display_name: 'x' }, 'display_name'],
    ];
    for (const [values, field] of refusals) {
      expectError(await server.request('admin', 'PUT', path, values), 400, new RegExp(`'?${field}'?`));
    }
    expect(await server.truth.row('crm_lead', lead.id)).toEqual(before);
    // A missing required field is named as `'name'` (the embedded store) or as Odoo names it, `Field: Opportunity (name)`.
    const naming = (field: string) => new RegExp(`'${field}'|\\(${field}\\)`);
    expectError(await server.request('admin', 'POST', '/api/crm_lead', {}), 400, naming('name'));
    expectError(await server.request('admin', 'POST', '/api/sale_order', { order_line: [] }), 400, naming('partner_id'));
    expectError(await server.request('admin', 'POST', '/api/sale_order', { partner_id: F.azure, amount_total: 10 }), 400, /'amount_total'/);
    // A transfer needs what the model requires without a default: the embedded store its `picking_type_code`,
    // Odoo 17 its `location_id` (the operation type is computed there). The message names one of them.
    const picking = await server.request('admin', 'POST', '/api/stock_picking', {});
    expectError(picking, 400);
    const required = Object.entries(await fieldsMeta('stock_picking'))
      .filter(([, meta]) => meta.required)
      .map(([name]) => name);
    expect(
      required.filter((name) => naming(name).test(picking.body.error)),
      picking.body.error,
    ).not.toEqual([]);
  });

  it('C-WRITE-08 Create answers 201 `{"id": n, "record": {...}}`', async () => {
    const response = await server.request('admin', 'POST', '/api/crm_lead', { name: 'Created' });
    expect(response.status).toBe(201);
    expect(Object.keys(response.body).sort()).toEqual(['id', 'record']);
    expect(Number.isInteger(response.body.id)).toBe(true);
    expect(response.body.record.id).toBe(response.body.id);
    expect(withoutClock(response.body.record)).toEqual(withoutClock((await get(`/api/crm_lead/${response.body.id}`)).body));
  });

  it('C-WRITE-09 update (PUT and PATCH both write only the fields given) answers 200 `{"id": n, "record": {...}}`', async () => {
    // No email on the lead: a real Odoo's lead enrichment (a cron started by every lead created) writes to
    // leads with one, in the background, and this test is about what the request writes.
    const lead = (await server.request('admin', 'POST', '/api/crm_lead', { name: 'Partial', contact_name: 'A. Partial', probability: 10 }))
      .body;
    const path = `/api/crm_lead/${lead.id}`;
    const put = await server.request('admin', 'PUT', path, { probability: 30 });
    expect(put.status).toBe(200);
    expect(Object.keys(put.body).sort()).toEqual(['id', 'record']);
    expect(put.body).toMatchObject({ id: lead.id, record: { name: 'Partial', contact_name: 'A. Partial', probability: 30 } });
    const patch = await server.request('admin', 'PATCH', path, { contact_name: 'B. Partial' });
    expect(patch.status).toBe(200);
    expect(patch.body.record).toMatchObject({ name: 'Partial', contact_name: 'B. Partial', probability: 30, prorated_revenue: 0 });
    // Every other field keeps its value, except those the server maintains itself: read-only (computed)
    // fields, which follow what was written (prorated_revenue from the probability...), and one2many
    // fields, which list other records (on Odoo, the chatter's tracking messages).
    const meta = await fieldsMeta('crm_lead');
    const own = (record: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(record).filter(([name]) => name !== 'write_date' && !meta[name]?.readonly && meta[name]?.type !== 'one2many'),
      );
    expect(Object.keys(own(lead.record))).toEqual(
      expect.arrayContaining(['name', 'contact_name', 'probability', 'expected_revenue', 'partner_id', 'stage_id', 'user_id', 'type']),
    );
    expect(own(patch.body.record)).toEqual({ ...own(lead.record), contact_name: 'B. Partial', probability: 30 });
    // An empty update writes no field. The embedded store leaves even write_date as it was; Odoo 17's
    // write({}) stamps it with the time of the call (models.py, write(): `vals.setdefault('write_date', ...)`),
    // a difference of the embedded store, reported, not settled here. On the embedded store the stored
    // write_date is first set far back, so that a rewrite within the same second would show.
    let writeDate = patch.body.record.write_date;
    if (has('embedded-store')) {
      server.backend.db.prepare(`UPDATE crm_lead SET write_date = '2020-01-01 00:00:00' WHERE id = ?`).run(lead.id);
      writeDate = '2020-01-01 00:00:00';
    }
    const noop = await server.request('admin', 'PUT', path, {});
    expect(noop.status).toBe(200);
    expect(own(noop.body.record)).toEqual(own(patch.body.record));
    if (has('embedded-store')) expect(noop.body.record.write_date).toBe(writeDate);
    else expect(noop.body.record.write_date >= writeDate, `${noop.body.record.write_date} >= ${writeDate}`).toBe(true);
  });

  it('C-WRITE-10 The record is read back as the caller sees it', async () => {
    const created = await server.request('demo', 'POST', '/api/crm_lead', { name: 'As demo sees it' });
    expect(created.status).toBe(201);
    expect(withoutClock(created.body.record)).toEqual(withoutClock((await get(`/api/crm_lead/${created.body.id}`, 'demo')).body));
    // A portal user reads partners without employee-only fields (those its fields_get leaves out: `ref` and
    // `comment` on the embedded store, `credit`, `activity_ids`... on Odoo): an update as admin shows them,
    // read back as portal does not.
    const portalFields = await fieldsMeta('res_partner', 'portal');
    const employeeOnly = Object.keys(await fieldsMeta('res_partner')).filter((name) => !(name in portalFields));
    expect(employeeOnly).not.toEqual([]);
    const asAdmin = await server.request('admin', 'PUT', `/api/res_partner/${F.portalPartner}`, { function: 'Buyer' });
    expect(asAdmin.status, asAdmin.text).toBe(200);
    expect(employeeOnly.filter((name) => name in asAdmin.body.record)).not.toEqual([]);
    const asPortal = await get(`/api/res_partner/${F.portalPartner}`, 'portal');
    expect(asPortal.status, asPortal.text).toBe(200);
    expect(employeeOnly.filter((name) => name in asPortal.body)).toEqual([]);
    expect(asPortal.body.function).toBe('Buyer');
  });

  it('C-WRITE-11 A request either fully succeeds or changes nothing', async () => {
    const counts = async () => ({
      orders: await server.truth.count('SELECT id FROM sale_order'),
      lines: await server.truth.count('SELECT id FROM sale_order_line'),
      sequence: await server.truth.rows(`SELECT number_next FROM ir_sequence WHERE code = 'sale.order'`),
    });
    const before = await counts();
    const response = await server.request('admin', 'POST', '/api/sale_order', {
      partner_id: F.azure,
      order_line: [
        [0, 0, { product_id: F.products[0], product_uom_qty: 1, price_unit: 10 }],
        [0, 0, { product_id: 999999, price_unit: 10 }],
      ],
    });
    expectError(response, 400, /product_id/);
    expect(await counts()).toEqual(before);
    const afterBadType = await server.request('admin', 'POST', '/api/sale_order', {
      partner_id: F.azure,
      order_line: [
        [0, 0, { product_id: F.products[0], price_unit: 10 }],
        [0, 0, { product_id: F.products[0], price_unit: 'ten' }],
      ],
    });
    expectError(afterBadType, 400, /price_unit/);
    expect(await counts()).toEqual(before);
    // An update with one good and one bad value writes neither; nor does one whose x2many command fails.
    const path = `/api/sale_order/${F.saleOrder}`;
    const storedLines = () => server.truth.rows('SELECT * FROM sale_order_line WHERE order_id = ? ORDER BY id', F.saleOrder);
    const order = (await server.truth.row('sale_order', F.saleOrder))!;
    const lines = await storedLines();
    expectError(await server.request('admin', 'PUT', path, { client_order_ref: 'changed', validity_date: 'soon' }), 400, /validity_date/);
    expectError(
      await server.request('admin', 'PUT', path, { client_order_ref: 'changed', order_line: [[5], [0, 0, { product_id: 'x' }]] }),
      400,
      /product_id/,
    );
    expect(await server.truth.row('sale_order', F.saleOrder)).toEqual(order);
    expect(await storedLines()).toEqual(lines);
    // Deleting a record others require (Azure Interior has orders) changes nothing either.
    // (The embedded store refuses with the database's constraint; Odoo 17 first with a rule of its own
    // accounting: "The partner cannot be deleted because it is used in Accounting".)
    expectError(await server.request('admin', 'DELETE', `/api/res_partner/${F.azure}`), 400, /another model requires|cannot be deleted/);
    expect(await server.truth.row('res_partner', F.azure)).toBeDefined();
  });
});

// ------------------------------------------------------------------------------------------------ Delete

describe('Delete: DELETE /api/<slug>/<id>', () => {
  it('SEED-4 Delete a purchase order draft: 400 with Odoo\'s message, then `PUT {"state": "cancel"}`, then DELETE 200 `{"ok": true}`, then GET 404', async () => {
    // A draft other than the order the literal request below names (on Odoo they can be the same record).
    const draft = await orderIn('purchase_order', 'draft', [F.purchaseOrder]);
    const path = `/api/purchase_order/${draft}`;
    const refused = await server.request('admin', 'DELETE', path);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: 'In order to delete a purchase order, you must cancel it first.' });
    const cancelled = await server.request('admin', 'PUT', path, { state: 'cancel' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.record.state).toBe('cancel');
    const deleted = await server.request('admin', 'DELETE', path);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ ok: true });
    expectError(await get(path), 404);
    expect(await server.truth.count('SELECT id FROM purchase_order_line WHERE order_id = ?', draft)).toBe(0);
    // Example 4's literal request (mrm_rest_api's documentation): purchase order 31 of the demo data is not cancelled, so refused the same way.
    expect((await server.request('admin', 'DELETE', `/api/purchase_order/${F.purchaseOrder}`)).body).toEqual({
      error: 'In order to delete a purchase order, you must cancel it first.',
    });
  });

  it('C-DELETE-01 200 `{"ok": true}`', async () => {
    const lead = (await server.request('admin', 'POST', '/api/crm_lead', { name: 'To delete' })).body.id;
    const response = await server.request('admin', 'DELETE', `/api/crm_lead/${lead}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true });
    expect(await server.truth.row('crm_lead', lead)).toBeUndefined();
  });

  it('C-DELETE-02 404 if missing', async () => {
    expectError(await server.request('admin', 'DELETE', '/api/crm_lead/999999'), 404);
    const lead = (await server.request('admin', 'POST', '/api/crm_lead', { name: 'Twice' })).body.id;
    expect((await server.request('admin', 'DELETE', `/api/crm_lead/${lead}`)).status).toBe(200);
    expectError(await server.request('admin', 'DELETE', `/api/crm_lead/${lead}`), 404);
  });

  it('C-DELETE-03 403 if not allowed', async () => {
    const own = await firstId(`SELECT id FROM crm_lead WHERE user_id = ? AND active`, UID.demo);
    expectError(await server.request('demo', 'DELETE', `/api/crm_lead/${own}`), 403, /delete|not allowed/);
    expect(await server.truth.row('crm_lead', own)).toBeDefined();
    // As the sales manager of the first company only, where the database has one (`manager`: the embedded
    // demo, the lab's Odoo), and a lead of the second company (made as admin when there is none).
    if (UID.manager) {
      // The sales manager may delete leads, but not those a record rule hides (the other company's).
      const otherCompany = (
        await firstOrMade<{ id: number }>(`SELECT id FROM crm_lead WHERE company_id = 2 AND active ORDER BY id`, [], () =>
          created('crm_lead', { name: 'Lead of the second company', company_id: 2 }),
        )
      ).id;
      expectError(await server.request('manager', 'DELETE', `/api/crm_lead/${otherCompany}`), 403);
      expectError(await server.request('manager', 'DELETE', `/api/res_partner/${F.azure}`), 403, /not allowed to delete/);
      expect(await server.truth.row('crm_lead', own)).toBeDefined();
      expect(await server.truth.row('crm_lead', otherCompany)).toBeDefined();
      const ownOfManager = (await server.request('manager', 'POST', '/api/crm_lead', { name: 'Manager may delete this' })).body.id;
      expect((await server.request('manager', 'DELETE', `/api/crm_lead/${ownOfManager}`)).body).toEqual({ ok: true });
    }
  });

  it("C-DELETE-04 400 with Odoo's message when a business rule forbids it", async () => {
    const confirmed = await firstId(`SELECT id FROM sale_order WHERE state = 'sale'`);
    const response = await server.request('admin', 'DELETE', `/api/sale_order/${confirmed}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'You can not delete a sent quotation or a confirmed sales order. You must first cancel it.' });
    expect(await server.truth.row('sale_order', confirmed)).toBeDefined();
  });

  it('C-DELETE-05 A sale order can be deleted only in draft or cancelled state', async () => {
    for (const state of ['sent', 'sale']) {
      const id = await orderIn('sale_order', state);
      expectError(
        await server.request('admin', 'DELETE', `/api/sale_order/${id}`),
        400,
        /^You can not delete a sent quotation or a confirmed sales order\. You must first cancel it\.$/,
      );
    }
    for (const state of ['draft', 'cancel']) {
      const id = await orderIn('sale_order', state);
      expect((await server.request('admin', 'DELETE', `/api/sale_order/${id}`)).body, state).toEqual({ ok: true });
      expect(await server.truth.count('SELECT id FROM sale_order_line WHERE order_id = ?', id)).toBe(0);
    }
  });

  it('C-DELETE-06 A purchase order only once cancelled, drafts included', async () => {
    for (const state of ['draft', 'sent', 'to approve', 'purchase', 'done']) {
      const id = await orderIn('purchase_order', state);
      expectError(
        await server.request('admin', 'DELETE', `/api/purchase_order/${id}`),
        400,
        /^In order to delete a purchase order, you must cancel it first\.$/,
      );
    }
    const cancelled = await orderIn('purchase_order', 'cancel');
    expect((await server.request('admin', 'DELETE', `/api/purchase_order/${cancelled}`)).body).toEqual({ ok: true });
  });
});

// ------------------------------------------------------------------------------------------------ Errors

describe('Errors', () => {
  it('C-ERROR-01 `{"error": "<message a person can act on>"}`', async () => {
    const answers: Array<[TestResponse, number]> = [
      [await list('sale_order', { domain: '[("state", "=", sale)]' }), 400],
      [await get('/api/sale_order', null), 401],
      [await list('crm_lead', {}, 'portal'), 403],
      [await get('/api/no_such_model'), 404],
      [await server.request('admin', 'PUT', '/api/health', {}), 405],
      [await server.request('admin', 'POST', '/api/crm_lead', 'x', { 'content-type': 'text/plain' }), 415],
    ];
    for (const [answer, status] of answers) {
      expectError(answer, status);
      expect(answer.body.error).not.toMatch(/SQLITE|SELECT |at .*\.ts:\d+|undefined|\[object Object\]/);
    }
  });

  it('C-ERROR-02 400 bad input or a business rule (Odoo UserError, ValidationError)', async () => {
    expectError(await list('sale_order', { fields: 'nope' }), 400);
    expectError(await server.request('admin', 'POST', '/api/res_partner', { type: 'contact' }), 400, /Contacts require a name/);
    expectError(await server.request('admin', 'PUT', `/api/res_partner/${F.azure}`, { parent_id: F.azure }), 400, /recursive/);
    // The embedded store says the login must be unique; Odoo 17 "You can not have two users with the same login!".
    expectError(
      await server.request('admin', 'POST', '/api/res_users', { name: 'Clone', login: 'admin', partner_id: F.azure }),
      400,
      /login.*unique|same login/,
    );
    expectError(
      await server.request('admin', 'DELETE', `/api/sale_order/${await firstId(`SELECT id FROM sale_order WHERE state = 'sale'`)}`),
      400,
    );
  });

  it('C-ERROR-03 401 no or bad credentials', async () => {
    expectError(await get('/api/sale_order', null), 401);
    expectError(await get('/api/sale_order', null, { authorization: 'Bearer nope' }), 401);
    expectError(await get('/api/sale_order', null, { cookie: 'session_id=nope' }), 401);
  });

  it('C-ERROR-04 403 access rights or record rules', async () => {
    expectError(await list('crm_lead', {}, 'portal'), 403, /not allowed to access/);
    expectError(await server.request('demo', 'POST', '/api/res_users', { name: 'x', login: 'x', partner_id: F.azure }), 403);
    const adminLead = await firstId(`SELECT id FROM crm_lead WHERE user_id = ? AND company_id = 1 AND active`, UID.admin);
    expectError(await get(`/api/crm_lead/${adminLead}`, 'demo'), 403);
  });

  it('C-ERROR-05 404 unknown model, record or route', async () => {
    expectError(await get('/api/no_such_model'), 404, /unknown model/);
    expectError(await get('/api/sale_order/999999'), 404, /999999/);
    expectError(await get('/api/v2/sale_order/1/x'), 404, /no route/);
  });

  it('C-ERROR-06 405, 413, 415', async () => {
    expectError(await server.request('admin', 'DELETE', '/api/sale_order'), 405);
    expectError(await server.request('admin', 'POST', '/api/crm_lead', 'a,b', { 'content-type': 'text/csv' }), 415);
    const small = await startServer({ BODY_LIMIT: 256 });
    try {
      expectError(await small.request('admin', 'POST', '/api/crm_lead', { name: 'y'.repeat(300) }), 413);
    } finally {
      await small.close();
    }
  });

  it('C-ERROR-07 500 unexpected (generic message; details go to the log, never to the client)', async () => {
    const broken = await startServerWithFailingList(new Error('SqliteError: no such table: sale_order at /srv/secret/path.ts:42'));
    try {
      const response = await broken.get('/api/sale_order');
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toBe(JSON_UTF8);
      expect(Object.keys(response.body)).toEqual(['error']);
      expect(response.body.error).toMatch(/internal server error/i);
      expect(response.text).not.toMatch(/Sqlite|no such table|secret|\.ts/);
      expect((await broken.get('/api/health')).status).toBe(200);
      expect((await broken.get('/api/sale_order/21?fields=id')).status).toBe(200);
    } finally {
      await broken.close();
    }
  });

  it('C-ERROR-08 502/504 when an upstream Odoo or gateway is unreachable or too slow', async () => {
    for (const [name, status] of [
      ['upstream_unreachable', 502],
      ['upstream_timeout', 504],
    ] as const) {
      const broken = await startServerWithFailingList(new BackendError(name, `Odoo at http://10.0.0.9:8069 did not answer (${name})`));
      try {
        const response = await broken.get('/api/sale_order');
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toBe(JSON_UTF8);
        expect(Object.keys(response.body)).toEqual(['error']);
        expect(response.body.error.length).toBeGreaterThan(0);
      } finally {
        await broken.close();
      }
    }
  });
});

// ------------------------------------------------------------------------------------------------ Health

describe('Health', () => {
  it('C-HEALTH-01 `GET /api/health` answers 200 `{"status": "ok"}` without auth', async () => {
    const anonymous = await get('/api/health', null);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ status: 'ok' });
    expect(anonymous.headers.get('content-type')).toBe(JSON_UTF8);
    // A bad key or cookie does not turn health into a 401.
    expect((await get('/api/health', null, { authorization: 'Bearer wrong' })).body).toEqual({ status: 'ok' });
    expect((await get('/api/health', null, { cookie: 'session_id=gone' })).body).toEqual({ status: 'ok' });
  });
});

// Keeps the fingerprint of ground truth honest: it does see a change.
describe('support', () => {
  it('databaseFingerprint changes when a row changes', async () => {
    const before = await server.truth.fingerprint();
    await server.request('admin', 'PATCH', `/api/crm_lead/${F.lead}`, { probability: 42.5 });
    expect(await server.truth.fingerprint()).not.toEqual(before);
  });
});
