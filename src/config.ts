/**
 * One frozen, validated configuration, from the environment (and CLI flags, which the CLI maps onto the
 * same names). An invalid value stops the start with a message naming the variable and the expected form.
 */
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(v), { message: 'expected true or false' })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const url = z.string().url().refine((v) => /^https?:\/\//.test(v), { message: 'expected an http(s) URL' });
const count = z.coerce.number().int().min(0);
/** Comma-separated browser origins (`https://app.example.com`), or `*`; empty: none. */
const origins = z
  .string()
  .transform((v) => v.split(',').map((o) => o.trim()).filter((o) => o !== ''))
  .refine((list) => list.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)), {
    message: 'expected a comma-separated list of origins like https://app.example.com (scheme and host, no path), or *',
  });

const schema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(4000),
  BACKEND: z.enum(['embedded', 'odoo', 'proxy']).default('embedded'),
  DATA_DIR: z.string().min(1).default('./data'),
  DB_NAME: z.string().min(1).default('odoo'),
  DEMO_DATA: bool.default(true),
  SQLITE_SYNCHRONOUS: z.enum(['normal', 'full']).default('normal'),
  ODOO_URL: url.optional(),
  ODOO_DB: z.string().min(1).optional(),
  ODOO_TIMEOUT_MS: positiveInt.default(30_000),
  UPSTREAM_URL: url.optional(),
  UPSTREAM_TIMEOUT_MS: positiveInt.default(30_000),
  GATEWAY_URL: url.optional(),
  GATEWAY_TIMEOUT_MS: positiveInt.default(30_000),
  GATEWAY_CONNECT_TIMEOUT_MS: positiveInt.default(5_000),
  GATEWAY_CONNECTIONS: positiveInt.default(64),
  // MiB (estimated) of GET answers the GraphQL gateway client keeps to revalidate with If-None-Match (0: off).
  GATEWAY_CACHE_MB: count.max(4096).default(8),
  MAX_LIMIT: positiveInt.default(1000),
  BODY_LIMIT: positiveInt.default(1024 * 1024),
  GRAPHIQL: bool.default(true),
  // Typed GraphQL schema (issue 6): its models, and whose field metadata it is read as when the backend cannot say (odoo, proxy).
  GRAPHQL_MODELS: z.string().regex(/^\s*[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*(\s*,\s*[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*)*\s*$/, { message: 'expected comma-separated Odoo model names, e.g. sale.order,res.partner' }).optional(),
  GRAPHQL_SCHEMA_AUTHORIZATION: z.string().min(1).optional(),
  ALLOW_DEMO_PASSWORDS: bool.default(false),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  // Hardening (issue 7): GraphQL limits, REST rate limits and CORS, upstream retries and queues, observability.
  GRAPHQL_INTROSPECTION: bool.default(true),
  GRAPHQL_MAX_COST: positiveInt.default(10_000),
  GRAPHQL_BATCH_LIMIT: count.max(100).default(0),
  RATE_LIMIT: count.default(0),
  RATE_LIMIT_WINDOW_MS: positiveInt.default(60_000),
  CORS_ORIGINS: origins.default([]),
  GATEWAY_RETRIES: count.max(5).default(2),
  ODOO_RETRIES: count.max(5).default(2),
  RETRY_BACKOFF_MS: count.max(10_000).default(100),
  GATEWAY_QUEUE: count.default(256),
  ODOO_QUEUE: count.default(256),
  UPSTREAM_QUEUE: count.default(256),
  METRICS: bool.default(true),
  ACCESS_LOG: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Readonly<z.infer<typeof schema>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads the configuration from `env` (process.env by default) merged with explicit overrides. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Record<string, string | undefined> = {}): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = overrides[key] ?? env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(input[String(issue.path[0])])})`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (config.BACKEND === 'odoo' && (!config.ODOO_URL || !config.ODOO_DB)) {
    throw new ConfigError('invalid configuration:\n  BACKEND=odoo needs ODOO_URL (e.g. http://localhost:8069) and ODOO_DB');
  }
  if (config.BACKEND === 'proxy' && !config.UPSTREAM_URL) {
    throw new ConfigError('invalid configuration:\n  BACKEND=proxy needs UPSTREAM_URL (the REST gateway to forward to)');
  }
  return Object.freeze(config);
}

/** A configuration for tests and embedding: defaults plus the given values. */
export function testConfig(values: Record<string, string | number | boolean> = {}): Config {
  return loadConfig({}, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])));
}
