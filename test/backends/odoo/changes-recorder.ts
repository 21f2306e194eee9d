/**
 * Records the exchanges test/backends/odoo/changes.test.ts replays (issue 19): the change feed's polls of a
 * real Odoo 17 (the lab), through the Odoo backend itself. The writes between the polls are made on the
 * lab directly (lab-rpc.ts), so only the feed's own calls are recorded:
 *
 *   set -a && source ~/odoo-lab/live.env && source ~/odoo-lab/keys.env && set +a && npx tsx test/backends/odoo/changes-recorder.ts
 *
 * As admin, on crm.lead named FEED_LEAD_NAME, fields name and expected_revenue: the first cursor (no
 * lead), a poll after the lead is created, one after it is written again at once (same second), a quiet
 * poll after it settled, one after it is archived; as demo, a first cursor of the same domain (he may
 * not see the lead). Writes test/fixtures/odoo-recordings/jsonrpc_changes_*.json, lists them in INDEX.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { OdooBackend } from '../../../src/backends/odoo/odoo-backend.js';
import { RECORDINGS_DIR } from '../../helpers/odoo-recordings.js';
import { labCall } from '../../fidelity/support/lab-rpc.js';
import { FEED_DOMAIN, FEED_FIELDS, FEED_LEAD_NAME } from './changes-cases.js';
import { startRecordingProxy, type Exchange } from './recording-proxy.js';

const { ODOO_URL, ODOO_DB, ADMIN_KEY, DEMO_KEY } = process.env;
const env =
  ODOO_URL && ODOO_DB && process.env.ODOO_LOGIN && process.env.ODOO_API_KEY
    ? { url: ODOO_URL.replace(/\/+$/, ''), db: ODOO_DB, login: process.env.ODOO_LOGIN, apiKey: process.env.ODOO_API_KEY }
    : undefined;
if (!ODOO_URL || !ODOO_DB || !ADMIN_KEY || !DEMO_KEY || !env) {
  console.error('set ODOO_URL, ODOO_DB, ADMIN_KEY, DEMO_KEY, ODOO_LOGIN, ODOO_API_KEY (source ~/odoo-lab/live.env and keys.env)');
  process.exit(2);
}
const proxy = await startRecordingProxy(ODOO_URL.replace(/\/+$/, ''), { [ADMIN_KEY]: '<ADMIN_KEY>', [DEMO_KEY]: '<DEMO_KEY>' });
const backend = new OdooBackend({ url: proxy.url, db: ODOO_DB, retries: 0, changesPollMs: 200 });
const written: string[] = [];

async function record<T>(name: string, step: () => Promise<T>): Promise<T> {
  // Past the poll interval: a poll answered less than it ago would be reused.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const result = await step();
  const exchanges = proxy.take().filter((e: Exchange) => !JSON.stringify(e.request.json).includes('"authenticate"'));
  exchanges.forEach((exchange, index) => {
    const file = `jsonrpc_changes_${name}${exchanges.length > 1 ? `_${index + 1}` : ''}.json`;
    writeFileSync(`${RECORDINGS_DIR}${file}`, `${JSON.stringify(exchange, null, 2)}\n`);
    written.push(file);
  });
  console.log(name, exchanges.length, 'exchanges', JSON.stringify(result).slice(0, 300));
  return result;
}

// Leftovers of an earlier run go first.
const old = (await labCall(env, 'crm.lead', 'search', [
  [
    ['name', '=', FEED_LEAD_NAME],
    ['active', 'in', [true, false]],
  ],
])) as number[];
if (old.length) await labCall(env, 'crm.lead', 'unlink', [old]);

const admin = (await backend.authenticateBasic('admin', ADMIN_KEY))!;
const demo = (await backend.authenticateBasic('demo', DEMO_KEY))!;
proxy.take();
const params = { domain: FEED_DOMAIN, fields: FEED_FIELDS };

const start = await record('start', () => backend.changes(admin, 'crm.lead', params));
const id = (await labCall(env, 'crm.lead', 'create', [{ name: FEED_LEAD_NAME, expected_revenue: 100 }])) as number;
const created = await record('created', () => backend.changes(admin, 'crm.lead', { ...params, since: start.cursor }));
await labCall(env, 'crm.lead', 'write', [[id], { expected_revenue: 200 }]);
const again = await record('same_second', () => backend.changes(admin, 'crm.lead', { ...params, since: created.cursor }));
await new Promise((resolve) => setTimeout(resolve, 6000));
const settled = await record('settled', () => backend.changes(admin, 'crm.lead', { ...params, since: again.cursor }));
const quiet = await record('quiet', () => backend.changes(admin, 'crm.lead', { ...params, since: settled.cursor }));
await labCall(env, 'crm.lead', 'write', [[id], { active: false }]);
await record('archived', () => backend.changes(admin, 'crm.lead', { ...params, since: quiet.cursor }));
await record('demo_start', () => backend.changes(demo, 'crm.lead', params));
await labCall(env, 'crm.lead', 'unlink', [[id]]);

const indexFile = `${RECORDINGS_DIR}INDEX.json`;
const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { files: string[] };
index.files = [...new Set([...index.files, ...written])].sort();
writeFileSync(indexFile, `${JSON.stringify(index, null, 2)}\n`);
await backend.close();
await proxy.close();
