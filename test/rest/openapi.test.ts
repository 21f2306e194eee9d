/**
 * The OpenAPI document at /openapi.json and Swagger UI at /docs: a valid OpenAPI 3.1 document (checked
 * by swagger-parser against the 3.1 schema, every $ref resolved) built from the route schemas, with
 * both auth schemes, the error shape on every failure status, and the same 400 the routes answer.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
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

  it('OA-05 describes the list parameters as strings, the path id as a positive integer, bodies as objects', () => {
    const list = doc.paths['/api/{slug}'].get;
    expect(list.parameters.map((p: any) => `${p.in}:${p.name}`).sort()).toEqual([
      'header:if-none-match',
      'path:slug',
      'query:domain',
      'query:fields',
      'query:limit',
      'query:offset',
      'query:order',
    ]);
    for (const parameter of list.parameters) expect(parameter.schema.type).toBe('string');
    const id = doc.paths['/api/{slug}/{id}'].get.parameters.find((p: any) => p.name === 'id');
    expect(id).toMatchObject({ in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' } });
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

  it('OA-06 the documented limit pattern is what the route enforces (a 400 naming the parameter, after auth)', async () => {
    const pattern = new RegExp(doc.paths['/api/{slug}'].get.parameters.find((p: any) => p.name === 'limit').schema.pattern);
    expect(pattern.test('80')).toBe(true);
    expect(pattern.test('-1')).toBe(false);
    expectError(await server.request('admin', 'GET', '/api/sale_order?limit=-1'), 400, /'limit'/);
    expectError(await server.request(null, 'GET', '/api/sale_order?limit=-1'), 401);
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
