/**
 * The GraphQL face's error codes (`extensions.code`) and the one place where gateway failures become
 * GraphQL errors. HTTP status travels inside the error (`extensions.http`), as graphql-yoga does; only
 * UNAUTHENTICATED changes the response's status (401, with `WWW-Authenticate: Bearer`).
 *
 * | gateway                         | code              |
 * |---------------------------------|-------------------|
 * | 400, 413, 414, 422, 431         | BAD_USER_INPUT    |
 * | 401, no credentials             | UNAUTHENTICATED   |
 * | 403                             | FORBIDDEN         |
 * | 404                             | NOT_FOUND         |
 * | timeout, 504                    | GATEWAY_TIMEOUT   |
 * | own queue full (overloaded)     | SERVICE_UNAVAILABLE (HTTP 503, Retry-After) |
 * | unreachable, 5xx, bad answer    | BAD_GATEWAY       |
 *
 * The contract's message is kept (it is written for the caller); a 5xx body never is. Anything that is
 * neither a GraphQLError nor a GatewayError is masked as "Unexpected error." and logged.
 */
import type { ASTNode, GraphQLError } from 'graphql';
import { createGraphQLError, maskError as yogaMaskError, type MaskError } from 'graphql-yoga';
import { GatewayError } from '../gateway/gateway-error.js';

export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_GATEWAY',
  'GATEWAY_TIMEOUT',
  'SERVICE_UNAVAILABLE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A client error found before anything is sent: wrong argument, invalid domain or scalar input. */
export function badUserInput(message: string, nodes?: ASTNode | readonly ASTNode[]): GraphQLError {
  return createGraphQLError(message, { ...(nodes && { nodes }), extensions: { code: 'BAD_USER_INPUT' satisfies ErrorCode } });
}

/** What the gateway would answer 404 to, known without asking (a slug that can name no model). */
export function notFound(message: string): GraphQLError {
  return createGraphQLError(message, { extensions: { code: 'NOT_FOUND' satisfies ErrorCode } });
}

/**
 * graphql ships CommonJS and ESM builds, and a test runner or bundler may load both (yoga's copy and
 * ours), so `instanceof GraphQLError` is unreliable here: recognise errors by name, and create them
 * with yoga's `createGraphQLError`, so that yoga (which does use `instanceof`) knows them as its own.
 */
export function isGraphQLError(value: unknown): value is GraphQLError {
  return value instanceof Error && value.name === 'GraphQLError';
}

export function codeForGateway(error: GatewayError): ErrorCode {
  if (error.code === 'GATEWAY_TIMEOUT') return 'GATEWAY_TIMEOUT';
  if (error.code === 'GATEWAY_NO_CREDENTIALS') return 'UNAUTHENTICATED';
  if (error.code === 'GATEWAY_OVERLOADED') return 'SERVICE_UNAVAILABLE';
  if (error.code !== 'GATEWAY_HTTP_ERROR') return 'BAD_GATEWAY';
  switch (error.status) {
    // 414 and 431, URL or headers too large: the caller's domain, too long for a gateway whose limit is
    // below ours (arguments.ts refuses what this process's own REST routes would).
    case 400:
    case 413:
    case 422:
    case 414:
    case 431:
      return 'BAD_USER_INPUT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    default:
      return 'BAD_GATEWAY';
  }
}

/**
 * The GraphQL error for a gateway failure, at the place (`located`: path, nodes) where it happened.
 * 4xx keep the contract's message; the others get the gateway client's own, which names no internals.
 */
export function graphQLErrorFromGateway(error: GatewayError, located?: GraphQLError): GraphQLError {
  const code = codeForGateway(error);
  const extensions: Record<string, unknown> = { code };
  if (code === 'UNAUTHENTICATED') extensions.http = { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } };
  if (code === 'SERVICE_UNAVAILABLE') extensions.http = { status: 503, headers: { 'Retry-After': '1' } };
  return createGraphQLError(error.message, {
    ...(located?.nodes && { nodes: located.nodes }),
    ...(located?.source && { source: located.source }),
    ...(located?.positions && { positions: located.positions }),
    ...(located?.path && { path: located.path }),
    // No originalError: the result is a GraphQL error of our own, never masked and never a 500.
    extensions,
  });
}

/**
 * yoga's `maskError`: gateway failures become coded errors (wherever they surface), GraphQL errors pass,
 * everything else becomes yoga's "Unexpected error." (with the original only in development). yoga logs
 * the original of every error this changes (create-graphql-server.ts, `logError`, picks the level).
 */
export const maskGraphQLError: MaskError = (error, message, isDev) => {
  const original = isGraphQLError(error) ? error.originalError : error;
  if (original instanceof GatewayError) return graphQLErrorFromGateway(original, isGraphQLError(error) ? error : undefined);
  return yogaMaskError(error, message, isDev);
};

/** The GatewayError behind an error yoga is about to log, if any. */
export function gatewayErrorOf(error: unknown): GatewayError | undefined {
  if (error instanceof GatewayError) return error;
  if (isGraphQLError(error) && error.originalError instanceof GatewayError) return error.originalError;
  return undefined;
}

/** Runs a scalar's parse and codes its uncoded GraphQL errors BAD_USER_INPUT (graphql-scalars leaves them bare). */
export function coded<T>(parse: () => T, nodes?: ASTNode): T {
  try {
    return parse();
  } catch (error) {
    if (isGraphQLError(error) && error.extensions.code === undefined) throw badUserInput(error.message, nodes);
    throw error;
  }
}
