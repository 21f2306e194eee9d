/**
 * Each demo user's requests on a side of the access comparison (test/fidelity/access.test.ts):
 *
 * - embedded: the store's own API key of that login (`server.request(login, ...)`);
 * - odoo: `admin` with `Bearer $ODOO_API_KEY`, every other user with a web session of Odoo
 *   (`POST /web/session/authenticate`, password = login as in Odoo's demo data, or `ODOO_PASSWORD_<LOGIN>`),
 *   whose `session_id` cookie the reference gateway accepts (ref_rest_api `_authenticate`).
 */
import { sendJson, type TestResponse, type TestServer } from '../../helpers/server.js';
import type { LabEnv, SideName } from './http.js';

export interface UserSide {
  readonly name: SideName;
  request(login: string, method: string, path: string, body?: unknown): Promise<TestResponse>;
  close(): Promise<void>;
}

export function embeddedUsers(server: TestServer): UserSide {
  return {
    name: 'embedded',
    request: (login, method, path, body) => server.request(login, method, path, body),
    close: () => server.close(),
  };
}

export function odooUsers(env: LabEnv): UserSide {
  const sessions = new Map<string, Promise<string>>();
  const session = (login: string): Promise<string> => {
    let cookie = sessions.get(login);
    if (!cookie) {
      cookie = (async () => {
        const password = process.env[`ODOO_PASSWORD_${login.toUpperCase()}`] ?? login;
        const answer = await sendJson(env.url, 'POST', '/web/session/authenticate', {
          body: { jsonrpc: '2.0', method: 'call', params: { db: env.db, login, password } },
        });
        const id = /session_id=([^;]+)/.exec(answer.headers.get('set-cookie') ?? '')?.[1];
        if (answer.status !== 200 || !answer.body?.result?.uid || !id) {
          throw new Error(`odoo: /web/session/authenticate as ${login}: ${answer.status} ${answer.text.slice(0, 300)}`);
        }
        return `session_id=${id}`;
      })();
      sessions.set(login, cookie);
    }
    return cookie;
  };
  return {
    name: 'odoo',
    async request(login, method, path, body) {
      const headers: Record<string, string> =
        login === env.login ? { authorization: `Bearer ${env.apiKey}` } : { cookie: await session(login) };
      return sendJson(env.url, method, path, { body, headers });
    },
    async close() {
      for (const cookie of sessions.values()) {
        const value = await cookie.catch(() => undefined);
        if (value)
          await sendJson(env.url, 'POST', '/web/session/destroy', {
            body: { jsonrpc: '2.0', method: 'call', params: {} },
            headers: { cookie: value },
          }).catch(() => undefined);
      }
    },
  };
}
