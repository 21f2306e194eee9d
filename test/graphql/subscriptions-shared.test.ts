/**
 * Issue 19, "subscriptions share one feed poll": the subscriptions of one caller (the same credentials) to
 * the same slug, domain and fields, at the same position, share one long poll of the REST feed, its
 * changes fanned out in process to each one's own bounded queue. Counted on the feed's gateway pool (as
 * SUB-13 does): one poll in flight for N subscriptions, a change costs one answer and one new poll, not N;
 * every member gets every change; a slow member is ended alone (SLOW_CONSUMER); members leaving keep the
 * poll going until the last, whose leaving aborts it at once; two callers never share (raw payloads).
 */
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ChangesPage } from '../../src/gateway/contract-types.js';
import { GatewayError } from '../../src/gateway/gateway-error.js';
import { ChangeStream, isStreamError, SharedFeeds, type StreamItem } from '../../src/graphql/subscriptions.js';
import { useServer } from '../helpers/use-server.js';
import { graphql, until } from './graphql-client.js';

const WAIT_S = 2;
const server = useServer({
  GRAPHQL_SUBSCRIPTION_WAIT_S: WAIT_S,
  GRAPHQL_MAX_SUBSCRIPTIONS_PER_CONNECTION: 10,
  GRAPHQL_MAX_SUBSCRIPTIONS_PER_USER: 50,
});

const LEADS = '/api/crm_lead';
const LEAD_CHANGES =
  'subscription($domain: Domain) { recordChanges(slug: "crm_lead", domain: $domain, fields: ["name", "user_id"]) { op id cursor record } }';

type Result = FormattedExecutionResult<Record<string, any>, unknown>;

const open: { close(): void }[] = [];
afterEach(async () => {
  for (const one of open.splice(0)) one.close();
  await until(() => server.app.graphql.subscriptions.active === 0, 'every subscription to end');
  await until(() => server.app.graphql.feedGateway.stats.running === 0, 'every poll to end');
});

function wsClient(authorization: string): Client {
  const client = createClient({
    url: `${server.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: authorization },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
  });
  open.push({ close: () => void client.dispose() });
  return client;
}

function wsSubscribe(client: Client, query: string, variables?: Record<string, unknown>) {
  const state = { results: [] as Result[], completed: false, unsubscribe: () => undefined as void };
  state.unsubscribe = client.subscribe<Record<string, any>>(
    { query, ...(variables && { variables }) },
    {
      next: (result) => void state.results.push(result),
      error: () => void (state.completed = true),
      complete: () => void (state.completed = true),
    },
  );
  return state;
}

/** A subscription over GraphQL over SSE: the raw text and the `next` payloads. */
async function sse(authorization: string, query: string, variables?: Record<string, unknown>) {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    signal: controller.signal,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization },
    body: JSON.stringify({ query, ...(variables && { variables }) }),
  });
  const state = { text: '', results: [] as Result[], close: () => controller.abort() };
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        state.text += text;
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (/^event: next$/m.test(block) && data) state.results.push(JSON.parse(data) as Result);
        }
      }
    } catch {
      // aborted
    }
  })();
  open.push(state);
  return state;
}

const changesOf = (results: readonly Result[]) => results.filter((r) => r.data).map((r) => r.data!.recordChanges as Record<string, any>);

async function createLead(values: Record<string, unknown>): Promise<number> {
  const answer = await server.request('admin', 'POST', LEADS, values);
  expect(answer.status, answer.text).toBe(201);
  return answer.body.id as number;
}

async function uid(login: string): Promise<number> {
  const answer = await graphql(server, login, '{ me { uid } }');
  return answer.body.data!.me.uid as number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('subscriptions of one caller on one feed share one poll', () => {
  it('SHARE-01 N subscriptions make one poll in flight; a change costs one answer and one new poll; all get it', async () => {
    const N = 8;
    const feed = server.app.graphql.feedGateway;
    const client = wsClient(server.authorization('admin'));
    const subs = Array.from({ length: N }, () => wsSubscribe(client, LEAD_CHANGES, { domain: [['name', '=like', 'SHARE-01 %']] }));
    await until(() => server.app.graphql.subscriptions.active === N, 'N subscriptions');
    await until(() => feed.stats.running === 1, 'the shared poll in flight');
    expect(server.app.graphql.subscriptions.feeds.polls).toBe(1);
    const before = feed.requestCount;
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await createLead({ name: `SHARE-01 ${i}` }));
      await until(() => subs.every((s) => changesOf(s.results).some((c) => c.id === ids.at(-1))), 'the change at every subscriber');
    }
    // Three changes: at most one answered poll and one new poll each (not N), never more than one in flight.
    expect(feed.requestCount - before).toBeLessThanOrEqual(3 * 2);
    expect(feed.stats.running).toBeLessThanOrEqual(1);
    for (const sub of subs) expect(changesOf(sub.results).map((c) => [c.op, c.id])).toEqual(ids.map((id) => ['CREATED', id]));
    // Each event carries its own cursor (exact resume), the same for every member.
    const cursors = changesOf(subs[0]!.results).map((c) => c.cursor as string);
    for (const sub of subs) expect(changesOf(sub.results).map((c) => c.cursor)).toEqual(cursors);
  });

  it('SHARE-02 members leaving keep the poll; the last one leaving aborts it at once, and no poll follows', async () => {
    const feed = server.app.graphql.feedGateway;
    const client = wsClient(server.authorization('admin'));
    const subs = Array.from({ length: 4 }, () => wsSubscribe(client, LEAD_CHANGES));
    await until(() => server.app.graphql.subscriptions.active === 4, 'four subscriptions');
    await until(() => feed.stats.running === 1, 'the shared poll in flight');
    const count = feed.requestCount;
    for (const sub of subs.slice(0, 3)) sub.unsubscribe();
    await until(() => server.app.graphql.subscriptions.active === 1, 'three gone');
    await sleep(200);
    // Still the same poll: not aborted, not sent again.
    expect(feed.stats.running).toBe(1);
    expect(feed.requestCount).toBe(count);
    const id = await createLead({ name: 'SHARE-02 lead' });
    await until(() => changesOf(subs[3]!.results).some((c) => c.id === id), 'the change at the one left');
    subs[3]!.unsubscribe();
    await until(() => feed.stats.running === 0 && server.app.graphql.subscriptions.active === 0, 'the poll aborted', 500);
    expect(server.app.graphql.subscriptions.feeds.polls).toBe(0);
    const after = feed.requestCount;
    await sleep(WAIT_S * 1000 + 300);
    expect(feed.requestCount).toBe(after);
  });

  it('SHARE-03 over SSE too: the member whose request carries the poll leaving hands it over, the others keep every change', async () => {
    const feed = server.app.graphql.feedGateway;
    const streams = [];
    for (let i = 0; i < 3; i++) streams.push(await sse(server.authorization('admin'), LEAD_CHANGES));
    await until(() => server.app.graphql.subscriptions.active === 3, 'three subscriptions');
    await until(() => feed.stats.running === 1, 'the shared poll in flight');
    expect(server.app.graphql.subscriptions.feeds.polls).toBe(1);
    streams[0]!.close();
    await until(() => server.app.graphql.subscriptions.active === 2, 'one gone');
    await until(() => feed.stats.running === 1, 'the poll in flight again');
    const id = await createLead({ name: 'SHARE-03 lead' });
    for (const stream of streams.slice(1)) await until(() => changesOf(stream.results).some((c) => c.id === id), 'the change');
    expect(changesOf(streams[1]!.results).map((c) => c.id)).toEqual([id]);
  });

  it('SHARE-04 two callers never share: demo never receives what only admin sees (raw payloads)', async () => {
    const feed = server.app.graphql.feedGateway;
    const admin = await sse(server.authorization('admin'), LEAD_CHANGES);
    const demo = await sse(server.authorization('demo'), LEAD_CHANGES);
    await until(() => server.app.graphql.subscriptions.active === 2, 'two subscriptions');
    await until(() => feed.stats.running === 2, 'one poll per caller');
    expect(server.app.graphql.subscriptions.feeds.polls).toBe(2);
    const hidden = await createLead({ name: 'SHARE-04 hidden lead', user_id: await uid('admin') });
    const visible = await createLead({ name: 'SHARE-04 visible lead', user_id: await uid('demo') });
    await until(() => changesOf(demo.results).some((c) => c.id === visible), 'the visible lead at demo');
    await until(() => changesOf(admin.results).some((c) => c.id === hidden), 'the hidden lead at admin');
    expect(demo.text).not.toContain('SHARE-04 hidden');
    expect(changesOf(demo.results).map((c) => c.id)).not.toContain(hidden);
  });
});

describe('SharedFeeds: members of one poll', () => {
  const page = (from: number, count: number, cursor: string): ChangesPage => ({
    cursor,
    changes: Array.from({ length: count }, (_, i) => ({ op: 'updated' as const, id: from + i, record: { id: from + i } })),
    more: false,
  });

  it('SHARE-10 a slow member is ended with SLOW_CONSUMER alone; the others get every change; the last leaving aborts', async () => {
    const feeds = new SharedFeeds();
    const signals: AbortSignal[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const poll = async (since: string, _wait: number, signal: AbortSignal): Promise<ChangesPage> => {
      signals.push(signal);
      if (since === 'c0') return gate.then(() => page(1, 2, 'c1'));
      if (since === 'c1') return page(3, 2, 'c2');
      return new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new GatewayError('GATEWAY_ABORTED', 499, 'aborted'))),
      );
    };
    const reasons: string[] = [];
    const member = () =>
      new ChangeStream({
        cursor: 'c0',
        waitS: 1,
        queueSize: 3,
        poll,
        onEnd: (why) => reasons.push(why),
        share: { feeds, key: 'k' },
      });
    const [a, b, slow] = [member(), member(), member()];
    expect(feeds.polls).toBe(1);
    const read = async (stream: ChangeStream, count: number) => {
      const ids: number[] = [];
      for (let i = 0; i < count; i++) ids.push(((await stream.next()).value as { id: number }).id);
      return ids;
    };
    const reading = Promise.all([read(a, 4), read(b, 4)]);
    release();
    expect(await reading).toEqual([
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ]);
    const first = (await slow.next()).value as StreamItem;
    expect(isStreamError(first) && first.error.extensions.code).toBe('SLOW_CONSUMER');
    expect((await slow.next()).done).toBe(true);
    // One poll per position for the three (c0, c1, c2), the one in flight untouched by the slow one's end.
    expect(signals).toHaveLength(3);
    expect(signals.at(-1)!.aborted).toBe(false);
    await a.return();
    expect(signals.at(-1)!.aborted).toBe(false);
    await b.return();
    expect(signals.at(-1)!.aborted).toBe(true);
    expect(feeds.polls).toBe(0);
    expect(reasons.sort()).toEqual(['complete', 'complete', 'slow_consumer']);
  });

  it('SHARE-11 a member from another position polls on its own until it reaches the group, then shares its poll', async () => {
    const feeds = new SharedFeeds();
    const sinces: string[] = [];
    const poll = async (since: string, _wait: number, signal: AbortSignal): Promise<ChangesPage> => {
      sinces.push(since);
      if (since === 'c0') return page(1, 1, 'c1');
      return new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new GatewayError('GATEWAY_ABORTED', 499, 'aborted'))),
      );
    };
    const options = { waitS: 1, queueSize: 10, poll, onEnd: () => undefined, share: { feeds, key: 'k' } };
    const ahead = new ChangeStream({ ...options, cursor: 'c1' });
    const behind = new ChangeStream({ ...options, cursor: 'c0' });
    const event = (await behind.next()).value as { id: number; cursor: string };
    expect(event).toMatchObject({ id: 1, cursor: 'c1' });
    await until(() => feeds.polls === 1, 'the two groups merged');
    // c1 (ahead's, in flight), c0 (behind's catching up): then behind joined ahead's poll, none sent for it.
    expect(sinces.sort()).toEqual(['c0', 'c1']);
    const other = new ChangeStream({ ...options, poll, cursor: 'c1', share: { feeds, key: 'another caller' } });
    expect(feeds.polls).toBe(2);
    await Promise.all([ahead.return(), behind.return(), other.return()]);
    expect(feeds.polls).toBe(0);
  });
});
