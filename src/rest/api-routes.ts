/**
 * The REST contract's data routes (docs/rest-contract.md): health, list, retrieve, create, update, delete on
 * `/api/<slug>`, the fields of a model (fields-route.ts) and a binary field's bytes (binary-field-route.ts).
 * They parse input, call the Backend and shape the answer; they hold no SQL and no JSON-RPC.
 *
 * Every request to `/api/<slug>...` goes, in Fastify's lifecycle, through:
 * 1. the body parser: 415, 413, malformed JSON (400);
 * 2. the scope's preValidation hook (caller.ts, `resolveApiCall`): the caller (401), then the model (404);
 * 3. Fastify's validation against the route schema (route-schemas.ts): 400 naming the parameter;
 * 4. the handler: what the schema cannot express (a domain, field names, an order: list-params.ts), then the
 *    backend.
 * The hook belongs to the scope, not to each route, so no route under /api/<slug> can go without it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readOneOrMissing, searchPage, type Backend } from '../backends/backend.js';
import { registerActionRoutes } from './action-route.js';
import { registerBinaryFieldRoute } from './binary-field-route.js';
import { registerChangesRoute, type ChangesRouteLimits } from './changes-route.js';
import { apiCall, resolveApiCall } from './caller.js';
import { conditionalRead } from './conditional-get.js';
import { registerFieldsRoute } from './fields-route.js';
import { registerGroupsRoute } from './groups-route.js';
import { parseFields, parseListParams, type ListQuery } from './list-params.js';
import { toContractRecord } from './record-shape.js';
import { CREATE_SCHEMA, DELETE_SCHEMA, HEALTH_SCHEMA, LIST_SCHEMA, RETRIEVE_SCHEMA, UPDATE_SCHEMA, withSchema } from './route-schemas.js';

export interface ApiRoutesOptions {
  readonly backend: Backend;
  readonly maxLimit: number;
  readonly changes?: ChangesRouteLimits;
}

/** What the schemas let through (route-schemas.ts): an id of digits, bodies that are JSON objects. */
interface RecordRoute {
  Params: { slug: string; id: string };
}
interface WriteRoute {
  Body: Record<string, unknown>;
}

export async function registerApiRoutes(app: FastifyInstance, options: ApiRoutesOptions): Promise<void> {
  app.get('/api/health', withSchema(HEALTH_SCHEMA), async () => ({ status: 'ok' }));
  await app.register(async (models) => {
    models.addHook('preValidation', resolveApiCall(options.backend));
    registerRecordRoutes(models, options);
    await registerFieldsRoute(models, options);
    await registerGroupsRoute(models, options);
    await registerChangesRoute(models, options);
    await registerBinaryFieldRoute(models, options);
    await registerActionRoutes(models, options);
  });
}

function registerRecordRoutes(app: FastifyInstance, { backend, maxLimit }: ApiRoutesOptions): void {
  // Reads answer 304 to a repeated request whose data has not changed (conditional-get.ts).
  // The tag is checked before the domain is parsed: a tag is only ever given to a 200 for this very URL,
  // caller and data, so a request that carries it is known to be valid (a domain of 500 ids is not
  // parsed again to answer 304).
  app.get<{ Querystring: ListQuery }>('/api/:slug', withSchema(LIST_SCHEMA), async (request, reply) => {
    const { caller, model } = apiCall(request);
    return conditionalRead(backend, caller, request, reply, async () => {
      const params = parseListParams(request.query, maxLimit);
      const { records, total } = await searchPage(backend, caller, model, params);
      return { count: records.length, total, limit: params.limit, offset: params.offset, results: records.map(toContractRecord) };
    });
  });

  app.get<RecordRoute & { Querystring: Pick<ListQuery, 'fields'> }>(
    '/api/:slug/:id',
    withSchema(RETRIEVE_SCHEMA),
    async (request, reply) => {
      const { caller, model } = apiCall(request);
      return conditionalRead(backend, caller, request, reply, async () => {
        const fields = parseFields(request.query);
        return toContractRecord(
          await readOneOrMissing(model, Number(request.params.id), (ids) => backend.read(caller, model, ids, fields)),
        );
      });
    },
  );

  app.post<WriteRoute>('/api/:slug', withSchema(CREATE_SCHEMA), async (request, reply) => {
    const { caller, model } = apiCall(request);
    const record = await backend.createAndRead(caller, model, request.body);
    reply.code(201);
    return { id: record.id, record: toContractRecord(record) };
  });

  const update = async (request: FastifyRequest<RecordRoute & WriteRoute>) => {
    const { caller, model } = apiCall(request);
    const id = Number(request.params.id);
    const record = await backend.writeAndRead(caller, model, id, request.body);
    return { id, record: toContractRecord(record) };
  };
  app.put<RecordRoute & WriteRoute>('/api/:slug/:id', withSchema(UPDATE_SCHEMA), update);
  app.patch<RecordRoute & WriteRoute>('/api/:slug/:id', withSchema(UPDATE_SCHEMA), update);

  app.delete<RecordRoute>('/api/:slug/:id', withSchema(DELETE_SCHEMA), async (request) => {
    const { caller, model } = apiCall(request);
    await backend.unlink(caller, model, [Number(request.params.id)]);
    return { ok: true };
  });
}
