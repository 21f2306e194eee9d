/**
 * RestGateway: the REST contract as typed calls, for one caller and one GraphQL operation.
 *
 * It holds the caller's credentials (forwarded on every data call), the caller's abort signal, and a
 * table of the GETs in flight or done, so identical GETs within one operation reach the gateway once.
 * Calls that the contract says must fail without credentials fail here with a 401 `GatewayError`
 * (`GATEWAY_NO_CREDENTIALS`), before anything is sent.
 */
import type { SessionInfo } from '../backends/backend.js';
import {
  asActionPayload,
  asChangesPage,
  asDeleteResult,
  asFieldsMetadata,
  asHealthStatus,
  asRecord,
  asRecordPage,
  asRecordPayload,
  asSessionInfo,
  type ActionPayload,
  type ChangesPage,
  type ChangesQueryParams,
  type ContractRecord,
  type DeleteResult,
  type FieldsMetadata,
  type HealthStatus,
  type ListQueryParams,
  type RecordPage,
  type RecordPayload,
} from './contract-types.js';
import { hasCredentials, type Credentials } from './credentials.js';

/** The body of a business action's call (`POST /api/<slug>/<id>/<method>`). */
export interface ActionArguments {
  readonly args?: readonly unknown[];
  readonly kwargs?: Readonly<Record<string, unknown>>;
}
import { asGroupPage, groupsQuery, type GroupPage, type GroupsQueryParams } from './groups.js';
import { parseAnswerText, type GatewayClient, type GatewayRequest } from './gateway-client.js';
import { scanRecordPage, type RawRecordPage } from './raw-record-page.js';
import { gatewayFailure, GatewayError } from './gateway-error.js';

/** The contract's own words for a missing caller (docs/rest-contract.md, "Auth"). */
export const AUTHENTICATION_REQUIRED = "authentication required: send 'Authorization: Bearer <API key>' or a session_id cookie";

export interface RestGatewayOptions {
  readonly signal?: AbortSignal;
  /** Sent with every request as `X-Request-Id`. */
  readonly requestId?: string | undefined;
  /**
   * The client of the change feed's long polls (`changes`), which hold a socket for up to `wait` seconds:
   * its own pool, so subscriptions never take the sockets of queries (default: the client of the rest).
   */
  readonly feedClient?: GatewayClient;
}

/**
 * The scanned text of answers the gateway client's revalidation cache keeps, by the kept (parsed) answer:
 * a 304 reuses that answer, and `listRaw` passes its text on as it did the first time rather than
 * writing 80 records out again. Held only while the cache holds the answer (the text is counted in its
 * budget: gateway-client.ts).
 */
const rawPagesOfKeptAnswers = new WeakMap<object, RawRecordPage>();

export class RestGateway {
  readonly #gets = new Map<string, Promise<unknown>>();

  constructor(
    private readonly client: GatewayClient,
    readonly credentials: Credentials,
    private readonly options: RestGatewayOptions = {},
  ) {}

  /** Forgets the GETs made so far: the next ones are sent again (a subscription's next event reads anew). */
  forget(): void {
    this.#gets.clear();
  }

  /** `GET /api/health`: no credentials needed, none sent. */
  async health(): Promise<HealthStatus> {
    return asHealthStatus(await this.#get('/api/health', '', false));
  }

  /** `GET /api/<slug>` with the given parameters. */
  async list(slug: string, params: ListQueryParams = {}): Promise<RecordPage> {
    return asRecordPage(await this.#get(`/api/${encodeURIComponent(slug)}`, listQuery(params)));
  }

  /**
   * `GET /api/<slug>` as `list`, but the page's records left as the gateway's JSON text when they can be
   * passed on as they are (raw-record-page.ts says when); otherwise the page parsed and checked as `list`'s.
   */
  async listRaw(slug: string, params: ListQueryParams = {}): Promise<RawRecordPage | RecordPage> {
    const path = `/api/${encodeURIComponent(slug)}`;
    const query = listQuery(params);
    this.#requireCredentials();
    const pending = this.#dedupe(`GET text ${path}?${query}`, () =>
      this.client.requestText({ method: 'GET', path, query, ...this.#requestOptions() }).then((response) => {
        // A kept answer reused (304): its text as scanned when the cache took it, if it could pass.
        if (response.text === undefined) return rawPagesOfKeptAnswers.get(response.body as object) ?? asRecordPage(response.body);
        const raw = scanRecordPage(response.text);
        // The cache took this answer (parsed it): its scan goes with it, for the 304s to come.
        if (raw && typeof response.body === 'object' && response.body !== null) rawPagesOfKeptAnswers.set(response.body, raw);
        return raw ?? asRecordPage('body' in response ? response.body : parseAnswerText(response.status, response.text));
      }),
    );
    return pending as Promise<RawRecordPage | RecordPage>;
  }

  /** `GET /api/<slug>/<id>`, optionally with `fields`. */
  async read(slug: string, id: number, fields?: readonly string[]): Promise<ContractRecord> {
    return asRecord(await this.#get(`/api/${encodeURIComponent(slug)}/${id}`, readQuery(fields)));
  }

  /** `GET /api/<slug>/fields` (extension): the model's field metadata as the caller may see it. */
  async fields(slug: string): Promise<FieldsMetadata> {
    return asFieldsMetadata(await this.#get(`/api/${encodeURIComponent(slug)}/fields`, ''));
  }

  /** `GET /api/<slug>/groups` (grouped totals, Odoo's read_group): answers `{count, total, groups}`. */
  async groups(slug: string, params: GroupsQueryParams): Promise<GroupPage> {
    return asGroupPage(await this.#get(`/api/${encodeURIComponent(slug)}/groups`, groupsQuery(params)));
  }

  /**
   * `GET /api/<slug>/changes` (extension, issue 19): the changes since `params.since` as the caller sees
   * them, held up to `params.wait` seconds when there are none. Never deduplicated (each poll is new) nor
   * retried; `signal` (with this gateway's own) aborts the request in flight: a subscription that ends.
   */
  async changes(slug: string, params: ChangesQueryParams = {}, signal?: AbortSignal): Promise<ChangesPage> {
    this.#requireCredentials();
    const signals = [this.options.signal, signal].filter((s): s is AbortSignal => s !== undefined);
    const client = this.options.feedClient ?? this.client;
    const response = await client.request({
      method: 'GET',
      path: `/api/${encodeURIComponent(slug)}/changes`,
      query: changesQuery(params),
      credentials: this.credentials,
      ...(signals.length > 0 && { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) }),
      ...(this.options.requestId !== undefined && { requestId: this.options.requestId }),
    });
    return asChangesPage(response.body);
  }

  /** `POST /api/<slug>` with the values; answers `{id, record}`. */
  async create(slug: string, values: Record<string, unknown>): Promise<RecordPayload> {
    return asRecordPayload(await this.#send('POST', `/api/${encodeURIComponent(slug)}`, values));
  }

  /** `PUT /api/<slug>/<id>` with the values (only those fields are written); answers `{id, record}`. */
  async update(slug: string, id: number, values: Record<string, unknown>): Promise<RecordPayload> {
    return asRecordPayload(await this.#send('PUT', `/api/${encodeURIComponent(slug)}/${id}`, values));
  }

  /**
   * `POST /api/<slug>/<id>/<method>` with `{args, kwargs}`: a business action; answers `{id, result, record}`,
   * the record read back with `fields` (all the caller may read when undefined).
   */
  async callAction(slug: string, id: number, method: string, call: ActionArguments, fields?: readonly string[]): Promise<ActionPayload> {
    const query = readQuery(fields);
    const path = `/api/${encodeURIComponent(slug)}/${id}/${encodeURIComponent(method)}${query ? `?${query}` : ''}`;
    return asActionPayload(await this.#send('POST', path, { ...call }));
  }

  /** `DELETE /api/<slug>/<id>`; answers `{ok: true}`. */
  async delete(slug: string, id: number): Promise<DeleteResult> {
    return asDeleteResult(await this.#send('DELETE', `/api/${encodeURIComponent(slug)}/${id}`));
  }

  /**
   * `POST /web/session/get_session_info` in Odoo's JSON-RPC envelope: the caller's session info. The
   * envelope's errors (HTTP 200 with an `error` member) become `GatewayError`s with the status the
   * contract gives that Odoo exception: session expired or access denied 401, access error 403.
   */
  async sessionInfo(): Promise<SessionInfo> {
    this.#requireCredentials();
    const envelope = await this.#dedupe('POST /web/session/get_session_info', () =>
      this.#request({
        method: 'POST',
        path: '/web/session/get_session_info',
        body: { jsonrpc: '2.0', method: 'call', params: {}, id: null },
      }),
    );
    if (typeof envelope === 'object' && envelope !== null) {
      const { result, error } = envelope as { result?: unknown; error?: unknown };
      if (result !== undefined) return asSessionInfo(result);
      if (typeof error === 'object' && error !== null) throw rpcFailure(error);
    }
    throw gatewayFailure('BAD_ANSWER', 'sent an answer that is not a JSON-RPC response');
  }

  #requireCredentials(): void {
    if (!hasCredentials(this.credentials)) throw new GatewayError('GATEWAY_NO_CREDENTIALS', 401, AUTHENTICATION_REQUIRED);
  }

  /** What every request carries: the caller's credentials (unless `withCredentials` is false), the signal, the request id. */
  #requestOptions(withCredentials = true): Pick<GatewayRequest, 'credentials' | 'signal' | 'requestId'> {
    return {
      ...(withCredentials && { credentials: this.credentials }),
      ...(this.options.signal && { signal: this.options.signal }),
      ...(this.options.requestId !== undefined && { requestId: this.options.requestId }),
    };
  }

  #request(request: Omit<GatewayRequest, 'credentials' | 'signal'>, withCredentials = true): Promise<unknown> {
    return this.client.request({ ...request, ...this.#requestOptions(withCredentials) }).then((response) => response.body);
  }

  #get(path: string, query: string, withCredentials = true): Promise<unknown> {
    if (withCredentials) this.#requireCredentials();
    return this.#dedupe(`GET ${path}?${query}`, () => this.#request({ method: 'GET', path, query }, withCredentials));
  }

  /** One promise per key for the life of this object (one operation); a failure is shared too. */
  #dedupe(key: string, run: () => Promise<unknown>): Promise<unknown> {
    let pending = this.#gets.get(key);
    if (!pending) {
      pending = run();
      this.#gets.set(key, pending);
    }
    return pending;
  }

  async #send(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: Record<string, unknown>): Promise<unknown> {
    this.#requireCredentials();
    // Whatever was read before a write may be stale after it.
    this.#gets.clear();
    return this.#request({ method, path, ...(body !== undefined && { body }) });
  }
}

/** The query string of `GET /api/<slug>/<id>`: the fields, if any. */
export function readQuery(fields: readonly string[] | undefined): string {
  return fields?.length ? `fields=${encodeURIComponent(fields.join(','))}` : '';
}

/** The query string of `GET /api/<slug>/changes`, parameters in a fixed order. */
export function changesQuery(params: ChangesQueryParams): string {
  const parts: string[] = [];
  if (params.domain !== undefined) parts.push(`domain=${encodeURIComponent(params.domain)}`);
  if (params.fields?.length) parts.push(`fields=${encodeURIComponent(params.fields.join(','))}`);
  if (params.since !== undefined) parts.push(`since=${encodeURIComponent(params.since)}`);
  if (params.limit !== undefined) parts.push(`limit=${params.limit}`);
  if (params.wait !== undefined) parts.push(`wait=${params.wait}`);
  return parts.join('&');
}

/** The query string of `GET /api/<slug>`, parameters in a fixed order so equal lists give equal keys. */
export function listQuery(params: ListQueryParams): string {
  const parts: string[] = [];
  if (params.domain !== undefined) parts.push(`domain=${encodeURIComponent(params.domain)}`);
  if (params.fields?.length) parts.push(`fields=${encodeURIComponent(params.fields.join(','))}`);
  if (params.limit !== undefined) parts.push(`limit=${params.limit}`);
  if (params.offset !== undefined) parts.push(`offset=${params.offset}`);
  if (params.order !== undefined) parts.push(`order=${encodeURIComponent(params.order)}`);
  return parts.join('&');
}

interface RpcError {
  readonly code?: unknown;
  readonly data?: { readonly name?: unknown; readonly message?: unknown };
}

const RPC_STATUS: Readonly<Record<string, number>> = {
  'odoo.http.SessionExpiredException': 401,
  'odoo.exceptions.AccessDenied': 401,
  'odoo.exceptions.AccessError': 403,
};

function rpcFailure(error: RpcError): GatewayError {
  const name = typeof error.data?.name === 'string' ? error.data.name : '';
  const status = RPC_STATUS[name] ?? (error.code === 100 ? 401 : undefined);
  if (status === undefined) return gatewayFailure('BAD_ANSWER', 'could not give the session info');
  const message = typeof error.data?.message === 'string' && error.data.message !== '' ? error.data.message : 'Session expired';
  return new GatewayError('GATEWAY_HTTP_ERROR', status, message);
}
