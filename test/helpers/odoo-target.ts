/**
 * The live Odoo a suite runs in front of, from the environment (test/backends/odoo/live.test.ts,
 * test/rest/contract-reference.test.ts): ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_API_KEY, ODOO_PG_URL, and
 * optionally ODOO_PASSWORD, ODOO_SECRETS=demo:<key>,..., ODOO_PASSWORDS=demo:<pw>,...
 */
import type { OdooTarget } from './server.js';

/** `login:secret,login:secret` as an object (the secret may hold colons). */
export function pairs(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = item.indexOf(':');
    if (colon > 0) out[item.slice(0, colon)] = item.slice(colon + 1);
  }
  return out;
}

/** Odoo's `common.version`: the server version, as session info reports it. */
export async function commonVersion(url: string): Promise<{ server_version: string; server_version_info: unknown[] }> {
  const response = await fetch(`${url.replace(/\/+$/, '')}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service: 'common', method: 'version', args: [] }, id: 1 }),
  });
  const body = (await response.json()) as { result?: { server_version: string; server_version_info: unknown[] } };
  if (!body.result) throw new Error(`${url}/jsonrpc common.version answered ${JSON.stringify(body)}`);
  return body.result;
}

/** The names of the required variables the environment lacks (`extra` are required too). */
export function missingOdooVariables(extra: Record<string, string | undefined> = {}): string[] {
  const { ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_API_KEY, ODOO_PG_URL } = process.env;
  return Object.entries({ ODOO_URL, ODOO_DB, ODOO_LOGIN, ODOO_API_KEY, ODOO_PG_URL, ...extra })
    .filter(([, value]) => !value)
    .map(([name]) => name);
}

/** The target the environment names (call only when `missingOdooVariables()` is empty); asks Odoo its version. */
export async function odooTargetFromEnv(): Promise<OdooTarget> {
  const env = process.env;
  const version = await commonVersion(env.ODOO_URL!);
  return {
    url: env.ODOO_URL!,
    db: env.ODOO_DB!,
    login: env.ODOO_LOGIN!,
    apiKey: env.ODOO_API_KEY!,
    pgUrl: env.ODOO_PG_URL!,
    secrets: pairs(env.ODOO_SECRETS),
    passwords: { ...pairs(env.ODOO_PASSWORDS), ...(env.ODOO_PASSWORD ? { [env.ODOO_LOGIN!]: env.ODOO_PASSWORD } : {}) },
    serverVersion: version.server_version,
    serverVersionInfo: version.server_version_info,
  };
}

/** The major version of `server_version_info` (17 for [17, 0, ...] and ['saas~17', ...]); 0 when unreadable. */
export function majorVersion(info: readonly unknown[]): number {
  const first = info[0];
  const text = typeof first === 'number' || typeof first === 'string' ? String(first) : '0';
  return Number.parseInt(text.replace(/^\D+/, ''), 10) || 0;
}

async function jsonRpc<T>(url: string, service: string, method: string, args: readonly unknown[]): Promise<T> {
  const response = await fetch(`${url.replace(/\/+$/, '')}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: 1 }),
  });
  const body = (await response.json()) as { result?: T; error?: unknown };
  if (body.error !== undefined || body.result === undefined)
    throw new Error(`${url}/jsonrpc ${service}.${method} answered ${JSON.stringify(body)}`);
  return body.result;
}

/**
 * Odoo's own `fields_get` of `model` as `login` (with that user's secret) sees it, over JSON-RPC: what
 * `GET /api/<slug>/fields` answers on this server, for an implementation of the contract without that route.
 */
export async function odooFieldsGet(
  target: OdooTarget,
  login: string,
  secret: string,
  model: string,
): Promise<Record<string, { type: string; readonly?: boolean; required?: boolean; selection?: Array<[string, string]> }>> {
  const uid = await jsonRpc<number | false>(target.url, 'common', 'authenticate', [target.db, login, secret, {}]);
  if (!uid) throw new Error(`${target.url}: ${login} cannot log in with the secret the suite has`);
  return jsonRpc(target.url, 'object', 'execute_kw', [
    target.db,
    uid,
    secret,
    model,
    'fields_get',
    [],
    { attributes: ['type', 'string', 'readonly', 'required', 'selection', 'relation'] },
  ]);
}
