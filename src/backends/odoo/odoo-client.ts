/**
 * OdooClient: HTTP to one Odoo server over an undici Pool with keep-alive, so concurrent requests use
 * concurrent connections instead of queueing on one. Speaks the two protocols the backend needs:
 * - JSON-RPC 2.0 (`/jsonrpc`, `/web/session/*`, `/web/dataset/call_kw`), where Odoo answers HTTP 200
 *   with either `result` or an `error` naming the exception (test/fixtures/odoo-recordings/);
 * - JSON-2 (`/json/2/<model>/<method>`, Odoo 19+), where the body is the result and errors are 4xx/5xx
 *   with `{name, message, ...}` (Odoo 19's documented external API).
 * Faults become the Backend's errors (odoo-faults.ts); transport failures become 502/504
 * (upstream-failure.ts). A dispatcher can be injected (undici's MockAgent in tests).
 *
 * Read-only calls (`search_read`, `read`, `fields_get`..., `common.version`, `get_session_info`: see
 * `isReadOnlyCall`) are retried a bounded number of times with backoff when nothing usable came back
 * (connection refused or reset, an answer cut short, 502/503 from a proxy in front of Odoo); writes,
 * logins and anything else never are. At most `connections + maxQueue` requests are held at once; past
 * that a request fails at once with 503 (`upstream_overloaded`) rather than queueing behind a slow Odoo.
 */
import { CONFIG_DEFAULTS } from '../../config.js';
import { UPSTREAM_POOL_DEFAULTS, type PoolStats, type UpstreamConnectionOptions } from '../../resilience/upstream-pool.js';
import { errorCodeOf, RETRYABLE_TRANSPORT_CODES, withRetries, type RetryPolicy } from '../../resilience/retry.js';
import { BackendError } from '../errors.js';
import { UpstreamHttp } from '../upstream-http.js';
import { faultToError, json2Fault, rpcFault } from './odoo-faults.js';

/** Connection options (`url`: the Odoo server, `http://localhost:8069`; 32 sockets by default), plus retries. */
export interface OdooClientOptions extends UpstreamConnectionOptions {
  /** Retries of a read-only call that got nothing usable back. Default 2; 0 turns them off. */
  readonly retries?: number;
  /** Milliseconds before the first retry, doubled for each next one (with jitter). Default 100. */
  readonly retryBackoffMs?: number;
}

/** ORM methods that only read: safe to send again when an attempt got nothing usable back. */
const READ_METHODS: ReadonlySet<string> = new Set([
  'search_read',
  'search_count',
  'search',
  'read',
  'fields_get',
  'name_search',
  'context_get',
  'check_access_rights',
  'web_search_read',
  'web_read',
  'read_group',
  'get_available_models',
]);

/** Whether a JSON-RPC call only reads (see the module comment); json2 calls are judged by `method` alone. */
export function isReadOnlyCall(path: string, params: Readonly<Record<string, unknown>>): boolean {
  if (path === '/web/session/get_session_info') return true;
  if (path === '/jsonrpc') {
    const args = Array.isArray(params.args) ? params.args : [];
    if (params.service === 'common') return params.method === 'version';
    return params.service === 'object' && params.method === 'execute_kw' && READ_METHODS.has(String(args[4]));
  }
  if (path.startsWith('/web/dataset/call_kw')) return READ_METHODS.has(String(params.method));
  return false;
}

/** A 502/503 answer to a read: worth another try, and answered as it is when the tries are used up. */
class RetryableAnswer extends Error {}

function isRetryableFailure(error: unknown): boolean {
  if (error instanceof RetryableAnswer) return true;
  return (
    error instanceof BackendError &&
    (error.odooName === 'upstream_unreachable' || error.odooName === 'upstream_timeout') &&
    RETRYABLE_TRANSPORT_CODES.has(errorCodeOf(error.cause) ?? '')
  );
}

interface PostAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly setCookies: string[];
}

/** What a JSON-RPC call answered: its `result`, and the cookies Odoo set (the session routes need them). */
export interface RpcAnswer {
  readonly result: unknown;
  readonly setCookies: readonly string[];
}

const WHAT = 'the Odoo server';

export class OdooClient {
  readonly #http: UpstreamHttp;
  readonly #retryPolicy: RetryPolicy;
  #nextId = 1;

  constructor(options: OdooClientOptions) {
    this.#http = new UpstreamHttp(options, UPSTREAM_POOL_DEFAULTS.odooConnections, WHAT);
    this.#retryPolicy = {
      retries: options.retries ?? CONFIG_DEFAULTS.ODOO_RETRIES,
      backoffMs: options.retryBackoffMs ?? CONFIG_DEFAULTS.RETRY_BACKOFF_MS,
    };
  }

  /** Sockets and requests now (pool figures are zero with an injected dispatcher). */
  get stats(): PoolStats {
    return this.#http.stats;
  }

  /**
   * One JSON-RPC 2.0 call (`{"jsonrpc":"2.0","method":"call","params":..,"id":n}`) to `path`, with the
   * session cookie when given. Resolves to the `result` (undefined when Odoo sends none, as
   * /web/session/destroy does); rejects with the mapped Odoo fault or a 502/504 BackendError.
   */
  async jsonRpc(path: string, params: Readonly<Record<string, unknown>>, options: { sessionId?: string } = {}): Promise<RpcAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.sessionId !== undefined) headers.cookie = `session_id=${options.sessionId}`;
    const id = this.#nextId++;
    const { status, body, setCookies } = await this.#post(
      path,
      headers,
      { jsonrpc: '2.0', method: 'call', params, id },
      isReadOnlyCall(path, params),
    );
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BackendError('upstream_unreachable', `${WHAT} answered HTTP ${status} without a JSON-RPC response on ${path}`);
    }
    const envelope = body as { result?: unknown; error?: unknown };
    if (envelope.error !== undefined) {
      const fault = rpcFault(envelope.error);
      if (fault) throw faultToError(fault);
    }
    return { result: envelope.result, setCookies };
  }

  /**
   * One JSON-2 call (Odoo 19+): POST `/json/2/<model>/<method>` with `Authorization: bearer <key>`,
   * `X-Odoo-Database` and the named parameters as the body. Resolves to the method's return value.
   */
  async json2(model: string, method: string, body: Readonly<Record<string, unknown>>, auth: { key: string; db: string }): Promise<unknown> {
    const headers = { 'content-type': 'application/json; charset=utf-8', authorization: `bearer ${auth.key}`, 'x-odoo-database': auth.db };
    const path = `/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`;
    const answer = await this.#post(path, headers, body, READ_METHODS.has(method));
    if (answer.status >= 400) throw faultToError(json2Fault(answer.status, answer.body));
    return answer.body;
  }

  /** POSTs `payload`; a read-only call is retried as the module comment says, anything else is sent once. */
  async #post(path: string, headers: Record<string, string>, payload: unknown, readOnly: boolean): Promise<PostAnswer> {
    const body = JSON.stringify(payload);
    if (!readOnly || this.#retryPolicy.retries === 0) return this.#postOnce(path, headers, body);
    let last: PostAnswer | undefined;
    try {
      return await withRetries(
        async () => {
          const answer = await this.#postOnce(path, headers, body);
          if (answer.status !== 502 && answer.status !== 503) return answer;
          last = answer;
          throw new RetryableAnswer();
        },
        this.#retryPolicy,
        isRetryableFailure,
      );
    } catch (error) {
      if (error instanceof RetryableAnswer && last) return last;
      throw error;
    }
  }

  async #postOnce(path: string, headers: Record<string, string>, payload: string): Promise<PostAnswer> {
    const answer = await this.#http.send({ method: 'POST', path, headers, body: payload });
    const text = answer.body.toString('utf8');
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: answer.status, body, setCookies: setCookieValues(answer.headers['set-cookie']) };
  }

  /** Closes the own connection pool (an injected dispatcher is left to its owner). */
  close(): Promise<void> {
    return this.#http.close();
  }
}

function setCookieValues(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  return Array.isArray(header) ? header : [header];
}

/** The value of the `session_id` cookie among Set-Cookie headers, or undefined. */
export function sessionIdFromCookies(setCookies: readonly string[]): string | undefined {
  for (const cookie of setCookies) {
    const match = /^\s*session_id=([^;]*)/.exec(cookie);
    if (match?.[1]) return match[1];
  }
  return undefined;
}
