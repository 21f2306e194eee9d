/**
 * Refuses an operation whose cost (operation-cost.ts: list sizes from `limit`) is above `maxCost`,
 * before any resolver runs, so nothing reaches the gateway: a GraphQL error coded
 * `COST_LIMIT_EXCEEDED` (HTTP 400) giving the cost and the limit. Checked at execution, where the
 * variables are known, rather than at validation, whose result yoga caches per document.
 */
import type { DocumentNode, ExecutionArgs, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { operationCost, selectOperation, type CostOptions } from '../operation-cost.js';

export interface CostLimitOptions extends CostOptions {
  readonly maxCost: number;
}

/**
 * Costs kept per document, for this many operation names and variables at most (the same operation sent
 * again costs no walk), and only for variables of at most MAX_KEPT_INPUT characters (as JSON).
 */
const COSTS_PER_DOCUMENT = 16;
const MAX_KEPT_INPUT = 1024;

export function useCostLimit(options: CostLimitOptions): Plugin {
  // yoga's parser cache gives the same document for the same text; the cost depends on the schema too.
  const costs = new WeakMap<DocumentNode, { schema: GraphQLSchema; byInput: Map<string, number> }>();
  const costOf = ({ schema, document, operationName, variableValues }: ExecutionArgs, operation: OperationDefinitionNode) => {
    let known = costs.get(document);
    if (known?.schema !== schema) {
      known = { schema, byInput: new Map() };
      costs.set(document, known);
    }
    const input = `${operationName ?? ''}\n${JSON.stringify(variableValues ?? {})}`;
    let cost = known.byInput.get(input);
    if (cost === undefined) {
      cost = operationCost(schema, document, operation, variableValues, options);
      if (known.byInput.size < COSTS_PER_DOCUMENT && input.length <= MAX_KEPT_INPUT) known.byInput.set(input, cost);
    }
    return cost;
  };
  /** The refusal of an operation above the limit, or undefined. */
  const refusal = (args: unknown) => {
    // envelop types these arguments without graphql (`any`): yoga executes with graphql-js, whose they are.
    const executionArgs = args as ExecutionArgs;
    const operation = selectOperation(executionArgs.document, executionArgs.operationName);
    if (!operation) return undefined;
    const cost = costOf(executionArgs, operation);
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
