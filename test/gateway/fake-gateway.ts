/**
 * Real HTTP servers on 127.0.0.1 port 0 that stand in for a REST gateway where the real one cannot
 * show a behaviour (slow, failing, echoing what it received), plus a counting proxy in front of a real
 * server. Each records the requests it saw and the connections it accepted.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeGateway {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** TCP connections accepted so far (keep-alive reuses one). */
  readonly connections: () => number;
  close(): Promise<void>;
}

export type FakeHandler = (request: RecordedRequest, response: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export async function startFakeGateway(handler: FakeHandler): Promise<FakeGateway> {
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const server = createServer((raw, response) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const request = { method: raw.method ?? '', url: raw.url ?? '', headers: raw.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      Promise.resolve(handler(request, response, raw)).catch(() => response.destroy());
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A gateway that forwards every request to `target` (a real server) and records it: proof of what reached it. */
export function startCountingProxy(target: string): Promise<FakeGateway> {
  return startFakeGateway(async (request, response) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding'].includes(name) || value === undefined) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const answer = await fetch(`${target}${request.url}`, {
      method: request.method,
      headers,
      ...(request.body !== '' && { body: request.body }),
    });
    const text = await answer.text();
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    response.end(text);
  });
}
