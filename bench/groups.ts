/**
 * `npm run bench:groups`: grouped totals (issue 18, `GET /api/<slug>/groups`) on a 100,000-row crm.lead,
 * on loopback, beside a plain List of the same domain.
 * - the data: the demo database with crm.lead grown to 100,000 rows (inserted directly, in one transaction,
 *   in a temporary DATA_DIR): spread over the stages, over 24 months of `create_date` (2025 and 2026, so
 *   the groups cross a year boundary), over admin, demo, other salesmen and no salesperson (demo's record
 *   rules keep his own and the unassigned ones), with revenues and probabilities;
 * - the request: grouped by stage and `create_date:month` with two sums (`expected_revenue:sum`,
 *   `prorated_revenue:sum`), in the users' time zone (the demo users' Europe/Brussels: the CASE over its
 *   offsets runs on every row), as admin and as demo;
 * - beside it: the List route with the same domain (a page of 80 and its `total`), as admin and as demo.
 * Each row: REQUESTS sequential requests after a warm-up, median and p99 latency. The issue's target: p50 <= 50 ms.
 * The server runs as its own process (src/main.ts), as in the other benchmarks.
 */
import { rmSync } from 'node:fs';
import { EmbeddedBackend } from '../src/backends/embedded/embedded-backend.js';
import { spawnServer } from '../test/helpers/spawn-server.js';
import { printTable, sequentialLatency, type Measurement } from './lib/measure.js';
import { prepareData } from './lib/prepare-data.js';

const ROWS = 100_000;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const TARGET_P50_MS = 50;
const DOMAIN = '[("type", "=", "opportunity")]';

/** Grows crm.lead to ROWS rows of varied stages, dates, salespeople and amounts, in one transaction. */
async function growLeads(dataDir: string): Promise<void> {
  const backend = new EmbeddedBackend({ dataDir, dbName: 'odoo', demo: true });
  try {
    const db = backend.db;
    const stages = (db.prepare('SELECT id FROM crm_stage ORDER BY id').all() as Array<{ id: number }>).map((s) => s.id);
    const users = [2, 3, 4, 6, null];
    const insert = db.prepare(
      `INSERT INTO crm_lead (name, email_from, type, active, company_id, priority, stage_id, user_id, probability, expected_revenue,
         prorated_revenue, create_date, write_date, create_uid, write_uid)
       VALUES (?, ?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?, 2, 2)`,
    );
    const existing = (db.prepare('SELECT count(*) AS n FROM crm_lead').get() as { n: number }).n;
    const start = Date.UTC(2025, 0, 1);
    const span = Date.UTC(2027, 0, 1) - start;
    db.transaction(() => {
      for (let i = existing; i < ROWS; i += 1) {
        const created = new Date(start + Math.floor(((i * 0.6180339887) % 1) * span)).toISOString().slice(0, 19).replace('T', ' ');
        const revenue = (i % 997) * 25;
        const probability = (i * 13) % 101;
        insert.run(
          `Bench lead ${i}`,
          `lead-${i}@bench.example`,
          i % 10 === 0 ? 'lead' : 'opportunity',
          String(i % 4),
          stages[i % stages.length] ?? null,
          users[i % users.length] ?? null,
          probability,
          revenue,
          Math.round(revenue * probability) / 100,
          created,
          created,
        );
      }
    })();
    db.exec('ANALYZE');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    await backend.close();
  }
}

async function main(): Promise<void> {
  const { dataDir, keys } = await prepareData(0);
  try {
    await growLeads(dataDir);
    const server = await spawnServer({ DATA_DIR: dataDir });
    try {
      const domain = encodeURIComponent(DOMAIN);
      const grouped = `${server.url}/api/crm_lead/groups?domain=${domain}&groupby=stage_id,create_date:month&aggregates=expected_revenue:sum,prorated_revenue:sum`;
      const list = `${server.url}/api/crm_lead?domain=${domain}&limit=80&fields=id,name,stage_id,expected_revenue`;
      const as = (key: string) => ({ authorization: `Bearer ${key}` });
      // Warm up: the zone's offsets, the statement cache, the JIT.
      await sequentialLatency('warm-up', grouped, as(keys.admin), 20);
      await sequentialLatency('warm-up', grouped, as(keys.demo), 20);
      const check = await fetch(grouped, { headers: as(keys.admin) });
      const body = (await check.json()) as { total: number; groups: Array<{ __count: number }> };
      const records = body.groups.reduce((n, g) => n + g.__count, 0);
      const rows: Measurement[] = [
        await sequentialLatency(`REST groups: stage x create_date:month, 2 sums, ${ROWS} rows (admin)`, grouped, as(keys.admin), REQUESTS),
        await sequentialLatency(
          `REST groups: stage x create_date:month, 2 sums, ${ROWS} rows (demo, record rules)`,
          grouped,
          as(keys.demo),
          REQUESTS,
        ),
        await sequentialLatency(`REST list, same domain, 80 rows + total (admin)`, list, as(keys.admin), REQUESTS),
        await sequentialLatency(`REST list, same domain, 80 rows + total (demo, record rules)`, list, as(keys.demo), REQUESTS),
      ];
      console.log(`\ncrm.lead: ${ROWS} rows; domain ${DOMAIN}: ${records} records in ${body.total} groups (admin)`);
      console.log(`${REQUESTS} sequential requests per row, after a warm-up; target: groups p50 <= ${TARGET_P50_MS} ms\n`);
      printTable(rows);
      const slow = rows.slice(0, 2).filter((row) => row.p50 > TARGET_P50_MS);
      if (slow.length) console.log(`\nABOVE TARGET: ${slow.map((row) => `${row.name}: p50 ${row.p50} ms`).join('; ')}`);
      if (rows.some((row) => row.non2xx > 0)) process.exitCode = 1;
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
