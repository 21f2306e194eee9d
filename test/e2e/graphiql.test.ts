/**
 * GraphiQL in a real browser: Debian's Chromium, driven by playwright-core (which never downloads a
 * browser of its own), opens /graphql on a fresh demo server, finds the example query in the editor,
 * puts an API key in the Headers tab, runs the query and reads the orders in the rendered result. A
 * screenshot of the result goes to test/artifacts/graphiql.png (ignored by git). Swagger UI at /docs is
 * opened the same way (test/artifacts/docs.png). Then what GraphiQL does with the headers (issue 16): by
 * default a reload forgets them and the note above GraphiQL says so; with its Persist headers setting on,
 * a new tab and a reload keep them, in the browser tab's sessionStorage only.
 * Needs /usr/bin/chromium (`apt-get install -y chromium`; .ci/run installs it); skipped without it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../helpers/use-server.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
if (!available)
  console.warn(`test/e2e/graphiql.test.ts skipped: ${CHROMIUM} is missing; install it with 'apt-get install -y chromium' (Debian)`);

/** The text a person sees in an element (Monaco editors render their lines as text). */
const text = async (page: Page, selector: string) => (await page.locator(selector).first().innerText()).replace(/\u00a0/g, ' ');

/** The editor of the Headers tab (open at start), and the note above GraphiQL on keeping headers. */
const HEADERS = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';
const NOTE = '#graphiql-headers-note';

/** GraphiQL's storage of this page, session and local, as text (to look for a key in). */
const storage = (page: Page) =>
  page.evaluate(() => ({ session: JSON.stringify({ ...sessionStorage }), local: JSON.stringify({ ...localStorage }) }));

/** Opens GraphiQL in a page of its own (a browser tab: its own sessionStorage) and waits for its editors. */
async function openGraphiQL(browser: BrowserContext, url: string): Promise<{ page: Page; failures: string[] }> {
  const page = await browser.newPage();
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  await page.goto(`${url}/graphql`);
  await page.locator(`${HEADERS} .view-lines`).waitFor({ timeout: 20_000 });
  return { page, failures };
}

/** Types into the Headers tab's editor, replacing what it holds. */
async function typeHeaders(page: Page, headers: string): Promise<void> {
  await page.locator(HEADERS).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(headers);
}

/** Reloads the page and waits for GraphiQL's editors again. */
async function reload(page: Page): Promise<void> {
  await page.reload();
  await page.locator(`${HEADERS} .view-lines`).waitFor({ timeout: 20_000 });
}

describe.skipIf(!available)(`GraphiQL in Chromium${available ? '' : ` (skipped: no ${CHROMIUM}; apt-get install -y chromium)`}`, () => {
  const server = useServer();
  let profile: string;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'ogf-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('E2E-01 runs the example records query with a Bearer key from the Headers tab and renders the orders', async () => {
    const outside: string[] = [];
    const failures: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !/^(data|blob):/.test(request.url())) outside.push(request.url());
    });
    page.on('pageerror', (error) => failures.push(error.message));

    await page.goto(`${server.url}/graphql`);
    // The example query is the first tab, named after its operation.
    await expect.poll(() => text(page, '.graphiql-tab-active'), { timeout: 20_000 }).toBe('ConfirmedOrders');
    expect(await text(page, '.graphiql-query-editor')).toContain('records(slug');

    // The Headers tab is open at start: type the key into its editor.
    const key = server.key('demo');
    await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)').click();
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${key}` }));
    await page.keyboard.press('Home'); // so the screenshot shows the line from its start

    const answered = page.waitForResponse(
      (response) => response.url() === `${server.url}/graphql` && (response.request().postData() ?? '').includes('ConfirmedOrders'),
    );
    await page.locator('.graphiql-execute-button').click();
    const response = await answered;
    expect(response.request().headers().authorization).toBe(`Bearer ${key}`);
    expect(response.status()).toBe(200);

    // The orders GraphiQL shows are those REST gives the same user.
    const rest = await server.request(
      'demo',
      'GET',
      `/api/sale_order?domain=${encodeURIComponent("[('state', '=', 'sale')]")}&fields=name&limit=5`,
    );
    const first = rest.body.results[0].name as string;
    expect(first).toMatch(/^S\d{5}$/);
    await expect.poll(() => text(page, '.result-window'), { timeout: 15_000 }).toContain(`"name": "${first}"`);
    const result = await text(page, '.result-window');
    expect(result).toContain('"login": "demo"');
    expect(result).toContain(`"total": ${rest.body.total}`);

    // The key stays in the page: GraphiQL keeps tabs and queries in storage, but not the headers (by default).
    const kept = await storage(page);
    expect(kept.local).toContain('graphiql:tabState');
    expect(kept.local + kept.session).not.toContain(key);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql.png') });
    expect(failures).toEqual([]);
    // Everything GraphiQL needs comes from this server: nothing is fetched from a CDN.
    expect(outside).toEqual([]);
  }, 60_000);

  it('E2E-02 with a key in the Headers tab GraphiQL gets the schema (anonymous, it is refused); its editor workers underline an unknown field and suggest fields', async () => {
    const editor = await browser.newPage();
    const failures: string[] = [];
    editor.on('pageerror', (error) => failures.push(error.message));
    // GraphiQL's introspection requests: who sent them, and what came back.
    const introspections: Array<Promise<{ authorization: string | undefined; code: unknown; schema: boolean }>> = [];
    editor.on('response', (response) => {
      if (response.url() !== `${server.url}/graphql` || !(response.request().postData() ?? '').includes('__schema')) return;
      introspections.push(
        response.json().then((body: { data?: { __schema?: unknown }; errors?: Array<{ extensions?: { code?: unknown } }> }) => ({
          authorization: response.request().headers().authorization,
          code: body.errors?.[0]?.extensions?.code,
          schema: body.data?.__schema !== undefined,
        })),
      );
    });
    await editor.goto(`${server.url}/graphql`);
    // Anonymous (GRAPHQL_INTROSPECTION=authenticated, the default): no schema.
    await expect.poll(() => introspections.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await introspections[0]).toEqual({ authorization: undefined, code: 'INTROSPECTION_DISABLED', schema: false });
    // The key in the Headers tab, then "Re-fetch GraphQL schema": the introspection carries it.
    const key = server.key('demo');
    await editor.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)').click({ timeout: 20_000 });
    await editor.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${key}` }));
    await editor.getByRole('button', { name: /Re-fetch GraphQL schema/ }).click();
    await expect
      .poll(async () => (await Promise.all(introspections)).some((i) => i.schema && i.authorization === `Bearer ${key}`), {
        timeout: 15_000,
      })
      .toBe(true);
    await editor.locator('.graphiql-query-editor .monaco-editor').click({ timeout: 20_000 });
    await editor.keyboard.press('Control+A');
    await editor.keyboard.insertText('{ nope records(slug: "sale_order") { tota');
    // Diagnostics and completion come from the GraphQL worker, served beside graphiql.js.
    await expect.poll(() => editor.locator('.graphiql-query-editor .squiggly-error').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await editor.keyboard.press('Control+Space');
    await expect.poll(() => text(editor, '.suggest-widget').catch(() => ''), { timeout: 15_000 }).toContain('total');
    await editor.close();
    expect(failures).toEqual([]);
  }, 60_000);

  it('E2E-03 Swagger UI at /docs renders the REST routes from /openapi.json, all from this server', async () => {
    const outside: string[] = [];
    const failures: string[] = [];
    const docs = await browser.newPage();
    docs.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !/^(data|blob):/.test(request.url())) outside.push(request.url());
    });
    docs.on('pageerror', (error) => failures.push(error.message));
    await docs.goto(`${server.url}/docs`);
    await docs.locator('.opblock-summary-path').first().waitFor({ timeout: 20_000 });
    const paths = await docs.locator('.opblock-summary-path').allInnerTexts();
    expect(paths.map((p) => p.replace(/\u200b/g, ''))).toEqual(
      expect.arrayContaining(['/api/{slug}', '/api/{slug}/{id}', '/web/session/authenticate']),
    );
    expect(await docs.locator('.info .title').innerText()).toContain('odoo-graphql-facade REST API');
    await docs.screenshot({ path: join(ARTIFACTS, 'docs.png') });
    await docs.close();
    expect(failures).toEqual([]);
    expect(outside).toEqual([]);
  }, 60_000);

  it('E2E-04 by default a reload forgets the headers, and the note above GraphiQL says so and how to keep them', async () => {
    const { page: graphiql, failures } = await openGraphiQL(browser, server.url);
    await expect.poll(() => graphiql.locator(NOTE).getAttribute('data-persist')).toBe('off');
    expect(await text(graphiql, NOTE)).toBe(
      'Headers are not kept: a reload or a new tab starts without them. To keep them in this browser tab, turn on Persist headers in Settings (gear, lower left); they hold your API key.',
    );
    const key = server.key('demo');
    await typeHeaders(graphiql, JSON.stringify({ Authorization: `Bearer ${key}` }));
    await expect.poll(() => text(graphiql, HEADERS)).toContain(key);

    await reload(graphiql);
    expect(await text(graphiql, HEADERS)).not.toContain(key);
    const kept = await storage(graphiql);
    expect(kept.session + kept.local).not.toContain(key);
    expect(await graphiql.locator(NOTE).getAttribute('data-persist')).toBe('off');
    expect(await text(graphiql, NOTE)).toContain('Headers are not kept');
    await graphiql.close();
    expect(failures).toEqual([]);
  }, 60_000);

  it('E2E-05 with Persist headers on, a new tab starts with the headers and a reload keeps them (sessionStorage only); a query then succeeds', async () => {
    const { page: graphiql, failures } = await openGraphiQL(browser, server.url);
    // The user opts in: GraphiQL's Settings dialog, Persist headers: On.
    await graphiql.getByRole('button', { name: 'Open settings dialog' }).click();
    await graphiql.locator('#enable-persist-headers').click();
    await graphiql.keyboard.press('Escape');
    await graphiql.locator('#enable-persist-headers').waitFor({ state: 'detached' });
    await expect.poll(() => graphiql.locator(NOTE).getAttribute('data-persist')).toBe('on');
    expect(await text(graphiql, NOTE)).toBe(
      'Headers are kept in this browser tab (sessionStorage), through reloads and new tabs, until it closes; Persist headers in Settings (gear, lower left) stops it.',
    );

    const key = server.key('demo');
    await typeHeaders(graphiql, JSON.stringify({ Authorization: `Bearer ${key}` }));
    const tabs = await graphiql.locator('.graphiql-tab').count();
    await graphiql.getByRole('button', { name: 'New tab' }).click();
    await expect.poll(() => graphiql.locator('.graphiql-tab').count()).toBe(tabs + 1);
    expect(await text(graphiql, '.graphiql-tab-active')).toBe('<untitled>');
    // The new tab starts with the headers of the tab it was opened from.
    await expect.poll(() => text(graphiql, HEADERS), { timeout: 10_000 }).toContain(`Bearer ${key}`);
    // Kept in this browser tab's sessionStorage, for both GraphiQL tabs; never in localStorage.
    const tabHeaders = () =>
      graphiql.evaluate(() =>
        (JSON.parse(sessionStorage.getItem('graphiql:tabState') ?? '{"tabs": []}') as { tabs: Array<{ headers: string | null }> }).tabs.map(
          (tab) => tab.headers ?? '',
        ),
      );
    await expect.poll(async () => (await tabHeaders()).filter((h) => h.includes(key)).length, { timeout: 10_000 }).toBe(2);
    expect((await storage(graphiql)).local).not.toContain(key);

    await reload(graphiql);
    expect(await graphiql.locator('.graphiql-tab').count()).toBe(tabs + 1);
    expect(await text(graphiql, '.graphiql-tab-active')).toBe('<untitled>');
    await expect.poll(() => text(graphiql, HEADERS)).toContain(`Bearer ${key}`);
    expect(await graphiql.locator(NOTE).getAttribute('data-persist')).toBe('on');

    // A query in the new tab goes with the kept key.
    await graphiql.locator('.graphiql-query-editor .monaco-editor').click();
    await graphiql.keyboard.press('Control+A');
    await graphiql.keyboard.insertText('query KeptKey { me { login } }');
    const answered = graphiql.waitForResponse(
      (response) => response.url() === `${server.url}/graphql` && (response.request().postData() ?? '').includes('KeptKey'),
    );
    await graphiql.locator('.graphiql-execute-button').click();
    const response = await answered;
    expect(response.request().headers().authorization).toBe(`Bearer ${key}`);
    expect(await response.json()).toEqual({ data: { me: { login: 'demo' } } });
    await expect.poll(() => text(graphiql, '.result-window'), { timeout: 15_000 }).toContain('"login": "demo"');
    expect((await storage(graphiql)).local).not.toContain(key);

    // Off again: the tab's storage lets the key go, and the note says headers are not kept.
    await graphiql.getByRole('button', { name: 'Open settings dialog' }).click();
    await graphiql.locator('#disable-persist-headers').click();
    await graphiql.keyboard.press('Escape');
    await expect.poll(() => graphiql.locator(NOTE).getAttribute('data-persist')).toBe('off');
    await expect.poll(async () => Object.values(await storage(graphiql)).join(''), { timeout: 10_000 }).not.toContain(key);
    await graphiql.close();
    expect(failures).toEqual([]);
  }, 90_000);
});
