/**
 * Extension to the contract (issue 17): business actions, Odoo's methods on a record.
 * - `POST /api/<slug>/<id>/<method>` with an optional body `{"args": [...], "kwargs": {...}}`: the method
 *   called as the caller, answered `{"id", "result", "record"}` (the record read back, `fields` as in a
 *   retrieve). Which names may be called: src/backends/actions.ts (400 otherwise, before any backend).
 * - `GET /api/<slug>/actions`: the known actions of the model, with their arguments.
 * Registered in the /api/<slug> scope (api-routes.ts): caller (401), model (404), then the schema (400).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { methodNameProblem } from '../backends/actions.js';
import type { Backend } from '../backends/backend.js';
import { ApiError } from './api-error.js';
import { apiCall } from './caller.js';
import { parseFields } from './list-params.js';
import { toContractRecord } from './record-shape.js';
import { ACTION_SCHEMA, ACTIONS_SCHEMA, withSchema } from './route-schemas.js';

export interface ActionRouteOptions {
  readonly backend: Backend;
}

interface ActionRoute {
  Params: { slug: string; id: string; method: string };
  Querystring: { fields?: string };
  Body: { args?: unknown[]; kwargs?: Record<string, unknown> } | undefined;
}

export async function registerActionRoutes(app: FastifyInstance, { backend }: ActionRouteOptions): Promise<void> {
  // The body is optional: no body is an empty one (after the scope's hook, before the schema's check).
  const optionalBody = { preValidation: async (request: FastifyRequest) => void (request.body ??= {}) };
  app.post<ActionRoute>('/api/:slug/:id/:method', { ...withSchema(ACTION_SCHEMA), ...optionalBody }, async (request) => {
    const { caller, model } = apiCall(request);
    const { method } = request.params;
    const problem = methodNameProblem(method);
    if (problem) throw new ApiError(400, problem);
    const kwargs = request.body?.kwargs ?? {};
    if (Object.hasOwn(kwargs, 'context'))
      throw new ApiError(400, "kwargs 'context': give the context as the 'context' query parameter (docs/rest.md, \"Context\")");
    const id = Number(request.params.id);
    const { result, record } = await backend.callAction(caller, model, id, {
      method,
      args: request.body?.args ?? [],
      kwargs,
      fields: parseFields(request.query),
    });
    return { id, result, record: toContractRecord(record) };
  });

  app.get('/api/:slug/actions', withSchema(ACTIONS_SCHEMA), async (request) => {
    const { caller, model } = apiCall(request);
    return { actions: await backend.actions(caller, model) };
  });
}
