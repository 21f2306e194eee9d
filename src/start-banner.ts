/**
 * What the server prints once it listens: every URL a newcomer needs (REST, GraphQL, GraphiQL, Swagger
 * UI, OpenAPI, metrics, readiness), each only when this configuration serves it, and how to get an API
 * key, as a command that works when pasted into the checkout. The first line keeps the form
 * `... listening on <url> ...`, which test/helpers/spawn-server.ts and scripts read the address from.
 */
import type { Backend } from './backends/backend.js';
import { DEMO_USERS } from './backends/embedded/demo/demo-data.js';
import { EmbeddedBackend } from './backends/embedded/embedded-backend.js';
import type { Config } from './config.js';
import { loadConfig } from './config.js';
import { DOCS_PATH, OPENAPI_PATH } from './rest/openapi.js';
import { metricsAccess } from './startup-checks.js';

/** A value as a POSIX shell reads it back unchanged. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The lines of the banner, for a server of `config` over `backend` listening at `address` (`http://127.0.0.1:4000`). */
export function startBanner(config: Config, backend: Backend, address: string): string[] {
  const embedded = backend instanceof EmbeddedBackend ? backend : undefined;
  const where = embedded ? `, data in ${config.DATA_DIR}` : config.BACKEND === 'odoo' ? ` at ${config.ODOO_URL}` : ` to ${config.UPSTREAM_URL}`;
  const rows: Array<[label: string, url: string, note?: string]> = [
    ['REST', `${address}/api/health`],
    ['', `${address}/api/<slug>`, `with an API key${embedded ? `, e.g. ${address}/api/sale_order` : ''}`],
    ['GraphQL', `${address}/graphql`, 'POST, with an API key'],
  ];
  if (config.GRAPHIQL) rows.push(['GraphiQL', `${address}/graphql`, 'open it in a browser; the key goes in its Headers tab']);
  // BACKEND=proxy: the upstream owns the REST routes, so their documentation is its own too.
  if (config.BACKEND !== 'proxy') rows.push(['Swagger UI', `${address}${DOCS_PATH}`], ['OpenAPI', `${address}${OPENAPI_PATH}`]);
  // Only where it is served: beyond loopback without METRICS_TOKEN it is not (startup-checks.ts).
  const metrics = metricsAccess(config);
  if (metrics.served) rows.push(['Metrics', `${address}/metrics`, metrics.token === undefined ? undefined : 'with Authorization: Bearer <METRICS_TOKEN>']);
  rows.push(['Readiness', `${address}/readyz`]);
  const width = Math.max(...rows.map(([, url]) => url.length));
  const lines = [
    `odoo-graphql-facade listening on ${address} (backend: ${config.BACKEND}${where})`,
    ...rows.map(([label, url, note]) => `  ${label.padEnd(11)} ${note ? `${url.padEnd(width)}   ${note}` : url}`.trimEnd()),
  ];
  if (embedded) {
    // The CLI reads DATA_DIR as the server does: name it when it is not the default, or the key lands in another database.
    const dataDir = config.DATA_DIR === loadConfig({}).DATA_DIR ? '' : `DATA_DIR=${shellWord(config.DATA_DIR)} `;
    lines.push(`  ${'API key'.padEnd(11)} ${dataDir}npx odoo-graphql apikey create --login admin   (prints the key once; send it as Authorization: Bearer <key>)`);
    // From the demo data's list, not by checking each stored hash: that is a scrypt per user (about 250 ms of
    // blocked event loop at start), for a hint that `odoo-graphql user password` makes stale anyway.
    if (config.DEMO_DATA) {
      const demo = DEMO_USERS.filter((user) => user.active && user.password === user.login).map((user) => user.login);
      lines.push(`  ${''.padEnd(11)} demo logins: ${demo.join(', ')} (password = login, until changed)`);
    }
  } else if (config.BACKEND === 'odoo') {
    lines.push(`  ${'API key'.padEnd(11)} create one in Odoo: Preferences > Account Security > New API Key`);
  } else {
    lines.push(`  ${'API key'.padEnd(11)} one that the upstream accepts: it is passed on as sent`);
  }
  // Without an identity to read it with, BACKEND=odoo or proxy types GraphQL from the demo models'
  // checked-in SDL, not from the real Odoo's fields: say so where the user looks, not only in a log line.
  if (!embedded && config.GRAPHQL_SCHEMA_AUTHORIZATION === undefined) {
    lines.push(
      `  ${'Typed API'.padEnd(11)} WARNING: typed from the demo models (schema/typed/models.graphql), not from the ${config.BACKEND === 'odoo' ? 'Odoo' : 'upstream'}'s own fields;`,
      `  ${''.padEnd(11)} set GRAPHQL_SCHEMA_AUTHORIZATION (an Authorization value such as 'Basic <base64 of login:API key>') to read them`,
    );
  }
  return lines;
}
