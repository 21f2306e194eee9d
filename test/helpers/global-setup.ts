/**
 * Seeds the demo database once per test run into a template file; each test server starts from a copy
 * (test/helpers/server.ts), which keeps every test on a fresh database without re-seeding each time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'ogf-template-'));
  const backend = new EmbeddedBackend({ dataDir: dir, dbName: 'odoo', demo: true });
  backend.db.pragma('wal_checkpoint(TRUNCATE)');
  await backend.close();
  project.provide('templateDb', join(dir, 'odoo.sqlite'));
  return () => rmSync(dir, { recursive: true, force: true });
}
