/**
 * Odoo's external API (`/jsonrpc` `execute_kw`) for the tests and recorders that talk to the lab directly:
 * what the fidelity suites hold the sides to, their set-up and clean-up (a language installed, records
 * deleted), the recordings' marked records.
 */
import type { LabEnv } from './http.js';

/** Who calls, where: an Odoo server, its database, a user id and that user's API key (or password). */
export interface RpcTarget {
  readonly url: string;
  readonly db: string;
  readonly uid: number;
  readonly key: string;
}

/** `execute_kw(db, uid, key, model, method, args, kwargs)`; throws naming the call and Odoo's message on a fault. */
export async function executeKw(target: RpcTarget, model: string, method: string, args: unknown[], kwargs: object = {}): Promise<any> {
  const response = await fetch(`${target.url.replace(/\/+$/, '')}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      method: 'call',
      id: 1,
      params: { service: 'object', method: 'execute_kw', args: [target.db, target.uid, target.key, model, method, args, kwargs] },
    }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { data?: { message?: string } } };
  if (body.error) throw new Error(`${model}.${method}: ${body.error.data?.message ?? JSON.stringify(body.error).slice(0, 400)}`);
  return body.result;
}

const uids = new Map<string, Promise<number>>();

/** The uid of the lab's ODOO_LOGIN (`common.login` with its API key), asked once per lab. */
export function labUid(env: LabEnv): Promise<number> {
  const key = `${env.url}\0${env.db}\0${env.login}`;
  let uid = uids.get(key);
  if (!uid) {
    uid = fetch(`${env.url}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        method: 'call',
        id: 1,
        params: { service: 'common', method: 'login', args: [env.db, env.login, env.apiKey] },
      }),
    })
      .then((response) => response.json() as Promise<{ result?: unknown }>)
      .then(({ result }) => {
        if (typeof result !== 'number') throw new Error(`the lab refused ${env.login}'s API key`);
        return result;
      });
    uids.set(key, uid);
  }
  return uid;
}

/** `execute_kw` as the lab's ODOO_LOGIN (its administrator). */
export async function labCall(env: LabEnv, model: string, method: string, args: unknown[], kwargs: object = {}): Promise<any> {
  return executeKw({ url: env.url, db: env.db, uid: await labUid(env), key: env.apiKey }, model, method, args, kwargs);
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
