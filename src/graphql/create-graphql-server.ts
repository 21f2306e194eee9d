/**
 * The yoga server of the GraphQL face, assembled explicitly: the schema, a context holding the gateway
 * bound to the caller, error masking and mapping, persisted queries, and the operation limits
 * (graphql-armor). It knows nothing of Fastify; register-graphql.ts mounts it.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError, GraphQLSchema, ValidationContext } from 'graphql';
import { createGraphQLError, createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { CONFIG_DEFAULTS } from '../config.js';
import { credentialsFrom } from '../gateway/credentials.js';
import type { GatewayClient } from '../gateway/gateway-client.js';
import { RestGateway } from '../gateway/rest-gateway.js';
import type { GraphQLContext } from './context.js';
import { gatewayErrorOf, maskGraphQLError } from './errors.js';
import { graphiqlAssetsPath, renderGraphiQLPage } from './graphiql-page.js';
import { loadSchema } from './load-schema.js';
import { GRAPHIQL_DEFAULT_QUERY } from './operations.js';
import { useBadUserInputCodes } from './plugins/use-bad-user-input-codes.js';
import { usePersistedQueries, type PersistedQueriesOptions } from './plugins/use-persisted-queries.js';
import { useRawJsonResults } from './plugins/use-raw-json-results.js';
import { SubscriptionTracker } from './subscriptions.js';
import { batchingOption, DEFAULT_GRAPHQL_HARDENING, hardeningPlugins, type GraphQLHardening } from './hardening.js';

/** Limits on the shape of an operation, checked before anything executes (GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED). */
export interface GraphQLLimits {
  /** Deepest selection (introspection excepted). Our deepest useful query is 3 levels. */
  readonly maxDepth: number;
  /** Most aliases in one operation: each aliased root field is one gateway request. */
  readonly maxAliases: number;
  /** Most lexical tokens in one document (GraphiQL's introspection query has under 200). */
  readonly maxTokens: number;
  /** Most directives in one operation. */
  readonly maxDirectives: number;
}

export const DEFAULT_GRAPHQL_LIMITS: GraphQLLimits = Object.freeze({
  maxDepth: 8,
  maxAliases: 15,
  maxTokens: 1000,
  maxDirectives: 10,
});

/** The few logging methods used (Fastify's pino logger has them). */
export interface GraphQLLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
  isLevelEnabled?(level: string): boolean;
}

export interface GraphQLServerOptions {
  readonly gateway: GatewayClient;
  /** Serve GraphiQL on GET from a browser. */
  readonly graphiql: boolean;
  readonly logger: GraphQLLogger;
  readonly endpoint?: string;
  readonly limits?: Partial<GraphQLLimits>;
  /** Default: the generic schema. A function: called per request (the typed schema read on first use, src/graphql/typed/). */
  readonly schema?: GraphQLSchema | (() => GraphQLSchema | Promise<GraphQLSchema>);
  /** Cost limit, introspection switch, CSRF prevention, batching and metrics (hardening.ts). */
  readonly hardening?: GraphQLHardening;
  /** Largest body yoga itself accepts; `false` (the default) when the HTTP server already enforces one. */
  readonly maxRequestBodySize?: number | false;
  /** Automatic persisted queries and persisted-only mode (plugins/use-persisted-queries.ts); default: APQ with the config's bounds. */
  readonly persistedQueries?: PersistedQueriesOptions;
  /** Open subscriptions, their limits and metrics (subscriptions.ts); default: the config's limits, no metrics. */
  readonly subscriptions?: SubscriptionTracker;
  /** The gateway client of the change feed's long polls (subscriptions), its own pool; default: `gateway`. */
  readonly feedGateway?: GatewayClient;
}

/**
 * A schema given as a function (the typed schema, read on first use: src/graphql/typed/) resolved once
 * and then kept. Unlike yoga's own handling of a schema function, this also serves operations that come
 * without an HTTP request (the WebSocket transport, which calls `resolveSchema` itself).
 */
export function schemaResolver(schema: GraphQLSchema | (() => GraphQLSchema | Promise<GraphQLSchema>)): () => Promise<GraphQLSchema> {
  if (typeof schema !== 'function') return () => Promise.resolve(schema);
  let ready: GraphQLSchema | undefined;
  return async () => (ready ??= await schema());
}

/** Sets the schema a `schemaResolver` gives before each operation (after the request is parsed). */
function useResolvedSchema(resolve: () => Promise<GraphQLSchema>): Plugin {
  let ready: GraphQLSchema | undefined;
  return {
    onRequestParse() {
      return {
        onRequestParseDone() {
          if (!ready)
            return resolve().then((schema) => {
              ready = schema;
            });
          return undefined;
        },
      };
    },
    onEnveloped({ setSchema }) {
      if (ready) setSchema(ready);
    },
  };
}

/** APQ as the configuration's defaults (config.ts) set it, for a server built without a config. */
export const DEFAULT_PERSISTED_QUERIES: PersistedQueriesOptions = Object.freeze({
  apqMaxEntries: CONFIG_DEFAULTS.GRAPHQL_APQ_MAX_ENTRIES,
  apqMaxBytes: CONFIG_DEFAULTS.GRAPHQL_APQ_MAX_BYTES,
});

export type GraphQLServer = YogaServerInstance<Record<string, unknown>, GraphQLContext>;

function forward(logger: GraphQLLogger, level: 'debug' | 'info' | 'warn' | 'error') {
  // yoga logs a few debug lines per request: skip building them when the level is off.
  if (logger.isLevelEnabled?.(level) === false) return () => undefined;
  return (...args: unknown[]) => {
    const [first, ...rest] = args;
    if (first instanceof Error) logger[level]({ err: first }, first.message);
    else logger[level](rest.length ? { details: rest } : {}, String(first));
  };
}

/**
 * yoga logs, at error level, the original of every error it masks or maps. A refusal by the gateway
 * (4xx) is the caller's business: info, as the REST face logs its refusals. A gateway that failed is
 * worth a warning. Anything else is an error of ours.
 */
function logError(logger: GraphQLLogger) {
  const error = forward(logger, 'error');
  return (...args: unknown[]) => {
    const gatewayError = gatewayErrorOf(args[0]);
    if (!gatewayError) return error(...args);
    if (gatewayError.code === 'GATEWAY_HTTP_ERROR' && gatewayError.status < 500) {
      logger.info({ status: gatewayError.status, reason: gatewayError.message }, 'graphql: gateway refused the request');
    } else if (gatewayError.code === 'GATEWAY_NO_CREDENTIALS') {
      logger.info({ status: 401, reason: gatewayError.message }, 'graphql: request refused');
    } else if (gatewayError.code !== 'GATEWAY_ABORTED') {
      logger.warn(
        { err: gatewayError.cause ?? gatewayError, code: gatewayError.code, status: gatewayError.status },
        `graphql: ${gatewayError.message}`,
      );
    }
  };
}

/**
 * graphql-armor throws its validation errors, which yoga then answers without a code; reported to the
 * validation context instead, they are ordinary GRAPHQL_VALIDATION_FAILED errors (without armor's odd
 * "Syntax Error: " prefix).
 */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(
        createGraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
      ),
  ],
};

export function createGraphQLServer(options: GraphQLServerOptions): GraphQLServer {
  const limits = { ...DEFAULT_GRAPHQL_LIMITS, ...options.limits };
  const { gateway, logger } = options;
  const endpoint = options.endpoint ?? '/graphql';
  const schema = options.schema ?? loadSchema();
  const subscriptions = options.subscriptions ?? new SubscriptionTracker();
  const feedClient = options.feedGateway;
  const rawJson = useRawJsonResults();
  return createYoga<Record<string, unknown>, GraphQLContext>({
    ...(typeof schema === 'function' ? {} : { schema }),
    graphqlEndpoint: endpoint,
    // The example query in the first tab and the Headers tab open for `{"Authorization": "Bearer <key>"}`,
    // kept only while the page is open unless the user turns on GraphiQL's Persist headers (then in the
    // tab's sessionStorage). Served from this process (graphiql-page.ts).
    graphiql: options.graphiql
      ? {
          title: 'odoo-graphql-facade',
          defaultQuery: GRAPHIQL_DEFAULT_QUERY,
          isHeadersEditorEnabled: true,
          defaultEditorToolsVisibility: 'headers',
        }
      : false,
    renderGraphiQL: (graphiqlOptions) => renderGraphiQLPage(graphiqlAssetsPath(endpoint), graphiqlOptions),
    landingPage: false,
    // Fastify reads the body (up to BODY_LIMIT, 413 above) before yoga sees it: yoga's own limit would
    // only pipe every body through a stream again.
    maxRequestBodySize: options.maxRequestBodySize ?? false,
    batching: batchingOption((options.hardening ?? DEFAULT_GRAPHQL_HARDENING).batchLimit),
    // Same-origin only, like the REST routes: no CORS headers, so browsers keep other sites out.
    cors: false,
    logging: {
      debug: forward(logger, 'debug'),
      info: forward(logger, 'info'),
      warn: forward(logger, 'warn'),
      error: logError(logger),
    },
    maskedErrors: { maskError: maskGraphQLError },
    context: (initial) => {
      // An operation over WebSocket comes with its gateway, bound to the connection's caller (ws-transport.ts).
      const given = (initial as Partial<GraphQLContext>).gateway;
      if (given) return { gateway: given, subscriptions };
      const { request } = initial;
      return {
        // The request id (set by src/observability) goes along to the gateway, so its log lines carry it too.
        gateway: new RestGateway(gateway, credentialsFrom(request.headers), {
          signal: request.signal,
          requestId: request.headers.get('x-request-id') ?? undefined,
          ...(feedClient && { feedClient }),
        }),
        subscriptions,
        rawJson: rawJson.resultsFor(request),
      };
    },
    plugins: [
      ...(typeof schema === 'function' ? [useResolvedSchema(schemaResolver(schema))] : []),
      // First: a persisted query's text is looked up (or refused) before anything parses it.
      usePersistedQueries(options.persistedQueries ?? DEFAULT_PERSISTED_QUERIES),
      EnvelopArmorPlugin({
        // `__schema` is left to graphql-js's own MaxIntrospectionDepthRule (a default validation rule),
        // so GraphiQL's introspection query (15 levels) passes and nested `fields` lists do not.
        maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...asValidationError },
        maxAliases: { n: limits.maxAliases, ...asValidationError },
        maxDirectives: { n: limits.maxDirectives, ...asValidationError },
        // Counted while parsing (no validation context yet): refused as GRAPHQL_PARSE_FAILED.
        maxTokens: { n: limits.maxTokens },
        // The cost limit is ours (plugins/use-cost-limit.ts): armor's cannot count list sizes from `limit`.
        costLimit: { enabled: false },
        blockFieldSuggestion: { enabled: false },
      }),
      useBadUserInputCodes(),
      ...hardeningPlugins(options.hardening),
      // Last: the answer is written once every other plugin has had its say on the result.
      rawJson.plugin,
    ],
  });
}
