/**
 * Helpers shared by the REST contract tests: Odoo's JSON-RPC session routes as a browser would call
 * them, ground truth read straight from SQLite (`server.backend.db`, as the superuser sees it), and a
 * fingerprint of the whole database to prove that a refused request changed nothing.
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { TestResponse, TestServer } from '../helpers/server.js';

export const JSON_UTF8 = 'application/json; charset=utf-8';

/** Demo users (src/backends/embedded/demo/demo-data.ts); every password is the login. */
export const UID = { admin: 2, demo: 3, manager: 4, portal: 5 } as const;
/** Demo partners with fixed ids. */
export const AZURE_INTERIOR = 12;

export interface RpcResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

/** POSTs a JSON-RPC 2.0 `call` to one of Odoo's session routes, with an optional session cookie. */
export async function rpc(
  server: Pick<TestServer, 'url'>,
  path: string,
  params: Record<string, unknown> = {},
  options: { id?: unknown; cookie?: string; headers?: Record<string, string> } = {},
): Promise<RpcResponse> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params, id: 'id' in options ? options.id : 1 }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** The `session_id=...` pair of a response's Set-Cookie, ready to send back as a Cookie header. */
export function sessionCookieOf(headers: Headers): string {
  const cookie = headers.getSetCookie().find((c) => c.startsWith('session_id='));
  if (!cookie) throw new Error(`no session_id cookie in ${JSON.stringify(headers.getSetCookie())}`);
  return cookie.split(';')[0]!;
}

/** Logs a demo user in through /web/session/authenticate (password = login) and returns the cookie. */
export async function login(server: Pick<TestServer, 'url'>, user: string, db = 'odoo'): Promise<string> {
  const response = await rpc(server, '/web/session/authenticate', { db, login: user, password: user });
  expect(response.body.error, JSON.stringify(response.body)).toBeUndefined();
  return sessionCookieOf(response.headers);
}

/** A response in the contract's error shape: that status, `{"error": "<message>"}` and nothing else. */
export function expectError(response: TestResponse, status: number, message?: RegExp): void {
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toBe(JSON_UTF8);
  expect(Object.keys(response.body ?? {})).toEqual(['error']);
  expect(typeof response.body.error).toBe('string');
  expect(response.body.error.length).toBeGreaterThan(0);
  if (message) expect(response.body.error).toMatch(message);
}

export function sqlCount(server: TestServer, text: string, ...params: unknown[]): number {
  return (server.backend.db.prepare(`SELECT count(*) AS n FROM (${text})`).get(...params) as { n: number }).n;
}

export function sqlRows<T = Record<string, unknown>>(server: TestServer, text: string, ...params: unknown[]): T[] {
  return server.backend.db.prepare(text).all(...params) as T[];
}

export function storedRow(server: TestServer, table: string, id: number): Record<string, unknown> | undefined {
  return server.backend.db.prepare(`SELECT * FROM "${table}" WHERE "id" = ?`).get(id) as Record<string, unknown> | undefined;
}

/**
 * One line per table: its row count, its latest `write_date` and a SHA-256 of every row in rowid
 * order. Equal fingerprints mean the database holds exactly the same data.
 */
export function databaseFingerprint(server: TestServer): Record<string, string> {
  const db = server.backend.db;
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
  const out: Record<string, string> = {};
  for (const table of tables) {
    const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
    const withoutRowid = (db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(table) as { sql: string }).sql.includes('WITHOUT ROWID');
    const rows = db.prepare(`SELECT * FROM "${table}" ORDER BY ${withoutRowid ? '1, 2' : 'rowid'}`).all();
    const hash = createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16);
    const latest = columns.includes('write_date')
      ? (db.prepare(`SELECT max("write_date") AS w FROM "${table}"`).get() as { w: string | null }).w
      : null;
    out[table] = `${rows.length} rows, last write ${latest ?? '-'}, ${hash}`;
  }
  return out;
}

export { odooRecording } from '../helpers/odoo-recordings.js';

/** The JSON kind of a value, to compare shapes: `null`, `array`, `object`, `string`, `number`, `boolean`. */
export function jsonKind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}
