/**
 * The GraphQL face's abuse limits beyond graphql-armor's (depth, aliases, tokens, directives; see
 * create-graphql-server.ts), as yoga plugins, each refusal a GraphQL error with its own code:
 *
 * | limit                                   | code                   | HTTP |
 * |-----------------------------------------|------------------------|------|
 * | cost above GRAPHQL_MAX_COST             | COST_LIMIT_EXCEEDED    | 400  |
 * | `__schema`/`__type` with introspection off for the caller | INTROSPECTION_DISABLED | 400 (200 when only application/json is accepted) |
 * | cookie-authenticated simple POST        | CSRF_PREVENTED         | 403  |
 * | batch above GRAPHQL_BATCH_LIMIT         | BATCH_LIMIT_EXCEEDED   | 413  |
 * | any batch while batching is off         | BAD_REQUEST (yoga)     | 400  |
 *
 * "Did you mean" suggestions come only with introspection for everyone (use-hidden-suggestions.ts).
 */
import type { Plugin } from 'graphql-yoga';
import { CONFIG_DEFAULTS } from '../config.js';
import type { GraphQLObserver } from '../observability/metrics.js';
import { DEFAULT_LIMIT } from '../gateway/contract-types.js';
import type { IntrospectionMode } from './introspection-access.js';
import { useBatchLimit } from './plugins/use-batch-limit.js';
import { useCostLimit } from './plugins/use-cost-limit.js';
import { useCsrfPrevention } from './plugins/use-csrf-prevention.js';
import { useHiddenSuggestions } from './plugins/use-hidden-suggestions.js';
import { useIntrospectionSwitch } from './plugins/use-introspection-switch.js';
import { useOperationMetrics } from './plugins/use-operation-metrics.js';

export interface GraphQLHardening {
  /** Who may introspect (GRAPHQL_INTROSPECTION): `authenticated`, everyone (`true`) or no one (`false`). */
  readonly introspection: IntrospectionMode;
  readonly maxCost: number;
  /** List size counted when no `limit` says it (the REST default page). */
  readonly defaultListSize: number;
  /** Largest list size counted (MAX_LIMIT). */
  readonly maxListSize: number;
  /** Operations per batch; 0: batching off. */
  readonly batchLimit: number;
  readonly observer?: GraphQLObserver | undefined;
}

/** The limits of the configuration's defaults (config.ts), for a server built without a config. */
export const DEFAULT_GRAPHQL_HARDENING: GraphQLHardening = Object.freeze({
  introspection: CONFIG_DEFAULTS.GRAPHQL_INTROSPECTION,
  maxCost: CONFIG_DEFAULTS.GRAPHQL_MAX_COST,
  defaultListSize: DEFAULT_LIMIT,
  maxListSize: CONFIG_DEFAULTS.MAX_LIMIT,
  batchLimit: CONFIG_DEFAULTS.GRAPHQL_BATCH_LIMIT,
});

export function hardeningPlugins(options: GraphQLHardening = DEFAULT_GRAPHQL_HARDENING): Plugin[] {
  return [
    useCsrfPrevention(),
    useBatchLimit(options.batchLimit),
    useIntrospectionSwitch(options.introspection),
    ...(options.introspection === true ? [] : [useHiddenSuggestions()]),
    useCostLimit({ maxCost: options.maxCost, defaultListSize: options.defaultListSize, maxListSize: options.maxListSize }),
    ...(options.observer ? [useOperationMetrics(options.observer)] : []),
  ];
}

/** yoga's `batching` option for a limit: off, or on with that limit (useBatchLimit gives the refusal its code). */
export function batchingOption(limit: number): false | { limit: number } {
  return limit > 0 ? { limit } : false;
}
