/**
 * Graceful shutdown of the real process: after REST and GraphQL traffic (GraphQL reaching this same
 * process over loopback), SIGTERM ends the process promptly with exit code 0, and a request in flight
 * when the signal arrives still gets its answer.
 */
import autocannon from 'autocannon';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedBackend } from '../src/backends/embedded/embedded-backend.js';
import { freshDataDir } from './helpers/server.js';
import { spawnServer } from './helpers/spawn-server.js';

const dataDir = freshDataDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function adminKey(): string {
  const backend = new EmbeddedBackend({ dataDir, dbName: 'odoo', demo: true });
  const key = backend.createApiKey('admin', 'shutdown test');
  backend.db.close();
  return key;
}

describe('SIGTERM', () => {
  it('ends the process promptly after GraphQL load, exit code 0, in-flight answer delivered', async () => {
    const key = adminKey();
    const server = await spawnServer({ DATA_DIR: dataDir, SHUTDOWN_GRACE_MS: '10000', LOG_LEVEL: 'silent' });
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    await autocannon({
      url: `${server.url}/graphql`,
      method: 'POST',
      headers,
      connections: 8,
      duration: 2,
      body: JSON.stringify({ query: '{ records(slug: "sale_order", fields: ["name", "partner_id"], limit: 80) { total } }' }),
    });
    // The in-flight request is a slow upload: its headers (and half its body) reach the server well before
    // SIGTERM, the rest of the body only after it, so it is in flight when draining begins.
    const text = JSON.stringify({
      query: '{ a: records(slug: "sale_order", limit: 80) { total } b: records(slug: "crm_lead", limit: 80) { total } }',
    });
    let sendRest!: () => void;
    const restSent = new Promise<void>((resolve) => (sendRest = resolve));
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode(text.slice(0, 20)));
        await restSent;
        controller.enqueue(encoder.encode(text.slice(20)));
        controller.close();
      },
    });
    const inFlight = fetch(`${server.url}/graphql`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    sendRest();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect((await answer.json()).data.a.total).toBeGreaterThan(0);
    expect(await exited).toBe(0);
    // Well inside the 10 s grace period: nothing waits for the final cut.
    expect(Date.now() - started).toBeLessThan(2000);
  }, 60_000);
});
