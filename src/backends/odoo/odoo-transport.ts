/**
 * Sends a ModelCall to Odoo as the caller, in the protocol their credentials call for:
 * - an API key with its login (`Authorization: Basic`, any Odoo version) or a password: `/jsonrpc`
 *   `execute_kw` with the uid and the key, checked by Odoo on every call;
 * - an API key alone (`Authorization: Bearer`, Odoo 19+): `/json/2/<model>/<method>`;
 * - an Odoo session: `/web/dataset/call_kw/<model>/<method>` with the `session_id` cookie.
 * Credentials live only as long as the request that presented them (see odoo-backend.ts).
 */
import type { ModelCall } from './model-call.js';
import type { OdooClient } from './odoo-client.js';

export type OdooCredential =
  | { readonly kind: 'rpc-key'; readonly uid: number; readonly key: string }
  | { readonly kind: 'bearer'; readonly key: string }
  | { readonly kind: 'session'; readonly sessionId: string; readonly context: Readonly<Record<string, unknown>> };

/** Runs `call` as the holder of `credential` on database `db`; resolves to the method's return value. */
export async function executeCall(client: OdooClient, db: string, credential: OdooCredential, call: ModelCall): Promise<unknown> {
  switch (credential.kind) {
    case 'rpc-key': {
      const args = [db, credential.uid, credential.key, call.model, call.method, call.args, call.kwargs];
      return (await client.jsonRpc('/jsonrpc', { service: 'object', method: 'execute_kw', args })).result;
    }
    case 'session': {
      const { args, kwargs } = call.web ?? call;
      const withContext = Object.keys(credential.context).length ? { ...kwargs, context: credential.context } : kwargs;
      const path = `/web/dataset/call_kw/${call.model}/${call.method}`;
      const params = { model: call.model, method: call.method, args, kwargs: withContext };
      return (await client.jsonRpc(path, params, { sessionId: credential.sessionId })).result;
    }
    case 'bearer':
      return client.json2(call.model, call.method, call.named, { key: credential.key, db });
  }
}
