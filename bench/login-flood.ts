/**
 * `npm run bench:login`: does a flood of wrong passwords stall everyone else (issue 13, item 1)?
 * On loopback only: a demo server (src/main.ts, its own process, NODE_ENV=production as `npm start`) and
 * 8 clients (autocannon, in another process so that its work does not delay the probe) posting wrong
 * passwords to /web/session/authenticate back to back, while this process asks `GET /api/health`
 * one request after another and records each answer's latency.
 *
 * Two servers: the defaults (the per-address / per-login login cooldown refuses the flood after 5
 * failures), and LOGIN_COOLDOWN_AFTER=0 (no cooldown: every attempt is hashed, so this shows what moving
 * scrypt off the event loop and bounding its queue does on its own). Each phase lasts BENCH_DURATION
 * seconds (default 10); the whole run stops by itself in well under a minute.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { prepareData } from './lib/prepare-data.js';
import { spawnServer, type SpawnedServer } from '../test/helpers/spawn-server.js';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const FLOOD_CLIENTS = 8;
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

interface Latencies {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

interface FloodResult {
  readonly requests: number;
  readonly statusCodes: Record<string, number>;
}

/** Sequential GET /api/health for `seconds`; latency in ms to the microsecond. */
async function probeHealth(url: string, seconds: number): Promise<Latencies> {
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    const response = await fetch(`${url}/api/health`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`/api/health answered ${response.status}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(3));
  return { count: times.length, p50: at(0.5), p99: at(0.99), max: Number(times[times.length - 1]!.toFixed(3)) };
}

/** 8 connections posting wrong passwords for `seconds`, from an autocannon child process. */
function flood(url: string, seconds: number): Promise<FloodResult> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    method: 'call',
    params: { db: 'odoo', login: 'admin', password: 'not-the-password' },
    id: 1,
  });
  const child = spawn(
    process.execPath,
    [
      AUTOCANNON,
      '--json',
      '--no-progress',
      '-c',
      String(FLOOD_CLIENTS),
      '-d',
      String(seconds),
      '-m',
      'POST',
      '-H',
      'content-type=application/json',
      '-b',
      body,
      `${url}/web/session/authenticate`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const result = JSON.parse(output) as { requests: { total: number }; statusCodeStats?: Record<string, { count: number }> };
      const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, stats]) => [status, stats.count]));
      resolve({ requests: result.requests.total, statusCodes });
    });
  });
}

async function scenario(name: string, dataDir: string, env: Record<string, string>): Promise<string[]> {
  const server: SpawnedServer = await spawnServer({ DATA_DIR: dataDir, NODE_ENV: 'production', ...env });
  try {
    await probeHealth(server.url, 1); // warm-up
    const idle = await probeHealth(server.url, Math.min(3, duration));
    const flooding = flood(server.url, duration);
    // Let the flood get going, then probe until just before it ends.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const busy = await probeHealth(server.url, Math.max(1, duration - 1.5));
    const result = await flooding;
    const codes = Object.entries(result.statusCodes)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ');
    return [
      `| ${name}, idle | ${idle.count} | ${idle.p50} | ${idle.p99} | ${idle.max} | |`,
      `| ${name}, ${FLOOD_CLIENTS} clients flooding wrong passwords | ${busy.count} | ${busy.p50} | ${busy.p99} | ${busy.max} | ${result.requests} logins (${codes}) |`,
    ];
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const { dataDir } = await prepareData();
  try {
    const rows = [
      ...(await scenario('defaults', dataDir, {})),
      ...(await scenario('LOGIN_COOLDOWN_AFTER=0', dataDir, { LOGIN_COOLDOWN_AFTER: '0' })),
    ];
    process.stdout.write(
      `GET /api/health latency (ms), sequential, while the flood runs for ${duration} s\n` +
        `| server | health requests | p50 | p99 | max | flood |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
