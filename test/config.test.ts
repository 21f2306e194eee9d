/** Configuration: defaults a user can rely on, and a start refused with a message naming the variable. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('defaults to a loopback embedded server on port 4000 with data in ./data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ HOST: '127.0.0.1', PORT: 4000, BACKEND: 'embedded', DATA_DIR: './data', DB_NAME: 'odoo', MAX_LIMIT: 1000, GRAPHIQL: true });
    expect(Object.isFrozen(config)).toBe(true);
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
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('loadConfig: hardening keys (issue 7)', () => {
  it('defaults: introspection on, cost 10000, batching, rate limiting and CORS off, two retries, queues of 256, metrics on', () => {
    expect(loadConfig({})).toMatchObject({
      GRAPHQL_INTROSPECTION: true, GRAPHQL_MAX_COST: 10_000, GRAPHQL_BATCH_LIMIT: 0, RATE_LIMIT: 0, RATE_LIMIT_WINDOW_MS: 60_000,
      CORS_ORIGINS: [], GATEWAY_RETRIES: 2, ODOO_RETRIES: 2, RETRY_BACKOFF_MS: 100, GATEWAY_QUEUE: 256, ODOO_QUEUE: 256, UPSTREAM_QUEUE: 256,
      METRICS: true, ACCESS_LOG: false, GATEWAY_CACHE_MB: 8,
    });
    expect(loadConfig({ GATEWAY_CACHE_MB: '0' }).GATEWAY_CACHE_MB).toBe(0);
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example, http://localhost:5173' }).CORS_ORIGINS).toEqual(['https://app.example', 'http://localhost:5173']);
  });

  it.each([
    [{ CORS_ORIGINS: 'app.example' }, /CORS_ORIGINS: expected a comma-separated list of origins/],
    [{ CORS_ORIGINS: 'https://app.example/path' }, /CORS_ORIGINS/],
    [{ GRAPHQL_MAX_COST: '0' }, /GRAPHQL_MAX_COST/],
    [{ RATE_LIMIT: '-1' }, /RATE_LIMIT/],
    [{ GATEWAY_RETRIES: '9' }, /GATEWAY_RETRIES/],
    [{ GATEWAY_CACHE_MB: '-1' }, /GATEWAY_CACHE_MB/],
    [{ GATEWAY_CACHE_MB: 'lots' }, /GATEWAY_CACHE_MB/],
    [{ GRAPHQL_INTROSPECTION: 'sometimes' }, /GRAPHQL_INTROSPECTION: expected true or false/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
