/**
 * Starts a real server for a test: a fresh SQLite database (copied from a demo template seeded once per
 * run, see global-setup.ts), listening on 127.0.0.1 port 0. Gives the base URL, API keys per demo user
 * and a small client, so each test reads like a user's session. A suite that needs one server for all its
 * tests declares it with `useServer(config)` (use-server.ts), which starts it before them and closes it
 * after; `startServer` itself is for a test that starts a server of its own and closes it in `finally`.
 *
 * `serverMode` lets a suite written for the contract run unchanged in front of something else: a
 * BACKEND=proxy instance (test/proxy/contract-through-proxy.test.ts), a live Odoo
 * (test/backends/odoo/live.test.ts), or another implementation of the contract already running, such as
 * the lab's reference gateway inside Odoo (test/rest/contract-reference.test.ts). Tests that read what the
 * database holds use `server.truth` (SQLite of the embedded store, or the live Odoo's PostgreSQL), and
 * `server.authorization(login)` for "a valid credential of that user" (a Bearer API key on the embedded
 * store and the reference, Basic login:secret on BACKEND=odoo).
 */
import { copyFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { EmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { testConfig } from '../../src/config.js';
import { expect, inject } from 'vitest';
import { postgresTruth, sqliteTruth, type GroundTruth } from './ground-truth.js';

export interface TestServer {
  readonly app: App;
  readonly url: string;
  readonly dataDir: string;
  /**
   * The embedded store behind the server (the upstream's, in proxy mode). It does not exist in front of
   * a live Odoo: reading it there throws, so a test that needs it must be declared with
   * `itNeeds('embedded', ...)` (test/rest/capabilities.ts).
   */
  readonly backend: EmbeddedBackend;
  /** What the database behind the server holds, read as the superuser (SQLite, or a live Odoo's PostgreSQL). */
  readonly truth: GroundTruth;
  /**
   * A secret of that demo user: an API key of the embedded store (created once per login), or on a live
   * Odoo the configured one (ODOO_API_KEY for ODOO_LOGIN, ODOO_SECRETS, else the demo password).
   */
  key(login: string): string;
  /** An `Authorization` header value with a valid credential of that user (Bearer key, or Basic on Odoo). */
  authorization(login: string): string;
  /** A fetch against the server with that user's credential (or none when login is null). */
  request(login: string | null, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
  readonly text: string;
}

/** A new data folder holding a copy of the seeded demo database (or an empty folder, seeded on start). */
export function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ogf-test-'));
  const template = inject('templateDb');
  if (template && existsSync(template)) copyFileSync(template, join(dir, 'odoo.sqlite'));
  return dir;
}

/** A live Odoo to serve in front of (`serverMode.via = 'odoo'`), as test/backends/odoo/live.test.ts reads it from the environment. */
export interface OdooTarget {
  readonly url: string;
  readonly db: string;
  /** The administrator's login (Odoo's demo: `admin`) and an API key of that user. */
  readonly login: string;
  readonly apiKey: string;
  /** The Odoo database itself, for ground truth (`postgresql://user:pass@host:5432/db`). */
  readonly pgUrl: string;
  /** Basic secrets (API keys) of other users, by login. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Passwords for /web/session/authenticate, by login (default: the login, as in Odoo's demo data). */
  readonly passwords: Readonly<Record<string, string>>;
  /** `common.version`'s `server_version` and `server_version_info`. */
  readonly serverVersion: string;
  readonly serverVersionInfo: readonly unknown[];
}

/**
 * How `startServer` serves, per test file: `direct` (the embedded server answers), `proxy` (a
 * BACKEND=proxy instance in front of it answers, so a suite written for the contract runs through the
 * proxy unchanged; `backend`, `truth` and `key()` stay those of the embedded upstream) or `odoo` (a
 * BACKEND=odoo instance in front of `serverMode.odoo`; no embedded store, truth from Odoo's PostgreSQL) or
 * `reference` (nothing is started: the contract implementation at `serverMode.referenceUrl` answers, in
 * front of the Odoo of `serverMode.odoo`, whose PostgreSQL is the truth).
 */
export const serverMode: { via: 'direct' | 'proxy' | 'odoo' | 'reference'; odoo?: OdooTarget; referenceUrl?: string } = { via: 'direct' };

/** True when the data is a live Odoo's (`odoo` and `reference` modes): Odoo's demo data, ids and rules. */
export function inFrontOfOdoo(): boolean {
  return serverMode.via === 'odoo' || serverMode.via === 'reference';
}

/** The live Odoo of odoo and reference modes; throws in any other mode. */
export function odooTarget(): OdooTarget {
  if (!inFrontOfOdoo() || !serverMode.odoo) throw new Error(`serverMode.via is '${serverMode.via}': there is no live Odoo`);
  return serverMode.odoo;
}

/** The database name /web/session/authenticate expects: `odoo` for the embedded store, ODOO_DB on Odoo. */
export function databaseName(): string {
  return inFrontOfOdoo() ? odooTarget().db : 'odoo';
}

/** The password of a demo user for /web/session/authenticate (the embedded demo's and Odoo's: the login itself). */
export function passwordOf(login: string): string {
  return inFrontOfOdoo() ? (odooTarget().passwords[login] ?? login) : login;
}

/** What `Authorization: Basic` carries for a user of the live Odoo: ODOO_API_KEY for ODOO_LOGIN, ODOO_SECRETS, else the password. */
export function odooSecretOf(login: string): string {
  const odoo = odooTarget();
  return odoo.secrets[login] ?? (login === odoo.login ? odoo.apiKey : passwordOf(login));
}

export async function startServer(config: Record<string, string | number | boolean> = {}): Promise<TestServer> {
  if (serverMode.via === 'odoo') return startOdooServer(config);
  if (serverMode.via === 'reference') return startReferenceServer(config);
  const dataDir = (config.DATA_DIR as string | undefined) ?? freshDataDir();
  const upstream = await createApp(testConfig({ PORT: 0, LOG_LEVEL: 'silent', ...config, DATA_DIR: dataDir }));
  const upstreamAddress = await upstream.server.listen({ host: '127.0.0.1', port: 0 });
  let app = upstream;
  let address = upstreamAddress;
  if (serverMode.via === 'proxy') {
    const proxyConfig: Record<string, string | number | boolean> = { BACKEND: 'proxy', UPSTREAM_URL: upstreamAddress, LOG_LEVEL: 'silent' };
    if (config.BODY_LIMIT !== undefined) proxyConfig.BODY_LIMIT = config.BODY_LIMIT;
    app = await createApp(testConfig(proxyConfig));
    address = await app.server.listen({ host: '127.0.0.1', port: 0 });
  }
  const backend = upstream.backend as EmbeddedBackend;
  const keys = new Map<string, string>();
  const key = (login: string) => {
    let value = keys.get(login);
    if (!value) {
      value = backend.createApiKey(login, 'test');
      keys.set(login, value);
    }
    return value;
  };
  const authorization = (login: string) => `Bearer ${key(login)}`;
  return {
    app,
    url: address,
    dataDir,
    backend,
    truth: sqliteTruth(backend.db),
    key,
    authorization,
    async request(login, method, path, body, headers = {}) {
      return sendJson(address, method, path, { body, headers: login ? { ...headers, authorization: authorization(login) } : headers });
    },
    async close() {
      if (app !== upstream) await app.close();
      await upstream.close();
      if (!config.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A BACKEND=odoo instance in front of the live Odoo of `serverMode.odoo`. Settings of the REST layer
 * (BODY_LIMIT, MAX_LIMIT...) apply as given; DATA_DIR means nothing there.
 */
async function startOdooServer(config: Record<string, string | number | boolean>): Promise<TestServer> {
  const odoo = odooTarget();
  const { DATA_DIR: _unused, ...rest } = config;
  const dataDir = mkdtempSync(join(tmpdir(), 'ogf-test-odoo-'));
  const app = await createApp(
    testConfig({ PORT: 0, LOG_LEVEL: 'silent', ...rest, BACKEND: 'odoo', ODOO_URL: odoo.url, ODOO_DB: odoo.db, DATA_DIR: dataDir }),
  );
  const address = await app.server.listen({ host: '127.0.0.1', port: 0 });
  const truth = await postgresTruth(odoo.pgUrl);
  const authorization = (login: string) => `Basic ${Buffer.from(`${login}:${odooSecretOf(login)}`).toString('base64')}`;
  return {
    app,
    url: address,
    dataDir,
    get backend(): EmbeddedBackend {
      throw new Error(
        "server.backend is the embedded store, and this server is BACKEND=odoo: read server.truth, or declare the test with itNeeds('embedded', ...)",
      );
    },
    truth,
    key: odooSecretOf,
    authorization,
    async request(login, method, path, body, headers = {}) {
      return sendJson(address, method, path, { body, headers: login ? { ...headers, authorization: authorization(login) } : headers });
    },
    async close() {
      await app.close();
      await truth.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The contract implementation at `serverMode.referenceUrl` (the lab's reference gateway inside Odoo), as
 * it runs: nothing is started, and it cannot be configured (a test that asks BODY_LIMIT or MAX_LIMIT fails
 * saying so). Users with an API key (ODOO_API_KEY for ODOO_LOGIN, ODOO_SECRETS) send `Authorization:
 * Bearer <key>`, the only scheme such a gateway takes; the others (portal, manager) log in once at
 * /web/session/authenticate and send the session cookie.
 */
async function startReferenceServer(config: Record<string, string | number | boolean>): Promise<TestServer> {
  const odoo = odooTarget();
  const url = serverMode.referenceUrl!.replace(/\/+$/, '');
  const asked = Object.keys(config).filter((name) => name !== 'DATA_DIR');
  if (asked.length) throw new Error(`the reference gateway at ${url} runs as it is: it cannot be started with ${asked.join(', ')}`);
  const truth = await postgresTruth(odoo.pgUrl);
  const keyOf = (login: string) => odoo.secrets[login] ?? (login === odoo.login ? odoo.apiKey : undefined);
  const cookies = new Map<string, string>();
  const sessionOf = async (login: string) => {
    let cookie = cookies.get(login);
    if (!cookie) {
      const answer = await fetch(`${url}/web/session/authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { db: odoo.db, login, password: passwordOf(login) }, id: 1 }),
      });
      const pair = answer.headers
        .getSetCookie()
        .find((c) => c.startsWith('session_id='))
        ?.split(';')[0];
      if (!pair) throw new Error(`${login} could not log in at ${url}/web/session/authenticate (HTTP ${answer.status})`);
      cookie = pair;
      cookies.set(login, cookie);
    }
    return cookie;
  };
  const authorization = (login: string) => {
    const key = keyOf(login);
    if (!key) throw new Error(`no API key for '${login}' (ODOO_SECRETS=${login}:<key>): the reference gateway takes Bearer keys only`);
    return `Bearer ${key}`;
  };
  return {
    get app(): App {
      throw new Error(`server.app: the reference gateway at ${url} is not an app of this repository`);
    },
    url,
    dataDir: '',
    get backend(): EmbeddedBackend {
      throw new Error(
        "server.backend is the embedded store, and this server is the reference gateway: read server.truth, or declare the test with itNeeds('embedded', ...)",
      );
    },
    truth,
    key(login) {
      const key = keyOf(login);
      if (!key) throw new Error(`no API key for '${login}'`);
      return key;
    },
    authorization,
    async request(login, method, path, body, headers = {}) {
      if (!login) return sendJson(url, method, path, { body, headers });
      const credential: Record<string, string> = keyOf(login)
        ? { authorization: authorization(login) }
        : { cookie: await sessionOf(login) };
      return sendJson(url, method, path, { body, headers: { ...headers, ...credential } });
    },
    async close() {
      await truth.close();
    },
  };
}

/**
 * One HTTP request as a client would send it: a JSON body (unless given as a string) with its content
 * type, and the answer read whole, parsed as JSON when it is JSON.
 */
export async function sendJson(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const response = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined && { body }) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** Creates a record through the REST API as `login` and returns its id; the test fails unless the answer is 201. */
export async function createdId(
  server: Pick<TestServer, 'request'>,
  slug: string,
  values: Record<string, unknown>,
  login = 'admin',
): Promise<number> {
  const answer = await server.request(login, 'POST', `/api/${slug}?fields=id`, values);
  expect(answer.status, answer.text).toBe(201);
  return answer.body.id as number;
}

/** `sendJson` as a caller with an API key (`Authorization: Bearer`) or a session cookie, or neither. */
export function sendAs(
  base: string,
  method: string,
  path: string,
  options: { key?: string; cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.cookie) headers.cookie = options.cookie;
  return sendJson(base, method, path, { headers, body: options.body });
}

/** `encodeURIComponent` for a query parameter, so tests can write domains as a user would type them. */
export function q(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
}
