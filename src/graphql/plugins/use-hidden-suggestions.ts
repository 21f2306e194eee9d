/**
 * graphql-js answers a wrong name with a guess ("Cannot query field "saleOrdr" on type "Query". Did you
 * mean "saleOrder"?"), which spells the schema out one guess at a time: unless GRAPHQL_INTROSPECTION=true,
 * the guesses are cut from every error. Under `authenticated` they are cut for every caller too: telling
 * a valid key from a wrong one takes a gateway call, which a mistyped operation must not cost (nothing
 * is sent for an invalid operation), and a caller who may introspect has the schema itself (GraphiQL
 * underlines and completes from it). graphql-armor's blockFieldSuggestion sees validation errors only
 * (variables are coerced at execution: "Field "typ" is not defined by type "CrmLeadInput". Did you mean
 * "type"?") and misses the "Did you mean the enum value ..." form; this runs on each operation's final
 * result, and makes new errors rather than edit yoga's cached validation results.
 */
import { isAsyncIterable, createGraphQLError, type Plugin } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';

/** graphql-js's didYouMean(): ` Did you mean "a"?`, `"a" or "b"?`, `"a", "b", or "c"?`, with an optional `the enum value `. */
const SUGGESTION = / Did you mean (?:[a-z ]+ )?"[^"]*"(?:(?:, |,? or )"[^"]*")*\?/g;

function withoutSuggestion(error: GraphQLError): GraphQLError {
  if (!error.message.includes(' Did you mean ')) return error;
  return createGraphQLError(error.message.replace(SUGGESTION, ''), {
    ...(error.nodes && { nodes: error.nodes }),
    ...(error.source && { source: error.source }),
    ...(error.positions && { positions: error.positions }),
    ...(error.path && { path: error.path }),
    ...(error.originalError && { originalError: error.originalError }),
    extensions: error.extensions,
  });
}

export function useHiddenSuggestions(): Plugin {
  return {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- envelop's setResult is a closure, not a method
    onExecutionResult({ result, setResult }) {
      if (!result || isAsyncIterable(result) || !result.errors?.some((error) => error.message.includes(' Did you mean '))) return;
      setResult({ ...result, errors: result.errors.map(withoutSuggestion) });
    },
  };
}
