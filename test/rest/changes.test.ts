/**
 * Extension to the contract (issue 19, first slice): `GET /api/<slug>/changes`, the change feed of the
 * embedded store, over real HTTP and real SQLite. Cursors round trip; creates, updates, archives and
 * deletes arrive with the right op and record, coalesced per record; a record leaving the domain is
 * `removed`; a second server on the same DATA_DIR writes and the first one's feed (and long poll) sees it;
 * a salesman never learns of a lead he cannot read, not even its id; stale and foreign cursors are 410;
 * long polling answers as soon as a write lands and holds a hidden write's change back; limits and bad input.
 */
import { describe, expect, it } from 'vitest';
import { CursorGoneError } from '../../src/backends/changes.js';
import { resetDemoData } from '../../src/backends/embedded/demo/demo-reset.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';

const server = useServer({ CHANGES_MAX_WAIT_S: 10 });

interface Change {
  op: 'created' | 'updated' | 'removed';
  id: number;
  record?: Record<string, any>;
  /** The cursor right after this change (the embedded store tells one per change). */
  cursor?: string;
}
interface Feed {
  cursor: string;
  changes: Change[];
  more: boolean;
}

const LEADS = '/api/crm_lead';

async function cursorOf(user = 'admin', on: TestServer = server, slug = 'crm_lead'): Promise<string> {
  const answer = await on.request(user, 'GET', `/api/${slug}/changes`);
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body).toEqual({ cursor: expect.any(String), changes: [], more: false });
  return answer.body.cursor as string;
}

/** The changes of an answer without their `cursor`s, once checked: each change has one, the last the answer's. */
function uncursored(feed: Feed): Change[] {
  for (const change of feed.changes) expect(change.cursor, JSON.stringify(change)).toMatch(/^[A-Za-z0-9_-]+$/);
  if (feed.changes.length > 0) expect(feed.changes.at(-1)!.cursor).toBe(feed.cursor);
  return feed.changes.map(({ cursor: _cursor, ...change }) => change);
}

/** The answer since `cursor`, its changes without their cursors (checked by `uncursored`). */
async function changesSince(cursor: string, query = '', user = 'admin', on: TestServer = server): Promise<Feed & { text: string }> {
  const answer = await on.request(user, 'GET', `${LEADS}/changes?since=${encodeURIComponent(cursor)}${query}`);
  expect(answer.status, answer.text).toBe(200);
  const feed = answer.body as Feed;
  return { ...feed, changes: uncursored(feed), text: answer.text };
}

async function createLead(values: Record<string, unknown>, user = 'admin', on: TestServer = server): Promise<number> {
  const answer = await on.request(user, 'POST', LEADS, values);
  expect(answer.status, answer.text).toBe(201);
  return answer.body.id as number;
}

async function writeLead(id: number, values: Record<string, unknown>, user = 'admin', on: TestServer = server): Promise<void> {
  const answer = await on.request(user, 'PATCH', `${LEADS}/${id}`, values);
  expect(answer.status, answer.text).toBe(200);
}

async function uidOf(login: string): Promise<number> {
  const answer = await server.request(
    'admin',
    'GET',
    `/api/res_users?fields=id&domain=${encodeURIComponent(JSON.stringify([['login', '=', login]]))}`,
  );
  return answer.body.results[0].id as number;
}

const domainParam = (domain: unknown) => `&domain=${encodeURIComponent(JSON.stringify(domain))}`;

describe('GET /api/<slug>/changes: cursors and ops', () => {
  it('CH-01 without since: the current cursor, no changes, not cached; the same cursor while nothing changes', async () => {
    const answer = await server.request('admin', 'GET', `${LEADS}/changes`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ cursor: expect.stringMatching(/^[A-Za-z0-9_-]+$/), changes: [], more: false });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const again = await changesSince(answer.body.cursor);
    expect(again.changes).toEqual([]);
    expect(again.more).toBe(false);
    expect(again.cursor).toBe(answer.body.cursor);
    expect((await server.request('admin', 'HEAD', `${LEADS}/changes`)).status).toBe(200);
  });

  it('CH-02 create, update, archive and delete arrive with the right op and the record in the contract shape', async () => {
    let cursor = await cursorOf();
    const id = await createLead({ name: 'Feed create', expected_revenue: 100 });
    let feed = await changesSince(cursor, '&fields=name,expected_revenue,user_id');
    expect(feed.changes).toEqual([
      {
        op: 'created',
        id,
        record: { id, name: 'Feed create', expected_revenue: 100, user_id: expect.objectContaining({ id: expect.any(Number) }) },
      },
    ]);
    cursor = feed.cursor;

    await writeLead(id, { name: 'Feed update' });
    feed = await changesSince(cursor, '&fields=name');
    expect(feed.changes).toEqual([{ op: 'updated', id, record: { id, name: 'Feed update' } }]);
    cursor = feed.cursor;

    await writeLead(id, { active: false });
    feed = await changesSince(cursor, '&fields=name');
    expect(feed.changes).toEqual([{ op: 'removed', id }]);
    cursor = feed.cursor;

    // Archived records are followed when the domain asks for them.
    await writeLead(id, { name: 'Feed archived' });
    const archived = await changesSince(cursor, `&fields=name,active${domainParam([['active', '=', false]])}`);
    expect(archived.changes).toEqual([{ op: 'updated', id, record: { id, name: 'Feed archived', active: false } }]);
    cursor = archived.cursor;
    await writeLead(id, { active: true });
    feed = await changesSince(cursor, '&fields=name');
    expect(feed.changes).toEqual([{ op: 'created', id, record: { id, name: 'Feed archived' } }]);
    cursor = feed.cursor;

    expect((await server.request('admin', 'DELETE', `${LEADS}/${id}`)).status).toBe(200);
    feed = await changesSince(cursor, '&fields=name');
    expect(feed.changes).toEqual([{ op: 'removed', id }]);
    // Nothing after the last cursor.
    expect((await changesSince(feed.cursor)).changes).toEqual([]);
  });

  it('CH-03 several changes of one record are one entry, its latest state; a record created and deleted since is removed (the client may have loaded it)', async () => {
    const cursor = await cursorOf();
    const a = await createLead({ name: 'Coalesce 1' });
    await writeLead(a, { name: 'Coalesce 2' });
    await writeLead(a, { name: 'Coalesce 3' });
    const b = await createLead({ name: 'Coalesce gone' });
    expect((await server.request('admin', 'DELETE', `${LEADS}/${b}`)).status).toBe(200);
    const feed = await changesSince(cursor, '&fields=name');
    expect(feed.changes.filter((c) => c.id === a)).toEqual([{ op: 'created', id: a, record: { id: a, name: 'Coalesce 3' } }]);
    expect(feed.changes.filter((c) => c.id === b)).toEqual([{ op: 'removed', id: b }]);
  });

  it('CH-04 the domain: a record that leaves it is removed, one that enters it created, others are not told', async () => {
    const domain = domainParam([['name', 'ilike', 'domainfeed']]);
    const inside = await createLead({ name: 'domainfeed in' });
    const outside = await createLead({ name: 'other lead' });
    let cursor = await cursorOf();
    await writeLead(inside, { name: 'left the domain' });
    await writeLead(outside, { name: 'still other' });
    let feed = await changesSince(cursor, `&fields=name${domain}`);
    expect(feed.changes).toEqual([{ op: 'removed', id: inside }]);
    cursor = feed.cursor;
    await writeLead(outside, { name: 'domainfeed now' });
    feed = await changesSince(cursor, `&fields=name${domain}`);
    expect(feed.changes).toEqual([{ op: 'created', id: outside, record: { id: outside, name: 'domainfeed now' } }]);
  });

  it('CH-05 limit pages the changes with more and the cursor of the last one given, nothing lost or repeated', async () => {
    const cursor = await cursorOf();
    const ids = [];
    for (let i = 0; i < 5; i += 1) ids.push(await createLead({ name: `page ${i}` }));
    const seen: number[] = [];
    let at = cursor;
    for (let round = 0; round < 10; round += 1) {
      const feed = await changesSince(at, '&fields=name&limit=2');
      expect(feed.changes.length).toBeLessThanOrEqual(2);
      seen.push(...feed.changes.map((c) => c.id));
      at = feed.cursor;
      if (!feed.more) break;
    }
    expect(seen).toEqual(ids);
  });

  it('CH-07 each change carries the cursor right after it: resuming from any of them repeats nothing and loses nothing', async () => {
    const domain = domainParam([['name', '=like', 'CH-07 %']]);
    const cursor = await cursorOf();
    const ids = [];
    for (let i = 0; i < 4; i += 1) ids.push(await createLead({ name: `CH-07 ${i}` }));
    await writeLead(ids[1]!, { name: 'CH-07 1 renamed' });
    const answer = await server.request('admin', 'GET', `${LEADS}/changes?since=${encodeURIComponent(cursor)}&fields=name${domain}`);
    expect(answer.status, answer.text).toBe(200);
    const feed = answer.body as Feed;
    // One entry per record, ordered by its last change: lead 1 (renamed last) comes last.
    const order = [ids[0], ids[2], ids[3], ids[1]];
    expect(feed.changes.map((c) => c.id)).toEqual(order);
    const cursors = feed.changes.map((c) => c.cursor!);
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(cursors.at(-1)).toBe(feed.cursor);
    // From the cursor of change i: exactly the changes after it.
    for (const [index, after] of cursors.entries()) {
      const resumed = await changesSince(after, `&fields=name${domain}`);
      expect(
        resumed.changes.map((c) => c.id),
        `resumed after change ${index}`,
      ).toEqual(order.slice(index + 1));
    }
    // A page cut by `limit`: the same cursors, the last one the answer's.
    const page = await server.request('admin', 'GET', `${LEADS}/changes?since=${encodeURIComponent(cursor)}&fields=name${domain}&limit=2`);
    expect(page.body).toMatchObject({ cursor: cursors[1], more: true });
    expect((page.body as Feed).changes.map((c) => c.cursor)).toEqual(cursors.slice(0, 2));
  });

  it('CH-06 x2many and stored computes log the other records they change (an order line logs its order)', async () => {
    const cursor = await cursorOf('admin', server, 'sale_order');
    const orders = await server.request(
      'admin',
      'GET',
      `/api/sale_order?fields=id&limit=1&domain=${encodeURIComponent('[["state","=","draft"]]')}`,
    );
    const order = orders.body.results[0].id as number;
    const product = (await server.request('admin', 'GET', '/api/product_product?fields=id&limit=1')).body.results[0].id as number;
    const line = await server.request('admin', 'POST', '/api/sale_order_line', {
      order_id: order,
      product_id: product,
      product_uom_qty: 3,
    });
    expect(line.status, line.text).toBe(201);
    const answer = await server.request('admin', 'GET', `/api/sale_order/changes?since=${cursor}&fields=amount_total,order_line`);
    expect(answer.status, answer.text).toBe(200);
    const change = (answer.body as Feed).changes.find((c) => c.id === order);
    expect(change?.op).toBe('updated');
    expect(change?.record?.order_line).toContain(line.body.id);
  });
});

describe('GET /api/<slug>/changes: changes a write makes to other records', () => {
  it("CH-07 a company's new address, pushed to its contacts, is in the feed of each contact", async () => {
    const company = await server.request('admin', 'POST', '/api/res_partner', {
      name: 'Feed Company',
      is_company: true,
      street: 'Old street 1',
    });
    expect(company.status, company.text).toBe(201);
    const contact = await server.request('admin', 'POST', '/api/res_partner', {
      name: 'Feed Contact',
      parent_id: company.body.id,
      type: 'contact',
    });
    expect(contact.status, contact.text).toBe(201);
    const cursor = await cursorOf('admin', server, 'res_partner');
    expect((await server.request('admin', 'PATCH', `/api/res_partner/${company.body.id}`, { street: 'New street 2' })).status).toBe(200);
    const answer = await server.request('admin', 'GET', `/api/res_partner/changes?since=${cursor}&fields=street`);
    expect(answer.status, answer.text).toBe(200);
    expect(uncursored(answer.body as Feed)).toEqual(
      expect.arrayContaining([
        { op: 'updated', id: company.body.id, record: { id: company.body.id, street: 'New street 2' } },
        { op: 'updated', id: contact.body.id, record: { id: contact.body.id, street: 'New street 2' } },
      ]),
    );
  });
});

describe('GET /api/<slug>/changes: record rules', () => {
  it('CH-10 demo never learns of a lead he cannot read, not even its id; a lead reassigned away from him is removed', async () => {
    const demo = await uidOf('demo');
    const other = await uidOf('salesman2');
    const hidden = await createLead({ name: 'Hidden from demo', user_id: other });
    const mine = await createLead({ name: 'Demo lead', user_id: demo });
    const leaving = await createLead({ name: 'Demo lead to be reassigned', user_id: demo });
    const cursor = await cursorOf('demo');
    await writeLead(hidden, { name: 'Hidden, renamed', expected_revenue: 12345 });
    await writeLead(mine, { name: 'Demo lead, renamed' });
    await writeLead(leaving, { user_id: other });
    const hiddenToo = await createLead({ name: 'Hidden from demo too', user_id: other });
    await writeLead(hiddenToo, { active: false });
    const hiddenGone = await createLead({ name: 'Hidden and deleted', user_id: other });
    const deletedCursor = await cursorOf('demo');
    expect((await server.request('admin', 'DELETE', `${LEADS}/${hiddenGone}`)).status).toBe(200);
    expect((await server.request('admin', 'DELETE', `${LEADS}/${hidden}`)).status).toBe(200);

    const feed = await changesSince(cursor, '&fields=name', 'demo');
    expect(feed.changes).toEqual([
      { op: 'updated', id: mine, record: { id: mine, name: 'Demo lead, renamed' } },
      { op: 'removed', id: leaving },
    ]);
    for (const id of [hidden, hiddenToo, hiddenGone]) {
      expect(feed.text).not.toMatch(new RegExp(`"id":${id}\\b`));
      expect(feed.text).not.toContain(String(id));
    }
    expect(feed.text).not.toContain('Hidden');
    expect((await changesSince(deletedCursor, '', 'demo')).changes).toEqual([]);
    // admin sees them all.
    const admin = await changesSince(cursor, '&fields=name');
    expect(admin.changes.map((c) => c.id)).toEqual(expect.arrayContaining([hidden, mine, leaving, hiddenToo, hiddenGone]));
  });

  it('CH-11 salesman2 (San Francisco only) is told nothing of the changes to demo-company leads', async () => {
    const demo = await uidOf('demo');
    const lead = await createLead({ name: 'Company lead', user_id: demo });
    const cursor = await cursorOf('salesman2');
    await writeLead(lead, { name: 'Company lead, changed' });
    expect((await server.request('admin', 'DELETE', `${LEADS}/${lead}`)).status).toBe(200);
    const feed = await changesSince(cursor, '', 'salesman2');
    expect(feed.changes).toEqual([]);
    expect(feed.text).not.toContain(String(lead));
  });
});

describe('GET /api/<slug>/changes: cursors that no longer hold', () => {
  it('CH-20 a cursor of another database is 410; a cursor older than the pruned log is 410', async () => {
    const foreign = Buffer.from('c1.AnotherDatabase1.5').toString('base64url');
    const answer = await server.request('admin', 'GET', `${LEADS}/changes?since=${foreign}`);
    expect(answer.status).toBe(410);
    expect(answer.body.error).toMatch(/another database.*reload/);

    const small = await startServer({ CHANGES_MAX_ROWS: 3 });
    try {
      const cursor = await cursorOf('admin', small);
      for (let i = 0; i < 5; i += 1) await createLead({ name: `prune ${i}` }, 'admin', small);
      small.backend.changeFeed.prune();
      const gone = await small.request('admin', 'GET', `${LEADS}/changes?since=${cursor}`);
      expect(gone.status, gone.text).toBe(410);
      expect(gone.body).toEqual({ error: expect.stringMatching(/older than the change log keeps.*reload/) });
      // A fresh cursor works.
      const fresh = await cursorOf('admin', small);
      await createLead({ name: 'after prune' }, 'admin', small);
      expect((await changesSince(fresh, '', 'admin', small)).changes).toHaveLength(1);
    } finally {
      await small.close();
    }
    expect(new CursorGoneError('x').name).toBe('CursorGoneError');
  });

  it('CH-21 pruning by age drops old changes', async () => {
    const cursor = await cursorOf();
    await createLead({ name: 'aged' });
    server.backend.db.prepare(`UPDATE "_change_log" SET "at" = "at" - 200000`).run();
    server.backend.changeFeed.prune();
    expect((await server.request('admin', 'GET', `${LEADS}/changes?since=${cursor}`)).status).toBe(410);
  });
});

describe('GET /api/<slug>/changes: a database reset', () => {
  it('CH-22 after `demo reset` (another database), an earlier cursor is 410, not a silent wrong answer', async () => {
    const own = await startServer();
    try {
      const cursor = await cursorOf('admin', own);
      await createLead({ name: 'before the reset' }, 'admin', own);
      await resetDemoData({ dataDir: own.dataDir, dbName: 'odoo' });
      const answer = await own.request('admin', 'GET', `${LEADS}/changes?since=${cursor}`);
      expect(answer.status, answer.text).toBe(410);
      expect(answer.body.error).toMatch(/another database/);
      const fresh = await cursorOf('admin', own);
      expect(fresh).not.toBe(cursor);
      expect((await changesSince(fresh, '', 'admin', own)).changes).toEqual([]);
    } finally {
      await own.close();
    }
  });
});

describe('GET /api/<slug>/changes: another server on the same DATA_DIR', () => {
  it('CH-30 its writes are in the feed, and release a long poll here', async () => {
    const second = await startServer({ DATA_DIR: server.dataDir });
    try {
      const cursor = await cursorOf();
      const id = await createLead({ name: 'Written by the second server' }, 'admin', second);
      const feed = await changesSince(cursor, '&fields=name');
      expect(feed.changes).toEqual([{ op: 'created', id, record: { id, name: 'Written by the second server' } }]);

      const started = Date.now();
      const poll = changesSince(feed.cursor, '&fields=name&wait=8');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writeLead(id, { name: 'Changed by the second server' }, 'admin', second);
      const woken = await poll;
      expect(Date.now() - started).toBeLessThan(3000);
      expect(woken.changes).toEqual([{ op: 'updated', id, record: { id, name: 'Changed by the second server' } }]);
    } finally {
      await second.close();
    }
  });
});

describe('GET /api/<slug>/changes: long polling', () => {
  it('CH-40 returns as soon as a write happens, well before wait', async () => {
    const cursor = await cursorOf();
    const started = Date.now();
    const poll = changesSince(cursor, '&fields=name&wait=8');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const id = await createLead({ name: 'Wakes the poll' });
    const feed = await poll;
    const took = Date.now() - started;
    expect(took).toBeLessThan(2000);
    expect(feed.changes).toEqual([{ op: 'created', id, record: { id, name: 'Wakes the poll' } }]);
  });

  it("CH-41 returns empty after the timeout; a hidden change does not end demo's wait", async () => {
    const cursor = await cursorOf('demo');
    let started = Date.now();
    let feed = await changesSince(cursor, '&wait=1', 'demo');
    expect(feed.changes).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const other = await uidOf('salesman2');
    started = Date.now();
    const poll = changesSince(feed.cursor, '&wait=1.5', 'demo');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const hidden = await createLead({ name: 'Hidden while demo waits', user_id: other });
    feed = await poll;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(feed.changes).toEqual([]);
    expect(feed.text).not.toContain(String(hidden));
  });

  it('CH-42 wait is bounded by CHANGES_MAX_WAIT_S; waiters beyond CHANGES_MAX_WAITERS get 503 with Retry-After; a client that leaves frees its place', async () => {
    const tooLong = await server.request('admin', 'GET', `${LEADS}/changes?since=${await cursorOf()}&wait=11`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toBe("query parameter 'wait' must be at most 10 (seconds), got '11'");

    const capped = await startServer({ CHANGES_MAX_WAITERS: 1, CHANGES_MAX_WAIT_S: 5 });
    try {
      const cursor = await cursorOf('admin', capped);
      const leaving = new AbortController();
      const first = fetch(`${capped.url}${LEADS}/changes?since=${cursor}&wait=5`, {
        headers: { authorization: capped.authorization('admin') },
        signal: leaving.signal,
      }).catch((error: Error) => error);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const refused = await capped.request('admin', 'GET', `${LEADS}/changes?since=${cursor}&wait=5`);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.body.error).toMatch(/too many requests are waiting/);
      // Without wait, the feed still answers.
      expect((await capped.request('admin', 'GET', `${LEADS}/changes?since=${cursor}`)).status).toBe(200);
      leaving.abort();
      expect(await first).toBeInstanceOf(Error);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      const second = capped.request('admin', 'GET', `${LEADS}/changes?since=${cursor}&wait=5&fields=name`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const id = await createLead({ name: 'After the first left' }, 'admin', capped);
      const answer = await second;
      expect(answer.status, answer.text).toBe(200);
      expect(uncursored(answer.body as Feed)).toEqual([{ op: 'created', id, record: { id, name: 'After the first left' } }]);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await capped.close();
    }
  });

  it('CH-43 a closing server answers its waiting requests once its grace is over, not after their wait', async () => {
    const closing = await startServer({ CHANGES_MAX_WAIT_S: 30, SHUTDOWN_GRACE_MS: 500 });
    const cursor = await cursorOf('admin', closing);
    const started = Date.now();
    const poll = closing.request('admin', 'GET', `${LEADS}/changes?since=${cursor}&wait=30`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await closing.close();
    const answer = await poll;
    expect(answer.status).toBe(200);
    expect(answer.body.changes).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('GET /api/<slug>/changes: bad input', () => {
  type Case = readonly [name: string, query: (cursor: string) => string, message: RegExp | string];
  const cases: readonly Case[] = [
    ['a malformed cursor', () => 'since=not-a-cursor', /query parameter 'since': 'not-a-cursor' is not a cursor of this API/],
    ['a cursor of the wrong shape', () => `since=${Buffer.from('c2.x.1').toString('base64url')}`, /query parameter 'since'/],
    ['a cursor with a negative revision', () => `since=${Buffer.from('c1.abc.-1').toString('base64url')}`, /query parameter 'since'/],
    ['a cursor with characters outside base64url', () => 'since=abc%2Fdef', /query parameter 'since'/],
    ['an empty cursor', () => 'since=', /query parameter 'since'/],
    ['a cursor too long', () => `since=${'a'.repeat(201)}`, /query parameter 'since' must NOT have more than 200 characters/],
    ['since given twice', (c) => `since=${c}&since=${c}`, "query parameter 'since' must be given once"],
    ['a negative limit', (c) => `since=${c}&limit=-1`, "query parameter 'limit' must be an integer >= 0, got '-1'"],
    ['limit 0', (c) => `since=${c}&limit=0`, "query parameter 'limit' must be an integer >= 1, got '0'"],
    ['a limit that is not a number', (c) => `since=${c}&limit=ten`, "query parameter 'limit' must be an integer >= 0, got 'ten'"],
    ['a negative wait', (c) => `since=${c}&wait=-1`, "query parameter 'wait' must be a number of seconds >= 0, got '-1'"],
    ['a wait that is not a number', (c) => `since=${c}&wait=soon`, "query parameter 'wait' must be a number of seconds >= 0, got 'soon'"],
    ['a wait too long', (c) => `since=${c}&wait=3600`, "query parameter 'wait' must be at most 10 (seconds), got '3600'"],
    ['a wait too long without since', () => 'wait=99', "query parameter 'wait' must be at most 10 (seconds), got '99'"],
    ['wait in exponent form', (c) => `since=${c}&wait=1e3`, /query parameter 'wait' must be a number of seconds/],
    ['an unknown field', (c) => `since=${c}&fields=name,no_such_field`, /Invalid field 'no_such_field' on model 'crm.lead'/],
    ['an invalid field name', (c) => `since=${c}&fields=na-me`, "query parameter 'fields': invalid field name 'na-me'"],
    ['a malformed domain', (c) => `since=${c}&domain=${encodeURIComponent('[("name",')}`, /query parameter 'domain'/],
    ['a domain on an unknown field', (c) => `since=${c}&domain=${encodeURIComponent('[["nope","=",1]]')}`, /nope/],
    ['an unknown field without since', () => 'fields=no_such_field', /Invalid field 'no_such_field'/],
    ['domain given twice', (c) => `since=${c}&domain=[]&domain=[]`, "query parameter 'domain' must be given once"],
  ];

  for (const [name, query, message] of cases) {
    it(`CH-50 ${name} is a 400 naming it, and changes nothing`, async () => {
      const cursor = await cursorOf();
      const before = server.backend.changeFeed.lastRevision();
      const answer = await server.request('admin', 'GET', `${LEADS}/changes?${query(cursor)}`);
      expect(answer.status, answer.text).toBe(400);
      if (typeof message === 'string') expect(answer.body).toEqual({ error: message });
      else expect(answer.body.error).toMatch(message);
      expect(server.backend.changeFeed.lastRevision()).toBe(before);
    });
  }

  it('CH-51 an unknown model is 404, no credential 401, a model the user may not read 403', async () => {
    const cursor = await cursorOf();
    expect((await server.request('admin', 'GET', `/api/no_such_model/changes?since=${cursor}`)).status).toBe(404);
    const anonymous = await server.request(null, 'GET', `${LEADS}/changes?since=${cursor}&wait=5`);
    expect(anonymous.status).toBe(401);
    expect((await server.request('portal', 'GET', `${LEADS}/changes`)).status).toBe(403);
    const wrongMethod = await server.request('admin', 'POST', `${LEADS}/changes`, {});
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
  });
});
