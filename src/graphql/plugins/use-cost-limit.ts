/**
 * Refuses an operation whose cost (operation-cost.ts: list sizes from `limit`) is above `maxCost`,
 * before any resolver runs, so nothing reaches the gateway: a GraphQL error coded
 * `COST_LIMIT_EXCEEDED` (HTTP 400) giving the cost and the limit. Checked at execution, where the
 * variables are known, rather than at validation, whose result yoga caches per document.
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { operationCost, selectOperation, type CostOptions } from '../operation-cost.js';

export interface CostLimitOptions extends CostOptions {
  readonly maxCost: number;
}

export function useCostLimit(options: CostLimitOptions): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = selectOperation(args.document, args.operationName);
      if (!operation) return;
      const cost = operationCost(args.schema, args.document, operation, args.variableValues as Record<string, unknown> | undefined, options);
      if (cost <= options.maxCost) return;
      setResultAndStopExecution({
        errors: [
          createGraphQLError(
            `operation cost ${cost} is above the limit of ${options.maxCost}: ask for fewer records (a smaller limit), fewer aliases or less nesting`,
            { extensions: { code: 'COST_LIMIT_EXCEEDED', cost, maxCost: options.maxCost, http: { status: 400 } } },
          ),
        ],
      });
    },
  };
}
