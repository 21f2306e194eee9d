/**
 * WORKERS=2 (issue 20): the real server as `npm start` runs it, two worker processes on one port and one
 * DATA_DIR. Which worker serves a connection is read from outside, from the socket each one holds
 * (worker-of-connection.ts). Both serve; writes from many clients at once all succeed, each exactly once;
 * a write through one worker is read at once through the other, and wakes a change feed waiting there;
 * /metrics adds both up; SIGTERM lets requests in flight finish, then every process exits, 0.
 */
import { rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { freshDataDir } from '../helpers/server.js';
import { spawnServer, type SpawnedServer } from '../helpers/spawn-server.js';
import { alive, childPids, OneConnection } from './worker-of-connection.js';

const dataDir = freshDataDir();
let key: string;
let server: SpawnedServer;
let workers: number[] = [];
let auth: Record<string, string>;

beforeAll(async () => {
  const backend = new EmbeddedBackend({ dataDir, dbName: 'odoo', demo: true });
  key = backend.createApiKey('admin', 'cluster test');
  await backend.close();
  auth = { authorization: `Bearer ${key}` };
  server = await spawnServer({ DATA_DIR: dataDir, WORKERS: '2', SHUTDOWN_GRACE_MS: '10000', LOG_LEVEL: 'warn' });
  workers = childPids(server.child.pid!);
}, 90_000);

afterAll(async () => {
  await server.stop('SIGKILL');
  for (const pid of workers) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Connections, opened one after another until both workers serve one (the primary hands them out in turn). */
async function connectionsOnBothWorkers(): Promise<Map<number, OneConnection>> {
  const byWorker = new Map<number, OneConnection>();
  const spare: OneConnection[] = [];
  for (let i = 0; i < 20 && byWorker.size < 2; i++) {
    const connection = new OneConnection(new URL(server.url), auth);
    expect((await connection.send('GET', '/api/health')).status).toBe(200);
    const pid = connection.servedBy(workers)!;
    expect(workers).toContain(pid);
    if (byWorker.has(pid)) spare.push(connection);
    else byWorker.set(pid, connection);
  }
  for (const connection of spare) connection.close();
  return byWorker;
}

describe('WORKERS=2', () => {
  it('starts two worker processes, says so once, and both serve connections on the one port', async () => {
    expect(workers).toHaveLength(2);
    expect(server.output().match(/listening on /g)).toHaveLength(1);
    expect(server.output()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(backend: embedded, data in .*, 2 workers\)/);
    const byWorker = await connectionsOnBothWorkers();
    expect([...byWorker.keys()].sort((a, b) => a - b)).toEqual(workers);
    for (const connection of byWorker.values()) connection.close();
  });

  it('/metrics, from either worker, adds up both workers', async () => {
    const byWorker = await connectionsOnBothWorkers();
    for (const connection of byWorker.values()) {
      const answer = await new Promise<string>((resolve, reject) => {
        httpRequest(new URL('/metrics', server.url), (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
      expect(answer).toMatch(/^cluster_workers 2$/m);
      expect(answer).toMatch(/^process_resident_memory_bytes [1-9]/m);
      connection.close();
    }
  });

  it('200 creates over 20 connections at once: all 201, no 5xx, each lead stored exactly once', async () => {
    const pool = new Pool(server.url, { connections: 20 });
    const run = `cluster-${Date.now()}`;
    try {
      const statuses = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const { statusCode, body } = await pool.request({
            method: 'POST',
            path: '/api/crm_lead',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ name: `${run} lead ${i}`, expected_revenue: i }),
          });
          await body.dump();
          return statusCode;
        }),
      );
      expect(statuses.filter((s) => s !== 201)).toEqual([]);
      const domain = JSON.stringify([['name', '=like', `${run} lead %`]]);
      const { statusCode, body } = await pool.request({
        method: 'GET',
        path: `/api/crm_lead?fields=name&limit=1000&domain=${encodeURIComponent(domain)}`,
        headers: auth,
      });
      expect(statusCode).toBe(200);
      const list = (await body.json()) as { total: number; results: { name: string }[] };
      expect(list.total).toBe(200);
      const names = list.results.map((r) => r.name).sort();
      expect(new Set(names).size).toBe(200);
      expect(names).toEqual(Array.from({ length: 200 }, (_, i) => `${run} lead ${i}`).sort());
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('a write through one worker is read at once through the other', async () => {
    const byWorker = await connectionsOnBothWorkers();
    const [first, second] = [...byWorker.values()];
    try {
      for (let i = 0; i < 10; i++) {
        const [writer, reader] = i % 2 === 0 ? [first!, second!] : [second!, first!];
        const created = await writer.send('POST', '/api/crm_lead', { name: `read after write ${i}` });
        expect(created.status).toBe(201);
        const id = (created.body as { id: number }).id;
        const read = await reader.send('GET', `/api/crm_lead/${id}?fields=name`);
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({ id, name: `read after write ${i}` });
        const renamed = await writer.send('PATCH', `/api/crm_lead/${id}`, { name: `renamed ${i}` });
        expect(renamed.status).toBe(200);
        expect((await reader.send('GET', `/api/crm_lead/${id}?fields=name`)).body).toMatchObject({ name: `renamed ${i}` });
      }
    } finally {
      for (const connection of byWorker.values()) connection.close();
    }
  });

  it("a change feed waiting on one worker wakes at another worker's write", async () => {
    const byWorker = await connectionsOnBothWorkers();
    const [watcher, writer] = [...byWorker.values()];
    try {
      const start = await watcher!.send('GET', '/api/crm_lead/changes');
      const cursor = (start.body as { cursor: string }).cursor;
      const waiting = watcher!.send('GET', `/api/crm_lead/changes?fields=name&wait=20&since=${encodeURIComponent(cursor)}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const created = await writer!.send('POST', '/api/crm_lead', { name: 'seen by the other worker' });
      const wrote = Date.now();
      const answer = await waiting;
      expect(answer.status).toBe(200);
      const changes = (answer.body as { changes: { op: string; id: number; record: { name: string } }[] }).changes;
      expect(changes).toEqual([expect.objectContaining({ op: 'created', id: (created.body as { id: number }).id })]);
      // The other worker's watch looks at the log every 100 ms: well under a second, not the 20 s wait.
      expect(Date.now() - wrote).toBeLessThan(2000);
    } finally {
      for (const connection of byWorker.values()) connection.close();
    }
  });
});

describe('WORKERS=2, SIGTERM', () => {
  it('lets the requests in flight on both workers finish (GraphQL ones too), then every process exits, code 0', async () => {
    const byWorker = await connectionsOnBothWorkers();
    // On each worker, a create whose body is half sent before SIGTERM, the rest after: in flight when draining begins.
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    const inFlight = [...byWorker.values()].map((connection, i) =>
      connection.sendInTwoParts('POST', '/api/crm_lead', { name: `in flight at SIGTERM ${i}` }, resumed),
    );
    // And GraphQL operations, whose REST calls go to the shared port: another worker, draining too, serves them.
    const graphqlConnections = [0, 1].map(() => new OneConnection(new URL(server.url), auth));
    const query = '{ a: records(slug: "sale_order", limit: 80) { total } b: records(slug: "crm_lead", limit: 80) { total } }';
    const graphqlInFlight = graphqlConnections.map((connection) => connection.sendInTwoParts('POST', '/graphql', { query }, resumed));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    resume();
    const answers = await Promise.all(inFlight);
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    for (const answer of await Promise.all(graphqlInFlight)) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body).not.toHaveProperty('errors');
      expect((answer.body as { data: { b: { total: number } } }).data.b.total).toBeGreaterThan(0);
    }
    expect(await exited).toBe(0);
    for (const pid of workers) expect(alive(pid), `worker ${pid} still running`).toBe(false);
    expect(server.output().match(/shutting down/g)).toHaveLength(1);
  }, 60_000);
});
