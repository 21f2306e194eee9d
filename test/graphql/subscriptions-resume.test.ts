/**
 * Resuming a GraphQL subscription (issue 19: "a cursor resumes after a disconnect without losing or
 * repeating a change"), with real clients over loopback: `graphql-ws` (generic `recordChanges` and typed
 * `crmLeadChanges`) and yoga's GraphQL over SSE. The feed answers several changes in one poll (the records
 * are written before the subscription starts from a cursor taken earlier, so they land in one batch); the
 * client takes a few events, disconnects mid-batch, more is written, and a subscription from the last
 * event's cursor gets exactly the changes not received: none repeated, none lost. Each event carries the
 * cursor right after its change (the embedded store's cursor per change, `GET /api/<slug>/changes`);
 * without one (BACKEND=odoo) the cursor before its batch, as the ChangeStream cases show.
 */
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ChangesPage } from '../../src/gateway/contract-types.js';
import { ChangeStream, type RecordChangeEvent } from '../../src/graphql/subscriptions.js';
import { useServer } from '../helpers/use-server.js';
import { until } from './graphql-client.js';

/** `until`, with this suite's longer wait. */
const waitFor = <T>(read: () => T | undefined | false, what: string, ms = 8000): Promise<T> => until(read, what, ms);

const WAIT_S = 2;
const server = useServer({ GRAPHQL_SUBSCRIPTION_WAIT_S: WAIT_S });

const LEADS = '/api/crm_lead';
const GENERIC =
  'subscription($domain: Domain, $since: String) { recordChanges(slug: "crm_lead", domain: $domain, fields: ["name"], since: $since) { op id cursor record } }';
const TYPED =
  'subscription($domain: Domain, $since: String) { crmLeadChanges(domain: $domain, since: $since) { op id cursor record { id name } } }';

type Result = FormattedExecutionResult<Record<string, any>, unknown>;
interface Event {
  op: string;
  id: number;
  cursor: string;
  name: string | null;
}

/** One subscription as a client sees it: the events it processed, and its disconnect. */
interface Subscribed {
  readonly events: Event[];
  readonly errors: unknown[];
  close(): void;
}

function eventOf(result: Result, field: string): Event | undefined {
  const change = result.data?.[field] as Record<string, any> | undefined;
  if (!change) return undefined;
  return { op: change.op, id: change.id, cursor: change.cursor, name: (change.record?.name as string | undefined) ?? null };
}

/** A graphql-ws subscription that stops taking events (and disconnects) after `keep` of them. */
function overWs(query: string, field: string, variables: Record<string, unknown>, keep = Infinity): Subscribed {
  const client: Client = createClient({
    url: `${server.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: server.authorization('admin') },
    retryAttempts: 0,
  });
  const state: Subscribed = {
    events: [],
    errors: [],
    close: () => void client.dispose(),
  };
  client.subscribe<Record<string, any>>(
    { query, variables },
    {
      next: (result) => {
        if (state.events.length >= keep) return;
        const event = eventOf(result, field);
        if (event) state.events.push(event);
        else state.errors.push(result.errors);
        // The connection drops right after the event: the rest of the batch, in flight, is never processed.
        if (state.events.length === keep) state.close();
      },
      error: (error) => void state.errors.push(error),
      complete: () => undefined,
    },
  );
  return state;
}

/** The same over yoga's GraphQL over SSE (a fetch reading `text/event-stream`), aborted after `keep` events. */
function overSse(query: string, field: string, variables: Record<string, unknown>, keep = Infinity): Subscribed {
  const controller = new AbortController();
  const state: Subscribed = { events: [], errors: [], close: () => controller.abort() };
  void (async () => {
    try {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        signal: controller.signal,
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: server.authorization('admin') },
        body: JSON.stringify({ query, variables }),
      });
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (/^event: next$/m.test(block) && data && state.events.length < keep) {
            const result = JSON.parse(data) as Result;
            const event = eventOf(result, field);
            if (event) state.events.push(event);
            else state.errors.push(result.errors);
            if (state.events.length === keep) state.close();
          }
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) state.errors.push(error);
    }
  })();
  return state;
}

async function currentCursor(): Promise<string> {
  const answer = await server.request('admin', 'GET', `${LEADS}/changes`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body.cursor as string;
}

async function createLead(name: string): Promise<number> {
  const answer = await server.request('admin', 'POST', LEADS, { name });
  expect(answer.status, answer.text).toBe(201);
  return answer.body.id as number;
}

/** Until every subscription of the server has ended (the client's disconnect seen, its poll aborted). */
const allClosed = () => waitFor(() => server.app.graphql.subscriptions.active === 0, 'every subscription to end');

type Open = (query: string, field: string, variables: Record<string, unknown>, keep?: number) => Subscribed;

/**
 * The scenario: 5 leads written, a subscription from before them takes 2 events of that one batch and
 * disconnects; 3 leads written at once and the first lead renamed meanwhile; a subscription from the last
 * event's cursor gets the 3 not received, the 3 new and the rename (one batch again), takes 4 and
 * disconnects; a third from its last cursor gets exactly the last 3. Then nothing more comes.
 */
async function resumeScenario(open: Open, query: string, field: string, tag: string): Promise<void> {
  const domain = [['name', '=like', `${tag} %`]];
  const since = await currentCursor();
  const first: number[] = [];
  for (let i = 0; i < 5; i++) first.push(await createLead(`${tag} ${i}`));

  const one = open(query, field, { domain, since }, 2);
  await waitFor(() => one.events.length === 2 || one.errors.length > 0, 'two events');
  expect(one.errors).toEqual([]);
  expect(one.events.map((e) => [e.op, e.id])).toEqual([
    ['CREATED', first[0]],
    ['CREATED', first[1]],
  ]);
  // The event's cursor is right after its change, not the one before its batch (a resume would repeat it).
  expect(one.events[1]!.cursor).not.toBe(since);
  expect(one.events[0]!.cursor).not.toBe(one.events[1]!.cursor);
  await allClosed();

  // Written while nobody listens: several at once, and a change to a lead already received.
  const later = await Promise.all([0, 1, 2].map((i) => createLead(`${tag} later ${i}`)));
  expect((await server.request('admin', 'PATCH', `${LEADS}/${first[0]}`, { name: `${tag} 0 renamed` })).status).toBe(200);

  const two = open(query, field, { domain, since: one.events.at(-1)!.cursor }, 4);
  await waitFor(() => two.events.length === 4 || two.errors.length > 0, 'four events');
  expect(two.errors).toEqual([]);
  await allClosed();
  const three = open(query, field, { domain, since: two.events.at(-1)!.cursor });
  await waitFor(() => three.events.length >= 3 || three.errors.length > 0, 'the last three events');
  // Nothing more: no change repeated after the last one (the next poll, held WAIT_S, answers nothing).
  await new Promise((resolve) => setTimeout(resolve, 500));
  three.close();
  expect(three.errors).toEqual([]);
  await allClosed();

  const resumed = [...two.events, ...three.events];
  expect(resumed.map((e) => [e.op, e.id])).toEqual([
    ['CREATED', first[2]],
    ['CREATED', first[3]],
    ['CREATED', first[4]],
    // The three written at once, in the order they were committed.
    ...resumed.slice(3, 6).map((e) => ['CREATED', e.id]),
    ['UPDATED', first[0]],
  ]);
  expect(new Set(resumed.slice(3, 6).map((e) => e.id))).toEqual(new Set(later));
  expect(resumed.at(-1)!.name).toBe(`${tag} 0 renamed`);
  // None lost, none repeated: every lead once as created, the renamed one once more as updated.
  const all = [...one.events, ...resumed];
  expect(
    all
      .filter((e) => e.op === 'CREATED')
      .map((e) => e.id)
      .sort((a, b) => a - b),
  ).toEqual([...first, ...later].sort((a, b) => a - b));
  expect(new Set(all.map((e) => e.cursor)).size).toBe(all.length);
}

describe('a subscription resumes from the cursor of its last event, mid-batch, nothing lost or repeated', () => {
  it('SUB-40 over WebSocket (graphql-ws), recordChanges', async () => {
    await resumeScenario(overWs, GENERIC, 'recordChanges', 'SUB-40');
  });

  it('SUB-41 over WebSocket (graphql-ws), the typed crmLeadChanges', async () => {
    await resumeScenario(overWs, TYPED, 'crmLeadChanges', 'SUB-41');
  });

  it('SUB-42 over GraphQL over SSE, recordChanges', async () => {
    await resumeScenario(overSse, GENERIC, 'recordChanges', 'SUB-42');
  });
});

describe('ChangeStream: the cursor each event carries', () => {
  const stream = (page: ChangesPage) =>
    new ChangeStream({
      cursor: 'c0',
      waitS: 1,
      queueSize: 100,
      poll: (since, _wait, signal) =>
        since === 'c0' ? Promise.resolve(page) : new Promise((resolve) => signal.addEventListener('abort', () => resolve(page))),
      onEnd: () => undefined,
    });
  const cursors = async (changes: ChangeStream, count: number) => {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(((await changes.next()).value as RecordChangeEvent).cursor);
    await changes.return();
    return out;
  };

  it("SUB-43 the feed's cursor per change when it tells one (the embedded store): exactly after each change", async () => {
    const changes = [1, 2, 3].map((id) => ({ op: 'created' as const, id, record: { id }, cursor: `r${id}` }));
    expect(await cursors(stream({ cursor: 'c1', changes, more: false }), 3)).toEqual(['r1', 'r2', 'c1']);
  });

  it('SUB-44 without one (BACKEND=odoo): before the batch, and the last change the answer cursor; an empty one is ignored', async () => {
    const changes = [1, 2, 3].map((id) => ({ op: 'updated' as const, id, record: { id }, ...(id === 2 && { cursor: '' }) }));
    expect(await cursors(stream({ cursor: 'c1', changes, more: false }), 3)).toEqual(['c0', 'c0', 'c1']);
  });
});
