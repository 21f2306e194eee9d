/**
 * Whose bucket a request is counted in under RATE_LIMIT (issue 13, item 4): an authenticated request
 * counts against its user, whatever credential or spelling of it it carries; an unauthenticated or
 * failed one against its client address. So neither a fresh random credential per request nor another
 * spelling of a limited key gets past the limit. With BACKEND=odoo the bucket costs no call to Odoo.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { clientAddress } from '../../src/rest/client-address.js';
import { startServer, type TestServer } from '../helpers/server.js';

const LIMIT = 5;
const agents = new Map<string, Agent>();

/** A GET from a given loopback address, with the given headers. */
async function get(base: string, path: string, headers: Record<string, string>, address = '127.0.0.1') {
  let agent = agents.get(address);
  if (!agent) agents.set(address, (agent = new Agent({ localAddress: address })));
  const response = await fetch(`${base}${path}`, { headers, dispatcher: agent });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

afterAll(async () => {
  await Promise.all([...agents.values()].map((agent) => agent.close()));
});

describe(`RATE_LIMIT=${LIMIT}, embedded store`, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ RATE_LIMIT: LIMIT, RATE_LIMIT_WINDOW_MS: 60_000 });
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
    await server?.close();
  });

  it('RK-01 a fresh random Bearer value per request (password guessing) is counted by address: 429 after 5', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push(
        (await get(server.url, '/api/sale_order?limit=1', { authorization: `Bearer ${randomBytes(20).toString('hex')}` }, '127.0.0.11'))
          .status,
      );
    }
    expect(statuses).toEqual([...Array(LIMIT).fill(401), ...Array(30 - LIMIT).fill(429)]);
  });

  it('RK-02 other spellings of a limited key (case, spaces, tabs) share its bucket: 429', async () => {
    const key = server.key('demo');
    for (let i = 0; i < LIMIT; i++)
      expect((await get(server.url, '/api/crm_lead?limit=1', { authorization: `Bearer ${key}` }, '127.0.0.12')).status).toBe(200);
    const spellings = [
      `bearer ${key}`,
      `BEARER ${key}`,
      `BeArEr ${key}`,
      `Bearer  ${key}`,
      `Bearer\t${key}`,
      `Bearer \t ${key}`,
      `bearer ${key} `,
      `Bearer ${key}\t`,
    ];
    for (const spelling of spellings) {
      const answer = await get(server.url, '/api/crm_lead?limit=1', { authorization: spelling }, '127.0.0.12');
      expect(answer.status, JSON.stringify(spelling)).toBe(429);
    }
  });

  it("RK-03 the bucket is the user's: another address, his session cookie and a second key of his are all counted in it", async () => {
    const login = await fetch(`${server.url}/web/session/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { db: 'odoo', login: 'manager', password: 'manager' }, id: 1 }),
    });
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('session_id='))!
      .split(';')[0]!;
    const second = server.backend.createApiKey('manager', 'second key');
    const statuses = [
      (await get(server.url, '/api/crm_lead?limit=1', { authorization: `Bearer ${server.key('manager')}` }, '127.0.0.13')).status,
      (await get(server.url, '/api/crm_lead?limit=1', { authorization: `Bearer ${server.key('manager')}` }, '127.0.0.14')).status,
      (await get(server.url, '/api/crm_lead?limit=1', { cookie }, '127.0.0.15')).status,
      (await get(server.url, '/api/crm_lead?limit=1', { authorization: `Bearer ${second}` }, '127.0.0.16')).status,
      (await get(server.url, '/api/crm_lead?limit=1', { cookie }, '127.0.0.17')).status,
      (await get(server.url, '/api/crm_lead?limit=1', { authorization: `Bearer ${second}` }, '127.0.0.18')).status,
    ];
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('RK-04 random session cookies are counted by address too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push(
        (await get(server.url, '/api/sale_order?limit=1', { cookie: `session_id=${randomBytes(30).toString('base64url')}` }, '127.0.0.19'))
          .status,
      );
    expect(statuses).toEqual([...Array(LIMIT).fill(401), ...Array(12 - LIMIT).fill(429)]);
  });

  it('RK-05 an address that used up its bucket with bad keys does not lock out a real user behind it', async () => {
    const address = '127.0.0.20';
    for (let i = 0; i < LIMIT + 2; i++)
      await get(server.url, '/api/sale_order?limit=1', { authorization: `Bearer ${randomBytes(20).toString('hex')}` }, address);
    expect((await get(server.url, '/api/sale_order?limit=1', {}, address)).status).toBe(429);
    expect((await get(server.url, '/api/sale_order?limit=1', { authorization: `Bearer ${server.key('portal')}` }, address)).status).toBe(
      200,
    );
  });

  it('RK-06 GraphQL: random Bearer values per operation are counted by address as well', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const answer = await get(
        server.url,
        '/graphql?query=%7Bme%7Blogin%7D%7D',
        { authorization: `Bearer ${randomBytes(20).toString('hex')}`, accept: 'application/json' },
        '127.0.0.21',
      );
      statuses.push(answer.status);
    }
    expect(statuses.slice(LIMIT)).toEqual(Array(10 - LIMIT).fill(429));
    expect(statuses.slice(0, LIMIT)).not.toContain(429);
  });
});

describe(`RATE_LIMIT=${LIMIT}, BACKEND=odoo`, () => {
  let odoo: Server;
  let upstreamCalls = 0;
  let app: App;
  let url: string;

  beforeAll(async () => {
    // A stand-in Odoo on loopback that refuses every credential (`common.authenticate` answers false).
    odoo = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        upstreamCalls++;
        const id = (JSON.parse(body || '{}') as { id?: unknown }).id ?? null;
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id, result: false }));
      });
    });
    await new Promise<void>((resolve) => odoo.listen(0, '127.0.0.1', resolve));
    const odooUrl = `http://127.0.0.1:${(odoo.address() as AddressInfo).port}`;
    app = await createApp(testConfig({ BACKEND: 'odoo', ODOO_URL: odooUrl, ODOO_DB: 'odoo', LOG_LEVEL: 'silent', RATE_LIMIT: LIMIT }));
    url = await app.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
    await app?.close();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
    await new Promise((resolve) => odoo?.close(resolve));
  });

  it('RK-10 random Basic credentials per request: 429 after 5, and Odoo is asked about those 5 only', async () => {
    const before = upstreamCalls;
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const basic = Buffer.from(`admin:${randomBytes(12).toString('hex')}`).toString('base64');
      statuses.push((await get(url, '/api/sale_order?limit=1', { authorization: `Basic ${basic}` }, '127.0.0.31')).status);
    }
    expect(statuses).toEqual([...Array(LIMIT).fill(401), ...Array(20 - LIMIT).fill(429)]);
    expect(upstreamCalls - before).toBe(LIMIT);
  });
});

describe('client addresses as buckets count them', () => {
  it('RK-20 an IPv6 client is its /64 (however written), an IPv4-mapped address its IPv4 address', () => {
    expect(clientAddress('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientAddress('2001:DB8:0001:0002::ffff')).toBe('2001:db8:1:2::/64');
    expect(clientAddress('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientAddress('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(clientAddress('::ffff:a01:203')).toBe('10.1.2.3');
    expect(clientAddress('192.0.2.7')).toBe('192.0.2.7');
  });
});
