/**
 * `npm run bench:startup`: how long a start takes, from spawning the command to the first 200 of
 * GET /api/health, for each of the commands given (default: what `npm start` ran before issue 12,
 * `npx tsx src/main.ts`, against what it runs now, `node bin/start.js`).
 *
 * Every start gets its own copy of one seeded demo database (seeded once into a temp folder, the file
 * copied into a new temp folder per run), so no run seeds and all open the same data. The commands take
 * turns (A, B, A, B, ...) so both see the same load on a shared machine; the median of BENCH_RUNS (5) is
 * reported, with the fastest and slowest. Before each start (untimed) `node bin/ensure-build.js` brings
 * dist/ up to date, so `node bin/start.js` is measured on a fresh build, as a second `npm start` finds it.
 *
 *   npm run bench:startup
 *   npm run bench:startup -- 'npx tsx src/main.ts' 'node_modules/.bin/tsx src/main.ts' 'node bin/start.js'
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddedBackend } from '../src/backends/embedded/embedded-backend.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 5);
const commands = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['npx tsx src/main.ts', 'node bin/start.js'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Milliseconds from spawning `command` to the first 200 of /api/health; the process is then stopped. */
async function timeToHealth(command: string, dataDir: string): Promise<number> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.NODE_OPTIONS; // tsx's own loader, which runs this script, is not the measured command's
  delete env.NODE_ENV;
  const started = performance.now();
  // Its own process group, stopped as a whole: `npx` does not pass SIGTERM on to the server it runs.
  const child = spawn('sh', ['-c', `exec ${command}`], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${command} exited (${code}):\n${stderr}`))),
  );
  exited.catch(() => {});
  try {
    for (;;) {
      const answer = await Promise.race([
        fetch(`http://127.0.0.1:${port}/api/health`).then(
          (r) => r.status,
          () => 0,
        ),
        exited,
      ]);
      if (answer === 200) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error(`${command}: no 200 from /api/health within 60 s:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.removeAllListeners('exit');
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      process.kill(-child.pid!, 'SIGTERM');
    });
  }
}

async function main(): Promise<void> {
  const seeded = mkdtempSync(join(tmpdir(), 'ogf-startup-seed-'));
  const backend = new EmbeddedBackend({ dataDir: seeded, dbName: 'odoo', demo: true });
  backend.db.pragma('wal_checkpoint(TRUNCATE)');
  await backend.close();
  const times = new Map<string, number[]>(commands.map((c) => [c, []]));
  try {
    for (let run = 0; run < runs; run += 1) {
      for (const command of commands) {
        const dataDir = mkdtempSync(join(tmpdir(), 'ogf-startup-'));
        try {
          // Untimed: a dist/ made stale by an edit meanwhile is rebuilt first, so that each start measured is a start, not a build.
          execFileSync(process.execPath, ['bin/ensure-build.js'], { cwd: ROOT, stdio: 'inherit' });
          copyFileSync(join(seeded, 'odoo.sqlite'), join(dataDir, 'odoo.sqlite'));
          times.get(command)!.push(await timeToHealth(command, dataDir));
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    rmSync(seeded, { recursive: true, force: true });
  }
  process.stdout.write(`spawn to first 200 of /api/health, ${runs} runs each, alternating (ms):\n`);
  for (const [command, values] of times) {
    const sorted = [...values].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    process.stdout.write(
      `  ${command.padEnd(40)} median ${median.toFixed(0).padStart(5)}   min ${sorted[0]!.toFixed(0).padStart(5)}   max ${sorted.at(-1)!.toFixed(0).padStart(5)}   (${values.map((v) => v.toFixed(0)).join(', ')})\n`,
    );
  }
}

await main();
