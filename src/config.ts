/**
 * One frozen, validated configuration, from the environment (and CLI flags, which the CLI maps onto the
 * same names). An invalid value stops the start with a message naming the variable and the expected form.
 */
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(v), { message: 'expected true or false' })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const url = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//.test(v), { message: 'expected an http(s) URL' });
const count = z.coerce.number().int().min(0);
/** Who may introspect GraphQL: `authenticated` (a key or session the gateway accepts), or true/false for everyone. */
const introspection = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => v === 'authenticated' || bool.safeParse(v).success, { message: 'expected authenticated, true or false' })
  .transform((v): 'authenticated' | boolean => (v === 'authenticated' ? 'authenticated' : bool.parse(v)));
/** Comma-separated browser origins (`https://app.example.com`), or `*`; empty: none. */
const origins = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
  )
  .refine((list) => list.every((o) => o === '*' || /^https?:\/\/[^/\s]+$/.test(o)), {
    message: 'expected a comma-separated list of origins like https://app.example.com (scheme and host, no path), or *',
  });

/** Most server processes WORKERS may ask for (`auto` too is capped at it). */
export const MAX_WORKERS = 64;

/**
 * Server processes on the one port (src/cluster.ts): a whole number from 1 (one process, no cluster) to
 * MAX_WORKERS, or `auto`, one per CPU the process may use (os.availableParallelism()), read at start.
 */
const workers = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => v === 'auto' || (/^[0-9]{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_WORKERS), {
    message: `expected a whole number from 1 to ${MAX_WORKERS}, or auto (one per CPU)`,
  })
  .transform((v) => (v === 'auto' ? Math.min(availableParallelism(), MAX_WORKERS) : Number(v)));

/**
 * The folder of the SQLite file. Its last segment must not be 40 hex characters, the shape of an API key
 * (ours and Odoo's): a key there means arguments were swapped or the wrong variable was read, and the
 * server would otherwise quietly create a database in a folder named like a secret (as once happened
 * in the repository's root).
 */
const dataDir = z
  .string()
  .min(1)
  .refine(
    (v) =>
      !/^[0-9a-f]{40}$/i.test(
        v
          .split(/[\\/]/)
          .filter((s) => s !== '')
          .at(-1) ?? '',
      ),
    {
      message: 'looks like an API key (40 hex characters), not a folder: DATA_DIR is the folder of odoo.sqlite',
      params: { secret: true }, // not echoed back in the error: it may be one
    },
  );

/**
 * Reverse proxies whose `X-Forwarded-For` names the client (comma-separated addresses or CIDRs, or
 * proxy-addr's `loopback`, `linklocal`, `uniquelocal`). Without one the peer address is the client: a
 * header anyone can send must not choose the bucket that login cooldowns and rate limits count in.
 */
const proxies = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
  )
  .refine((list) => list.every(isProxyAddress), {
    message: 'expected comma-separated proxy addresses or CIDRs (10.0.0.1, 10.0.0.0/8, ::1), or loopback, linklocal, uniquelocal',
  });

function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/** Every setting and its default, whatever BACKEND is: the one place each default is written. */
const settingsSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(4000),
  // Server processes sharing the port and DATA_DIR (issue 20): 1 is one process, no cluster.
  WORKERS: workers.default(1),
  BACKEND: z.enum(['embedded', 'odoo', 'proxy']).default('embedded'),
  DATA_DIR: dataDir.default('./data'),
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
  GRAPHQL_MODELS: z
    .string()
    .regex(/^\s*[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*(\s*,\s*[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*)*\s*$/, {
      message: 'expected comma-separated Odoo model names, e.g. sale.order,res.partner',
    })
    .optional(),
  GRAPHQL_SCHEMA_AUTHORIZATION: z.string().min(1).optional(),
  ALLOW_DEMO_PASSWORDS: bool.default(false),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  // Slow clients (issue 13): a request's headers, the whole request (headers and body), an idle keep-alive connection.
  HEADERS_TIMEOUT_MS: positiveInt.default(15_000),
  REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
  KEEP_ALIVE_TIMEOUT_MS: positiveInt.default(72_000),
  // Hardening (issue 7): GraphQL limits, REST rate limits and CORS, upstream retries and queues, observability.
  GRAPHQL_INTROSPECTION: introspection.default('authenticated'),
  GRAPHQL_MAX_COST: positiveInt.default(10_000),
  GRAPHQL_BATCH_LIMIT: count.max(100).default(0),
  // Persisted queries (issue 16): Apollo's automatic persisted queries, kept in an LRU (0 entries: off), and a
  // JSON file of operations known by hash, which GRAPHQL_PERSISTED_ONLY makes the only ones that run.
  GRAPHQL_APQ_MAX_ENTRIES: count.default(1000),
  GRAPHQL_APQ_MAX_BYTES: positiveInt.default(4 * 1024 * 1024),
  GRAPHQL_PERSISTED_OPERATIONS: z.string().min(1).optional(),
  GRAPHQL_PERSISTED_ONLY: bool.default(false),
  // GraphQL subscriptions (issue 19), long polls of the change feed: how many per WebSocket connection and per
  // caller, how long each poll waits, the changes kept for a subscriber that reads slowly, and ws's ping interval.
  GRAPHQL_MAX_SUBSCRIPTIONS_PER_CONNECTION: positiveInt.default(10),
  GRAPHQL_MAX_SUBSCRIPTIONS_PER_USER: positiveInt.default(50),
  GRAPHQL_SUBSCRIPTION_WAIT_S: positiveInt.max(3600).default(25),
  GRAPHQL_SUBSCRIPTION_QUEUE: positiveInt.default(1000),
  GRAPHQL_WS_KEEPALIVE_MS: positiveInt.default(12_000),
  RATE_LIMIT: count.default(0),
  RATE_LIMIT_WINDOW_MS: positiveInt.default(60_000),
  CORS_ORIGINS: origins.default([]),
  // Login floods (issue 13): Odoo's base.login_cooldown_after (0: off) and base.login_cooldown_duration, per address and per login.
  LOGIN_COOLDOWN_AFTER: count.default(5),
  LOGIN_COOLDOWN_MS: positiveInt.default(60_000),
  TRUST_PROXY: proxies.default([]),
  GATEWAY_RETRIES: count.max(5).default(2),
  ODOO_RETRIES: count.max(5).default(2),
  RETRY_BACKOFF_MS: count.max(10_000).default(100),
  GATEWAY_QUEUE: count.default(256),
  ODOO_QUEUE: count.default(256),
  UPSTREAM_QUEUE: count.default(256),
  METRICS: bool.default(true),
  // Bearer token /metrics asks for; without one, /metrics is served only when HOST is loopback (startup-checks.ts).
  METRICS_TOKEN: z
    .string()
    .refine((v) => /^[\x21-\x7e]{16,}$/.test(v), {
      message: 'expected at least 16 visible ASCII characters (no spaces)',
      params: { secret: true },
    })
    .optional(),
  // Change feed (issue 19): how long and how many rows the embedded store's change log keeps (a cursor
  // older than it is a 410), and long polling's longest wait and most requests waiting at once per process.
  CHANGES_MAX_AGE_S: positiveInt.default(86_400),
  CHANGES_MAX_ROWS: positiveInt.default(100_000),
  CHANGES_MAX_WAIT_S: positiveInt.max(3600).default(30),
  CHANGES_MAX_WAITERS: count.default(1000),
  // Server-sent events of the feed (Accept: text/event-stream): the heartbeat, the events a stream queues
  // for a client that does not read (beyond, it is disconnected), the streams one user may hold open, and
  // how often a stream's credentials are checked again (a revoked key ends it).
  CHANGES_HEARTBEAT_S: positiveInt.max(3600).default(15),
  CHANGES_STREAM_QUEUE: positiveInt.default(1000),
  CHANGES_STREAMS_PER_USER: positiveInt.default(100),
  CHANGES_AUTH_CHECK_S: positiveInt.max(3600).default(5),
  // BACKEND=odoo: how often the feed polls Odoo (search_read of the domain's ids and write_date) while clients wait.
  CHANGES_ODOO_POLL_MS: positiveInt.min(100).default(2000),
  ACCESS_LOG: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Every setting at once, whatever BACKEND is (what CONFIG_DEFAULTS holds). */
export type Settings = Readonly<z.output<typeof settingsSchema>>;

/** Settings that only one backend reads: in a Config, the part BACKEND selects. */
type EmbeddedSetting = 'DATA_DIR' | 'DB_NAME' | 'DEMO_DATA' | 'SQLITE_SYNCHRONOUS';
type OdooSetting = 'ODOO_URL' | 'ODOO_DB' | 'ODOO_TIMEOUT_MS' | 'ODOO_RETRIES' | 'ODOO_QUEUE';
type ProxySetting = 'UPSTREAM_URL' | 'UPSTREAM_TIMEOUT_MS' | 'UPSTREAM_QUEUE';
type SharedSettings = Omit<Settings, 'BACKEND' | EmbeddedSetting | OdooSetting | ProxySetting>;

/** BACKEND=embedded: the SQLite store in DATA_DIR. */
export type EmbeddedConfig = SharedSettings & Pick<Settings, EmbeddedSetting> & { readonly BACKEND: 'embedded' };
/** BACKEND=odoo: a real Odoo at ODOO_URL, database ODOO_DB (both required). */
export type OdooConfig = SharedSettings &
  Pick<Settings, Exclude<OdooSetting, 'ODOO_URL' | 'ODOO_DB'>> & {
    readonly BACKEND: 'odoo';
    readonly ODOO_URL: string;
    readonly ODOO_DB: string;
  };
/** BACKEND=proxy: the REST face forwards to UPSTREAM_URL (required). */
export type ProxyConfig = SharedSettings &
  Pick<Settings, Exclude<ProxySetting, 'UPSTREAM_URL'>> & { readonly BACKEND: 'proxy'; readonly UPSTREAM_URL: string };

/** The configuration: the shared settings, and those of the backend BACKEND names, its required ones present. */
export type Config = EmbeddedConfig | OdooConfig | ProxyConfig;

type BackendPart =
  Pick<EmbeddedConfig, 'BACKEND'> | Pick<OdooConfig, 'BACKEND' | 'ODOO_URL' | 'ODOO_DB'> | Pick<ProxyConfig, 'BACKEND' | 'UPSTREAM_URL'>;

/** What BACKEND selects, with the settings it requires; undefined when one of them is missing. */
function backendPart(settings: z.output<typeof settingsSchema>): BackendPart | undefined {
  const { BACKEND, ODOO_URL, ODOO_DB, UPSTREAM_URL } = settings;
  switch (BACKEND) {
    case 'embedded':
      return { BACKEND };
    case 'odoo':
      return ODOO_URL && ODOO_DB ? { BACKEND, ODOO_URL, ODOO_DB } : undefined;
    case 'proxy':
      return UPSTREAM_URL ? { BACKEND, UPSTREAM_URL } : undefined;
  }
}

/**
 * The configuration schema: each setting checked and defaulted (above), then the checks across settings,
 * giving a Config whose backend part is the one BACKEND names. A check across settings fails with an issue
 * at no path, whose message names the variables itself.
 */
export const configSchema = settingsSchema.transform((settings, ctx): Config => {
  const refuse = (message: string) => {
    ctx.addIssue({ code: 'custom', message, input: settings });
    return z.NEVER;
  };
  const part = backendPart(settings);
  if (!part && settings.BACKEND === 'odoo') return refuse('BACKEND=odoo needs ODOO_URL (e.g. http://localhost:8069) and ODOO_DB');
  if (settings.HEADERS_TIMEOUT_MS > settings.REQUEST_TIMEOUT_MS) {
    return refuse(
      `HEADERS_TIMEOUT_MS (${settings.HEADERS_TIMEOUT_MS}) must not exceed REQUEST_TIMEOUT_MS (${settings.REQUEST_TIMEOUT_MS}): the headers are part of the request`,
    );
  }
  if (settings.GRAPHQL_PERSISTED_ONLY && !settings.GRAPHQL_PERSISTED_OPERATIONS) {
    return refuse('GRAPHQL_PERSISTED_ONLY=true needs GRAPHQL_PERSISTED_OPERATIONS (the JSON file of the operations to run)');
  }
  if (!part) return refuse('BACKEND=proxy needs UPSTREAM_URL (the REST gateway to forward to)');
  return { ...settings, ...part };
});

/**
 * Every setting's default, read off the schema over an empty environment, so that each default is written
 * once, above. Code that needs one outside a loaded config (a client's own defaults, GATEWAY_DEFAULTS,
 * DEFAULT_GRAPHQL_HARDENING) takes it from here.
 */
export const CONFIG_DEFAULTS: Settings = Object.freeze(settingsSchema.parse({}));

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads the configuration from `env` (process.env by default) merged with explicit overrides. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Record<string, string | undefined> = {},
): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value = overrides[key] ?? env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const line = (issue: (typeof parsed.error.issues)[number]) => {
      // A check across settings (no path) names its variables and values itself.
      if (issue.path.length === 0) return `  ${issue.message}`;
      const secret = issue.code === 'custom' && Boolean(issue.params?.secret);
      return `  ${issue.path.join('.')}: ${issue.message}${secret ? '' : ` (got ${JSON.stringify(input[String(issue.path[0])])})`}`;
    };
    throw new ConfigError(`invalid configuration:\n${parsed.error.issues.map(line).join('\n')}`);
  }
  return Object.freeze(parsed.data);
}

/** A configuration for tests and embedding: defaults plus the given values. */
export function testConfig(values: Record<string, string | number | boolean> = {}): Config {
  return loadConfig({}, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])));
}
