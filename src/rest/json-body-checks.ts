/**
 * One place where every JSON a request carries is checked for the flaws of src/input/json-scan.ts
 * (nesting deeper than 64 levels, unpaired UTF-16 surrogates) before anything reads it (issue 13):
 * - REST bodies: Fastify's JSON parser, wrapped: the text is scanned before it is parsed, 400 `{"error"}`;
 * - bodies read raw (the GraphQL face, the proxy): scanned in a preValidation hook when their content
 *   type is JSON, and so are GraphQL's `variables` and `extensions` query parameters (GET). GraphQL answers
 *   in its own shape, code `BAD_USER_INPUT`, and nothing reaches the gateway.
 * Must be registered on the root instance before the routes and scopes that read bodies.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { jsonTextProblem } from '../input/json-scan.js';
import { ApiError } from './api-error.js';

export interface JsonBodyCheckOptions {
  /** The GraphQL route, answered in GraphQL's error shape. */
  readonly graphqlEndpoint: string;
}

const JSON_CONTENT = /\bjson\b/i;
/** Methods whose requests carry no body in this API: an empty one is no body, not an empty JSON text. */
const BODILESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);
const GRAPHQL_JSON_PARAMETERS = ['variables', 'extensions'] as const;

function rawBodyProblem(request: FastifyRequest): string | undefined {
  if (!Buffer.isBuffer(request.body) || !JSON_CONTENT.test(request.headers['content-type'] ?? '')) return undefined;
  return jsonTextProblem(request.body, 'request body');
}

function graphqlParameterProblem(request: FastifyRequest): string | undefined {
  const query = request.query as Record<string, unknown> | undefined;
  for (const name of GRAPHQL_JSON_PARAMETERS) {
    const value = query?.[name];
    const problem = typeof value === 'string' ? jsonTextProblem(value, `query parameter '${name}'`) : undefined;
    if (problem) return problem;
  }
  return undefined;
}

export function registerJsonBodyChecks(app: FastifyInstance, options: JsonBodyCheckOptions): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string; // parseAs: 'string'
    // A request that needs no body and sends none is served whatever its Content-Type says, as Odoo
    // serves it (docs/rest-contract.md C-TRANSPORT-08): clients send `Content-Type: application/json` on
    // every request, DELETE included. A create or update with an empty body is still refused.
    if (text === '' && BODILESS_METHODS.has(request.method)) return done(null, undefined);
    const problem = jsonTextProblem(text, 'request body');
    if (problem) return done(new ApiError(400, problem), undefined);
    return parseJson(request, text, done);
  });

  app.addHook('preValidation', async (request, reply) => {
    const graphql = request.routeOptions.url === options.graphqlEndpoint;
    const problem = rawBodyProblem(request) ?? (graphql ? graphqlParameterProblem(request) : undefined);
    if (problem === undefined) return;
    request.log.info({ status: 400, reason: problem }, 'request refused');
    reply.code(400).type('application/json; charset=utf-8');
    return reply.send(graphql ? { errors: [{ message: problem, extensions: { code: 'BAD_USER_INPUT' } }] } : { error: problem });
  });
}
