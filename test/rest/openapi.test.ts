/**
 * The OpenAPI document at /openapi.json and Swagger UI at /docs: a valid OpenAPI 3.1 document (checked
 * by swagger-parser against the 3.1 schema, every $ref resolved) built from the route schemas, with
 * both auth schemes, the error shape on every failure status, and the same 400 the routes answer; an
 * operationId on every operation the server serves (found by walking the server's routes), integers where
 * the routes take integers, and the server's own address. The per-model part: openapi-models.test.ts; a
 * client generated from it: openapi-client.test.ts.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { schemaError } from '../../src/rest/route-schemas.js';
import { useServer } from '../helpers/use-server.js';
import { expectError, JSON_UTF8 } from './support.js';

const server = useServer();
let doc: any;
beforeAll(async () => {
  const response = await fetch(`${server.url}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe(JSON_UTF8);
  doc = await response.json();
});

describe('OpenAPI document', () => {
  it('OA-01 is valid OpenAPI 3.1', async () => {
    expect(doc.openapi).toBe('3.1.0');
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
  });

  it('OA-02 lists every REST route of the contract with its methods, and no other kind of route', () => {
    const methods = Object.fromEntries(Object.entries(doc.paths).map(([path, item]) => [path, Object.keys(item as object).sort()]));
    // Routes without a schema (405 answers, /graphql, the docs themselves) are left out.
    for (const path of Object.keys(methods)) expect(path).toMatch(/^\/(api|web\/session)\//);
    expect(methods).toMatchObject({
      '/api/health': ['get'],
      '/api/{slug}': ['get', 'post'],
      '/api/{slug}/{id}': ['delete', 'get', 'patch', 'put'],
      '/web/session/authenticate': ['post'],
      '/web/session/get_session_info': ['post'],
      '/web/session/destroy': ['post'],
    });
  });

  it('OA-03 declares both auth schemes and requires one of them on the data routes', () => {
    expect(doc.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      cookieAuth: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'session_id' }),
    });
    const list = doc.paths['/api/{slug}'].get;
    expect(list.security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
    expect(doc.paths['/api/health'].get.security).toEqual([]);
    expect(doc.paths['/web/session/authenticate'].post.security).toEqual([]);
  });

  it('OA-04 every failure status answers the contract\'s {"error"} shape', () => {
    expect(doc.components.schemas.ApiError).toMatchObject({
      type: 'object',
      required: ['error'],
      properties: { error: { type: 'string' } },
    });
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      if (path.startsWith('/web/session')) continue; // Odoo's envelope: failures are HTTP 200
      for (const operation of Object.values<any>(item)) {
        for (const [status, response] of Object.entries<any>(operation.responses)) {
          if (Number(status) < 400) continue;
          expect(response.content['application/json'].schema, `${path} ${status}`).toEqual({ $ref: '#/components/schemas/ApiError' });
        }
      }
    }
    expect(Object.keys(doc.paths['/api/{slug}/{id}'].get.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
    expect(Object.keys(doc.paths['/api/{slug}'].post.responses)).toEqual(expect.arrayContaining(['201', '413', '415']));
  });

  it('OA-05b every /api/<slug> operation takes the context (query `context`, headers Accept-Language and X-Company-Ids), with no example to send', () => {
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      if (!path.startsWith('/api/{slug}')) continue;
      for (const [method, operation] of Object.entries<any>(item)) {
        const names = (operation.parameters as any[]).map((p) => `${p.in}:${p.name}`);
        expect(names, `${method} ${path}`).toEqual(
          expect.arrayContaining(['query:context', 'header:accept-language', 'header:x-company-ids']),
        );
        for (const parameter of operation.parameters as any[])
          if (['context', 'accept-language', 'x-company-ids'].includes(parameter.name)) expect(parameter.schema.examples).toBeUndefined();
      }
    }
  });

  it('OA-05 describes domain, fields and order as strings, limit and offset as integers >= 0, the path id as an integer >= 1, bodies as objects', () => {
    const list = doc.paths['/api/{slug}'].get;
    expect(list.parameters.map((p: any) => `${p.in}:${p.name}`).sort()).toEqual([
      'header:accept-language',
      'header:if-none-match',
      'header:x-company-ids',
      'path:slug',
      'query:context',
      'query:domain',
      'query:fields',
      'query:limit',
      'query:offset',
      'query:order',
    ]);
    const types = Object.fromEntries(list.parameters.map((p: any) => [p.name, p.schema.type]));
    expect(types).toEqual({
      'accept-language': 'string',
      'x-company-ids': 'string',
      context: 'string',
      'if-none-match': 'string',
      slug: 'string',
      domain: 'string',
      fields: 'string',
      limit: 'integer',
      offset: 'integer',
      order: 'string',
    });
    for (const name of ['limit', 'offset']) {
      expect(list.parameters.find((p: any) => p.name === name).schema, name).toEqual({
        type: 'integer',
        minimum: 0,
        maximum: 999_999_999_999_999,
      });
    }
    // Every operation that takes a record id, generic or per model (`/{id}`, and a binary field's `/{id}/{field}`).
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        const id = operation.parameters?.find((p: any) => p.name === 'id');
        if (!path.includes('/{id}')) expect(id, `${method} ${path}`).toBeUndefined();
        else
          expect(id, `${method} ${path}`).toMatchObject({
            in: 'path',
            required: true,
            schema: { type: 'integer', minimum: 1, maximum: 999_999_999_999_999 },
          });
      }
    }
    expect(doc.paths['/api/{slug}'].post.requestBody.content['application/json'].schema).toMatchObject({ type: 'object' });
    expect(doc.paths['/api/{slug}'].get.responses['200'].content['application/json'].schema.required).toEqual([
      'count',
      'total',
      'limit',
      'offset',
      'results',
    ]);
    // Conditional reads: If-None-Match in, 304 without a body out, on list and retrieve.
    for (const path of ['/api/{slug}', '/api/{slug}/{id}']) {
      expect(doc.paths[path].get.responses['304'].description, path).toMatch(/Not Modified/);
      expect(doc.paths[path].get.responses['304'].content, path).toBeUndefined();
    }
  });

  it('OA-06 the documented limit, offset and id are what the routes enforce (a 400 naming the parameter, after auth)', async () => {
    const ajv = new Ajv();
    const schemaOf = (path: string, name: string) => doc.paths[path].get.parameters.find((p: any) => p.name === name).schema;
    // What a client sends for a number the document allows: its decimal digits. Anything else is refused.
    const allowed = (schema: object, text: string) => /^-?[0-9]+$/.test(text) && ajv.validate(schema, Number(text));
    const texts = ['0', '1', '80', '999999999999999', '1000000000000000', '-1', '1.5', '1e3', 'abc', '0x10'];
    for (const name of ['limit', 'offset']) {
      const schema = schemaOf('/api/{slug}', name);
      for (const text of texts) {
        const answer = await server.request('admin', 'GET', `/api/res_country?fields=id&${name}=${text}`);
        if (allowed(schema, text)) expect(answer.status, `${name}=${text}`).toBe(200);
        else expectError(answer, 400, new RegExp(`^query parameter '${name}' must be an integer >= 0, got '${text}'$`));
      }
    }
    const id = schemaOf('/api/{slug}/{id}', 'id');
    for (const text of texts) {
      const answer = await server.request('admin', 'GET', `/api/res_country/${text}?fields=id`);
      if (allowed(id, text)) expect([200, 404], `id ${text}`).toContain(answer.status);
      else expectError(answer, 400, new RegExp(`^invalid record id '${text}': expected a positive integer$`));
    }
    expectError(await server.request('admin', 'GET', '/api/sale_order?limit=-1'), 400, /'limit'/);
    expectError(await server.request(null, 'GET', '/api/sale_order?limit=-1'), 401);
  });
});

/**
 * The routes the server's router holds, read from Fastify's own listing (`printRoutes`), not from the
 * document: each line of its tree is a path segment, indented four characters per level, with the
 * methods of the routes that end there.
 */
function routerRoutes(): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = [];
  const segments: string[] = [];
  for (const line of server.app.server.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    segments.length = match[1]!.length / 4;
    segments.push(match[2]!);
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, path: segments.join('') });
  }
  return routes;
}

/** A URL that a route template matches: `/api/:slug/:id` -> `/api/sale_order/1`. */
const concrete = (path: string) => path.replace(/[:{]slug}?/, 'sale_order').replace(/[:{]id}?/, '1');
/** The document's template of a route: `/api/:slug/:id` -> `/api/{slug}/{id}`. */
const template = (path: string) => path.replace(/:(\w+)/g, '{$1}');

describe('operations', () => {
  it('OA-09 every route the server serves under /api and /web/session is an operation of the document, with an operationId', async () => {
    const served: string[] = [];
    for (const { method, path } of routerRoutes()) {
      // HEAD comes with GET (Fastify adds it), as OpenAPI takes it to.
      if (!/^\/(api|web\/session)\//.test(path) || method === 'HEAD') continue;
      // The other methods of a known path answer 405 (register-rest.ts): not operations. Asked without
      // credentials, so that nothing is written.
      const answer = await server.app.server.inject({ method: method as 'GET', url: concrete(path) });
      if (answer.statusCode !== 405) served.push(`${method} ${path}`);
    }
    // The walk sees what it must: the contract's routes and the fields extension.
    expect(served).toEqual(
      expect.arrayContaining([
        'GET /api/health',
        'GET /api/:slug',
        'POST /api/:slug',
        'GET /api/:slug/:id',
        'PUT /api/:slug/:id',
        'PATCH /api/:slug/:id',
        'DELETE /api/:slug/:id',
        'GET /api/:slug/fields',
        'GET /api/:slug/groups',
        'GET /api/:slug/actions',
        'GET /api/:slug/:id/:field|:method',
        'POST /api/:slug/:id/:field|:method',
        'POST /web/session/authenticate',
        'POST /web/session/get_session_info',
        'POST /web/session/destroy',
      ]),
    );
    // Two routes with a parameter at the same place under other names share the router's node, which prints
    // them joined (`:field|:method`: the binary field's GET, the action's POST): either name may be the method's.
    const variants = (path: string): string[] =>
      path
        .split('/')
        .reduce<string[]>((paths, segment) => paths.flatMap((p) => segment.split('|').map((name) => `${p}/${name}`)), [''])
        .map((p) => p.slice(1));
    const undocumented = (document: any) =>
      served.filter((route) => {
        const [method, path] = route.split(' ') as [string, string];
        return !variants(path).some(
          (variant) => typeof document.paths[template(variant)]?.[method.toLowerCase()]?.operationId === 'string',
        );
      });
    expect(undocumented(doc)).toEqual([]);
    // ...and would name one that the document left out.
    const { ['/api/{slug}/fields']: _fields, ...paths } = doc.paths;
    expect(undocumented({ ...doc, paths })).toEqual(['GET /api/:slug/fields']);
    // The other way round: every operation of the document is a route the server serves (per-model paths too).
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const method of Object.keys(item)) {
        const answer = await server.app.server.inject({ method: method.toUpperCase() as 'GET', url: concrete(path) });
        expect(answer.statusCode, `${method} ${path}: ${answer.body}`).not.toBe(405);
        expect(answer.json().error ?? '', `${method} ${path}`).not.toMatch(/^no route/);
      }
    }
  });

  it('OA-10 operationIds are unique, and name the generic operations as clients call them', () => {
    const ids = Object.values<any>(doc.paths).flatMap((item) => Object.values<any>(item).map((operation) => operation.operationId));
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'health',
        'listRecords',
        'createRecord',
        'getRecord',
        'updateRecord',
        'patchRecord',
        'deleteRecord',
        'getFields',
        'authenticate',
        'getSessionInfo',
        'destroySession',
      ]),
    );
  });

  it("OA-11 servers: the server's own base URL, as the client reached it", async () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: server.url })]);
    const localhost = server.url.replace('127.0.0.1', 'localhost');
    expect((await (await fetch(`${localhost}/openapi.json`)).json()).servers[0].url).toBe(localhost);
    // Swagger UI's copy too (/docs/json), so that "Try it out" calls this server.
    expect((await (await fetch(`${localhost}/docs/json`)).json()).servers[0].url).toBe(localhost);
  });

  it('OA-12 GET /api/<slug>/fields is documented: its answer a map of FieldMeta, its 304, its errors', () => {
    const fields = doc.paths['/api/{slug}/fields'].get;
    expect(fields.security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
    expect(fields.responses['200'].content['application/json'].schema).toEqual({
      type: 'object',
      description: expect.any(String),
      additionalProperties: { $ref: '#/components/schemas/FieldMeta' },
    });
    expect(doc.components.schemas.FieldMeta).toMatchObject({ required: ['type', 'string'] });
    expect(Object.keys(fields.responses)).toEqual(expect.arrayContaining(['200', '304', '401', '403', '404']));
  });
});

describe('schemaError', () => {
  it("OA-08 turns a schema failure into the contract's 400 naming the parameter", () => {
    const limit = schemaError([{ instancePath: '/limit', message: 'must match pattern "^[0-9]*$"', params: {} } as never], 'querystring');
    expect(limit).toMatchObject({ status: 400, message: `query parameter 'limit' must match pattern "^[0-9]*$"` });
    const body = schemaError([{ instancePath: '', message: 'must be object', params: {} } as never], 'body');
    expect(body).toMatchObject({ status: 400, message: 'request body must be object' });
  });
});

describe('Swagger UI', () => {
  it('OA-07 /docs serves the HTML page, which loads the same document', async () => {
    const response = await fetch(`${server.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('swagger-ui');
    const json = await fetch(`${server.url}/docs/json`);
    expect(await json.json()).toEqual(doc);
    const script = await fetch(`${server.url}/docs/static/swagger-ui-bundle.js`);
    expect(script.status).toBe(200);
  });
});
