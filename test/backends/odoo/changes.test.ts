/**
 * The change feed in front of Odoo (issue 19; src/backends/odoo/odoo-changes.ts), against real Odoo 17
 * exchanges recorded from the lab (changes-recorder.ts): each poll is a search_read of the domain's ids
 * and write dates as the caller, then a read of what changed; a lead created, written again in the same
 * second of write_date (told once more, by its content), settled, archived (removed); a demo user's view;
 * cursors this process does not hold are 410; long polling shares one poll between waiters.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../../src/backends/backend.js';
import { CursorGoneError, InvalidCursorError, type ChangesParams } from '../../../src/backends/changes.js';
import { OdooBackend } from '../../../src/backends/odoo/odoo-backend.js';
import { FEED_DOMAIN, FEED_FIELDS, FEED_LEAD_NAME } from './changes-cases.js';
import { ADMIN_KEY, DEMO_KEY, ODOO_DB, ODOO_ORIGIN, OdooReplay, recording } from './replay.js';

/** The lead's write_date in the recordings, as epoch ms: the replay's clock is set around it. */
const WRITTEN = Date.parse(`${(recording('jsonrpc_changes_created_1').response.json.result[0].write_date as string).replace(' ', 'T')}Z`);
const LEAD_ID = recording('jsonrpc_changes_created_1').response.json.result[0].id as number;

let replay: OdooReplay;
let backend: OdooBackend;
/** Milliseconds added to the real clock: the backend's clock reads as the recording's time plus what has passed. */
let offset = 0;
const at = (msAfterWrite: number) => {
  offset = WRITTEN + msAfterWrite - Date.now();
};

beforeEach(() => {
  replay = new OdooReplay();
  at(-60_000);
  backend = new OdooBackend({ url: ODOO_ORIGIN, db: ODOO_DB, dispatcher: replay.agent, now: () => Date.now() + offset, changesPollMs: 50 });
});
afterEach(async () => {
  await backend.close();
  await replay.close();
});

async function login(who: 'admin' | 'demo'): Promise<Caller> {
  replay.expect(`jsonrpc_common_authenticate_${who}_apikey`);
  return (await backend.authenticateBasic(who, who === 'admin' ? ADMIN_KEY : DEMO_KEY))!;
}

const params: ChangesParams = { domain: FEED_DOMAIN, fields: FEED_FIELDS };

/** Replays the recorded steps up to `last`, checking each answer; answers the cursor after it. */
async function stepsUpTo(admin: Caller, last: 'start' | 'created' | 'same_second' | 'settled' | 'quiet'): Promise<string> {
  replay.expect('jsonrpc_changes_start');
  let cursor = (await backend.changes(admin, 'crm.lead', params)).cursor;
  if (last === 'start') return cursor;
  at(300);
  replay.expect('jsonrpc_changes_created_1').expect('jsonrpc_changes_created_2');
  const created = await backend.changes(admin, 'crm.lead', { ...params, since: cursor });
  expect(created).toEqual({
    cursor: expect.any(String),
    changes: [{ op: 'created', id: LEAD_ID, record: { id: LEAD_ID, name: FEED_LEAD_NAME, expected_revenue: 100 } }],
    more: false,
  });
  cursor = created.cursor;
  if (last === 'created') return cursor;
  at(700);
  replay.expect('jsonrpc_changes_same_second_1').expect('jsonrpc_changes_same_second_2');
  const again = await backend.changes(admin, 'crm.lead', { ...params, since: cursor });
  expect(again.changes).toEqual([{ op: 'updated', id: LEAD_ID, record: { id: LEAD_ID, name: FEED_LEAD_NAME, expected_revenue: 200 } }]);
  cursor = again.cursor;
  if (last === 'same_second') return cursor;
  at(7000);
  replay.expect('jsonrpc_changes_settled_1').expect('jsonrpc_changes_settled_2');
  const settled = await backend.changes(admin, 'crm.lead', { ...params, since: cursor });
  expect(settled).toEqual({ cursor: expect.any(String), changes: [], more: false });
  cursor = settled.cursor;
  if (last === 'settled') return cursor;
  at(7500);
  replay.expect('jsonrpc_changes_quiet');
  const quiet = await backend.changes(admin, 'crm.lead', { ...params, since: cursor });
  expect(quiet).toEqual({ cursor, changes: [], more: false });
  return cursor;
}

describe('the change feed in front of Odoo (replayed)', () => {
  it('CHO-01 created, then written again within the same second of write_date (told again by its content), settled, archived', async () => {
    const admin = await login('admin');
    const cursor = await stepsUpTo(admin, 'quiet');
    at(8000);
    replay.expect('jsonrpc_changes_archived');
    const archived = await backend.changes(admin, 'crm.lead', { ...params, since: cursor });
    expect(archived).toEqual({ cursor: expect.any(String), changes: [{ op: 'removed', id: LEAD_ID }], more: false });
    expect(archived.cursor).not.toBe(cursor);
    replay.assertDone();
  });

  it('CHO-02 the same cursor resumes any number of times (snapshots do not change)', async () => {
    const admin = await login('admin');
    const start = await stepsUpTo(admin, 'start');
    at(300);
    replay.expect('jsonrpc_changes_created_1').expect('jsonrpc_changes_created_2');
    const first = await backend.changes(admin, 'crm.lead', { ...params, since: start });
    replay.expect('jsonrpc_changes_created_1').expect('jsonrpc_changes_created_2');
    const second = await backend.changes(admin, 'crm.lead', { ...params, since: start });
    expect(second.changes).toEqual(first.changes);
    replay.assertDone();
  });

  it('CHO-03 a cursor of another feed or not held by this process is 410; a malformed one is InvalidCursorError', async () => {
    const admin = await login('admin');
    const demo = await login('demo');
    const cursor = await stepsUpTo(admin, 'start');
    // Another user, other fields: another feed.
    await expect(backend.changes(demo, 'crm.lead', { ...params, since: cursor })).rejects.toThrow(CursorGoneError);
    await expect(backend.changes(admin, 'crm.lead', { ...params, fields: ['name'], since: cursor })).rejects.toThrow(/another feed/);
    // A well-formed cursor of a snapshot this process does not hold (another instance, a restart).
    const unknown = Buffer.from(JSON.stringify({ v: 1, s: 'notheldhere' })).toString('base64url');
    await expect(backend.changes(admin, 'crm.lead', { ...params, since: unknown })).rejects.toThrow(/not known to this server/);
    await expect(backend.changes(admin, 'crm.lead', { ...params, since: 'nope!' })).rejects.toThrow(InvalidCursorError);
    replay.assertDone();
  });

  it("CHO-04 demo's view: his search_read, so a lead he may not read is never told", async () => {
    const demo = await login('demo');
    replay.expect('jsonrpc_changes_demo_start');
    const answer = await backend.changes(demo, 'crm.lead', params);
    expect(answer).toEqual({ cursor: expect.any(String), changes: [], more: false });
    replay.assertDone();
  });

  it('CHO-05 long polling: waiters of the same caller, feed and cursor share each poll (one search_read per interval)', async () => {
    const admin = await login('admin');
    const cursor = await stepsUpTo(admin, 'quiet');
    at(8000);
    // Two polls for three waiters: the quiet one, then the one that sees the lead archived.
    replay.expect('jsonrpc_changes_quiet').expect('jsonrpc_changes_archived');
    const waiters = await Promise.all([1, 2, 3].map(() => backend.changes(admin, 'crm.lead', { ...params, since: cursor, wait: 5 })));
    for (const answer of waiters) expect(answer.changes).toEqual([{ op: 'removed', id: LEAD_ID }]);
    expect(new Set(waiters.map((w) => w.cursor)).size).toBe(1);
    replay.assertDone();
  });

  it('CHO-06 a waiter whose client leaves answers at once; nothing changed, the wait ends at its deadline', async () => {
    const admin = await login('admin');
    const cursor = await stepsUpTo(admin, 'quiet');
    const controller = new AbortController();
    // Past the poll interval (50 ms), so that the waiter polls rather than reuses the last answer.
    await new Promise((resolve) => setTimeout(resolve, 80));
    replay.expect('jsonrpc_changes_quiet');
    const started = Date.now();
    const pending = backend.changes(admin, 'crm.lead', { ...params, since: cursor, wait: 30, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await pending).toEqual({ cursor, changes: [], more: false });
    expect(Date.now() - started).toBeLessThan(1000);
    replay.assertDone();
  });
});
