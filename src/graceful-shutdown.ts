/**
 * Graceful shutdown for one process with two faces. GraphQL requests reach this same process's REST
 * routes over loopback (the self-gateway), so the listener cannot simply close first: an operation in
 * flight would find no one to answer its next gateway call. Instead:
 * 1. draining starts: new outside requests get 503 (with `Connection: close`), while gateway hops that
 *    carry this process's secret hop token are still served;
 * 2. once the outside requests in flight have finished (or the grace period is over), the listener
 *    closes and every connection with no request in progress is closed — keep-alive ones, and ones on
 *    which a client sent half a request and went quiet;
 * 3. whatever is still busy when the grace period ends is cut, so shutdown always ends.
 * With WORKERS (cluster.ts) every worker does this, and a hop may reach another worker than the one whose
 * GraphQL operation sent it: the workers share one hop token (shareHopToken).
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export const HOP_HEADER = 'x-odoo-graphql-hop';

export interface GracefulShutdown {
  /** Header a self-gateway sends so that its calls are served while draining. */
  readonly hopHeaders: Readonly<Record<string, string>>;
  /** Drains, then closes the Fastify server; resolves when it is closed. */
  close(graceMs: number): Promise<void>;
}

/** What to call when draining starts, per HTTP server (a plugin's scope shares its root's). */
const drainingHooks = new WeakMap<object, Set<() => void>>();

/**
 * Calls `release` when `server` (a Fastify instance's `.server`) starts draining: for requests that would
 * otherwise hold the shutdown for as long as they last (event streams, long polls), which end then.
 */
export function onDraining(server: object, release: () => void): void {
  const hooks = drainingHooks.get(server) ?? new Set<() => void>();
  hooks.add(release);
  drainingHooks.set(server, hooks);
}

/**
 * The hop token of the apps of this process, when it must be one token: with WORKERS, a GraphQL request's
 * gateway calls go to the shared port and may be served by another worker, which must know them for hops
 * (served while draining, not rate limited, counted `internal`). The primary makes it (src/cluster.ts).
 */
let sharedHopToken: string | undefined;

/** Makes `token` the hop token of every app installed from now on in this process (a cluster worker's). */
export function shareHopToken(token: string): void {
  sharedHopToken = token;
}

export function installGracefulShutdown(server: FastifyInstance): GracefulShutdown {
  const token = sharedHopToken ?? randomBytes(16).toString('hex');
  let draining = false;
  let outsideInFlight = 0;
  let onDrained: (() => void) | undefined;
  /** Requests in progress per connection; connections absent from the map have none. */
  const busy = new Map<Socket, number>();
  const sockets = new Set<Socket>();

  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      busy.delete(socket);
    });
  });

  server.addHook('onRequest', async (request, reply) => {
    const hop = request.headers[HOP_HEADER] === token;
    if (draining && !hop) {
      reply.code(503).header('connection', 'close').header('retry-after', '5');
      return reply.send(
        request.url.startsWith('/graphql')
          ? { errors: [{ message: 'the server is shutting down', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }
          : { error: 'the server is shutting down: retry in a moment' },
      );
    }
    const socket = request.raw.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    if (!hop) outsideInFlight += 1;
    reply.raw.once('close', () => {
      const left = (busy.get(socket) ?? 1) - 1;
      if (left > 0) busy.set(socket, left);
      else busy.delete(socket);
      if (!hop) {
        outsideInFlight -= 1;
        if (outsideInFlight === 0) onDrained?.();
      }
    });
  });

  // Outside answers sent while draining ask the client to close its connection.
  server.addHook('onSend', async (request, reply) => {
    if (draining && request.headers[HOP_HEADER] !== token) reply.header('connection', 'close');
  });

  const closeUnbusy = () => {
    for (const socket of sockets) if (!busy.has(socket)) socket.destroy();
  };

  return {
    hopHeaders: { [HOP_HEADER]: token },
    async close(graceMs) {
      draining = true;
      const deadline = Date.now() + graceMs;
      for (const release of drainingHooks.get(server.server) ?? []) release();
      if (outsideInFlight > 0) {
        await new Promise<void>((resolve) => {
          onDrained = resolve;
          setTimeout(resolve, graceMs).unref();
        });
      }
      const cut = setTimeout(
        () => {
          for (const socket of sockets) socket.destroy();
        },
        Math.max(0, deadline - Date.now()),
      );
      const sweep = setInterval(closeUnbusy, 50);
      try {
        const closed = server.close();
        closeUnbusy();
        await closed;
      } finally {
        clearTimeout(cut);
        clearInterval(sweep);
      }
    },
  };
}
