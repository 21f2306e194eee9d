/**
 * Seeds the demo database once per test run into a template file; each test server starts from a copy
 * (test/helpers/server.ts), which keeps every test on a fresh database without re-seeding each time.
 * Builds dist/ once too, if it is missing or stale (bin/ensure-build.js): the servers and the CLI that
 * tests spawn run the compiled code, as `npm start` and `odoo-graphql` do, all of them this one build.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const env: NodeJS.ProcessEnv = { ...process.env, OGF_SKIP_BUILD_CHECK: '0' };
  delete env.NODE_OPTIONS;
  execFileSync(process.execPath, ['bin/ensure-build.js'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), env, stdio: 'inherit' });
  // Inherited by the test workers and what they spawn: no rebuild when src/ is edited during the run.
  process.env.OGF_SKIP_BUILD_CHECK = '1';
  const dir = mkdtempSync(join(tmpdir(), 'ogf-template-'));
  const backend = new EmbeddedBackend({ dataDir: dir, dbName: 'odoo', demo: true });
  backend.db.pragma('wal_checkpoint(TRUNCATE)');
  await backend.close();
  project.provide('templateDb', join(dir, 'odoo.sqlite'));
  return () => rmSync(dir, { recursive: true, force: true });
}
