/**
 * Identical reads of one caller share one request while it is in flight (src/gateway/gateway-client.ts,
 * with the revalidation cache on): a write elsewhere changes every tag at once, and 32 GraphQL operations
 * of a dashboard would each read the same page in full. Only the same credentials share, and only while
 * nothing was committed since the shared read began (its `freshness` token); each caller's own
 * cancellation is its own; with the cache off, or no freshness token, every read is its own request.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { credentialsFrom } from '../../src/gateway/credentials.js';
import { GatewayClient, type GatewayRequest } from '../../src/gateway/gateway-client.js';
import { GatewayError } from '../../src/gateway/gateway-error.js';
import { json, startFakeGateway, type FakeGateway } from './fake-gateway.js';

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

/** A gateway answering every read after `delayMs`, with the request's own number in the body. */
async function slowGateway(delayMs: number): Promise<FakeGateway> {
  const gateway = await startFakeGateway(async (request, response) => {
    const number = gateway.requests.indexOf(request) + 1;
    await sleep(delayMs);
    json(response, 200, { number, authorization: request.headers.authorization ?? null, records: [{ id: 1 }] });
  });
  closers.push(() => gateway.close());
  return gateway;
}

/** The data's revision as the gateway client sees it (`freshness`): a test moves it to stand for a commit. */
let revision = 1;

function client(
  url: string,
  cacheBytes = 1024 * 1024,
  freshness: (() => string | undefined) | null = () => String(revision),
): GatewayClient {
  const gatewayClient = new GatewayClient({ url, cacheBytes, ...(freshness && { freshness }) });
  closers.push(() => gatewayClient.close());
  return gatewayClient;
}

const read = (key: string, signal?: AbortSignal): GatewayRequest => ({
  method: 'GET',
  path: '/api/sale_order',
  query: 'limit=80',
  credentials: credentialsFrom({ authorization: `Bearer ${key}` }),
  ...(signal && { signal }),
});

describe('identical reads in flight', () => {
  it('SR-01 one caller: one request for ten identical reads, one answer for all, frozen', async () => {
    const gateway = await slowGateway(100);
    const answers = await Promise.all(Array.from({ length: 10 }, () => client(gateway.url).request(read('a'))));
    // Ten clients: ten requests (nothing shared across clients).
    expect(gateway.requests).toHaveLength(10);
    const shared = client(gateway.url);
    const together = await Promise.all(Array.from({ length: 10 }, () => shared.request(read('a'))));
    expect(gateway.requests).toHaveLength(11);
    for (const answer of together) expect(answer.body).toEqual({ number: 11, authorization: 'Bearer a', records: [{ id: 1 }] });
    expect(Object.isFrozen(together[3]!.body)).toBe(true);
    expect(answers).toHaveLength(10);
    // Once answered, the next read is a request of its own.
    await shared.request(read('a'));
    expect(gateway.requests).toHaveLength(12);
  });

  it('SR-02 other credentials, another URL, or the cache off: requests of their own', async () => {
    const gateway = await slowGateway(100);
    const shared = client(gateway.url);
    const answers = await Promise.all([
      shared.request(read('a')),
      shared.request(read('b')),
      shared.request({ ...read('a'), query: 'limit=5' }),
    ]);
    expect(gateway.requests).toHaveLength(3);
    expect(answers.map((answer) => (answer.body as { authorization: string }).authorization)).toEqual(['Bearer a', 'Bearer b', 'Bearer a']);
    const uncached = client(gateway.url, 0);
    await Promise.all([uncached.request(read('a')), uncached.request(read('a'))]);
    expect(gateway.requests).toHaveLength(5);
    const unknownFreshness = client(gateway.url, 1024 * 1024, null);
    await Promise.all([unknownFreshness.request(read('a')), unknownFreshness.request(read('a'))]);
    expect(gateway.requests).toHaveLength(7);
  });

  it('SR-04 a read that begins after a commit never joins a read begun before it: it reads anew', async () => {
    const gateway = await slowGateway(100);
    const shared = client(gateway.url);
    const before = shared.request(read('a'));
    await sleep(20);
    revision += 1; // a write committed while the first read is in flight
    const after = shared.request(read('a'));
    const also = shared.request(read('a'));
    const answers = await Promise.all([before, after, also]);
    expect(gateway.requests).toHaveLength(2);
    expect(answers.map((answer) => (answer.body as { number: number }).number)).toEqual([1, 2, 2]);
  });

  it('SR-03 a caller that leaves stops waiting alone; the others get the answer, even when the one who asked first left', async () => {
    const gateway = await slowGateway(150);
    const shared = client(gateway.url);
    const first = new AbortController();
    const second = new AbortController();
    const leader = shared.request(read('a', first.signal)).catch((error: unknown) => error);
    const follower = shared.request(read('a', second.signal)).catch((error: unknown) => error);
    const stays = shared.request(read('a'));
    await sleep(30);
    first.abort();
    second.abort();
    expect(((await leader) as GatewayError).code).toBe('GATEWAY_ABORTED');
    expect(((await follower) as GatewayError).code).toBe('GATEWAY_ABORTED');
    // The one that stayed read anew once the first request was cancelled, and got its answer.
    expect((await stays).body).toMatchObject({ number: 2, authorization: 'Bearer a' });
    expect(gateway.requests).toHaveLength(2);
  });
});
