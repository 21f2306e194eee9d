/**
 * `npm run bench:rest`: the REST contract's speed floors (issues 2 and 3), on loopback.
 * - list 80 sale orders (default fields: many2one expanded, `total` counted) as admin and as demo,
 *   10 connections for 10 s each;
 * - a filtered list on a 100,000-row table (crm.lead) by an indexed field, one connection, median latency.
 * The server runs as its own process (src/main.ts) so that autocannon does not share its event loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedBackend } from '../src/backends/embedded/embedded-backend.js';
import { measure, printTable, type Measurement } from './lib/measure.js';
import { spawnServer } from './lib/spawn-server.js';

const BIG_TABLE_ROWS = 100_000;
const duration = Number(process.env.BENCH_DURATION ?? 10);

function prepare(dataDir: string): { admin: string; demo: string } {
  const backend = new EmbeddedBackend({ dataDir, dbName: 'odoo', demo: true });
  const keys = { admin: backend.createApiKey('admin', 'bench'), demo: backend.createApiKey('demo', 'bench') };
  const insert = backend.db.prepare(
    `INSERT INTO crm_lead (name, email_from, type, active, company_id, priority, probability, expected_revenue, create_date, write_date, create_uid, write_uid)
     VALUES (?, ?, 'lead', 1, 1, '0', 10, ?, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 2, 2)`,
  );
  const existing = (backend.db.prepare('SELECT count(*) AS n FROM crm_lead').get() as { n: number }).n;
  backend.db.transaction(() => {
    for (let i = existing; i < BIG_TABLE_ROWS; i += 1) insert.run(`Bench lead ${i}`, `lead-${i}@bench.example`, i % 1000);
  })();
  backend.db.pragma('wal_checkpoint(TRUNCATE)');
  void backend.close();
  return keys;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ogf-bench-'));
  try {
    const keys = prepare(dataDir);
    const server = await spawnServer({ DATA_DIR: dataDir });
    try {
      const list = `${server.url}/api/sale_order?limit=80`;
      const filtered = `${server.url}/api/crm_lead?domain=${encodeURIComponent('[("email_from","=","lead-54321@bench.example")]')}`;
      // Warm up (statement cache, JIT) before measuring.
      await measure('warm-up', { url: list, headers: { authorization: `Bearer ${keys.admin}` }, duration: 2 });
      const rows: Measurement[] = [];
      rows.push(await measure('REST list 80 sale orders (admin)', { url: list, headers: { authorization: `Bearer ${keys.admin}` }, duration }));
      rows.push(await measure('REST list 80 sale orders (demo, record rules)', { url: list, headers: { authorization: `Bearer ${keys.demo}` }, duration }));
      rows.push(await measure(`REST filtered list, ${BIG_TABLE_ROWS} rows, indexed field (1 connection)`, {
        url: filtered, headers: { authorization: `Bearer ${keys.admin}` }, connections: 1, duration,
      }));
      printTable(rows);
      const [admin, demo, big] = rows as [Measurement, Measurement, Measurement];
      process.stdout.write(
        `\nfloors: list >= 2000 req/s: ${admin.requestsPerSecond >= 2000 ? 'met' : 'NOT met'}; ` +
          `demo within 20% of admin: ${demo.requestsPerSecond >= 0.8 * admin.requestsPerSecond ? 'met' : 'NOT met'} ` +
          `(${Math.round((100 * demo.requestsPerSecond) / admin.requestsPerSecond)}%); ` +
          `filtered median < 10 ms: ${big.p50 < 10 ? 'met' : 'NOT met'}\n`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
