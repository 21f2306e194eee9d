/**
 * `odoo-graphql demo reset` as a user runs it (the real bin, its own process) on the database of a server
 * running in another process: the demo data comes back as a new database holds it, API keys, passwords
 * and sessions of the demo users stay, and the running server answers the reset data from its next
 * request on (its entity tags and the GraphQL gateway's kept answers follow SQLite's data version),
 * without a restart. Bad invocations are refused with a message and change nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { EmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { freshDataDir, sendAs } from '../helpers/server.js';
import { spawnServer, type SpawnedServer } from '../helpers/spawn-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI in its own process, as a user types it; never rejects, so a test can check a refusal's message. */
function cli(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.NODE_OPTIONS;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/odoo-graphql.js'), ...args],
      { cwd, env: childEnv, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

let dataDir: string;
let server: SpawnedServer;
let keys: { admin: string; demo: string };
const scratch: string[] = [];

beforeAll(async () => {
  dataDir = freshDataDir();
  const backend = new EmbeddedBackend({ dataDir, dbName: 'odoo', demo: true });
  keys = { admin: backend.createApiKey('admin', 'laptop'), demo: backend.createApiKey('demo', 'phone') };
  await backend.close();
  server = await spawnServer({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
});

afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

function call(method: string, path: string, options: Parameters<typeof sendAs>[3] = {}) {
  return sendAs(server.url, method, path, options);
}

async function authenticate(login: string, password: string) {
  return call('POST', '/web/session/authenticate', {
    body: { jsonrpc: '2.0', method: 'call', params: { db: 'odoo', login, password }, id: 1 },
  });
}

function cookieOf(headers: Headers): string {
  return headers
    .getSetCookie()
    .find((c) => c.startsWith('session_id='))!
    .split(';')[0]!;
}

const PARTNER_NAME = `{ records(slug: "res_partner", domain: "[('id', '=', 12)]", fields: ["name"]) { results } }`;

async function graphqlPartnerName(): Promise<string> {
  const answer = await call('POST', '/graphql', { key: keys.demo, body: { query: PARTNER_NAME } });
  expect(answer.body.errors, JSON.stringify(answer.body)).toBeUndefined();
  return answer.body.data.records.results[0].name;
}

/** Every row of every table but the secrets' and the timestamps', as a new demo database holds them. */
function demoRows(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' AND name NOT IN ('_meta', 'res_users_apikeys', 'web_session') ORDER BY name`,
      )
      .pluck()
      .all() as string[];
    const rows: Record<string, unknown[]> = {};
    for (const table of tables) {
      // The API keys' sequence is kept (a revoked key's id is never given again); the rest is the new database's.
      const where = table === 'sqlite_sequence' ? ` WHERE name <> 'res_users_apikeys'` : '';
      rows[table] = (db.prepare(`SELECT * FROM "${table}"${where} ORDER BY 1, 2`).all() as Record<string, unknown>[]).map((row) => {
        const { create_date: _c, write_date: _w, password: _p, ...rest } = row;
        return rest;
      });
    }
    return rows;
  } finally {
    db.close();
  }
}

// Each CLI run is its own Node process compiling the sources (seconds on a busy machine).
describe('odoo-graphql demo reset', { timeout: 120_000 }, () => {
  it('DR-01 under a running server: the demo data of a new database comes back; API keys, a password set with `user password` and sessions stay; the server answers the reset data at once', async () => {
    // Who may get in: a password set with the CLI, a session, and a user the demo data does not have, with a key.
    expect((await cli(['user', 'password', '--login', 'admin', '--password', 'a-better-secret'], { DATA_DIR: dataDir })).code).toBe(0);
    const session = cookieOf((await authenticate('demo', 'demo')).headers);
    const intern = await call('POST', '/api/res_users', {
      key: keys.admin,
      body: { name: 'Summer Intern', login: 'intern', partner_id: 12 },
    });
    expect(intern.status).toBe(201);
    const admin = new EmbeddedBackend({ dataDir, dbName: 'odoo', demo: true });
    admin.createApiKey('intern', 'intern laptop');
    await admin.close();

    // What a day of use changes: a record made, one changed, one deleted.
    const made = await call('POST', '/api/crm_lead', { key: keys.demo, body: { name: 'Made after the demo data', partner_id: 12 } });
    expect(made.status).toBe(201);
    expect((await call('PUT', '/api/res_partner/12', { key: keys.admin, body: { name: 'Azure Interior (renamed)' } })).status).toBe(200);
    expect((await call('PUT', '/api/purchase_order/31', { key: keys.admin, body: { state: 'cancel' } })).status).toBe(200);
    expect((await call('DELETE', '/api/purchase_order/31', { key: keys.admin })).status).toBe(200);
    // Kept answers: an entity tag, and the GraphQL gateway's answer (kept once seen twice unchanged).
    const tagged = await call('GET', '/api/res_partner/12?fields=name', { key: keys.demo });
    const tag = tagged.headers.get('etag')!;
    expect((await call('GET', '/api/res_partner/12?fields=name', { key: keys.demo, headers: { 'if-none-match': tag } })).status).toBe(304);
    for (let i = 0; i < 3; i += 1) expect(await graphqlPartnerName()).toBe('Azure Interior (renamed)');

    const reset = await cli(['demo', 'reset'], { DATA_DIR: dataDir });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toMatch(/^demo data reset in .*odoo\.sqlite$/m);
    expect(reset.stdout).toMatch(/^kept: 2 API keys, 1 changed password \(admin\), 1 session$/m);
    expect(reset.stdout).toMatch(/^dropped with their users \(not in the demo data\): intern$/m);

    // The running server, not restarted: the reset data, with the same keys, password and session.
    expect((await call('GET', `/api/crm_lead/${made.body.id}`, { key: keys.demo })).status).toBe(404);
    expect((await call('GET', '/api/purchase_order/31?fields=state', { key: keys.admin })).body).toEqual({ id: 31, state: 'draft' });
    const fresh = await call('GET', '/api/res_partner/12?fields=name', { key: keys.demo, headers: { 'if-none-match': tag } });
    expect([fresh.status, fresh.body]).toEqual([200, { id: 12, name: 'Azure Interior' }]);
    expect(await graphqlPartnerName()).toBe('Azure Interior');
    expect((await call('GET', '/api/crm_lead?limit=1', { cookie: session })).status).toBe(200);
    expect((await authenticate('admin', 'a-better-secret')).body.result?.username).toBe('admin');
    expect((await authenticate('admin', 'admin')).body.error?.data?.name).toBe('odoo.exceptions.AccessDenied');
    expect((await authenticate('intern', 'intern')).body.error?.data?.name).toBe('odoo.exceptions.AccessDenied');
    const reader = new EmbeddedBackend({ dataDir, dbName: 'odoo', demo: true });
    expect(reader.listApiKeys().map((k) => `${k.login} ${k.prefix} ${k.name}`)).toEqual([
      `admin ${keys.admin.slice(0, 8)} laptop`,
      `demo ${keys.demo.slice(0, 8)} phone`,
    ]);
    await reader.close();

    // Exactly what a new database holds, ids and sequences included: the next lead is the same number as on a new one.
    expect(demoRows(join(dataDir, 'odoo.sqlite'))).toEqual(demoRows(inject('templateDb')));
    const next = await call('POST', '/api/crm_lead', { key: keys.demo, body: { name: 'First after the reset' } });
    expect(next.body.id).toBe(151);
  });

  it('DR-02 runs again and again: a second reset right after the first gives the same data and keeps the same keys', async () => {
    const again = await cli(['demo', 'reset'], { DATA_DIR: dataDir });
    expect(again.code, again.stderr).toBe(0);
    // The sessions: demo's, and admin's login with the new password after the first reset.
    expect(again.stdout).toMatch(/^kept: 2 API keys, 1 changed password \(admin\), 2 sessions$/m);
    expect(demoRows(join(dataDir, 'odoo.sqlite'))).toEqual(demoRows(inject('templateDb')));
    expect((await call('GET', '/api/crm_lead?limit=1', { key: keys.admin })).status).toBe(200);
  });

  it('DR-03 refuses with a message, creating and changing nothing: no database at DATA_DIR, BACKEND=odoo, an unknown or incomplete command, an extra argument', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ogf-demo-reset-test-'));
    scratch.push(empty);
    const missing = join(empty, 'nowhere');
    const none = await cli(['demo', 'reset'], { DATA_DIR: missing });
    expect([none.code, none.stderr]).toEqual([1, expect.stringMatching(/no database at .*nowhere.*nothing to reset/)]);
    expect(existsSync(missing)).toBe(false);

    const before = demoRows(join(dataDir, 'odoo.sqlite'));
    const odoo = await cli(['demo', 'reset', '--backend', 'odoo'], { DATA_DIR: dataDir, ODOO_URL: 'http://127.0.0.1:9', ODOO_DB: 'odoo' });
    expect([odoo.code, odoo.stderr]).toEqual([1, expect.stringMatching(/demo reset works on the embedded store \(BACKEND=embedded\)/)]);
    const typo = await cli(['demo', 'rest'], { DATA_DIR: dataDir });
    expect([typo.code, typo.stderr]).toEqual([1, expect.stringMatching(/unknown demo command 'rest'/)]);
    const extra = await cli(['demo', 'reset', 'now'], { DATA_DIR: dataDir });
    expect([extra.code, extra.stderr]).toEqual([1, expect.stringMatching(/unexpected argument 'now'/)]);
    expect(demoRows(join(dataDir, 'odoo.sqlite'))).toEqual(before);
  });

  it('DR-04 `help` says what the reset keeps and that it is safe under a running server', async () => {
    const help = await cli(['help']);
    expect(help.stdout).toMatch(/demo reset +bring the demo data back/);
    expect(help.stdout).toMatch(/keeps API keys, passwords and sessions of the demo users/);
    expect(help.stdout).toMatch(/safe while a\s+server runs on the same DATA_DIR/);
  });
});
