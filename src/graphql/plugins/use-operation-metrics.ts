/**
 * Reports each executed operation (name, type, time, whether it had errors) and every error code
 * answered, refusals before execution included, to an observer (src/observability/metrics.ts).
 */
import { performance } from 'node:perf_hooks';
import type { ExecutionArgs, ExecutionResult, GraphQLErrorExtensions } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { GraphQLObserver } from '../../observability/metrics.js';
import { selectOperation } from '../operation-cost.js';

export function useOperationMetrics(observer: GraphQLObserver): Plugin {
  return {
    onExecute({ args }) {
      const started = performance.now();
      // envelop types these arguments without graphql (`any`): yoga executes with graphql-js, whose they are.
      const { document, operationName } = args as ExecutionArgs;
      const operation = selectOperation(document, operationName);
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          observer.operationDone({
            name: operation?.name?.value,
            type: operation?.operation ?? 'query',
            durationMs: performance.now() - started,
            failed: (result.errors?.length ?? 0) > 0,
          });
        },
      };
    },
    onResultProcess({ result }) {
      if (isAsyncIterable(result)) return;
      const results: readonly ExecutionResult[] = Array.isArray(result) ? result : [result as ExecutionResult];
      const codes: string[] = [];
      for (const one of results) {
        for (const error of one.errors ?? []) {
          // An error yoga did not make may come without extensions, whatever its type says.
          const code = (error.extensions as GraphQLErrorExtensions | undefined)?.code;
          codes.push(typeof code === 'string' ? code : 'UNKNOWN');
        }
      }
      if (codes.length) observer.errorsAnswered(codes);
    },
  };
}
