/**
 * The REST contract as an OpenAPI 3.1 document at `/openapi.json`, and Swagger UI at `/docs`.
 * @fastify/swagger builds the document from the schemas of the routes registered after it, the very
 * schemas those routes validate with (route-schemas.ts), so it cannot drift from what the server does.
 * Routes without a schema (405 answers, GraphQL, these docs themselves) are left out.
 * Call before the REST routes are registered: only the routes added later are seen.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { API_ERROR_SCHEMA } from './route-schemas.js';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

const DESCRIPTION = `The REST contract of Odoo's \`mrm_rest_api\` app, served by odoo-graphql-facade (GraphQL is at \`/graphql\`).

Authenticate with \`Authorization: Bearer <API key>\` (\`npx odoo-graphql apikey create --login admin\`), or with the
\`session_id\` cookie that \`POST /web/session/authenticate\` sets. Every failure is \`{"error": "<message>"}\`.
A known path called with another method answers 405 with an \`Allow\` header; an unknown path 404.`;

export async function registerOpenApi(app: FastifyInstance, options: { version?: string } = {}): Promise<void> {
  app.addSchema(API_ERROR_SCHEMA);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'odoo-graphql-facade REST API', version: options.version ?? '0.1.0', description: DESCRIPTION },
      tags: [
        { name: 'records', description: 'List, read, create, update and delete the records of any model, as the caller.' },
        { name: 'session', description: "Odoo's session routes, in its JSON-RPC 2.0 envelope." },
        { name: 'health', description: 'Liveness.' },
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key: `npx odoo-graphql apikey create --login <login>`.' },
          cookieAuth: {
            type: 'apiKey',
            in: 'cookie',
            name: 'session_id',
            description: 'The session cookie set by `POST /web/session/authenticate`.',
          },
        },
      },
    },
    // Shared schemas appear under their own names (`#/components/schemas/ApiError`).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    // A route registered without a schema reaches here with `schema` undefined, whatever the type says.
    transform: ({ schema, url }: { schema: FastifySchema | undefined; url: string }) => ({ schema: schema ?? { hide: true }, url }),
    // OpenAPI 3.1 is JSON Schema 2020-12: `const` stays `const`.
    convertConstToEnum: false,
  });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, {
    routePrefix: DOCS_PATH,
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: false, persistAuthorization: false },
  });
}
