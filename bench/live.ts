/**
 * `npm run bench:live`: live data (issue 19, "Speed") on loopback, embedded store.
 * - 1,000 GraphQL subscribers to crm_lead changes (`recordChanges`), graphql-ws over BENCH_CONNECTIONS (100)
 *   WebSocket connections of BENCH_SUBS_PER_CONNECTION (10) subscriptions each, as admin with an API key;
 *   ready once /metrics says `graphql_subscriptions_active` 1,000;
 * - the server's resident memory (RSS, /proc) before and after opening them: memory per idle subscriber;
 * - latency: a writer creates and updates leads through REST at BENCH_WRITES_PER_S (5/s) for BENCH_WRITE_S
 *   (20 s), alternately; each write puts a marker in the lead's name; for each write and each subscriber,
 *   the time from the REST answer (201 / 200) to the event carrying that id and marker at the subscriber;
 *   p50 and p99 over all deliveries (targets: p50 <= 50 ms, p99 <= 200 ms); beside it, the floor: 20 writes
 *   each timed to the answer of one REST long poll of the feed, alone, before the subscribers open;
 * - the REST list benchmark (80 sale orders, 3 fields, admin; autocannon 10 connections, BENCH_DURATION (10) s)
 *   without subscribers, with the 1,000 connected (idle), and again without once they are closed: within
 *   noise (±10%) or not.
 * The server runs as its own process (src/main.ts compiled, as the other benchmarks), so its memory is
 * measured apart from the load generator (this process: the subscribers, the writer and autocannon).
 */
import { readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { spawnServer, type SpawnedServer } from '../test/helpers/spawn-server.js';
import { measure, type Measurement } from './lib/measure.js';
import { prepareData } from './lib/prepare-data.js';
import { processMemory } from './lib/process-memory.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 100);
const SUBS_PER_CONNECTION = Number(process.env.BENCH_SUBS_PER_CONNECTION ?? 10);
const SUBSCRIBERS = CONNECTIONS * SUBS_PER_CONNECTION;
const WRITES_PER_S = Number(process.env.BENCH_WRITES_PER_S ?? 5);
const WRITE_S = Number(process.env.BENCH_WRITE_S ?? 20);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const TARGET_P50_MS = 50;
const TARGET_P99_MS = 200;
const NOISE = 0.1;
const LIST_PATH = '/api/sale_order?limit=80&fields=id,name,partner_id';
const SUBSCRIPTION = 'subscription { recordChanges(slug: "crm_lead", fields: ["name"]) { op id cursor record } }';
/** Leads made before subscribing, which the writer's updates take in turn. */
const UPDATE_POOL = 20;
/** Writes timed against one REST long poll alone, before the subscribers (the floor of the latency). */
const SINGLE_POLLS = 20;
const MARKER = /live-bench w(\d+)$/;

interface Write {
  /** Wall time (performance.now()) at the REST answer's status line; undefined until it came. */
  ack?: number;
  id?: number;
  readonly op: 'create' | 'update';
}

interface Delivery {
  readonly write: number;
  readonly id: number;
  readonly at: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The sum over transports of a gauge or counter in /metrics. */
async function metric(server: SpawnedServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** The server's RSS in MiB: the median of `samples` reads 200 ms apart (V8's garbage makes single reads jumpy). */
async function rssMiB(pid: number, samples = 7): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    values.push((processMemory(pid)?.rss ?? Number.NaN) / 1024 / 1024);
    await sleep(200);
  }
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

function percentile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const fmt = (ms: number) => ms.toFixed(1);

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0]!;
  const { dataDir, keys } = await prepareData();
  const server = await spawnServer({
    DATA_DIR: dataDir,
    GRAPHQL_MAX_SUBSCRIPTIONS_PER_USER: String(SUBSCRIBERS + 100),
    GRAPHQL_MAX_SUBSCRIPTIONS_PER_CONNECTION: String(Math.max(10, SUBS_PER_CONNECTION)),
    CHANGES_MAX_WAITERS: String(SUBSCRIBERS + 1000),
  });
  const pid = server.child.pid!;
  const authorization = `Bearer ${keys.admin}`;
  const json = { authorization, 'content-type': 'application/json' };
  const clients: Client[] = [];
  try {
    const list = (name: string) => measure(name, { url: server.url + LIST_PATH, headers: { authorization }, duration: DURATION });

    // Leads for the writer's updates, made before anyone subscribes.
    const pool: number[] = [];
    for (let i = 0; i < UPDATE_POOL; i += 1) {
      const response = await fetch(`${server.url}/api/crm_lead`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: `live-bench pool ${i}` }),
      });
      if (response.status !== 201) throw new Error(`creating a lead: HTTP ${response.status} ${await response.text()}`);
      pool.push(((await response.json()) as { id: number }).id);
    }

    // 1. The REST list without subscribers, after a warm-up.
    await measure('warm-up', { url: server.url + LIST_PATH, headers: { authorization }, duration: 2 });
    const without = await list('REST list, no subscribers');
    process.stdout.write(`REST list without subscribers: ${without.requestsPerSecond} req/s\n`);

    // 1b. The floor, without GraphQL and alone: one REST long poll of the feed, a write, the poll's answer.
    const single: number[] = [];
    for (let i = 0; i < SINGLE_POLLS; i += 1) {
      const feed = `${server.url}/api/crm_lead/changes`;
      const { cursor } = (await (await fetch(feed, { headers: { authorization } })).json()) as { cursor: string };
      const poll = fetch(`${feed}?fields=name&wait=10&since=${encodeURIComponent(cursor)}`, { headers: { authorization } }).then(
        async (response) => {
          const answeredAt = performance.now();
          await response.arrayBuffer();
          return answeredAt;
        },
      );
      await sleep(20 + ((i * 37) % 100)); // the poll is waiting; writes land at varied points of the watcher's tick
      const response = await fetch(`${server.url}/api/crm_lead/${pool[i % pool.length]!}`, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ name: `live-bench single ${i}` }),
      });
      const ack = performance.now();
      await response.arrayBuffer();
      single.push((await poll) - ack);
    }
    single.sort((a, b) => a - b);

    // 2. Memory before, then 1,000 subscribers.
    await sleep(1000);
    const rssBefore = await rssMiB(pid);
    const deliveries: Delivery[] = [];
    const failures: string[] = [];
    let otherEvents = 0;
    const openStarted = performance.now();
    for (let c = 0; c < CONNECTIONS; c += 1) {
      const client = createClient({
        url: `${server.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { Authorization: authorization },
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(client);
      for (let s = 0; s < SUBS_PER_CONNECTION; s += 1) {
        client.subscribe<{ recordChanges: { op: string; id: number; record: { name?: string } | null } }>(
          { query: SUBSCRIPTION },
          {
            next(result) {
              const at = performance.now();
              const change = result.data?.recordChanges;
              const match = change?.record?.name ? MARKER.exec(change.record.name) : null;
              if (change && match) deliveries.push({ write: Number(match[1]), id: change.id, at });
              else if (result.errors) failures.push(JSON.stringify(result.errors).slice(0, 200));
              else otherEvents += 1;
            },
            error(error) {
              failures.push(error instanceof Error ? error.message : JSON.stringify(error).slice(0, 200));
            },
            complete() {},
          },
        );
      }
    }
    await until(
      `${SUBSCRIBERS} active subscriptions`,
      async () => {
        if (failures.length) throw new Error(`subscriptions failed: ${failures.slice(0, 3).join('; ')}`);
        return (await metric(server, 'graphql_subscriptions_active')) >= SUBSCRIBERS;
      },
      120_000,
    );
    const openSeconds = (performance.now() - openStarted) / 1000;
    // Let each subscription take its cursor and start its first long poll, then let the server settle.
    await sleep(3000);
    const rssAfter = await rssMiB(pid);
    const perSubscriberKiB = ((rssAfter - rssBefore) * 1024) / SUBSCRIBERS;
    process.stdout.write(
      `${SUBSCRIBERS} subscribers active in ${openSeconds.toFixed(1)} s; server RSS ${rssBefore.toFixed(0)} -> ${rssAfter.toFixed(0)} MiB ` +
        `(${perSubscriberKiB.toFixed(1)} KiB per idle subscriber)\n`,
    );

    // 3. The REST list with the 1,000 subscribers connected (idle: their long polls wait on the feed).
    const withSubscribers = await list(`REST list, ${SUBSCRIBERS} subscribers connected`);
    process.stdout.write(`REST list with ${SUBSCRIBERS} subscribers: ${withSubscribers.requestsPerSecond} req/s\n`);

    // 4. Latency: a write every 1/WRITES_PER_S s, creates and updates in turn, from the answer to each subscriber.
    const writes: Write[] = [];
    const total = WRITES_PER_S * WRITE_S;
    const interval = 1000 / WRITES_PER_S;
    const writing: Promise<void>[] = [];
    const serverCpuBefore = cpuSeconds(pid);
    const benchCpuBefore = process.cpuUsage();
    const writeStarted = performance.now();
    for (let i = 0; i < total; i += 1) {
      const due = writeStarted + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const write: Write = { op: i % 2 === 0 ? 'create' : 'update' };
      writes.push(write);
      const name = `live-bench w${i}`;
      const id = pool[Math.floor(i / 2) % pool.length]!;
      writing.push(
        (async () => {
          const response =
            write.op === 'create'
              ? await fetch(`${server.url}/api/crm_lead`, { method: 'POST', headers: json, body: JSON.stringify({ name }) })
              : await fetch(`${server.url}/api/crm_lead/${id}`, { method: 'PUT', headers: json, body: JSON.stringify({ name }) });
          write.ack = performance.now();
          const text = await response.text();
          if (response.status !== (write.op === 'create' ? 201 : 200)) throw new Error(`write ${i}: HTTP ${response.status} ${text}`);
          write.id = write.op === 'create' ? (JSON.parse(text) as { id: number }).id : id;
        })(),
      );
    }
    await Promise.all(writing);
    const expected = total * SUBSCRIBERS;
    const drainStarted = performance.now();
    while (deliveries.length < expected && performance.now() - drainStarted < 10_000) await sleep(100);
    const writeSeconds = (performance.now() - writeStarted) / 1000;
    const serverCpu = cpuSeconds(pid) - serverCpuBefore;
    const benchCpuUsage = process.cpuUsage(benchCpuBefore);
    const benchCpu = (benchCpuUsage.user + benchCpuUsage.system) / 1e6;

    const latencies: number[] = [];
    const firstPerWrite = new Map<number, number>();
    const lastPerWrite = new Map<number, number>();
    let mismatched = 0;
    for (const delivery of deliveries) {
      const write = writes[delivery.write];
      if (!write?.ack || write.id !== delivery.id) {
        mismatched += 1;
        continue;
      }
      latencies.push(delivery.at - write.ack);
      firstPerWrite.set(delivery.write, Math.min(firstPerWrite.get(delivery.write) ?? Infinity, delivery.at - write.ack));
      lastPerWrite.set(delivery.write, Math.max(lastPerWrite.get(delivery.write) ?? -Infinity, delivery.at - write.ack));
    }
    latencies.sort((a, b) => a - b);
    const firsts = [...firstPerWrite.values()].sort((a, b) => a - b);
    const spreads = [...firstPerWrite.keys()].map((w) => lastPerWrite.get(w)! - firstPerWrite.get(w)!).sort((a, b) => a - b);
    const p50 = percentile(latencies, 0.5);
    const p99 = percentile(latencies, 0.99);
    const rssAfterWrites = await rssMiB(pid, 3);

    // 5. The REST list again once the subscribers are gone: a second baseline, for the noise between runs.
    await Promise.all(clients.map(async (client) => client.dispose()));
    clients.length = 0;
    await until('no active subscriptions', async () => (await metric(server, 'graphql_subscriptions_active')) === 0, 30_000);
    await sleep(1000);
    const withoutAgain = await list('REST list, no subscribers (after)');

    // The report.
    const ratio = (m: Measurement) => m.requestsPerSecond / without.requestsPerSecond;
    const pct = (m: Measurement) => `${Math.round(100 * ratio(m))}%`;
    const withinNoise = Math.abs(ratio(withSubscribers) - 1) <= NOISE;
    const rows: Array<[string, string]> = [
      [
        'machine',
        `${cpus().length} cores shared by the server and this load generator, load average ${loadAtStart.toFixed(1)} at the start`,
      ],
      [
        'subscribers (connections x subscriptions)',
        `${SUBSCRIBERS} (${CONNECTIONS} x ${SUBS_PER_CONNECTION}), active in ${openSeconds.toFixed(1)} s`,
      ],
      ['server RSS before / after opening them', `${rssBefore.toFixed(0)} / ${rssAfter.toFixed(0)} MiB`],
      ['server memory per idle subscriber', `${perSubscriberKiB.toFixed(1)} KiB`],
      ['writes (REST, creates and updates in turn)', `${writes.length} at ${WRITES_PER_S}/s for ${WRITE_S} s`],
      [
        'deliveries received / expected',
        `${latencies.length} / ${expected}${mismatched ? ` (${mismatched} not matching their write)` : ''}`,
      ],
      [
        "floor: write answer to one REST long poll's answer, alone (no GraphQL)",
        `p50 ${fmt(percentile(single, 0.5))} ms, max ${fmt(single.at(-1) ?? Number.NaN)} ms (${SINGLE_POLLS} writes)`,
      ],
      ['write answer to event at subscriber, p50 / p99', `${fmt(p50)} / ${fmt(p99)} ms (max ${fmt(latencies.at(-1) ?? Number.NaN)})`],
      ['first subscriber of each write, p50 / p99', `${fmt(percentile(firsts, 0.5))} / ${fmt(percentile(firsts, 0.99))} ms`],
      ['first to last subscriber of a write, p50 / p99', `${fmt(percentile(spreads, 0.5))} / ${fmt(percentile(spreads, 0.99))} ms`],
      [
        'CPU while writing and delivering, server / load generator',
        `${serverCpu.toFixed(1)} / ${benchCpu.toFixed(1)} s over ${writeSeconds.toFixed(1)} s ` +
          `(server ${Math.round((1e6 * serverCpu) / Math.max(1, latencies.length))} µs per delivery)`,
      ],
      ['server RSS after the writes', `${rssAfterWrites.toFixed(0)} MiB`],
      [
        'REST list 80 sale orders, 3 fields (admin), no subscribers',
        `${without.requestsPerSecond} req/s (p50 ${without.p50} ms, p99 ${without.p99} ms)`,
      ],
      [
        `same, ${SUBSCRIBERS} subscribers connected`,
        `${withSubscribers.requestsPerSecond} req/s (${pct(withSubscribers)}; p50 ${withSubscribers.p50} ms, p99 ${withSubscribers.p99} ms)`,
      ],
      [
        'same, no subscribers again (after closing them)',
        `${withoutAgain.requestsPerSecond} req/s (${pct(withoutAgain)}; p50 ${withoutAgain.p50} ms, p99 ${withoutAgain.p99} ms)`,
      ],
    ];
    if (failures.length || otherEvents) rows.push(['subscription errors / other events', `${failures.length} / ${otherEvents}`]);
    const bad =
      without.non2xx + withSubscribers.non2xx + withoutAgain.non2xx + without.errors + withSubscribers.errors + withoutAgain.errors;
    if (bad) rows.push(['REST list non-2xx + errors', String(bad)]);
    process.stdout.write(`\n| figure | value |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`);
    process.stdout.write(
      `\nfloors: p50 <= ${TARGET_P50_MS} ms: ${p50 <= TARGET_P50_MS ? 'met' : 'NOT met'}; ` +
        `p99 <= ${TARGET_P99_MS} ms: ${p99 <= TARGET_P99_MS ? 'met' : 'NOT met'}; ` +
        `REST list with subscribers within ±${NOISE * 100}%: ${withinNoise ? 'met' : 'NOT met'} (${pct(withSubscribers)})\n`,
    );
    const perDeliveryMs = (1000 * serverCpu) / Math.max(1, latencies.length);
    const fanOutMs = perDeliveryMs * SUBSCRIBERS;
    process.stdout.write(
      `\nWhere the time goes: (1) a write of this process wakes the feed's long polls at once (the store's ` +
        `watcher ticks every 100 ms only for writes of other processes): see the floor row, one long poll alone; ` +
        `(2) subscriptions of one caller on one feed share one long poll (src/graphql/subscriptions.ts), whose ` +
        `answer is fanned out in process: ${perDeliveryMs.toFixed(3)} ms of server CPU per delivery, ` +
        `${fanOutMs.toFixed(0)} ms per write on the one event loop (the first-to-last spread); ` +
        `(3) when the server gets less CPU than that (the cores are shared with this load generator and any ` +
        `other work: load average ${loadavg()[0]!.toFixed(1)} now, ${loadAtStart.toFixed(1)} at the start), ` +
        `writes queue behind each other.\n`,
    );
    if (latencies.length < expected || failures.length) process.exitCode = 1;
  } finally {
    await Promise.all(clients.map(async (client) => client.dispose()));
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
