/**
 * `npm run bench:rest`: the REST contract's speed floors (issues 2 and 3), on loopback.
 * - list 80 sale orders (many2one expanded, `total` counted) as admin and as demo, 10 connections for
 *   10 s each: with the field list of mrm_rest_api's example 1, a typical one, and every field;
 * - a filtered list on a 100,000-row table (crm.lead) by an indexed field: 2,000 sequential requests,
 *   median latency to the microsecond.
 * The server runs as its own process (src/main.ts) so that autocannon does not share its event loop.
 */
import { rmSync } from 'node:fs';
import { BIG_TABLE_ROWS, filteredListLatency } from './lib/filtered-list.js';
import { prepareData } from './lib/prepare-data.js';
import { measure, printTable, type Measurement } from './lib/measure.js';
import { spawnServer } from '../test/helpers/spawn-server.js';

const TYPICAL_FIELDS = 'id,name,partner_id,user_id,company_id,state,date_order,amount_total';
const duration = Number(process.env.BENCH_DURATION ?? 10);

async function main(): Promise<void> {
  const { dataDir, keys } = await prepareData(BIG_TABLE_ROWS);
  try {
    const server = await spawnServer({ DATA_DIR: dataDir });
    try {
      // The field list of mrm_rest_api's documented example 1 (id, name, partner_id), a typical list with
      // several many2ones, and every readable field (the default: also x2many ids and display names).
      const list = `${server.url}/api/sale_order?limit=80&fields=id,name,partner_id`;
      const typical = `${server.url}/api/sale_order?limit=80&fields=${TYPICAL_FIELDS}`;
      const all = `${server.url}/api/sale_order?limit=80`;
      // Warm up (statement cache, JIT) before measuring.
      await measure('warm-up', { url: list, headers: { authorization: `Bearer ${keys.admin}` }, duration: 2 });
      const rows: Measurement[] = [];
      rows.push(
        await measure('REST list 80 sale orders, fields=id,name,partner_id (admin)', {
          url: list,
          headers: { authorization: `Bearer ${keys.admin}` },
          duration,
        }),
      );
      rows.push(
        await measure('REST list 80 sale orders, fields=id,name,partner_id (demo, record rules)', {
          url: list,
          headers: { authorization: `Bearer ${keys.demo}` },
          duration,
        }),
      );
      rows.push(
        await filteredListLatency(`REST filtered list, ${BIG_TABLE_ROWS} rows, indexed field (sequential)`, server.url, keys.admin),
      );
      rows.push(
        await measure(`REST list 80 sale orders, ${TYPICAL_FIELDS.split(',').length} fields (admin)`, {
          url: typical,
          headers: { authorization: `Bearer ${keys.admin}` },
          duration,
        }),
      );
      rows.push(
        await measure('REST list 80 sale orders, all fields (admin)', {
          url: all,
          headers: { authorization: `Bearer ${keys.admin}` },
          duration,
        }),
      );
      rows.push(
        await measure('REST list 80 sale orders, all fields (demo, record rules)', {
          url: all,
          headers: { authorization: `Bearer ${keys.demo}` },
          duration,
        }),
      );
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
