/**
 * The GraphiQL page without a browser (test/e2e/graphiql.test.ts drives a real one): served from this
 * process with the example query and the Headers tab open, its assets same-origin and cacheable, nothing
 * loaded from a CDN, and none of it with GRAPHIQL=false. Whether headers are kept is the user's choice
 * (issue 16): the page leaves it to GraphiQL's Persist headers setting and says so above the editor.
 */
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { graphiqlAssetsPath, renderGraphiQLPage } from '../../src/graphql/graphiql-page.js';
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
    });
    // Not set: keeping headers is the user's choice in GraphiQL's Settings (off until they turn it on).
    expect(options).not.toHaveProperty('shouldPersistHeaders');
    expect(GRAPHIQL_DEFAULT_QUERY).toContain('{"Authorization": "Bearer <API key>"}');
  });

  it('GI-04 above GraphiQL a note says headers are not kept and how to keep them for the browser tab', async () => {
    const html = await (await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } })).text();
    const note = /<p id="graphiql-headers-note" role="note">(.*?)<\/p>/s.exec(html)?.[1] ?? '';
    expect(note).toContain(
      '<span data-when="off">Headers are not kept: a reload or a new tab starts without them. To keep them in this browser tab, turn on Persist headers in Settings',
    );
    expect(note).toContain('they hold your API key.');
    // The other half, shown by the page's script once the setting is on.
    expect(note).toContain('<span data-when="on" hidden>Headers are kept in this browser tab (sessionStorage)');
    expect(html.indexOf('id="graphiql-headers-note"')).toBeLessThan(html.indexOf('<div id="root">'));
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
    // GraphiQL's storage is the page's: this tab's sessionStorage, localStorage without headers.
    expect(script).toContain('options.storage = {');
    expect((await fetch(`${server.url}${assets}/nope.js`)).status).toBe(404);
    // The server reads the bundle's file rather than importing it (src/graphql/graphiql-page.ts, readBundle):
    // what it serves is byte for byte what the module exports.
    const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
    for (const [name, text] of [
      ['graphiql.css', bundle.css],
      ['editor.worker.js', bundle.editorWorkerService],
      ['json.worker.js', bundle.jsonWorker],
      ['graphql.worker.js', bundle.graphqlWorker],
    ] as const) {
      const served = await (await fetch(`${server.url}${assets}/${name}`, { headers: { 'accept-encoding': 'identity' } })).text();
      expect(served === text, `${name} is the bundle's own`).toBe(true);
    }
    expect(script.includes(bundle.js), "graphiql.js holds the bundle's script whole").toBe(true);
  });
});

describe('renderGraphiQLPage', () => {
  it('GI-05 with shouldPersistHeaders: false (GraphiQL hides its setting) the note says headers are not kept, and nothing of the setting', () => {
    const html = renderGraphiQLPage('/graphql/assets/x', { shouldPersistHeaders: false });
    expect(html).toContain('<span data-when="off">Headers are not kept: a reload or a new tab starts without them.</span>');
    expect(html).not.toContain('turn on Persist headers');
    expect(html).toContain('"shouldPersistHeaders":false');
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
