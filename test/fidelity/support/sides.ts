/**
 * The "sides" a fidelity scenario runs on, each answering the same REST contract over real HTTP on loopback:
 *
 * - `embedded`: this server on the embedded SQLite store (startServer, a fresh copy of the demo database),
 *   called as `admin` with a Bearer API key of the store;
 * - `odoo`: the lab's reference REST gateway inside a real Odoo 17 (`$ODOO_URL/api/...`, addon
 *   `ref_rest_api`), called with `Authorization: Bearer $ODOO_API_KEY` (an API key of `$ODOO_LOGIN`);
 * - `facade`: this server with `BACKEND=odoo` in front of the same Odoo (JSON-RPC), called with
 *   `Authorization: Basic base64($ODOO_LOGIN:$ODOO_API_KEY)`.
 *
 * The lab is named by the environment (`source ~/odoo-lab/live.env`): ODOO_URL, ODOO_DB, ODOO_LOGIN,
 * ODOO_API_KEY. Without them the fidelity suites are skipped with one line naming what is missing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { createApp } from '../../../src/app.js';
import { testConfig } from '../../../src/config.js';
import { sendJson, startServer, type TestServer } from '../../helpers/server.js';
import type { LabEnv, Side } from './http.js';

export * from './http.js';

const REQUIRED = ['ODOO_URL', 'ODOO_DB', 'ODOO_LOGIN', 'ODOO_API_KEY'] as const;

/** The lab from the environment, or the names of the variables that are missing. */
export function labEnv(): { env: LabEnv; missing: [] } | { env: undefined; missing: string[] } {
  const missing = REQUIRED.filter((name) => !process.env[name]);
  if (missing.length) return { env: undefined, missing };
  return {
    env: {
      url: process.env.ODOO_URL!.replace(/\/+$/, ''),
      db: process.env.ODOO_DB!,
      login: process.env.ODOO_LOGIN!,
      apiKey: process.env.ODOO_API_KEY!,
    },
    missing: [],
  };
}

/**
 * `describe` for a suite that needs the lab: without it, one skipped test named after the suite and one
 * line saying which variables to set, so CI without Odoo stays green and lists the suite as skipped.
 */
export function describeWithLab(title: string, tests: readonly string[], body: (env: LabEnv) => void): void {
  const { env, missing } = labEnv();
  if (!env) {
    const reason = `${title} skipped: set ${missing.join(', ')} (source ~/odoo-lab/live.env) to compare with a real Odoo 17`;
    console.info(reason);
    describe.skip(reason, () => {
      for (const name of tests) it(name, () => {});
    });
    return;
  }
  describe(title, () => body(env));
}

export async function embeddedSide(config: Record<string, string | number | boolean> = {}): Promise<Side & { server: TestServer }> {
  const server = await startServer({ MAX_LIMIT: 5000, ...config });
  return {
    name: 'embedded',
    server,
    request: (method, path, body, headers = {}, auth = true) =>
      sendJson(server.url, method, path, { body, headers: auth ? { authorization: server.authorization('admin'), ...headers } : headers }),
    close: () => server.close(),
  };
}

export function odooSide(env: LabEnv): Side {
  return {
    name: 'odoo',
    request: (method, path, body, headers = {}, auth = true) =>
      sendJson(env.url, method, path, { body, headers: auth ? { authorization: `Bearer ${env.apiKey}`, ...headers } : headers }),
    close: async () => {},
  };
}

/** This server with BACKEND=odoo in front of the lab (a throwaway DATA_DIR: it keeps nothing there). */
export async function facadeSide(env: LabEnv): Promise<Side> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ogf-fidelity-'));
  const app = await createApp(
    testConfig({
      PORT: 0,
      LOG_LEVEL: 'silent',
      BACKEND: 'odoo',
      ODOO_URL: env.url,
      ODOO_DB: env.db,
      DATA_DIR: dataDir,
      MAX_LIMIT: 5000,
    }),
  );
  const url = await app.server.listen({ host: '127.0.0.1', port: 0 });
  const basic = `Basic ${Buffer.from(`${env.login}:${env.apiKey}`).toString('base64')}`;
  return {
    name: 'facade',
    request: (method, path, body, headers = {}, auth = true) =>
      sendJson(url, method, path, { body, headers: auth ? { authorization: basic, ...headers } : headers }),
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
