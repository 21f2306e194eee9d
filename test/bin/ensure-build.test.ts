/**
 * bin/ensure-build.js as `npm start` and `odoo-graphql` use it, on a small project of its own in a temp
 * folder (the real bin/ files and tsconfig.build.json, a two-module src/, this checkout's node_modules):
 * it builds when dist/ is missing or older than src/ and only then, two processes starting at once build
 * once and both run that build, a lock left by a killed build is taken over, and where TypeScript is not
 * installed a stale dist/ is refused in one line while a fresh one runs on plain node.
 */
import { execFile, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let project: string;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a bin/ script of the temp project with plain node, as a user's shell would. */
function run(script: string, ...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, OGF_SKIP_BUILD_CHECK: '0' };
  delete env.NODE_OPTIONS;
  return new Promise((resolve) => {
    execFile(process.execPath, [join('bin', script), ...args], { cwd: project, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const builds = (...runs: Run[]) => runs.map((r) => r.stderr.match(/building dist\//g)?.length ?? 0).reduce((a, b) => a + b, 0);

function writeCli(message: string, withGreeting = true): void {
  writeFileSync(
    join(project, 'src', 'cli.ts'),
    `${withGreeting ? "import { greeting } from './lib/greeting.js';\n" : ''}declare const console: { log(...values: unknown[]): void };
export async function runCli(argv: readonly string[]): Promise<number> {
  console.log(${withGreeting ? 'greeting()' : "'no greeting'"}, '${message}', argv.join(' '));
  return 0;
}
`,
  );
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'ogf-build-'));
  mkdirSync(join(project, 'bin'));
  for (const file of ['ensure-build.js', 'start.js', 'odoo-graphql.js']) copyFileSync(join(ROOT, 'bin', file), join(project, 'bin', file));
  copyFileSync(join(ROOT, 'tsconfig.build.json'), join(project, 'tsconfig.build.json'));
  // The real tsconfig.json's options without @types/node, so that each build takes a second, not ten.
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: [], noEmit: true },
      include: ['src'],
    }),
  );
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'ensure-build-fixture', private: true, type: 'module' }));
  symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
  mkdirSync(join(project, 'src', 'lib'), { recursive: true });
  writeFileSync(join(project, 'src', 'lib', 'greeting.ts'), `export const greeting = (): string => 'hello';\n`);
  writeFileSync(
    join(project, 'src', 'main.ts'),
    `declare const console: { log(...values: unknown[]): void };\nexport async function main(): Promise<void> {\n  console.log('main ran');\n}\n`,
  );
  writeCli('first');
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

describe('bin/ensure-build.js', () => {
  it('two processes starting at once without dist/: one builds, the other waits for it, both run the same whole build', async () => {
    const [a, b] = await Promise.all([run('odoo-graphql.js', 'one'), run('odoo-graphql.js', 'two')]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    expect(a.stdout).toBe('hello first one\n');
    expect(b.stdout).toBe('hello first two\n');
    expect(builds(a, b)).toBe(1);
    expect(`${a.stderr}${b.stderr}`).toContain('(there is none yet)');
    expect(readdirSync(join(project, 'dist')).sort()).toEqual(['.build-started', 'cli.js', 'cli.js.map', 'lib', 'main.js', 'main.js.map']);
    // Nothing left behind: no lock, no build folder, no replaced dist/.
    expect(readdirSync(join(project, '.tmp'))).toEqual([]);
    // Source maps point at src/ from where the maps now are, not from the folder they were built in.
    expect(JSON.parse(readFileSync(join(project, 'dist', 'lib', 'greeting.js.map'), 'utf8')).sources).toEqual([
      '../../src/lib/greeting.ts',
    ]);

    const again = await run('start.js');
    expect(again).toMatchObject({ code: 0, stdout: 'main ran\n' });
    expect(builds(again)).toBe(0);
  }, 120_000);

  it('rebuilds once a source is edited or deleted, or a tsconfig changes, and runs the new code', async () => {
    writeCli('second');
    const edited = await run('odoo-graphql.js', 'x');
    expect(edited.stderr).toContain('(src/ changed since the last build)');
    expect(builds(edited)).toBe(1);
    expect(edited.stdout).toBe('hello second x\n');

    // A deleted file only shows in its folder's time; its compiled copy must go too.
    writeCli('third', false);
    rmSync(join(project, 'src', 'lib', 'greeting.ts'));
    const deleted = await run('odoo-graphql.js', 'y');
    expect(builds(deleted)).toBe(1);
    expect(deleted.stdout).toBe('no greeting third y\n');
    expect(existsSync(join(project, 'dist', 'lib', 'greeting.js'))).toBe(false);

    writeFileSync(join(project, 'tsconfig.build.json'), readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8'));
    const reconfigured = await run('odoo-graphql.js', 'z');
    expect(builds(reconfigured)).toBe(1);
    expect(builds(await run('odoo-graphql.js', 'z'))).toBe(0);
  }, 120_000);

  it('takes over a lock left by a build that was killed', async () => {
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    mkdirSync(join(project, '.tmp'), { recursive: true });
    writeFileSync(join(project, '.tmp', 'build.lock'), String(gone.pid));
    mkdirSync(join(project, '.tmp', `build-${gone.pid}`));
    writeCli('fourth', false);
    const started = await run('start.js');
    expect(started.code, started.stderr).toBe(0);
    expect(started.stderr).toContain(`taking over .tmp/build.lock, left by process ${gone.pid}`);
    expect(builds(started)).toBe(1);
    expect(readdirSync(join(project, '.tmp'))).toEqual([]);
  }, 120_000);

  it('without TypeScript (npm ci --omit=dev): a fresh dist/ runs on plain node; a stale or missing one is refused in one line', async () => {
    expect(builds(await run('start.js'))).toBe(0);
    renameSync(join(project, 'node_modules'), join(project, 'node_modules.away'));
    try {
      expect(await run('odoo-graphql.js', 'w')).toMatchObject({ code: 0, stdout: 'no greeting fourth w\n', stderr: '' });

      writeCli('fifth', false);
      for (const script of ['start.js', 'odoo-graphql.js']) {
        const refused = await run(script);
        expect(refused.code).toBe(1);
        expect(refused.stdout).toBe('');
        expect(refused.stderr).toBe(
          'odoo-graphql: dist/ is older than src/ and TypeScript is not installed here (npm ci --omit=dev?): run `npm run build` where the dev dependencies are installed, then use that dist/\n',
        );
      }

      rmSync(join(project, 'dist'), { recursive: true });
      const missing = await run('start.js');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/^odoo-graphql: dist\/ is missing and TypeScript is not installed here .*run `npm run build`.*\n$/);
      expect(missing.stderr.split('\n')).toHaveLength(2);
    } finally {
      renameSync(join(project, 'node_modules.away'), join(project, 'node_modules'));
    }
  }, 60_000);
});
