/**
 * The first screen of `npm start`: the compiled server (`node bin/start.js`, which runs dist/main.js, as
 * spawnServer starts it) prints every URL a newcomer needs, each one answers, and the API key command it
 * prints works when pasted into the checkout, giving a key that opens the REST and GraphQL faces. A
 * server that does not serve something (BACKEND=proxy: no /docs or /openapi.json; GRAPHIQL=false;
 * METRICS=false) does not list it.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBackend } from '../src/backends/embedded/embedded-backend.js';
import { OdooBackend } from '../src/backends/odoo/odoo-backend.js';
import { testConfig } from '../src/config.js';
import { startBanner } from '../src/start-banner.js';
import { freshDataDir } from './helpers/server.js';
import { spawnServer, type SpawnedServer } from './helpers/spawn-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

interface BannerLine {
  /** The label in front (`REST`, `Swagger UI`, ...); '' on a line that goes on the one before. */
  readonly label: string;
  readonly urls: string[];
  readonly text: string;
}

/** The banner's lines after the first, with their labels and URLs. */
function bannerOf(server: SpawnedServer): BannerLine[] {
  const lines = server.output().split('\n');
  const start = lines.findIndex((line) => line.includes(`listening on ${server.url}`));
  const body: BannerLine[] = [];
  for (const line of lines.slice(start + 1)) {
    // `  Label       text`: the label is words with single spaces, then two or more spaces.
    const match = /^ {2}(\S+(?: \S+)*)?\s{2,}(.*)$/.exec(line);
    if (!match) break;
    const text = match[2]!;
    body.push({ label: match[1] ?? '', urls: text.match(/http:\/\/[^\s,()]+/g) ?? [], text });
  }
  return body;
}

const byLabel = (banner: BannerLine[], label: string) => banner.find((line) => line.label === label);
/** What a browser sends when the link is clicked. */
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

let dataDir: string;
let server: SpawnedServer;

beforeAll(async () => {
  dataDir = freshDataDir();
  server = await spawnServer({ DATA_DIR: dataDir });
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('start banner (npm start, from dist/)', () => {
  it('lists REST, GraphQL, GraphiQL, Swagger UI, OpenAPI, metrics and readiness; every URL in it answers a GET', async () => {
    const banner = bannerOf(server);
    expect(banner.map((line) => line.label).filter(Boolean)).toEqual([
      'REST',
      'GraphQL',
      'GraphiQL',
      'Swagger UI',
      'OpenAPI',
      'Metrics',
      'Readiness',
      'API key',
    ]);
    const u = server.url;
    expect(byLabel(banner, 'REST')!.urls).toEqual([`${u}/api/health`]);
    expect(banner[1]!.urls).toEqual([`${u}/api/<slug>`, `${u}/api/sale_order`]);
    expect(byLabel(banner, 'GraphQL')!.urls).toEqual([`${u}/graphql`]);
    expect(byLabel(banner, 'GraphiQL')!.urls).toEqual([`${u}/graphql`]);
    expect(byLabel(banner, 'Swagger UI')!.urls).toEqual([`${u}/docs`]);
    expect(byLabel(banner, 'OpenAPI')!.urls).toEqual([`${u}/openapi.json`]);
    expect(byLabel(banner, 'Metrics')!.urls).toEqual([`${u}/metrics`]);
    expect(byLabel(banner, 'Readiness')!.urls).toEqual([`${u}/readyz`]);

    // Each, as a browser opens it: 200, or 401 with the contract's error where a key is needed.
    const urls = [...new Set(banner.flatMap((line) => line.urls))];
    expect(urls).toHaveLength(8);
    for (const url of urls) {
      const answer = await fetch(url.replace('<slug>', 'sale_order'), { headers: BROWSER });
      const body = await answer.text();
      if (url.startsWith(`${u}/api/`) && url !== `${u}/api/health`) {
        expect(answer.status, url).toBe(401);
        expect(JSON.parse(body), url).toEqual({ error: expect.any(String) });
      } else {
        expect(answer.status, url).toBe(200);
      }
    }
    const page = async (path: string) => {
      const answer = await fetch(`${u}${path}`, { headers: BROWSER });
      return { type: answer.headers.get('content-type') ?? '', body: await answer.text() };
    };
    const graphiql = await page('/graphql');
    expect(graphiql).toMatchObject({ type: expect.stringContaining('text/html'), body: expect.stringContaining('graphiql') });
    // Its script, found through the compiled module's own location (dist/graphql/graphiql-page.js).
    const script = /<script src="([^"]+graphiql\.js)"/.exec(graphiql.body)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${u}${script}`)).status).toBe(200);
    expect(await page('/docs')).toMatchObject({ type: expect.stringContaining('text/html'), body: expect.stringContaining('swagger') });
    expect(JSON.parse((await page('/openapi.json')).body).openapi).toMatch(/^3\.1/);
    expect((await page('/metrics')).body).toContain('# TYPE');
    expect(JSON.parse((await page('/readyz')).body)).toEqual({ status: 'ready' });
  });

  it('prints an API key command that works pasted into the checkout, and the demo logins', async () => {
    const banner = bannerOf(server);
    const keyLine = byLabel(banner, 'API key')!;
    const command = /^(.*?npx odoo-graphql apikey create --login admin)\b/.exec(keyLine.text)?.[1];
    // This server's data is not in ./data, so the command names its DATA_DIR.
    expect(command).toBe(`DATA_DIR=${dataDir} npx odoo-graphql apikey create --login admin`);
    const logins = /^demo logins: (.*) \(password = login, until changed\)$/
      .exec(banner[banner.indexOf(keyLine) + 1]!.text)?.[1]
      ?.split(', ');
    expect(logins?.slice(0, 4)).toEqual(['admin', 'demo', 'manager', 'portal']);
    for (const login of logins!) {
      const session = await fetch(`${server.url}/web/session/authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { db: 'odoo', login, password: login }, id: 1 }),
      });
      expect(session.headers.get('set-cookie') ?? '', login).toMatch(/^session_id=/);
    }

    const env: NodeJS.ProcessEnv = { ...process.env, npm_config_yes: 'false' }; // npx: this checkout's own bin, never a download
    delete env.NODE_OPTIONS;
    delete env.DATA_DIR;
    const { stdout } = await run('sh', ['-c', command!], { cwd: ROOT, env });
    const key = stdout.trim();
    expect(key).toMatch(/^[0-9a-f]{40}$/);

    const rest = await fetch(`${server.url}/api/sale_order?limit=1`, { headers: { authorization: `Bearer ${key}` } });
    expect(rest.status).toBe(200);
    const graphql = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { login } }' }),
    });
    expect(await graphql.json()).toEqual({ data: { me: { login: 'admin' } } });
  }, 60_000);

  it('BACKEND=proxy with GRAPHIQL=false and METRICS=false lists only what it serves', async () => {
    const proxy = await spawnServer({ BACKEND: 'proxy', UPSTREAM_URL: server.url, GRAPHIQL: 'false', METRICS: 'false' });
    try {
      const banner = bannerOf(proxy);
      expect(banner.map((line) => line.label).filter(Boolean)).toEqual(['REST', 'GraphQL', 'Readiness', 'API key', 'Typed API']);
      // Without GRAPHQL_SCHEMA_AUTHORIZATION the typed part comes from the demo models: said, not left to a log line.
      expect(byLabel(banner, 'Typed API')!.text).toMatch(/^WARNING: typed from the demo models .*not from the upstream's own fields/);
      expect(proxy.output()).toContain('set GRAPHQL_SCHEMA_AUTHORIZATION (an Authorization value');
      expect(proxy.output()).toContain(`listening on ${proxy.url} (backend: proxy to ${server.url})`);
      expect(byLabel(banner, 'API key')!.text).toContain('one that the upstream accepts');
      const urls = [...new Set(banner.flatMap((line) => line.urls))];
      expect(urls).toEqual([`${proxy.url}/api/health`, `${proxy.url}/api/<slug>`, `${proxy.url}/graphql`, `${proxy.url}/readyz`]);
      expect((await fetch(`${proxy.url}/api/health`)).status).toBe(200);
      expect((await fetch(`${proxy.url}/api/sale_order`)).status).toBe(401);
      expect((await fetch(`${proxy.url}/readyz`)).status).toBe(200);
      // What it leaves out is indeed not served here.
      for (const path of ['/docs', '/openapi.json', '/metrics']) expect((await fetch(`${proxy.url}${path}`)).status, path).toBe(404);
      const graphiql = await fetch(`${proxy.url}/graphql`, { headers: BROWSER });
      expect(graphiql.headers.get('content-type') ?? '').not.toContain('text/html');
      // Its typed schema comes from schema/typed/models.graphql, found relative to dist/graphql/typed/:
      // saleOrderList is a field (asked without a key: UNAUTHENTICATED, not a validation error).
      const typed = await fetch(`${proxy.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ saleOrderList(limit: 1) { total } }' }),
      });
      expect(((await typed.json()) as { errors: Array<{ extensions: { code: string } }> }).errors.map((e) => e.extensions.code)).toEqual([
        'UNAUTHENTICATED',
      ]);
    } finally {
      await proxy.stop();
    }
  }, 60_000);
});

describe('start banner: /metrics beyond loopback', () => {
  it('lists /metrics only where it is served: not beyond loopback without METRICS_TOKEN, with the token named when set', async () => {
    const backend = new EmbeddedBackend({ dataDir: ':memory:', dbName: 'odoo', demo: false });
    try {
      const labels = (values: Record<string, string>) =>
        startBanner(testConfig({ ALLOW_DEMO_PASSWORDS: 'true', ...values }), backend, 'http://192.0.2.1:4000').filter((line) =>
          line.includes('/metrics'),
        );
      expect(labels({ HOST: '127.0.0.1' })).toHaveLength(1);
      expect(labels({ HOST: '0.0.0.0' })).toEqual([]);
      const withToken = labels({ HOST: '0.0.0.0', METRICS_TOKEN: 'a-long-enough-metrics-token' });
      expect(withToken).toHaveLength(1);
      expect(withToken[0]).toContain('Authorization: Bearer <METRICS_TOKEN>');
    } finally {
      await backend.close();
    }
  });
});

describe('start banner: what each data source says of itself', () => {
  it('BACKEND=odoo: the Odoo it calls, API keys made in Odoo, and the typed schema read from the demo models until told whom to read it as', async () => {
    const config = testConfig({ BACKEND: 'odoo', ODOO_URL: 'http://odoo.example:8069', ODOO_DB: 'prod' });
    const backend = new OdooBackend({ url: config.BACKEND === 'odoo' ? config.ODOO_URL : '', db: 'prod' });
    try {
      const lines = startBanner(config, backend, 'http://127.0.0.1:4000');
      expect(lines[0]).toBe('odoo-graphql-facade listening on http://127.0.0.1:4000 (backend: odoo at http://odoo.example:8069)');
      expect(lines).toContain('  API key     create one in Odoo: Preferences > Account Security > New API Key');
      expect(lines.find((line) => line.includes('/api/<slug>'))).not.toContain('e.g.');
      expect(lines.some((line) => line.includes('Swagger UI'))).toBe(true);
      expect(lines.find((line) => line.startsWith('  Typed API'))).toContain("not from the Odoo's own fields");
      const told = startBanner(
        testConfig({ BACKEND: 'odoo', ODOO_URL: 'http://odoo.example:8069', ODOO_DB: 'prod', GRAPHQL_SCHEMA_AUTHORIZATION: 'Basic eDp5' }),
        backend,
        'http://127.0.0.1:4000',
      );
      expect(told.some((line) => line.includes('Typed API'))).toBe(false);
    } finally {
      await backend.close();
    }
  });

  it('the embedded store: its data folder, the CLI command for it, and its demo logins unless it was created without demo data', async () => {
    const backend = new EmbeddedBackend({ dataDir: ':memory:', dbName: 'odoo', demo: false });
    try {
      const lines = startBanner(testConfig({ DEMO_DATA: 'false' }), backend, 'http://127.0.0.1:4000');
      expect(lines[0]).toBe('odoo-graphql-facade listening on http://127.0.0.1:4000 (backend: embedded, data in :memory:)');
      expect(lines).toContain(
        '  API key     DATA_DIR=:memory: npx odoo-graphql apikey create --login admin   (prints the key once; send it as Authorization: Bearer <key>)',
      );
      expect(lines.some((line) => line.includes('demo logins'))).toBe(false);
      expect(lines.some((line) => line.includes('Typed API'))).toBe(false);
    } finally {
      await backend.close();
    }
  });
});
