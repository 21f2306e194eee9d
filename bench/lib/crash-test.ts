/**
 * The crash test (issue 7), in the way of test/rest/persistence.test.ts (P-02), under more load: a write
 * storm of concurrent clients (sales orders with three lines, and leads), `kill -9` of the server once
 * `killAfterAcks` writes are acknowledged with others in flight, then: `PRAGMA integrity_check` is ok,
 * every acknowledged write is in the file whole (the order with its three lines and its total), nothing
 * half-written is there, and a restarted server serves them.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { spawnServer } from '../../test/helpers/spawn-server.js';
import { SoakClient, type CreatedBody } from './soak.js';

export interface CrashResult {
  readonly attempted: number;
  readonly acknowledgedOrders: number;
  readonly acknowledgedLeads: number;
  /** Writes on disk that were not acknowledged (in flight at the kill): allowed, if whole. */
  readonly unacknowledgedButStored: number;
  readonly integrity: string;
  readonly problems: string[];
  readonly restartedAndServed: boolean;
  readonly ok: boolean;
}

export async function runCrashTest(
  dataDir: string,
  adminKey: string,
  options: { clients: number; killAfterAcks: number; maxSeconds: number },
): Promise<CrashResult> {
  const server = await spawnServer({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const client = new SoakClient(server.url, options.clients);
  const orders = new Map<number, { ref: string; amount: number }>();
  const leads = new Map<number, string>();
  let attempted = 0;
  let killed: Promise<void> | undefined;
  let n = 0;
  const deadline = Date.now() + options.maxSeconds * 1000;
  const kill = () => {
    killed ??= server.stop('SIGKILL');
  };
  await Promise.all(
    Array.from({ length: options.clients }, async (_, index) => {
      while (!killed && Date.now() < deadline) {
        const k = ++n;
        attempted++;
        try {
          if (index % 4 === 3) {
            const name = `crash-lead-${k}`;
            const answer = await client.call('POST', '/api/crm_lead', { key: adminKey, body: { name, expected_revenue: k } });
            if (answer.status === 201) leads.set((answer.body as CreatedBody).id, name);
          } else {
            const ref = `crash-${k}`;
            const answer = await client.call('POST', '/api/sale_order', {
              key: adminKey,
              body: {
                partner_id: 12,
                client_order_ref: ref,
                order_line: [1, 2, 3].map((qty) => [0, 0, { product_id: 21, product_uom_qty: qty, price_unit: 10 + (k % 50) }]),
              },
            });
            if (answer.status === 201) {
              const created = answer.body as CreatedBody & { record: { amount_total: number } };
              orders.set(created.id, { ref, amount: created.record.amount_total });
            }
          }
        } catch {
          // The connection died with the process: not acknowledged, either outcome allowed.
          return;
        }
        if (orders.size + leads.size >= options.killAfterAcks) kill();
      }
    }),
  );
  kill();
  await killed;
  await client.close().catch(() => undefined);

  const problems: string[] = [];
  const db = new Database(join(dataDir, 'odoo.sqlite'), { readonly: true, fileMustExist: true });
  let integrity: string;
  let stored = 0;
  try {
    integrity = String(db.pragma('integrity_check', { simple: true }));
    const rows = db
      .prepare(
        `SELECT o.id, o.client_order_ref AS ref, o.amount_total AS amount, count(l.id) AS lines FROM sale_order o LEFT JOIN sale_order_line l ON l.order_id = o.id WHERE o.client_order_ref LIKE 'crash-%' GROUP BY o.id`,
      )
      .all() as Array<{ id: number; ref: string; amount: number; lines: number }>;
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const [id, { ref, amount }] of orders) {
      const row = byId.get(id);
      if (!row || row.ref !== ref || row.amount !== amount || row.lines !== 3)
        problems.push(`acknowledged order ${id} (${ref}): ${JSON.stringify(row ?? null)}`);
    }
    for (const row of rows) {
      const k = Number(row.ref.slice('crash-'.length));
      if (row.lines !== 3 || row.amount !== 6 * (10 + (k % 50))) problems.push(`half-written order ${row.id}: ${JSON.stringify(row)}`);
      if (!orders.has(row.id)) stored++;
    }
    const leadRows = db.prepare(`SELECT id, name FROM crm_lead WHERE name LIKE 'crash-lead-%'`).all() as Array<{
      id: number;
      name: string;
    }>;
    const leadById = new Map(leadRows.map((r) => [r.id, r.name]));
    for (const [id, name] of leads) if (leadById.get(id) !== name) problems.push(`acknowledged lead ${id} (${name}) missing`);
    stored += leadRows.filter((r) => !leads.has(r.id)).length;
  } finally {
    db.close();
  }

  let restartedAndServed = false;
  const again = await spawnServer({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const check = new SoakClient(again.url, 2);
  try {
    const health = await check.call('GET', '/api/health');
    const [someId] = orders.keys();
    const order =
      someId === undefined
        ? undefined
        : await check.call('GET', `/api/sale_order/${someId}?fields=client_order_ref,amount_total`, { key: adminKey });
    restartedAndServed =
      health.status === 200 &&
      (order === undefined ||
        (order.status === 200 && (order.body as { client_order_ref: unknown }).client_order_ref === orders.get(someId!)!.ref));
  } finally {
    await check.close();
    await again.stop('SIGTERM');
  }
  const ok = integrity === 'ok' && problems.length === 0 && restartedAndServed && orders.size > 0 && attempted > orders.size + leads.size;
  return {
    attempted,
    acknowledgedOrders: orders.size,
    acknowledgedLeads: leads.size,
    unacknowledgedButStored: stored,
    integrity,
    problems: problems.slice(0, 20),
    restartedAndServed,
    ok,
  };
}
