/**
 * The lab's Odoo over JSON-RPC, as its administrator (the key of ODOO_LOGIN): what the fidelity suites
 * hold the sides to, and the set-up they need in the lab (a language installed).
 */
import type { LabEnv } from './http.js';

/** `execute_kw` as the lab's administrator (uid 2, the demo database's admin); throws Odoo's message on a fault. */
export async function labCall(
  env: LabEnv,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown> = {},
): Promise<any> {
  const response = await fetch(`${env.url}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      method: 'call',
      id: 1,
      params: { service: 'object', method: 'execute_kw', args: [env.db, 2, env.apiKey, model, method, args, kwargs] },
    }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { data?: { message?: string } } };
  if (body.error) throw new Error(`${model}.${method}: ${body.error.data?.message}`);
  return body.result;
}

/** Installs `code` (e.g. `fr_FR`) in the lab unless it is active: the wizard Odoo's Settings use. */
export async function ensureLabLanguage(env: LabEnv, code: string): Promise<void> {
  const [language] = (await labCall(env, 'res.lang', 'search_read', [[['code', '=', code]]], {
    fields: ['active'],
    context: { active_test: false },
  })) as Array<{ id: number; active: boolean }>;
  if (!language || language.active) return;
  const wizard = (await labCall(env, 'base.language.install', 'create', [
    { lang_ids: [[6, 0, [language.id]]], overwrite: false },
  ])) as number;
  await labCall(env, 'base.language.install', 'lang_install', [[wizard]]);
}
