/**
 * Fastify's `clientErrorHandler`: a request that Node's HTTP parser refuses before any route runs (request
 * line and headers above the header size limit, e.g. a huge `domain`; malformed HTTP) still answers in the
 * contract's shape, `{"error": ...}` as `application/json; charset=utf-8` (docs/rest-contract.md, "Errors").
 * The connection is closed afterwards, as Node does: the parser cannot resynchronise on it.
 *
 * It also answers Node's timeouts (server-timeouts.ts): headers not complete within HEADERS_TIMEOUT_MS, or
 * the request (its body) within REQUEST_TIMEOUT_MS, get a 408 — unless an answer has already begun on the
 * connection (a 413 whose refused body is still coming, lingering-close.ts), which is then just closed.
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
  // Node's own handler makes the same check (`_httpMessage` is the answer in progress on the socket).
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage?.headersSent === true;
  if (socket.writable && !answering) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
