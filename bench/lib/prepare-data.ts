/**
 * A benchmark database: the demo data, API keys for admin and demo, and optionally crm.lead grown to
 * `bigTableRows` rows (inserted directly, in one transaction) for the large-table figure.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';

export interface BenchData {
  readonly dataDir: string;
  readonly keys: { readonly admin: string; readonly demo: string };
}

export async function prepareData(bigTableRows = 0): Promise<BenchData> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ogf-bench-'));
  const backend = new EmbeddedBackend({ dataDir, dbName: 'odoo', demo: true });
  const keys = { admin: backend.createApiKey('admin', 'bench'), demo: backend.createApiKey('demo', 'bench') };
  const insert = backend.db.prepare(
    `INSERT INTO crm_lead (name, email_from, type, active, company_id, priority, probability, expected_revenue, create_date, write_date, create_uid, write_uid)
     VALUES (?, ?, 'lead', 1, 1, '0', 10, ?, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 2, 2)`,
  );
  const existing = (backend.db.prepare('SELECT count(*) AS n FROM crm_lead').get() as { n: number }).n;
  backend.db.transaction(() => {
    for (let i = existing; i < bigTableRows; i += 1) insert.run(`Bench lead ${i}`, `lead-${i}@bench.example`, i % 1000);
  })();
  backend.db.exec('ANALYZE');
  backend.db.pragma('wal_checkpoint(TRUNCATE)');
  await backend.close();
  return { dataDir, keys };
}
