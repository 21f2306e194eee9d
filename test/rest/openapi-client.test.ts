/**
 * A typed client generated from the live server's /openapi.json, as docs/rest.md shows it: openapi-typescript
 * (its programmatic API) writes the types into a temporary folder, and a small openapi-fetch client over them
 * must compile under `tsc --strict --noEmit` (string ids and unknown selection keys must not) and then run
 * against this server on loopback: create -> read -> update -> delete a sale order, passing back the integer
 * id the API returned, and read a partner through the generic path.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../helpers/use-server.js';
import { AZURE_INTERIOR } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const server = useServer();
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ogf-openapi-client-'));
  // The client's imports (openapi-fetch, @types/node) resolve from this project's packages.
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeFileSync(join(dir, 'api.d.ts'), astToString(await openapiTS(new URL('/openapi.json', server.url))));
  writeFileSync(join(dir, 'client.ts'), CLIENT);
  writeFileSync(join(dir, 'must-not-compile.ts'), MUST_NOT_COMPILE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The client, as a user of the API would write it; `run` returns what it saw. */
const CLIENT = `import createClient from 'openapi-fetch';
import type { components, paths } from './api.js';

type SaleOrder = components['schemas']['SaleOrder'];

export async function run(baseUrl: string, authorization: string, partnerId: number) {
  const api = createClient<paths>({ baseUrl, headers: { authorization } });

  const page = await api.GET('/api/sale_order', { params: { query: { fields: 'id,name,state', limit: 2, offset: 0 } } });
  if (!page.data) throw new Error('list: ' + page.response.status);
  const total: number = page.data.total;
  const states: Array<SaleOrder['state']> = page.data.results.map((order) => order.state);

  const created = await api.POST('/api/sale_order', { body: { partner_id: { id: partnerId }, client_order_ref: 'typed client' } });
  if (!created.data) throw new Error('create: ' + created.response.status + ' ' + created.error?.error);
  const id: number = created.data.id;

  const read = await api.GET('/api/sale_order/{id}', { params: { path: { id }, query: { fields: 'name,partner_id,state' } } });
  if (!read.data) throw new Error('read: ' + read.response.status);
  const customer = read.data.partner_id;
  const customerName: string | undefined = customer ? customer.name : undefined;

  const updated = await api.PUT('/api/sale_order/{id}', { params: { path: { id } }, body: { client_order_ref: 'typed client, updated' } });
  if (!updated.data) throw new Error('update: ' + updated.response.status);
  const patched = await api.PATCH('/api/sale_order/{id}', { params: { path: { id } }, body: { note: 'patched' } });
  if (!patched.data) throw new Error('patch: ' + patched.response.status);

  const generic = await api.GET('/api/{slug}/{id}', { params: { path: { slug: 'res_partner', id: partnerId }, query: { fields: 'name' } } });
  const fields = await api.GET('/api/sale_order/fields');

  const deleted = await api.DELETE('/api/sale_order/{id}', { params: { path: { id } } });
  if (!deleted.data) throw new Error('delete: ' + deleted.response.status);
  const gone = await api.GET('/api/sale_order/{id}', { params: { path: { id } } });
  const goneError: string | undefined = gone.error?.error;

  return {
    total,
    states,
    id,
    state: read.data.state,
    customerName,
    ref: updated.data.record.client_order_ref,
    note: patched.data.record.note,
    partner: generic.data?.name,
    partnerType: fields.data?.partner_id?.relation,
    deleted: deleted.data.ok,
    goneStatus: gone.response.status,
    goneError,
  };
}
`;

/** Each line here must be a type error: tsc fails on an `@ts-expect-error` that expects none. */
const MUST_NOT_COMPILE = `import createClient from 'openapi-fetch';
import type { components, paths } from './api.js';

const api = createClient<paths>({ baseUrl: 'http://127.0.0.1:4000' });
export async function wrong() {
  // @ts-expect-error a record id is an integer, not its text
  await api.GET('/api/sale_order/{id}', { params: { path: { id: '21' } } });
  // @ts-expect-error limit is an integer
  await api.GET('/api/sale_order', { params: { query: { limit: '80' } } });
  // @ts-expect-error the generic slug is one of the described models
  await api.GET('/api/{slug}', { params: { path: { slug: 'no_such_model' } } });
  // @ts-expect-error a sale order's state is one of its keys
  const state: components['schemas']['SaleOrder']['state'] = 'shipped';
  return state;
}
`;

const execFileAsync = promisify(execFile);

describe('a client generated from /openapi.json', () => {
  it('OC-01 compiles under tsc --strict --noEmit, and what it must not do does not', async () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--strict', '--noEmit', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    const result = await execFileAsync(
      process.execPath,
      [tsc, ...args, '--lib', 'es2022,dom', '--types', 'node', 'client.ts', 'must-not-compile.ts'],
      {
        cwd: dir,
      },
    ).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: `${error.stdout ?? ''}${error.stderr ?? ''}`, failed: true }));
    expect(result.stdout).toBe('');
  }, 60_000);

  it('OC-02 runs against the server: list, create, read, update, delete with the integer id passed back', async () => {
    const { run } = (await import(pathToFileURL(join(dir, 'client.ts')).href)) as {
      run: (baseUrl: string, authorization: string, partnerId: number) => Promise<Record<string, unknown>>;
    };
    const seen = await run(server.url, server.authorization('admin'), AZURE_INTERIOR);
    expect(seen).toMatchObject({
      total: expect.any(Number),
      id: expect.any(Number),
      state: 'draft',
      customerName: 'Azure Interior',
      ref: 'typed client, updated',
      note: 'patched',
      partner: 'Azure Interior',
      partnerType: 'res.partner',
      deleted: true,
      goneStatus: 404,
      goneError: expect.any(String),
    });
    expect((await server.request('admin', 'GET', `/api/sale_order/${String(seen.id)}`)).status).toBe(404);
  }, 30_000);
});
