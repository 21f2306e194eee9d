/**
 * Extension to the contract (issue 18): `GET /api/<slug>/groups`, Odoo 17's read_group over REST, on the
 * embedded store's demo data over real HTTP. Groups, counts and sums are checked against what the List
 * route gives the same caller (record rules change both alike: admin and the salesman `demo` see different
 * totals), each group's `__domain` is listed through `GET /api/<slug>` and must give exactly `__count`
 * records, and date groups are checked against the labels and bounds Odoo 17 gives (READ_GROUP_DISPLAY_FORMAT
 * through Babel 2.10, as the lab's Odoo answers: en_US weeks start on Sunday, `W53 2025` then `W2 2026`),
 * in the demo users' time zone (Europe/Brussels) across a year boundary and a daylight saving change.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dateLabel } from '../../src/backends/embedded/store-group.js';
import { createApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { sendJson } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { expectError } from './support.js';

const server = useServer();

type Group = Record<string, any> & { __count: number; __domain: unknown[] };
interface GroupPage {
  count: number;
  total: number;
  groups: Group[];
}

async function groups(path: string, user = 'admin'): Promise<GroupPage> {
  const answer = await server.request(user, 'GET', path);
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body.count).toBe(answer.body.groups.length);
  return answer.body as GroupPage;
}

/** Every record of the List route for `domain` (a list, sent as JSON, or a domain's text as it stands), as `user` sees them. */
async function listAll(slug: string, domain: unknown, user: string, fields = 'id'): Promise<{ total: number; results: any[] }> {
  const text = typeof domain === 'string' ? domain : JSON.stringify(domain);
  const answer = await server.request(user, 'GET', `/api/${slug}?limit=1000&fields=${fields}&domain=${encodeURIComponent(text)}`);
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body.total).toBe(answer.body.count);
  return answer.body;
}

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** Each group's `__domain` lists exactly its `__count` records; together, the groups hold every record once (no many2many key). */
async function expectDomainsExact(slug: string, page: GroupPage, user: string, domain: unknown = [], partition = true): Promise<void> {
  const seen = new Set<number>();
  for (const group of page.groups) {
    const { total, results } = await listAll(slug, group.__domain, user);
    expect(total, `${JSON.stringify(group.__domain)}`).toBe(group.__count);
    for (const record of results) {
      if (partition) expect(seen.has(record.id), `record ${record.id} in two groups`).toBe(false);
      seen.add(record.id);
    }
  }
  if (partition && page.count === page.total) expect(seen.size).toBe((await listAll(slug, domain, user)).total);
}

describe("GET /api/<slug>/groups: counts and sums under the caller's rules", () => {
  it("GRP-01 groups crm leads by stage with a sum: {id, name} keys, __count, the sum, __domain; the totals are the List's", async () => {
    const page = await groups(`/api/crm_lead/groups?${q({ groupby: 'stage_id', aggregates: 'expected_revenue:sum' })}`);
    expect(page.total).toBe(page.count);
    expect(page.groups.length).toBeGreaterThan(2);
    const all = await listAll('crm_lead', [], 'admin', 'expected_revenue,stage_id');
    expect(page.groups.reduce((n, g) => n + g.__count, 0)).toBe(all.total);
    for (const group of page.groups) {
      expect(Object.keys(group).sort()).toEqual(['__count', '__domain', 'expected_revenue:sum', 'stage_id']);
      expect(group.stage_id).toEqual({ id: expect.any(Number), name: expect.any(String) });
      const own = all.results.filter((r) => r.stage_id?.id === group.stage_id.id);
      expect(group.__count).toBe(own.length);
      expect(group['expected_revenue:sum']).toBeCloseTo(
        own.reduce((n, r) => n + r.expected_revenue, 0),
        6,
      );
      expect(group.__domain).toEqual([['stage_id', '=', group.stage_id.id]]);
    }
    // Odoo's order for a many2one key: its comodel's (crm.stage: sequence, name, id), not the ids.
    const stages = await server.request('admin', 'GET', '/api/crm_stage?fields=id&order=sequence,name,id');
    const order = stages.body.results.map((s: any) => s.id);
    const ids = page.groups.map((g) => g.stage_id.id);
    expect(ids).toEqual(order.filter((id: number) => ids.includes(id)));
  });

  it("GRP-02 a salesman's groups are his record rules' (own or unassigned leads): fewer leads, other sums, the same as his List", async () => {
    const path = `/api/crm_lead/groups?${q({ groupby: 'stage_id', aggregates: 'expected_revenue:sum,probability:avg' })}`;
    const [admin, demo] = await Promise.all([groups(path, 'admin'), groups(path, 'demo')]);
    const count = (page: GroupPage) => page.groups.reduce((n, g) => n + g.__count, 0);
    expect(count(demo)).toBeLessThan(count(admin));
    const listed = await listAll('crm_lead', [], 'demo', 'expected_revenue,probability,stage_id');
    expect(count(demo)).toBe(listed.total);
    for (const group of demo.groups) {
      const own = listed.results.filter((r) => (r.stage_id ? r.stage_id.id : false) === (group.stage_id ? group.stage_id.id : false));
      expect(group.__count).toBe(own.length);
      expect(group['expected_revenue:sum']).toBeCloseTo(
        own.reduce((n, r) => n + r.expected_revenue, 0),
        6,
      );
      expect(group['probability:avg']).toBeCloseTo(own.reduce((n, r) => n + r.probability, 0) / own.length, 6);
    }
    const sum = (page: GroupPage) => page.groups.reduce((n, g) => n + (g['expected_revenue:sum'] || 0), 0);
    expect(sum(demo)).toBeLessThan(sum(admin));
    await expectDomainsExact('crm_lead', demo, 'demo');
  });

  it('GRP-03 the empty many2one group is `false`, its __domain `(field, =, False)`; it sorts last ascending, first descending', async () => {
    const page = await groups(`/api/crm_lead/groups?${q({ groupby: 'partner_id' })}`);
    const empty = page.groups.filter((g) => g.partner_id === false);
    expect(empty).toHaveLength(1);
    expect(empty[0]!.__domain).toEqual([['partner_id', '=', false]]);
    expect(page.groups.at(-1)!.partner_id).toBe(false);
    const reversed = await groups(`/api/crm_lead/groups?${q({ groupby: 'partner_id', order: 'partner_id desc' })}`);
    expect(reversed.groups[0]!.partner_id).toBe(false);
    await expectDomainsExact('crm_lead', page, 'admin');
  });

  it('GRP-04 several keys at once (lazy=false): one group per pair of values, each key as written', async () => {
    const page = await groups(`/api/crm_lead/groups?${q({ groupby: 'type,priority', aggregates: 'id:count' })}`);
    for (const group of page.groups) {
      expect(['lead', 'opportunity']).toContain(group.type);
      expect(['0', '1', '2', '3']).toContain(group.priority);
      expect(group['id:count']).toBe(group.__count);
      expect(group.__domain).toEqual(['&', ['type', '=', group.type], ['priority', '=', group.priority]]);
    }
    expect(new Set(page.groups.map((g) => `${g.type}/${g.priority}`)).size).toBe(page.count);
    await expectDomainsExact('crm_lead', page, 'admin');
  });

  it('GRP-05 lazy=true groups by the first key only, leaves the others in __context, and adds the empty stages with __fold', async () => {
    const domain = JSON.stringify([['stage_id.sequence', '<=', 1]]);
    const eager = await groups(`/api/crm_lead/groups?${q({ groupby: 'stage_id,user_id', domain, aggregates: 'expected_revenue:sum' })}`);
    const lazy = await groups(
      `/api/crm_lead/groups?${q({ groupby: 'stage_id,user_id', domain, aggregates: 'expected_revenue:sum', lazy: 'true' })}`,
    );
    expect(eager.groups.every((g) => 'user_id' in g)).toBe(true);
    expect(lazy.groups.every((g) => !('user_id' in g))).toBe(true);
    for (const group of lazy.groups) expect(group.__context).toEqual({ group_by: ['user_id'] });
    // Every stage is a column, those without a lead with 0 and an empty sum (false), as Odoo's group_expand.
    const stages = await server.request('admin', 'GET', '/api/crm_stage?fields=id,fold&order=sequence,name,id');
    expect(lazy.groups.map((g) => g.stage_id.id)).toEqual(stages.body.results.map((s: any) => s.id));
    expect(lazy.total).toBe(stages.body.total);
    for (const group of lazy.groups) {
      expect(group.__fold).toBe(stages.body.results.find((s: any) => s.id === group.stage_id.id).fold);
      if (group.__count === 0) expect(group['expected_revenue:sum']).toBe(false);
    }
    expect(lazy.groups.some((g) => g.__count === 0)).toBe(true);
    const counted = lazy.groups.filter((g) => g.__count > 0);
    expect(counted.reduce((n, g) => n + g.__count, 0)).toBe(eager.groups.reduce((n, g) => n + g.__count, 0));
    for (const group of lazy.groups)
      expect(group.__domain).toEqual(['&', ['stage_id.sequence', '<=', 1], ['stage_id', '=', group.stage_id.id]]);
    await expectDomainsExact('crm_lead', lazy, 'admin', JSON.parse(domain));
    await expectDomainsExact('crm_lead', eager, 'admin', JSON.parse(domain));
    // `stage_id desc` reverses the columns, as Odoo's fill does for that very order.
    const reversed = await groups(`/api/crm_lead/groups?${q({ groupby: 'stage_id', domain, lazy: 'true', order: 'stage_id desc' })}`);
    expect(reversed.groups.map((g) => g.stage_id.id)).toEqual(stages.body.results.map((s: any) => s.id).reverse());
    // limit 0: the number of groups only.
    expect(await groups(`/api/crm_lead/groups?${q({ groupby: 'stage_id', domain, lazy: 'true', limit: '0' })}`)).toEqual({
      count: 0,
      total: stages.body.total,
      groups: [],
    });
  });

  it('GRP-06 order by an aggregate or __count, in either direction', async () => {
    const bySum = await groups(
      `/api/crm_lead/groups?${q({ groupby: 'user_id', aggregates: 'expected_revenue:sum', order: 'expected_revenue:sum desc' })}`,
    );
    const sums = bySum.groups.map((g) => g['expected_revenue:sum'] || 0);
    expect(sums).toEqual([...sums].sort((a, b) => b - a));
    const byCount = await groups(`/api/crm_lead/groups?${q({ groupby: 'user_id', order: '__count asc' })}`);
    const counts = byCount.groups.map((g) => g.__count);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    // An aggregate not asked for orders too (Odoo's _read_group_orderby), and a bare field takes the aggregate on it.
    const byMax = await groups(`/api/crm_lead/groups?${q({ groupby: 'user_id', order: 'probability:max desc, __count desc' })}`);
    expect(byMax.count).toBe(byCount.count);
    const bare = await groups(
      `/api/crm_lead/groups?${q({ groupby: 'user_id', aggregates: 'expected_revenue:sum', order: 'expected_revenue desc' })}`,
    );
    expect(bare.groups).toEqual(bySum.groups);
  });

  it('GRP-07 limit and offset page the groups; total is every group, whatever the page', async () => {
    const all = await groups(`/api/crm_lead/groups?${q({ groupby: 'partner_id', order: '__count desc' })}`);
    expect(all.total).toBeGreaterThan(5);
    const pages: Group[] = [];
    for (let offset = 0; offset < all.total; offset += 4) {
      const page = await groups(
        `/api/crm_lead/groups?${q({ groupby: 'partner_id', order: '__count desc', limit: '4', offset: String(offset) })}`,
      );
      expect(page.total).toBe(all.total);
      expect(page.count).toBe(Math.min(4, all.total - offset));
      pages.push(...page.groups);
    }
    expect(pages).toEqual(all.groups);
    const beyond = await groups(`/api/crm_lead/groups?${q({ groupby: 'partner_id', offset: String(all.total + 3) })}`);
    expect(beyond).toEqual({ count: 0, total: all.total, groups: [] });
    const none = await groups(`/api/crm_lead/groups?${q({ groupby: 'partner_id', limit: '0' })}`);
    expect(none).toEqual({ count: 0, total: all.total, groups: [] });
  });

  it("GRP-08 every group's __domain, listed through GET /api/<slug>, gives exactly __count records (many keys, models, users)", async () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ['crm_lead', { groupby: 'user_id' }, 'admin'],
      ['crm_lead', { groupby: 'user_id' }, 'demo'],
      ['crm_lead', { groupby: 'create_date:week' }, 'admin'],
      ['crm_lead', { groupby: 'date_deadline:quarter,type' }, 'demo'],
      ['crm_lead', { groupby: 'date_deadline:day', domain: '[("type", "=", "opportunity")]' }, 'admin'],
      ['crm_lead', { groupby: 'date_closed:hour' }, 'admin'],
      ['crm_lead', { groupby: 'active', domain: '[("active", "in", [True, False])]' }, 'admin'],
      ['sale_order', { groupby: 'state,date_order:month' }, 'admin'],
      ['sale_order', { groupby: 'partner_id', domain: '[("state", "!=", "cancel")]' }, 'demo'],
      ['purchase_order', { groupby: 'partner_id,date_order:year' }, 'admin'],
      ['stock_picking', { groupby: 'state,scheduled_date:week' }, 'admin'],
      ['res_partner', { groupby: 'is_company,country_id' }, 'demo'],
      ['res_partner', { groupby: 'create_date:day', domain: '[("is_company", "=", True)]' }, 'portal'],
    ];
    for (const [slug, params, user] of cases) {
      const page = await groups(`/api/${slug}/groups?${q(params)}`, user);
      expect(page.count, `${slug} ${JSON.stringify(params)}`).toBeGreaterThan(0);
      await expectDomainsExact(slug, page, user, params.domain ?? []);
    }
  });

  it("GRP-09 a many2many key: a record in each of its tags' groups and in the empty group without one; each __domain exact", async () => {
    const page = await groups(`/api/res_partner/groups?${q({ groupby: 'category_id' })}`);
    expect(page.groups.some((g) => g.category_id === false)).toBe(true);
    const tagged = page.groups.filter((g) => g.category_id !== false);
    expect(tagged.length).toBeGreaterThan(1);
    for (const group of tagged) expect(group.category_id).toEqual({ id: expect.any(Number), name: expect.any(String) });
    const empty = page.groups.find((g) => g.category_id === false)!;
    expect(empty.__domain).toEqual([['category_id', 'not in', tagged.map((g) => g.category_id.id)]]);
    await expectDomainsExact('res_partner', page, 'admin', [], false);
  });

  it("GRP-10 a date key spans the year boundary with Odoo's labels and bounds (day, week, month, quarter, year)", async () => {
    const domain = JSON.stringify([
      ['date_deadline', '>=', '2025-12-20'],
      ['date_deadline', '<', '2026-01-10'],
    ]);
    const get = async (key: string) => groups(`/api/crm_lead/groups?${q({ groupby: key, domain })}`);
    const months = await get('date_deadline:month');
    expect(months.groups.map((g) => [g['date_deadline:month'], g.__range])).toEqual([
      ['December 2025', { 'date_deadline:month': { from: '2025-12-01', to: '2026-01-01' } }],
      ['January 2026', { 'date_deadline:month': { from: '2026-01-01', to: '2026-02-01' } }],
    ]);
    expect(months.groups[0]!.__domain).toEqual([
      '&',
      '&',
      ['date_deadline', '>=', '2025-12-20'],
      ['date_deadline', '<', '2026-01-10'],
      '&',
      ['date_deadline', '>=', '2025-12-01'],
      ['date_deadline', '<', '2026-01-01'],
    ]);
    // No granularity: month, the key as written.
    expect((await get('date_deadline')).groups.map((g) => g.date_deadline)).toEqual(['December 2025', 'January 2026']);
    expect((await get('date_deadline:quarter')).groups.map((g) => g['date_deadline:quarter'])).toEqual(['Q4 2025', 'Q1 2026']);
    expect((await get('date_deadline:year')).groups.map((g) => g['date_deadline:year'])).toEqual(['2025', '2026']);
    // en_US weeks start on Sunday (res.lang week_start 7); Babel numbers the week of 28 Dec 2025 53 of 2025, the next one 2 of 2026.
    const weeks = await get('date_deadline:week');
    const labels = weeks.groups.map((g) => [g['date_deadline:week'], g.__range['date_deadline:week'].from]);
    expect(labels).toEqual(
      expect.arrayContaining([
        ['W52 2025', '2025-12-21'],
        ['W53 2025', '2025-12-28'],
        ['W2 2026', '2026-01-04'],
      ]),
    );
    for (const group of weeks.groups) {
      const { from, to } = group.__range['date_deadline:week'];
      expect(new Date(`${from}T00:00:00Z`).getUTCDay()).toBe(0);
      expect(Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)).toBe(7 * 86_400_000);
    }
    const days = await get('date_deadline:day');
    expect(days.groups[0]!['date_deadline:day']).toMatch(/^\d\d (Dec) 2025$/);
    for (const page of [months, weeks, days]) await expectDomainsExact('crm_lead', page, 'admin', JSON.parse(domain));
  });

  describe("datetimes in the user's time zone (Europe/Brussels)", () => {
    const marker = `GRP-TZ-${Date.now()}`;
    // UTC instants: New Year in Brussels (CET, +1), and the day clocks go forward (29 March 2026, 23 hours).
    const closed = ['2025-12-31 22:30:00', '2025-12-31 23:30:00', '2026-03-28 23:30:00', '2026-03-29 21:30:00', '2026-03-29 22:30:00'];
    beforeAll(async () => {
      for (const [i, date] of closed.entries()) {
        const answer = await server.request('admin', 'POST', '/api/crm_lead', { name: `${marker} ${i}`, date_closed: date });
        expect(answer.status, answer.text).toBe(201);
      }
    });
    const domain = () => JSON.stringify([['name', 'like', marker]]);

    it('GRP-11 a datetime group is the local month / day, its bounds in UTC; a day of 23 hours across the DST change', async () => {
      const months = await groups(`/api/crm_lead/groups?${q({ groupby: 'date_closed:month', domain: domain() })}`);
      expect(months.groups.map((g) => [g['date_closed:month'], g.__count, g.__range['date_closed:month']])).toEqual([
        ['December 2025', 1, { from: '2025-11-30 23:00:00', to: '2025-12-31 23:00:00' }],
        ['January 2026', 1, { from: '2025-12-31 23:00:00', to: '2026-01-31 23:00:00' }],
        // March: from CET midnight to CEST midnight.
        ['March 2026', 3, { from: '2026-02-28 23:00:00', to: '2026-03-31 22:00:00' }],
      ]);
      const years = await groups(`/api/crm_lead/groups?${q({ groupby: 'date_closed:year', domain: domain() })}`);
      expect(years.groups.map((g) => [g['date_closed:year'], g.__count])).toEqual([
        ['2025', 1],
        ['2026', 4],
      ]);
      const days = await groups(`/api/crm_lead/groups?${q({ groupby: 'date_closed:day', domain: domain() })}`);
      expect(days.groups.map((g) => [g['date_closed:day'], g.__count, g.__range['date_closed:day']])).toEqual([
        ['31 Dec 2025', 1, { from: '2025-12-30 23:00:00', to: '2025-12-31 23:00:00' }],
        ['01 Jan 2026', 1, { from: '2025-12-31 23:00:00', to: '2026-01-01 23:00:00' }],
        ['29 Mar 2026', 2, { from: '2026-03-28 23:00:00', to: '2026-03-29 22:00:00' }],
        ['30 Mar 2026', 1, { from: '2026-03-29 22:00:00', to: '2026-03-30 22:00:00' }],
      ]);
      const hours = await groups(`/api/crm_lead/groups?${q({ groupby: 'date_closed:hour', domain: domain() })}`);
      // `hh:00 dd MMM`: a 12-hour clock without AM/PM, as Odoo 17 labels hours.
      expect(hours.groups.map((g) => g['date_closed:hour'])).toEqual([
        '11:00 31 Dec',
        '12:00 01 Jan',
        '12:00 29 Mar',
        '11:00 29 Mar',
        '12:00 30 Mar',
      ]);
      for (const page of [months, years, days, hours]) await expectDomainsExact('crm_lead', page, 'admin', JSON.parse(domain()));
    });
  });

  describe("datetimes in any time zone (the `context` parameter), against the platform's own zone data", () => {
    const marker = `GRP-ZONES-${Date.now()}`;
    // Around New Year and the 2026 clock changes of the zones below (UTC), 8 instants each, seeded.
    const pivots = [
      '2026-01-01T00:00:00Z',
      '2026-03-08T07:00:00Z',
      '2026-03-29T01:00:00Z',
      '2026-04-04T15:00:00Z',
      '2026-09-27T14:00:00Z',
      '2026-10-25T01:00:00Z',
      '2026-11-01T06:00:00Z',
    ];
    let seed = 18;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const instants = pivots.flatMap((pivot) =>
      Array.from({ length: 8 }, () =>
        new Date(Date.parse(pivot) + Math.round((random() - 0.5) * 72 * 3600) * 1000).toISOString().slice(0, 19).replace('T', ' '),
      ),
    );
    beforeAll(async () => {
      for (const [i, date] of instants.entries()) {
        const answer = await server.request('admin', 'POST', '/api/crm_lead', { name: `${marker} ${i}`, date_closed: date });
        expect(answer.status, answer.text).toBe(201);
      }
    });

    /** The wall-clock `YYYY-MM-DD HH` of a UTC `YYYY-MM-DD HH:MM:SS` in `zone`, by Intl. */
    const wall = (utc: string, zone: string) => {
      const parts = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
      }).formatToParts(new Date(`${utc.replace(' ', 'T')}Z`));
      const part = (type: string) => parts.find((p) => p.type === type)!.value;
      return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}`;
    };
    /** The local start of the bucket of a wall time: hour, day, week (Sunday), month, year. */
    const bucket = (local: string, granularity: string) => {
      const day = local.slice(0, 10);
      if (granularity === 'hour') return local;
      if (granularity === 'day') return day;
      if (granularity === 'month') return day.slice(0, 7);
      if (granularity === 'year') return day.slice(0, 4);
      const date = new Date(`${day}T00:00:00Z`);
      return new Date(date.getTime() - date.getUTCDay() * 86_400_000).toISOString().slice(0, 10);
    };

    for (const zone of [
      'Europe/Brussels',
      'America/New_York',
      'Asia/Kolkata',
      'America/St_Johns',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'UTC',
    ]) {
      it(`GRP-15 ${zone}: hour, day, week, month and year groups hold the records Intl puts there; their bounds hold them`, async () => {
        for (const granularity of ['hour', 'day', 'week', 'month', 'year']) {
          const key = `date_closed:${granularity}`;
          const page = await groups(
            `/api/crm_lead/groups?${q({ groupby: key, domain: JSON.stringify([['name', 'like', marker]]), context: JSON.stringify({ tz: zone }) })}`,
          );
          const expected = new Map<string, number>();
          for (const instant of instants) {
            const local = bucket(wall(instant, zone), granularity);
            expected.set(local, (expected.get(local) ?? 0) + 1);
          }
          const actual = new Map<string, number>();
          for (const group of page.groups) {
            const { from, to } = group.__range[key];
            // The group's bounds, in UTC, are its bucket's start and the next one's in the zone.
            const start = bucket(wall(from, zone), granularity);
            actual.set(start, group.__count);
            const inside = instants.filter((i) => i >= from && i < to);
            if (granularity !== 'hour') expect(inside.length, `${key} ${group[key]} [${from}, ${to})`).toBe(group.__count);
          }
          expect(Object.fromEntries(actual), `${zone} ${key}`).toEqual(Object.fromEntries(expected));
        }
      });
    }
  });

  it("GRP-16 date labels are Babel 2.10's for READ_GROUP_DISPLAY_FORMAT, week numbers by each language's week rules", () => {
    // Made with the lab Odoo's Babel 2.10.3: format_date(d, "'W'w YYYY", locale=lang), and so on.
    const babel: Array<[string, 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year', string, string]> = [
      ['en_US', 'week', '2025-12-28', 'W53 2025'],
      ['en_US', 'week', '2026-01-01', 'W1 2026'],
      ['en_US', 'week', '2026-01-04', 'W2 2026'],
      ['en_US', 'week', '2027-01-03', 'W2 2027'],
      ['en_US', 'week', '2020-12-31', 'W53 2020'],
      ['en_US', 'week', '2021-01-03', 'W2 2021'],
      ['en_US', 'day', '2026-02-05', '05 Feb 2026'],
      ['en_US', 'month', '2026-02-05', 'February 2026'],
      ['en_US', 'quarter', '2026-02-05', 'Q1 2026'],
      ['en_US', 'year', '2026-02-05', '2026'],
      ['en_US', 'hour', '2026-02-05T00:00:00', '12:00 05 Feb'],
      ['en_US', 'hour', '2026-02-05T13:00:00', '01:00 05 Feb'],
      ['fr_FR', 'week', '2025-12-28', 'W52 2025'],
      ['fr_FR', 'week', '2026-01-01', 'W1 2026'],
      ['fr_FR', 'week', '2026-01-04', 'W1 2026'],
      ['fr_FR', 'week', '2027-01-03', 'W53 2026'],
      ['fr_FR', 'week', '2020-12-31', 'W53 2020'],
      ['fr_FR', 'week', '2021-01-03', 'W53 2020'],
      ['fr_FR', 'day', '2026-02-05', '05 févr. 2026'],
      ['fr_FR', 'month', '2026-02-05', 'février 2026'],
      ['fr_FR', 'quarter', '2026-02-05', 'T1 2026'],
      ['fr_FR', 'year', '2026-02-05', '2026'],
      ['fr_FR', 'hour', '2026-02-05T00:00:00', '12:00 05 févr.'],
      ['fr_FR', 'hour', '2026-02-05T13:00:00', '01:00 05 févr.'],
      ['de_DE', 'week', '2025-12-28', 'W52 2025'],
      ['de_DE', 'week', '2026-01-01', 'W1 2026'],
      ['de_DE', 'week', '2026-01-04', 'W1 2026'],
      ['de_DE', 'week', '2027-01-03', 'W53 2026'],
      ['de_DE', 'week', '2020-12-31', 'W53 2020'],
      ['de_DE', 'week', '2021-01-03', 'W53 2020'],
      ['de_DE', 'day', '2026-02-05', '05 Feb. 2026'],
      ['de_DE', 'month', '2026-02-05', 'Februar 2026'],
      ['de_DE', 'quarter', '2026-02-05', 'Q1 2026'],
      ['de_DE', 'year', '2026-02-05', '2026'],
      ['de_DE', 'hour', '2026-02-05T00:00:00', '12:00 05 Feb.'],
      ['de_DE', 'hour', '2026-02-05T13:00:00', '01:00 05 Feb.'],
      ['es_ES', 'week', '2025-12-28', 'W52 2025'],
      ['es_ES', 'week', '2026-01-01', 'W1 2026'],
      ['es_ES', 'week', '2026-01-04', 'W1 2026'],
      ['es_ES', 'week', '2027-01-03', 'W53 2026'],
      ['es_ES', 'week', '2020-12-31', 'W53 2020'],
      ['es_ES', 'week', '2021-01-03', 'W53 2020'],
      ['es_ES', 'day', '2026-02-05', '05 feb 2026'],
      ['es_ES', 'month', '2026-02-05', 'febrero 2026'],
      ['es_ES', 'quarter', '2026-02-05', 'T1 2026'],
      ['es_ES', 'year', '2026-02-05', '2026'],
      ['es_ES', 'hour', '2026-02-05T00:00:00', '12:00 05 feb'],
      ['es_ES', 'hour', '2026-02-05T13:00:00', '01:00 05 feb'],
    ];
    for (const [lang, granularity, start, label] of babel) {
      const date = new Date(start.length === 10 ? `${start}T00:00:00Z` : `${start}Z`);
      expect(dateLabel(date, granularity, lang), `${lang} ${granularity} ${start}`).toBe(label);
    }
  });

  it('GRP-17 BACKEND=proxy passes the route through: the same answers, errors and ETag as the upstream', async () => {
    const proxy = await createApp(testConfig({ BACKEND: 'proxy', UPSTREAM_URL: server.url, LOG_LEVEL: 'silent' }));
    try {
      const url = await proxy.server.listen({ host: '127.0.0.1', port: 0 });
      const headers = { authorization: server.authorization('demo') };
      for (const query of [
        q({ groupby: 'stage_id,create_date:month', aggregates: 'expected_revenue:sum', order: '__count desc', limit: '3' }),
        q({ groupby: 'name:month' }),
      ]) {
        const [direct, proxied] = await Promise.all([
          sendJson(server.url, 'GET', `/api/crm_lead/groups?${query}`, { headers }),
          sendJson(url, 'GET', `/api/crm_lead/groups?${query}`, { headers }),
        ]);
        expect(proxied.status, proxied.text).toBe(direct.status);
        expect(proxied.body).toEqual(direct.body);
        expect(proxied.headers.get('etag')).toBe(direct.headers.get('etag'));
      }
    } finally {
      await proxy.close();
    }
  });

  it('GRP-12 403 for a field the caller may not read, grouped by, aggregated or ordered by (portal and res.partner `ref`)', async () => {
    for (const params of [
      { groupby: 'ref' },
      { groupby: 'is_company', aggregates: 'comment:count' },
      { groupby: 'is_company', order: 'ref:max' },
    ] as Array<Record<string, string>>) {
      const answer = await server.request('portal', 'GET', `/api/res_partner/groups?${q(params)}`);
      expectError(answer, 403, /You do not have enough rights to access the fields "(ref|comment)" on Contact \(res\.partner\)/);
    }
    expect((await server.request('admin', 'GET', `/api/res_partner/groups?${q({ groupby: 'ref' })}`)).status).toBe(200);
    // No access right on the model at all: 403 as List.
    const portal = await server.request('portal', 'GET', `/api/crm_lead/groups?${q({ groupby: 'stage_id' })}`);
    expectError(portal, 403);
  });

  it('GRP-13 conditional GET: an ETag, and 304 for a repeated request while nothing changed', async () => {
    const path = `/api/crm_lead/groups?${q({ groupby: 'stage_id' })}`;
    const first = await server.request('admin', 'GET', path);
    const tag = first.headers.get('etag');
    expect(tag).toMatch(/^W\/"/);
    const again = await server.request('admin', 'GET', path, undefined, { 'if-none-match': tag! });
    expect(again.status).toBe(304);
    // Another caller's answer is another tag (their rules shape it).
    const demo = await server.request('demo', 'GET', path, undefined, { 'if-none-match': tag! });
    expect(demo.status).toBe(200);
  });

  it('GRP-14 the route is in /openapi.json as readGroups, its limit and offset integers, groupby required', async () => {
    const doc = (await server.request(null, 'GET', '/openapi.json')).body;
    const operation = doc.paths['/api/{slug}/groups'].get;
    expect(operation.operationId).toBe('readGroups');
    const parameter = (name: string) => operation.parameters.find((p: any) => p.name === name);
    expect(parameter('limit').schema).toMatchObject({ type: 'integer', minimum: 0 });
    expect(parameter('offset').schema).toMatchObject({ type: 'integer', minimum: 0 });
    expect(parameter('groupby')).toMatchObject({ in: 'query', required: true });
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '304', '400', '401', '403', '404']));
  });
});
