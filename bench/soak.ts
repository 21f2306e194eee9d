/**
 * `npm run soak`: proof under load, on loopback only, bounded in time (issue 7). The real server runs as
 * a child process on a fresh demo database; SOAK_CLIENTS (32) concurrent clients mix REST and GraphQL
 * reads and writes as admin, demo (key and session cookie), manager and portal for SOAK_SECONDS (60);
 * then the invariants (bench/lib/soak.ts) and the crash test (bench/lib/crash-test.ts). Prints the
 * figures and exits 1 when an invariant fails.
 *
 *   npm run soak                       # 60 s
 *   SOAK_SECONDS=10 npm run soak       # shorter
 */
import { runCrashTest } from './lib/crash-test.js';
import { removeData, runSoak } from './lib/soak.js';

const env = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${process.env[name]}`);
  return value;
};

const seconds = env('SOAK_SECONDS', 60);
const clients = Math.round(env('SOAK_CLIENTS', 32));
const maxRssMb = env('SOAK_MAX_RSS_MB', 250);
const crashAcks = Math.round(env('SOAK_CRASH_ACKS', 300));
const say = (line: string) => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const soak = await runSoak({ seconds, clients, maxRssBytes: maxRssMb * 1024 * 1024, log: say });
try {
  say(`\nsoak: ${soak.requests} requests in ${soak.seconds} s (${soak.perSecond}/s), ${soak.clients} clients`);
  say(`  statuses: ${JSON.stringify(soak.statuses)}`);
  say('  kind                 count    p50 ms   p99 ms');
  for (const [kind, figures] of Object.entries(soak.kinds)) {
    say(`  ${kind.padEnd(18)} ${String(figures.count).padStart(7)} ${String(figures.p50).padStart(9)} ${String(figures.p99).padStart(8)}`);
  }
  say(`  acknowledged: ${soak.acknowledgedCreates} creates, ${soak.acknowledgedUpdates} updates`);
  say(
    `  every acknowledged create exactly once: ${soak.missingOrDuplicated.length === 0 ? 'yes' : `NO\n    ${soak.missingOrDuplicated.slice(0, 10).join('\n    ')}`}`,
  );
  say(
    `  visible to the wrong user: ${soak.violations.length === 0 ? 'never' : `${soak.violations.length}\n    ${soak.violations.slice(0, 10).join('\n    ')}`}`,
  );
  say(`  5xx (or GraphQL errors standing for one): ${soak.serverErrors}`);
  if (soak.unexpected.length) say(`  unexpected answers:\n    ${soak.unexpected.slice(0, 10).join('\n    ')}`);
  say(
    `  server memory: VmRSS max ${mb(soak.maxRssBytes)} over ${soak.rssSamples} samples, VmHWM ${mb(soak.peakRssBytes)} (bound ${maxRssMb} MB)`,
  );
  say(
    `  at the end: V8 heap ${mb(soak.heap.used)} used of ${mb(soak.heap.total)}, external ${mb(soak.heap.external)}, gateway cache ${Number.isNaN(soak.heap.gatewayCache) ? 'off' : mb(soak.heap.gatewayCache)}`,
  );

  const crash = await runCrashTest(soak.dataDir, soak.keys.admin, { clients, killAfterAcks: crashAcks, maxSeconds: 30 });
  say(
    `\ncrash test: kill -9 after ${crash.acknowledgedOrders + crash.acknowledgedLeads} acknowledged writes (${crash.acknowledgedOrders} orders with 3 lines, ${crash.acknowledgedLeads} leads) of ${crash.attempted} attempted`,
  );
  say(`  PRAGMA integrity_check: ${crash.integrity}`);
  say(`  every acknowledged write present and whole: ${crash.problems.length === 0 ? 'yes' : `NO\n    ${crash.problems.join('\n    ')}`}`);
  say(`  in flight at the kill and stored anyway (whole): ${crash.unacknowledgedButStored}`);
  say(`  restarted and served them: ${crash.restartedAndServed ? 'yes' : 'NO'}`);

  const ok = soak.ok && crash.ok;
  say(`\n${ok ? 'PASS' : 'FAIL'}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  removeData(soak.dataDir);
}
