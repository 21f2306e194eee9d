/**
 * Refuses an operation whose cost (operation-cost.ts: list sizes from `limit`) is above `maxCost`,
 * before any resolver runs, so nothing reaches the gateway: a GraphQL error coded
 * `COST_LIMIT_EXCEEDED` (HTTP 400) giving the cost and the limit. Checked at execution, where the
 * variables are known, rather than at validation, whose result yoga caches per document.
 */
import type { ExecutionArgs } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { operationCost, selectOperation, type CostOptions } from '../operation-cost.js';

export interface CostLimitOptions extends CostOptions {
  readonly maxCost: number;
}

export function useCostLimit(options: CostLimitOptions): Plugin {
  /** The refusal of an operation above the limit, or undefined. */
  const refusal = (args: unknown) => {
    // envelop types these arguments without graphql (`any`): yoga executes with graphql-js, whose they are.
    const { schema, document, operationName, variableValues } = args as ExecutionArgs;
    const operation = selectOperation(document, operationName);
    if (!operation) return undefined;
    const cost = operationCost(schema, document, operation, variableValues, options);
    if (cost <= options.maxCost) return undefined;
    return {
      errors: [
        createGraphQLError(
          `operation cost ${cost} is above the limit of ${options.maxCost}: ask for fewer records (a smaller limit), fewer aliases or less nesting`,
          { extensions: { code: 'COST_LIMIT_EXCEEDED', cost, maxCost: options.maxCost, http: { status: 400 } } },
        ),
      ],
    };
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const result = refusal(args);
      if (result) setResultAndStopExecution(result);
    },
    // Subscriptions are not executed but subscribed to (over SSE or WebSocket): the same limit.
    onSubscribe({ args, setResultAndStopExecution }) {
      const result = refusal(args);
      if (result) setResultAndStopExecution(result);
    },
  };
}
