/**
 * Sends a ModelCall to Odoo as the caller, in the protocol their credentials call for:
 * - an API key with its login (`Authorization: Basic`, any Odoo version) or a password: `/jsonrpc`
 *   `execute_kw` with the uid and the key, checked by Odoo on every call;
 * - an API key alone (`Authorization: Bearer`, Odoo 19+): `/json/2/<model>/<method>`;
 * - an Odoo session: `/web/dataset/call_kw/<model>/<method>` with the `session_id` cookie.
 * Credentials live only as long as the request that presented them (see odoo-backend.ts).
 */
import type { CallContext } from '../backend.js';
import type { ModelCall } from './model-call.js';
import type { OdooClient } from './odoo-client.js';

export type OdooCredential =
  | { readonly kind: 'rpc-key'; readonly uid: number; readonly key: string }
  | { readonly kind: 'bearer'; readonly key: string }
  | { readonly kind: 'session'; readonly sessionId: string; readonly context: Readonly<Record<string, unknown>> };

/**
 * Runs `call` as the holder of `credential` on database `db`; resolves to the method's return value.
 * `context` is the request's (Caller.context in Odoo's keys, odooContext): sent as the call's `context`,
 * over a session's own user context (lang, tz) as Odoo's web client does.
 */
export async function executeCall(
  client: OdooClient,
  db: string,
  credential: OdooCredential,
  call: ModelCall,
  context?: Readonly<Record<string, unknown>>,
): Promise<unknown> {
  const merged = credential.kind === 'session' ? { ...credential.context, ...context } : (context ?? {});
  const withContext = <T extends Readonly<Record<string, unknown>>>(kwargs: T): T =>
    Object.keys(merged).length ? { ...kwargs, context: { ...(kwargs.context as object | undefined), ...merged } } : kwargs;
  switch (credential.kind) {
    case 'rpc-key': {
      const args = [db, credential.uid, credential.key, call.model, call.method, call.args, withContext(call.kwargs)];
      return (await client.jsonRpc('/jsonrpc', { service: 'object', method: 'execute_kw', args })).result;
    }
    case 'session': {
      const { args, kwargs } = call.web ?? call;
      const path = `/web/dataset/call_kw/${call.model}/${call.method}`;
      const params = { model: call.model, method: call.method, args, kwargs: withContext(kwargs) };
      return (await client.jsonRpc(path, params, { sessionId: credential.sessionId })).result;
    }
    case 'bearer':
      return client.json2(call.model, call.method, withContext(call.named), { key: credential.key, db });
  }
}

/** A request's CallContext in Odoo's own keys; undefined when it asks for nothing. */
export function odooContext(context: CallContext | undefined): Record<string, unknown> | undefined {
  if (!context) return undefined;
  return {
    ...(context.lang !== undefined && { lang: context.lang }),
    ...(context.tz !== undefined && { tz: context.tz }),
    ...(context.allowedCompanyIds !== undefined && { allowed_company_ids: [...context.allowedCompanyIds] }),
  };
}
