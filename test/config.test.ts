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
