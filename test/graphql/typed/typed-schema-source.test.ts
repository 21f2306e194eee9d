/**
 * Where the typed schema comes from when the backend cannot say itself: BACKEND=proxy reads the
 * upstream's `GET /api/<slug>/fields` as GRAPHQL_SCHEMA_AUTHORIZATION, and falls back to the checked-in
 * SDL (schema/typed/models.graphql) when the upstream has no such route or no identity is configured;
 * BACKEND=odoo without an identity uses the fallback too. Real servers on 127.0.0.1 port 0.
 */
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import { testConfig } from '../../../src/config.js';
import { TYPED_FALLBACK_FILE } from '../../../src/graphql/typed/typed-sdl-source.js';
import { freshDataDir } from '../../helpers/server.js';
import { useServer } from '../../helpers/use-server.js';

const upstream = useServer();
let bare: Server;
let bareUrl: string;
const apps: App[] = [];

beforeAll(async () => {
  // An upstream without the extension: every path is "no route" (404), like a gateway that predates it.
  bare = createServer((_request, response) => response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no route"}'));
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const app of apps) await app.close();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
  await new Promise((resolve) => bare?.close(resolve));
});

async function start(values: Record<string, string>): Promise<{ app: App; url: string }> {
  const app = await createApp(testConfig({ LOG_LEVEL: 'silent', ...values }));
  apps.push(app);
  return { app, url: await app.server.listen({ host: '127.0.0.1', port: 0 }) };
}

const QUERY = `{ saleOrderList(limit: 5, order: "id") { results { id name partnerRecord { name } orderLineRecords { productRecord { name } } } } }`;

async function ask(url: string, login: string, query: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${upstream.key(login)}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

describe('typed schema source', () => {
  it("TS-01 BACKEND=proxy with an identity reads the upstream's field metadata: the same typed schema as the upstream's", async () => {
    const proxy = await start({
      BACKEND: 'proxy',
      UPSTREAM_URL: upstream.url,
      GRAPHQL_SCHEMA_AUTHORIZATION: `Bearer ${upstream.key('admin')}`,
    });
    // Read on first use (the REST face answers once the server is up), then kept.
    const answer = await ask(proxy.url, 'demo', QUERY);
    expect(answer.errors).toBeUndefined();
    expect(answer).toEqual(await ask(upstream.url, 'demo', QUERY));
    const typed = await proxy.app.typedSchema.sdl();
    expect(typed.origin).toBe('gateway');
    expect(typed.sdl).toBe((await upstream.app.typedSchema.sdl()).sdl);
  });

  it('TS-02 BACKEND=proxy whose upstream has no /api/<slug>/fields route: the checked-in SDL', async () => {
    const proxy = await start({ BACKEND: 'proxy', UPSTREAM_URL: bareUrl, GRAPHQL_SCHEMA_AUTHORIZATION: 'Bearer whatever' });
    const typed = await proxy.app.typedSchema.sdl();
    expect(typed.origin).toBe('fallback');
    expect(typed.note).toMatch(/no \/api\/<slug>\/fields route/);
    expect(typed.sdl).toBe(readFileSync(TYPED_FALLBACK_FILE, 'utf8'));
    // The schema is there: a typed query is served (and the upstream answers what it answers, 404 here).
    const answer = await ask(proxy.url, 'demo', '{ saleOrder(id: 1) { id } }');
    expect(answer.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
  });

  it('TS-03 BACKEND=proxy without an identity: the checked-in SDL at start, and typed queries through it work', async () => {
    const proxy = await start({ BACKEND: 'proxy', UPSTREAM_URL: upstream.url });
    expect((await proxy.app.typedSchema.sdl()).origin).toBe('fallback');
    const answer = await ask(proxy.url, 'demo', QUERY);
    expect(answer.errors).toBeUndefined();
    expect(answer).toEqual(await ask(upstream.url, 'demo', QUERY));
  });

  it('TS-04 BACKEND=odoo without an identity: the checked-in SDL, and nothing is asked of Odoo at start', async () => {
    const odoo = await createApp(testConfig({ BACKEND: 'odoo', ODOO_URL: 'http://127.0.0.1:9', ODOO_DB: 'odoo', LOG_LEVEL: 'silent' }));
    apps.push(odoo);
    expect((await odoo.typedSchema.sdl()).origin).toBe('fallback');
  });

  it('TS-05 GRAPHQL_MODELS chooses the models (embedded): only those types, relations only between them', async () => {
    const dataDir = freshDataDir();
    const { app } = await start({ DATA_DIR: dataDir, GRAPHQL_MODELS: 'sale.order, res.partner' });
    const { sdl, origin } = await app.typedSchema.sdl();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    expect(origin).toBe('backend');
    expect([...sdl.matchAll(/^type (\w+) @odooModel/gm)].map((m) => m[1])).toEqual(['SaleOrder', 'ResPartner']);
    expect(sdl).toContain('partnerRecord: ResPartner');
    expect(sdl).not.toContain('orderLineRecords');
    expect(() => testConfig({ GRAPHQL_MODELS: 'sale order' })).toThrow(/GRAPHQL_MODELS/);
  });
});
