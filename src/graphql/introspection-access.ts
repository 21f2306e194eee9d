/**
 * Who may introspect the schema (GRAPHQL_INTROSPECTION): everyone (`true`), no one (`false`), or, by
 * default, `authenticated`: a caller whose API key or session cookie the gateway accepts. Accepted
 * means checked, not just present: the gateway's session info, the call `me` makes, which the REST
 * face answers only for live credentials (a revoked key or a destroyed session is refused at once).
 * The typed schema is a map of every model and field; handing it to anyone who asks is not a default.
 */
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { credentialsFrom, hasCredentials } from '../gateway/credentials.js';
import { GatewayError } from '../gateway/gateway-error.js';
import type { RestGateway } from '../gateway/rest-gateway.js';

export type IntrospectionMode = 'authenticated' | boolean;

export const INTROSPECTION_DISABLED_MESSAGE = 'introspection is turned off on this server (GRAPHQL_INTROSPECTION=false)';
export const INTROSPECTION_NEEDS_CREDENTIALS =
  "introspection needs a valid API key or session: send 'Authorization: Bearer <API key>' or a session_id cookie " +
  '(in GraphiQL: the key in the Headers tab, then re-fetch the schema)';

/** The refusal, as graphql-yoga codes a validation error: HTTP 400, or 200 to a client that accepts only `application/json`. */
export function introspectionRefused(message: string): GraphQLError {
  return createGraphQLError(message, { extensions: { code: 'INTROSPECTION_DISABLED', http: { spec: true, status: 400 } } });
}

/** Whether the request carries a key or session cookie at all (nothing to check without one). */
export function sendsCredentials(request: Request): boolean {
  return hasCredentials(credentialsFrom(request.headers));
}

/**
 * Whether the gateway accepts the caller's credentials: true, false (refused: 401 or 403), or the
 * gateway's failure thrown (unreachable, overloaded...). Through the operation's gateway the call is
 * made once per operation, and `me` reuses it.
 */
export async function credentialsAccepted(gateway: RestGateway): Promise<boolean> {
  try {
    await gateway.sessionInfo();
    return true;
  } catch (error) {
    if (error instanceof GatewayError && (error.status === 401 || error.status === 403)) return false;
    throw error;
  }
}
