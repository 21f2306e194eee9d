/**
 * `npm run bench`: issue 20's targets, measured side by side in one run on loopback, with the ratios
 * computed and each target marked met or not; writes docs/benchmarks.md.
 * 1. the REST 7-field page of 80 sale orders against a bare Node http hello-world, and its p99 (the 3-field
 *    seed list, retrieve and create beside it);
 * 2. GraphQL `records` of the same page against REST: with the gateway cache off, and with it on while
 *    another client writes 20 CRM leads per second (REST measured under the same writes);
 * 3. the typed nested query against the typed flat list of the same 80 orders, at 1 and 32 connections;
 * 4. the REST page with WORKERS=1 and WORKERS=2 (skipped, with the reason, where the server has no WORKERS);
 * 5. the server's peak RSS in the soak (bench/lib/soak.ts), and the 100,000-row filtered list as admin and demo.
 * Throughput rows: autocannon, CONNECTIONS connections for BENCH_DURATION (5) s after a WARM_UP s warm-up.
 * About 3 to 4 minutes with the defaults (the soak: BENCH_SOAK_SECONDS, 60).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { recordsRequest } from '../src/graphql/operations.js';
import { spawnServer, type SpawnedServer } from '../test/helpers/spawn-server.js';
import { BIG_TABLE_ROWS, FILTERED_LIST_PATH } from './lib/filtered-list.js';
import { startHelloWorld } from './lib/hello-world.js';
import { DOCUMENTED_LEAD, startLeadWriter } from './lib/lead-writer.js';
import { alternatingLatency, measure, type Measurement } from './lib/measure.js';
import { prepareData } from './lib/prepare-data.js';
import { processTreeMemory } from './lib/process-memory.js';
import { machine, render } from './lib/report.js';
import { removeData, runSoak } from './lib/soak.js';
import { evaluateTargets, ISSUE_20, ms, type Row } from './lib/targets.js';

/** The issue's figure for every throughput row. */
const CONNECTIONS = 32;
const WARM_UP = 1;
const WRITES_PER_SECOND = 20;
const SOAK_CLIENTS = 32;

const setting = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${process.env[name]}`);
  return value;
};
const DURATION = setting('BENCH_DURATION', 5);
const SOAK_SECONDS = setting('BENCH_SOAK_SECONDS', 60);
/** Sequential requests per typed query (1-connection rows); the filtered list takes FILTERED_COUNT. */
const SEQUENTIAL = Math.round(setting('BENCH_SEQUENTIAL', 300));
const FILTERED_COUNT = 2000;
const OUTPUT = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

const PAGE_FIELDS = ['id', 'name', 'partner_id', 'state', 'amount_total', 'date_order', 'user_id'];
const PAGE = `/api/sale_order?limit=80&fields=${PAGE_FIELDS.join(',')}&order=id%20asc`;
const SEED_PAGE = '/api/sale_order?limit=80&fields=id,name,partner_id';
const RECORDS_PAGE = recordsRequest('sale_order', { fields: PAGE_FIELDS, limit: 80, order: 'id asc' });
const TYPED_NESTED_QUERY =
  '{ saleOrderList(limit: 80) { total results { name amount_total partnerRecord { name country_id } userRecord { name } } } }';
/** The same 80 orders and scalar fields without the nested records: the many2ones as `{ id, name }`. */
const TYPED_FLAT_QUERY = '{ saleOrderList(limit: 80) { total results { name amount_total partner_id user_id } } }';

interface Target {
  readonly path: string;
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  readonly headers: Record<string, string>;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Sends the request once: undefined when it answers 2xx without GraphQL errors, else why not. */
async function problemWith(url: string, target: Target): Promise<string | undefined> {
  try {
    const response = await fetch(url + target.path, {
      method: target.method ?? 'GET',
      headers: target.headers,
      ...(target.body !== undefined && { body: JSON.stringify(target.body) }),
    });
    const text = await response.text();
    if (response.status >= 300) return `HTTP ${response.status}: ${text.slice(0, 160)}`;
    if (target.path === '/graphql' && /"errors"\s*:/.test(text)) return text.slice(0, 160);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The server's memory now, summed over its processes (a primary and its workers). */
function memoryOf(pid: number | undefined): Row['memory'] {
  const memory = pid === undefined ? undefined : processTreeMemory(pid);
  return memory && { mib: Math.round(memory.rss / 1024 ** 2), processes: memory.processes };
}

function report(row: Row): Row {
  const r = row.result;
  say(r ? `${row.name}: ${r.requestsPerSecond} req/s, p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms` : `${row.name}: skipped (${row.skipped})`);
  return row;
}

/** One throughput row: checked once, warmed up, then autocannon with CONNECTIONS connections for DURATION s. */
async function throughput(key: string, name: string, server: { url: string; pid?: number }, target: Target): Promise<Row> {
  const problem = await problemWith(server.url, target);
  if (problem) return report({ key, name, connections: CONNECTIONS, skipped: problem });
  const options = {
    url: server.url + target.path,
    headers: target.headers,
    connections: CONNECTIONS,
    method: target.method ?? 'GET',
    ...(target.body !== undefined && { body: JSON.stringify(target.body) }),
  };
  try {
    await measure('warm-up', { ...options, duration: WARM_UP });
    const result = await measure(name, { ...options, duration: DURATION });
    const memory = memoryOf(server.pid);
    return report({ key, name, connections: CONNECTIONS, result, ...(memory && { memory }) });
  } catch (error) {
    return report({ key, name, connections: CONNECTIONS, skipped: (error as Error).message });
  }
}

/** `run` while another client writes WRITES_PER_SECOND leads per second; the row's name says how many it wrote. */
async function whileWriting(server: SpawnedServer, auth: Record<string, string>, run: (suffix: string) => Promise<Row>): Promise<Row> {
  const writer = startLeadWriter(server.url, auth, { perSecond: WRITES_PER_SECOND, maxInFlight: 10 });
  let row: Row;
  try {
    row = await run(`, while ${WRITES_PER_SECOND} leads/s are written`);
  } catch (error) {
    await writer.stop();
    throw error;
  }
  const figures = await writer.stop();
  const done = ` (${figures.perSecond}/s written${figures.failed ? `, ${figures.failed} writes failed` : ''})`;
  return { ...row, name: row.name + done };
}

/**
 * The REST page on servers started with WORKERS=1 and WORKERS=2, in that order. WORKERS=1 is the plain
 * single process, whose banner names no workers; so whether the server has the setting is read from the
 * WORKERS=2 start (a server without it ignores the variable and says nothing of workers), and both rows
 * are skipped with the reason when it has not.
 */
async function workersRows(dataDir: string, auth: Record<string, string>): Promise<Row[]> {
  const key = (workers: number) => `rest-7-workers-${workers}`;
  const name = (workers: number) => `REST list, 80 sale orders, 7 fields, WORKERS=${workers}`;
  const skipBoth = (why: string) =>
    [1, 2].map((workers) => report({ key: key(workers), name: name(workers), connections: CONNECTIONS, skipped: why }));
  const measureWith = async (workers: number, server: SpawnedServer) =>
    throughput(key(workers), name(workers), { url: server.url, pid: server.child.pid }, { path: PAGE, headers: auth });
  let two: SpawnedServer;
  try {
    two = await spawnServer({ DATA_DIR: dataDir, WORKERS: '2' });
  } catch (error) {
    return skipBoth(`the server did not start with WORKERS=2: ${(error as Error).message.split('\n')[1] ?? ''}`);
  }
  let rowOfTwo: Row;
  try {
    if (!/\bworkers\b/i.test(two.output())) return skipBoth('this server has no WORKERS setting (its banner says nothing of workers)');
    rowOfTwo = await measureWith(2, two);
  } finally {
    await two.stop();
  }
  const one = await spawnServer({ DATA_DIR: dataDir, WORKERS: '1' });
  try {
    return [await measureWith(1, one), rowOfTwo];
  } finally {
    await one.stop();
  }
}

/** 1-connection rows of the typed flat and nested queries, alternating, then each at CONNECTIONS connections. */
async function typedRows(server: SpawnedServer, json: Record<string, string>): Promise<Row[]> {
  const flat: Target = { path: '/graphql', method: 'POST', body: { query: TYPED_FLAT_QUERY }, headers: json };
  const nested: Target = { path: '/graphql', method: 'POST', body: { query: TYPED_NESTED_QUERY }, headers: json };
  const flatName = 'GraphQL typed flat list, 80 orders, partner_id and user_id as {id, name}';
  const nestedName = 'GraphQL typed nested, 80 orders + partnerRecord + userRecord';
  const problem = (await problemWith(server.url, flat)) ?? (await problemWith(server.url, nested));
  if (problem) {
    return [
      { key: 'typed-flat-1', name: flatName, connections: 1, skipped: problem },
      { key: 'typed-nested-1', name: nestedName, connections: 1, skipped: problem },
    ].map(report);
  }
  const url = `${server.url}/graphql`;
  const targets = [
    { name: flatName, url, headers: json, body: JSON.stringify(flat.body) },
    { name: nestedName, url, headers: json, body: JSON.stringify(nested.body) },
  ];
  await alternatingLatency(targets, 100, 1); // warm-up
  const [flat1, nested1] = (await alternatingLatency(targets, SEQUENTIAL)) as [Measurement, Measurement];
  const memory = memoryOf(server.child.pid);
  const at = { url: server.url, pid: server.child.pid };
  return [
    report({ key: 'typed-flat-1', name: flatName, connections: 1, result: flat1, ...(memory && { memory }) }),
    report({ key: 'typed-nested-1', name: nestedName, connections: 1, result: nested1, ...(memory && { memory }) }),
    await throughput('typed-flat-32', flatName, at, flat),
    await throughput('typed-nested-32', nestedName, at, nested),
  ];
}

/** The filtered list on a 100,000-row crm.lead, as admin and as demo (record rules), alternating. */
async function filteredRows(): Promise<Row[]> {
  const { dataDir, keys } = await prepareData(BIG_TABLE_ROWS);
  const server = await spawnServer({ DATA_DIR: dataDir });
  const name = (who: string) => `REST filtered list, ${BIG_TABLE_ROWS.toLocaleString('en')} leads, indexed field, ${who}`;
  try {
    const targets = (['admin', 'demo'] as const).map((who) => ({
      name: name(who === 'admin' ? 'admin' : 'demo (record rules)'),
      url: server.url + FILTERED_LIST_PATH,
      headers: { authorization: `Bearer ${keys[who]}` },
    }));
    await alternatingLatency(targets, 200, 1); // warm-up
    const [admin, demo] = (await alternatingLatency(targets, FILTERED_COUNT)) as [Measurement, Measurement];
    const memory = memoryOf(server.child.pid);
    return [
      report({ key: 'filtered-admin', name: admin.name, connections: 1, result: admin, ...(memory && { memory }) }),
      report({ key: 'filtered-demo', name: demo.name, connections: 1, result: demo, ...(memory && { memory }) }),
    ];
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The soak, for the server's peak RSS: its row gives req/s of the mixed traffic and VmHWM; invariants go to the notes. */
async function soakRow(notes: string[]): Promise<Row> {
  const name = `soak: ${SOAK_CLIENTS} clients, REST and GraphQL reads and writes as four users, ${SOAK_SECONDS} s`;
  try {
    const soak = await runSoak({ seconds: SOAK_SECONDS, clients: SOAK_CLIENTS, maxRssBytes: ISSUE_20.peakRssMiB * 1024 ** 2 });
    removeData(soak.dataDir);
    const held =
      soak.serverErrors === 0 && soak.unexpected.length === 0 && soak.violations.length === 0 && soak.missingOrDuplicated.length === 0;
    notes.push(
      `Soak: ${soak.requests} requests, statuses ${JSON.stringify(soak.statuses)}; invariants (every acknowledged create once, ` +
        `nothing seen by the wrong user, no 5xx) ${held ? 'held' : `FAILED: ${[...soak.unexpected, ...soak.violations, ...soak.missingOrDuplicated].slice(0, 3).join('; ')}`}. ` +
        `Its p50/p99 per kind of request are in \`npm run soak\`.`,
    );
    const result: Measurement = {
      name,
      requestsPerSecond: soak.perSecond,
      p50: Number.NaN,
      p99: Number.NaN,
      non2xx: soak.serverErrors,
      errors: soak.unexpected.length,
    };
    return report({
      key: 'soak',
      name,
      connections: SOAK_CLIENTS,
      result,
      memory: { mib: Math.round(soak.peakRssBytes / 1024 ** 2), processes: 1, peak: true },
    });
  } catch (error) {
    return report({ key: 'soak', name, connections: SOAK_CLIENTS, skipped: (error as Error).message });
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const machineLine = machine();
  const rows: Row[] = [];
  const notes: string[] = [];
  const { dataDir, keys } = await prepareData();
  const auth = { authorization: `Bearer ${keys.admin}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const demo = { authorization: `Bearer ${keys.demo}` };
  try {
    // Both servers over the same database; the second with the gateway cache off.
    const server = await spawnServer({ DATA_DIR: dataDir });
    const uncached = await spawnServer({ DATA_DIR: dataDir, GATEWAY_CACHE_MB: '0' });
    const at = { url: server.url, pid: server.child.pid };
    try {
      await measure('warm-up', { url: server.url + PAGE, headers: auth, connections: CONNECTIONS, duration: 2 });
      // The ceiling right before the row it is the ceiling of.
      const hello = await startHelloWorld();
      try {
        rows.push(
          await throughput(
            'hello-world',
            'bare Node http hello-world (ceiling)',
            { url: hello.url, pid: hello.child.pid },
            { path: '/', headers: {} },
          ),
        );
      } finally {
        hello.child.kill();
      }
      rows.push(await throughput('rest-7', 'REST list, 80 sale orders, 7 fields', at, { path: PAGE, headers: auth }));
      rows.push(
        await throughput(
          'graphql-7-uncached',
          'GraphQL records, 80 sale orders, 7 fields, GATEWAY_CACHE_MB=0',
          { url: uncached.url, pid: uncached.child.pid },
          { path: '/graphql', method: 'POST', body: RECORDS_PAGE, headers: json },
        ),
      );
      rows.push(
        await whileWriting(server, auth, (suffix) =>
          throughput('rest-7-writes', `REST list, 80 sale orders, 7 fields${suffix}`, at, { path: PAGE, headers: auth }),
        ),
      );
      rows.push(
        await whileWriting(server, auth, (suffix) =>
          throughput('graphql-7-writes', `GraphQL records, 80 sale orders, 7 fields, cache on${suffix}`, at, {
            path: '/graphql',
            method: 'POST',
            body: RECORDS_PAGE,
            headers: json,
          }),
        ),
      );
      rows.push(
        await throughput('rest-7-demo', 'REST list, 80 sale orders, 7 fields, demo (record rules)', at, { path: PAGE, headers: demo }),
      );
      rows.push(await throughput('rest-3', 'REST list, 80 sale orders, 3 fields (the seed list)', at, { path: SEED_PAGE, headers: auth }));
      rows.push(await throughput('rest-retrieve', 'REST retrieve, one sale order', at, { path: '/api/sale_order/21', headers: auth }));
      rows.push(
        await throughput('rest-create', 'REST create, one CRM lead', at, {
          path: '/api/crm_lead',
          method: 'POST',
          body: DOCUMENTED_LEAD,
          headers: json,
        }),
      );
      rows.push(...(await typedRows(server, json)));
    } finally {
      await uncached.stop();
      await server.stop();
    }
    rows.push(...(await workersRows(dataDir, auth)));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  rows.push(...(await filteredRows()));
  rows.push(await soakRow(notes));

  for (const row of rows) if (row.skipped) notes.push(`Skipped: ${row.name}: ${row.skipped}`);
  const targets = evaluateTargets(new Map(rows.map((row) => [row.key, row])));
  const requests = [
    `REST list: \`GET ${PAGE}\` (the issue's page: 80 orders, many2ones expanded, \`total\` counted); the seed list \`GET ${SEED_PAGE}\`.`,
    'REST retrieve: `GET /api/sale_order/21` (every readable field). REST create: `POST /api/crm_lead` with the lead of ' +
      "mrm_rest_api's documented example 2 (each request creates a lead and reads it back).",
    `GraphQL records: the same page through \`/graphql\` (\`recordsRequest('sale_order', { fields, limit: 80, order: 'id asc' })\`), which calls ` +
      'the REST route of the same process over loopback. With the gateway cache on, an unchanged answer is revalidated (304); ' +
      `the writer (${WRITES_PER_SECOND} \`POST /api/crm_lead\` per second, paced, from the bench process) changes the tags, so the ` +
      'cache-on row and its REST twin both run under the same writes. `GATEWAY_CACHE_MB=0`: a second server on the same database, every hop a full read.',
    `Typed nested: \`${TYPED_NESTED_QUERY}\`; typed flat: \`${TYPED_FLAT_QUERY}\` (the same orders and scalars, no nested records). ` +
      'The target uses p50 at 1 connection (latency under saturation is throughput-bound); the 32-connection ratio is shown beside it.',
    'WORKERS=1 and WORKERS=2: the REST page on a server started with that setting, on the same database.',
    `Filtered list: \`GET ${FILTERED_LIST_PATH}\` on crm.lead grown to ${BIG_TABLE_ROWS.toLocaleString('en')} rows (one match, indexed field), ` +
      'on its own server; demo goes through record rules.',
    `Soak: bench/lib/soak.ts (\`npm run soak\` without the crash test): its server's VmHWM is the peak RSS of the target.`,
  ];
  const settings = {
    started,
    connections: CONNECTIONS,
    duration: DURATION,
    warmUp: WARM_UP,
    sequential: SEQUENTIAL,
    filtered: FILTERED_COUNT,
    soakSeconds: SOAK_SECONDS,
    requests,
    notes,
  };
  mkdirSync(fileURLToPath(new URL('../docs/', import.meta.url)), { recursive: true });
  const markdown = render(rows, targets, settings, machineLine);
  writeFileSync(OUTPUT, markdown);
  say(`\n${markdown}\nwritten to docs/benchmarks.md in ${Math.round((Date.now() - started.getTime()) / 1000)} s`);
}

await main();
