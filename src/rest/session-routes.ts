/**
 * Odoo's session routes in its JSON-RPC 2.0 envelope, as Odoo 17 answers them (CONTRACT.md, "Session
 * routes"; shapes in shared/odoo-recordings/web_session_*.json): failures are HTTP 200 with an `error`
 * member naming the Odoo exception.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Backend } from '../backends/backend.js';
import { BackendError } from '../backends/errors.js';
import { ApiError } from './api-error.js';
import { authenticateKey, parseAuthorization, readCookie, SESSION_COOKIE, type KeyCredentials } from './caller.js';
import { AUTHENTICATE_SCHEMA, DESTROY_SCHEMA, SESSION_INFO_SCHEMA, withSchema } from './route-schemas.js';

const SESSION_MAX_AGE = 7 * 24 * 3600;

interface RpcRequest {
  id: unknown;
  params: Record<string, unknown>;
}

function rpcRequest(body: unknown): RpcRequest {
  const object = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
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

export async function registerSessionRoutes(app: FastifyInstance, { backend }: { backend: Backend }): Promise<void> {
  // The schemas (route-schemas.ts) document the envelope; a call that misses it is answered by the
  // checks below in Odoo's own way (HTTP 200 with an `error` member), never with a REST 400.
  app.post('/web/session/authenticate', withSchema(AUTHENTICATE_SCHEMA), async (request: FastifyRequest, reply: FastifyReply) => {
    const { id, params } = rpcRequest(request.body);
    const { db, login, password } = params;
    for (const [name, value] of Object.entries({ db, login, password })) {
      if (typeof value !== 'string') {
        return rpcError(id, 'builtins.TypeError', `authenticate() needs a string parameter '${name}'`);
      }
    }
    try {
      const session = await backend.createSession(db as string, login as string, password as string);
      reply.header('set-cookie', sessionCookie(session.sessionId, SESSION_MAX_AGE));
      return { jsonrpc: '2.0', id, result: session.info };
    } catch (error) {
      if (error instanceof BackendError && error.odooName === 'odoo.exceptions.AccessDenied') {
        return rpcError(id, 'odoo.exceptions.AccessDenied', 'Access Denied');
      }
      throw error;
    }
  });

  app.post('/web/session/get_session_info', withSchema(SESSION_INFO_SCHEMA), async (request: FastifyRequest) => {
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

  app.post('/web/session/destroy', withSchema(DESTROY_SCHEMA), async (request: FastifyRequest, reply: FastifyReply) => {
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
