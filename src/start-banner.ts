/**
 * What the server prints once it listens: every URL a newcomer needs (REST, GraphQL, GraphiQL, Swagger
 * UI, OpenAPI, metrics, readiness), each only when this configuration serves it, and how to get an API
 * key, as a command that works when pasted into the checkout. The first line keeps the form
 * `... listening on <url> ...`, which test/helpers/spawn-server.ts and scripts read the address from; with
 * WORKERS it says how many processes serve that address, and is printed once, by the primary (cluster.ts).
 */
import type { DataSource } from './backends/backend.js';
import { CONFIG_DEFAULTS, type Config } from './config.js';
import { DOCS_PATH, OPENAPI_PATH } from './rest/openapi.js';
import { metricsAccess } from './startup-checks.js';

/** A value as a POSIX shell reads it back unchanged. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The lines of the banner, for a server of `config` over `dataSource` listening at `address` (`http://127.0.0.1:4000`). */
export function startBanner(config: Config, dataSource: Pick<DataSource, 'describe'>, address: string): string[] {
  const source = dataSource.describe();
  const where = source.kind === 'store' ? `, data in ${source.dataDir}` : ` ${source.location}`;
  const rows: Array<[label: string, url: string, note?: string]> = [
    ['REST', `${address}/api/health`],
    // A store of this server's own has the demo models, sale_order among them.
    ['', `${address}/api/<slug>`, `with an API key${source.kind === 'store' ? `, e.g. ${address}/api/sale_order` : ''}`],
    ['GraphQL', `${address}/graphql`, 'POST, with an API key'],
  ];
  if (config.GRAPHIQL) rows.push(['GraphiQL', `${address}/graphql`, 'open it in a browser; the key goes in its Headers tab']);
  // BACKEND=proxy: the upstream owns the REST routes, so their documentation is its own too.
  if (config.BACKEND !== 'proxy') rows.push(['Swagger UI', `${address}${DOCS_PATH}`], ['OpenAPI', `${address}${OPENAPI_PATH}`]);
  // Only where it is served: beyond loopback without METRICS_TOKEN it is not (startup-checks.ts).
  const metrics = metricsAccess(config);
  if (metrics.served)
    rows.push(['Metrics', `${address}/metrics`, metrics.token === undefined ? undefined : 'with Authorization: Bearer <METRICS_TOKEN>']);
  rows.push(['Readiness', `${address}/readyz`]);
  const width = Math.max(...rows.map(([, url]) => url.length));
  const lines = [
    `odoo-graphql-facade listening on ${address} (backend: ${config.BACKEND}${where}${config.WORKERS > 1 ? `, ${config.WORKERS} workers` : ''})`,
    ...rows.map(([label, url, note]) => `  ${label.padEnd(11)} ${note ? `${url.padEnd(width)}   ${note}` : url}`.trimEnd()),
  ];
  if (source.kind === 'store') {
    // The CLI reads DATA_DIR as the server does: name it when it is not the default, or the key lands in another database.
    const dataDir = source.dataDir === CONFIG_DEFAULTS.DATA_DIR ? '' : `DATA_DIR=${shellWord(source.dataDir)} `;
    lines.push(
      `  ${'API key'.padEnd(11)} ${dataDir}npx odoo-graphql apikey create --login admin   (prints the key once; send it as Authorization: Bearer <key>)`,
    );
    if (source.demoLogins.length > 0)
      lines.push(`  ${''.padEnd(11)} demo logins: ${source.demoLogins.join(', ')} (password = login, until changed)`);
  } else {
    lines.push(`  ${'API key'.padEnd(11)} ${source.apiKeyHint}`);
    // Without an identity to read it with, the typed GraphQL schema comes from the demo models' checked-in
    // SDL, not from the remote's fields: say so where the user looks, not only in a log line.
    if (config.GRAPHQL_SCHEMA_AUTHORIZATION === undefined) {
      lines.push(
        `  ${'Typed API'.padEnd(11)} WARNING: typed from the demo models (schema/typed/models.graphql), not from the ${source.name}'s own fields;`,
        `  ${''.padEnd(11)} set GRAPHQL_SCHEMA_AUTHORIZATION (an Authorization value such as 'Basic <base64 of login:API key>') to read them`,
      );
    }
  }
  return lines;
}
