/**
 * The list's `total` and the many2one names it shows, where the server takes shortcuts (issue 20): a page
 * shorter than its limit tells the total without a count (totalFromPage), and display names are kept
 * between requests while the data is unchanged (src/backends/embedded/display-name-cache.ts). Each
 * shortcut must answer exactly what a full count and a fresh read answer, whatever writes in between:
 * here, through REST, from another SQLite connection (the CLI, another worker), and inside a transaction
 * that rolls back.
 */
import { describe, expect, it } from 'vitest';
import { totalFromPage } from '../../src/backends/backend.js';
import { q } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { AZURE_INTERIOR, sqlCount, writeFromAnotherConnection } from './support.js';

const server = useServer();

const list = async (user: string, params: Record<string, string | number>) => {
  const answer = await server.request(user, 'GET', `/api/sale_order?${q(params)}`);
  expect(answer.status).toBe(200);
  return answer.body as { count: number; total: number; results: Array<Record<string, any>> };
};

describe('totalFromPage', () => {
  it('LP-01 a short page tells the total; a full page, or an empty one past the start, does not', () => {
    expect(totalFromPage(3, 80, 0)).toBe(3);
    expect(totalFromPage(3, 80, 160)).toBe(163);
    expect(totalFromPage(0, 80, 0)).toBe(0);
    expect(totalFromPage(80, 80, 0)).toBeUndefined();
    expect(totalFromPage(0, 80, 500)).toBeUndefined();
    expect(totalFromPage(0, 0, 0)).toBeUndefined();
    expect(totalFromPage(5, undefined, 0)).toBe(5);
  });
});

describe('REST list total', () => {
  it('LP-02 total is the count of every match, for full, short, empty and past-the-end pages, as admin and under record rules', async () => {
    for (const user of ['admin', 'demo']) {
      const all = await list(user, { fields: 'id', limit: 1000 });
      const total = all.results.length;
      expect(all.total).toBe(total);
      for (const [limit, offset] of [
        [10, 0],
        [10, total - 3],
        [10, total],
        [10, total + 50],
        [0, 0],
        [total, 0],
      ] as const) {
        const page = await list(user, { fields: 'id', limit, offset });
        expect(page.total, `${user} limit ${limit} offset ${offset}`).toBe(total);
        expect(page.count).toBe(Math.max(0, Math.min(limit, total - offset)));
      }
    }
    expect((await list('admin', { fields: 'id', limit: 1000 })).total).toBe(sqlCount(server, 'SELECT id FROM sale_order'));
  });

  it('LP-03 a domain that matches nothing answers total 0', async () => {
    const page = await list('admin', { fields: 'id', domain: JSON.stringify([['name', '=', 'no such order']]) });
    expect(page).toMatchObject({ count: 0, total: 0, results: [] });
  });
});

describe('many2one names between requests', () => {
  const customerName = async () => {
    const page = await list('admin', { fields: 'partner_id', domain: JSON.stringify([['partner_id', '=', AZURE_INTERIOR]]), limit: 1 });
    expect(page.results).toHaveLength(1);
    return page.results[0]!.partner_id.name as string;
  };

  it('LP-04 a rename through REST shows at the next list', async () => {
    const before = await customerName();
    const renamed = await server.request('admin', 'PUT', `/api/res_partner/${AZURE_INTERIOR}`, { name: 'Azure Interior Renamed' });
    expect(renamed.status).toBe(200);
    expect(await customerName()).toBe('Azure Interior Renamed');
    await server.request('admin', 'PUT', `/api/res_partner/${AZURE_INTERIOR}`, { name: before });
    expect(await customerName()).toBe(before);
  });

  it('LP-05 a rename committed by another connection shows at the next list', async () => {
    const before = await customerName();
    writeFromAnotherConnection(server, `UPDATE res_partner SET complete_name = ? WHERE id = ?`, 'Renamed Elsewhere', AZURE_INTERIOR);
    expect(await customerName()).toBe('Renamed Elsewhere');
    writeFromAnotherConnection(server, `UPDATE res_partner SET complete_name = ? WHERE id = ?`, before, AZURE_INTERIOR);
    expect(await customerName()).toBe(before);
  });

  it('LP-06 a rename read inside a transaction that rolls back never shows', async () => {
    const before = await customerName();
    const { store, db } = server.backend;
    expect(() =>
      store.transaction(() => {
        db.prepare(`UPDATE res_partner SET complete_name = ? WHERE id = ?`).run('Never Seen', AZURE_INTERIOR);
        // Read inside the transaction (as a write's read-back does): seen there, kept nowhere.
        expect(store.displayNames('res.partner', [AZURE_INTERIOR]).get(AZURE_INTERIOR)).toBe('Never Seen');
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(await customerName()).toBe(before);
  });
});
