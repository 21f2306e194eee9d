/**
 * Extension to the contract: `GET /api/<slug>/fields`, the model's field metadata as the caller may see
 * it, in the shape of Odoo's `fields_get` (`{"name": {"type": "char", "string": "Name", "required":
 * false, "readonly": false, ...}, "partner_id": {"type": "many2one", "relation": "res.partner", ...}}`).
 * Fields the caller may not read (Odoo's field `groups`) are left out, as Odoo's fields_get does. The
 * typed GraphQL schema is built from it (src/graphql/typed/).
 *
 * Routing: Fastify prefers the static segment, so `/api/<slug>/fields` is this route and every other
 * second segment is still `/api/:slug/:id`, whose id must be a positive integer (400 otherwise). Other
 * methods on this path answer 405 with `Allow` (register-rest.ts). Registered in the /api/<slug> scope
 * (api-routes.ts), whose hook resolves the caller (401) and then the model (404) first.
 *
 * Its schema (`FIELDS_SCHEMA`, route-schemas.ts) only documents it, in /openapi.json as `getFields`: the
 * route takes no input to refuse, so nothing is validated and it answers as before.
 */
import type { FastifyInstance } from 'fastify';
import type { Backend } from '../backends/backend.js';
import { apiCall } from './caller.js';
import { conditionalRead } from './conditional-get.js';
import { documentedBy, FIELDS_SCHEMA } from './route-schemas.js';

export interface FieldsRouteOptions {
  readonly backend: Backend;
}

export async function registerFieldsRoute(app: FastifyInstance, { backend }: FieldsRouteOptions): Promise<void> {
  // 304 when unchanged, as the other reads.
  app.get('/api/:slug/fields', documentedBy(FIELDS_SCHEMA), async (request, reply) => {
    const { caller, model } = apiCall(request);
    return conditionalRead(backend, caller, request, reply, () => backend.fieldsGet(caller, model));
  });
}
