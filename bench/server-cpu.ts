/**
 * `npm run bench:server-cpu`: the server's own CPU per request over real HTTP, for the REST page of
 * issue 20 and the GraphQL requests around it: the compiled server (spawnServer) on a fresh demo
 * database, autocannon with 32 connections for 3 s, three rounds per request, and the server process's
 * CPU ticks (`/proc/<pid>/stat`, user and system) divided by the requests it answered, the lowest round
 * kept. Unlike req/s, the figure does not move with the share of the cores the load generator takes.
 * `GATEWAY_CACHE_MB` (default 0: every GraphQL hop a full read) is passed to the server. Linux only.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { recordsRequest } from '../src/graphql/operations.js';
import { spawnServer } from '../test/helpers/spawn-server.js';
import { prepareData } from './lib/prepare-data.js';

const FIELDS = ['id', 'name', 'partner_id', 'state', 'amount_total', 'date_order', 'user_id'];
const ROUND_SECONDS = 3;

interface Case {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
}

const CASES: readonly Case[] = [
  {
    name: 'REST page, 80 sale orders, 7 fields',
    method: 'GET',
    path: `/api/sale_order?limit=80&fields=${FIELDS.join(',')}&order=id%20asc`,
  },
  { name: 'REST page, 1 sale order, id only', method: 'GET', path: '/api/sale_order?limit=1&fields=id' },
  { name: 'GraphQL { __typename } (nothing fetched)', method: 'POST', path: '/graphql', body: JSON.stringify({ query: '{ __typename }' }) },
  {
    name: 'GraphQL records, 1 sale order, total only',
    method: 'POST',
    path: '/graphql',
    body: JSON.stringify({ query: '{ records(slug: "sale_order", limit: 1, fields: ["id"]) { total } }' }),
  },
  {
    name: 'GraphQL records, the REST page above',
    method: 'POST',
    path: '/graphql',
    body: JSON.stringify(recordsRequest('sale_order', { fields: FIELDS, limit: 80, order: 'id asc' })),
  },
];

/** The process's CPU time so far, in clock ticks (user + system). */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const TICK_US = 10_000; // USER_HZ is 100 on Linux

const { dataDir, keys } = await prepareData();
const server = await spawnServer({ DATA_DIR: dataDir, GATEWAY_CACHE_MB: process.env.GATEWAY_CACHE_MB ?? '0' });
const pid = server.child.pid!;
const rows: string[] = [];
try {
  for (const request of CASES) {
    const options = {
      url: server.url + request.path,
      method: request.method,
      headers: { authorization: `Bearer ${keys.admin}`, 'content-type': 'application/json' },
      connections: 32,
      ...(request.body !== undefined && { body: request.body }),
    };
    await autocannon({ ...options, duration: 1 });
    let best = Infinity;
    let perSecond = 0;
    let failures = 0;
    for (let round = 0; round < 3; round += 1) {
      const before = cpuTicks(pid);
      const result = await autocannon({ ...options, duration: ROUND_SECONDS });
      failures += result.non2xx + result.errors;
      const micros = ((cpuTicks(pid) - before) * TICK_US) / result.requests.total;
      if (micros < best) [best, perSecond] = [micros, Math.round(result.requests.average)];
    }
    rows.push(`| ${request.name} | ${best.toFixed(0)} | ${perSecond} | ${failures} |`);
    process.stdout.write(`${request.name}: ${best.toFixed(0)} µs\n`);
  }
} finally {
  await server.stop();
}
process.stdout.write(
  `\nserver CPU per request (GATEWAY_CACHE_MB=${process.env.GATEWAY_CACHE_MB ?? '0'}; lowest of 3 rounds of ${ROUND_SECONDS} s, 32 connections)\n` +
    `| request | µs CPU | req/s | non-2xx + errors |\n|---|---|---|---|\n${rows.join('\n')}\n`,
);
