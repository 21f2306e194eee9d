/**
 * A lingering close (nginx's `lingering_close`; RFC 9112, section 9.6) for answers sent before the
 * request's body was all read: a 413 for a body above BODY_LIMIT, above all.
 *
 * Such an answer says `Connection: close`, and Node then destroys the socket as soon as the answer is
 * written. A client that is still sending its body (Node's fetch, undici, http.request: all but those
 * that wait for `100 Continue`) writes into a closed socket, gets a reset (EPIPE, "fetch failed") and
 * often never reads the answer that was waiting for it. Instead, here the server half-closes (FIN after
 * the answer, so the client knows it is over), goes on reading and discarding what comes, and closes
 * once the client closes its side, or when a bound is reached: `maxMs` in all, `idleMs` without a byte,
 * `maxBytes` read. A request that comes behind the refused body on the same connection is never served:
 * the connection is cut.
 *
 * Node's own HTTP parser keeps reading the socket meanwhile (it discards the body of a request whose
 * answer is sent), so the bytes are counted from `socket.bytesRead`, every `TICK_MS`.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface LingerBounds {
  /** Longest time a connection lingers after its answer. */
  readonly maxMs: number;
  /** Time without a byte from the client after which it is closed. */
  readonly idleMs: number;
  /** Most bytes read and discarded before it is closed. */
  readonly maxBytes: number;
}

export const LINGER_DEFAULTS = Object.freeze({ idleMs: 2_000, maxBytes: 64 * 1024 * 1024 });

const TICK_MS = 20;

interface Lingering {
  readonly since: number;
  readonly bytesAtStart: number;
  lastBytes: number;
  lastMoved: number;
}

export function installLingeringClose(app: FastifyInstance, bounds: LingerBounds): void {
  /** The latest request of each connection. */
  const latest = new WeakMap<Socket, IncomingMessage>();
  const lingering = new Map<Socket, Lingering>();
  let ticker: NodeJS.Timeout | undefined;

  const tick = () => {
    const now = Date.now();
    for (const [socket, state] of lingering) {
      const read = socket.bytesRead;
      if (read !== state.lastBytes) {
        state.lastBytes = read;
        state.lastMoved = now;
      }
      if (now - state.since >= bounds.maxMs || now - state.lastMoved >= bounds.idleMs || read - state.bytesAtStart >= bounds.maxBytes)
        socket.destroy();
    }
  };

  const linger = (socket: Socket) => {
    const now = Date.now();
    lingering.set(socket, { since: now, bytesAtStart: socket.bytesRead, lastBytes: socket.bytesRead, lastMoved: now });
    socket.once('close', () => {
      lingering.delete(socket);
      if (lingering.size === 0 && ticker) {
        clearInterval(ticker);
        ticker = undefined;
      }
    });
    ticker ??= setInterval(tick, TICK_MS);
    socket.end();
  };

  app.server.on('connection', (socket: Socket) => {
    const destroySoon = socket.destroySoon.bind(socket);
    // Node calls destroySoon() once an answer with `Connection: close` is written.
    socket.destroySoon = () => {
      const request = latest.get(socket);
      if (request && !request.complete && socket.readable && !lingering.has(socket)) linger(socket);
      else destroySoon();
    };
  });

  app.addHook('onRequest', async (request, reply) => {
    const socket = request.raw.socket;
    if (lingering.has(socket)) {
      // Bytes after a refused body, parsed as a request: not served.
      reply.hijack();
      socket.destroy();
      return;
    }
    latest.set(socket, request.raw);
  });
}
