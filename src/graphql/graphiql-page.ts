/**
 * GraphiQL served by this process itself. yoga's own page loads GraphiQL from a CDN (unpkg.com), which a
 * machine without internet access cannot reach and a `script-src 'self'` policy refuses; here the same
 * build (@graphql-yoga/render-graphiql, the one yoga ships for self-hosting) is served from
 * `<endpoint>/assets/<version>/...`: same origin, no inline script, cached for good (the version is in
 * the path), gzipped for clients that accept it. The page's options travel as a JSON data block.
 * The 9 MB bundle is read on the first request for it, so a server nobody opens GraphiQL on never
 * holds it; one that served it holds its pieces as bytes only (about 12 MB with their gzipped copies),
 * not the bundle's module (see readBundle).
 *
 * Headers (issue 16). They hold the caller's API key, so by default GraphiQL keeps them only while the
 * page is open, and a note above it says so. GraphiQL's own Settings toggle, Persist headers, is the
 * user's opt-in: from then on this browser tab keeps them through reloads, and a new GraphiQL tab starts
 * with the headers of the tab it was opened from. GraphiQL's state lives in the tab's sessionStorage,
 * so a kept key goes when the tab closes; localStorage keeps the rest of it (tabs, queries) for the next
 * tab, never headers.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GraphiQLOptions } from 'graphql-yoga';

const requireHere = createRequire(import.meta.url);
const RENDER_GRAPHIQL_PACKAGE = requireHere.resolve('@graphql-yoga/render-graphiql/package.json');
const RENDER_GRAPHIQL_VERSION = (requireHere(RENDER_GRAPHIQL_PACKAGE) as { version: string }).version;
/** The module `@graphql-yoga/render-graphiql/graphiql` (its `import` entry): the bundle's pieces as strings. */
const BUNDLE_FILE = join(dirname(RENDER_GRAPHIQL_PACKAGE), 'esm', 'graphiql.js');

type Bundle = typeof import('@graphql-yoga/render-graphiql/graphiql');
const BUNDLE_PIECES = ['js', 'css', 'favicon', 'editorWorkerService', 'jsonWorker', 'graphqlWorker'] as const;

interface Asset {
  readonly type: string;
  readonly body: Buffer;
  gzipped?: Promise<Buffer>;
}

/**
 * Runs in the browser after the bundle (plain ES5, as the bundle's own page script): renders GraphiQL
 * with the page's options and what JSON cannot carry (its `storage`, two callbacks), and keeps the
 * headers note in step with GraphiQL's Persist headers setting.
 */
const START_GRAPHIQL = `(function () {
  var options = JSON.parse(document.getElementById('graphiql-options').textContent);
  var PERSIST = 'graphiql:shouldPersistHeaders';
  // The headers, and whether to keep them: in this tab's sessionStorage only.
  var SESSION_ONLY = ['graphiql:headers', PERSIST];
  // JSON that holds headers (tabs; history, if a plugin keeps one): copied to localStorage without them.
  var WITH_HEADERS = ['graphiql:tabState', 'graphiql:queries', 'graphiql:favorites'];
  function withoutHeaders(value) {
    try {
      return JSON.stringify(JSON.parse(value), function (key, v) { return key === 'headers' ? null : v; });
    } catch (e) {
      return value;
    }
  }
  function keys(area) {
    return Object.keys(area).filter(function (key) { return key.indexOf('graphiql:') === 0; });
  }
  // yoga's page keeps headers unless told. Unless the page's options say, it is the user's choice:
  // GraphiQL's own default (undefined) is off with its toggle shown; true once they chose it, since only
  // then does GraphiQL match the tabs it restores against the kept headers (else it adds a tab).
  if (!('shouldPersistHeaders' in options)) options.shouldPersistHeaders = sessionStorage.getItem(PERSIST) === 'true' || undefined;
  // As GraphiQL decides it: the user's choice, unless the page's option is false.
  function persisting() {
    var chosen = sessionStorage.getItem(PERSIST);
    return options.shouldPersistHeaders !== false && chosen !== null ? chosen === 'true' : options.shouldPersistHeaders === true;
  }
  var note = document.getElementById('graphiql-headers-note');
  function showNote() {
    var on = persisting();
    note.setAttribute('data-persist', on ? 'on' : 'off');
    note.querySelector('[data-when="on"]').hidden = !on;
    note.querySelector('[data-when="off"]').hidden = on;
  }
  // GraphiQL's storage (the Web Storage interface): all of it in this tab's sessionStorage, read first;
  // the same without headers in localStorage, where the next tab starts from.
  options.storage = {
    getItem: function (key) {
      var value = sessionStorage.getItem(key);
      return value !== null || SESSION_ONLY.indexOf(key) >= 0 ? value : localStorage.getItem(key);
    },
    setItem: function (key, value) {
      var holdsHeaders = WITH_HEADERS.indexOf(key) >= 0;
      // Headers not kept: none in this tab's storage either, whatever GraphiQL writes (a write it had
      // scheduled before the user turned keeping off can come after it cleared them).
      sessionStorage.setItem(key, holdsHeaders && !persisting() ? withoutHeaders(value) : value);
      if (SESSION_ONLY.indexOf(key) < 0) localStorage.setItem(key, holdsHeaders ? withoutHeaders(value) : value);
      if (key === PERSIST && value !== 'true') {
        WITH_HEADERS.forEach(function (k) {
          var kept = sessionStorage.getItem(k);
          if (kept !== null) sessionStorage.setItem(k, withoutHeaders(kept));
        });
      }
      if (key === PERSIST) showNote();
    },
    removeItem: function (key) {
      sessionStorage.removeItem(key);
      localStorage.removeItem(key);
      if (key === PERSIST) showNote();
    },
    clear: function () {
      [sessionStorage, localStorage].forEach(function (area) { keys(area).forEach(function (key) { area.removeItem(key); }); });
      showNote();
    },
    get length() { return keys(sessionStorage).length; }
  };
  // A tab GraphiQL has just opened has no query, variables or headers yet. GraphiQL empties the headers
  // editor for it, then reports the change of tab: the headers shown before that are the opener's.
  var shown = sessionStorage.getItem('graphiql:headers') || '';
  var before = '';
  options.onEditHeaders = function (value) { before = shown; shown = value; };
  options.onTabChange = function (state) {
    var tab = state.tabs[state.activeTabIndex];
    var headers = before;
    if (!tab || tab.query !== null || tab.variables !== null || tab.headers !== null || !headers.trim() || !persisting()) return;
    setTimeout(function () {
      var model = window.monaco && window.monaco.editor.getModels().filter(function (m) { return /request-headers\\.json$/.test(m.uri.path); })[0];
      if (model && !model.getValue().trim()) model.setValue(headers);
    });
  };
  showNote();
  YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options);
})();
`;

/**
 * The bundle's pieces. Its module is one `export const <piece> = "<JSON string>";` line per piece, read
 * as such here: each string is garbage once copied into its asset's bytes. Imported, the module would keep
 * its source and every string for the life of the process (about 60 MB resident). Should the file ever
 * read otherwise, it is imported all the same.
 */
async function readBundle(): Promise<Bundle> {
  try {
    const text = await readFile(BUNDLE_FILE);
    const pieces: Record<string, unknown> = {};
    for (let start = 0; start < text.length;) {
      const newline = text.indexOf(0x0a, start);
      const end = newline < 0 ? text.length : newline;
      const line = /^export const (\w+) = (".*");$/.exec(text.toString('utf8', start, end));
      if (line) pieces[line[1]!] = JSON.parse(line[2]!) as unknown;
      else if (end > start) throw new Error(`unexpected line in ${BUNDLE_FILE}`);
      start = end + 1;
    }
    if (BUNDLE_PIECES.every((name) => typeof pieces[name] === 'string')) return pieces as unknown as Bundle;
  } catch {
    // Imported instead, below.
  }
  return import('@graphql-yoga/render-graphiql/graphiql');
}

/** The GraphiQL bundle's pieces under their URL names. */
async function loadAssets(): Promise<ReadonlyMap<string, Asset>> {
  const bundle = await readBundle();
  const js = (...texts: string[]): Asset => ({
    type: 'text/javascript; charset=utf-8',
    body: Buffer.concat(texts.map((text) => Buffer.from(text))),
  });
  const favicon = /^data:([^;,]+);base64,(.*)$/s.exec(bundle.favicon);
  return new Map<string, Asset>([
    // Monaco asks MonacoEnvironment for its workers' URLs; they sit beside this script. Its global API
    // (window.monaco) is how a new tab is given headers: GraphiQL has no option for it.
    [
      'graphiql.js',
      js(
        `(function () {
  var base = document.currentScript.src.replace(/[^/]*$/, '');
  var workers = { editorWorkerService: 'editor.worker.js', json: 'json.worker.js', graphql: 'graphql.worker.js' };
  self.MonacoEnvironment = { globalAPI: true, getWorkerUrl: function (_moduleId, label) { return base + workers[label]; } };
})();
`,
        bundle.js,
        `;
${START_GRAPHIQL}`,
      ),
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

/** Where to turn keeping headers on or off: GraphiQL's own setting. */
const PERSIST_SETTING = 'Persist headers in Settings (gear, lower left)';

/**
 * The note above GraphiQL on whether headers (the API key) are kept. The page's script shows the half
 * that holds; with `shouldPersistHeaders: false` GraphiQL hides its toggle, and the note says nothing of it.
 */
function headersNote(options: GraphiQLOptions): string {
  const off =
    options.shouldPersistHeaders === false
      ? 'Headers are not kept: a reload or a new tab starts without them.'
      : `Headers are not kept: a reload or a new tab starts without them. To keep them in this browser tab, turn on ${PERSIST_SETTING}; they hold your API key.`;
  const on = `Headers are kept in this browser tab (sessionStorage), through reloads and new tabs, until it closes; ${PERSIST_SETTING} stops it.`;
  return `<p id="graphiql-headers-note" role="note"><span data-when="off">${off}</span><span data-when="on" hidden>${on}</span></p>`;
}

/** Room for the note: GraphiQL's stylesheet sizes it to the whole window (100vh). */
const PAGE_STYLE = `body { display: flex; flex-direction: column; height: 100vh; }
      #root { flex: 1; min-height: 0; }
      #root .graphiql-container { height: 100%; }
      #graphiql-headers-note { margin: 0; padding: 6px 16px; font: 13px/1.4 system-ui, sans-serif; color: #3b4b68; background: #eef1f6; border-bottom: 1px solid #d9dee8; }
      body.graphiql-dark #graphiql-headers-note { color: #c3cde0; background: #1c2433; border-color: #2e3a4f; }`;

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
    <style>
      ${PAGE_STYLE}
    </style>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    ${headersNote(options)}
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
