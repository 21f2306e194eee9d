/**
 * `npm run bench:domains`: the domain flood of issue 13, on loopback, bounded, stopping by itself.
 *
 * The real server (src/main.ts) runs as a child process on a fresh demo database. BENCH_CLIENTS clients
 * (default 4), all with the demo user's API key, send for BENCH_SECONDS (default 40) list requests on
 * res_partner, crm_lead and sale_order, with random domains (seed BENCH_SEED) of two kinds, in turn:
 * - `flood`: the attack, 55 OR-ed leaves of 6 to 12 many2one hops
 *   (`partner_id.parent_id.commercial_partner_id...country_id.code`), about 8.5 KB each;
 * - `allowed`: the largest random domains the cost bounds let through: paths of up to 8 fields, up to 32
 *   relations crossed, up to 70 leaves, every one a new SQL shape, each sent twice (so that the server
 *   keeps its statements: its caches fill up to their budget).
 * Then it waits BENCH_IDLE_SECONDS (default 5) and reads the server's resident memory again.
 *
 * It prints, per kind, the requests, their statuses and latency (p50, p99, worst), and the server's
 * resident memory (VmRSS) before, at its peak (sampled every 250 ms, and the kernel's VmHWM) and after,
 * with the bound of issue 13: after within 100 MB of before.
 */
import { rmSync } from 'node:fs';
import { Pool } from 'undici';
import { spawnServer } from '../test/helpers/spawn-server.js';
import { prepareData } from './lib/prepare-data.js';
import { processMemory, sampleMemory } from './lib/process-memory.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 40);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 5);
const SEED = Number(process.env.BENCH_SEED ?? 13);
const RSS_BOUND = 100 * 1024 * 1024;

/** Many2one hops of each model the flood walks, and the fields a path may end on. */
const HOPS: Readonly<Record<string, ReadonlyArray<readonly [field: string, model: string]>>> = {
  'res.partner': [
    ['parent_id', 'res.partner'],
    ['commercial_partner_id', 'res.partner'],
    ['country_id', 'res.country'],
    ['user_id', 'res.users'],
    ['company_id', 'res.company'],
  ],
  'res.users': [
    ['partner_id', 'res.partner'],
    ['company_id', 'res.company'],
  ],
  'res.company': [['partner_id', 'res.partner']],
  'res.country': [],
  'crm.lead': [
    ['partner_id', 'res.partner'],
    ['user_id', 'res.users'],
    ['company_id', 'res.company'],
  ],
  'sale.order': [
    ['partner_id', 'res.partner'],
    ['user_id', 'res.users'],
    ['company_id', 'res.company'],
  ],
};
const ENDS: Readonly<Record<string, readonly string[]>> = {
  'res.partner': ['name', 'email', 'city', 'ref'],
  'res.users': ['login', 'name'],
  'res.company': ['name', 'email'],
  'res.country': ['code', 'name'],
  'crm.lead': ['name', 'email_from'],
  'sale.order': ['name', 'client_order_ref'],
};
const MODELS = ['res.partner', 'crm.lead', 'sale.order'] as const;

/** mulberry32: a small seeded generator, so a run can be repeated. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class DomainMaker {
  readonly #random: () => number;
  constructor(seed: number) {
    this.#random = seeded(seed);
  }

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random() * items.length)]!;
  }

  #between(low: number, high: number): number {
    return low + Math.floor(this.#random() * (high - low + 1));
  }

  /** A path of `hops` many2one fields from `model`, then a field to compare (a dead end, res.country, only last). */
  path(model: string, hops: number): string {
    const fields: string[] = [];
    let current = model;
    for (let i = 0; i < hops; i += 1) {
      const options = (HOPS[current] ?? []).filter(([, target]) => i === hops - 1 || (HOPS[target] ?? []).length > 0);
      if (options.length === 0) break;
      const [field, target] = this.#pick(options);
      fields.push(field);
      current = target;
    }
    fields.push(this.#pick(ENDS[current]!));
    return fields.join('.');
  }

  #leaf(path: string): string {
    const operator = this.#pick(['=', 'ilike', '!=', 'not ilike']);
    return `(${JSON.stringify(path)}, '${operator}', 'v${Math.floor(this.#random() * 1e9).toString(36)}')`;
  }

  #or(leaves: readonly string[]): string {
    return `[${"'|', ".repeat(leaves.length - 1)}${leaves.join(', ')}]`;
  }

  /** The attack: 55 OR-ed leaves, each 6 to 12 hops. */
  flood(model: string): string {
    return this.#or(Array.from({ length: 55 }, () => this.#leaf(this.path(model, this.#between(6, 12)))));
  }

  /** A domain at the cost bounds: paths of up to 8 fields, at most 32 relations crossed, plain leaves around them. */
  allowed(model: string): string {
    const leaves: string[] = [];
    for (let joins = 0; joins < 28;) {
      const hops = this.#between(1, Math.min(7, 32 - joins));
      joins += hops;
      leaves.push(this.#leaf(this.path(model, hops)));
    }
    for (let i = this.#between(10, 60); i > 0; i -= 1) leaves.push(`('id', '!=', ${this.#between(1, 100_000)})`);
    return this.#or(leaves);
  }
}

interface Tally {
  count: number;
  readonly statuses: Record<string, number>;
  readonly times: number[];
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** The server's V8 heap (allocated and used), from its /metrics, to tell the heap from native memory (SQLite's). */
async function heapOf(pool: Pool): Promise<string> {
  const response = await pool.request({ method: 'GET', path: '/metrics' });
  const text = await response.body.text();
  const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return `V8 heap ${mb(metric('nodejs_heap_size_total_bytes'))} (used ${mb(metric('nodejs_heap_size_used_bytes'))})`;
}

async function main(): Promise<void> {
  const { dataDir, keys } = await prepareData();
  const server = await spawnServer({ DATA_DIR: dataDir });
  const pid = server.child.pid!;
  const pool = new Pool(server.url, { connections: CLIENTS });
  const headers = { authorization: `Bearer ${keys.demo}` };
  const slugOf = (model: string) => model.replace(/\./g, '_');
  try {
    // Warm up with ordinary requests, so "before" is a server that has served, not one just started.
    for (let i = 0; i < 50; i += 1) {
      for (const model of MODELS) {
        const response = await pool.request({ method: 'GET', path: `/api/${slugOf(model)}?limit=80`, headers });
        await response.body.arrayBuffer();
      }
    }
    const before = processMemory(pid)!;
    const heapBefore = await heapOf(pool);
    process.stdout.write(
      `server pid ${pid}, ${server.url}; ${CLIENTS} clients (demo) for ${SECONDS} s, seed ${SEED}; RSS before ${mb(before.rss)}\n`,
    );

    const tallies: Record<'flood' | 'allowed', Tally> = {
      flood: { count: 0, statuses: {}, times: [] },
      allowed: { count: 0, statuses: {}, times: [] },
    };
    const sampler = sampleMemory(pid);
    const end = Date.now() + SECONDS * 1000;
    const send = async (kind: 'flood' | 'allowed', model: string, domain: string) => {
      const started = performance.now();
      const response = await pool.request({
        method: 'GET',
        path: `/api/${slugOf(model)}?fields=id&limit=80&domain=${encodeURIComponent(domain)}`,
        headers,
      });
      await response.body.arrayBuffer();
      const tally = tallies[kind];
      tally.times.push(performance.now() - started);
      tally.count += 1;
      tally.statuses[response.statusCode] = (tally.statuses[response.statusCode] ?? 0) + 1;
    };
    const client = async (index: number) => {
      const maker = new DomainMaker(SEED * 1000 + index);
      for (let i = 0; Date.now() < end; i += 1) {
        const model = MODELS[i % MODELS.length]!;
        await send('flood', model, maker.flood(model));
        const allowed = maker.allowed(model);
        await send('allowed', model, allowed);
        await send('allowed', model, allowed);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
    const atEnd = processMemory(pid)!;
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const { maxRss, peakRss } = sampler.stop();
    const after = processMemory(pid)!;
    const heapAfter = await heapOf(pool);

    process.stdout.write('\n| kind | requests | statuses | p50 ms | p99 ms | worst ms |\n|---|---|---|---|---|---|\n');
    for (const [kind, tally] of Object.entries(tallies)) {
      const sorted = [...tally.times].sort((a, b) => a - b);
      const statuses = Object.entries(tally.statuses)
        .map(([status, n]) => `${status}: ${n}`)
        .join(', ');
      process.stdout.write(
        `| ${kind} | ${tally.count} | ${statuses} | ${percentile(sorted, 0.5).toFixed(1)} | ${percentile(sorted, 0.99).toFixed(1)} | ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} |\n`,
      );
    }
    process.stdout.write(
      `\nserver RSS: before ${mb(before.rss)}, peak ${mb(maxRss)} (VmHWM ${mb(peakRss)}), at the end ${mb(atEnd.rss)}, after ${IDLE_SECONDS} s idle ${mb(after.rss)}\n` +
        `before: ${heapBefore}; after: ${heapAfter}\n` +
        `bound: after within 100 MB of before: ${after.rss - before.rss <= RSS_BOUND ? 'met' : 'NOT met'} (${after.rss >= before.rss ? '+' : ''}${mb(after.rss - before.rss)})\n`,
    );
  } finally {
    await pool.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
