/**
 * Errors about the request's variables (a missing required variable, an `Int` given `"ten"`, a
 * `Domain` given an object) come out of execution with HTTP 400 and no data, but no code. They are
 * the caller's input: code them BAD_USER_INPUT, as the scalars' own errors are.
 */
import type { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

export function useBadUserInputCodes(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result) || 'data' in result || !result.errors) return;
          // envelop types the result without graphql (`any`): yoga executes with graphql-js, whose errors these are.
          for (const error of result.errors as readonly GraphQLError[]) {
            const extensions = error.extensions as Record<string, unknown> & { http?: { status?: number } };
            if (extensions.code === undefined && extensions.http?.status === 400) extensions.code = 'BAD_USER_INPUT';
          }
        },
      };
    },
  };
}
