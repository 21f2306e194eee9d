/**
 * Real servers on 127.0.0.1 port 0 that misbehave the ways an upstream does (issue 7): refusing
 * connections, resetting them, hanging, answering slowly, dropping the connection mid-body, answering
 * garbage. Each counts the requests (or connections) it saw, so a test can prove what was retried.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Misbehaving {
  readonly url: string;
  /** HTTP requests (or, for `garbage`, TCP connections) seen so far. */
  seen(): number;
  close(): Promise<void>;
}

/** What to do with the n-th request (0-based): answer, or misbehave. */
export type Behaviour = (n: number, request: IncomingMessage, response: ServerResponse) => void;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

/** An HTTP server whose n-th request gets `behaviour(n, ...)`. */
export async function startMisbehaving(behaviour: Behaviour): Promise<Misbehaving> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createHttpServer((request, response) => {
    request.resume();
    request.on('end', () => behaviour(count++, request, response));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return { url: await listen(server), seen: () => count, close: closer(server, sockets) };
}

/** A TCP server that writes `bytes` (not HTTP) to each connection and closes it. */
export async function startGarbageServer(bytes = 'garbage, not HTTP\r\n\r\n'): Promise<Misbehaving> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', () => socket.end(bytes));
  });
  return { url: await listen(server), seen: () => count, close: closer(server, sockets) };
}

/** The URL of a port nothing listens on (it was free a moment ago): connections are refused. */
export async function refusingUrl(): Promise<string> {
  const probe = createTcpServer();
  const url = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return url;
}

// Behaviours.

export function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Resets the connection without an answer. */
export const reset: Behaviour = (_n, request) => request.socket.destroy();

/** Never answers. */
export const hang: Behaviour = () => undefined;

/** Sends the headers and part of the body, then drops the connection. */
export const dropMidBody: Behaviour = (_n, request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
  response.write('{"count": 1, "res');
  setTimeout(() => request.socket.destroy(), 20);
};

/** A 502 from a proxy in front of the real server: an HTML page. */
export const badGateway: Behaviour = (_n, _request, response) => {
  response.writeHead(502, { 'content-type': 'text/html' });
  response.end('<html><body>502 Bad Gateway</body></html>');
};

/** The first `n` requests get `first`, the others `then`. */
export function firstThen(n: number, first: Behaviour, then: Behaviour): Behaviour {
  return (count, request, response) => (count < n ? first : then)(count, request, response);
}

/** Answers after `ms` milliseconds. */
export function slow(ms: number, answer: Behaviour): Behaviour {
  return (count, request, response) => {
    setTimeout(() => answer(count, request, response), ms).unref();
  };
}
