/**
 * Fastify's `clientErrorHandler`: a request that Node's HTTP parser refuses before any route runs (request
 * line and headers above the header size limit, e.g. a huge `domain`; malformed HTTP) still answers in the
 * contract's shape, `{"error": ...}` as `application/json; charset=utf-8` (CONTRACT.md, "Errors").
 * The connection is closed afterwards, as Node does: the parser cannot resynchronise on it.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

const ANSWERS: Readonly<Record<string, readonly [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'request line and headers are too large: shorten the URL (a domain with fewer or shorter terms)'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request timed out before it was complete'],
};

export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] = ANSWERS[error.code ?? ''] ?? [400, 'malformed HTTP request'];
  const body = JSON.stringify({ error: message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
