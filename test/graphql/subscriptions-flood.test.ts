/**
 * Issue 19: "10,000 open subscription attempts by one user are refused past the limit". One caller opens
 * subscriptions in a loop over three `graphql-ws` connections, 10,000 attempts in all: the first
 * GRAPHQL_MAX_SUBSCRIPTIONS_PER_USER are taken (GRAPHQL_MAX_SUBSCRIPTIONS_PER_CONNECTION on each of the
 * first two connections, the rest on the third), every later one is refused with `TOO_MANY_SUBSCRIPTIONS`
 * (the connection's limit on a full connection, the caller's on the third), counted in /metrics by limit.
 * Meanwhile the server answers REST at once, its heap does not grow with the attempts (the server runs in
 * this process: a refused attempt must leave nothing behind), and once the clients leave, /metrics counts
 * no active subscription.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useServer } from '../helpers/use-server.js';
import { until } from './graphql-client.js';

/** `until`, with this suite's longer wait. */
const waitFor = <T>(read: () => T | undefined | false, what: string, ms = 10_000): Promise<T> => until(read, what, ms);

const PER_CONNECTION = 10;
const PER_USER = 25;
const ATTEMPTS = 10_000;
/** Attempts sent at once on each connection before the next burst (a REST request is timed between). */
const BURST = 250;

const server = useServer({
  GRAPHQL_MAX_SUBSCRIPTIONS_PER_CONNECTION: PER_CONNECTION,
  GRAPHQL_MAX_SUBSCRIPTIONS_PER_USER: PER_USER,
  GRAPHQL_SUBSCRIPTION_WAIT_S: 5,
});

const QUERY = 'subscription { recordChanges(slug: "crm_lead", fields: ["name"]) { op id cursor record } }';

/** A full collection, for a heap measure that counts what is kept rather than garbage not yet collected. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const clients: Client[] = [];
afterAll(async () => {
  await Promise.all(clients.splice(0).map(async (client) => client.dispose()));
});

function connect(): Client {
  const client = createClient({
    url: `${server.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: server.authorization('admin') },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
  });
  clients.push(client);
  return client;
}

/** Counts what the attempts got: refusals by code, anything else (an event, a transport error) kept to show. */
const tally = { refused: 0, done: 0, codes: new Map<string, number>(), unexpected: [] as string[] };

/** One attempt: its outcome tallied, nothing kept per attempt (the client's heap is the server's too). */
function attempt(client: Client): void {
  let first = true;
  client.subscribe(
    { query: QUERY },
    {
      next: (result) => {
        if (!first) return;
        first = false;
        const given = result.errors?.[0]?.extensions?.code;
        const code = typeof given === 'string' ? given : 'none';
        tally.codes.set(code, (tally.codes.get(code) ?? 0) + 1);
        if (code === 'TOO_MANY_SUBSCRIPTIONS') tally.refused++;
        else if (tally.unexpected.length < 5) tally.unexpected.push(JSON.stringify(result).slice(0, 300));
      },
      error: (error) => {
        if (tally.unexpected.length < 5) tally.unexpected.push(String(error));
      },
      complete: () => void tally.done++,
    },
  );
}

/** Milliseconds a REST read takes, checked to answer 200. */
async function restLatency(): Promise<number> {
  const started = performance.now();
  const answer = await server.request('admin', 'GET', '/api/crm_lead?fields=name&limit=5');
  expect(answer.status, answer.text).toBe(200);
  return performance.now() - started;
}

async function metric(name: string): Promise<number> {
  const text = (await server.request(null, 'GET', '/metrics')).text;
  const escaped = name.replace(/[{}"]/g, (c) => `\\${c}`);
  const match = new RegExp(`^${escaped} (\\d+)`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

describe('one user opening 10,000 subscriptions', () => {
  it('SUB-50 past the limits every attempt is refused with TOO_MANY_SUBSCRIPTIONS; the server stays responsive and small; all end', async () => {
    const started = Date.now();
    const gc = collector();
    const refusedByConnection0 = await metric('graphql_subscriptions_refused_total{limit="connection"}');
    const refusedByUser0 = await metric('graphql_subscriptions_refused_total{limit="user"}');
    const tracker = server.app.graphql.subscriptions;
    const [one, two, three] = [connect(), connect(), connect()];

    // Up to the limits: PER_CONNECTION on each of two connections, the caller's remainder on the third.
    let sent = 0;
    for (const [client, count] of [
      [one, PER_CONNECTION],
      [two, PER_CONNECTION],
      [three, PER_USER - 2 * PER_CONNECTION],
    ] as const) {
      const before = tracker.active;
      for (let i = 0; i < count; i++, sent++) attempt(client);
      await waitFor(() => tracker.active === before + count, `${before + count} subscriptions open`);
    }
    expect(tracker.active).toBe(PER_USER);
    expect(tally.codes.size).toBe(0);

    // The flood: bursts over the three connections in turn, a REST read timed after each.
    const latencies: number[] = [];
    let baseline = 0;
    const connections = [one, two, three];
    for (let burst = 0; sent < ATTEMPTS; burst++) {
      const client = connections[burst % 3]!;
      const count = Math.min(BURST, ATTEMPTS - sent);
      for (let i = 0; i < count; i++) attempt(client);
      sent += count;
      // REST answers while the burst is being refused, and after.
      latencies.push(await restLatency());
      await waitFor(() => tally.done === sent - PER_USER, `${sent - PER_USER} attempts refused`);
      // The heap once the server is warm (the first bursts compiled and cached all there is), to compare with the end.
      if (burst === 3) baseline = heapAfterGc(gc);
    }
    expect(tally.unexpected).toEqual([]);
    expect(tally.refused).toBe(ATTEMPTS - PER_USER);
    expect(Object.fromEntries(tally.codes)).toEqual({ TOO_MANY_SUBSCRIPTIONS: ATTEMPTS - PER_USER });
    // The limits still hold the ones taken, untouched by the flood.
    expect(tracker.active).toBe(PER_USER);

    // The two full connections were refused by their own limit, the third by the caller's.
    const perConnectionBursts = Math.ceil((ATTEMPTS - PER_USER) / BURST);
    let byConnection = 0;
    let left = ATTEMPTS - PER_USER;
    for (let burst = 0; burst < perConnectionBursts; burst++, left -= BURST) if (burst % 3 !== 2) byConnection += Math.min(BURST, left);
    expect(await metric('graphql_subscriptions_refused_total{limit="connection"}')).toBe(refusedByConnection0 + byConnection);
    expect(await metric('graphql_subscriptions_refused_total{limit="user"}')).toBe(refusedByUser0 + ATTEMPTS - PER_USER - byConnection);
    expect(await metric('graphql_subscriptions_active{transport="ws"}')).toBe(PER_USER);

    // Responsive: the slowest REST read while bursts of 250 attempts were refused, on 2 cores with the
    // clients in this process too, well under a second; and one after at once.
    latencies.sort((a, b) => a - b);
    expect(latencies.at(-1)!, `REST latencies (ms): median ${latencies[latencies.length >> 1]}`).toBeLessThan(1000);
    expect(await restLatency()).toBeLessThan(500);

    // Memory: the live heap (after a full collection) after ~9,000 more refusals, against the warm one. A
    // refused attempt that left anything behind (its context, gateway, parsed document, a closure: over a
    // kilobyte each) would add well over 9 MB; 8 MB leaves room for what a test process allocates besides.
    const grown = heapAfterGc(gc) - baseline;
    expect(grown, `heap grew by ${(grown / 1024 / 1024).toFixed(1)} MB`).toBeLessThan(8 * 1024 * 1024);

    // Everything closed: no subscription left, in the tracker or in /metrics.
    await Promise.all(clients.splice(0).map(async (client) => client.dispose()));
    await waitFor(() => tracker.active === 0, 'every subscription to end');
    expect(await metric('graphql_subscriptions_active{transport="ws"}')).toBe(0);
    expect(await metric('graphql_subscriptions_active{transport="sse"}')).toBe(0);
    expect(server.app.graphql.feedGateway.stats.running).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
