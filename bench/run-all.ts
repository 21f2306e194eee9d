/**
 * `npm run bench`: every benchmark side by side in one run on loopback, written to docs/benchmarks.md.
 * - the ceiling: a raw Node http hello-world, the most this machine and load generator can show;
 * - REST list / retrieve / create, and their GraphQL twins records / record / createRecord;
 * - the typed schema's nested query (one page of orders with their partner and salesperson records),
 *   when src/graphql/typed/ is there.
 * Each server runs as its own process (src/main.ts, embedded backend, demo data, admin's API key); each
 * row is autocannon with 10 connections for BENCH_DURATION (5) s after a 1 s warm-up, and the server's
 * resident memory (RSS) is read from /proc after the row. About a minute in all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_MUTATION, recordsRequest } from '../src/graphql/operations.js';
import { spawnServer } from '../test/helpers/spawn-server.js';
import { measure, type Measurement } from './lib/measure.js';
import { prepareData } from './lib/prepare-data.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = 10;
const OUTPUT = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const TYPED = existsSync(fileURLToPath(new URL('../src/graphql/typed/', import.meta.url)));

const LEAD = {
  name: 'New Opportunity',
  partner_id: { id: 12 },
  contact_name: 'John Doe',
  email_from: 'john@example.com',
  expected_revenue: 15000,
};
const LIST_FIELDS = ['id', 'name', 'partner_id'];
const TYPED_NESTED_QUERY =
  '{ saleOrderList(limit: 80) { total results { name amount_total partnerRecord { name country_id } userRecord { name } } } }';

interface Target {
  readonly name: string;
  readonly path: string;
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
}

interface Row {
  readonly name: string;
  readonly result?: Measurement;
  readonly rssMiB?: number;
  readonly skipped?: string;
}

/** Resident memory of a process in MiB (Linux /proc), or undefined elsewhere. */
function rssMiB(pid: number | undefined): number | undefined {
  try {
    const kB = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kB ? Math.round(Number(kB) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** The ceiling: Node's http module answering a small JSON body, in its own process like the server. */
async function startHelloWorld(): Promise<{ url: string; child: ChildProcess }> {
  const code = `require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }); s.end('{"status":"ok"}'); })
    .listen(0, '127.0.0.1', function () { console.log('listening on http://127.0.0.1:' + this.address().port); });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /listening on (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once('exit', (exitCode) => reject(new Error(`hello-world exited with ${exitCode}`)));
  });
  return { url, child };
}

/** Sends the request once: undefined when it answers 2xx without GraphQL errors, else why not. */
async function problemWith(url: string, target: Target, headers: Record<string, string>): Promise<string | undefined> {
  const response = await fetch(url + target.path, {
    method: target.method ?? 'GET',
    headers,
    ...(target.body !== undefined && { body: JSON.stringify(target.body) }),
  });
  const text = await response.text();
  if (response.status >= 300) return `HTTP ${response.status}: ${text.slice(0, 160)}`;
  if (target.path === '/graphql' && /"errors"\s*:/.test(text)) return text.slice(0, 160);
  return undefined;
}

async function run(name: string, url: string, target: Target, headers: Record<string, string>, pid: number | undefined): Promise<Row> {
  const problem = await problemWith(url, target, headers);
  if (problem) return { name, skipped: problem };
  const options = {
    url: url + target.path,
    headers,
    connections: CONNECTIONS,
    method: target.method ?? 'GET',
    ...(target.body !== undefined && { body: JSON.stringify(target.body) }),
  };
  await measure('warm-up', { ...options, duration: 1 });
  const result = await measure(name, { ...options, duration: DURATION });
  process.stdout.write(`${name}: ${result.requestsPerSecond} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms\n`);
  const rss = rssMiB(pid);
  return { name, result, ...(rss !== undefined && { rssMiB: rss }) };
}

function graphql(query: string, variables?: Record<string, unknown>): Target['body'] {
  return { query, ...(variables && { variables }) };
}

function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const gib = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);
  return (
    `${cpus().length} CPUs (\`nproc\`; ${cpu}), ${gib(totalmem())} GiB memory (${gib(freemem())} GiB free at the start), ` +
    `Node ${process.version}, ${platform()} ${release()}; load average ${loadavg()[0]!.toFixed(1)} at the start (other work on the machine shows here)`
  );
}

/** autocannon's latencies are whole milliseconds: 0 means under one. */
const ms = (value: number) => (value === 0 ? '<1' : String(value));

function render(rows: readonly Row[], started: Date): string {
  const cell = (row: Row) =>
    row.result
      ? `| ${row.name} | ${row.result.requestsPerSecond} | ${ms(row.result.p50)} | ${ms(row.result.p99)} | ${row.rssMiB ?? '?'} | ${row.result.non2xx + row.result.errors} |`
      : `| ${row.name} | skipped: ${row.skipped?.replace(/\|/g, '\\|') ?? ''} | | | | |`;
  return `# Benchmarks

All benchmarks side by side, in one run on loopback, written by \`npm run bench\` (bench/run-all.ts).

- **Date:** ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC
- **Machine:** ${machine()}
- **Command:** \`npm run bench\` (\`BENCH_DURATION=${DURATION}\`)
- **How:** each server is its own process on 127.0.0.1: the ceiling is Node's bare \`http\` module, the
  others are \`src/main.ts\` with the embedded backend and the demo data, called with admin's API key
  (access rules apply as for any user). autocannon, ${CONNECTIONS} connections, ${DURATION} s per row after a
  1 s warm-up; the load generator shares the machine's cores with the server. p50 and p99 are latencies in
  ms; RSS is the server's resident memory (MiB) right after the row; the last column counts non-2xx
  answers and socket errors (0 expected).

| benchmark | req/s | p50 ms | p99 ms | server RSS MiB | non-2xx + errors |
|---|---|---|---|---|---|
${rows.map(cell).join('\n')}

What the rows ask for:
- REST list: \`GET /api/sale_order?limit=80&fields=${LIST_FIELDS.join(',')}\` (80 orders, many2one expanded, \`total\` counted).
- REST retrieve: \`GET /api/sale_order/21\` (every readable field). REST create: \`POST /api/crm_lead\` with the
  lead of mrm_rest_api's documented example 2 (each request creates a lead and reads it back).
- GraphQL records / record / createRecord: the same three through \`/graphql\`, which calls the REST routes of
  the same process over loopback: one GraphQL request costs one REST request plus the hop. Reads are
  revalidated: the gateway client sends back the tag of an answer it kept (one seen twice unchanged), and while the data is unchanged
  (as here: the rows repeat one request) the REST route answers 304 without reading. The row marked
  \`GATEWAY_CACHE_MB=0\` is a second server on the same database with that cache off: every hop a full read.
- GraphQL typed nested: \`${TYPED_NESTED_QUERY}\` (the typed schema, src/graphql/typed/):
  80 orders with their customer and salesperson records, one REST request per model and level.

Figures move by about ±15% between runs on a shared 2-core machine; compare rows of the same run.
`;
}

async function main(): Promise<void> {
  const started = new Date();
  const rows: Row[] = [];
  const hello = await startHelloWorld();
  try {
    rows.push(await run('raw Node http hello-world (ceiling)', hello.url, { name: '', path: '/' }, {}, hello.child.pid));
  } finally {
    hello.child.kill();
  }

  const { dataDir, keys } = await prepareData();
  const server = await spawnServer({ DATA_DIR: dataDir });
  const pid = server.child.pid;
  const rest = { authorization: `Bearer ${keys.admin}` };
  const json = { ...rest, 'content-type': 'application/json' };
  try {
    const targets: Array<[string, Target, Record<string, string>]> = [
      ['REST list, 80 sale orders, 3 fields', { name: '', path: `/api/sale_order?limit=80&fields=${LIST_FIELDS.join(',')}` }, rest],
      ['REST retrieve, one sale order', { name: '', path: '/api/sale_order/21' }, rest],
      ['REST create, one CRM lead', { name: '', path: '/api/crm_lead', method: 'POST', body: LEAD }, json],
      [
        'GraphQL records, 80 sale orders, 3 fields',
        { name: '', path: '/graphql', method: 'POST', body: recordsRequest('sale_order', { fields: LIST_FIELDS, limit: 80 }) },
        json,
      ],
      [
        'GraphQL record, one sale order',
        {
          name: '',
          path: '/graphql',
          method: 'POST',
          body: graphql('query ($id: Int!) { record(slug: "sale_order", id: $id) }', { id: 21 }),
        },
        json,
      ],
      [
        'GraphQL createRecord, one CRM lead',
        { name: '', path: '/graphql', method: 'POST', body: graphql(EXAMPLE_MUTATION, { values: LEAD }) },
        json,
      ],
    ];
    for (const [name, target, headers] of targets) rows.push(await run(name, server.url, target, headers, pid));
    // The same records query on a second server over the same database, its gateway cache off.
    const uncached = await spawnServer({ DATA_DIR: dataDir, GATEWAY_CACHE_MB: '0' });
    try {
      const [, recordsTarget] = targets[3]!;
      rows.push(
        await run('GraphQL records, 80 sale orders, 3 fields, GATEWAY_CACHE_MB=0', uncached.url, recordsTarget, json, uncached.child.pid),
      );
    } finally {
      await uncached.stop();
    }
    const typedName = 'GraphQL typed nested, 80 orders + partner + salesperson';
    rows.push(
      TYPED
        ? await run(typedName, server.url, { name: '', path: '/graphql', method: 'POST', body: graphql(TYPED_NESTED_QUERY) }, json, pid)
        : { name: typedName, skipped: 'src/graphql/typed/ is not there' },
    );
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  mkdirSync(fileURLToPath(new URL('../docs/', import.meta.url)), { recursive: true });
  const markdown = render(rows, started);
  writeFileSync(OUTPUT, markdown);
  process.stdout.write(`\n${markdown}\nwritten to docs/benchmarks.md in ${Math.round((Date.now() - started.getTime()) / 1000)} s\n`);
}

await main();
