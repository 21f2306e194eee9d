/**
 * WORKERS (issue 20): a whole number from 1 to 64, or `auto` (one per CPU this process may use); 1 by
 * default, the single process of before. Anything else stops the start with a message naming WORKERS.
 */
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, MAX_WORKERS } from '../../src/config.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

describe('WORKERS', () => {
  it('is 1 by default, a whole number up to 64 as given, and auto one per CPU', () => {
    expect(loadConfig({}).WORKERS).toBe(1);
    expect(loadConfig({ WORKERS: '2' }).WORKERS).toBe(2);
    expect(loadConfig({ WORKERS: ' 64 ' }).WORKERS).toBe(64);
    expect(loadConfig({ WORKERS: 'AUTO' }).WORKERS).toBe(Math.min(availableParallelism(), MAX_WORKERS));
  });

  it.each(['abc', '0', '65', '1.5', '-2', '2x'])('refuses %j, naming WORKERS and the expected form', (value) => {
    expect(() => loadConfig({ WORKERS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ WORKERS: value })).toThrow(
      `WORKERS: expected a whole number from 1 to 64, or auto (one per CPU) (got ${JSON.stringify(value)})`,
    );
  });

  it('WORKERS=abc: npm start says why in one message and exits 1, starting nothing', async () => {
    const failure = await run(process.execPath, ['bin/start.js'], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', WORKERS: 'abc', PORT: '0' },
      timeout: 60_000,
    }).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(
      'invalid configuration:\n  WORKERS: expected a whole number from 1 to 64, or auto (one per CPU) (got "abc")',
    );
    expect(failure?.stdout).not.toContain('listening on');
  }, 60_000);
});
