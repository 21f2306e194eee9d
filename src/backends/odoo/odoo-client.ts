/**
 * OdooClient: HTTP to one Odoo server over an undici Pool with keep-alive, so concurrent requests use
 * concurrent connections instead of queueing on one. Speaks the two protocols the backend needs:
 * - JSON-RPC 2.0 (`/jsonrpc`, `/web/session/*`, `/web/dataset/call_kw`), where Odoo answers HTTP 200
 *   with either `result` or an `error` naming the exception (shared/odoo-recordings/);
 * - JSON-2 (`/json/2/<model>/<method>`, Odoo 19+), where the body is the result and errors are 4xx/5xx
 *   with `{name, message, ...}` (Odoo 19's documented external API).
 * Faults become the Backend's errors (odoo-faults.ts); transport failures become 502/504
 * (upstream-failure.ts). A dispatcher can be injected (undici's MockAgent in tests).
 */
import { Pool, type Dispatcher } from 'undici';
import { BackendError } from '../errors.js';
import { upstreamFailure } from '../upstream-failure.js';
import { faultToError, json2Fault, rpcFault } from './odoo-faults.js';

export interface OdooClientOptions {
  /** Base URL of the Odoo server (`http://localhost:8069`), optionally with a path prefix. */
  readonly url: string;
  /** Milliseconds to wait for Odoo's answer headers, and between two chunks of its body. Default 30000. */
  readonly timeout?: number;
  /** Milliseconds to establish a connection. Default the smaller of 5000 and `timeout`. */
  readonly connectTimeout?: number;
  /** Most sockets kept open to Odoo. Default 32. */
  readonly connections?: number;
  /** Milliseconds an idle socket stays open for reuse. Default 10000. */
  readonly keepAliveTimeout?: number;
  /** Largest answer accepted, in bytes. Default 64 MiB. */
  readonly maxResponseBytes?: number;
  /** Sends every request here instead of an own Pool (tests: undici's MockAgent); not closed by `close()`. */
  readonly dispatcher?: Dispatcher;
}

/** What a JSON-RPC call answered: its `result`, and the cookies Odoo set (the session routes need them). */
export interface RpcAnswer {
  readonly result: unknown;
  readonly setCookies: readonly string[];
}

const WHAT = 'the Odoo server';

export class OdooClient {
  readonly timeout: number;
  readonly #origin: string;
  readonly #basePath: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #maxResponseBytes: number;
  #nextId = 1;

  constructor(options: OdooClientOptions) {
    const url = new URL(options.url);
    this.#origin = url.origin;
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.timeout = options.timeout ?? 30_000;
    this.#maxResponseBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
    this.#ownsDispatcher = !options.dispatcher;
    this.#dispatcher = options.dispatcher ?? new Pool(this.#origin, {
      connections: options.connections ?? 32,
      keepAliveTimeout: options.keepAliveTimeout ?? 10_000,
      connect: { timeout: options.connectTimeout ?? Math.min(5_000, this.timeout) },
      headersTimeout: this.timeout,
      bodyTimeout: this.timeout,
    });
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
    const { status, body, setCookies } = await this.#post(path, headers, { jsonrpc: '2.0', method: 'call', params, id });
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
    const answer = await this.#post(path, headers, body);
    if (answer.status >= 400) throw faultToError(json2Fault(answer.status, answer.body));
    return answer.body;
  }

  async #post(path: string, headers: Record<string, string>, payload: unknown): Promise<{ status: number; body: unknown; setCookies: string[] }> {
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await this.#dispatcher.request({
        origin: this.#origin,
        path: `${this.#basePath}${path}`,
        method: 'POST',
        headers,
        body: JSON.stringify(payload),
        headersTimeout: this.timeout,
        bodyTimeout: this.timeout,
      });
      text = await this.#readText(response.body);
    } catch (error) {
      if (error instanceof BackendError) throw error;
      throw upstreamFailure(error, WHAT, this.timeout);
    }
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.statusCode, body, setCookies: setCookieValues(response.headers['set-cookie']) };
  }

  async #readText(body: Dispatcher.ResponseData['body']): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > this.#maxResponseBytes) {
        body.destroy();
        throw new BackendError('upstream_unreachable', `${WHAT} sent an answer larger than ${this.#maxResponseBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Closes the own connection pool (an injected dispatcher is left to its owner). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
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
