/**
 * The soak (issue 7, "Proof under load"): the real server as a child process on loopback, N concurrent
 * clients mixing REST and GraphQL reads and writes as admin, demo (partly through a session cookie),
 * manager and portal for a bounded time, every answer checked as it comes; then the invariants:
 * - every acknowledged create exists exactly once (read straight from the SQLite file), and nothing
 *   was created that was not acknowledged;
 * - no record was ever visible to the wrong user: demo sees only his own or unassigned leads, portal
 *   only Deco Addict's partners and orders; records created by one user are refused to the others;
 * - no 5xx answer (nor a GraphQL error standing for one);
 * - the server's resident memory (VmRSS from /proc/<pid>/status) stays under the bound.
 * Then the crash test (crash-test.ts). `runSoak` returns the figures; bench/soak.ts prints them.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import { EmbeddedBackend } from '../../src/backends/embedded/embedded-backend.js';
import { spawnServer } from '../../test/helpers/spawn-server.js';
import { sampleMemory } from './process-memory.js';

export const LOGINS = ['admin', 'demo', 'manager', 'portal'] as const;
export type Login = (typeof LOGINS)[number];
const UID: Record<Login, number> = { admin: 2, demo: 3, manager: 4, portal: 5 };

export interface SoakOptions {
  readonly seconds: number;
  readonly clients: number;
  readonly maxRssBytes: number;
  /** Optional: a data folder holding a copy of the demo database (tests pass their template). */
  readonly templateDb?: string;
  readonly log?: (line: string) => void;
}

export interface KindFigures {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
}

export interface SoakResult {
  readonly seconds: number;
  readonly clients: number;
  readonly requests: number;
  readonly perSecond: number;
  readonly statuses: Record<string, number>;
  readonly kinds: Record<string, KindFigures>;
  readonly acknowledgedCreates: number;
  readonly acknowledgedUpdates: number;
  readonly serverErrors: number;
  readonly unexpected: string[];
  readonly violations: string[];
  readonly missingOrDuplicated: string[];
  readonly maxRssBytes: number;
  readonly peakRssBytes: number;
  readonly rssSamples: number;
  /** V8 heap used and allocated, and external memory, at the end of the run (from /metrics). */
  readonly heap: { readonly used: number; readonly total: number; readonly external: number; readonly gatewayCache: number };
  readonly ok: boolean;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The JSON answered, the text when it is not JSON, undefined when empty. */
  readonly body: unknown;
}

/** What the workload reads of an answer with the status it expected, as the REST contract and the SDL promise. */
export type CreatedBody = { readonly id: number };
type ListBody<T> = { readonly results: T[]; readonly total: number };
type GraphQLBody<T> = { readonly data: T };
type LeadRow = { id: number; user_id: { id: number } | false | null };
type GraphQLErrorBody = { readonly errors?: Array<{ extensions?: { code?: string }; message?: string }> };

interface Created {
  readonly table: 'crm_lead' | 'res_partner';
  readonly id: number;
  readonly name: string;
  readonly owner: Login;
}

/** A data folder with the demo database and an API key per login. */
export function prepareSoakData(templateDb?: string): { dataDir: string; keys: Record<Login, string> } {
  const dataDir = mkdtempSync(join(tmpdir(), 'ogf-soak-'));
  if (templateDb) copyFileSync(templateDb, join(dataDir, 'odoo.sqlite'));
  const backend = new EmbeddedBackend({ dataDir, dbName: 'odoo', demo: true });
  const keys = Object.fromEntries(LOGINS.map((login) => [login, backend.createApiKey(login, 'soak')])) as Record<Login, string>;
  backend.db.close();
  return { dataDir, keys };
}

export class SoakClient {
  readonly pool: Pool;
  constructor(
    readonly url: string,
    connections: number,
  ) {
    this.pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 10_000 });
  }

  async call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: { key?: string; cookie?: string; body?: unknown } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    if (options.cookie) headers.cookie = options.cookie;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.pool.request({
      method,
      path,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
    });
    const text = await response.body.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: response.statusCode, headers: response.headers, body };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

const q = (params: Record<string, string | number>) =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs the workload against a running server; returns once `seconds` are over and every client stopped. */
export async function runWorkload(url: string, keys: Record<Login, string>, options: { seconds: number; clients: number }) {
  const client = new SoakClient(url, options.clients);
  const latencies = new Map<string, number[]>();
  const statuses: Record<string, number> = {};
  const unexpected: string[] = [];
  const violations: string[] = [];
  const created: Created[] = [];
  const owned = new Map<Login, Created[]>(LOGINS.map((l) => [l, []]));
  let serverErrors = 0;
  let updates = 0;
  let requests = 0;

  // The demo user also works through a session cookie (GraphQL and REST accept it alike).
  const login = await client.call('POST', '/web/session/authenticate', {
    body: { jsonrpc: '2.0', method: 'call', params: { db: 'odoo', login: 'demo', password: 'demo' }, id: 1 },
  });
  if (login.status !== 200 || !(login.body as { result?: unknown } | undefined)?.result)
    throw new Error(`demo could not log in: ${JSON.stringify(login.body)}`);
  const setCookie = login.headers['set-cookie'];
  const demoCookie = String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0]!;

  // What portal may see: Deco Addict and its contacts, as the server says at the start (nobody adds any).
  const portalPartners = await client.call('GET', `/api/res_partner?${q({ fields: 'id', limit: 1000 })}`, { key: keys.portal });
  const portalVisible = new Set<number>((portalPartners.body as ListBody<{ id: number }>).results.map((p) => p.id));
  if (portalVisible.size === 0) throw new Error('portal sees no partner at all');

  const record = (kind: string, started: number, answer: Answer, expected: readonly number[]) => {
    requests++;
    const ms = performance.now() - started;
    let list = latencies.get(kind);
    if (!list) latencies.set(kind, (list = []));
    list.push(ms);
    statuses[String(answer.status)] = (statuses[String(answer.status)] ?? 0) + 1;
    if (answer.status >= 500) serverErrors++;
    const graphqlErrors = (answer.body as GraphQLErrorBody | undefined)?.errors ?? [];
    for (const error of graphqlErrors) {
      if (['INTERNAL_SERVER_ERROR', 'BAD_GATEWAY', 'GATEWAY_TIMEOUT', 'SERVICE_UNAVAILABLE'].includes(error.extensions?.code ?? ''))
        serverErrors++;
    }
    const ok = expected.includes(answer.status) && (kind.startsWith('graphql') ? graphqlErrors.length === 0 : true);
    if (!ok && unexpected.length < 50) unexpected.push(`${kind}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    return ok;
  };

  // Demo may see his own leads and unassigned ones (user_id false in REST, null in GraphQL), no other.
  const checkLeads = (who: Login, leads: LeadRow[]) => {
    for (const lead of leads) {
      if (who === 'demo' && lead.user_id && lead.user_id.id !== UID.demo)
        violations.push(`demo saw lead ${lead.id} of user ${lead.user_id.id}`);
    }
  };

  let counter = 0;
  const nextName = (owner: Login) => `soak-${owner}-${++counter}`;
  const remember = (entry: Created) => {
    created.push(entry);
    owned.get(entry.owner)!.push(entry);
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

  const graphql = (query: string, variables: Record<string, unknown>, auth: { key?: string; cookie?: string }) =>
    client.call('POST', '/graphql', { ...auth, body: { query, variables } });

  const actions: Record<Login, Array<() => Promise<void>>> = {
    admin: [
      async () => {
        const started = performance.now();
        const answer = await client.call(
          'GET',
          `/api/sale_order?${q({ domain: "[('state', '=', 'sale')]", fields: 'name,partner_id,amount_total', limit: 20 })}`,
          { key: keys.admin },
        );
        record('rest list', started, answer, [200]);
      },
      async () => {
        const name = nextName('admin');
        const started = performance.now();
        const answer = await client.call('POST', '/api/res_partner', { key: keys.admin, body: { name, email: `${name}@soak.example` } });
        if (record('rest create', started, answer, [201]))
          remember({ table: 'res_partner', id: (answer.body as CreatedBody).id, name, owner: 'admin' });
      },
      async () => {
        const mine = owned.get('admin')!.filter((c) => c.table === 'res_partner');
        if (!mine.length) return;
        const started = performance.now();
        const answer = await client.call('PATCH', `/api/res_partner/${pick(mine).id}`, {
          key: keys.admin,
          body: { phone: `+1 555 ${counter}` },
        });
        if (record('rest update', started, answer, [200])) updates++;
      },
      async () => {
        const name = nextName('admin');
        const started = performance.now();
        const answer = await graphql(
          'mutation NewLead($v: JSONObject!) { createRecord(slug: "crm_lead", values: $v) { id } }',
          { v: { name, user_id: UID.admin } },
          { key: keys.admin },
        );
        if (record('graphql create', started, answer, [200]))
          remember({
            table: 'crm_lead',
            id: (answer.body as GraphQLBody<{ createRecord: CreatedBody }>).data.createRecord.id,
            name,
            owner: 'admin',
          });
      },
      async () => {
        const started = performance.now();
        const answer = await graphql(
          'query Leads($n: Int) { records(slug: "crm_lead", fields: ["name", "user_id"], limit: $n) { total results } }',
          { n: 20 },
          { key: keys.admin },
        );
        record('graphql list', started, answer, [200]);
      },
    ],
    demo: [
      async () => {
        const started = performance.now();
        const answer = await client.call('GET', `/api/crm_lead?${q({ fields: 'name,user_id', limit: 50, order: 'id desc' })}`, {
          key: keys.demo,
        });
        if (record('rest list', started, answer, [200])) checkLeads('demo', (answer.body as ListBody<LeadRow>).results);
      },
      async () => {
        const name = nextName('demo');
        const started = performance.now();
        const answer = await client.call('POST', '/api/crm_lead', {
          key: keys.demo,
          body: { name, user_id: UID.demo, expected_revenue: 1000 },
        });
        if (record('rest create', started, answer, [201]))
          remember({ table: 'crm_lead', id: (answer.body as CreatedBody).id, name, owner: 'demo' });
      },
      async () => {
        const mine = owned.get('demo')!;
        if (!mine.length) return;
        const started = performance.now();
        const answer = await client.call('PUT', `/api/crm_lead/${pick(mine).id}`, {
          cookie: demoCookie,
          body: { probability: counter % 100 },
        });
        if (record('rest update', started, answer, [200])) updates++;
      },
      async () => {
        const started = performance.now();
        const answer = await graphql(
          'query MyLeads { records(slug: "crm_lead", fields: ["name", "user_id"], limit: 50, order: "id desc") { results } }',
          {},
          { cookie: demoCookie },
        );
        if (record('graphql list', started, answer, [200]))
          checkLeads('demo', (answer.body as GraphQLBody<{ records: ListBody<LeadRow> }>).data.records.results);
      },
      async () => {
        const name = nextName('demo');
        const started = performance.now();
        const answer = await graphql(
          'mutation NewLead($v: JSONObject!) { createRecord(slug: "crm_lead", values: $v) { id } }',
          { v: { name, user_id: UID.demo } },
          { cookie: demoCookie },
        );
        if (record('graphql create', started, answer, [200]))
          remember({
            table: 'crm_lead',
            id: (answer.body as GraphQLBody<{ createRecord: CreatedBody }>).data.createRecord.id,
            name,
            owner: 'demo',
          });
      },
    ],
    manager: [
      async () => {
        const name = nextName('manager');
        const started = performance.now();
        const answer = await client.call('POST', '/api/crm_lead', {
          key: keys.manager,
          body: { name, user_id: UID.manager, expected_revenue: 5000 },
        });
        if (record('rest create', started, answer, [201]))
          remember({ table: 'crm_lead', id: (answer.body as CreatedBody).id, name, owner: 'manager' });
      },
      async () => {
        const started = performance.now();
        const answer = await client.call('GET', `/api/sale_order?${q({ fields: 'name,user_id,state', limit: 40 })}`, { key: keys.manager });
        record('rest list', started, answer, [200]);
      },
      async () => {
        const started = performance.now();
        const answer = await graphql(
          'query Orders { records(slug: "sale_order", fields: ["name", "amount_total"], limit: 20) { total results } me { login } }',
          {},
          { key: keys.manager },
        );
        record('graphql list', started, answer, [200]);
      },
      async () => {
        const mine = owned.get('manager')!;
        if (!mine.length) return;
        const started = performance.now();
        const answer = await graphql(
          'mutation Edit($id: Int!, $v: JSONObject!) { updateRecord(slug: "crm_lead", id: $id, values: $v) { id } }',
          { id: pick(mine).id, v: { priority: '2' } },
          { key: keys.manager },
        );
        if (record('graphql update', started, answer, [200])) updates++;
      },
    ],
    portal: [
      async () => {
        const started = performance.now();
        const answer = await client.call('GET', `/api/sale_order?${q({ fields: 'name,partner_id', limit: 50 })}`, { key: keys.portal });
        if (record('rest list', started, answer, [200])) {
          for (const order of (answer.body as ListBody<{ id: number; partner_id: { id: number } }>).results) {
            if (!portalVisible.has(order.partner_id.id)) violations.push(`portal saw order ${order.id} of partner ${order.partner_id.id}`);
          }
        }
      },
      async () => {
        const started = performance.now();
        const answer = await graphql(
          'query Partners { records(slug: "res_partner", fields: ["name"], limit: 200) { results } }',
          {},
          { key: keys.portal },
        );
        if (record('graphql list', started, answer, [200])) {
          for (const partner of (answer.body as GraphQLBody<{ records: ListBody<{ id: number }> }>).data.records.results) {
            if (!portalVisible.has(partner.id)) violations.push(`portal saw partner ${partner.id}`);
          }
        }
      },
      async () => {
        const started = performance.now();
        const answer = await client.call('GET', '/api/crm_lead?limit=5', { key: keys.portal });
        record('rest refused', started, answer, [403]);
      },
      async () => {
        const started = performance.now();
        const answer = await client.call('POST', '/api/res_partner', { key: keys.portal, body: { name: 'portal may not' } });
        record('rest refused', started, answer, [403]);
      },
    ],
  };

  const deadline = Date.now() + options.seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.clients }, async (_, index) => {
      const who = LOGINS[index % LOGINS.length]!;
      while (Date.now() < deadline) {
        try {
          await pick(actions[who])();
        } catch (error) {
          if (unexpected.length < 50) unexpected.push(`${who}: ${(error as Error).message}`);
          serverErrors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;

  // After the run: records of one user refused to the others (sampled, by id).
  const sample = <T>(items: readonly T[], n: number) =>
    items.filter((_, i) => i % Math.max(1, Math.floor(items.length / n)) === 0).slice(0, n);
  const managerLeads = created.filter((c) => c.owner === 'manager');
  for (const lead of sample(managerLeads, 100)) {
    for (const who of ['demo', 'portal'] as const) {
      const answer = await client.call('GET', `/api/crm_lead/${lead.id}?fields=name`, { key: keys[who] });
      if (answer.status !== 403) violations.push(`${who} read manager's lead ${lead.id}: HTTP ${answer.status}`);
    }
  }
  // And by list, in chunks that keep the URL short: none of them is counted.
  const countVisible = async (slug: string, ids: readonly number[], who: Login) => {
    let total = 0;
    for (let i = 0; i < ids.length; i += 200) {
      const answer = await client.call(
        'GET',
        `/api/${slug}?${q({ domain: `[('id', 'in', [${ids.slice(i, i + 200).join(', ')}])]`, fields: 'id', limit: 0 })}`,
        { key: keys[who] },
      );
      if (answer.status !== 200) throw new Error(`counting ${slug} as ${who}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
      total += (answer.body as ListBody<unknown>).total;
    }
    return total;
  };
  const leadsSeenByDemo = await countVisible(
    'crm_lead',
    managerLeads.map((l) => l.id),
    'demo',
  );
  if (leadsSeenByDemo !== 0) violations.push(`demo lists ${leadsSeenByDemo} of manager's leads`);
  const adminPartners = created.filter((c) => c.owner === 'admin' && c.table === 'res_partner').map((p) => p.id);
  const partnersSeenByPortal = await countVisible('res_partner', adminPartners, 'portal');
  if (partnersSeenByPortal !== 0) violations.push(`portal lists ${partnersSeenByPortal} of admin's new partners`);
  // The server's own view of its memory at the end (prom-client's process metrics).
  const metrics = await client.call('GET', '/metrics');
  const metric = (name: string) =>
    Number(
      new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(typeof metrics.body === 'string' ? metrics.body : '')?.[1] ??
        Number.NaN,
    );
  const heap = {
    used: metric('nodejs_heap_size_used_bytes'),
    total: metric('nodejs_heap_size_total_bytes'),
    external: metric('nodejs_external_memory_bytes'),
    gatewayCache: metric('gateway_cache{state="bytes"}'),
  };
  await client.close();

  const kinds: Record<string, KindFigures> = {};
  for (const [kind, list] of [...latencies].sort()) {
    const sorted = [...list].sort((a, b) => a - b);
    kinds[kind] = {
      count: sorted.length,
      p50: Math.round(percentile(sorted, 50) * 10) / 10,
      p99: Math.round(percentile(sorted, 99) * 10) / 10,
    };
  }
  return { elapsed, requests, statuses, kinds, created, updates, serverErrors, unexpected, violations, heap };
}

/** Every acknowledged create is in the file exactly once, under its id; no soak record exists that was not acknowledged. */
export function checkCreates(dataDir: string, created: readonly Created[]): string[] {
  const problems: string[] = [];
  const db = new Database(join(dataDir, 'odoo.sqlite'), { readonly: true, fileMustExist: true });
  try {
    for (const table of ['crm_lead', 'res_partner'] as const) {
      const rows = db.prepare(`SELECT id, name FROM ${table} WHERE name LIKE 'soak-%'`).all() as Array<{ id: number; name: string }>;
      const byName = new Map<string, number[]>();
      for (const row of rows) byName.set(row.name, [...(byName.get(row.name) ?? []), row.id]);
      const acknowledged = created.filter((c) => c.table === table);
      for (const entry of acknowledged) {
        const ids = byName.get(entry.name) ?? [];
        if (ids.length !== 1 || ids[0] !== entry.id)
          problems.push(`${table} '${entry.name}' (id ${entry.id}): found ${JSON.stringify(ids)}`);
      }
      if (rows.length !== acknowledged.length)
        problems.push(`${table}: ${rows.length} soak rows for ${acknowledged.length} acknowledged creates`);
    }
  } finally {
    db.close();
  }
  return problems;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult & { dataDir: string; keys: Record<Login, string> }> {
  const log = options.log ?? (() => undefined);
  const { dataDir, keys } = prepareSoakData(options.templateDb);
  const server = await spawnServer({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const pid = server.child.pid!;
  log(`server pid ${pid} at ${server.url}; ${options.clients} clients for ${options.seconds} s`);
  const memory = sampleMemory(pid);
  let run: Awaited<ReturnType<typeof runWorkload>>;
  try {
    run = await runWorkload(server.url, keys, options);
  } catch (error) {
    memory.stop();
    await server.stop('SIGTERM');
    throw error;
  }
  const figures = memory.stop();
  await server.stop('SIGTERM');
  const missingOrDuplicated = checkCreates(dataDir, run.created);
  const result: SoakResult = {
    seconds: Math.round(run.elapsed * 10) / 10,
    clients: options.clients,
    requests: run.requests,
    perSecond: Math.round(run.requests / run.elapsed),
    statuses: run.statuses,
    kinds: run.kinds,
    acknowledgedCreates: run.created.length,
    acknowledgedUpdates: run.updates,
    serverErrors: run.serverErrors,
    unexpected: run.unexpected,
    violations: [...new Set(run.violations)].slice(0, 50),
    missingOrDuplicated,
    maxRssBytes: figures.maxRss,
    peakRssBytes: figures.peakRss,
    rssSamples: figures.samples,
    heap: run.heap,
    ok: false,
  };
  const ok =
    result.serverErrors === 0 &&
    result.unexpected.length === 0 &&
    result.violations.length === 0 &&
    missingOrDuplicated.length === 0 &&
    figures.peakRss < options.maxRssBytes &&
    run.created.length > 0;
  return { ...result, ok, dataDir, keys };
}

export function removeData(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}
