#!/usr/bin/env node
/**
 * Makes sure dist/ (the compiled server and CLI: `tsc -p tsconfig.build.json`) exists and is not older
 * than what it is built from, and builds it when it is: bin/start.js (`npm start`), bin/odoo-graphql.js
 * and the test suite's global setup all go through here, so `git clone && npm install && npm start` needs
 * no separate build step while the server itself runs on plain node. `node bin/ensure-build.js` does just
 * this and exits.
 *
 * Fresh means: every file and folder under src/ and every tsconfig*.json is older than the oldest file in
 * dist/. A build made here writes dist/.build-started before tsc reads anything, so a source saved while
 * tsc runs still counts as newer; a folder's time covers a file deleted or renamed in it; a dist/ left by
 * a plain `npm run build` over an older one keeps that build's stamp and is rebuilt here once.
 *
 * Builds do not race: each goes to a folder of its own under .tmp/ and is renamed into place whole, so
 * dist/ is never half written; a lock file (.tmp/build.lock, holding the builder's pid) makes a process
 * starting at the same moment wait for that build and use it instead of building again. A lock whose
 * process is gone (killed mid-build), or older than LOCK_STALE_MS, is taken over.
 *
 * Plain JavaScript (ESM, node built-ins only): it must run where neither tsx nor TypeScript is installed
 * (`npm ci --omit=dev`), and then say so in one line when dist/ cannot be used.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const SRC = join(ROOT, 'src');
const WORK = join(ROOT, '.tmp');
const LOCK = join(WORK, 'build.lock');
const STAMP = '.build-started';
/** The entries bin/ runs: without them dist/ is not a build. */
const ENTRIES = ['main.js', 'cli.js'];
/** No build takes this long: a lock older than this is left over. */
const LOCK_STALE_MS = 10 * 60_000;
const LOCK_POLL_MS = 100;
/** The environment variable that skips the freshness check when dist/ exists (see ensureBuild). */
export const SKIP_CHECK = 'OGF_SKIP_BUILD_CHECK';

/** Why dist/ cannot be used and cannot be built here; the launchers print its message and exit 1. */
export class BuildError extends Error {
  name = 'BuildError';
}

/** A file:// URL of a compiled module, for `import()`: `distUrl('main.js')`. */
export function distUrl(file) {
  return pathToFileURL(join(DIST, file)).href;
}

/** Calls `visit(path, stats)` for every file and folder under `dir` (not `dir` itself). */
function walk(dir, visit) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    visit(path, statSync(path));
    if (entry.isDirectory()) walk(path, visit);
  }
}

/** The newest modification time (ms) among the build's inputs: src/ (files and folders) and tsconfig*.json. */
function newestInput() {
  let newest = 0;
  if (existsSync(SRC)) {
    newest = statSync(SRC).mtimeMs;
    walk(SRC, (_path, stats) => {
      newest = Math.max(newest, stats.mtimeMs);
    });
  }
  for (const name of readdirSync(ROOT)) {
    if (/^tsconfig.*\.json$/.test(name)) newest = Math.max(newest, statSync(join(ROOT, name)).mtimeMs);
  }
  return newest;
}

/** The oldest file's modification time (ms) in dist/, or undefined when dist/ lacks an entry. */
function buildTime() {
  if (!ENTRIES.every((file) => existsSync(join(DIST, file)))) return undefined;
  let oldest = Infinity;
  walk(DIST, (_path, stats) => {
    if (stats.isFile()) oldest = Math.min(oldest, stats.mtimeMs);
  });
  return oldest;
}

/** `fresh`, `missing` or `stale` (some input is as new as the build or newer: equal times count as newer, to be safe). */
export function buildState() {
  try {
    const built = buildTime();
    if (built === undefined) return 'missing';
    return newestInput() < built ? 'fresh' : 'stale';
  } catch (error) {
    // A file went away while it was looked at: a build being moved into place, an editor saving.
    if (error.code === 'ENOENT') return 'stale';
    throw error;
  }
}

/** tsc's script, or undefined where TypeScript is not installed. */
function findTsc() {
  try {
    return createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Takes the build lock, waiting while a live process holds it. Returns the function that releases it. */
async function lock(log) {
  mkdirSync(WORK, { recursive: true });
  let told = false;
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(LOCK, { force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let holder = 0;
    let age = 0;
    try {
      holder = Number(readFileSync(LOCK, 'utf8')) || 0;
      age = Date.now() - statSync(LOCK).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    // No pid yet (holder 0): the lock was just made and its pid is being written, so it is not left over.
    if (age > LOCK_STALE_MS || (holder > 0 && !isAlive(holder))) {
      log(`taking over ${relative(ROOT, LOCK)}, left by process ${holder || '(unknown)'}`);
      rmSync(LOCK, { force: true });
      continue;
    }
    if (!told) {
      log(`waiting for the build of process ${holder || '(starting)'} to finish`);
      told = true;
    }
    await new Promise((done) => setTimeout(done, LOCK_POLL_MS));
  }
}

/** Removes build folders and replaced dist/ copies under .tmp/ whose process is gone. */
function removeLeftovers() {
  for (const name of readdirSync(WORK)) {
    const match = /^(?:build|dist-old)-(\d+)(?:-\d+)?$/.exec(name);
    if (match && !isAlive(Number(match[1]))) rmSync(join(WORK, name), { recursive: true, force: true });
  }
}

/** tsc wrote each map's `sources` relative to where it built; make them relative to where the map now is. */
function relocateSourceMaps(builtIn, movedTo) {
  walk(builtIn, (path, stats) => {
    if (!stats.isFile() || !path.endsWith('.js.map')) return;
    const map = JSON.parse(readFileSync(path, 'utf8'));
    const finalDir = dirname(join(movedTo, relative(builtIn, path)));
    map.sources = map.sources.map((source) =>
      relative(finalDir, resolve(dirname(path), source))
        .split('\\')
        .join('/'),
    );
    writeFileSync(path, JSON.stringify(map));
  });
}

/** Runs tsc into `outDir`; resolves with its exit code and everything it printed. */
function runTsc(tsc, outDir) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', fail);
    child.once('close', (code) => done({ code, output }));
  });
}

/** Replaces dist/ with the folder `built`: two renames, retried if another builder put a dist/ back in between. */
function moveIntoPlace(built) {
  const replaced = [];
  for (let attempt = 0; ; attempt += 1) {
    const old = join(WORK, `dist-old-${process.pid}-${attempt}`);
    try {
      renameSync(DIST, old);
      replaced.push(old);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    try {
      renameSync(built, DIST);
      break;
    } catch (error) {
      if ((error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') || attempt >= 5) throw error;
    }
  }
  for (const old of replaced) rmSync(old, { recursive: true, force: true });
}

async function build(tsc, reason, log) {
  const started = performance.now();
  const out = join(WORK, `build-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, STAMP), `${new Date().toISOString()} by process ${process.pid}\n`);
  log(`building dist/ (${reason}) ...`);
  try {
    const { code, output } = await runTsc(tsc, out);
    // 2: type errors, JavaScript written all the same. It runs, as it did under tsx before there was a
    // build; the errors are shown (and fail `npm run typecheck` and `npm run build`).
    if (code === 2) {
      process.stderr.write(output);
      log('built with the type errors above (npm run typecheck)');
    } else if (code !== 0) {
      process.stderr.write(output);
      throw new BuildError('the build failed (tsc -p tsconfig.build.json, above)');
    }
    relocateSourceMaps(out, DIST);
    moveIntoPlace(out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  log(`built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const REASONS = { missing: 'there is none yet', stale: 'src/ changed since the last build' };

/**
 * Resolves once dist/ is fresh, building it if needed (lines about it go to `log`, by default stderr, so
 * that stdout stays the program's own: `odoo-graphql schema print > schema.graphql`). Throws BuildError
 * when it cannot be built here.
 */
export async function ensureBuild({ log = (line) => process.stderr.write(`odoo-graphql: ${line}\n`) } = {}) {
  // Set by the test suite's global setup once it has built: every process the tests spawn then runs that
  // one build, instead of rebuilding (tens of seconds on a busy machine) whenever src/ is edited mid-run.
  if (process.env[SKIP_CHECK] === '1' && ENTRIES.every((file) => existsSync(join(DIST, file)))) return;
  const state = buildState();
  if (state === 'fresh') return;
  const tsc = findTsc();
  if (!tsc) {
    throw new BuildError(
      `dist/ is ${state === 'missing' ? 'missing' : 'older than src/'} and TypeScript is not installed here (npm ci --omit=dev?): run \`npm run build\` where the dev dependencies are installed, then use that dist/`,
    );
  }
  const release = await lock(log);
  try {
    removeLeftovers();
    // Another process may have built it while this one waited for the lock.
    const now = buildState();
    if (now !== 'fresh') await build(tsc, REASONS[now], log);
  } finally {
    release();
  }
}

/** ensureBuild for the launchers: on BuildError, print its one line and exit 1. */
export async function ensureBuildOrExit() {
  try {
    await ensureBuild();
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    process.stderr.write(`odoo-graphql: ${error.message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) await ensureBuildOrExit();
