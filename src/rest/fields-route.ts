/**
 * Extension to the contract: `GET /api/<slug>/fields`, the model's field metadata as the caller may see
 * it, in the shape of Odoo's `fields_get` (`{"name": {"type": "char", "string": "Name", "required":
 * false, "readonly": false, ...}, "partner_id": {"type": "many2one", "relation": "res.partner", ...}}`).
 * Fields the caller may not read (Odoo's field `groups`) are left out, as Odoo's fields_get does. The
 * typed GraphQL schema is built from it (src/graphql/typed/).
 *
 * Routing: Fastify prefers the static segment, so `/api/<slug>/fields` is this route and every other
 * second segment is still `/api/:slug/:id`, whose id must be a positive integer (400 otherwise). Other
 * methods on this path answer 405 with `Allow`, as every route of register-rest.ts does.
 */
import type { FastifyInstance } from 'fastify';
import type { Backend } from '../backends/backend.js';
import { ApiError } from './api-error.js';
import { conditionalRead } from './conditional-get.js';
import { resolveCaller } from './caller.js';

export interface FieldsRouteOptions {
  readonly backend: Backend;
}

const URL = '/api/:slug/fields';
const ALLOWED = ['GET', 'HEAD'];
const REFUSED = ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export async function registerFieldsRoute(app: FastifyInstance, { backend }: FieldsRouteOptions): Promise<void> {
  app.get<{ Params: { slug: string } }>(URL, async (request, reply) => {
    // Caller first (401), then the model (404), as on every /api/<slug> route; 304 when unchanged.
    const caller = await resolveCaller(backend, request);
    const info = await backend.resolveModel(request.params.slug, caller);
    if (!info) throw new ApiError(404, `unknown model '${request.params.slug}'`);
    return conditionalRead(backend, caller, request, reply, () => backend.fieldsGet(caller, info.model));
  });

  app.route({
    method: [...REFUSED],
    url: URL,
    handler: async (request, reply) => {
      reply.code(405).header('allow', ALLOWED.join(', ')).send({ error: `method ${request.method} not allowed on ${URL}; allowed: ${ALLOWED.join(', ')}` });
    },
  });
}
