/**
 * Batching (a JSON array of operations in one POST), when GRAPHQL_BATCH_LIMIT allows it: a batch of more
 * than `limit` operations is refused before any runs, coded `BATCH_LIMIT_EXCEEDED` (HTTP 413). With
 * batching off (the default), yoga itself refuses any array: "Batching is not supported." (`BAD_REQUEST`, 400).
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export function useBatchLimit(limit: number): Plugin {
  return {
    onRequestParse() {
      return {
        onRequestParseDone({ requestParserResult }) {
          if (limit > 0 && Array.isArray(requestParserResult) && requestParserResult.length > limit) {
            throw createGraphQLError(`a batch may hold at most ${limit} operations; this one holds ${requestParserResult.length}`, {
              extensions: { code: 'BATCH_LIMIT_EXCEEDED', http: { status: 413 } },
            });
          }
        },
      };
    },
  };
}
