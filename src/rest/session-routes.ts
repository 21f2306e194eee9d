/**
 * Odoo's session routes in its JSON-RPC 2.0 envelope, as Odoo 17 answers them (docs/rest-contract.md, "Session
 * routes"; shapes in test/fixtures/odoo-recordings/web_session_*.json): failures are HTTP 200 with an `error`
 * member naming the Odoo exception.
 *
 * They are Odoo `type='json'` routes: a request that is not `Content-Type: application/json` with a JSON
 * object is refused (400) before anything is done, as Odoo refuses it. That keeps another site from
 * logging a user out (or anything else) with a plain form or a body-less POST, which SameSite=Lax lets
 * through from a site on the same host. Logins pass Odoo's cooldown per client address and per login
 * first (login-throttle.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Backend } from '../backends/backend.js';
import { BackendError, DatabaseNotFound } from '../backends/errors.js';
import { SESSION_COOKIE } from '../gateway/credentials.js';
import { ApiError } from './api-error.js';
import { authenticateKey, parseAuthorization, readCookie, type KeyCredentials } from './caller.js';
import { clientAddress } from './client-address.js';
import { COOLDOWN_MESSAGE, LoginThrottle, ODOO_LOGIN_COOLDOWN, type LoginCooldown } from './login-throttle.js';
import { AUTHENTICATE_SCHEMA, DESTROY_SCHEMA, documentedBy, SESSION_INFO_SCHEMA } from './route-schemas.js';

const SESSION_MAX_AGE = 7 * 24 * 3600;

interface RpcRequest {
  id: unknown;
  params: Record<string, unknown>;
}

/**
 * The call's id and params. A JSON body that is not an object is Odoo's 400 "Invalid JSON-RPC data"
 * (http.py, JsonRPCDispatcher.dispatch); params that are not an object count as none.
 */
function rpcRequest(body: unknown): RpcRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'Invalid JSON-RPC data');
  const object = body as Record<string, unknown>;
  const params = object.params;
  return {
    id: object.id ?? null,
    params: typeof params === 'object' && params !== null && !Array.isArray(params) ? (params as Record<string, unknown>) : {},
  };
}

/** Odoo's JSON-RPC error member (`code` 200 "Odoo Server Error", or 100 for an expired session). */
export function rpcError(id: unknown, name: string, message: string, code = 200) {
  return {
    jsonrpc: '2.0',
    id,
    error: {
      code,
      message: code === 100 ? 'Odoo Session Expired' : 'Odoo Server Error',
      data: { name, debug: '', message, arguments: [message], context: {} },
    },
  };
}

function sessionCookie(sid: string, maxAge: number): string {
  const expires = new Date(Date.now() + maxAge * 1000).toUTCString();
  return `${SESSION_COOKIE}=${sid}; Expires=${expires}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax; Path=/`;
}

/** The media types Odoo's JsonRPCDispatcher takes; only the first has a body parser here (another is a 415). */
const JSON_MIMETYPES = new Set(['application/json', 'application/json-rpc']);

/**
 * Odoo's refusal of a request whose content type is not JSON on a `type='json'` route (http.py,
 * Request._set_request_dispatcher): 400, before the body is read or anything is done.
 */
const requireJson: onRequestAsyncHookHandler = async (request) => {
  const mimetype = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!JSON_MIMETYPES.has(mimetype)) {
    const path = request.routeOptions.url ?? request.url.split('?')[0];
    throw new ApiError(400, `Request inferred type is compatible with ['http'] but '${path}' is type='json'.`);
  }
};

export interface SessionRouteOptions {
  readonly backend: Backend;
  /** Odoo's login cooldown per client address and per login; Odoo's defaults (5 failures, 60 s) when not given. */
  readonly loginCooldown?: LoginCooldown;
}

export async function registerSessionRoutes(app: FastifyInstance, { backend, loginCooldown }: SessionRouteOptions): Promise<void> {
  const throttle = new LoginThrottle(loginCooldown ?? ODOO_LOGIN_COOLDOWN);
  const json = { onRequest: requireJson };

  // The schemas (route-schemas.ts) document the envelope and refuse nothing (`documentedBy`); a call that
  // misses a member of it is answered by the checks below in Odoo's own way (HTTP 200 with an `error`
  // member). Only what Odoo itself refuses with a 400 (no JSON, or JSON that is not an object) is a 400 here too.
  app.post(
    '/web/session/authenticate',
    { ...documentedBy(AUTHENTICATE_SCHEMA), ...json },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { id, params } = rpcRequest(request.body);
      const { db, login, password } = params;
      for (const [name, value] of Object.entries({ db, login, password })) {
        if (typeof value !== 'string') {
          return rpcError(id, 'builtins.TypeError', `authenticate() needs a string parameter '${name}'`);
        }
      }
      // Odoo refuses an empty password before its cooldown, without counting it (res_users.py, _login).
      if (password === '') return rpcError(id, 'odoo.exceptions.AccessDenied', 'Access Denied');
      const attempt = throttle.begin(clientAddress(request.ip), login as string);
      if (!attempt) return rpcError(id, 'odoo.exceptions.AccessDenied', COOLDOWN_MESSAGE);
      try {
        const session = await backend.createSession(db as string, login as string, password as string);
        attempt.succeeded();
        reply.header('set-cookie', sessionCookie(session.sessionId, SESSION_MAX_AGE));
        return { jsonrpc: '2.0', id, result: session.info };
      } catch (error) {
        if (error instanceof DatabaseNotFound) {
          attempt.abandoned();
          return rpcError(id, error.odooName, error.message);
        }
        if (error instanceof BackendError && error.odooName === 'odoo.exceptions.AccessDenied') {
          // A real Odoo's own cooldown is passed on as it is, and is no failure of this client's.
          if (error.message === COOLDOWN_MESSAGE) {
            attempt.abandoned();
            return rpcError(id, 'odoo.exceptions.AccessDenied', COOLDOWN_MESSAGE);
          }
          // Logged when a cooldown starts, not for each refusal after it (a flood would flood the log).
          if (attempt.failed())
            request.log.warn(
              { ip: request.ip, login: (login as string).slice(0, 100) },
              'login cooldown: too many failed logins from this address or for this login',
            );
          return rpcError(id, 'odoo.exceptions.AccessDenied', 'Access Denied');
        }
        attempt.abandoned();
        throw error;
      }
    },
  );

  app.post('/web/session/get_session_info', { ...documentedBy(SESSION_INFO_SCHEMA), ...json }, async (request: FastifyRequest) => {
    const { id } = rpcRequest(request.body);
    // Extension: an API key also identifies the caller here, so key users can ask who they are.
    const credentials = safeAuthorization(request.headers.authorization);
    if (credentials !== undefined) {
      const caller = await authenticateKey(backend, credentials).catch(refusedAsNull);
      if (caller) return { jsonrpc: '2.0', id, result: await backend.userInfo(caller) };
      return rpcError(id, 'odoo.exceptions.AccessDenied', 'invalid or revoked API key');
    } else {
      const sid = readCookie(request.headers.cookie, SESSION_COOKIE);
      const info = sid === undefined ? null : await backend.sessionInfo(sid);
      if (info) return { jsonrpc: '2.0', id, result: info };
    }
    return rpcError(null, 'odoo.http.SessionExpiredException', 'Session expired', 100);
  });

  app.post('/web/session/destroy', { ...documentedBy(DESTROY_SCHEMA), ...json }, async (request: FastifyRequest, reply: FastifyReply) => {
    const { id } = rpcRequest(request.body);
    const sid = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (sid !== undefined) await backend.destroySession(sid);
    reply.header('set-cookie', sessionCookie('', 0));
    return { jsonrpc: '2.0', id, result: null };
  });
}

function safeAuthorization(header: string | undefined): KeyCredentials | undefined {
  try {
    return parseAuthorization(header);
  } catch {
    return undefined;
  }
}

/** Credentials the backend refuses (401) answer like unknown ones here: Odoo's "Session expired". */
function refusedAsNull(error: unknown): null {
  if (error instanceof ApiError && error.status === 401) return null;
  if (error instanceof BackendError && error.odooName === 'odoo.exceptions.AccessDenied') return null;
  throw error;
}
