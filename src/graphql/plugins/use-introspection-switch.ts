/**
 * GRAPHQL_INTROSPECTION=false: `__schema` and `__type` are refused at validation with the code
 * `INTROSPECTION_DISABLED` (a validation error: HTTP 400, or 200 for a client that accepts only
 * `application/json`, as GraphQL over HTTP says); `__typename` still works, as clients need it. GraphiQL then has
 * no schema to show, so a server that turns introspection off usually turns GraphiQL off too.
 */
import type { ASTVisitor, ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export const INTROSPECTION_DISABLED_MESSAGE = 'introspection is turned off on this server (GRAPHQL_INTROSPECTION=false)';

function noIntrospection(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        context.reportError(createGraphQLError(INTROSPECTION_DISABLED_MESSAGE, { nodes: node, extensions: { code: 'INTROSPECTION_DISABLED' } }));
      }
    },
  };
}

export function useIntrospectionSwitch(enabled: boolean): Plugin {
  if (enabled) return {};
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(noIntrospection);
    },
  };
}
