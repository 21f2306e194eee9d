/**
 * Errors about the request's variables (a missing required variable, an `Int` given `"ten"`, a
 * `Domain` given an object) come out of execution with HTTP 400 and no data, but no code. They are
 * the caller's input: code them BAD_USER_INPUT, as the scalars' own errors are.
 */
import type { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

function codeInputErrors(result: unknown): void {
  if (isAsyncIterable(result) || typeof result !== 'object' || result === null || 'data' in result) return;
  const { errors } = result as { errors?: readonly GraphQLError[] };
  // envelop types the result without graphql (`any`): yoga executes with graphql-js, whose errors these are.
  for (const error of errors ?? []) {
    const extensions = error.extensions as Record<string, unknown> & { http?: { status?: number } };
    if (extensions.code === undefined && extensions.http?.status === 400) extensions.code = 'BAD_USER_INPUT';
  }
}

export function useBadUserInputCodes(): Plugin {
  return {
    onExecute() {
      return { onExecuteDone: ({ result }) => codeInputErrors(result) };
    },
    // A subscription's variables are coerced when it is subscribed to (over SSE or WebSocket).
    onSubscribe() {
      return { onSubscribeResult: ({ result }) => codeInputErrors(result) };
    },
  };
}
