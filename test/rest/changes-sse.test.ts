/**
 * Extension to the contract (issue 19, second slice): `GET /api/<slug>/changes` with
 * `Accept: text/event-stream`, the change feed as server-sent events, over real HTTP on loopback with
 * the embedded store: events arrive after writes with a cursor each, a client resumes with Last-Event-ID,
 * heartbeats, a client that stops reading is cut off with a bounded queue, a revoked key ends the stream,
 * a shutdown closes streams at once, and the caps (streams per user, waiters) refuse beyond them.
 */
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';

const CONFIG = {
  CHANGES_HEARTBEAT_S: 1,
  CHANGES_AUTH_CHECK_S: 1,
  CHANGES_STREAM_QUEUE: 4,
  CHANGES_STREAMS_PER_USER: 3,
  CHANGES_MAX_WAIT_S: 2,
};
const server = useServer(CONFIG);

const LEADS = '/api/crm_lead';

interface SseEvent {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
}

/** An event-stream reader over fetch (undici): the events as they arrive, parsed as the spec says. */
class EventReader {
  readonly events: SseEvent[] = [];
  #buffer = '';
  #waiters: (() => void)[] = [];
  ended = false;

  constructor(readonly response: Response) {
    void this.#pump();
  }

  async #pump(): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        this.#buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
          const block = this.#buffer.slice(0, end);
          this.#buffer = this.#buffer.slice(end + 2);
          const event: SseEvent = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) event.comment = line.slice(1).trim();
            else {
              const [name, ...rest] = line.split(':');
              const value = rest.join(':').replace(/^ /, '');
              if (name === 'event' || name === 'id' || name === 'data') event[name] = value;
            }
          }
          this.events.push(event);
          this.#wake();
        }
      }
    } catch {
      // aborted or cut: `ended` says so
    }
    this.ended = true;
    this.#wake();
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Waits until `predicate` holds of the events so far (or throws after `ms`). */
  async until(predicate: (events: SseEvent[]) => boolean, ms = 5000): Promise<SseEvent[]> {
    const deadline = Date.now() + ms;
    while (!predicate(this.events)) {
      if (this.ended) throw new Error(`the stream ended: ${JSON.stringify(this.events)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events;
  }

  async untilEnded(ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error(`the stream did not end: ${JSON.stringify(this.events)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  changes(): { op: string; id: number; record?: Record<string, any> }[] {
    return this.events.filter((e) => e.event === 'change').map((e) => JSON.parse(e.data!));
  }
}

async function open(
  on: TestServer,
  query = '',
  headers: Record<string, string> = {},
  authorization = on.authorization('admin'),
): Promise<{ reader: EventReader; abort: () => void; response: Response }> {
  const controller = new AbortController();
  const response = await fetch(`${on.url}${LEADS}/changes${query}`, {
    headers: { accept: 'text/event-stream', authorization, ...headers },
    signal: controller.signal,
  });
  return { reader: new EventReader(response), abort: () => controller.abort(), response };
}

async function createLead(values: Record<string, unknown>, on: TestServer = server): Promise<number> {
  const answer = await on.request('admin', 'POST', LEADS, values);
  expect(answer.status, answer.text).toBe(201);
  return answer.body.id as number;
}

describe('GET /api/<slug>/changes as server-sent events', () => {
  it('SSE-01 a stream: the start cursor, then an event per change with its cursor as id, in order', async () => {
    const { reader, abort, response } = await open(server, '?fields=name,expected_revenue');
    try {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      await reader.until((events) => events.some((e) => e.id !== undefined));
      expect(reader.events[0]).toMatchObject({ comment: expect.any(String), id: expect.stringMatching(/^[A-Za-z0-9_-]+$/) });
      const id = await createLead({ name: 'SSE one', expected_revenue: 10 });
      await server.request('admin', 'PATCH', `${LEADS}/${id}`, { expected_revenue: 20 });
      const other = await createLead({ name: 'SSE two' });
      await server.request('admin', 'DELETE', `${LEADS}/${other}`);
      await reader.until(() => reader.changes().some((c) => c.id === other && c.op === 'removed'));
      const mine = reader.changes().filter((c) => c.id === id);
      expect(mine[0]).toEqual({ op: 'created', id, record: { id, name: 'SSE one', expected_revenue: expect.any(Number) } });
      expect(mine.at(-1)!.record!.expected_revenue).toBe(20);
      for (const event of reader.events.filter((e) => e.event === 'change')) expect(event.id).toMatch(/^[A-Za-z0-9_-]+$/);
    } finally {
      abort();
    }
  });

  it('SSE-02 Last-Event-ID resumes after the last event seen: nothing lost, nothing repeated', async () => {
    const first = await open(server, '?fields=name');
    const a = await createLead({ name: 'SSE resume a' });
    await first.reader.until(() => first.reader.changes().some((c) => c.id === a));
    const lastId = first.reader.events.filter((e) => e.id !== undefined).at(-1)!.id!;
    first.abort();
    // While no one listens: two changes.
    const b = await createLead({ name: 'SSE resume b' });
    await server.request('admin', 'PATCH', `${LEADS}/${a}`, { name: 'SSE resume a2' });
    const second = await open(server, '?fields=name', { 'last-event-id': lastId });
    try {
      await second.reader.until(() => second.reader.changes().length >= 2);
      expect(second.reader.changes()).toEqual([
        { op: 'created', id: b, record: { id: b, name: 'SSE resume b' } },
        { op: 'updated', id: a, record: { id: a, name: 'SSE resume a2' } },
      ]);
    } finally {
      second.abort();
    }
    // `since` works as well, and a cursor that cannot be resumed is the JSON 400/410 before any stream.
    const bad = await fetch(`${server.url}${LEADS}/changes?since=nope`, {
      headers: { accept: 'text/event-stream', authorization: server.authorization('admin') },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await bad.json()).toEqual({ error: expect.stringMatching(/since/) });
    const foreign = Buffer.from('c1.someotherdb.1').toString('base64url');
    const gone = await fetch(`${server.url}${LEADS}/changes?since=${foreign}`, {
      headers: { accept: 'text/event-stream', authorization: server.authorization('admin') },
    });
    expect(gone.status).toBe(410);
    expect(await gone.json()).toEqual({ error: expect.stringMatching(/reload/) });
  });

  it('SSE-03 heartbeats while nothing happens', async () => {
    const { reader, abort } = await open(server);
    try {
      await reader.until((events) => events.filter((e) => e.comment === 'heartbeat').length >= 2, 4000);
    } finally {
      abort();
    }
  });

  it('SSE-04 a revoked API key ends the stream with event: error (401) within a few seconds', async () => {
    const key = server.backend.createApiKey('admin', 'sse revoke');
    const { reader } = await open(server, '', {}, `Bearer ${key}`);
    await reader.until((events) => events.length >= 1);
    const revokedAt = Date.now();
    expect(server.backend.revokeApiKey(key.slice(0, 8))).toBe(1);
    await reader.untilEnded(4000);
    expect(Date.now() - revokedAt).toBeLessThan(3000);
    const error = reader.events.find((e) => e.event === 'error');
    expect(JSON.parse(error!.data!)).toEqual({ status: 401, error: 'invalid or revoked API key' });
  });

  it('SSE-05 streams per user are capped (429), and a closed stream frees its place', async () => {
    const streams = await Promise.all([open(server), open(server), open(server)]);
    try {
      await Promise.all(streams.map((s) => s.reader.until((events) => events.length >= 1)));
      const refused = await fetch(`${server.url}${LEADS}/changes`, {
        headers: { accept: 'text/event-stream', authorization: server.authorization('admin') },
      });
      expect(refused.status).toBe(429);
      expect(await refused.json()).toEqual({ error: expect.stringMatching(/too many event streams/) });
      // Another user has places of his own.
      const demo = await open(server, '', {}, server.authorization('demo'));
      expect(demo.response.status).toBe(200);
      demo.abort();
      streams.pop()!.abort();
      let again: Awaited<ReturnType<typeof open>> | undefined;
      for (let i = 0; i < 50 && again?.response.status !== 200; i++) {
        again?.abort();
        await new Promise((resolve) => setTimeout(resolve, 20));
        again = await open(server);
      }
      expect(again!.response.status).toBe(200);
      again!.abort();
    } finally {
      for (const s of streams) s.abort();
    }
  });

  it('SSE-06 a client that stops reading is disconnected once its queue is full; memory stays bounded', async () => {
    const url = new URL(server.url);
    const socket: Socket = connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = 0;
    let text = '';
    let reading = false;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (text.length < 4096) text += chunk.toString('latin1');
      // Read the headers, then stop reading altogether (until the end of the test).
      if (!reading) socket.pause();
    });
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      `GET ${LEADS}/changes?fields=name,description HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\nAuthorization: ${server.authorization('admin')}\r\n\r\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    // Big records, many of them: far more than the socket buffers and the queue of 4 events hold.
    const description = 'x'.repeat(512 * 1024);
    const count = 60;
    for (let i = 0; i < count; i++) await createLead({ name: `SSE flood ${i}`, description });
    // The queue stays full for a heartbeat (1 s), then the server ends the stream and cuts the connection.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // Reading again: what was buffered, then the end; a live stream would never end (heartbeats).
    reading = true;
    socket.resume();
    await Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error('the stream was not ended')), 5000))]);
    expect(received).toBeLessThan(count * description.length);
  }, 30_000);
});

describe('server-sent events and shutdown', () => {
  it('SSE-07 closing the server ends its streams at once (they do not hold the shutdown)', async () => {
    const own = await startServer({ ...CONFIG, SHUTDOWN_GRACE_MS: 10_000 });
    const { reader } = await open(own);
    await reader.until((events) => events.length >= 1);
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await reader.untilEnded(2000);
  });

  it('SSE-08 streams count against CHANGES_MAX_WAITERS with long polls (503 beyond)', async () => {
    const own = await startServer({ ...CONFIG, CHANGES_MAX_WAITERS: 1 });
    try {
      const { reader, abort } = await open(own);
      await reader.until((events) => events.length >= 1);
      const refused = await fetch(`${own.url}${LEADS}/changes`, {
        headers: { accept: 'text/event-stream', authorization: own.authorization('admin') },
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      const cursor = (await own.request('admin', 'GET', `${LEADS}/changes`)).body.cursor as string;
      const poll = await own.request('admin', 'GET', `${LEADS}/changes?since=${cursor}&wait=1`);
      expect(poll.status).toBe(503);
      abort();
    } finally {
      await own.close();
    }
  });
});
