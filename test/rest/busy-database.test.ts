/**
 * Another process holding SQLite's write lock (a worker of WORKERS, the CLI) past the busy timeout: a write
 * gets 503 with `Retry-After` and the contract's `{"error"}`, never a 500, changes nothing, and goes through
 * once the lock is released. Reads still answer while the other process holds the lock (WAL: readers
 * never wait for a writer); the waiting write holds up its own process meanwhile (better-sqlite3 is
 * synchronous), which is why writes stay short.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toApiError } from '../../src/rest/api-error.js';
import { useServer } from '../helpers/use-server.js';
import { sqlCount } from './support.js';

const server = useServer();

describe('a database busy with another process', () => {
  it('BUSY-01 a write waits for the lock, then answers 503 to retry; reads go on; the write succeeds once the lock is free', async () => {
    // admin's key is made at the first request: before the lock.
    expect((await server.request('admin', 'GET', '/api/crm_lead?fields=id&limit=1')).status).toBe(200);
    const other = new Database(join(server.dataDir, 'odoo.sqlite'));
    const leads = () => sqlCount(server, 'SELECT id FROM crm_lead');
    const before = leads();
    try {
      other.exec('BEGIN IMMEDIATE');
      const started = Date.now();
      const refused = await server.request('admin', 'POST', '/api/crm_lead', { name: 'Waits for the lock' });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.body).toEqual({ error: expect.stringMatching(/busy/) });
      // It waited for the busy timeout (5 s) before giving up.
      expect(Date.now() - started).toBeGreaterThanOrEqual(4500);
      const read = await server.request('admin', 'GET', '/api/crm_lead?fields=id&limit=1');
      expect(read.status).toBe(200);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(leads()).toBe(before);
    const created = await server.request('admin', 'POST', '/api/crm_lead', { name: 'After the lock' });
    expect(created.status).toBe(201);
    expect(leads()).toBe(before + 1);
  }, 20_000);

  it('BUSY-02 SQLite busy outside a store transaction is a 503 too, not a 500', () => {
    const error = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const answer = toApiError(error);
    expect(answer.status).toBe(503);
    expect(answer.headers).toEqual({ 'retry-after': '1' });
    expect(answer.message).toMatch(/busy/);
  });
});
