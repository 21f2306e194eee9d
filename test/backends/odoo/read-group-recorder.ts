/**
 * Records the read_group exchanges test/backends/odoo/read-group.test.ts replays (issue 18), from a real
 * Odoo 17 (the lab), through the Odoo backend itself, so the recorded requests are exactly what it sends:
 *
 *   source ~/odoo-lab/live.env && source ~/odoo-lab/keys.env && npx tsx test/backends/odoo/read-group-recorder.ts
 *
 * It creates a few marked records as admin over plain JSON-RPC (not recorded): crm.lead `RGREC-*` in three
 * stages, two users (admin, demo) and none, revenues, deadlines across the 2025/2026 year boundary; sale
 * orders `RGREC-*` for two customers across the same boundary. Then it runs the backend's readGroup
 * through a loopback proxy that writes each exchange to test/fixtures/odoo-recordings/jsonrpc_read_group_*.json
 * (keys replaced by `<ADMIN_KEY>` / `<DEMO_KEY>`, the origin by http://localhost:8069, as the other
 * recordings), deletes what it created and lists the files in INDEX.json. Needs ODOO_URL, ODOO_DB,
 * ADMIN_KEY, DEMO_KEY.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Caller } from '../../../src/backends/backend.js';
import { OdooBackend } from '../../../src/backends/odoo/odoo-backend.js';
import { parseDomain } from '../../../src/domain/parse-domain.js';
import type { ReadGroupParams } from '../../../src/backends/read-group.js';
import { executeKw } from '../../fidelity/support/lab-rpc.js';
import { RECORDINGS_DIR } from '../../helpers/odoo-recordings.js';
import { startRecordingProxy, type Exchange } from './recording-proxy.js';
import { READ_GROUP_CASES, RECORDING_MARKER, type ReadGroupCase } from './read-group-cases.js';

const { ODOO_URL, ODOO_DB, ADMIN_KEY, DEMO_KEY } = process.env;
if (!ODOO_URL || !ODOO_DB || !ADMIN_KEY || !DEMO_KEY) {
  console.error('set ODOO_URL, ODOO_DB, ADMIN_KEY, DEMO_KEY (source ~/odoo-lab/live.env && source ~/odoo-lab/keys.env)');
  process.exit(2);
}
const origin = ODOO_URL.replace(/\/+$/, '');

async function rpc(uid: number, key: string, model: string, method: string, args: unknown[], kwargs: object = {}): Promise<any> {
  return executeKw({ url: origin, db: ODOO_DB!, uid, key }, model, method, args, kwargs);
}

// ---- the proxy that records (recording-proxy.ts)

const proxy = await startRecordingProxy(origin, { [ADMIN_KEY]: '<ADMIN_KEY>', [DEMO_KEY]: '<DEMO_KEY>' });
const proxyUrl = proxy.url;

// ---- the marked records

const ADMIN_UID = 2;
const DEMO_UID = 6;
const created: Array<[string, number]> = [];
const make = async (model: string, values: Record<string, unknown>) => {
  const id = (await rpc(ADMIN_UID, ADMIN_KEY, model, 'create', [values])) as number;
  created.push([model, id]);
  return id;
};
const stages = (await rpc(ADMIN_UID, ADMIN_KEY, 'crm.stage', 'search_read', [[]], { fields: ['name'], order: 'sequence, id' })) as Array<{
  id: number;
  name: string;
}>;
const stage = (name: string) => stages.find((s) => s.name === name)!.id;
const M = RECORDING_MARKER;
const leads: Array<[string, string, number | false, number, string | false]> = [
  ['L1', 'New', ADMIN_UID, 1000, '2025-12-30'],
  ['L2', 'New', DEMO_UID, 2500, '2026-01-02'],
  ['L3', 'Qualified', DEMO_UID, 4000, '2026-01-15'],
  ['L4', 'Qualified', false, 500, false],
  ['L5', 'Proposition', ADMIN_UID, 12000, '2025-11-20'],
];
for (const [name, stageName, user, revenue, deadline] of leads) {
  await make('crm.lead', {
    name: `${M}-${name}`,
    type: 'opportunity',
    stage_id: stage(stageName),
    user_id: user,
    expected_revenue: revenue,
    date_deadline: deadline,
  });
}
const partners = (await rpc(ADMIN_UID, ADMIN_KEY, 'res.partner', 'search_read', [[['name', 'in', ['Azure Interior', 'Deco Addict']]]], {
  fields: ['name'],
  order: 'id',
})) as Array<{ id: number; name: string }>;
const partner = (name: string) => partners.find((p) => p.name === name)!.id;
const orders: Array<[string, string, string, number]> = [
  ['S1', 'Azure Interior', '2025-12-31 10:00:00', 3],
  ['S2', 'Azure Interior', '2025-12-31 23:30:00', 5],
  ['S3', 'Deco Addict', '2026-02-10 12:00:00', 2],
];
const [product] = (await rpc(ADMIN_UID, ADMIN_KEY, 'product.product', 'search_read', [[['sale_ok', '=', true]]], {
  fields: ['name'],
  limit: 1,
  order: 'id',
})) as Array<{ id: number }>;
for (const [name, partnerName, date, qty] of orders) {
  await make('sale.order', {
    client_order_ref: `${M}-${name}`,
    partner_id: partner(partnerName),
    date_order: date,
    user_id: DEMO_UID,
    order_line: [[0, 0, { product_id: product!.id, product_uom_qty: qty, price_unit: 100, tax_id: [[6, 0, []]] }]],
  });
}

// ---- the cases, through the backend

const backend = new OdooBackend({ url: proxyUrl, db: ODOO_DB, retries: 0 });
const index = JSON.parse(readFileSync(`${RECORDINGS_DIR}INDEX.json`, 'utf8')) as { files: string[] };
const callers = new Map<string, Caller>();
const callerOf = async (login: 'admin' | 'demo'): Promise<Caller> => {
  let caller = callers.get(login);
  if (!caller) {
    caller = (await backend.authenticateBasic(login, login === 'admin' ? ADMIN_KEY : DEMO_KEY))!;
    callers.set(login, caller);
  }
  return caller;
};
const written: string[] = [];
try {
  await callerOf('admin');
  await callerOf('demo');
  for (const c of READ_GROUP_CASES) {
    const caller = await callerOf(c.login);
    proxy.take();
    const params: ReadGroupParams = { ...c.params, domain: parseDomain(c.domain) };
    let outcome: unknown;
    try {
      outcome = await backend.readGroup(caller, c.model, params);
    } catch (error) {
      outcome = { error: (error as Error).name, message: (error as Error).message };
    }
    const captured = proxy.take();
    captured.forEach((exchange, i) => {
      const name = recordingName(c, exchange, i);
      writeFileSync(`${RECORDINGS_DIR}${name}.json`, `${JSON.stringify(exchange, null, 2)}\n`);
      if (!written.includes(`${name}.json`)) written.push(`${name}.json`);
    });
    console.log(`${c.name}: ${captured.length} exchange(s) ->`, JSON.stringify(outcome).slice(0, 400));
  }
} finally {
  for (const [model, id] of created.reverse()) {
    if (model === 'sale.order') await rpc(ADMIN_UID, ADMIN_KEY, model, 'action_cancel', [[id]]).catch(() => undefined);
    await rpc(ADMIN_UID, ADMIN_KEY, model, 'unlink', [[id]]).catch((error: unknown) => console.error(`cleanup ${model} ${id}:`, error));
  }
  await backend.close();
  await proxy.close();
}
index.files = [...new Set([...index.files, ...written])].sort();
writeFileSync(`${RECORDINGS_DIR}INDEX.json`, `${JSON.stringify(index, null, 2)}\n`);
console.log(`wrote ${written.length} recordings`);

/** `jsonrpc_read_group_<case>_<what>`: the case's page call, its total call, or the fields_get/context_get before them. */
function recordingName(c: ReadGroupCase, exchange: Exchange, index: number): string {
  const args = (exchange.request.json as { params: { args: unknown[] } }).params.args;
  const method = String(args[4]);
  const model = String(args[3]).replaceAll('.', '_');
  if (method === 'fields_get') return `jsonrpc_read_group_fields_get_${model}_${c.login}`;
  if (method === 'context_get') return `jsonrpc_read_group_context_get_${c.login}`;
  const kwargs = (args[6] ?? {}) as Record<string, unknown>;
  const isTotal = index > 0 && !('limit' in kwargs) && !('offset' in kwargs) && (c.params.limit !== undefined || c.params.offset);
  return `jsonrpc_read_group_${c.name}${isTotal ? '_total' : ''}`;
}
