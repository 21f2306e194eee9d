/**
 * `npm run bench:cpu -- [path] [login]`: CPU time one REST request costs the server, measured
 * in-process with Fastify's inject (no sockets), as admin on a fresh demo database. Steadier than
 * requests/s on a shared machine, and the number to watch when optimising the read path.
 *
 * `npm run bench:cpu -- --graphql [fields]`: the REST list of 80 sale orders against the GraphQL
 * `records` query for the same page, each sent over loopback HTTP by an undici client in this process
 * (so both include the client's own share), with the gateway's revalidation cache on and off. Each
 * figure is the lowest of three rounds (`N` requests each, default 1500), which filters out the noise
 * of a shared machine; it tells where GraphQL's cost over REST goes when tuning the GraphQL face.
 *
 * `npm run bench:cpu -- --typed`: the typed nested query (80 sale orders with `partnerRecord { name
 * country_id }` and `userRecord { name }`) against the flat typed query of the same orders, over one
 * connection with the gateway's revalidation cache off: µs CPU per request (lowest of 3 rounds) and the
 * median latency of all rounds (issue 20's bound: nested at most 2x flat).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { createApp } from '../src/app.js';
import type { EmbeddedBackend } from '../src/backends/embedded/embedded-backend.js';
import { testConfig } from '../src/config.js';
import { recordsRequest } from '../src/graphql/operations.js';

const args = process.argv.slice(2);
const count = Number(process.env.N ?? 1500);

async function withApp<T>(
  config: Record<string, string | number>,
  run: (app: Awaited<ReturnType<typeof createApp>>) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ogf-cpu-'));
  const app = await createApp(testConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...config }));
  try {
    return await run(app);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Microseconds of CPU per call of `once`: the lowest of three rounds after a warm-up. */
async function cpuPerCall(once: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 500; i += 1) await once();
  let best = Infinity;
  for (let round = 0; round < 3; round += 1) {
    const before = process.cpuUsage();
    for (let i = 0; i < count; i += 1) await once();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / count);
  }
  return best;
}

async function restInProcess(path: string, login: string): Promise<void> {
  await withApp({}, async (app) => {
    const key = (app.backend as EmbeddedBackend).createApiKey(login, 'cpu');
    const micros = await cpuPerCall(async () => {
      const response = await app.server.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${key}` } });
      if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
    });
    process.stdout.write(`${path} as ${login}: ${micros.toFixed(0)} µs CPU per request (inject, lowest of 3 rounds of ${count})\n`);
  });
}

async function graphqlOverHttp(fields: string[]): Promise<void> {
  const rows: string[] = [];
  for (const cacheMb of [8, 0]) {
    await withApp({ GATEWAY_CACHE_MB: cacheMb }, async (app) => {
      const url = await app.server.listen({ host: '127.0.0.1', port: 0 });
      const key = (app.backend as EmbeddedBackend).createApiKey('admin', 'cpu');
      const pool = new Pool(url, { connections: 4 });
      const send = async (options: { method: 'GET' | 'POST'; path: string; body?: string }) => {
        const answer = await pool.request({ ...options, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } });
        const text = await answer.body.text();
        if (answer.statusCode !== 200) throw new Error(`${answer.statusCode} ${text}`);
      };
      try {
        const rest = await cpuPerCall(() => send({ method: 'GET', path: `/api/sale_order?limit=80&fields=${fields.join(',')}` }));
        const body = JSON.stringify(recordsRequest('sale_order', { fields, limit: 80 }));
        const graphql = await cpuPerCall(() => send({ method: 'POST', path: '/graphql', body }));
        rows.push(`| GATEWAY_CACHE_MB=${cacheMb} | ${rest.toFixed(0)} | ${graphql.toFixed(0)} | ${(graphql / rest).toFixed(2)} |`);
      } finally {
        await pool.close();
      }
    });
  }
  process.stdout.write(
    `80 sale orders, fields ${fields.join(',')}: µs CPU per request over loopback, client included (lowest of 3 rounds of ${count})\n` +
      `| gateway cache | REST | GraphQL records | GraphQL / REST |\n|---|---|---|---|\n${rows.join('\n')}\n`,
  );
}

const FLAT_TYPED = '{ saleOrderList(limit: 80) { total results { name amount_total } } }';
const NESTED_TYPED =
  '{ saleOrderList(limit: 80) { total results { name amount_total partnerRecord { name country_id } userRecord { name } } } }';

async function typedNestedVsFlat(): Promise<void> {
  await withApp({ GATEWAY_CACHE_MB: 0 }, async (app) => {
    const url = await app.server.listen({ host: '127.0.0.1', port: 0 });
    const key = (app.backend as EmbeddedBackend).createApiKey('admin', 'cpu');
    const pool = new Pool(url, { connections: 1 });
    const latencies: Record<string, number[]> = { flat: [], nested: [] };
    const send = (name: 'flat' | 'nested', query: string) => async () => {
      const started = performance.now();
      const answer = await pool.request({
        method: 'POST',
        path: '/graphql',
        body: JSON.stringify({ query }),
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      });
      const text = await answer.body.text();
      if (answer.statusCode !== 200 || text.includes('"errors"')) throw new Error(`${answer.statusCode} ${text}`);
      latencies[name]!.push(performance.now() - started);
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]! * 1000;
    try {
      const flat = await cpuPerCall(send('flat', FLAT_TYPED));
      const nested = await cpuPerCall(send('nested', NESTED_TYPED));
      process.stdout.write(
        `typed saleOrderList(limit: 80), one connection, GATEWAY_CACHE_MB=0 (lowest of 3 rounds of ${count}; median latency of all)\n` +
          `| query | µs CPU | median latency µs |\n|---|---|---|\n` +
          `| flat | ${flat.toFixed(0)} | ${median(latencies.flat!).toFixed(0)} |\n` +
          `| nested (partnerRecord, userRecord) | ${nested.toFixed(0)} | ${median(latencies.nested!).toFixed(0)} |\n` +
          `| nested / flat | ${(nested / flat).toFixed(2)} | ${(median(latencies.nested!) / median(latencies.flat!)).toFixed(2)} |\n`,
      );
    } finally {
      await pool.close();
    }
  });
}

if (args[0] === '--typed') await typedNestedVsFlat();
else if (args[0] === '--graphql') await graphqlOverHttp((args[1] ?? 'id,name,partner_id').split(','));
else await restInProcess(args[0] ?? '/api/sale_order?limit=80', args[1] ?? 'admin');
