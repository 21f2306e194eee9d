/**
 * Conditional reads on the REST face (src/rest/conditional-get.ts): a weak ETag on list, retrieve and
 * fields answers, 304 with no body for a repeated request whose data has not changed, and a fresh
 * answer as soon as anything changed, here or in another process. The caller is checked first, always.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { q } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { expectError, UID, writeFromAnotherConnection } from './support.js';

const server = useServer();

const LIST = `/api/sale_order?${q({ fields: 'id,name,state', limit: 5, order: 'id' })}`;
const get = (path: string, user: string | null, headers: Record<string, string> = {}) =>
  server.request(user, 'GET', path, undefined, headers);

describe('conditional GET', () => {
  it('CG-01 a read answers a weak ETag and `Cache-Control: private, no-cache`; the same request with it gets 304 and no body', async () => {
    const first = await get(LIST, 'admin');
    expect(first.status).toBe(200);
    const tag = first.headers.get('etag')!;
    expect(tag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');

    const again = await get(LIST, 'admin', { 'if-none-match': tag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(tag);
    // Weak comparison and lists, as RFC 9110 says.
    expect((await get(LIST, 'admin', { 'if-none-match': tag.slice(2) })).status).toBe(304);
    expect((await get(LIST, 'admin', { 'if-none-match': `W/"other", ${tag}` })).status).toBe(304);
    // Any other tag, `*` (not taken on reads), or garbage is just not a match: the full answer, unchanged.
    for (const other of ['W/"other"', '*', 'nonsense', '""']) {
      const full = await get(LIST, 'admin', { 'if-none-match': other });
      expect(full.status).toBe(200);
      expect(full.body).toEqual(first.body);
      expect(full.headers.get('etag')).toBe(tag);
    }
  });

  it('CG-02 retrieve, fields and HEAD are conditional too; errors carry no tag', async () => {
    for (const path of ['/api/sale_order/1?fields=name', '/api/res_partner/fields']) {
      const first = await get(path, 'admin');
      expect(first.status, path).toBe(200);
      const tag = first.headers.get('etag')!;
      expect(tag, path).toMatch(/^W\//);
      expect((await get(path, 'admin', { 'if-none-match': tag })).status, path).toBe(304);
      expect((await server.request('admin', 'HEAD', path, undefined, { 'if-none-match': tag })).status, path).toBe(304);
    }
    const missing = await get('/api/sale_order/999999', 'admin');
    expectError(missing, 404);
    expect(missing.headers.get('etag')).toBeNull();
    const badDomain = await get('/api/sale_order?domain=oops', 'admin');
    expectError(badDomain, 400);
    expect(badDomain.headers.get('etag')).toBeNull();
    // The tag is checked before the parameters: `*` or another URL's tag never turns a 400 into a 304.
    expectError(await get('/api/sale_order?domain=oops', 'admin', { 'if-none-match': '*' }), 400);
    const good = await get('/api/sale_order?domain=[]&limit=1', 'admin');
    expectError(await get('/api/sale_order?domain=oops', 'admin', { 'if-none-match': good.headers.get('etag')! }), 400);
    // Writes answer no tag.
    const created = await server.request('admin', 'POST', '/api/crm_lead', { name: 'no tag on writes' });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBeNull();
  });

  it('CG-03 any write through the API changes every tag: the next read is a full, fresh answer', async () => {
    const before = await get(LIST, 'demo');
    const tag = before.headers.get('etag')!;
    expect((await get(LIST, 'demo', { 'if-none-match': tag })).status).toBe(304);
    // A write to another model, by another user.
    expect((await server.request('admin', 'POST', '/api/res_partner', { name: 'Unrelated write' })).status).toBe(201);
    const after = await get(LIST, 'demo', { 'if-none-match': tag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(tag);
    expect(after.body).toEqual(before.body);
    // And a write to what the list shows is in the next answer.
    const id = before.body.results[0].id as number;
    const renamed = await server.request('admin', 'PUT', `/api/sale_order/${id}`, { client_order_ref: 'changed' });
    expect(renamed.status, renamed.text).toBe(200);
    const refs = await get(`/api/sale_order/${id}?fields=client_order_ref`, 'demo', { 'if-none-match': after.headers.get('etag')! });
    expect(refs.status).toBe(200);
    expect(refs.body.client_order_ref).toBe('changed');
  });

  it('CG-04 a commit by another process changes the tag at once, and the answer shows it', async () => {
    const first = await get(LIST, 'admin');
    const tag = first.headers.get('etag')!;
    const id = first.body.results[0].id as number;
    writeFromAnotherConnection(server, `UPDATE sale_order SET name = ? WHERE id = ?`, 'RENAMED-ELSEWHERE', id);
    const after = await get(LIST, 'admin', { 'if-none-match': tag });
    expect(after.status).toBe(200);
    expect(after.body.results[0]).toMatchObject({ id, name: 'RENAMED-ELSEWHERE' });
  });

  it('CG-05 tags are per caller: another user holding my tag gets their own full answer', async () => {
    const admin = await get('/api/crm_lead?fields=id&limit=0', 'admin');
    const demo = await get('/api/crm_lead?fields=id&limit=0', 'demo', { 'if-none-match': admin.headers.get('etag')! });
    expect(demo.status).toBe(200);
    expect(demo.headers.get('etag')).not.toBe(admin.headers.get('etag'));
    expect(demo.body.total).toBeLessThan(admin.body.total);
  });

  it('CG-06 the caller is checked before the tag: no credentials, a revoked key or a destroyed session get 401, never 304', async () => {
    const key = server.backend.createApiKey('demo', 'to revoke');
    const withKey = (headers: Record<string, string> = {}) => get(LIST, null, { authorization: `Bearer ${key}`, ...headers });
    const first = await withKey();
    const tag = first.headers.get('etag')!;
    expect((await withKey({ 'if-none-match': tag })).status).toBe(304);
    expectError(await get(LIST, null, { 'if-none-match': tag }), 401);
    server.backend.revokeApiKey(key.slice(0, 8));
    expectError(await withKey({ 'if-none-match': tag }), 401, /invalid or revoked/);
  });

  it('CG-07 rights taken away by another process count from the next request on, tag or not', async () => {
    const path = '/api/crm_lead?fields=id&limit=1';
    const first = await get(path, 'demo');
    expect(first.status).toBe(200);
    // The demo user loses every group (so every right on leads), in another process (Odoo's table).
    const db = new Database(join(server.dataDir, 'odoo.sqlite'));
    try {
      const groups = db.prepare(`SELECT gid FROM res_groups_users_rel WHERE uid = ?`).pluck().all(UID.demo) as number[];
      expect(groups.length).toBeGreaterThan(0);
      db.prepare(`DELETE FROM res_groups_users_rel WHERE uid = ?`).run(UID.demo);
      expectError(await get(path, 'demo', { 'if-none-match': first.headers.get('etag')! }), 403);
      const insert = db.prepare(`INSERT INTO res_groups_users_rel (uid, gid) VALUES (?, ?)`);
      for (const gid of groups) insert.run(UID.demo, gid);
    } finally {
      db.close();
    }
    expect((await get(path, 'demo')).status).toBe(200);
  });
});
