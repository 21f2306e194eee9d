/**
 * The CLI takes exactly the arguments its commands name: a stray one (an API key pasted after `serve`,
 * arguments in the wrong order) is refused with a message instead of being ignored, and a DATA_DIR
 * named like an API key is refused before anything is created. A database in a folder named like a key
 * (`<40 hex>/odoo.sqlite`) once ended up committed at the repository's top level.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/odoo-graphql.js', import.meta.url));
const KEY = '6d7f74923b41d38322ee7a1b5ea4a49b1470540d';
const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI in an empty folder of its own, so whatever it would create there shows. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string; cwd: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'ogf-cli-args-'));
  folders.push(cwd);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.NODE_OPTIONS;
  delete childEnv.DATA_DIR;
  // Were a stray argument ignored, `serve` would start: on any free port, stopped by the timeout below.
  Object.assign(childEnv, { PORT: '0', LOG_LEVEL: 'silent' }, env);
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: childEnv, timeout: 15_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr, cwd });
    });
  });
}

// Each CLI run is its own Node process compiling the sources (seconds on a busy machine).
describe('odoo-graphql arguments', { timeout: 120_000 }, () => {
  it('CA-01 a stray argument (an API key after `serve`, after `apikey list`) is refused without starting or creating anything, and the key is not printed back', async () => {
    for (const [args, shown] of [
      [['serve', KEY], "'6d7f7492...' (an API key?)"],
      [['apikey', 'list', KEY], "'6d7f7492...' (an API key?)"],
      [['schema', 'print', 'extra'], "'extra'"],
    ] as const) {
      const run = await cli([...args]);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toContain(
        `unexpected argument ${shown} after '${args
          .slice(0, 2)
          .filter((a) => a !== KEY)
          .join(' ')}'`,
      );
      expect(run.stderr).not.toContain(KEY);
      expect(readdirSync(run.cwd)).toEqual([]);
    }
  });

  it('CA-02 a DATA_DIR named like an API key (flag or environment) is refused naming DATA_DIR; no folder is created', async () => {
    for (const [args, env] of [
      [['apikey', 'list', '--data-dir', KEY], {}],
      [['apikey', 'list'], { DATA_DIR: KEY }],
    ] as const) {
      const run = await cli([...args], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/DATA_DIR: looks like an API key/);
      expect(run.stderr).not.toContain(KEY);
      expect(readdirSync(run.cwd)).toEqual([]);
    }
  });
});
