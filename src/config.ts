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
  MAX_LIMIT: positiveInt.default(1000),
  BODY_LIMIT: positiveInt.default(1024 * 1024),
  GRAPHIQL: bool.default(true),
  ALLOW_DEMO_PASSWORDS: bool.default(false),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
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
