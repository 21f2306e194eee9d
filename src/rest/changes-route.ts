/**
 * Extension to the contract (issue 19): `GET /api/<slug>/changes`, the change feed of a model.
 *
 *   GET /api/crm_lead/changes                          → {"cursor": "YzEu...", "changes": [], "more": false}
 *   GET /api/crm_lead/changes?since=YzEu...&fields=name&wait=25
 *   → {"cursor": "YzEu...", "changes": [{"op": "updated", "id": 7, "record": {"id": 7, "name": "..."}}], "more": false}
 *
 * Parameters (the schema, changes-schema.ts, checks their shape; this file what it cannot express, each
 * refusal a 400 naming the parameter): `since` (a cursor), `domain` and `fields` (as List), `limit` (>= 1,
 * default 500, clamped to MAX_LIMIT), `wait` (long polling: seconds, at most CHANGES_MAX_WAIT_S). The
 * answer is the backend's ChangesResult (src/backends/changes.ts) with records in the contract's shape
 * (record-shape.ts), each change with its own `cursor` when the backend tells one (the embedded store). A cursor the backend no longer follows is a 410, a backend without a feed a 501.
 *
 * Long polling holds the request in the backend (the embedded store's one watch timer per process; in
 * front of Odoo, its poller); this route caps the requests waiting at once (CHANGES_MAX_WAITERS: 503 with
 * Retry-After beyond), lets a client that goes away release its wait, and answers every waiter when the
 * server starts draining (graceful-shutdown.ts's `onDraining`) or closes.
 *
 * With `Accept: text/event-stream` (GET), the same feed is streamed as server-sent events
 * (changes-stream.ts), from `Last-Event-ID` (else `since`, else the current cursor). The cursor is checked
 * before the stream starts (a 400 or 410 is JSON as always); streams count against CHANGES_MAX_WAITERS
 * with the long polls, at most CHANGES_STREAMS_PER_USER per user (429 beyond), and end when the client
 * leaves, the server drains, the client does not read (a bounded queue), or the credentials are refused. Registered in
 * the /api/<slug> scope (api-routes.ts), whose hook answers 401 and 404 first. Answers are never cached
 * (`Cache-Control: no-store`): a feed is not a conditional read.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Backend, Caller } from '../backends/backend.js';
import { CursorGoneError, DEFAULT_CHANGES_LIMIT, InvalidCursorError, type ChangesResult } from '../backends/changes.js';
import { CONFIG_DEFAULTS } from '../config.js';
import type { DomainNode } from '../domain/types.js';
import { SESSION_COOKIE } from '../gateway/credentials.js';
import { onDraining } from '../graceful-shutdown.js';
import { ApiError } from './api-error.js';
import { apiCall, authenticateKey, parseAuthorization, readCookie } from './caller.js';
import { ChangeStream } from './changes-stream.js';
import { CHANGES_SCHEMA } from './changes-schema.js';
import { parseFields, parseListParams } from './list-params.js';
import { toContractRecord } from './record-shape.js';
import { withSchema } from './route-schemas.js';

/**
 * Long polling's and the event streams' limits: CHANGES_MAX_WAIT_S, CHANGES_MAX_WAITERS, and
 * CHANGES_HEARTBEAT_S, CHANGES_STREAM_QUEUE, CHANGES_STREAMS_PER_USER, CHANGES_AUTH_CHECK_S (their
 * defaults when not given).
 */
export interface ChangesRouteLimits {
  readonly maxWaitS: number;
  readonly maxWaiters: number;
  readonly heartbeatS?: number;
  readonly streamQueue?: number;
  readonly streamsPerUser?: number;
  readonly authCheckS?: number;
}

export interface ChangesRouteOptions {
  readonly backend: Backend;
  readonly maxLimit: number;
  readonly changes?: ChangesRouteLimits;
}

/** The route's query parameters, as its schema lets them through (each a string, given once). */
export interface ChangesQuery {
  readonly since?: string;
  readonly domain?: string;
  readonly fields?: string;
  readonly limit?: string;
  readonly wait?: string;
}

const WAIT = /^\s*([0-9]{1,6}(\.[0-9]{1,3})?)\s*$/;

function parseLimit(text: string | undefined, maxLimit: number): number {
  if (text === undefined || text.trim() === '') return Math.min(DEFAULT_CHANGES_LIMIT, maxLimit);
  const limit = Number(text.trim());
  if (limit < 1) throw new ApiError(400, `query parameter 'limit' must be an integer >= 1, got '${text.slice(0, 40)}'`);
  return Math.min(limit, maxLimit);
}

function parseWait(text: string | undefined, maxWaitS: number): number {
  if (text === undefined || text.trim() === '') return 0;
  const match = WAIT.exec(text);
  if (!match) throw new ApiError(400, `query parameter 'wait' must be a number of seconds >= 0, got '${text.slice(0, 40)}'`);
  const wait = Number(match[1]);
  if (wait > maxWaitS) throw new ApiError(400, `query parameter 'wait' must be at most ${maxWaitS} (seconds), got '${text.slice(0, 40)}'`);
  return wait;
}

/** The feed's failures of its own, as the contract's errors. */
function asApiError(error: unknown): unknown {
  if (error instanceof InvalidCursorError) return new ApiError(400, error.message);
  if (error instanceof CursorGoneError) return new ApiError(410, error.message);
  return error;
}

/** `Accept: text/event-stream` (and not a HEAD): the changes as server-sent events. */
function wantsEvents(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return request.method === 'GET' && typeof accept === 'string' && /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept);
}

/** The request's credentials checked again, as the route's hook checked them first: a message when refused now. */
function recheckCredentials(backend: Backend, request: FastifyRequest): () => Promise<string | undefined> {
  const credentials = parseAuthorization(request.headers.authorization);
  const sid = credentials === undefined ? readCookie(request.headers.cookie, SESSION_COOKIE) : undefined;
  return async () => {
    if (credentials !== undefined) {
      if (await authenticateKey(backend, credentials)) return undefined;
      return credentials.scheme === 'basic' ? 'invalid login or API key' : 'invalid or revoked API key';
    }
    if (sid !== undefined && (await backend.authenticateSession(sid))) return undefined;
    return 'session expired or invalid: authenticate again at /web/session/authenticate';
  };
}

export async function registerChangesRoute(app: FastifyInstance, { backend, maxLimit, changes }: ChangesRouteOptions): Promise<void> {
  const limits = {
    heartbeatS: CONFIG_DEFAULTS.CHANGES_HEARTBEAT_S,
    streamQueue: CONFIG_DEFAULTS.CHANGES_STREAM_QUEUE,
    streamsPerUser: CONFIG_DEFAULTS.CHANGES_STREAMS_PER_USER,
    authCheckS: CONFIG_DEFAULTS.CHANGES_AUTH_CHECK_S,
    ...(changes ?? { maxWaitS: CONFIG_DEFAULTS.CHANGES_MAX_WAIT_S, maxWaiters: CONFIG_DEFAULTS.CHANGES_MAX_WAITERS }),
  };
  const waiting = new Set<AbortController>();
  const streams = new Set<ChangeStream>();
  const streamsByUser = new Map<number, number>();
  // A closing server answers its waiting requests and ends its streams at once rather than holding its
  // shutdown for them: when draining starts (graceful-shutdown.ts), and at close.
  const release = () => {
    for (const controller of waiting) controller.abort();
    for (const stream of [...streams]) stream.close();
  };
  onDraining(app.server, release);
  app.addHook('preClose', async () => release());

  app.get<{ Querystring: ChangesQuery }>('/api/:slug/changes', withSchema(CHANGES_SCHEMA), async (request, reply) => {
    const { caller, model } = apiCall(request);
    const query = request.query;
    const { domain } = parseListParams({ domain: query.domain }, maxLimit);
    const fields = parseFields(query);
    const limit = parseLimit(query.limit, maxLimit);
    const asked = parseWait(query.wait, limits.maxWaitS);
    if (wantsEvents(request)) {
      const lastEventId = request.headers['last-event-id'];
      if (Array.isArray(lastEventId) || (lastEventId !== undefined && lastEventId.length > 200))
        throw new ApiError(400, "header 'Last-Event-ID' must be one cursor of this API (at most 200 characters)");
      const since = lastEventId?.trim() || query.since;
      return streamChanges(request, reply, { caller, model, domain, fields, since, limit });
    }
    // Without `since` there is nothing to wait for: the answer is the current cursor.
    const wait = query.since === undefined ? 0 : asked;
    const controller = new AbortController();
    if (wait > 0) {
      if (waiting.size + streams.size >= limits.maxWaiters) {
        throw new ApiError(503, `too many requests are waiting for changes (${limits.maxWaiters}): retry in a moment, or without 'wait'`, {
          'retry-after': '1',
        });
      }
      waiting.add(controller);
    }
    // The client went away before its answer: its wait ends (the answer goes nowhere).
    const onClose = () => {
      if (!reply.raw.writableEnded) controller.abort();
    };
    reply.raw.on('close', onClose);
    let result: ChangesResult;
    try {
      result = await backend.changes(caller, model, { domain, fields, since: query.since, limit, wait, signal: controller.signal });
    } catch (error) {
      throw asApiError(error);
    } finally {
      waiting.delete(controller);
      reply.raw.off('close', onClose);
    }
    reply.header('cache-control', 'no-store');
    return {
      cursor: result.cursor,
      // Each change's own cursor when the backend tells one (the embedded store): a client may resume after any change.
      changes: result.changes.map(({ op, id, record, cursor }) => ({
        op,
        id,
        ...(record && { record: toContractRecord(record) }),
        ...(cursor !== undefined && { cursor }),
      })),
      more: result.more,
    };
  });

  interface StreamRequest {
    readonly caller: Caller;
    readonly model: string;
    readonly domain: DomainNode;
    readonly fields: readonly string[] | undefined;
    readonly since: string | undefined;
    readonly limit: number;
  }

  /**
   * The feed as server-sent events (changes-stream.ts). Everything that can be refused is refused before
   * the stream starts, as JSON: the caps (503 past CHANGES_MAX_WAITERS, 429 past CHANGES_STREAMS_PER_USER),
   * and the first read of the feed from the cursor (400, 403, 410).
   */
  async function streamChanges(request: FastifyRequest, reply: FastifyReply, call: StreamRequest): Promise<FastifyReply> {
    const { caller, model, domain, fields, limit } = call;
    if (waiting.size + streams.size >= limits.maxWaiters) {
      throw new ApiError(503, `too many requests are waiting for changes (${limits.maxWaiters}): retry in a moment`, {
        'retry-after': '1',
      });
    }
    if ((streamsByUser.get(caller.uid) ?? 0) >= limits.streamsPerUser) {
      throw new ApiError(429, `too many event streams open for this user (${limits.streamsPerUser}): close one first`);
    }
    const fetch = (since: string | undefined, max: number, wait: number, signal?: AbortSignal) =>
      backend.changes(caller, model, { domain, fields, since, limit: max, wait, signal }).catch((error: unknown) => {
        throw asApiError(error);
      });
    // The first answer, before the stream starts: a cursor that cannot be resumed is the JSON 410 (or 400),
    // and without one the answer is the current cursor. Its changes are the stream's first events.
    const first = await fetch(call.since, Math.min(limit, limits.streamQueue), 0);
    if (request.raw.destroyed) return reply;
    const stream: ChangeStream = new ChangeStream({
      cursor: call.since ?? first.cursor,
      first,
      limit,
      waitS: limits.maxWaitS,
      heartbeatMs: limits.heartbeatS * 1000,
      queueMax: limits.streamQueue,
      authCheckMs: limits.authCheckS * 1000,
      fetch,
      recheck: recheckCredentials(backend, request),
      onEnd: () => {
        streams.delete(stream);
        const left = (streamsByUser.get(caller.uid) ?? 1) - 1;
        if (left > 0) streamsByUser.set(caller.uid, left);
        else streamsByUser.delete(caller.uid);
      },
      destroy: () => reply.raw.destroy(),
    });
    streams.add(stream);
    streamsByUser.set(caller.uid, (streamsByUser.get(caller.uid) ?? 0) + 1);
    reply.raw.once('close', () => stream.close());
    reply.header('content-type', 'text/event-stream; charset=utf-8').header('cache-control', 'no-store').header('x-accel-buffering', 'no');
    stream.start();
    return reply.send(stream.body);
  }
}
