/**
 * res.partner's `child_ids` carries Odoo's field domain `[('active', '=', True)]` (res_partner.py): a read
 * of the field, `child_ids parent_of X` (which walks `child_ids` from X) and a name compared with the field
 * see active contacts only, even when the search asks for archived records too; ids given to `in` /
 * `not in` / `any` are taken as they are (expression.py applies the field domain to the name search only).
 * Answers pinned to the lab (Odoo 17 demo, JSON-RPC search and read on contacts created for the check).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createdId } from '../../helpers/server.js';
import { useServer } from '../../helpers/use-server.js';

const server = useServer();
let ids: Record<'C' | 'A' | 'B' | 'G', number>;

const create = (values: Record<string, unknown>) => createdId(server, 'res_partner', values);

beforeAll(async () => {
  const C = await create({ name: 'FD Co', is_company: true });
  const A = await create({ name: 'FD Active', parent_id: C });
  const B = await create({ name: 'FD Archived', parent_id: C });
  const G = await create({ name: 'FD Grand', parent_id: B });
  expect((await server.request('admin', 'PUT', `/api/res_partner/${B}?fields=id`, { active: false })).status).toBe(200);
  ids = { C, A, B, G };
});

/** Letters of the records among C, A, B, G (C's contacts A and archived B, B's contact G) that `domain` finds. */
async function search(domain: string): Promise<string[]> {
  const all = Object.values(ids).join(',');
  const answer = await server.request(
    'admin',
    'GET',
    `/api/res_partner?domain=${encodeURIComponent(`[('id','in',[${all}]),${domain}]`)}&fields=id`,
  );
  expect(answer.status, answer.text).toBe(200);
  const letter = new Map(Object.entries(ids).map(([k, v]) => [v, k]));
  return answer.body.results.map((r: { id: number }) => letter.get(r.id)!).sort();
}

describe('child_ids field domain (active contacts only)', () => {
  it('FD-01 a read of child_ids leaves the archived contact out', async () => {
    const answer = await server.request('admin', 'GET', `/api/res_partner/${ids.C}?fields=child_ids`);
    expect(answer.body.child_ids).toEqual([ids.A]);
  });

  it('FD-02 child_ids parent_of X walks active contacts only, also when archived records are asked for', async () => {
    expect(await search(`('child_ids','parent_of',${ids.C})`)).toEqual(['A', 'C']);
    expect(await search(`('child_ids','parent_of',${ids.C}),('active','in',[True,False])`)).toEqual(['A', 'C']);
    expect(await search(`('child_ids','parent_of',${ids.B})`)).toEqual(['G']);
  });

  it("FD-03 child_ids child_of X walks up parent_id whatever the contacts' state", async () => {
    expect(await search(`('child_ids','child_of',${ids.G})`)).toEqual(['C', 'G']);
    expect(await search(`('child_ids','child_of',${ids.A})`)).toEqual(['A', 'C']);
  });

  it('FD-04 a name compared with child_ids finds active contacts only; ids are taken as given', async () => {
    expect(await search(`('child_ids','=','FD Archived')`)).toEqual([]);
    expect(await search(`('child_ids','not ilike','FD Archived')`)).toEqual(['A', 'C', 'G']);
    expect(await search(`('child_ids','in',[${ids.B}]),('active','in',[True,False])`)).toEqual(['C']);
  });
});
