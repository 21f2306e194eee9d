/**
 * Helpers shared by the REST contract tests: Odoo's JSON-RPC session routes as a browser would call
 * them, and the error shape. Ground truth (what the database holds, as the superuser sees it) is
 * `server.truth` (test/helpers/ground-truth.ts), async, for SQLite and a live Odoo's PostgreSQL alike;
 * the synchronous `sqlCount`, `sqlRows`, `storedRow` and `databaseFingerprint` below read the embedded
 * store's SQLite directly, for suites that only ever run on it.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect } from 'vitest';
import { sqliteFingerprint } from '../helpers/ground-truth.js';
import { databaseName, passwordOf, type TestResponse, type TestServer } from '../helpers/server.js';

export const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * Demo users of the embedded store (src/backends/embedded/demo/demo-data.ts); every password is the login.
 * On a live Odoo the ids differ: the contract suite takes them from test/rest/fixtures.ts.
 */
export const UID = { admin: 2, demo: 3, manager: 4, portal: 5 } as const;
/** Demo partners with fixed ids (embedded store). */
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

/**
 * The params of /web/session/authenticate for a demo user: the server's database (`odoo`, or ODOO_DB on
 * a live Odoo), the login and its password (the login itself in both demo data sets).
 */
export function credentials(user: string): { db: string; login: string; password: string } {
  return { db: databaseName(), login: user, password: passwordOf(user) };
}

/** Logs a demo user in through /web/session/authenticate and returns the cookie. */
export async function login(server: Pick<TestServer, 'url'>, user: string, db = databaseName()): Promise<string> {
  const response = await rpc(server, '/web/session/authenticate', { ...credentials(user), db });
  expect(response.body.error, JSON.stringify(response.body)).toBeUndefined();
  return sessionCookieOf(response.headers);
}

/**
 * A response in the contract's error shape (docs/rest-contract.md, C-ERROR-01): that status, `Content-Type:
 * application/json; charset=utf-8` and `{"error": "<message>"}` with nothing else, the message a non-empty
 * string. `message`, when given, is the whole message (a string) or a pattern it matches; `headers` are
 * further headers the answer must carry, by lowercase name, exactly (a string) or matching (a pattern),
 * such as `{ 'www-authenticate': 'Bearer' }` on a 401 (C-AUTH-05). The one check of that shape for every
 * suite: the REST contract's, BACKEND=odoo's over replayed Odoo answers, the bad-input tables'.
 */
export function expectError(
  response: Pick<TestResponse, 'status' | 'headers' | 'body'> & { readonly text?: string },
  status: number,
  message?: string | RegExp,
  headers: Readonly<Record<string, string | RegExp>> = {},
): void {
  const seen = response.text ?? JSON.stringify(response.body);
  expect(response.status, seen).toBe(status);
  expect(response.headers.get('content-type'), seen).toBe(JSON_UTF8);
  expect(Object.keys(response.body ?? {}), seen).toEqual(['error']);
  expect(typeof response.body.error, seen).toBe('string');
  expect(response.body.error.length, seen).toBeGreaterThan(0);
  if (typeof message === 'string') expect(response.body.error).toBe(message);
  else if (message) expect(response.body.error).toMatch(message);
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') expect(response.headers.get(name), name).toBe(value);
    else expect(response.headers.get(name), name).toMatch(value);
  }
}

/** Embedded store only (see the module comment): the number of rows the query returns. */
export function sqlCount(server: TestServer, text: string, ...params: unknown[]): number {
  return (server.backend.db.prepare(`SELECT count(*) AS n FROM (${text})`).get(...params) as { n: number }).n;
}

/** Embedded store only: every row the query returns. */
export function sqlRows<T = Record<string, unknown>>(server: TestServer, text: string, ...params: unknown[]): T[] {
  return server.backend.db.prepare(text).all(...params) as T[];
}

/** Embedded store only: the stored row of `table` with that id. */
export function storedRow(server: TestServer, table: string, id: number): Record<string, unknown> | undefined {
  return server.backend.db.prepare(`SELECT * FROM "${table}" WHERE "id" = ?`).get(id) as Record<string, unknown> | undefined;
}

/**
 * Embedded store only: one line per table, its row count, its latest `write_date` and a SHA-256 of every
 * row in rowid order. Equal fingerprints mean the database holds exactly the same data.
 */
export function databaseFingerprint(server: TestServer): Record<string, string> {
  return sqliteFingerprint(server.backend.db);
}

export { odooRecording } from '../helpers/odoo-recordings.js';

/** The JSON kind of a value, to compare shapes: `null`, `array`, `object`, `string`, `number`, `boolean`. */
export function jsonKind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Embedded store only: runs one write on another connection to the server's SQLite file, as the CLI or
 * another process (a worker of WORKERS) would, and commits it.
 */
export function writeFromAnotherConnection(server: Pick<TestServer, 'dataDir'>, sql: string, ...params: unknown[]): void {
  const db = new Database(join(server.dataDir, 'odoo.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}
