/**
 * Persisted queries (issue 16), from graphql-yoga's own plugins, in one of three modes:
 * - APQ, the default (@graphql-yoga/plugin-apq): automatic persisted queries as Apollo's
 *   PersistedQueryLink speaks them. A request with only `extensions.persistedQuery.sha256Hash` runs the
 *   query kept under that hash, or is answered `PersistedQueryNotFound` (PERSISTED_QUERY_NOT_FOUND, 404),
 *   on which the client sends the query with its hash: the plugin checks that the hash is the query's
 *   (`PersistedQueryMismatch`, PERSISTED_QUERY_MISMATCH, 400) and keeps it. Kept in an LRU of at most
 *   `apqMaxEntries` queries and `apqMaxBytes` bytes, beside the file's operations, which it never evicts.
 * - persisted-only (@graphql-yoga/plugin-persisted-operations, `only`): the file's operations alone run,
 *   by hash; a query sent as text is refused (PERSISTED_QUERY_ONLY, 400), an unknown hash is
 *   PERSISTED_QUERY_NOT_FOUND (404). Nothing is registered.
 * - APQ off (`apqMaxEntries` 0): the file's operations by hash and any query as text. A hash not known is
 *   PERSISTED_QUERY_NOT_FOUND with a file (the client then sends the query), else
 *   `PersistedQueryNotSupported` (PERSISTED_QUERY_NOT_SUPPORTED, 400), on which Apollo stops sending
 *   hashes, rather than yoga's "Must provide query string.", on which it gives up.
 * Only the query text comes from here: it is parsed, validated and executed as any other, so every limit
 * (depth, aliases, tokens, cost, introspection, CSRF prevention, batching) holds for persisted queries too.
 */
import { useAPQ, type APQStore } from '@graphql-yoga/plugin-apq';
import { usePersistedOperations, type CustomErrorFactory } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { PersistedOperations } from '../persisted-operations.js';

export interface PersistedQueriesOptions {
  /** Queries the APQ store keeps (GRAPHQL_APQ_MAX_ENTRIES); 0: APQ off. */
  readonly apqMaxEntries: number;
  /** Bytes of query text (UTF-8, with the hash) the APQ store keeps (GRAPHQL_APQ_MAX_BYTES). */
  readonly apqMaxBytes: number;
  /** Operations known by the SHA-256 of their text (GRAPHQL_PERSISTED_OPERATIONS). */
  readonly operations?: PersistedOperations | undefined;
  /** Run the operations of `operations` only (GRAPHQL_PERSISTED_ONLY). */
  readonly only?: boolean;
}

export const PERSISTED_QUERY_ONLY_MESSAGE =
  'only persisted operations run here: send the SHA-256 of a known operation in extensions.persistedQuery.sha256Hash, without the query';

const notFound: CustomErrorFactory = {
  // The message is what clients match on (Apollo's PersistedQueryLink also takes the code).
  message: 'PersistedQueryNotFound',
  extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 404 } },
};
const notSupported: CustomErrorFactory = {
  message: 'PersistedQueryNotSupported',
  extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED', http: { status: 400 } },
};
const persistedOnly: CustomErrorFactory = {
  message: PERSISTED_QUERY_ONLY_MESSAGE,
  extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } },
};
/** What yoga itself answers a request without a query (400, or 200 to a client that accepts only application/json). */
const noQuery: CustomErrorFactory = {
  message: 'Must provide query string.',
  extensions: { code: 'BAD_REQUEST', http: { spec: true, status: 400 } },
};

/**
 * The APQ store: the file's operations, then an LRU (lru-cache) of the queries clients registered,
 * bounded by count and by bytes; a query larger than the whole budget is not kept (its client keeps
 * sending it in full, and it still runs). Not the plugin's `createInMemoryAPQStore`, which bounds the
 * count only (and drops every query after 36 seconds).
 */
export function createApqStore(options: PersistedQueriesOptions): APQStore & { readonly size: number } {
  const registered = new LRUCache<string, string>({
    max: options.apqMaxEntries,
    maxSize: options.apqMaxBytes,
    sizeCalculation: (query, hash) => Buffer.byteLength(query, 'utf8') + hash.length,
  });
  const known = options.operations;
  return {
    get: (hash) => known?.get(hash) ?? registered.get(hash),
    set: (hash, query) => {
      if (!known?.has(hash)) registered.set(hash, query);
    },
    get size() {
      return registered.size;
    },
  };
}

export function usePersistedQueries(options: PersistedQueriesOptions): Plugin {
  const known = options.operations ?? new Map<string, string>();
  const getPersistedOperation = (hash: string) => known.get(hash) ?? null;
  if (options.only) {
    return usePersistedOperations({
      getPersistedOperation,
      allowArbitraryOperations: false,
      customErrors: { notFound, persistedQueryOnly: persistedOnly, keyNotFound: persistedOnly },
    });
  }
  if (options.apqMaxEntries > 0) return useAPQ({ store: createApqStore(options) });
  return usePersistedOperations({
    getPersistedOperation,
    allowArbitraryOperations: true,
    customErrors: { notFound: options.operations ? notFound : notSupported, keyNotFound: noQuery },
  });
}
