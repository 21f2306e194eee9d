/**
 * OdooClient: the transport. Recorded faults replayed through MockAgent map onto the Backend's errors;
 * real misbehaving servers on 127.0.0.1 give 502 and 504; a slow real server shows that concurrent
 * calls run on concurrent keep-alive connections instead of queueing on one.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AccessDenied, AccessError, BackendError, UnknownModelError } from '../../../src/backends/errors.js';
import { searchCountCall } from '../../../src/backends/odoo/model-call.js';
import { OdooClient } from '../../../src/backends/odoo/odoo-client.js';
import { executeCall } from '../../../src/backends/odoo/odoo-transport.js';
import { ODOO_DB, ODOO_ORIGIN, OdooReplay, recording } from './replay.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(server: HttpServer | ReturnType<typeof createServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

function replayClient(): { replay: OdooReplay; client: OdooClient } {
  const replay = new OdooReplay();
  const client = new OdooClient({ url: ODOO_ORIGIN, dispatcher: replay.agent });
  cleanups.push(() => replay.close());
  return { replay, client };
}

/** Sends a recording's JSON-RPC request as it was recorded, through the client. */
function sendRecorded(client: OdooClient, name: string) {
  const { request } = recording(name);
  const json = request.json as { params: Record<string, unknown> };
  const cookie = request.headers.Cookie;
  return client.jsonRpc(request.path, json.params, cookie ? { sessionId: cookie.replace(/^session_id=/, '') } : {});
}

describe('OC recorded faults through the client', () => {
  it("OC-01 a private method: AccessError (403) with Odoo's message", async () => {
    const { replay, client } = replayClient();
    replay.expect('jsonrpc_err_private_method');
    const failure = sendRecorded(client, 'jsonrpc_err_private_method');
    await expect(failure).rejects.toBeInstanceOf(AccessError);
    await expect(failure).rejects.toThrow('Private methods (such as _compute_display_name) cannot be called remotely.');
    replay.assertDone();
  });

  it('OC-02 "Object no.such.model doesn\'t exist" (a UserError): UnknownModelError (404)', async () => {
    const { replay, client } = replayClient();
    replay.expect('jsonrpc_err_unknown_model');
    await expect(sendRecorded(client, 'jsonrpc_err_unknown_model')).rejects.toEqual(new UnknownModelError('no.such.model'));
    replay.assertDone();
  });

  it('OC-03 execute_kw with a wrong password, sent by the transport as recorded: AccessDenied (401)', async () => {
    const { replay, client } = replayClient();
    replay.expect('jsonrpc_err_wrong_password_execute_kw');
    await expect(
      executeCall(client, ODOO_DB, { kind: 'rpc-key', uid: 2, key: 'wrong-password' }, searchCountCall('sale.order', [])),
    ).rejects.toBeInstanceOf(AccessDenied);
    replay.assertDone();
  });

  it("OC-04 call_kw without a session: Odoo's code 100 SessionExpired, id null → the 401 of an expired session", async () => {
    const { replay, client } = replayClient();
    replay.expect('web_dataset_call_kw_no_session');
    await expect(sendRecorded(client, 'web_dataset_call_kw_no_session')).rejects.toMatchObject({
      odooName: 'odoo.http.SessionExpiredException',
    });
    replay.assertDone();
  });

  it("OC-05 /web/session/destroy answers without `result`: resolves to undefined, with Odoo's Set-Cookie headers", async () => {
    const { replay, client } = replayClient();
    replay.expect('web_session_destroy');
    const answer = await sendRecorded(client, 'web_session_destroy');
    expect(answer.result).toBeUndefined();
    expect(answer.setCookies).toHaveLength(2);
    replay.assertDone();
  });
});

describe('OC transport against real servers on 127.0.0.1', () => {
  it('OC-10 concurrent calls use concurrent keep-alive connections: six 150 ms answers take about 150 ms, not 900; later calls reuse the sockets', async () => {
    const sockets = new Set<string>();
    let connections = 0;
    const server = createHttpServer((request, response) => {
      sockets.add(`${request.socket.remotePort}`);
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const { id } = JSON.parse(body) as { id: number };
        setTimeout(
          () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id, result: id })),
          150,
        );
      });
    });
    server.on('connection', () => connections++);
    const url = await listen(server);
    const client = new OdooClient({ url });
    cleanups.push(async () => {
      await client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const call = () => client.jsonRpc('/jsonrpc', { service: 'common', method: 'version', args: [] });
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, call));
    expect(Date.now() - started).toBeLessThan(600);
    expect(sockets.size).toBe(6);
    // Kept alive: later calls reuse those connections (once the pool has seen them free).
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (let i = 0; i < 3; i++) await call();
    expect(connections).toBe(6);
  });

  it('OC-11 an Odoo that accepts and never answers: upstream_timeout (504) after the configured timeout', async () => {
    const open = new Set<Socket>();
    const server = createServer((socket) => {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    });
    const url = await listen(server);
    const client = new OdooClient({ url, timeout: 200 });
    cleanups.push(async () => {
      await client.close();
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const started = Date.now();
    const failure = client.jsonRpc('/jsonrpc', { service: 'common', method: 'version', args: [] });
    await expect(failure).rejects.toBeInstanceOf(BackendError);
    await expect(failure).rejects.toMatchObject({ odooName: 'upstream_timeout', message: 'the Odoo server did not answer within 200 ms' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('OC-12 nothing listening: upstream_unreachable (502)', async () => {
    const probe = createServer();
    const url = await listen(probe);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = new OdooClient({ url });
    cleanups.push(() => client.close());
    await expect(client.jsonRpc('/jsonrpc', {})).rejects.toMatchObject({
      odooName: 'upstream_unreachable',
      message: 'the Odoo server is unreachable (ECONNREFUSED)',
    });
  });

  it('OC-13 ODOO_URL with a path prefix: every route is below it; an answer above maxResponseBytes is refused (502)', async () => {
    const paths: string[] = [];
    const server = createHttpServer((request, response) => {
      paths.push(request.url ?? '');
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: 'x'.repeat(2000) }));
    });
    const url = await listen(server);
    const client = new OdooClient({ url: `${url}/odoo/`, maxResponseBytes: 1000 });
    cleanups.push(async () => {
      await client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    await expect(client.jsonRpc('/web/session/get_session_info', {})).rejects.toMatchObject({
      odooName: 'upstream_unreachable',
      message: /larger than 1000 bytes/,
    });
    expect(paths).toEqual(['/odoo/web/session/get_session_info']);
  });
});
