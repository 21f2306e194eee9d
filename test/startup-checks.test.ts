/** An embedded server with demo passwords refuses to listen beyond loopback, unless told to. */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedBackend } from '../src/backends/embedded/embedded-backend.js';
import { UpstreamClient } from '../src/backends/proxy/upstream-client.js';
import { ConfigError, testConfig } from '../src/config.js';
import { checkBeforeListen } from '../src/startup-checks.js';
import { freshDataDir } from './helpers/server.js';

const run = promisify(execFile);
const dataDir = freshDataDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function open() {
  return new EmbeddedBackend({ dataDir, dbName: 'odoo', demo: true });
}

describe('checkBeforeListen', () => {
  it('allows loopback, refuses 0.0.0.0 naming the users with demo passwords, allows it when told', async () => {
    const backend = open();
    try {
      expect(() => checkBeforeListen(testConfig({ HOST: '127.0.0.1' }), backend)).not.toThrow();
      expect(() => checkBeforeListen(testConfig({ HOST: '0.0.0.0' }), backend)).toThrow(ConfigError);
      expect(() => checkBeforeListen(testConfig({ HOST: '0.0.0.0' }), backend)).toThrow(/admin, demo, manager, portal/);
      expect(() => checkBeforeListen(testConfig({ HOST: '0.0.0.0', ALLOW_DEMO_PASSWORDS: true }), backend)).not.toThrow();
    } finally {
      await backend.close();
    }
  });

  it('a data source that holds no passwords (the upstream of BACKEND=proxy) has none to refuse on', async () => {
    const upstream = new UpstreamClient({ url: 'http://127.0.0.1:9' });
    try {
      expect(() =>
        checkBeforeListen(testConfig({ HOST: '0.0.0.0', BACKEND: 'proxy', UPSTREAM_URL: 'http://127.0.0.1:9' }), upstream),
      ).not.toThrow();
    } finally {
      await upstream.close();
    }
  });

  it('passes once every demo password is changed with `odoo-graphql user password`', async () => {
    const check = open();
    const logins = check.loginsWithDemoPasswords();
    await check.close();
    for (const login of logins) {
      const child = run(process.execPath, ['bin/odoo-graphql.js', 'user', 'password', '--login', login], {
        env: { ...process.env, DATA_DIR: dataDir },
      });
      child.child.stdin!.end(`a-long-secret-for-${login}\n`);
      expect((await child).stdout).toMatch(`password of ${login} changed`);
    }
    const backend = open();
    try {
      expect(() => checkBeforeListen(testConfig({ HOST: '0.0.0.0' }), backend)).not.toThrow();
      expect(backend.auth.checkPassword('admin', 'a-long-secret-for-admin')).toBe(2);
      expect(backend.auth.checkPassword('admin', 'admin')).toBeNull();
    } finally {
      await backend.close();
    }
  }, 60_000);
});
