/**
 * GraphQL over WebSocket, the `graphql-ws` protocol (`graphql-transport-ws`, Apollo's GraphQLWsLink), on
 * the HTTP server and path of the GraphQL face (issue 19). Operations run through yoga's envelop
 * (`getEnveloped`), so the limits of HTTP apply: depth, aliases, tokens and directives (graphql-armor),
 * cost, introspection, error masking and metrics.
 *
 * - Authentication: `connectionParams: {Authorization: 'Bearer <key>'}`, else the upgrade request's
 *   `Authorization` header, else its `session_id` cookie (taken only from a same-origin page: a cookie
 *   sent by a page of another site, cross-site WebSocket hijacking, is ignored). Without any, the
 *   connection is closed with 4401 Unauthorized. Every operation goes to the gateway as that caller.
 * - Limits: subscriptions per connection and per caller (subscriptions.ts); pings every
 *   GRAPHQL_WS_KEEPALIVE_MS (a connection without a pong by the next one is dropped); messages of at
 *   most BODY_LIMIT bytes; a client whose socket buffers more than SLOW_CLIENT_BYTES unsent is closed
 *   (1013, "the client reads too slowly").
 * - Clean-up: a closed socket ends its subscriptions (their polls aborted); closing the face closes
 *   every socket (1001 Going Away).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { DocumentNode, ExecutionArgs, GraphQLError, GraphQLSchema } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { credentialsFrom, hasCredentials, type Credentials } from '../gateway/credentials.js';
import type { GatewayClient } from '../gateway/gateway-client.js';
import { RestGateway } from '../gateway/rest-gateway.js';
import type { GraphQLContext } from './context.js';
import type { GraphQLServer } from './create-graphql-server.js';
import { isGraphQLError } from './errors.js';
import type { SubscriptionConnection } from './subscriptions.js';

/** Unsent bytes a socket may hold before its client counts as one that does not read. */
export const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;

export interface WsTransportOptions {
  /** The HTTP server whose upgrades on `path` are taken (Fastify's `app.server`). */
  readonly server: Server;
  readonly path: string;
  readonly yoga: GraphQLServer;
  readonly resolveSchema: () => Promise<GraphQLSchema>;
  readonly gateway: GatewayClient;
  readonly feedGateway?: GatewayClient;
  /** Milliseconds between pings (graphql-ws's keepAlive). */
  readonly keepAliveMs: number;
  /** Largest message, in bytes. */
  readonly maxPayload: number;
}

export interface WsTransport {
  /** Sockets open now. */
  readonly connections: number;
  /** Closes every socket (1001) and stops taking upgrades. */
  close(): Promise<void>;
}

/** What a connection keeps: its caller and its count of open subscriptions. */
interface ConnectionState {
  readonly credentials: Credentials;
  readonly subscriptions: SubscriptionConnection;
}

/** The `Authorization` of the connection parameters (`Authorization`, `authorization`, or inside `headers`). */
function authorizationParam(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!params) return undefined;
  const headers = typeof params.headers === 'object' && params.headers !== null ? (params.headers as Record<string, unknown>) : {};
  for (const value of [params.Authorization, params.authorization, headers.Authorization, headers.authorization]) {
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** Whether the upgrade comes from a page of this very site (or from no browser page at all). */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** The caller of a connection: the parameters' Authorization first, then the upgrade request's headers. */
export function connectionCredentials(request: IncomingMessage, params: Readonly<Record<string, unknown>> | undefined): Credentials {
  const authorization = authorizationParam(params);
  const headers: Record<string, string | string[] | undefined> = { ...request.headers };
  if (authorization !== undefined) headers.authorization = authorization;
  if (!sameOrigin(request)) delete headers.cookie;
  return credentialsFrom(headers);
}

function pathOf(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

export function attachWsTransport(options: WsTransportOptions): WsTransport {
  const { yoga, gateway, feedGateway } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload });
  const states = new WeakMap<object, ConnectionState>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (pathOf(request) !== options.path) {
      // Nobody else takes upgrades: an upgrade elsewhere is refused rather than left hanging.
      if (options.server.listenerCount('upgrade') === 1) socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  options.server.on('upgrade', onUpgrade);

  const disposable = useServer<Record<string, unknown>, { state?: ConnectionState }>(
    {
      onConnect(ctx) {
        const credentials = connectionCredentials(ctx.extra.request, ctx.connectionParams);
        if (!hasCredentials(credentials)) {
          ctx.extra.socket.close(
            CloseCode.Unauthorized,
            "Unauthorized: send connectionParams {Authorization: 'Bearer <API key>'} or a session_id cookie",
          );
          return false;
        }
        states.set(ctx, { credentials, subscriptions: { active: 0 } });
        return true;
      },
      async onSubscribe(ctx, _id, payload) {
        const state = states.get(ctx);
        if (!state) return [createGraphQLError('Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } })];
        const schema = await options.resolveSchema();
        // One gateway per operation: identical reads are shared within it only (rest-gateway.ts).
        const initial: Partial<GraphQLContext> & Record<string, unknown> = {
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          // For the plugins that read the caller's headers (introspection): the connection's credentials.
          request: new Request(`http://localhost${options.path}`, {
            headers: {
              ...(state.credentials.authorization !== undefined && { authorization: state.credentials.authorization }),
              ...(state.credentials.sessionCookie !== undefined && { cookie: state.credentials.sessionCookie }),
            },
          }),
          gateway: new RestGateway(gateway, state.credentials, { ...(feedGateway && { feedClient: feedGateway }) }),
          subscriptionConnection: state.subscriptions,
        };
        const enveloped = yoga.getEnveloped(initial);
        let document: DocumentNode;
        try {
          document = enveloped.parse(payload.query) as DocumentNode;
        } catch (error) {
          // As over HTTP: a syntax error, or armor's token limit counted while parsing. Made by yoga's graphql
          // (the instance graphql-ws checks errors against).
          if (isGraphQLError(error)) return [createGraphQLError(error.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
          throw error;
        }
        const errors = enveloped.validate(schema, document) as readonly GraphQLError[];
        if (errors.length > 0) return errors;
        const args: ExecutionArgs = {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
        return args;
      },
      execute: (args) => (args.rootValue as { execute: (args: ExecutionArgs) => never }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: (args: ExecutionArgs) => never }).subscribe(args),
      onNext(ctx) {
        const socket: WebSocket = ctx.extra.socket;
        if (socket.bufferedAmount > SLOW_CLIENT_BYTES) socket.close(1013, 'the client reads too slowly');
      },
    },
    wss,
    options.keepAliveMs,
  );

  let closing: Promise<void> | undefined;
  return {
    get connections() {
      return wss.clients.size;
    },
    close() {
      closing ??= (async () => {
        options.server.off('upgrade', onUpgrade);
        for (const client of wss.clients) client.close(1001, 'the server is shutting down');
        await disposable.dispose();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      })();
      return closing;
    },
  };
}
