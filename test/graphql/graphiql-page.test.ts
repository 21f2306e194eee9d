/**
 * The GraphiQL page without a browser (test/e2e/graphiql.test.ts drives a real one): served from this
 * process with the example query and the Headers tab open, its assets same-origin and cacheable, nothing
 * loaded from a CDN, and none of it with GRAPHIQL=false.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { graphiqlAssetsPath } from '../../src/graphql/graphiql-page.js';
import { GRAPHIQL_DEFAULT_QUERY } from '../../src/graphql/operations.js';
import { startServer } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';

const assets = graphiqlAssetsPath('/graphql');

describe('GraphiQL page', () => {
  const server = useServer();

  it('GI-01 a browser GET of /graphql gets the page: example query, Headers tab open, assets of this origin only', async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain(`<script src="${assets}/graphiql.js"></script>`);
    const options = JSON.parse(/<script id="graphiql-options" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(options).toMatchObject({
      defaultQuery: GRAPHIQL_DEFAULT_QUERY,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: 'headers',
      shouldPersistHeaders: false,
    });
    expect(GRAPHIQL_DEFAULT_QUERY).toContain('{"Authorization": "Bearer <API key>"}');
  });

  it('GI-02 serves the GraphiQL bundle, workers, stylesheet and icon, cached for good and gzipped on request', async () => {
    for (const [name, type] of [
      ['graphiql.js', 'text/javascript'],
      ['graphiql.css', 'text/css'],
      ['editor.worker.js', 'text/javascript'],
      ['json.worker.js', 'text/javascript'],
      ['graphql.worker.js', 'text/javascript'],
      ['favicon.ico', 'image/'],
    ] as const) {
      const response = await fetch(`${server.url}${assets}/${name}`, { headers: { 'accept-encoding': 'identity' } });
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-type'), name).toContain(type);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await response.arrayBuffer()).byteLength, name).toBeGreaterThan(1000);
    }
    const { request } = await import('undici');
    const gzipped = await request(`${server.url}${assets}/graphiql.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    const script = gunzipSync(Buffer.from(await gzipped.body.arrayBuffer())).toString('utf8');
    expect(script).toContain('MonacoEnvironment');
    expect(script).toContain("getElementById('graphiql-options')");
    expect((await fetch(`${server.url}${assets}/nope.js`)).status).toBe(404);
  });
});

describe('GRAPHIQL=false', () => {
  it('GI-03 serves neither the page nor its assets', async () => {
    const server = await startServer({ GRAPHIQL: false });
    try {
      const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('graphiql-options');
      expect((await fetch(`${server.url}${assets}/graphiql.js`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
