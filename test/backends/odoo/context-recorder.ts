/**
 * Records the exchanges test/backends/odoo/context.test.ts replays (issue 16), from a real Odoo 17 with
 * French installed (the lab), through the Odoo backend itself:
 *
 *   source ~/odoo-lab/live.env && source ~/odoo-lab/keys.env && npx tsx test/backends/odoo/context-recorder.ts
 *
 * - the demo user, first to ask for a model, cannot read `ir.model` and gets the models he may read
 *   (`ir.model.get_available_models`);
 * - a search as admin with `lang: fr_FR`, a count as demo with a company he does not belong to, the
 *   installed languages.
 * Writes test/fixtures/odoo-recordings/jsonrpc_context_*.json and lists them in INDEX.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { callerWithContext } from '../../../src/backends/backend.js';
import { OdooBackend } from '../../../src/backends/odoo/odoo-backend.js';
import { TRUE_DOMAIN } from '../../../src/domain/types.js';
import { RECORDINGS_DIR } from '../../helpers/odoo-recordings.js';
import { startRecordingProxy, type Exchange } from './recording-proxy.js';

const { ODOO_URL, ODOO_DB, ADMIN_KEY, DEMO_KEY } = process.env;
if (!ODOO_URL || !ODOO_DB || !ADMIN_KEY || !DEMO_KEY) {
  console.error('set ODOO_URL, ODOO_DB, ADMIN_KEY, DEMO_KEY (source ~/odoo-lab/live.env && source ~/odoo-lab/keys.env)');
  process.exit(2);
}
const proxy = await startRecordingProxy(ODOO_URL.replace(/\/+$/, ''), { [ADMIN_KEY]: '<ADMIN_KEY>', [DEMO_KEY]: '<DEMO_KEY>' });
const backend = new OdooBackend({ url: proxy.url, db: ODOO_DB, retries: 0 });
const written: string[] = [];

/** Runs `step` and writes the exchanges it caused, but the logins (recorded already), as `jsonrpc_context_<name>[_n].json`. */
async function record(name: string, step: () => Promise<unknown>): Promise<void> {
  await step().catch(() => undefined);
  const exchanges = proxy.take().filter((e: Exchange) => !JSON.stringify(e.request.json).includes('"authenticate"'));
  exchanges.forEach((exchange, index) => {
    const file = `jsonrpc_context_${name}${exchanges.length > 1 ? `_${index + 1}` : ''}.json`;
    writeFileSync(`${RECORDINGS_DIR}${file}`, `${JSON.stringify(exchange, null, 2)}\n`);
    written.push(file);
  });
}

const admin = (await backend.authenticateBasic('admin', ADMIN_KEY))!;
const demo = (await backend.authenticateBasic('demo', DEMO_KEY))!;
proxy.take();

await record('models_demo', () => backend.resolveModel('sale_order', demo));
await record('languages', () => backend.languages(admin));
await record('stages_fr', () =>
  backend.searchRead(callerWithContext(admin, { lang: 'fr_FR' }), 'crm.stage', {
    domain: TRUE_DOMAIN,
    fields: ['name'],
    order: 'sequence, id',
  }),
);
await record('count_demo_unknown_company', () =>
  backend.searchCount(callerWithContext(demo, { allowedCompanyIds: [99] }), 'sale.order', TRUE_DOMAIN),
);

const indexFile = `${RECORDINGS_DIR}INDEX.json`;
const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { files: string[] };
index.files = [...new Set([...index.files, ...written])].sort();
writeFileSync(indexFile, `${JSON.stringify(index, null, 2)}\n`);
console.log(`wrote ${written.join(', ')}`);
await backend.close();
await proxy.close();
