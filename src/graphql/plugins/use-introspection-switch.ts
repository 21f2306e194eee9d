/**
 * GRAPHQL_INTROSPECTION (introspection-access.ts) applied to `__schema` and `__type`; `__typename` always
 * works, as clients need it. Refusals are INTROSPECTION_DISABLED, HTTP 400 (200 to a client that accepts
 * only `application/json`, as GraphQL over HTTP says for validation errors):
 * - `false`, and an anonymous caller under `authenticated`: at validation, nothing sent;
 * - a caller with credentials under `authenticated`: before execution, once the gateway has said whether
 *   it accepts them (one session-info call per operation, shared with `me`). Refused: nothing runs.
 * GraphiQL sends its Headers tab with its introspection, so a key there is all it needs.
 */
import { BREAK, visit, type ASTVisitor, type DocumentNode, type ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { GatewayError } from '../../gateway/gateway-error.js';
import type { GraphQLContext } from '../context.js';
import { graphQLErrorFromGateway } from '../errors.js';
import {
  credentialsAccepted,
  INTROSPECTION_DISABLED_MESSAGE,
  INTROSPECTION_NEEDS_CREDENTIALS,
  introspectionRefused,
  sendsCredentials,
  type IntrospectionMode,
} from '../introspection-access.js';

const isIntrospection = (name: string) => name === '__schema' || name === '__type';

function refuseAt(context: ValidationContext, message: string): ASTVisitor {
  return {
    Field(node) {
      if (isIntrospection(node.name.value))
        context.reportError(createGraphQLError(message, { nodes: node, extensions: { code: 'INTROSPECTION_DISABLED' } }));
    },
  };
}
// Named rules: yoga caches validation results per set of rule names.
const noIntrospection = (context: ValidationContext) => refuseAt(context, INTROSPECTION_DISABLED_MESSAGE);
const noAnonymousIntrospection = (context: ValidationContext) => refuseAt(context, INTROSPECTION_NEEDS_CREDENTIALS);

/** Whether a document introspects, per document: yoga's parser cache gives the same document for the same text. */
const INTROSPECTS = new WeakMap<DocumentNode, boolean>();

function introspects(document: DocumentNode): boolean {
  let found = INTROSPECTS.get(document);
  if (found === undefined) {
    found = findsIntrospection(document);
    INTROSPECTS.set(document, found);
  }
  return found;
}

function findsIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (!isIntrospection(node.name.value)) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

export function useIntrospectionSwitch(mode: IntrospectionMode): Plugin {
  if (mode === true) return {};
  return {
    onValidate({ context, addValidationRule }) {
      if (mode === false) addValidationRule(noIntrospection);
      else if (!sendsCredentials(context.request)) addValidationRule(noAnonymousIntrospection);
    },
    async onExecute({ args, setResultAndStopExecution }) {
      // Anonymous callers were refused introspection at validation: only a caller with credentials gets
      // here with an introspecting document, so the document is walked for those alone.
      const { gateway, request } = args.contextValue as Partial<GraphQLContext> & { request?: Request };
      if (mode !== 'authenticated' || !request || !sendsCredentials(request) || !introspects(args.document as DocumentNode)) return;
      try {
        if (gateway && (await credentialsAccepted(gateway))) return;
        setResultAndStopExecution({ errors: [introspectionRefused(INTROSPECTION_NEEDS_CREDENTIALS)] });
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        setResultAndStopExecution({ errors: [graphQLErrorFromGateway(error)] });
      }
    },
  };
}
