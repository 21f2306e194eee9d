/**
 * `npx tsx bench/cpu-per-request.ts [path]`: CPU time one REST request costs the server, measured
 * in-process with Fastify's inject (no sockets), as admin on a fresh demo database. Steadier than
 * requests/s on a shared machine, and the number to watch when optimising the read path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import type { EmbeddedBackend } from '../src/backends/embedded/embedded-backend.js';
import { testConfig } from '../src/config.js';

const path = process.argv[2] ?? '/api/sale_order?limit=80';
const login = process.argv[3] ?? 'admin';
const dataDir = mkdtempSync(join(tmpdir(), 'ogf-cpu-'));
const app = await createApp(testConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
try {
  const key = (app.backend as EmbeddedBackend).createApiKey(login, 'cpu');
  const run = async (n: number) => {
    for (let i = 0; i < n; i += 1) {
      const response = await app.server.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${key}` } });
      if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    }
  };
  await run(500);
  const before = process.cpuUsage();
  const started = performance.now();
  const count = 2000;
  await run(count);
  const used = process.cpuUsage(before);
  process.stdout.write(
    `${path} as ${login}: ${((used.user + used.system) / count).toFixed(0)} µs CPU per request, ${(((performance.now() - started) * 1000) / count).toFixed(0)} µs wall\n`,
  );
} finally {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
