/**
 * Starts a real server for a test: a fresh SQLite database (copied from a demo template seeded once per
 * run, see global-setup.ts), listening on 127.0.0.1 port 0. Gives the base URL, API keys per demo user
 * and a small client, so each test reads like a user's session.
 */
import { copyFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { EmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { testConfig } from '../../src/config.js';
import { inject } from 'vitest';

export interface TestServer {
  readonly app: App;
  readonly url: string;
  readonly dataDir: string;
  readonly backend: EmbeddedBackend;
  /** Creates (once per login) and returns an API key of that demo user. */
  key(login: string): string;
  /** A fetch against the server with that user's key (or none when login is null). */
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

/**
 * How `startServer` serves, per test file: `direct` (the embedded server answers) or `proxy` (a
 * BACKEND=proxy instance in front of it answers, so a suite written for the contract runs through the
 * proxy unchanged; `backend` and `key()` stay those of the embedded upstream).
 */
export const serverMode: { via: 'direct' | 'proxy' } = { via: 'direct' };

export async function startServer(config: Record<string, string | number | boolean> = {}): Promise<TestServer> {
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
  return {
    app,
    url: address,
    dataDir,
    backend,
    key,
    async request(login, method, path, body, headers = {}) {
      return sendJson(address, method, path, { body, headers: login ? { ...headers, authorization: `Bearer ${key(login)}` } : headers });
    },
    async close() {
      if (app !== upstream) await app.close();
      await upstream.close();
      if (!config.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
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

/** `encodeURIComponent` for a query parameter, so tests can write domains as a user would type them. */
export function q(params: Record<string, string | number>): string {
  return Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');
}
