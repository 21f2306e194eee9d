/**
 * Two faces, one process: /graphql lives beside the REST routes on one port without disturbing them,
 * reaches them over loopback by default (port known only after listen, also when bound to 0.0.0.0),
 * and takes the same credentials: a Bearer key or the session cookie of /web/session/authenticate.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { EmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { testConfig } from '../../src/config.js';
import { freshDataDir, startServer } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { codes, graphql, sessionCookie } from './graphql-client.js';

const server = useServer();

describe('one port, two faces', () => {
  it('SP-01 the default gateway is this process on loopback, resolved after listen', async () => {
    await graphql(server, null, '{ health { status } }');
    expect(server.app.graphql.gateway.url).toBe(server.url);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('SP-02 bound to 0.0.0.0, the gateway is http://127.0.0.1:<port>', async () => {
    const dataDir = freshDataDir();
    const app = await createApp(testConfig({ PORT: 0, LOG_LEVEL: 'silent', DATA_DIR: dataDir, HOST: '0.0.0.0' }));
    try {
      await app.server.listen({ host: '0.0.0.0', port: 0 });
      const { port } = app.server.server.address() as { port: number };
      const key = (app.backend as EmbeddedBackend).createApiKey('demo', 'test');
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ me { login } }' }),
      });
      expect(await response.json()).toEqual({ data: { me: { login: 'demo' } } });
      expect(app.graphql.gateway.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('SP-03 the REST face is untouched: JSON bodies, its 404, 405 and 415', async () => {
    const created = await server.request('admin', 'POST', '/api/res_partner', { name: 'Still REST' });
    expect(created.status).toBe(201);
    const unknown = await server.request('admin', 'GET', '/graphql/nested');
    expect([unknown.status, unknown.body]).toEqual([404, { error: 'no route GET /graphql/nested' }]);
    const form = await server.request('admin', 'POST', '/api/res_partner', 'name=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect([form.status, typeof form.body.error]).toEqual([415, 'string']);
    const wrong = await server.request('admin', 'DELETE', '/api/res_partner');
    expect(wrong.status).toBe(405);
  });

  it('SP-04 /graphql answers GraphQL over HTTP itself: GET queries, no mutation over GET, 405 for PUT', async () => {
    const get = await server.request('demo', 'GET', `/graphql?query=${encodeURIComponent('{ me { login } }')}`);
    expect(get.body).toEqual({ data: { me: { login: 'demo' } } });
    const mutation = await server.request(
      'demo',
      'GET',
      `/graphql?query=${encodeURIComponent('mutation { deleteRecord(slug: "res_partner", id: 1) { ok } }')}`,
    );
    expect(mutation.status).toBe(405);
    const put = await server.request('demo', 'PUT', '/graphql', { query: '{ health { status } }' });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, POST']);
    // Bodies reach yoga raw, whatever Fastify's own parsers would have said of them.
    const graphqlBody = await server.request('demo', 'POST', '/graphql', '{ me { login } }', { 'content-type': 'application/graphql' });
    expect(graphqlBody.body).toEqual({ data: { me: { login: 'demo' } } });
    const text = await server.request('demo', 'POST', '/graphql', '{ me { login } }', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    // An empty body is answered (400), not waited on.
    const empty = await server.request('demo', 'POST', '/graphql', '', { 'content-type': 'application/json' });
    expect([empty.status, empty.body.errors[0].extensions.code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('SP-05 GraphiQL on GET from a browser, unless GRAPHIQL is off', async () => {
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html']);
    expect(await page.text()).toContain('odoo-graphql-facade');
    const off = await startServer({ GRAPHIQL: false });
    try {
      const response = await fetch(`${off.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(response.headers.get('content-type')).not.toMatch(/text\/html/);
    } finally {
      await off.close();
    }
  });
});

describe('credentials shared with REST', () => {
  it('SP-10 the session cookie from /web/session/authenticate works for GraphQL until destroyed', async () => {
    const cookie = await sessionCookie(server, 'manager');
    const me = await graphql(server, { cookie }, '{ me { login name isAdmin company } }');
    expect(me.body.data?.me).toMatchObject({
      login: 'manager',
      isAdmin: false,
      company: { id: expect.any(Number), name: expect.any(String) },
    });
    const rest = await server.request(null, 'GET', '/api/sale_order?limit=0', undefined, { cookie });
    const gql = await graphql(server, { cookie }, '{ records(slug: "sale_order", limit: 0) { total } }');
    expect(gql.body.data?.records.total).toBe(rest.body.total);
    await server.request(null, 'POST', '/web/session/destroy', {}, { cookie });
    const after = await graphql(server, { cookie }, '{ me { login } }');
    expect([after.status, codes(after)]).toEqual([401, ['UNAUTHENTICATED']]);
  });

  it('SP-11 with a key and a cookie, the key wins (as in REST)', async () => {
    const cookie = await sessionCookie(server, 'manager');
    const me = await graphql(server, 'demo', '{ me { login } }', undefined, { cookie });
    expect(me.body.data).toEqual({ me: { login: 'demo' } });
  });

  it('SP-12 me mirrors /web/session/get_session_info', async () => {
    const info = await server.request('admin', 'POST', '/web/session/get_session_info', {
      jsonrpc: '2.0',
      method: 'call',
      params: {},
      id: 1,
    });
    const me = await graphql(
      server,
      'admin',
      '{ me { uid name login db isAdmin isSystem partner company companies lang tz serverVersion sessionInfo } }',
    );
    const result = info.body.result;
    expect(me.body.data?.me).toEqual({
      uid: result.uid,
      name: result.name,
      login: result.username,
      db: result.db,
      isAdmin: result.is_admin,
      isSystem: result.is_system,
      partner: { id: result.partner_id, name: result.partner_display_name },
      company: {
        id: result.user_companies.current_company,
        name: result.user_companies.allowed_companies[String(result.user_companies.current_company)].name,
      },
      companies: Object.values(result.user_companies.allowed_companies as Record<string, { id: number; name: string }>)
        .map(({ id, name }) => ({ id, name }))
        .sort((x, y) => x.id - y.id),
      lang: result.user_context.lang,
      tz: result.user_context.tz,
      serverVersion: result.server_version,
      sessionInfo: result,
    });
  });
});
