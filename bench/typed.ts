/**
 * `npm run bench:typed`: the issue's nested typed query (80 sale orders, each with `partnerRecord { name
 * country_id }` and `orderLineRecords { productRecord { display_name } }`: 3 gateway requests) against the flat
 * `records` query of the same 80 orders (1 gateway request), on a spawned server (loopback, admin).
 *
 * - Median latency of BENCH_SEQUENTIAL (900) sequential requests each, in 3 alternating rounds so both see
 *   the same machine (the median of the rounds' medians is reported); the issue's bound: nested at most 3x flat.
 * - Then autocannon, 10 connections for BENCH_DURATION (10) s each: req/s and p50 under load.
 */
import { rmSync } from 'node:fs';
import { FLAT_ORDERS_REQUEST, NESTED_ORDERS_QUERY } from '../src/graphql/typed/typed-operations.js';
import { measure, printTable, sequentialLatency, type Measurement } from './lib/measure.js';
import { prepareData } from './lib/prepare-data.js';
import { spawnServer } from '../test/helpers/spawn-server.js';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const sequential = Number(process.env.BENCH_SEQUENTIAL ?? 900);
const ROUNDS = 3;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const { dataDir, keys } = await prepareData();
  const server = await spawnServer({ DATA_DIR: dataDir });
  const url = `${server.url}/graphql`;
  const headers = { authorization: `Bearer ${keys.admin}`, 'content-type': 'application/json' };
  const flat = JSON.stringify(FLAT_ORDERS_REQUEST);
  const nested = JSON.stringify({ query: NESTED_ORDERS_QUERY, operationName: 'NestedOrders' });
  try {
    // Both answer, without errors, about the same 80 orders.
    const post = async (body: string): Promise<unknown> => (await fetch(url, { method: 'POST', headers, body })).json();
    type Answer<T> = { errors?: unknown; data: T };
    type Page = { results: Array<{ id: number }> };
    const [flatAnswer, nestedAnswer] = (await Promise.all([post(flat), post(nested)])) as [
      Answer<{ records: Page }>,
      Answer<{ saleOrderList: Page }>,
    ];
    if (flatAnswer.errors || nestedAnswer.errors)
      throw new Error(`a query failed: ${JSON.stringify(flatAnswer.errors ?? nestedAnswer.errors)}`);
    const ids = (results: Array<{ id: number }>) => results.map((r) => r.id).join(',');
    if (ids(flatAnswer.data.records.results) !== ids(nestedAnswer.data.saleOrderList.results))
      throw new Error('the two queries read different orders');

    await sequentialLatency('warm-up', url, headers, 200, { body: flat });
    await sequentialLatency('warm-up', url, headers, 200, { body: nested });
    const flatRuns: Measurement[] = [];
    const nestedRuns: Measurement[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      flatRuns.push(
        await sequentialLatency('flat records, 80 orders, 3 fields (sequential)', url, headers, Math.ceil(sequential / ROUNDS), {
          body: flat,
        }),
      );
      nestedRuns.push(
        await sequentialLatency(
          'typed nested, 80 orders + partners + lines + products (sequential)',
          url,
          headers,
          Math.ceil(sequential / ROUNDS),
          { body: nested },
        ),
      );
    }
    const flatLoad = await measure('flat records, 80 orders (10 connections)', { url, method: 'POST', headers, body: flat, duration });
    const nestedLoad = await measure('typed nested, 80 orders (10 connections)', { url, method: 'POST', headers, body: nested, duration });
    printTable([...flatRuns, ...nestedRuns, flatLoad, nestedLoad]);

    const flatMedian = median(flatRuns.map((m) => m.p50));
    const nestedMedian = median(nestedRuns.map((m) => m.p50));
    const ratio = nestedMedian / flatMedian;
    process.stdout.write(
      `median latency (sequential): flat ${flatMedian.toFixed(2)} ms, nested ${nestedMedian.toFixed(2)} ms: ${ratio.toFixed(2)}x (bound 3x: ${ratio <= 3 ? 'met' : 'NOT met'})\n` +
        `under load (10 connections): flat p50 ${flatLoad.p50} ms ${flatLoad.requestsPerSecond} req/s, nested p50 ${nestedLoad.p50} ms ${nestedLoad.requestsPerSecond} req/s\n`,
    );
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
