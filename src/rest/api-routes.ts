/**
 * The REST contract's data routes (docs/rest-contract.md): health, list, retrieve, create, update, delete on
 * `/api/<slug>`. They parse input, resolve the caller and the model, call the Backend and shape the
 * answer; they hold no SQL and no JSON-RPC.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Backend, Caller } from '../backends/backend.js';
import { ApiError } from './api-error.js';
import { conditionalRead } from './conditional-get.js';
import { resolveCaller } from './caller.js';
import { parseFields, parseId, parseListParams } from './list-params.js';
import { shapeRecord } from './record-shape.js';
import { CREATE_SCHEMA, DELETE_SCHEMA, HEALTH_SCHEMA, LIST_SCHEMA, refuseInvalid, RETRIEVE_SCHEMA, UPDATE_SCHEMA, withSchema } from './route-schemas.js';

export interface ApiRoutesOptions {
  readonly backend: Backend;
  readonly maxLimit: number;
}

interface SlugParams {
  slug: string;
}
interface RecordParams extends SlugParams {
  id: string;
}

function jsonObjectBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'request body must be a JSON object of field values');
  }
  return body as Record<string, unknown>;
}

export async function registerApiRoutes(app: FastifyInstance, { backend, maxLimit }: ApiRoutesOptions): Promise<void> {
  /** Caller first (401 before anything else), then the model (404 for an unknown slug). */
  const context = async (request: FastifyRequest<{ Params: SlugParams }>): Promise<{ caller: Caller; model: string }> => {
    const caller = await resolveCaller(backend, request);
    const info = await backend.resolveModel(request.params.slug, caller);
    if (!info) throw new ApiError(404, `unknown model '${request.params.slug}'`);
    return { caller, model: info.model };
  };

  const readRecord = async (caller: Caller, model: string, id: number, fields?: string[]) => {
    const [record] = await backend.read(caller, model, [id], fields);
    if (!record) throw new ApiError(404, `${model} record ${id} does not exist`);
    return shapeRecord(record);
  };

  // Each route's schema (route-schemas.ts) is checked after the caller and the model, and after the
  // handler's own parsing, whose messages are more precise.
  app.get('/api/health', withSchema(HEALTH_SCHEMA), async () => ({ status: 'ok' }));

  // Reads answer 304 to a repeated request whose data has not changed (conditional-get.ts).
  // The tag is checked before the parameters are parsed: a tag is only ever given to a 200 for this very
  // URL, caller and data, so a request that carries it is known to be valid (a domain of 500 ids is not
  // parsed again to answer 304).
  app.get<{ Params: SlugParams; Querystring: Record<string, unknown> }>('/api/:slug', withSchema(LIST_SCHEMA), async (request, reply) => {
    const { caller, model } = await context(request);
    return conditionalRead(backend, caller, request, reply, async () => {
      const params = parseListParams(request.query, maxLimit);
      refuseInvalid(request);
      const [records, total] = await Promise.all([
        backend.searchRead(caller, model, params),
        backend.searchCount(caller, model, params.domain),
      ]);
      return { count: records.length, total, limit: params.limit, offset: params.offset, results: records.map(shapeRecord) };
    });
  });

  app.get<{ Params: RecordParams; Querystring: Record<string, unknown> }>('/api/:slug/:id', withSchema(RETRIEVE_SCHEMA), async (request, reply) => {
    const { caller, model } = await context(request);
    return conditionalRead(backend, caller, request, reply, () => {
      const id = parseId(request.params.id);
      const fields = parseFields(request.query);
      refuseInvalid(request);
      return readRecord(caller, model, id, fields);
    });
  });

  app.post<{ Params: SlugParams }>('/api/:slug', withSchema(CREATE_SCHEMA), async (request, reply) => {
    const { caller, model } = await context(request);
    const values = jsonObjectBody(request);
    refuseInvalid(request);
    const record = await backend.createAndRead(caller, model, values);
    reply.code(201);
    return { id: record.id, record: shapeRecord(record) };
  });

  const update = async (request: FastifyRequest<{ Params: RecordParams }>) => {
    const { caller, model } = await context(request);
    const id = parseId(request.params.id);
    const values = jsonObjectBody(request);
    refuseInvalid(request);
    const record = await backend.writeAndRead(caller, model, id, values);
    return { id, record: shapeRecord(record) };
  };
  app.put<{ Params: RecordParams }>('/api/:slug/:id', withSchema(UPDATE_SCHEMA), update);
  app.patch<{ Params: RecordParams }>('/api/:slug/:id', withSchema(UPDATE_SCHEMA), update);

  app.delete<{ Params: RecordParams }>('/api/:slug/:id', withSchema(DELETE_SCHEMA), async (request) => {
    const { caller, model } = await context(request);
    const id = parseId(request.params.id);
    refuseInvalid(request);
    await backend.unlink(caller, model, [id]);
    return { ok: true };
  });
}
