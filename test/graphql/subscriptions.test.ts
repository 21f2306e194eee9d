/**
 * GraphQL subscriptions (issue 19) over the REST change feed, with real clients over loopback: yoga's
 * GraphQL over SSE (a fetch reading `text/event-stream`) and `graphql-ws` (`createClient` on the `ws`
 * WebSocket), on the same port and path as queries. Events arrive after REST writes; demo never sees a
 * hidden lead; a revoked key ends a subscription with UNAUTHENTICATED; unsubscribing aborts the poll in
 * flight; the limits per connection and per caller, and the operation limits, apply; /metrics counts.
 */
import { ApolloClient, gql, InMemoryCache } from '@apollo/client/core/index.js';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions/index.js';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { GatewayError } from '../../src/gateway/gateway-error.js';
import type { ChangesPage } from '../../src/gateway/contract-types.js';
import { ChangeStream, isStreamError, type StreamItem } from '../../src/graphql/subscriptions.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { graphql, sessionCookie, until } from './graphql-client.js';

const WAIT_S = 2;
const server = useServer({
  GRAPHQL_SUBSCRIPTION_WAIT_S: WAIT_S,
  GRAPHQL_MAX_SUBSCRIPTIONS_PER_CONNECTION: 3,
  GRAPHQL_MAX_SUBSCRIPTIONS_PER_USER: 4,
});

const LEADS = '/api/crm_lead';
const LEAD_CHANGES =
  'subscription($domain: Domain, $since: String) { recordChanges(slug: "crm_lead", domain: $domain, fields: ["name", "user_id"], since: $since) { op id cursor record } }';

type Result = FormattedExecutionResult<Record<string, any>, unknown>;

/** A subscription over yoga's GraphQL over SSE: the raw text, the `next` payloads, whether it completed. */
class SseSubscription {
  text = '';
  readonly results: Result[] = [];
  completed = false;
  constructor(
    readonly response: Response,
    private readonly controller: AbortController,
  ) {
    void this.#pump();
  }
  async #pump(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        this.text += text;
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === 'next' && data) this.results.push(JSON.parse(data) as Result);
          if (event === 'complete') this.completed = true;
        }
      }
    } catch {
      // aborted
    }
    this.completed = true;
  }
  close(): void {
    this.controller.abort();
  }
}

const open: { close(): void }[] = [];
afterEach(async () => {
  for (const one of open.splice(0)) one.close();
  // Let the server see the clients go (their polls aborted) before the next test counts anything.
  await until(() => server.app.graphql.subscriptions.active === 0, 'every subscription to end');
});

async function sse(
  on: TestServer,
  authorization: string | null,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<SseSubscription> {
  const controller = new AbortController();
  const response = await fetch(`${on.url}/graphql`, {
    method: 'POST',
    signal: controller.signal,
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(authorization !== null && { authorization }),
      ...headers,
    },
    body: JSON.stringify({ query, ...(variables && { variables }) }),
  });
  const subscription = new SseSubscription(response, controller);
  open.push(subscription);
  return subscription;
}

/** A graphql-ws client on the server's /graphql, its close event kept. */
function wsClient(on: TestServer, connectionParams?: Record<string, unknown>, headers?: Record<string, string>) {
  const closed: { code?: number; reason?: string } = {};
  const client: Client = createClient({
    url: `${on.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    },
    ...(connectionParams && { connectionParams }),
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        Object.assign(closed, { code, reason: String(reason) });
      },
    },
  });
  open.push({ close: () => void client.dispose() });
  return { client, closed };
}

/** One subscription of a graphql-ws client: its results, whether it completed, and its unsubscribe. */
function wsSubscribe(client: Client, query: string, variables?: Record<string, unknown>) {
  const state = { results: [] as Result[], completed: false, error: undefined as unknown, unsubscribe: () => undefined as void };
  state.unsubscribe = client.subscribe<Record<string, any>>(
    { query, ...(variables && { variables }) },
    {
      next: (result) => void state.results.push(result),
      error: (error) => {
        state.error = error;
        state.completed = true;
      },
      complete: () => void (state.completed = true),
    },
  );
  return state;
}

async function createLead(values: Record<string, unknown>, as = 'admin'): Promise<number> {
  const answer = await server.request(as, 'POST', LEADS, values);
  expect(answer.status, answer.text).toBe(201);
  return answer.body.id as number;
}

async function uid(login: string): Promise<number> {
  const answer = await graphql(server, login, '{ me { uid } }');
  return answer.body.data!.me.uid as number;
}

const changesOf = (results: readonly Result[]) => results.filter((r) => r.data).map((r) => r.data!.recordChanges as Record<string, any>);
/** Waits until the feed has given the subscription its first poll (a cursor taken), so later writes are after it. */
const started = () => until(() => server.app.graphql.subscriptions.active > 0, 'the subscription to start');

describe('recordChanges over GraphQL over SSE', () => {
  it('SUB-01 created, updated, archived and deleted leads arrive in order, with the asked fields', async () => {
    const stream = await sse(server, server.authorization('admin'), LEAD_CHANGES, { domain: [['name', '=like', 'SUB-01 %']] });
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await started();
    const a = await createLead({ name: 'SUB-01 a' });
    const b = await createLead({ name: 'SUB-01 b' });
    await until(() => changesOf(stream.results).length >= 2, 'two created');
    expect((await server.request('admin', 'PUT', `${LEADS}/${a}`, { name: 'SUB-01 a2' })).status).toBe(200);
    await until(() => changesOf(stream.results).length >= 3, 'the update');
    expect((await server.request('admin', 'PUT', `${LEADS}/${a}`, { active: false })).status).toBe(200);
    await until(() => changesOf(stream.results).length >= 4, 'the archive');
    expect((await server.request('admin', 'DELETE', `${LEADS}/${b}`)).status).toBe(200);
    const changes = await until(() => (changesOf(stream.results).length >= 5 ? changesOf(stream.results) : undefined), 'the delete');
    expect(changes.map((c) => [c.op, c.id])).toEqual([
      ['CREATED', a],
      ['CREATED', b],
      ['UPDATED', a],
      ['REMOVED', a],
      ['REMOVED', b],
    ]);
    expect(changes[2]!.record).toEqual({ id: a, name: 'SUB-01 a2', user_id: { id: await uid('admin'), name: 'Mitchell Admin' } });
    expect(changes[3]!.record).toBeNull();
    for (const change of changes) expect(typeof change.cursor).toBe('string');
  });

  it('SUB-02 demo subscribed to every lead never receives a lead of another salesperson (raw payloads)', async () => {
    const stream = await sse(server, server.authorization('demo'), LEAD_CHANGES);
    await started();
    const hidden = await createLead({ name: 'SUB-02 hidden lead', user_id: await uid('admin') });
    await server.request('admin', 'PUT', `${LEADS}/${hidden}`, { name: 'SUB-02 hidden lead, renamed' });
    const visible = await createLead({ name: 'SUB-02 visible lead', user_id: await uid('demo') });
    await until(() => changesOf(stream.results).some((c) => c.id === visible), 'the visible lead');
    // Reassigned away from demo: removed from his view.
    await server.request('admin', 'PUT', `${LEADS}/${visible}`, { user_id: await uid('admin') });
    await until(() => changesOf(stream.results).some((c) => c.id === visible && c.op === 'REMOVED'), 'the reassigned lead removed');
    expect(stream.text).not.toContain('SUB-02 hidden');
    expect(changesOf(stream.results).map((c) => c.id)).not.toContain(hidden);
  });

  it('SUB-03 a revoked API key ends the subscription with UNAUTHENTICATED within one poll', async () => {
    const key = server.backend.createApiKey('admin', 'graphql subscription revoke');
    const stream = await sse(server, `Bearer ${key}`, LEAD_CHANGES);
    await started();
    expect(server.backend.revokeApiKey(key.slice(0, 8))).toBe(1);
    await until(() => stream.completed, 'the stream to end', (WAIT_S + 3) * 1000);
    expect(stream.results.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('SUB-04 without credentials, or with bad arguments, a subscription is refused with the codes of queries', async () => {
    const anonymous = await sse(server, null, LEAD_CHANGES);
    await until(() => anonymous.completed, 'the refusal');
    expect(anonymous.results[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const cases: [string, string][] = [
      ['subscription { recordChanges(slug: "no_such_model") { id } }', 'NOT_FOUND'],
      ['subscription { recordChanges(slug: "crm_lead", domain: "[(\'name\', \'~\', 1)]") { id } }', 'BAD_USER_INPUT'],
      ['subscription { recordChanges(slug: "crm_lead", fields: ["no_such_field"]) { id } }', 'BAD_USER_INPUT'],
      ['subscription { recordChanges(slug: "crm_lead", since: "") { id } }', 'BAD_USER_INPUT'],
    ];
    for (const [query, code] of cases) {
      const stream = await sse(server, server.authorization('admin'), query);
      await until(() => stream.completed, query);
      expect(stream.results[0]?.errors?.[0]?.extensions?.code, query).toBe(code);
    }
    // A variable the Domain scalar refuses: coded as in queries.
    const badVariable = await sse(server, server.authorization('admin'), LEAD_CHANGES, { domain: { not: 'a domain' } });
    await until(() => badVariable.completed, 'the bad variable');
    expect(badVariable.results[0]?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('SUB-05 a cursor the feed no longer knows ends the subscription with CURSOR_EXPIRED', async () => {
    const foreign = Buffer.from('c1.someOtherDbId.1').toString('base64url');
    const stream = await sse(server, server.authorization('admin'), LEAD_CHANGES, { since: foreign });
    await until(() => stream.completed, 'the end');
    expect(stream.results.at(-1)?.errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');
    expect(stream.results.at(-1)?.errors?.[0]?.message).toMatch(/without `since`/);
  });

  it('SUB-06 at most GRAPHQL_MAX_SUBSCRIPTIONS_PER_USER per caller: TOO_MANY_SUBSCRIPTIONS beyond', async () => {
    const streams = [];
    for (let i = 0; i < 4; i++) streams.push(await sse(server, server.authorization('demo'), LEAD_CHANGES));
    await until(() => server.app.graphql.subscriptions.active === 4, 'four subscriptions');
    const refused = await sse(server, server.authorization('demo'), LEAD_CHANGES);
    await until(() => refused.completed, 'the refusal');
    expect(refused.results[0]?.errors?.[0]?.extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    // Another caller is not counted with demo.
    const admin = await sse(server, server.authorization('admin'), LEAD_CHANGES);
    await until(() => server.app.graphql.subscriptions.active === 5, 'admin subscribed');
    expect(admin.completed).toBe(false);
    // One closed: room for one more.
    streams[0]!.close();
    await until(() => server.app.graphql.subscriptions.active === 4, 'one closed');
    const again = await sse(server, server.authorization('demo'), LEAD_CHANGES);
    await until(() => server.app.graphql.subscriptions.active === 5, 'subscribed again');
    expect(again.completed).toBe(false);
  });
});

describe('recordChanges over WebSocket (graphql-ws)', () => {
  it('SUB-10 events arrive after REST writes; a subscription resumes from a cursor without losing a change', async () => {
    const { client } = wsClient(server, { Authorization: server.authorization('admin') });
    const domain = [['name', '=like', 'SUB-10 %']];
    const first = wsSubscribe(client, LEAD_CHANGES, { domain });
    await started();
    const id = await createLead({ name: 'SUB-10 lead' });
    await until(() => changesOf(first.results).length >= 1, 'the created lead');
    const [created] = changesOf(first.results);
    expect(created).toMatchObject({ op: 'CREATED', id, record: { id, name: 'SUB-10 lead' } });
    first.unsubscribe();
    await until(() => server.app.graphql.subscriptions.active === 0, 'the unsubscription');
    // Written while nobody listens: the resumed subscription gets it.
    await server.request('admin', 'PUT', `${LEADS}/${id}`, { name: 'SUB-10 lead, renamed' });
    const second = wsSubscribe(client, LEAD_CHANGES, { domain, since: created!.cursor });
    const changes = await until(
      () => (changesOf(second.results).length >= 1 ? changesOf(second.results) : undefined),
      'the resumed change',
    );
    expect(changes[0]).toMatchObject({ op: 'UPDATED', id, record: { name: 'SUB-10 lead, renamed' } });
  });

  it('SUB-11 the Authorization header of the upgrade request or the session cookie authenticate too; none: closed with 4401', async () => {
    const byHeader = wsClient(server, undefined, { authorization: server.authorization('admin') });
    const one = wsSubscribe(byHeader.client, LEAD_CHANGES);
    await started();
    expect(one.completed).toBe(false);
    const anonymous = wsClient(server);
    const refused = wsSubscribe(anonymous.client, LEAD_CHANGES);
    await until(() => anonymous.closed.code, 'the close');
    expect(anonymous.closed.code).toBe(4401);
    expect(refused.results).toEqual([]);
  });

  it('SUB-12 a revoked key ends a WebSocket subscription with UNAUTHENTICATED', async () => {
    const key = server.backend.createApiKey('admin', 'graphql ws revoke');
    const { client } = wsClient(server, { Authorization: `Bearer ${key}` });
    const subscription = wsSubscribe(client, LEAD_CHANGES);
    await started();
    server.backend.revokeApiKey(key.slice(0, 8));
    await until(() => subscription.completed, 'the end', (WAIT_S + 3) * 1000);
    expect(subscription.results.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('SUB-13 unsubscribing aborts the poll in flight at once, and no poll follows', async () => {
    const feed = server.app.graphql.feedGateway;
    const { client } = wsClient(server, { Authorization: server.authorization('admin') });
    const subscription = wsSubscribe(client, LEAD_CHANGES);
    await until(() => feed.stats.running > 0, 'a long poll in flight');
    subscription.unsubscribe();
    // The poll waits WAIT_S seconds on the server: gone well before, since it was aborted.
    await until(() => feed.stats.running === 0 && server.app.graphql.subscriptions.active === 0, 'the poll aborted', 500);
    const count = feed.requestCount;
    await new Promise((resolve) => setTimeout(resolve, WAIT_S * 1000 + 500));
    expect(feed.requestCount).toBe(count);
  });

  it('SUB-14 at most GRAPHQL_MAX_SUBSCRIPTIONS_PER_CONNECTION per connection; /metrics counts them', async () => {
    const { client } = wsClient(server, { Authorization: server.authorization('admin') });
    const subscriptions = [0, 1, 2].map(() => wsSubscribe(client, LEAD_CHANGES));
    await until(() => server.app.graphql.subscriptions.active === 3, 'three subscriptions');
    const refused = wsSubscribe(client, LEAD_CHANGES);
    await until(() => refused.completed, 'the refusal');
    expect(refused.results[0]?.errors?.[0]?.extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    const metrics = (await server.request(null, 'GET', '/metrics')).text;
    expect(metrics).toMatch(/graphql_subscriptions_active\{transport="ws"\} 3/);
    expect(metrics).toMatch(/graphql_subscriptions_refused_total\{limit="connection"\} 1/);
    for (const one of subscriptions) one.unsubscribe();
    await until(() => server.app.graphql.subscriptions.active === 0, 'all closed');
    expect((await server.request(null, 'GET', '/metrics')).text).toMatch(/graphql_subscriptions_active\{transport="ws"\} 0/);
  });

  it('SUB-15 the operation limits apply on the WebSocket path: aliases, tokens and cost', async () => {
    const { client } = wsClient(server, { Authorization: server.authorization('admin') });
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: op`).join(' ');
    const tooManyAliases = wsSubscribe(client, `subscription { recordChanges(slug: "crm_lead") { ${aliases} } }`);
    await until(() => tooManyAliases.completed, 'the refusal');
    expect(JSON.stringify(tooManyAliases.error ?? tooManyAliases.results)).toMatch(/GRAPHQL_VALIDATION_FAILED|aliases/i);
    // graphql-armor's token limit, counted while parsing (a document of over 1000 tokens).
    const tooLong = wsSubscribe(client, `subscription { recordChanges(slug: "crm_lead") { ${'id '.repeat(1001)} } }`);
    await until(() => tooLong.completed, 'the refusal');
    expect(JSON.stringify(tooLong.error ?? tooLong.results)).toMatch(/GRAPHQL_PARSE_FAILED.*|Token limit/);
    expect(server.app.graphql.subscriptions.active).toBe(0);

    const small = await startServer({ GRAPHQL_MAX_COST: 5 });
    try {
      const costly = wsClient(small, { Authorization: small.authorization('admin') });
      const ops = Array.from({ length: 10 }, (_, i) => `o${i}: op`).join(' ');
      const refused = wsSubscribe(costly.client, `subscription { recordChanges(slug: "crm_lead") { ${ops} } }`);
      await until(() => refused.completed, 'the refusal');
      expect(refused.results[0]?.errors?.[0]?.extensions?.code).toBe('COST_LIMIT_EXCEEDED');
      expect(small.app.graphql.subscriptions.active).toBe(0);
      await costly.client.dispose();
    } finally {
      await small.close();
    }
  });
});

describe('subscriptions: clients, sessions, instances, shutdown', () => {
  it("SUB-30 Apollo Client's GraphQLWsLink subscribes to crm_lead and gets the changes of another client's writes", async () => {
    const wsLink = new GraphQLWsLink(
      createClient({
        url: `${server.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { Authorization: server.authorization('admin') },
      }),
    );
    const apollo = new ApolloClient({ link: wsLink, cache: new InMemoryCache() });
    const seen: Record<string, any>[] = [];
    const subscription = apollo
      .subscribe({
        query: gql`
          subscription ($domain: Domain) {
            crmLeadChanges(domain: $domain) {
              op
              id
              record {
                id
                name
              }
            }
          }
        `,
        variables: { domain: [['name', '=like', 'SUB-30 %']] },
      })
      .subscribe({
        next: (result) => void seen.push(result.data!.crmLeadChanges as Record<string, any>),
        error: (error: unknown) => void seen.push({ error: String(error) }),
      });
    open.push({ close: () => subscription.unsubscribe() });
    open.push({ close: () => apollo.stop() });
    await started();
    const id = await createLead({ name: 'SUB-30 apollo' });
    // Waited for: the feed coalesces changes of one record between two polls (created then deleted: removed).
    await until(() => seen.length >= 1, 'the created lead');
    await server.request('admin', 'DELETE', `${LEADS}/${id}`);
    await until(() => seen.length >= 2, 'two changes').catch((error: unknown) => {
      throw new Error(`${String(error)}: ${JSON.stringify(seen)}`);
    });
    expect(seen.map((c) => [c.op, c.id, c.record?.name ?? null])).toEqual([
      ['CREATED', id, 'SUB-30 apollo'],
      ['REMOVED', id, null],
    ]);
    // Apollo normalises the typed record by __typename and id.
    expect(seen[0]!.record.__typename).toBe('CrmLead');
  });

  it('SUB-31 a session cookie authenticates a WebSocket from the same site; one sent by a page of another site is ignored', async () => {
    const cookie = await sessionCookie(server, 'demo');
    const sameSite = wsClient(server, undefined, { cookie, origin: server.url });
    const ok = wsSubscribe(sameSite.client, LEAD_CHANGES);
    await started();
    expect(ok.completed).toBe(false);
    const crossSite = wsClient(server, undefined, { cookie, origin: 'https://evil.example' });
    wsSubscribe(crossSite.client, LEAD_CHANGES);
    await until(() => crossSite.closed.code, 'the close');
    expect(crossSite.closed.code).toBe(4401);
  });

  it('SUB-32 two instances on one DATA_DIR: a write through one reaches a subscriber of the other', async () => {
    const other = await startServer({ DATA_DIR: server.dataDir, GRAPHQL_SUBSCRIPTION_WAIT_S: WAIT_S });
    try {
      const { client } = wsClient(other, { Authorization: server.authorization('admin') });
      const subscription = wsSubscribe(client, LEAD_CHANGES, { domain: [['name', '=like', 'SUB-32 %']] });
      await until(() => other.app.graphql.subscriptions.active > 0, 'the subscription');
      const id = await createLead({ name: 'SUB-32 from the first instance' });
      await until(() => changesOf(subscription.results).length >= 1, 'the change on the other instance', (WAIT_S + 4) * 1000);
      expect(changesOf(subscription.results)[0]).toMatchObject({ op: 'CREATED', id });
      await client.dispose();
    } finally {
      await other.close();
    }
  });

  it('SUB-33 closing the server closes its WebSockets (1001) and SSE subscriptions at once', async () => {
    const own = await startServer({ GRAPHQL_SUBSCRIPTION_WAIT_S: 20 });
    const { client, closed } = wsClient(own, { Authorization: own.authorization('admin') });
    wsSubscribe(client, LEAD_CHANGES);
    const stream = await sse(own, own.authorization('admin'), LEAD_CHANGES);
    await until(() => own.app.graphql.subscriptions.active === 2, 'two subscriptions');
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(5000);
    await until(() => closed.code, 'the close');
    expect(closed.code).toBe(1001);
    await until(() => stream.completed, 'the SSE stream to end');
    await until(() => own.app.graphql.subscriptions.active === 0, 'every subscription ended', 2000);
  });
});

describe('typed subscriptions: crmLeadChanges', () => {
  const TYPED =
    'subscription($domain: Domain) { crmLeadChanges(domain: $domain) { op id cursor record { id name expected_revenue type stageRecord { name } } } }';

  it('SUB-16 gives typed records, the feed asked only the fields the selection needs, relations read as the event comes', async () => {
    const feed = server.app.graphql.feedGateway;
    const queries: string[] = [];
    const request = feed.request.bind(feed);
    feed.request = (one) => {
      queries.push(one.query ?? '');
      return request(one);
    };
    try {
      const { client } = wsClient(server, { Authorization: server.authorization('admin') });
      const subscription = wsSubscribe(client, TYPED, { domain: [['name', '=like', 'SUB-16 %']] });
      await started();
      const id = await createLead({ name: 'SUB-16 typed', expected_revenue: 1234.5 });
      await until(() => subscription.results.length >= 1, 'the typed change');
      const stage = (await server.request('admin', 'GET', '/api/crm_stage?fields=name&limit=2')).body.results[1];
      await server.request('admin', 'PUT', `${LEADS}/${id}`, { stage_id: stage.id });
      await until(() => subscription.results.length >= 2, 'the stage change');
      const [created, moved] = subscription.results.map((r) => r.data!.crmLeadChanges as Record<string, any>);
      expect(created).toMatchObject({
        op: 'CREATED',
        id,
        record: { id, name: 'SUB-16 typed', expected_revenue: 1234.5, type: 'opportunity' },
      });
      expect(moved).toMatchObject({ op: 'UPDATED', id, record: { stageRecord: { name: stage.name } } });
      expect(subscription.results.every((r) => r.errors === undefined)).toBe(true);
      const fields = queries.map((q) => new URLSearchParams(q).get('fields'));
      expect(new Set(fields)).toEqual(new Set(['expected_revenue,name,stage_id,type']));
    } finally {
      delete (feed as { request?: unknown }).request;
    }
  });

  it('SUB-17 an over-deep typed subscription is refused before anything is polled', async () => {
    const { client } = wsClient(server, { Authorization: server.authorization('admin') });
    const count = server.app.graphql.feedGateway.requestCount;
    const deep = wsSubscribe(
      client,
      'subscription { crmLeadChanges { record { companyRecord { partnerRecord { companyRecord { partnerRecord { companyRecord { partnerRecord { companyRecord { id } } } } } } } } } }',
    );
    await until(() => deep.completed, 'the refusal');
    expect(JSON.stringify(deep.error ?? deep.results)).toMatch(/GRAPHQL_VALIDATION_FAILED/);
    expect(JSON.stringify(deep.error ?? deep.results)).toMatch(/depth/i);
    expect(server.app.graphql.feedGateway.requestCount).toBe(count);
  });

  it('SUB-18 demo gets no typed change of a hidden lead, over SSE (raw payloads)', async () => {
    const stream = await sse(server, server.authorization('demo'), TYPED);
    await started();
    await createLead({ name: 'SUB-18 hidden', user_id: await uid('admin') });
    const visible = await createLead({ name: 'SUB-18 visible', user_id: await uid('demo') });
    await until(() => stream.results.some((r) => r.data?.crmLeadChanges?.id === visible), 'the visible lead');
    expect(stream.text).not.toContain('SUB-18 hidden');
  });
});

describe('ChangeStream', () => {
  const page = (changes: number, cursor: string): ChangesPage => ({
    cursor,
    changes: Array.from({ length: changes }, (_, i) => ({ op: 'updated' as const, id: i + 1, record: { id: i + 1 } })),
    more: false,
  });

  it('SUB-20 a subscriber that reads slower than changes come is ended with SLOW_CONSUMER, the queue bounded', async () => {
    let reason = '';
    const stream = new ChangeStream({
      cursor: 'c0',
      waitS: 1,
      queueSize: 3,
      poll: () => Promise.resolve(page(5, 'c1')),
      onEnd: (why) => (reason = why),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const item = (await stream.next()).value as StreamItem;
    expect(isStreamError(item) && item.error.extensions.code).toBe('SLOW_CONSUMER');
    expect((await stream.next()).done).toBe(true);
    expect(reason).toBe('slow_consumer');
  });

  it('SUB-21 each change carries a cursor to resume from without losing one; return() aborts the poll', async () => {
    const signals: AbortSignal[] = [];
    let calls = 0;
    const stream = new ChangeStream({
      cursor: 'c0',
      waitS: 1,
      queueSize: 100,
      poll: (_since, _wait, signal) => {
        signals.push(signal);
        if (calls++ === 0) return Promise.resolve(page(2, 'c1'));
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(new GatewayError('GATEWAY_ABORTED', 499, 'aborted'))),
        );
      },
      onEnd: () => undefined,
    });
    const cursors = [(await stream.next()).value, (await stream.next()).value].map((item) => (item as { cursor: string }).cursor);
    expect(cursors).toEqual(['c0', 'c1']);
    await stream.return();
    expect(signals.at(-1)!.aborted).toBe(true);
  });
});
