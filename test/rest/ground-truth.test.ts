/**
 * The ground truth the contract suite compares the API with (test/helpers/ground-truth.ts): its
 * PostgreSQL placeholders, its SQLite implementation, and a check over the suite's source that every
 * truth call is awaited. An un-awaited call inside `expect` compares a Promise: `toEqual` between two
 * Promises passes whatever they hold, so such a test would prove nothing and never fail.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toPostgresPlaceholders } from '../helpers/ground-truth.js';
import { useServer } from '../helpers/use-server.js';

describe('ground truth', () => {
  const server = useServer();

  it('GT-01 `?` placeholders become $1..$n for PostgreSQL, except inside strings, quoted names and comments', () => {
    expect(toPostgresPlaceholders('SELECT id FROM t WHERE a = ? AND b IN (?, ?)')).toBe('SELECT id FROM t WHERE a = $1 AND b IN ($2, $3)');
    expect(toPostgresPlaceholders(`SELECT 'why?' AS "what?", ? AS x -- and?\nFROM t WHERE y = ?`)).toBe(
      `SELECT 'why?' AS "what?", $1 AS x -- and?\nFROM t WHERE y = $2`,
    );
    expect(toPostgresPlaceholders(`SELECT 'it''s?' , ?`)).toBe(`SELECT 'it''s?' , $1`);
    expect(toPostgresPlaceholders('SELECT 1')).toBe('SELECT 1');
  });

  it('GT-02 the SQLite implementation reads the embedded store: count, rows, row, fingerprint', async () => {
    const { truth } = server;
    expect(truth.dialect).toBe('sqlite');
    const total = await truth.count('SELECT id FROM sale_order');
    expect(total).toBeGreaterThan(80);
    expect(await truth.count('SELECT id FROM sale_order WHERE TRUE')).toBe(total);
    expect(await truth.count(`SELECT id FROM res_partner WHERE active AND NOT is_company`)).toBeGreaterThan(0);
    expect(await truth.rows('SELECT login FROM res_users WHERE id = ?', 2)).toEqual([{ login: 'admin' }]);
    expect(await truth.row('res_partner', 12)).toMatchObject({ id: 12, name: 'Azure Interior' });
    expect(await truth.row('res_partner', 999999)).toBeUndefined();
    const before = await truth.fingerprint();
    expect(Object.keys(before)).toContain('sale_order');
    await server.request('admin', 'PATCH', '/api/crm_lead/1', { probability: 13 });
    const after = await truth.fingerprint();
    expect(after.crm_lead).not.toBe(before.crm_lead);
    expect(after.sale_order).toBe(before.sale_order);
  });

  it('GT-03 every ground-truth call in the contract suite is awaited', () => {
    const source = readFileSync(fileURLToPath(new URL('./contract.test.ts', import.meta.url)), 'utf8');
    // The calls that answer a Promise of ground truth: server.truth.*, and the suite's helpers over it.
    const call =
      /(?<![\w.])((?:\w+\.)?truth\.(?:count|rows|row|fingerprint)|orders|activePartners|firstId|tagName|storedLines|counts|fieldsOf)(?:<[^>()]*>)?\(/g;
    // Where they are defined (an arrow's body or a function declaration), not called.
    const definition = /(=>\s*|async function\s+)$/;
    const unawaited: string[] = [];
    let found = 0;
    for (const match of source.matchAll(call)) {
      found++;
      const before = source.slice(Math.max(0, match.index - 40), match.index);
      if (before.endsWith('await ') || definition.test(before)) continue;
      const line = source.slice(0, match.index).split('\n').length;
      unawaited.push(`contract.test.ts:${line}: ${source.slice(match.index, match.index + 60)}`);
    }
    expect(found).toBeGreaterThan(100);
    expect(unawaited).toEqual([]);
  });
});
