/**
 * Replays real Odoo 17 exchanges (test/fixtures/odoo-recordings, via test/helpers/odoo-recordings.ts) through undici's
 * MockAgent, injected as the Odoo backend's dispatcher. Tests list the exchanges they expect; each
 * request the backend sends must equal a listed recording's request (path, method, JSON body except the
 * JSON-RPC id, session cookie) and is answered with that recording's response (its id set to the
 * request's). `assertDone()` then proves both directions: every expected exchange was sent as recorded,
 * and nothing else was sent. Exchanges with no recording are declared with `expectDocumented`, and the
 * test says so ("not recorded: documented behaviour").
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, expect } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import type { Caller } from '../../../src/backends/backend.js';
import { OdooBackend } from '../../../src/backends/odoo/odoo-backend.js';
import { testConfig } from '../../../src/config.js';
import { odooRecording, RECORDINGS_DIR } from '../../helpers/odoo-recordings.js';

/** Where the recordings were made; the backend under test is pointed here. */
export const ODOO_ORIGIN = 'http://localhost:8069';
export const ODOO_DB = 'odoo';
/** The recordings' placeholders, used as the secrets themselves so that requests match byte for byte. */
export const ADMIN_KEY = '<ADMIN_KEY>';
export const DEMO_KEY = '<DEMO_KEY>';
export const SESSION_ID = '<session>';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly json?: unknown;
}

export interface RecordedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly json?: any;
  readonly text?: string;
}

export interface Recording {
  readonly request: RecordedRequest;
  readonly response: RecordedResponse;
}

/** One recorded exchange by name (without `.json`). */
export function recording(name: string): Recording {
  return odooRecording(name) as Recording;
}

/** INDEX.json of the recordings: the uids and the record-rule counts seen on the recorded server. */
export function recordingsIndex(): { admin_uid: number; demo_uid: number; record_rule_counts: Record<string, number>; files: string[] } {
  return JSON.parse(readFileSync(`${RECORDINGS_DIR}INDEX.json`, 'utf8'));
}

interface Expected {
  readonly name: string;
  readonly request: RecordedRequest;
  readonly response: RecordedResponse;
}

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly json: unknown;
}

function withoutId(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  const { id: _id, ...rest } = json as Record<string, unknown>;
  return rest;
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) out[String(headers[i]).toLowerCase()] = String(headers[i + 1]);
  } else if (headers && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = String(v);
  }
  return out;
}

function matches(expected: RecordedRequest, sent: Sent): boolean {
  if (expected.method !== sent.method || expected.path !== sent.path) return false;
  if (!isDeepStrictEqual(withoutId(expected.json), withoutId(sent.json))) return false;
  const headers = lowerCaseHeaders(expected.headers);
  if ((headers.cookie ?? undefined) !== (sent.headers.cookie ?? undefined)) return false;
  if (headers.authorization !== undefined && headers.authorization !== sent.headers.authorization) return false;
  return !headers['content-type'] || (sent.headers['content-type'] ?? '').startsWith(headers['content-type']);
}

/** A request body as text: undici hands over a string, or a Buffer, whose toString decodes it. */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) return '';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a Buffer, whose toString decodes it
  return String(body);
}

export class OdooReplay {
  readonly agent = new MockAgent();
  readonly sent: Sent[] = [];
  readonly #expected: Expected[] = [];
  readonly #unmatched: Sent[] = [];

  constructor() {
    this.agent.disableNetConnect();
    this.agent
      .get(ODOO_ORIGIN)
      .intercept({ path: () => true, method: () => true })
      .reply((options) => this.#answer(options))
      .persist();
  }

  /** Expects the recorded exchange `name` (`times` times, default once). */
  expect(name: string, times = 1): this {
    const { request, response } = recording(name);
    for (let i = 0; i < times; i++) this.#expected.push({ name, request, response });
    return this;
  }

  /**
   * Expects an exchange that has no recording: the request as the backend sends it and the answer Odoo's
   * documentation gives for it. Call sites mark it "not recorded: documented behaviour".
   */
  expectDocumented(
    name: string,
    request: { path: string; json: unknown; headers?: Record<string, string> },
    response: { status?: number; json?: unknown; text?: string; headers?: Record<string, string> },
  ): this {
    this.#expected.push({
      name: `documented: ${name}`,
      request: { method: 'POST', headers: { 'Content-Type': 'application/json' }, ...request },
      response: {
        status: response.status ?? 200,
        headers: response.headers ?? { 'Content-Type': 'application/json; charset=utf-8' },
        ...(response.json !== undefined && { json: response.json }),
        ...(response.text !== undefined && { text: response.text }),
      },
    });
    return this;
  }

  /** Every expected exchange was sent exactly as recorded, and nothing else was sent. */
  assertDone(): void {
    expect(this.#unmatched, 'requests sent to Odoo that match no expected exchange').toEqual([]);
    expect(
      this.#expected.map((e) => e.name),
      'expected exchanges never sent',
    ).toEqual([]);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  #answer(options: { path: string; method: string; body?: unknown; headers?: unknown }) {
    const text = bodyText(options.body);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    const sent: Sent = { method: options.method, path: options.path, headers: lowerCaseHeaders(options.headers), json };
    this.sent.push(sent);
    const index = this.#expected.findIndex((e) => matches(e.request, sent));
    if (index < 0) {
      this.#unmatched.push(sent);
      return { statusCode: 599, data: 'no recorded exchange matches this request' };
    }
    const [exchange] = this.#expected.splice(index, 1) as [Expected];
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(exchange.response.headers)) {
      if (!/^(content-length|connection)$/i.test(name)) headers[name.toLowerCase()] = value;
    }
    let data: string;
    if (exchange.response.json !== undefined) {
      const body = exchange.response.json;
      const requestId = (json as { id?: unknown } | undefined)?.id;
      const reply =
        body && typeof body === 'object' && !Array.isArray(body) && 'jsonrpc' in body && body.id !== null
          ? { ...body, id: requestId }
          : body;
      data = JSON.stringify(reply);
    } else {
      data = exchange.response.text ?? '';
    }
    return { statusCode: exchange.response.status, data, responseOptions: { headers } };
  }
}

/** `Authorization: Basic base64(login:key)`. */
export function basic(login: string, key: string): string {
  return `Basic ${Buffer.from(`${login}:${key}`).toString('base64')}`;
}

/**
 * `ir.model`'s answer for the models these tests use. Not recorded: documented behaviour (search_read
 * on ir.model answers `[{id, model, name}]`); ids are illustrative.
 */
export const DOCUMENTED_MODELS = [
  { id: 1, model: 'res.partner', name: 'Contact' },
  { id: 2, model: 'res.users', name: 'User' },
  { id: 3, model: 'ir.config_parameter', name: 'System Parameter' },
  { id: 4, model: 'ir.actions.act_window', name: 'Action Window' },
  { id: 5, model: 'sale.order', name: 'Sales Order' },
  { id: 6, model: 'crm.lead', name: 'Lead/Opportunity' },
];

/** The execute_kw request the backend sends to list models, as `uid` with `key`. */
export function modelListRequest(uid: number, key: string): { path: string; json: unknown } {
  return {
    path: '/jsonrpc',
    json: {
      jsonrpc: '2.0',
      method: 'call',
      params: {
        service: 'object',
        method: 'execute_kw',
        args: [ODOO_DB, uid, key, 'ir.model', 'search_read', [[['transient', '=', false]]], { fields: ['model', 'name'] }],
      },
    },
  };
}

/** An execute_kw request as the backend sends it (for exchanges without a recording). */
export function executeKwRequest(
  uid: number,
  key: string,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown> = {},
): { path: string; json: unknown } {
  return {
    path: '/jsonrpc',
    json: {
      jsonrpc: '2.0',
      method: 'call',
      params: { service: 'object', method: 'execute_kw', args: [ODOO_DB, uid, key, model, method, args, kwargs] },
    },
  };
}

/** A JSON-RPC success envelope for a documented answer. */
export function rpcResult(result: unknown): unknown {
  return { jsonrpc: '2.0', id: 0, result };
}

/**
 * A BACKEND=odoo app in front of a fresh OdooReplay for each test (registered with beforeEach/afterEach):
 * `start(config)` listens on loopback and answers the app's URL; `replay()` and `app()` are the current test's.
 */
export function useReplayedOdooApp(): {
  replay: () => OdooReplay;
  app: () => App;
  start: (values?: Record<string, string>) => Promise<string>;
} {
  let replay: OdooReplay | undefined;
  let app: App | undefined;
  beforeEach(() => {
    replay = new OdooReplay();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await replay?.close();
  });
  const current = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is used outside a test, or before start()`);
    return value;
  };
  return {
    replay: () => current(replay, 'the replay'),
    app: () => current(app, 'the app'),
    async start(values = {}) {
      const backend = new OdooBackend({ url: ODOO_ORIGIN, db: ODOO_DB, dispatcher: current(replay, 'the replay').agent });
      app = await createApp(testConfig({ BACKEND: 'odoo', ODOO_URL: ODOO_ORIGIN, ODOO_DB, LOG_LEVEL: 'silent', ...values }), { backend });
      return app.server.listen({ host: '127.0.0.1', port: 0 });
    },
  };
}

/**
 * An OdooBackend in front of a fresh OdooReplay for each test (registered with beforeEach/afterEach), and
 * `login`, which expects the recorded API-key authentication of that demo user and answers its Caller.
 */
export function useReplayedOdooBackend(): {
  readonly replay: OdooReplay;
  readonly backend: OdooBackend;
  login(who: 'admin' | 'demo'): Promise<Caller>;
} {
  let replay: OdooReplay | undefined;
  let backend: OdooBackend | undefined;
  beforeEach(() => {
    replay = new OdooReplay();
    backend = new OdooBackend({ url: ODOO_ORIGIN, db: ODOO_DB, dispatcher: replay.agent });
  });
  afterEach(async () => {
    await backend?.close();
    await replay?.close();
  });
  const current = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the replayed Odoo backend is used outside a test');
    return value;
  };
  return {
    get replay() {
      return current(replay);
    },
    get backend() {
      return current(backend);
    },
    async login(who) {
      current(replay).expect(`jsonrpc_common_authenticate_${who}_apikey`);
      const caller = await current(backend).authenticateBasic(who, who === 'admin' ? ADMIN_KEY : DEMO_KEY);
      expect(caller).not.toBeNull();
      return caller!;
    },
  };
}
