/**
 * HTTP-level protections of both faces (src/rest/security-plugins.ts): security headers and the CSP,
 * CORS (nothing allowed by default), per-caller rate limiting (off by default), and the REST routes'
 * own CSRF safety (JSON-only bodies).
 */
import { describe, expect, it } from 'vitest';
import { API_CSP, inlineScriptHashes, pageCsp } from '../../src/rest/security-plugins.js';
import { startServer } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { sessionCookieOf, rpc } from './support.js';

const server = useServer();

describe('security headers', () => {
  it('SEC-01 every answer: nosniff, frame-deny, no referrer, and a CSP that allows an API answer nothing', async () => {
    for (const [login, path] of [
      ['admin', '/api/sale_order?limit=1'],
      [null, '/api/health'],
      [null, '/api/no_such'],
      [null, '/graphql?query={health{status}}'],
    ] as const) {
      const { headers } = await server.request(login, 'GET', path);
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('x-frame-options'), path).toBe('DENY');
      expect(headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(headers.get('content-security-policy'), path).toBe(API_CSP);
      expect(headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('SEC-02 the GraphiQL page gets a page policy: this origin only, its inline scripts by hash, no framing', async () => {
    const page = await server.request(null, 'GET', '/graphql', undefined, { accept: 'text/html' });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toBe(pageCsp(inlineScriptHashes(page.text)));
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/unsafe-eval|https:/);
  });

  it('SEC-03 inline script hashes: executable inline scripts only, JSON data blocks and external scripts left out', () => {
    const html = '<script>alert(1)</script><script type="application/json">{"a":1}</script><script src="/x.js"></script>';
    expect(inlineScriptHashes(html)).toEqual(['bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=']);
  });
});

describe('CORS', () => {
  it('SEC-10 by default nothing is allowed: no CORS headers, and a preflight is the 405 it always was', async () => {
    const get = await server.request('admin', 'GET', '/api/sale_order?limit=1', undefined, { origin: 'https://evil.example' });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await server.request(null, 'OPTIONS', '/api/sale_order', undefined, {
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
    });
    expect(preflight.status).toBe(405);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('SEC-11 CORS_ORIGINS lists the origins allowed, with credentials; any other origin gets nothing', async () => {
    const open = await startServer({ CORS_ORIGINS: 'https://app.example, http://localhost:5173' });
    try {
      const preflight = await open.request(null, 'OPTIONS', '/api/sale_order', undefined, {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
      expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
      expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      const get = await open.request('admin', 'GET', '/api/sale_order?limit=1', undefined, { origin: 'http://localhost:5173' });
      expect([get.status, get.headers.get('access-control-allow-origin')]).toEqual([200, 'http://localhost:5173']);
      expect(get.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
      const graphqlPreflight = await open.request(null, 'OPTIONS', '/graphql', undefined, {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
      });
      expect([graphqlPreflight.status, graphqlPreflight.headers.get('access-control-allow-origin')]).toEqual([204, 'https://app.example']);

      const evil = await open.request('admin', 'GET', '/api/sale_order?limit=1', undefined, { origin: 'https://evil.example' });
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
      const evilPreflight = await open.request(null, 'OPTIONS', '/api/sale_order', undefined, {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
      });
      expect([evilPreflight.status, evilPreflight.headers.get('access-control-allow-origin')]).toEqual([405, null]);
    } finally {
      await open.close();
    }
  });
});

describe('rate limiting (RATE_LIMIT per caller and window)', () => {
  it('SEC-20 above the limit: 429 {"error"} with Retry-After; other callers and health are not affected', async () => {
    const limited = await startServer({ RATE_LIMIT: 3, RATE_LIMIT_WINDOW_MS: 60_000 });
    try {
      for (let i = 0; i < 3; i++) expect((await limited.request('demo', 'GET', '/api/crm_lead?limit=1&fields=name')).status).toBe(200);
      const refused = await limited.request('demo', 'GET', '/api/crm_lead?limit=1&fields=name');
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        error: expect.stringMatching(/^rate limit exceeded: at most 3 requests per 1 minute for this caller; retry in \d+ s$/),
      });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect((await limited.request('manager', 'GET', '/api/crm_lead?limit=1&fields=name')).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await limited.request(null, 'GET', '/api/health')).status).toBe(200);
      // Probes, metrics and GraphiQL's static files do not count either.
      for (const path of ['/readyz', '/metrics', '/graphql/assets/0/none.js'])
        expect((await limited.request('demo', 'GET', path)).status, path).not.toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('SEC-21 a GraphQL operation counts once, whatever its gateway hops; above the limit it is RATE_LIMITED (429)', async () => {
    const limited = await startServer({ RATE_LIMIT: 3 });
    try {
      const query = '{ a: records(slug: "sale_order", limit: 1) { total } b: records(slug: "crm_lead", limit: 1) { total } me { login } }';
      for (let i = 0; i < 3; i++) {
        const ok = await limited.request('admin', 'POST', '/graphql', { query });
        expect([ok.status, ok.body.errors]).toEqual([200, undefined]);
      }
      const refused = await limited.request('admin', 'POST', '/graphql', { query });
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/^rate limit exceeded/),
        extensions: { code: 'RATE_LIMITED' },
      });
    } finally {
      await limited.close();
    }
  });

  it('SEC-22 off by default', async () => {
    for (let i = 0; i < 20; i++) expect((await server.request(null, 'GET', '/api/sale_order')).status).toBe(401);
  });
});

describe('cross-site requests against the REST routes', () => {
  it('SEC-30 a form POST with the session cookie is 415 and writes nothing (bodies are JSON only)', async () => {
    const login = await rpc(server, '/web/session/authenticate', { db: 'odoo', login: 'demo', password: 'demo' });
    const cookie = sessionCookieOf(login.headers);
    const count = () => (server.backend.db.prepare("SELECT count(*) AS n FROM crm_lead WHERE name = 'CSRF lead'").get() as { n: number }).n;
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const answer = await server.request(null, 'POST', '/api/crm_lead', 'name=CSRF+lead', { 'content-type': type, cookie });
      expect(answer.status, type).toBe(415);
    }
    expect(count()).toBe(0);
  });
});
