/**
 * The REST contract as an OpenAPI 3.1 document at `/openapi.json`, and Swagger UI at `/docs`.
 * @fastify/swagger builds the document from the schemas of the routes registered after it, the very
 * schemas those routes validate with (route-schemas.ts), so it cannot drift from what the server does.
 * Routes without a schema (405 answers, GraphQL, these docs themselves) are left out.
 * Call before the REST routes are registered: only the routes added later are seen.
 *
 * What generated clients need, on top of those schemas:
 * - each operation has an `operationId` (route-schemas.ts; PATCH, which shares PUT's schema, is `patchRecord`);
 * - a record id, `limit` and `offset`, checked as text by the routes, are shown as the integers they are
 *   (`documentedAs`, in `transform`): validation and its messages are unchanged;
 * - each model of the typed GraphQL schema (GRAPHQL_MODELS) is described on its own, with the same field
 *   metadata (openapi-models.ts): read once, on the first request for the document, when the REST face
 *   answers (BACKEND=odoo reads it from `/api/<slug>/fields` as GRAPHQL_SCHEMA_AUTHORIZATION, as the typed
 *   schema does). Without metadata (BACKEND=odoo without that identity) only the generic paths are shown;
 *   a failed read is logged and tried again on the next request;
 * - `servers`: the address the document was asked at (`<protocol>://<host>`; behind a proxy listed in
 *   TRUST_PROXY, its X-Forwarded-Proto and -Host), which is this server's own base URL as that client
 *   reaches it, whether the server listens on loopback, on a wildcard address or behind a proxy. Without a
 *   Host header, `/`: relative to where the document was fetched.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest, FastifySchema, RouteOptions } from 'fastify';
import type { Backend } from '../backends/backend.js';
import { asFieldsMetadata } from '../gateway/contract-types.js';
import { describeModels, type DocumentedModel, type OpenApiDocument } from './openapi-models.js';
import { API_ERROR_SCHEMA, documentedAs, FIELD_META_SCHEMA } from './route-schemas.js';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

const DESCRIPTION = `The REST contract of Odoo's \`mrm_rest_api\` app, served by odoo-graphql-facade (GraphQL is at \`/graphql\`).

Authenticate with \`Authorization: Bearer <API key>\` (\`npx odoo-graphql apikey create --login admin\`), or with the
\`session_id\` cookie that \`POST /web/session/authenticate\` sets. Every failure is \`{"error": "<message>"}\`.
A known path called with another method answers 405 with an \`Allow\` header; an unknown path 404.

The generic paths (\`/api/{slug}\`, tag \`records\`) serve any model. Each model of the typed GraphQL schema
(\`GRAPHQL_MODELS\`) whose field metadata the server can read also has paths of its own (\`/api/sale_order\`, tag
\`sale_order\`), whose records and bodies are typed by its fields (\`#/components/schemas/SaleOrder\`) and whose
examples work as they stand.`;

export interface OpenApiOptions {
  readonly version?: string;
  /** The backend the REST face serves: its `schemaFields` describes the models without a caller. */
  readonly backend?: Pick<Backend, 'schemaFields'>;
  /** The models to describe one by one: the typed GraphQL schema's (GRAPHQL_MODELS). */
  readonly models?: readonly string[];
  /** Whose `GET /api/<slug>/fields` to read when the backend has no `schemaFields` (GRAPHQL_SCHEMA_AUTHORIZATION). */
  readonly authorization?: string | undefined;
}

/** PUT and PATCH share one schema (route-schemas.ts, `UPDATE_SCHEMA`); PATCH's operation has its own id. */
const PATCH_OPERATION_IDS: Readonly<Record<string, string>> = { updateRecord: 'patchRecord' };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Query parameters a route requires but checks itself, in its own words, after the schema's checks (so a
 * request that also repeats a parameter is told about that first): the document shows them required.
 */
const DOCUMENTED_REQUIRED: Readonly<Record<string, readonly string[]>> = { readGroups: ['groupby'] };

/** A params or querystring schema with each property as the document shows it (`documentedAs`), and the `required` ones. */
function documentedPart(part: unknown, required: readonly string[] = []): unknown {
  if (!isObject(part) || !isObject(part.properties)) return part;
  const properties = Object.fromEntries(
    Object.entries(part.properties).map(([name, property]) => [name, isObject(property) ? documentedAs(property) : property]),
  );
  const own = Array.isArray(part.required) ? (part.required as string[]) : [];
  return { ...part, properties, ...(required.length && { required: [...new Set([...own, ...required])] }) };
}

/**
 * What every /api/<slug> route takes besides its own parameters: Odoo's context (call-context.ts). No examples:
 * Swagger UI's "Try it out" would send them.
 */
const CONTEXT_QUERY = {
  context: {
    type: 'string',
    description:
      'Odoo\'s context, a JSON object: `{"lang": "fr_FR", "tz": "Europe/Brussels", "allowed_company_ids": [2, 1]}` (any key may be left out; ' +
      "other keys are a 400). The language of labels and translatable values, the time zone of the user's day, the companies to work in " +
      '(the first one the current company).',
  },
};
const CONTEXT_HEADERS = {
  'accept-language': {
    type: 'string',
    description: 'The language, when `context` names none: the best installed match (`fr-BE, fr;q=0.9` is `fr_FR`).',
  },
  'x-company-ids': {
    type: 'string',
    description:
      "The companies to work in, when `context` names none: `2,1` (the first one the current company). The web client's `cids` cookie says the same.",
  },
};

/** `part` (a querystring or headers schema) with `extra` properties, or `extra` alone. */
function withProperties(part: unknown, extra: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const base = isObject(part) ? part : { type: 'object' };
  return { ...base, properties: { ...(isObject(base.properties) ? base.properties : {}), ...extra } };
}

/** A route's schema as the document shows it; the route keeps validating with the schema it was given. */
function documentedSchema(schema: FastifySchema, method: RouteOptions['method']): FastifySchema {
  const operationId =
    method === 'PATCH' && schema.operationId ? (PATCH_OPERATION_IDS[schema.operationId] ?? schema.operationId) : schema.operationId;
  const params = schema.params as { properties?: Record<string, unknown> } | undefined;
  const takesContext = params?.properties?.slug !== undefined;
  const querystring = takesContext ? withProperties(schema.querystring, CONTEXT_QUERY) : schema.querystring;
  return {
    ...schema,
    ...(operationId !== undefined && { operationId }),
    ...(schema.params !== undefined && { params: documentedPart(schema.params) }),
    ...(querystring !== undefined && {
      querystring: documentedPart(querystring, DOCUMENTED_REQUIRED[schema.operationId ?? ''] ?? []),
    }),
    ...(takesContext && { headers: withProperties(schema.headers, CONTEXT_HEADERS) }),
  };
}

/** The field metadata of the models to describe: the backend's own, else the REST face's, as the typed GraphQL schema reads it. */
async function readModels(app: FastifyInstance, { backend, models = [], authorization }: OpenApiOptions): Promise<DocumentedModel[]> {
  const read = async (model: string): Promise<DocumentedModel | undefined> => {
    if (backend?.schemaFields) {
      const fields = await backend.schemaFields(model);
      return fields && { model, fields };
    }
    if (authorization === undefined) return undefined;
    const slug = encodeURIComponent(model.replace(/\./g, '_'));
    const answer = await app.inject({ method: 'GET', url: `/api/${slug}/fields`, headers: { authorization, accept: 'application/json' } });
    if (answer.statusCode === 404) return undefined;
    if (answer.statusCode !== 200) throw new Error(`GET /api/${slug}/fields answered HTTP ${answer.statusCode}`);
    return { model, fields: asFieldsMetadata(JSON.parse(answer.body) as unknown) };
  };
  const found = await Promise.all(models.map(read));
  return found.filter((model): model is DocumentedModel => model !== undefined);
}

/** The document with `servers` (see above): the same for /openapi.json and Swagger UI's /docs/json. */
function withServer(doc: OpenApiDocument, request: FastifyRequest): OpenApiDocument {
  const url = request.host ? `${request.protocol}://${request.host}` : '/';
  const { openapi, info, ...rest } = doc;
  return { openapi, info, servers: [{ url, description: 'This server, at the address this document was asked at.' }], ...rest };
}

/** How long after a failed read of the models' metadata the document is the generic one without asking again. */
const RETRY_AFTER_FAILURE_MS = 30_000;

export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions = {}): Promise<void> {
  app.addSchema(API_ERROR_SCHEMA);
  app.addSchema(FIELD_META_SCHEMA);
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
    transform: ({ schema, url, route }: { schema: FastifySchema | undefined; url: string; route: RouteOptions }) => ({
      schema: schema ? documentedSchema(schema, route.method) : { hide: true },
      url,
    }),
    // OpenAPI 3.1 is JSON Schema 2020-12: `const` stays `const`.
    convertConstToEnum: false,
  });

  // The generic document (@fastify/swagger's, cached by it) with the models described; built once. After a
  // failure (Odoo unreachable) the generic one is served, and the models are asked again at most every
  // RETRY_AFTER_FAILURE_MS: the document is public, so no anonymous request may cost an upstream call each.
  let described: OpenApiDocument | undefined;
  let pending: Promise<OpenApiDocument> | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;
  const generic = () => app.swagger() as unknown as OpenApiDocument;
  const documentReady = (): Promise<OpenApiDocument> => {
    if (described) return Promise.resolve(described);
    if (!pending && Date.now() - failedAt < RETRY_AFTER_FAILURE_MS) return Promise.resolve(generic());
    pending ??= readModels(app, options).then(
      (models) => (described = describeModels(generic(), models)),
      (error: unknown) => {
        app.log.warn({ err: error }, 'OpenAPI document: the models could not be described; serving the generic paths only');
        failedAt = Date.now();
        pending = undefined;
        return generic();
      },
    );
    return pending;
  };

  app.get(OPENAPI_PATH, { schema: { hide: true } }, async (request) => withServer(await documentReady(), request));
  await app.register(swaggerUi, {
    routePrefix: DOCS_PATH,
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: false, persistAuthorization: false },
    // /docs/json and /docs/yaml: the same document as /openapi.json.
    uiHooks: {
      onRequest: (_request, _reply, done) => {
        documentReady().then(
          () => done(),
          (error: unknown) => done(error as Error),
        );
      },
    },
    transformSpecificationClone: false,
    transformSpecification: (_generic, request) => withServer(described ?? generic(), request),
  });
}
