/**
 * The REST face of BACKEND=proxy: `/api/*` and `/web/session/*` forwarded to the upstream REST gateway
 * unchanged — method, path, query, body, the `Authorization` header and the `session_id` cookie — and
 * its status, body and the headers a client acts on (content type, cookies, `WWW-Authenticate`,
 * `Allow`...) relayed back. The upstream judges everything (auth, 404, 405, 415...); only its absence
 * is answered here: 502 when it cannot be reached, 504 when it does not answer in time, 413 above the
 * body limit, all as `{"error": ...}` (docs/rest-contract.md, "Errors"). Other paths: 404 as on the REST face.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UpstreamClient } from '../backends/proxy/upstream-client.js';
import { COMPANIES_HEADER, credentialsFrom } from '../gateway/credentials.js';
import { toApiError } from './api-error.js';

export interface ProxyRoutesOptions {
  readonly upstream: Pick<UpstreamClient, 'forward'>;
  /** Largest request body forwarded, in bytes (413 above). */
  readonly bodyLimit: number;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
// `x-request-id` (src/observability) lets the upstream's log lines carry this request's id.
// `if-none-match` and `etag`: the upstream's conditional reads (304) work through the proxy too.
const FORWARDED_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'accept',
  'accept-language',
  'user-agent',
  'x-request-id',
  'if-none-match',
] as const;
const RELAYED_RESPONSE_HEADERS = [
  'content-type',
  'content-language',
  'cache-control',
  'set-cookie',
  'www-authenticate',
  'allow',
  'retry-after',
  'location',
  'etag',
  // A binary field's bytes (binary-field-route.ts): how to show them, and SVG's sandbox.
  'content-disposition',
  'content-security-policy',
] as const;

/** The headers sent upstream: the caller's credentials and content headers, plus the usual X-Forwarded-*. */
function forwardedHeaders(request: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  // The session cookie alone (other cookies of this host are not the upstream's business), and the companies
  // of the web client's `cids` cookie as the header the upstream reads (src/rest/call-context.ts).
  const { sessionCookie, companyIds } = credentialsFrom(request.headers);
  if (sessionCookie) headers.cookie = sessionCookie;
  if (companyIds !== undefined) headers[COMPANIES_HEADER] = companyIds;
  const forwardedFor = request.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = typeof forwardedFor === 'string' ? `${forwardedFor}, ${request.ip}` : request.ip;
  headers['x-forwarded-proto'] = request.protocol;
  if (request.headers.host) headers['x-forwarded-host'] = request.headers.host;
  return headers;
}

export async function registerProxyRoutes(app: FastifyInstance, { upstream, bodyLimit }: ProxyRoutesOptions): Promise<void> {
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` });
  });

  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    const answer = await upstream.forward({
      method: request.method,
      pathAndQuery: request.raw.url ?? request.url,
      headers: forwardedHeaders(request),
      body: Buffer.isBuffer(request.body) ? request.body : undefined,
    });
    reply.code(answer.status);
    for (const name of RELAYED_RESPONSE_HEADERS) {
      const value = answer.headers[name];
      if (value !== undefined) reply.header(name, value);
    }
    return reply.send(answer.body);
  };

  await app.register(async (scope) => {
    // Bodies travel as bytes: the upstream, not this process, decides what it accepts.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((error, request, reply) => {
      const apiError = toApiError(error);
      if (apiError.status >= 500) request.log.error({ err: error }, 'proxy request failed');
      reply.code(apiError.status).headers(apiError.headers).send({ error: apiError.message });
    });
    for (const url of ['/api/*', '/web/session/*']) scope.route({ method: [...METHODS], url, handler: forward });
  });
}
