/**
 * The CLI as a user runs it (`odoo-graphql apikey ...`, the real bin, running the compiled dist/cli.js), against the database
 * of a running server: a new key works at once, `list` shows it without the secret, `revoke` refuses it
 * at once on the running server.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useServer } from '../helpers/use-server.js';

const run = promisify(execFile);
const server = useServer();

function cli(...args: string[]) {
  return run(process.execPath, ['bin/odoo-graphql.js', ...args], { env: { ...process.env, DATA_DIR: server.dataDir } });
}

describe('odoo-graphql apikey', () => {
  it('create prints a key once; it works on the running server; list shows it; revoke refuses it at once', async () => {
    const created = await cli('apikey', 'create', '--login', 'demo', '--name', 'laptop');
    const key = created.stdout.trim();
    expect(key).toMatch(/^[0-9a-f]{40}$/);
    expect(created.stderr).toMatch(/shown only this once/);

    const ok = await fetch(`${server.url}/api/crm_lead?limit=1`, { headers: { authorization: `Bearer ${key}` } });
    expect(ok.status).toBe(200);

    const listed = await cli('apikey', 'list');
    const line = listed.stdout.split('\n').find((l) => l.includes('laptop'));
    expect(line).toContain('demo');
    expect(line).toContain(`${key.slice(0, 8)}...`);
    expect(listed.stdout).not.toContain(key);

    const revoked = await cli('apikey', 'revoke', key.slice(0, 8));
    expect(revoked.stdout).toMatch(/revoked 1 key/);
    const refused = await fetch(`${server.url}/api/crm_lead?limit=1`, { headers: { authorization: `Bearer ${key}` } });
    expect(refused.status).toBe(401);
  });

  it('refuses an unknown login, a missing --login and an invalid setting with a clear message', async () => {
    await expect(cli('apikey', 'create', '--login', 'nobody')).rejects.toMatchObject({
      stderr: expect.stringMatching(/no active user with login 'nobody'/),
    });
    await expect(cli('apikey', 'create')).rejects.toMatchObject({ stderr: expect.stringMatching(/needs --login/) });
    await expect(cli('apikey', 'list', '--port', 'eighty')).rejects.toMatchObject({ stderr: expect.stringMatching(/PORT/) });
  });

  it('revokes by id or by the first 8 characters, also when those are all digits', () => {
    const ids = (prefix: string) => server.backend.listApiKeys().filter((k) => k.prefix === prefix).length;
    const key = server.backend.createApiKey('demo', 'digits');
    const prefix = key.slice(0, 8);
    // A key whose first characters are all digits is looked up by prefix, never taken for an id.
    server.backend.db.prepare('UPDATE res_users_apikeys SET index_prefix = ? WHERE index_prefix = ?').run('12345678', prefix);
    expect(server.backend.revokeApiKey('12345678')).toBe(1);
    expect(ids('12345678')).toBe(0);
    server.backend.createApiKey('demo', 'by id');
    const other = server.backend.listApiKeys().at(-1)!;
    expect(server.backend.revokeApiKey(String(other.id))).toBe(1);
    expect(server.backend.revokeApiKey('not-a-key')).toBe(0);
  });

  it('stores only a hash of the key', async () => {
    const key = (await cli('apikey', 'create', '--login', 'admin')).stdout.trim();
    const rows = server.backend.db.prepare('SELECT * FROM res_users_apikeys').all();
    expect(JSON.stringify(rows)).not.toContain(key);
  });
});
