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
 * (record-shape.ts). A cursor the backend no longer follows is a 410, a backend without a feed a 501.
 *
 * Long polling holds the request in the backend (the embedded store's one watch timer per process); this
 * route caps the requests waiting at once (CHANGES_MAX_WAITERS: 503 with Retry-After beyond), lets a
 * client that goes away release its wait, and answers every waiter when the server closes. Registered in
 * the /api/<slug> scope (api-routes.ts), whose hook answers 401 and 404 first. Answers are never cached
 * (`Cache-Control: no-store`): a feed is not a conditional read.
 */
import type { FastifyInstance } from 'fastify';
import type { Backend } from '../backends/backend.js';
import {
  ChangesUnsupportedError,
  CursorGoneError,
  DEFAULT_CHANGES_LIMIT,
  InvalidCursorError,
  type ChangesResult,
} from '../backends/changes.js';
import { CONFIG_DEFAULTS } from '../config.js';
import { ApiError } from './api-error.js';
import { apiCall } from './caller.js';
import { CHANGES_SCHEMA } from './changes-schema.js';
import { parseFields, parseListParams } from './list-params.js';
import { toContractRecord } from './record-shape.js';
import { withSchema } from './route-schemas.js';

/** Long polling's limits: CHANGES_MAX_WAIT_S, CHANGES_MAX_WAITERS. */
export interface ChangesRouteLimits {
  readonly maxWaitS: number;
  readonly maxWaiters: number;
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
  if (error instanceof ChangesUnsupportedError) return new ApiError(501, error.message);
  return error;
}

export async function registerChangesRoute(app: FastifyInstance, { backend, maxLimit, changes }: ChangesRouteOptions): Promise<void> {
  const limits = changes ?? { maxWaitS: CONFIG_DEFAULTS.CHANGES_MAX_WAIT_S, maxWaiters: CONFIG_DEFAULTS.CHANGES_MAX_WAITERS };
  const waiting = new Set<AbortController>();
  // A closing server answers its waiting requests at once rather than holding its shutdown for their `wait`.
  app.addHook('preClose', async () => {
    for (const controller of waiting) controller.abort();
  });

  app.get<{ Querystring: ChangesQuery }>('/api/:slug/changes', withSchema(CHANGES_SCHEMA), async (request, reply) => {
    const { caller, model } = apiCall(request);
    const query = request.query;
    const { domain } = parseListParams({ domain: query.domain }, maxLimit);
    const fields = parseFields(query);
    const limit = parseLimit(query.limit, maxLimit);
    const asked = parseWait(query.wait, limits.maxWaitS);
    // Without `since` there is nothing to wait for: the answer is the current cursor.
    const wait = query.since === undefined ? 0 : asked;
    const controller = new AbortController();
    if (wait > 0) {
      if (waiting.size >= limits.maxWaiters) {
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
      changes: result.changes.map((change) => (change.record ? { ...change, record: toContractRecord(change.record) } : change)),
      more: result.more,
    };
  });
}
