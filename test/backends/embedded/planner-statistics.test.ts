/**
 * SQLite's planner statistics kept current while the server runs (src/backends/embedded/planner-statistics.ts).
 * Gathered when the demo had 150 leads, they made every read of leads by id scan an index of the whole
 * table (2 ms a read at 100,000 leads instead of 4 µs) until the server restarted.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_AFTER_CHANGES, PlannerStatistics } from '../../../src/backends/embedded/planner-statistics.js';
import { freshDataDir, startServer } from '../../helpers/server.js';
import { useServer } from '../../helpers/use-server.js';
import { itNeeds } from '../../rest/capabilities.js';

/** The query every read, check and write by id runs: `idsIn` in sql/sql-fragment.ts, as SQLite plans it. */
function byIdPlan(db: Database.Database): string {
  const rows = db
    .prepare(`EXPLAIN QUERY PLAN SELECT t."id" FROM "crm_lead" t WHERE t."id" IN (SELECT value FROM json_each(?))`)
    .all('[1]') as Array<{ detail: string }>;
  return rows.map((row) => row.detail).join(' | ');
}

/** The rows sqlite_stat1 says crm_lead has (the first number of any of its indexes' statistics). */
function analysedLeads(db: Database.Database): number {
  const row = db.prepare(`SELECT stat FROM sqlite_stat1 WHERE tbl = 'crm_lead' LIMIT 1`).get() as { stat: string };
  return Number(row.stat.split(' ')[0]);
}

describe('while the server runs', () => {
  const server = useServer();

  itNeeds(
    'embedded-store',
    'statistics follow leads created through the API (ten times as many): reads by id look each id up again',
    async () => {
      const db = server.backend.db;
      const before = analysedLeads(db);
      expect(before).toBeLessThan(500);
      expect(byIdPlan(db)).toMatch(/^SCAN t USING COVERING INDEX/);

      const wanted = before * 10 + 1;
      const count = () => (db.prepare('SELECT count(*) AS n FROM crm_lead').get() as { n: number }).n;
      for (let batch = 0; count() < wanted; batch++) {
        await Promise.all(
          Array.from({ length: 20 }, async (_, i) => {
            const answer = await server.request('admin', 'POST', '/api/crm_lead?fields=id', { name: `PS lead ${batch}.${i}` });
            expect(answer.status, answer.text).toBe(201);
          }),
        );
      }
      // One more write, and the turn of the event loop after it, for the check it schedules.
      expect((await server.request('admin', 'POST', '/api/crm_lead?fields=id', { name: 'PS last' })).status).toBe(201);
      await new Promise((resolve) => setImmediate(resolve));

      // Analysed again each time the table had doubled: never more than twice (and 100) behind.
      expect(analysedLeads(db)).toBeGreaterThan((count() - 100) / 2);
      expect(byIdPlan(db)).toMatch(/^SEARCH t USING INTEGER PRIMARY KEY/);
      const read = await server.request('admin', 'GET', '/api/crm_lead?fields=name&limit=1&order=id%20desc');
      expect(read.body.results[0].name).toBe('PS last');
    },
    60_000,
  );
});

describe('a database that grew while no server watched', () => {
  itNeeds('embedded-store', 'is checked when a server opens it: reads by id look each id up before any write', async () => {
    const dataDir = freshDataDir();
    const first = await startServer({ DATA_DIR: dataDir });
    const file = first.backend.db.name;
    await first.close();
    // Another program adds 1,500 leads (an import, say), as SQLite alone.
    const raw = new Database(file);
    raw
      .prepare(`INSERT INTO crm_lead (name, type, active, priority) SELECT 'imported ' || value, 'lead', 1, '0' FROM json_each(?)`)
      .run(JSON.stringify(Array.from({ length: 1500 }, (_, i) => i)));
    expect(analysedLeads(raw)).toBeLessThan(500);
    expect(byIdPlan(raw)).toMatch(/^SCAN t USING COVERING INDEX/);
    raw.close();

    const second = await startServer({ DATA_DIR: dataDir });
    try {
      expect(byIdPlan(second.backend.db)).toMatch(/^SEARCH t USING INTEGER PRIMARY KEY/);
    } finally {
      await second.close();
    }
  });
});

describe('a check', () => {
  it('analyses a small table again once it has doubled, outside transactions, never waiting for the write lock', () => {
    const file = join(freshDataDir(), 'planner.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec('CREATE TABLE item (id INTEGER PRIMARY KEY, owner INTEGER); CREATE INDEX item_owner ON item (owner)');
    const add = (rows: number) =>
      db
        .prepare(`INSERT INTO item (owner) SELECT value % 7 FROM json_each(?)`)
        .run(JSON.stringify(Array.from({ length: rows }, (_, i) => i)));
    add(150);
    db.exec('ANALYZE');
    const analysed = () =>
      (db.prepare(`SELECT stat FROM sqlite_stat1 WHERE idx = 'item_owner'`).get() as { stat: string }).stat.split(' ')[0];
    const statistics = new PlannerStatistics(db);
    const other = new Database(file);
    try {
      add(249); // 399 rows: one short of twice 150 and 100 more
      expect(statistics.check(CHECK_AFTER_CHANGES)).toEqual([]);
      expect(analysed()).toBe('150');

      add(1); // 400
      db.exec('BEGIN');
      expect(statistics.check(CHECK_AFTER_CHANGES)).toBeUndefined();
      db.exec('COMMIT');

      other.exec('BEGIN IMMEDIATE');
      const started = Date.now();
      expect(statistics.check(CHECK_AFTER_CHANGES)).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      other.exec('ROLLBACK');
      expect(analysed()).toBe('150');

      expect(statistics.check(CHECK_AFTER_CHANGES)).toEqual(['item']);
      expect(analysed()).toBe('400');
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('analysis_limit', { simple: true })).toBe(0);
      expect(statistics.check(CHECK_AFTER_CHANGES)).toEqual([]);
    } finally {
      other.close();
      db.close();
    }
  });
});
