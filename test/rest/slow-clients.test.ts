/**
 * Slow and oversized clients (issue 13, items 5 and 14), over raw sockets and real HTTP clients on
 * loopback:
 * - a connection trickling its headers or its body gets a 408 in the contract's `{"error"}` shape and is
 *   closed once HEADERS_TIMEOUT_MS / REQUEST_TIMEOUT_MS are over; an idle keep-alive connection is closed
 *   after KEEP_ALIVE_TIMEOUT_MS; a GraphQL operation that takes longer than all of them still works (the
 *   timeouts bound receiving a request, not answering it);
 * - a body above BODY_LIMIT gets its 413 with every client, also those that keep sending the body while
 *   the answer comes (Node's fetch, undici's request, http.request): the server reads and discards the
 *   rest for a bounded time and number of bytes before it closes (a lingering close), instead of closing
 *   at once and resetting a connection the client is still writing to.
 */
import { rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { json, startFakeGateway, type FakeGateway } from '../gateway/fake-gateway.js';
import { freshDataDir, type TestServer } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { spawnServer, type SpawnedServer } from '../helpers/spawn-server.js';
import { sqlCount } from './support.js';

const HEADERS_TIMEOUT_MS = 300;
const REQUEST_TIMEOUT_MS = 800;
const KEEP_ALIVE_TIMEOUT_MS = 300;
/** Node closes an idle keep-alive socket a second after `keepAliveTimeout`; its timeout checks run every interval. */
const SLACK_MS = 2_500;

interface RawOutcome {
  /** Everything the server sent. */
  readonly text: string;
  /** Milliseconds from connecting until the server closed the connection; undefined if it was still open at the guard. */
  readonly closedAfterMs: number | undefined;
}

/**
 * Opens a raw TCP connection, lets `drive` write to it, and waits until the server closes it or `guardMs`
 * pass (then the test side closes it and reports it as still open). `halfOpen`: the client goes on sending
 * after the server's FIN, as a client still uploading does (a plain socket would end its side at once).
 */
function rawConnection(url: string, drive: (socket: Socket) => void, guardMs: number, halfOpen = false): Promise<RawOutcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ port: Number(port), host: hostname, allowHalfOpen: halfOpen });
    const started = Date.now();
    let text = '';
    let closedAfterMs: number | undefined;
    const guard = setTimeout(() => socket.destroy(), guardMs);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    // Without halfOpen, the server's FIN closes the connection; with it, only a reset (writing into a
    // connection the server has closed) tells.
    if (!halfOpen) {
      socket.on('end', () => {
        closedAfterMs ??= Date.now() - started;
      });
    }
    socket.on('error', () => {
      closedAfterMs ??= Date.now() - started;
    });
    socket.on('close', () => {
      clearTimeout(guard);
      resolve({ text, closedAfterMs });
    });
    socket.on('connect', () => drive(socket));
  });
}

/**
 * Milliseconds from the in-process server's first connection until it has none left (so a test sees when
 * the server, not the client, let go), or undefined if that takes longer than `guardMs`.
 */
async function connectionsGone(server: TestServer, guardMs: number): Promise<number | undefined> {
  const count = () => new Promise<number>((resolve) => server.app.server.server.getConnections((_error, n) => resolve(n)));
  const deadline = Date.now() + guardMs;
  while ((await count()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  const started = Date.now();
  while (Date.now() < deadline) {
    if ((await count()) === 0) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}

/** Writes `piece()` every `everyMs` while the connection is open. */
function trickle(socket: Socket, piece: () => string, everyMs = 50): void {
  const timer = setInterval(() => {
    if (socket.destroyed || !socket.writable) clearInterval(timer);
    else socket.write(piece());
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

function statusLine(text: string): string {
  return text.split('\r\n')[0] ?? '';
}

function bodyOf(text: string): unknown {
  const at = text.indexOf('\r\n\r\n');
  return at < 0 ? undefined : JSON.parse(text.slice(at + 4));
}

describe('slow clients: header, request and keep-alive timeouts', () => {
  const server = useServer({ HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS });
  beforeAll(() => {
    server.key('admin');
  });

  it('SC-01 headers trickled one line every 50 ms: 408 {"error"} and closed after HEADERS_TIMEOUT_MS', async () => {
    const outcome = await rawConnection(
      server.url,
      (socket) => {
        socket.write('GET /api/health HTTP/1.1\r\nHost: localhost\r\n');
        let n = 0;
        trickle(socket, () => `X-Slow-${n++}: still coming\r\n`);
      },
      10_000,
    );
    expect(statusLine(outcome.text)).toBe('HTTP/1.1 408 Request Timeout');
    expect(outcome.text).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
    expect(bodyOf(outcome.text)).toEqual({ error: expect.stringMatching(/timed out/) });
    expect(outcome.closedAfterMs).toBeDefined();
    expect(outcome.closedAfterMs!).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(outcome.closedAfterMs!).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
  });

  it('SC-02 a connection that sends nothing is closed after HEADERS_TIMEOUT_MS', async () => {
    const outcome = await rawConnection(server.url, () => undefined, 10_000);
    expect(outcome.closedAfterMs).toBeDefined();
    expect(outcome.closedAfterMs!).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
  });

  it('SC-03 a body trickled one byte every 50 ms: 408 {"error"}, closed after REQUEST_TIMEOUT_MS, nothing created', async () => {
    const leads = sqlCount(server, 'SELECT id FROM crm_lead');
    const body = JSON.stringify({ name: 'trickled lead', description: 'x'.repeat(200) });
    const outcome = await rawConnection(
      server.url,
      (socket) => {
        socket.write(
          `POST /api/crm_lead HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${server.authorization('admin')}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        let at = 0;
        trickle(socket, () => body[at++] ?? '');
      },
      10_000,
    );
    expect(statusLine(outcome.text)).toBe('HTTP/1.1 408 Request Timeout');
    expect(bodyOf(outcome.text)).toEqual({ error: expect.stringMatching(/timed out/) });
    expect(outcome.closedAfterMs!).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(outcome.closedAfterMs!).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
    expect(sqlCount(server, 'SELECT id FROM crm_lead')).toBe(leads);
  });

  it('SC-04 an idle keep-alive connection is closed after KEEP_ALIVE_TIMEOUT_MS, its answer having said so', async () => {
    const outcome = await rawConnection(
      server.url,
      (socket) => {
        socket.write('GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n');
      },
      10_000,
    );
    expect(statusLine(outcome.text)).toBe('HTTP/1.1 200 OK');
    expect(outcome.text).toMatch(/\r\nkeep-alive: timeout=0\r\n/i);
    expect(outcome.closedAfterMs).toBeDefined();
    expect(outcome.closedAfterMs!).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + SLACK_MS);
  });

  it('SC-05 the server is still serving after all that', async () => {
    expect((await server.request(null, 'GET', '/api/health')).body).toEqual({ status: 'ok' });
  });

  it('SC-06 the GraphQL face works across idle gaps longer than the keep-alive timeout (its gateway never reuses a socket the server closed)', async () => {
    for (let i = 0; i < 4; i++) {
      const response = await server.request('admin', 'POST', '/graphql', {
        query: 'mutation($v: JSONObject!) { createRecord(slug: "crm_lead", values: $v) { id } }',
        variables: { v: { name: `gap ${i}` } },
      });
      expect(response.body.errors, response.text).toBeUndefined();
      expect(response.body.data.createRecord.id).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, KEEP_ALIVE_TIMEOUT_MS + 1_000 + i * 150));
    }
  }, 20_000);
});

describe('a legitimate operation longer than every timeout', () => {
  let gateway: FakeGateway;
  const ANSWER_MS = 2_000;
  beforeAll(async () => {
    gateway = await startFakeGateway(async (_request, response) => {
      await new Promise((resolve) => setTimeout(resolve, ANSWER_MS));
      json(response, 200, { count: 0, total: 7, limit: 80, offset: 0, results: [] });
    });
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
    await gateway?.close();
  });
  const server = useServer(() => ({ HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, GATEWAY_URL: gateway.url }));

  it('SC-07 a GraphQL operation of two seconds (a slow gateway) is answered, over fetch and over a raw keep-alive socket', async () => {
    const started = Date.now();
    const response = await server.request(
      null,
      'POST',
      '/graphql',
      { query: '{ records(slug: "sale_order") { total } }' },
      { authorization: 'Bearer k' },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(ANSWER_MS - 50);
    expect([response.status, response.body]).toEqual([200, { data: { records: { total: 7 } } }]);

    const body = JSON.stringify({ query: '{ records(slug: "crm_lead") { total } }' });
    const outcome = await rawConnection(
      server.url,
      (socket) => {
        socket.write(
          `POST /graphql HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer k\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        );
      },
      10_000,
    );
    expect(statusLine(outcome.text)).toBe('HTTP/1.1 200 OK');
    expect(bodyOf(outcome.text)).toEqual({ data: { records: { total: 7 } } });
  }, 20_000);
});

// ---- 413 with clients that keep sending (item 14)

const BIG = 20 * 1024 * 1024;
const bigBody = Buffer.alloc(BIG, 'x');
bigBody.write('{"name":"', 0);

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

type Sender = (url: string, headers: Record<string, string>) => Promise<Answer>;

const senders: Record<string, Sender> = {
  async fetch(url, headers) {
    const response = await fetch(url, { method: 'POST', headers, body: bigBody });
    return { status: response.status, body: await response.json() };
  },
  async 'undici.request'(url, headers) {
    const response = await undiciRequest(url, { method: 'POST', headers, body: bigBody });
    return { status: response.statusCode, body: await response.body.json() };
  },
  'http.request': (url, headers) => viaHttpRequest(url, headers, false),
  'http.request, chunked': (url, headers) => viaHttpRequest(url, headers, true),
};

/** http.request writing the body in 64 KiB pieces (with Content-Length, or chunked without it). */
function viaHttpRequest(url: string, headers: Record<string, string>, chunked: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', headers: chunked ? headers : { ...headers, 'content-length': String(BIG) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    let at = 0;
    const pump = () => {
      while (at < BIG) {
        const piece = bigBody.subarray(at, at + 65_536);
        at += piece.length;
        if (!request.write(piece)) return void request.once('drain', pump);
      }
      request.end();
    };
    pump();
  });
}

describe('a body above BODY_LIMIT: the 413 reaches clients that are still sending', () => {
  // A server of its own process, as in production: in this test process the server's close and the
  // client's writes would take turns on one event loop, and the race would never show.
  let spawned: SpawnedServer;
  let dataDir: string;
  let authorization: string;
  beforeAll(async () => {
    dataDir = freshDataDir();
    const backend = new EmbeddedBackend({ dataDir, dbName: 'odoo', demo: true });
    authorization = `Bearer ${backend.createApiKey('admin', 'slow clients')}`;
    await backend.close();
    spawned = await spawnServer({ DATA_DIR: dataDir });
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
    await spawned?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const REPEAT = 10;
  for (const [name, send] of Object.entries(senders)) {
    it(`SC-10 ${name}: 20 MB to POST /api/crm_lead, ${REPEAT} times: 413 {"error"} every time`, async () => {
      const headers = { authorization, 'content-type': 'application/json' };
      for (let i = 0; i < REPEAT; i++) {
        const answer = await send(`${spawned.url}/api/crm_lead`, headers).catch(
          (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? (error as { code?: string }).code ?? error.message,
        );
        expect(answer, `attempt ${i + 1}`).toEqual({ status: 413, body: { error: 'request body is too large' } });
      }
    }, 60_000);

    it(`SC-11 ${name}: 20 MB to POST /graphql, ${REPEAT} times: 413 in GraphQL's error shape every time`, async () => {
      const headers = { authorization, 'content-type': 'application/json' };
      for (let i = 0; i < REPEAT; i++) {
        const answer = await send(`${spawned.url}/graphql`, headers).catch(
          (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? (error as { code?: string }).code ?? error.message,
        );
        expect(answer, `attempt ${i + 1}`).toEqual({
          status: 413,
          body: { errors: [{ message: 'request body is too large', extensions: { code: 'BAD_REQUEST' } }] },
        });
      }
    }, 60_000);
  }

  it('SC-12 the lingering close is bounded in bytes: a client that never stops sending is cut after 64 MiB or so', async () => {
    let sent = 0;
    const outcome = await rawConnection(
      spawned.url,
      (socket) => {
        socket.write(
          'POST /api/crm_lead HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000000000\r\n\r\n',
        );
        const piece = Buffer.alloc(256 * 1024, 'x');
        const pump = () => {
          while (!socket.destroyed && socket.writable) {
            sent += piece.length;
            if (!socket.write(piece)) return void socket.once('drain', pump);
          }
        };
        pump();
      },
      20_000,
      true,
    );
    expect(statusLine(outcome.text)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(outcome.closedAfterMs).toBeDefined();
    expect(sent).toBeGreaterThan(64 * 1024 * 1024);
    expect(sent).toBeLessThan(200 * 1024 * 1024);
    expect((await fetch(`${spawned.url}/api/health`)).status).toBe(200);
  }, 30_000);
});

describe('the lingering close is bounded in time', () => {
  // Long enough that the idle bound (HEADERS_TIMEOUT_MS) is seen to act first in SC-14, even on a busy machine.
  const REQUEST_TIMEOUT_MS = 2_000;
  const server = useServer({ HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, BODY_LIMIT: 1024 });

  it('SC-13 a client that keeps sending slowly after its 413 is cut within REQUEST_TIMEOUT_MS', async () => {
    const outcome = rawConnection(
      server.url,
      (socket) => {
        socket.write(
          'POST /api/crm_lead HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n',
        );
        trickle(socket, () => 'x'.repeat(4096), 20);
      },
      10_000,
      true,
    );
    const gone = await connectionsGone(server, 10_000);
    const { text, closedAfterMs } = await outcome;
    expect(statusLine(text)).toBe('HTTP/1.1 413 Payload Too Large');
    expect(bodyOf(text)).toEqual({ error: 'request body is too large' });
    expect(gone).toBeDefined();
    expect(gone!).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 150);
    expect(gone!).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
    expect(closedAfterMs).toBeDefined();
  });

  it('SC-14 a client that goes quiet after its 413 is cut after HEADERS_TIMEOUT_MS without a byte', async () => {
    let client: Socket | undefined;
    const outcome = rawConnection(
      server.url,
      (socket) => {
        client = socket;
        socket.write(
          `POST /api/crm_lead HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(2048)}`,
        );
      },
      10_000,
      true,
    );
    const gone = await connectionsGone(server, 10_000);
    client?.destroy();
    expect(statusLine((await outcome).text)).toBe('HTTP/1.1 413 Payload Too Large');
    // Quiet for as long as headers may take: gone before the request timeout.
    expect(gone).toBeDefined();
    expect(gone!).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(gone!).toBeLessThan(REQUEST_TIMEOUT_MS);
  });

  it('SC-15 a request pipelined behind a refused body is not served', async () => {
    const leads = sqlCount(server, 'SELECT id FROM crm_lead');
    const create = JSON.stringify({ name: 'smuggled' });
    const outcome = await rawConnection(
      server.url,
      (socket) => {
        socket.write(
          `POST /api/crm_lead HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n${'x'.repeat(2000)}` +
            `POST /api/crm_lead HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${server.authorization('admin')}\r\nContent-Type: application/json\r\nContent-Length: ${create.length}\r\n\r\n${create}`,
        );
      },
      10_000,
    );
    expect(outcome.text.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 413']);
    expect(sqlCount(server, 'SELECT id FROM crm_lead')).toBe(leads);
  });
});
