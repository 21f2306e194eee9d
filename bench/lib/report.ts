/** docs/benchmarks.md of one `npm run bench` run: the machine, how it measured, every row, the targets. */
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';
import { ms, type Row, type TargetResult } from './targets.js';

export interface RunSettings {
  readonly started: Date;
  readonly connections: number;
  readonly duration: number;
  readonly warmUp: number;
  readonly sequential: number;
  readonly filtered: number;
  readonly soakSeconds: number;
  /** The request of each row family, for "What the rows ask for". */
  readonly requests: readonly string[];
  /** Said after the tables: what the run noticed (the soak's invariants, skipped rows). */
  readonly notes: readonly string[];
}

/** The machine as the run saw it at its start. */
export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const gib = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);
  return (
    `${cpus().length} CPUs (\`nproc\`; ${cpu}), ${gib(totalmem())} GiB memory (${gib(freemem())} GiB free at the start), ` +
    `Node ${process.version}, ${platform()} ${release()}; load average ${loadavg()[0]!.toFixed(1)} at the start (other work on the machine shows here)`
  );
}

const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function memory(row: Row): string {
  if (!row.memory) return '?';
  const processes = row.memory.processes > 1 ? ` (${row.memory.processes} processes)` : '';
  return `${row.memory.mib}${processes}${row.memory.peak ? ' peak (VmHWM)' : ''}`;
}

function rowLine(row: Row): string {
  if (!row.result) return `| ${escape(row.name)} | ${row.connections} | skipped: ${escape(row.skipped ?? '')} | | | | |`;
  const r = row.result;
  return `| ${escape(row.name)} | ${row.connections} | ${r.requestsPerSecond} | ${ms(r.p50)} | ${ms(r.p99)} | ${memory(row)} | ${r.non2xx + r.errors} |`;
}

export function render(rows: readonly Row[], targets: readonly TargetResult[], settings: RunSettings, machineLine: string): string {
  const s = settings;
  return `# Benchmarks

Issue 20's targets side by side, in one run on loopback, written by \`npm run bench\` (bench/run-all.ts).

- **Date:** ${s.started.toISOString().slice(0, 16).replace('T', ' ')} UTC
- **Machine:** ${machineLine}
- **Command:** \`npm run bench\` (\`BENCH_DURATION=${s.duration} BENCH_SOAK_SECONDS=${s.soakSeconds} BENCH_SEQUENTIAL=${s.sequential}\`)
- **How:** each server is its own process on 127.0.0.1 (\`node bin/start.js\`: the compiled server, the
  embedded backend with the demo data), called with admin's API key unless the row says demo; the ceiling
  is Node's bare \`http\` module in its own process. Throughput rows: autocannon, ${s.connections} connections,
  ${s.duration} s after a ${s.warmUp} s warm-up. Rows with 1 connection: sequential requests (${s.sequential} per typed
  query, ${s.filtered} per filtered list, in 3 alternating rounds, the median of the rounds' figures), latencies
  to the microsecond. **The load generator (autocannon, in the bench process) shares the machine's cores with
  the server**, so a throughput row measures both; with WORKERS=2 the two workers and the load generator
  share them too. p50 and p99 are latencies in ms (autocannon's are whole ms: \`<1\` is under one); RSS is
  the server's resident memory (MiB, summed over its processes) right after the row, for the soak its peak
  (VmHWM); the last column counts non-2xx answers and socket errors (0 expected).

| benchmark | connections | req/s | p50 ms | p99 ms | server RSS MiB | non-2xx + errors |
|---|---|---|---|---|---|---|
${rows.map(rowLine).join('\n')}

## Targets

Computed from the rows above; a skipped row leaves its target "not measured", a row with errors "not met".

| target | figures | ratio / value | verdict |
|---|---|---|---|
${targets.map((t) => `| ${escape(t.target)} | ${escape(t.figure)} | ${t.value} | ${t.verdict === 'met' ? '**met**' : t.verdict} |`).join('\n')}

What the rows ask for:
${s.requests.map((line) => `- ${line}`).join('\n')}
${s.notes.length ? `\nNoticed in this run:\n${s.notes.map((line) => `- ${line}`).join('\n')}\n` : ''}
Figures move by about ±15% between runs on a shared 2-core machine; compare rows of the same run.
`;
}
