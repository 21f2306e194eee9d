/**
 * The HTTP-level protections of both faces, as Fastify plugins registered before any route:
 * - security headers, helmet's set as one static table (`X-Content-Type-Options: nosniff`,
 *   `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`, ...; @fastify/helmet's per-request middleware
 *   cost about 40 MB of resident memory under the soak, so the same values are set directly), and a
 *   Content-Security-Policy that allows nothing to API answers (`default-src 'none'`) and, for HTML pages
 *   (GraphiQL, /docs), this origin's scripts, styles, workers and fetches plus the page's own inline
 *   scripts by hash;
 * - CORS (@fastify/cors), off unless `CORS_ORIGINS` names origins: a request from another origin gets
 *   no CORS header at all, so browsers keep other sites out;
 * - per-caller rate limiting (@fastify/rate-limit), off unless `RATE_LIMIT` > 0: a fixed window per
 *   user, or per client address for requests without a valid credential (rate-limit-key.ts); 429 with
 *   `Retry-After`, in the REST `{"error"}` shape or, on /graphql, as a GraphQL error coded
 *   `RATE_LIMITED`. The self-gateway's hops (GraphQL reaching this process's REST routes) are not
 *   counted again, nor are probes and metrics.
 */
import { createHash } from 'node:crypto';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addressBuckets, type CallerBuckets } from './rate-limit-key.js';

export interface SecurityOptions {
  /** Browser origins allowed to call (with credentials), or `['*']` for any origin without credentials; empty: none. */
  readonly corsOrigins: readonly string[];
  /** Requests per window per caller; 0 turns rate limiting off. */
  readonly rateLimit: number;
  readonly rateLimitWindowMs: number;
  /** Whose bucket a request counts in (rate-limit-key.ts); by default its client address. */
  readonly buckets?: CallerBuckets;
  /** Requests that are this process calling itself (the GraphQL face's gateway hops): never rate limited. */
  readonly isInternal: (request: FastifyRequest) => boolean;
}

/**
 * Helmet 8's defaults, minus what does not fit here: no HSTS (HTTPS is the business of the TLS
 * terminator in front; over plain HTTP it means nothing), no COEP (it would stop GraphiQL's workers),
 * `X-Frame-Options: DENY` rather than SAMEORIGIN, and no referrer at all. The CSP is set per answer.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

/** What an API answer may load or be framed by: nothing. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * What an HTML page of this server (GraphiQL) may use: scripts, styles, fonts, workers and fetches of
 * this origin, the page's own inline scripts by hash, inline styles (the editor sets them), data: images
 * and fonts. No other origin, no framing.
 */
export function pageCsp(inlineScriptHashes: readonly string[] = []): string {
  const scripts = ["'self'", ...inlineScriptHashes.map((hash) => `'sha256-${hash}'`)].join(' ');
  return [
    "default-src 'self'",
    `script-src ${scripts}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** SHA-256 (base64) of each inline, executable `<script>` of an HTML page (JSON data blocks are not run). */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const [, attributes = '', body = ''] = match;
    if (/\bsrc\s*=/i.test(attributes) || /\btype\s*=\s*["']?application\/(ld\+)?json/i.test(attributes) || body === '') continue;
    hashes.push(createHash('sha256').update(body, 'utf8').digest('base64'));
  }
  return hashes;
}

/** Paths never rate limited: probes and metrics, and the static files of GraphiQL and /docs. */
const UNLIMITED_PATHS = new Set(['/api/health', '/readyz', '/metrics']);
const UNLIMITED_PREFIXES = ['/graphql/assets/', '/docs/'];

function isUnlimited(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return UNLIMITED_PATHS.has(path) || UNLIMITED_PREFIXES.some((prefix) => path.startsWith(prefix));
}

export async function registerSecurityPlugins(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  // The CSP depends on what is answered: set once the answer is known.
  const pagePolicies = new Map<string, string>();
  // The self-gateway's hops are answered to this process, never to a browser: no browser headers.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (options.isInternal(request)) return done(null, payload);
    reply.headers(SECURITY_HEADERS);
    if (reply.hasHeader('content-security-policy')) return done(null, payload);
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.startsWith('text/html')) {
      reply.header('content-security-policy', API_CSP);
      return done(null, payload);
    }
    const html = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    let policy = pagePolicies.get(html);
    if (!policy) {
      policy = pageCsp(inlineScriptHashes(html));
      if (pagePolicies.size < 16) pagePolicies.set(html, policy);
    }
    reply.header('content-security-policy', policy);
    done(null, payload);
  });

  if (options.corsOrigins.length > 0) {
    const any = options.corsOrigins.includes('*');
    const allowed = new Set(options.corsOrigins);
    const corsOptions = {
      origin: any ? '*' : true,
      credentials: !any,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: [
        'authorization',
        'content-type',
        'accept',
        'if-none-match',
        'x-request-id',
        'x-graphql-csrf',
        'apollo-require-preflight',
        'x-apollo-operation-name',
      ],
      exposedHeaders: [
        'x-request-id',
        'etag',
        'retry-after',
        'www-authenticate',
        'x-ratelimit-limit',
        'x-ratelimit-remaining',
        'x-ratelimit-reset',
      ],
      maxAge: 600,
    };
    await app.register(cors, {
      // A request from an origin not listed is left alone: no CORS headers, and OPTIONS is answered as before.
      delegator: (request, callback) => {
        const origin = request.headers.origin;
        callback(null, origin !== undefined && (any || allowed.has(origin)) ? corsOptions : { origin: false });
      },
    });
  }

  if (options.rateLimit > 0) {
    const buckets = options.buckets ?? addressBuckets;
    const exempt = (request: FastifyRequest) => options.isInternal(request) || isUnlimited(request.url);
    if (buckets.answered) {
      const answered = buckets.answered.bind(buckets);
      app.addHook('onResponse', (request, reply, done) => {
        answered(request, reply.statusCode);
        done();
      });
    }
    await app.register(rateLimit, {
      global: true,
      max: options.rateLimit,
      timeWindow: options.rateLimitWindowMs,
      // The plugin asks for the key before the allow list: exempt requests are not worth a credential check.
      keyGenerator: (request) => (exempt(request) ? 'exempt' : buckets.key(request)),
      allowList: exempt,
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        code: 'RATE_LIMITED',
        message: `rate limit exceeded: at most ${context.max} requests per ${context.after} for this caller; retry in ${Math.max(1, Math.ceil(context.ttl / 1000))} s`,
      }),
    });
  }
}
