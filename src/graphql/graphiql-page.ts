/**
 * GraphiQL served by this process itself. yoga's own page loads GraphiQL from a CDN (unpkg.com), which a
 * machine without internet access cannot reach and a `script-src 'self'` policy refuses; here the same
 * build (@graphql-yoga/render-graphiql, the one yoga ships for self-hosting) is served from
 * `<endpoint>/assets/<version>/...`: same origin, no inline script, cached for good (the version is in
 * the path), gzipped for clients that accept it. The page's options travel as a JSON data block.
 * The 9 MB bundle is loaded on the first request for it, so a server nobody opens GraphiQL on never
 * holds it.
 */
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GraphiQLOptions } from 'graphql-yoga';

const RENDER_GRAPHIQL_VERSION = (createRequire(import.meta.url)('@graphql-yoga/render-graphiql/package.json') as { version: string })
  .version;

interface Asset {
  readonly type: string;
  readonly body: Buffer;
  gzipped?: Promise<Buffer>;
}

/** The GraphiQL bundle's pieces under their URL names. */
async function loadAssets(): Promise<ReadonlyMap<string, Asset>> {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const js = (text: string): Asset => ({ type: 'text/javascript; charset=utf-8', body: Buffer.from(text) });
  const favicon = /^data:([^;,]+);base64,(.*)$/s.exec(bundle.favicon);
  return new Map<string, Asset>([
    // Monaco asks MonacoEnvironment for its workers' URLs; they sit beside this script.
    [
      'graphiql.js',
      js(`(function () {
  var base = document.currentScript.src.replace(/[^/]*$/, '');
  var workers = { editorWorkerService: 'editor.worker.js', json: 'json.worker.js', graphql: 'graphql.worker.js' };
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: function (_moduleId, label) { return base + workers[label]; } };
})();
${bundle.js};
YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), JSON.parse(document.getElementById('graphiql-options').textContent));
`),
    ],
    ['graphiql.css', { type: 'text/css; charset=utf-8', body: Buffer.from(bundle.css) }],
    ['editor.worker.js', js(bundle.editorWorkerService)],
    ['json.worker.js', js(bundle.jsonWorker)],
    ['graphql.worker.js', js(bundle.graphqlWorker)],
    ...(favicon ? [['favicon.ico', { type: favicon[1]!, body: Buffer.from(favicon[2]!, 'base64') }] as const] : []),
  ]);
}

/** Where the assets are served: `/graphql/assets/5.24.1`. */
export function graphiqlAssetsPath(endpoint: string): string {
  return `${endpoint}/assets/${RENDER_GRAPHIQL_VERSION}`;
}

const gzipAsync = promisify(gzip);

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The GraphiQL page (yoga's `renderGraphiQL`): markup, one stylesheet, one script, the options as JSON. */
export function renderGraphiQLPage(assetsPath: string, options: GraphiQLOptions): string {
  // `<` escaped, so no value can close the data block early.
  const json = JSON.stringify(options).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${assetsPath}/favicon.ico" />
    <link rel="stylesheet" href="${assetsPath}/graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root"></div>
    <script id="graphiql-options" type="application/json">${json}</script>
    <script src="${assetsPath}/graphiql.js"></script>
  </body>
</html>
`;
}

/** Serves the assets under `graphiqlAssetsPath(endpoint)`; other names there are 404. */
export function registerGraphiQLAssets(app: FastifyInstance, endpoint: string): void {
  let assets: Promise<ReadonlyMap<string, Asset>> | undefined;
  app.get<{ Params: { name: string } }>(
    `${graphiqlAssetsPath(endpoint)}/:name`,
    async (request: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) => {
      assets ??= loadAssets();
      const asset = (await assets).get(request.params.name);
      if (!asset) return reply.code(404).send({ error: `no GraphiQL asset '${request.params.name.slice(0, 60)}'` });
      reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding');
      if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
        asset.gzipped ??= gzipAsync(asset.body);
        return reply.header('content-encoding', 'gzip').send(await asset.gzipped);
      }
      return reply.send(asset.body);
    },
  );
}
