/**
 * `npm run bench:graphql`: the GraphQL `records` query against the REST list it stands for, side by
 * side in one run on loopback (issue 4: GraphQL at least 60% of REST's requests/s). Both ask for 80
 * sale orders with the same fields, as admin, 10 connections for BENCH_DURATION (10) s each.
 *
 * GraphQL is measured twice: as served by default, where the gateway client revalidates the answer it
 * kept with If-None-Match and the REST route answers 304 while the data is unchanged (the benchmark
 * repeats one query on unchanged data, so every hop but the first two is a 304), and by a second server on
 * the same database with that cache off (GATEWAY_CACHE_MB=0), where every hop is a full REST request.
 * A last pair measures the 3-field list again while another client writes (a CRM lead every
 * BENCH_WRITE_MS, 50 ms): every write changes every tag, so the hit rate between the two extremes shows.
 */
import { rmSync } from 'node:fs';
import { recordsRequest } from '../src/graphql/operations.js';
import { measure, printTable, type Measurement } from './lib/measure.js';
import { prepareData } from './lib/prepare-data.js';
import { spawnServer } from '../test/helpers/spawn-server.js';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const writeEveryMs = Number(process.env.BENCH_WRITE_MS ?? 50);

/** Runs `measure` while a client writes one CRM lead every `writeEveryMs` through REST; gives the writes done too. */
async function whileWriting(url: string, auth: Record<string, string>, run: () => Promise<Measurement>): Promise<[Measurement, number]> {
  let writes = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    fetch(`${url}/api/crm_lead`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench write' }),
    })
      .then((response) =>
        response.text().then(() => {
          if (response.status === 201) writes += 1;
        }),
      )
      // A write that fails (the last one in flight when the servers stop, say) is not counted, as a non-201 is
      // not; unhandled, its rejection would end the process.
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, writeEveryMs);
  try {
    return [await run(), writes];
  } finally {
    clearInterval(timer);
  }
}
const FIELD_SETS = [
  ['id', 'name', 'partner_id'],
  ['id', 'name', 'partner_id', 'user_id', 'company_id', 'state', 'date_order', 'amount_total'],
];

async function main(): Promise<void> {
  const { dataDir, keys } = await prepareData();
  const server = await spawnServer({ DATA_DIR: dataDir });
  const uncached = await spawnServer({ DATA_DIR: dataDir, GATEWAY_CACHE_MB: '0' });
  const auth = { authorization: `Bearer ${keys.admin}` };
  try {
    const pairs: Array<[Measurement, ...Measurement[]]> = [];
    await measure('warm-up', { url: `${server.url}/api/sale_order?limit=80`, headers: auth, duration: 2 });
    for (const fields of FIELD_SETS) {
      const rest = await measure(`REST GET /api/sale_order, 80 rows, ${fields.length} fields`, {
        url: `${server.url}/api/sale_order?limit=80&fields=${fields.join(',')}`,
        headers: auth,
        duration,
      });
      const request = {
        method: 'POST' as const,
        duration,
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(recordsRequest('sale_order', { fields, limit: 80 })),
      };
      const graphql = await measure(`GraphQL records, 80 rows, ${fields.length} fields`, { url: `${server.url}/graphql`, ...request });
      const graphqlUncached = await measure(`GraphQL records, 80 rows, ${fields.length} fields, GATEWAY_CACHE_MB=0`, {
        url: `${uncached.url}/graphql`,
        ...request,
      });
      pairs.push([rest, graphql, graphqlUncached]);
    }
    // Under writes: the same 3-field list, REST and GraphQL (cache on), each while a lead is written every writeEveryMs.
    const [fields] = FIELD_SETS as [string[]];
    const [restWriting, restWrites] = await whileWriting(server.url, auth, () =>
      measure(`REST GET /api/sale_order, 80 rows, 3 fields, a write every ${writeEveryMs} ms`, {
        url: `${server.url}/api/sale_order?limit=80&fields=${fields.join(',')}`,
        headers: auth,
        duration,
      }),
    );
    const [graphqlWriting, graphqlWrites] = await whileWriting(server.url, auth, () =>
      measure(`GraphQL records, 80 rows, 3 fields, a write every ${writeEveryMs} ms`, {
        url: `${server.url}/graphql`,
        method: 'POST',
        duration,
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(recordsRequest('sale_order', { fields, limit: 80 })),
      }),
    );
    printTable([...pairs.flat(), restWriting, graphqlWriting]);
    process.stdout.write(`writes done during the last two rows: ${restWrites} and ${graphqlWrites}\n`);
    pairs.push([restWriting, graphqlWriting]);
    for (const [rest, ...graphqls] of pairs) {
      for (const graphql of graphqls) {
        const ratio = graphql.requestsPerSecond / rest.requestsPerSecond;
        process.stdout.write(`${graphql.name}: ${Math.round(ratio * 100)}% of REST (floor 60%: ${ratio >= 0.6 ? 'met' : 'NOT met'})\n`);
      }
    }
  } finally {
    await uncached.stop();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
