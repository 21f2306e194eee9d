/** Configuration: defaults a user can rely on, and a start refused with a message naming the variable. */
import { describe, expect, it } from 'vitest';
import { CONFIG_DEFAULTS, ConfigError, configSchema, loadConfig, type Config } from '../src/config.js';
import { GATEWAY_DEFAULTS } from '../src/gateway/gateway-client.js';
import { DEFAULT_GRAPHQL_HARDENING } from '../src/graphql/hardening.js';
import { DEFAULT_LIMIT } from '../src/gateway/contract-types.js';

describe('loadConfig', () => {
  it('defaults to a loopback embedded server on port 4000 with data in ./data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 4000,
      BACKEND: 'embedded',
      DATA_DIR: './data',
      DB_NAME: 'odoo',
      MAX_LIMIT: 1000,
      GRAPHIQL: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('refuses a DATA_DIR named like an API key without printing it back (it may be a secret); other folders pass', () => {
    const key = '6d7f74923b41d38322ee7a1b5ea4a49b1470540d';
    expect(() => loadConfig({ DATA_DIR: key })).toThrow(/^(?![\s\S]*6d7f7492)[\s\S]*DATA_DIR: looks like an API key/);
    for (const dir of ['./data', '/tmp/ogf-test-a1b2c3', `/tmp/${key}x`, `/tmp/${key}/odoo`])
      expect(loadConfig({ DATA_DIR: dir })).toMatchObject({ BACKEND: 'embedded', DATA_DIR: dir });
  });

  it('flags (overrides) win over the environment', () => {
    expect(loadConfig({ PORT: '5000' }, { PORT: '6000' }).PORT).toBe(6000);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ BACKEND: 'mysql' }, /BACKEND/],
    [{ MAX_LIMIT: '0' }, /MAX_LIMIT/],
    [{ GRAPHIQL: 'maybe' }, /GRAPHIQL: expected true or false/],
    [{ BACKEND: 'odoo' }, /BACKEND=odoo needs ODOO_URL/],
    [{ BACKEND: 'proxy' }, /BACKEND=proxy needs UPSTREAM_URL/],
    [{ UPSTREAM_URL: 'ftp://x' }, /UPSTREAM_URL/],
    // An API key where a folder belongs (arguments swapped): refused, rather than a folder named like a key.
    [{ DATA_DIR: '6d7f74923b41d38322ee7a1b5ea4a49b1470540d' }, /DATA_DIR: .*API key/],
    [{ DATA_DIR: '/tmp/6D7F74923B41D38322EE7A1B5EA4A49B1470540D/' }, /DATA_DIR: .*API key/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('loadConfig: hardening keys (issue 7)', () => {
  it('defaults: introspection for authenticated callers, cost 10000, batching, rate limiting and CORS off, two retries, queues of 256, metrics on', () => {
    expect(loadConfig({})).toMatchObject({
      GRAPHQL_INTROSPECTION: 'authenticated',
      GRAPHQL_MAX_COST: 10_000,
      GRAPHQL_BATCH_LIMIT: 0,
      RATE_LIMIT: 0,
      RATE_LIMIT_WINDOW_MS: 60_000,
      CORS_ORIGINS: [],
      GATEWAY_RETRIES: 2,
      ODOO_RETRIES: 2,
      RETRY_BACKOFF_MS: 100,
      GATEWAY_QUEUE: 256,
      ODOO_QUEUE: 256,
      UPSTREAM_QUEUE: 256,
      METRICS: true,
      ACCESS_LOG: false,
      GATEWAY_CACHE_MB: 8,
    });
    expect(loadConfig({ GATEWAY_CACHE_MB: '0' }).GATEWAY_CACHE_MB).toBe(0);
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example, http://localhost:5173' }).CORS_ORIGINS).toEqual([
      'https://app.example',
      'http://localhost:5173',
    ]);
  });

  it('GRAPHQL_INTROSPECTION: authenticated, or true/false as before (every spelling of a boolean)', () => {
    const mode = (value: string) => loadConfig({ GRAPHQL_INTROSPECTION: value }).GRAPHQL_INTROSPECTION;
    expect([mode('Authenticated'), mode('true'), mode('on'), mode('1'), mode('false'), mode('off'), mode('0')]).toEqual([
      'authenticated',
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it.each([
    [{ CORS_ORIGINS: 'app.example' }, /CORS_ORIGINS: expected a comma-separated list of origins/],
    [{ CORS_ORIGINS: 'https://app.example/path' }, /CORS_ORIGINS/],
    [{ GRAPHQL_MAX_COST: '0' }, /GRAPHQL_MAX_COST/],
    [{ RATE_LIMIT: '-1' }, /RATE_LIMIT/],
    [{ GATEWAY_RETRIES: '9' }, /GATEWAY_RETRIES/],
    [{ GATEWAY_CACHE_MB: '-1' }, /GATEWAY_CACHE_MB/],
    [{ GATEWAY_CACHE_MB: 'lots' }, /GATEWAY_CACHE_MB/],
    [{ GRAPHQL_INTROSPECTION: 'sometimes' }, /GRAPHQL_INTROSPECTION: expected authenticated, true or false/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('loadConfig: login floods (issue 13)', () => {
  it("defaults: Odoo's login cooldown (5 failures, 60 s), no proxy trusted", () => {
    expect(loadConfig({})).toMatchObject({ LOGIN_COOLDOWN_AFTER: 5, LOGIN_COOLDOWN_MS: 60_000, TRUST_PROXY: [] });
    expect(loadConfig({ LOGIN_COOLDOWN_AFTER: '0' }).LOGIN_COOLDOWN_AFTER).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16, ::1, fd00::/8, loopback' }).TRUST_PROXY).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it.each([
    [{ LOGIN_COOLDOWN_AFTER: '-1' }, /LOGIN_COOLDOWN_AFTER/],
    [{ LOGIN_COOLDOWN_MS: '0' }, /LOGIN_COOLDOWN_MS/],
    [{ TRUST_PROXY: 'proxy.example' }, /TRUST_PROXY: expected comma-separated proxy addresses or CIDRs/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY/],
    [{ TRUST_PROXY: 'true' }, /TRUST_PROXY/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('loadConfig: slow clients and /metrics (issue 13)', () => {
  it('defaults: headers 15 s, whole request 30 s, keep-alive 72 s, no metrics token', () => {
    expect(loadConfig({})).toMatchObject({ HEADERS_TIMEOUT_MS: 15_000, REQUEST_TIMEOUT_MS: 30_000, KEEP_ALIVE_TIMEOUT_MS: 72_000 });
    expect(loadConfig({}).METRICS_TOKEN).toBeUndefined();
  });

  it.each([
    [{ HEADERS_TIMEOUT_MS: '0' }, /HEADERS_TIMEOUT_MS/],
    [{ REQUEST_TIMEOUT_MS: 'never' }, /REQUEST_TIMEOUT_MS/],
    [{ KEEP_ALIVE_TIMEOUT_MS: '-5' }, /KEEP_ALIVE_TIMEOUT_MS/],
    [
      { HEADERS_TIMEOUT_MS: '20000', REQUEST_TIMEOUT_MS: '10000' },
      /HEADERS_TIMEOUT_MS \(20000\) must not exceed REQUEST_TIMEOUT_MS \(10000\)/,
    ],
    [{ METRICS_TOKEN: 'too-short' }, /METRICS_TOKEN: expected at least 16 visible ASCII characters/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('defaults are written once, in the schema (refactoring issue, item 4)', () => {
  it('CONFIG_DEFAULTS is the configuration of an empty environment, frozen', () => {
    expect(CONFIG_DEFAULTS).toEqual(loadConfig({}));
    expect(Object.isFrozen(CONFIG_DEFAULTS)).toBe(true);
  });

  it("the gateway client's defaults are the GATEWAY_* settings' defaults", () => {
    expect(GATEWAY_DEFAULTS).toMatchObject({
      connections: CONFIG_DEFAULTS.GATEWAY_CONNECTIONS,
      connectTimeout: CONFIG_DEFAULTS.GATEWAY_CONNECT_TIMEOUT_MS,
      timeout: CONFIG_DEFAULTS.GATEWAY_TIMEOUT_MS,
      retries: CONFIG_DEFAULTS.GATEWAY_RETRIES,
      retryBackoffMs: CONFIG_DEFAULTS.RETRY_BACKOFF_MS,
      maxQueue: CONFIG_DEFAULTS.GATEWAY_QUEUE,
      cacheBytes: CONFIG_DEFAULTS.GATEWAY_CACHE_MB * 1024 * 1024,
    });
    // The values themselves did not move.
    expect(GATEWAY_DEFAULTS).toEqual({
      connections: 64,
      connectTimeout: 5_000,
      timeout: 30_000,
      keepAliveTimeout: 10_000,
      maxResponseBytes: 64 * 1024 * 1024,
      userAgent: 'odoo-graphql-facade (gateway client)',
      retries: 2,
      retryBackoffMs: 100,
      maxQueue: 256,
      cacheBytes: 8 * 1024 * 1024,
    });
  });

  it("GraphQL's default limits are the GRAPHQL_* and MAX_LIMIT defaults, and the REST default page", () => {
    expect(DEFAULT_GRAPHQL_HARDENING).toEqual({
      introspection: CONFIG_DEFAULTS.GRAPHQL_INTROSPECTION,
      maxCost: CONFIG_DEFAULTS.GRAPHQL_MAX_COST,
      defaultListSize: DEFAULT_LIMIT,
      maxListSize: CONFIG_DEFAULTS.MAX_LIMIT,
      batchLimit: CONFIG_DEFAULTS.GRAPHQL_BATCH_LIMIT,
    });
    expect(DEFAULT_GRAPHQL_HARDENING).toEqual({
      introspection: 'authenticated',
      maxCost: 10_000,
      defaultListSize: 80,
      maxListSize: 1000,
      batchLimit: 0,
    });
  });
});

describe('the backend part of the configuration, keyed on BACKEND (refactoring issue, item 2b)', () => {
  /** The settings only the named backend reads (a compile-time check as much as a run-time one). */
  function backendSettings(config: Config): Record<string, unknown> {
    switch (config.BACKEND) {
      case 'embedded':
        return { dataDir: config.DATA_DIR, dbName: config.DB_NAME, demo: config.DEMO_DATA, synchronous: config.SQLITE_SYNCHRONOUS };
      case 'odoo': {
        // Required with BACKEND=odoo: strings, no non-null assertion needed.
        const url: string = config.ODOO_URL;
        const db: string = config.ODOO_DB;
        return { url, db, timeout: config.ODOO_TIMEOUT_MS, retries: config.ODOO_RETRIES, maxQueue: config.ODOO_QUEUE };
      }
      case 'proxy': {
        const url: string = config.UPSTREAM_URL;
        return { url, timeout: config.UPSTREAM_TIMEOUT_MS, maxQueue: config.UPSTREAM_QUEUE };
      }
    }
  }

  it('embedded (the default): DATA_DIR, DB_NAME, DEMO_DATA, SQLITE_SYNCHRONOUS', () => {
    expect(backendSettings(loadConfig({}))).toEqual({ dataDir: './data', dbName: 'odoo', demo: true, synchronous: 'normal' });
  });

  it('odoo: ODOO_URL and ODOO_DB as given, with the ODOO_* defaults', () => {
    const config = loadConfig({ BACKEND: 'odoo', ODOO_URL: 'http://localhost:8069', ODOO_DB: 'prod' });
    expect(backendSettings(config)).toEqual({ url: 'http://localhost:8069', db: 'prod', timeout: 30_000, retries: 2, maxQueue: 256 });
    expect(() => loadConfig({ BACKEND: 'odoo', ODOO_URL: 'http://localhost:8069' })).toThrow(
      /^invalid configuration:\n {2}BACKEND=odoo needs ODOO_URL \(e\.g\. http:\/\/localhost:8069\) and ODOO_DB$/,
    );
  });

  it('proxy: UPSTREAM_URL as given, with the UPSTREAM_* defaults', () => {
    const config = loadConfig({ BACKEND: 'proxy', UPSTREAM_URL: 'https://odoo.example.com' });
    expect(backendSettings(config)).toEqual({ url: 'https://odoo.example.com', timeout: 30_000, maxQueue: 256 });
    expect(() => loadConfig({ BACKEND: 'proxy' })).toThrow(
      /^invalid configuration:\n {2}BACKEND=proxy needs UPSTREAM_URL \(the REST gateway to forward to\)$/,
    );
  });

  it('the exported configSchema is what loadConfig applies: every setting a key of its input, its output the configuration', () => {
    const parsed = configSchema.safeParse({ BACKEND: 'proxy', UPSTREAM_URL: 'https://odoo.example.com', PORT: '5000' });
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual({ ...loadConfig({ BACKEND: 'proxy', UPSTREAM_URL: 'https://odoo.example.com', PORT: '5000' }) });
    expect(configSchema.safeParse({}).data).toEqual({ ...CONFIG_DEFAULTS });
    expect(configSchema.safeParse({ BACKEND: 'proxy' }).error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [[], 'BACKEND=proxy needs UPSTREAM_URL (the REST gateway to forward to)'],
    ]);
  });
});
