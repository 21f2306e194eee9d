/**
 * The per-model part of /openapi.json (src/rest/openapi-models.ts): each model of the typed GraphQL schema
 * as components built from the same field metadata, under the same names, with paths of its own; and
 * the examples Swagger UI's "Try it out" sends as they stand, which must be requests the server takes,
 * on the generic paths whatever the slug, and on each model's own paths.
 */
import { parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTypedModels, type TypedModels } from '../../src/graphql/typed/read-typed-models.js';
import { describeModels, schemaName, type OpenApiDocument } from '../../src/rest/openapi-models.js';
import { useServer } from '../helpers/use-server.js';
import type { TestResponse } from '../helpers/server.js';

const server = useServer();
let doc: any;
let typed: TypedModels;
beforeAll(async () => {
  doc = await (await fetch(`${server.url}/openapi.json`)).json();
  typed = readTypedModels(parse((await server.app.typedSchema.sdl()).sdl));
});

/**
 * The request Swagger UI's "Try it out" sends for an operation when only `slug` (if any) is filled in:
 * every parameter and the body with their examples, nothing else. The caller: admin's API key.
 */
async function tryItOut(path: string, method: string, slug?: string): Promise<TestResponse> {
  const operation = doc.paths[path][method];
  let url = path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const parameter of operation.parameters ?? []) {
    const example = parameter.in === 'path' && parameter.name === 'slug' ? slug : parameter.example;
    if (example === undefined) {
      expect(parameter.required, `${method} ${path}: ${parameter.name} has no example`).toBe(false);
      continue;
    }
    if (parameter.in === 'path') url = url.replace(`{${parameter.name}}`, encodeURIComponent(String(example)));
    if (parameter.in === 'query') query.set(parameter.name, String(example));
    if (parameter.in === 'header') headers[parameter.name] = String(example);
  }
  const body = operation.requestBody?.content['application/json'].example;
  const search = query.size ? `?${query}` : '';
  return server.request('admin', method.toUpperCase(), `${url}${search}`, body, headers);
}

describe('each typed model, described on its own', () => {
  it('OM-01 has a component of the typed GraphQL type name, from the same field metadata', () => {
    expect(typed.byModel.size).toBeGreaterThan(10);
    for (const [model, typedModel] of typed.byModel) {
      expect(schemaName(model), model).toBe(typedModel.type);
      const record = doc.components.schemas[typedModel.type];
      expect(record, model).toMatchObject({ type: 'object', required: ['id'] });
      expect(record.properties.id).toMatchObject({ type: 'integer' });
      // Every field the typed GraphQL type has (it leaves out only what GraphQL cannot name) is a property.
      expect(Object.keys(record.properties), model).toEqual(expect.arrayContaining([...typedModel.fields.keys()]));
      // The writable fields are the same: the GraphQL input type's and the REST body's.
      const values = doc.components.schemas[`${typedModel.type}Values`];
      expect(Object.keys(values.properties).sort(), model).toEqual([...(typedModel.inputFields?.keys() ?? [])].sort());
      // A selection's keys: the GraphQL enum's, as Odoo keys.
      for (const field of typedModel.fields.values()) {
        if (field.kind !== 'selection' || !field.enumType) continue;
        const keys = [...typed.enums.get(field.enumType)!.values()];
        const enumRef = record.properties[field.name].anyOf[0].$ref as string;
        expect(doc.components.schemas[enumRef.split('/').pop()!].enum, `${model}.${field.name}`).toEqual(keys);
      }
    }
  });

  it('OM-02 records are typed as the contract returns them (C-RECORD-01 to 03), bodies as it takes them (C-WRITE-02, 03)', () => {
    const order = doc.components.schemas.SaleOrder.properties;
    expect(order.name.anyOf).toEqual([{ type: 'string' }, expect.objectContaining({ const: false })]);
    expect(order.partner_id.anyOf).toEqual([{ $ref: '#/components/schemas/Many2One' }, expect.objectContaining({ const: false })]);
    expect(order.state.anyOf[0]).toEqual({ $ref: '#/components/schemas/SaleOrderState' });
    expect(order.order_line).toMatchObject({ type: 'array', items: { type: 'integer' } });
    expect(order.amount_total).toMatchObject({ type: 'number', readOnly: true });
    expect(doc.components.schemas.SaleOrderState.enum).toEqual(['draft', 'sent', 'sale', 'cancel']);
    expect(doc.components.schemas.Many2One).toMatchObject({ required: ['id', 'name'], properties: { id: { type: 'integer' } } });
    const values = doc.components.schemas.SaleOrderValues.properties;
    expect(values.amount_total).toBeUndefined();
    expect(values.partner_id.anyOf.map((s: any) => s.type ?? s.enum)).toEqual(['integer', 'object', [false, null]]);
    expect(values.order_line.anyOf[0]).toMatchObject({ type: 'array' });
  });

  it('OM-03 has its own paths, the generic operations with the slug fixed and the record typed', () => {
    const ids = (path: string) => Object.fromEntries(Object.entries<any>(doc.paths[path]).map(([m, o]) => [m, o.operationId]));
    expect(ids('/api/sale_order')).toEqual({ get: 'listSaleOrder', post: 'createSaleOrder' });
    expect(ids('/api/sale_order/{id}')).toEqual({
      get: 'getSaleOrder',
      put: 'updateSaleOrder',
      patch: 'patchSaleOrder',
      delete: 'deleteSaleOrder',
    });
    expect(ids('/api/sale_order/fields')).toEqual({ get: 'getSaleOrderFields' });
    const json = (path: string, method: string, status: string) =>
      doc.paths[path][method].responses[status].content['application/json'].schema;
    expect(json('/api/sale_order', 'get', '200')).toEqual({ $ref: '#/components/schemas/SaleOrderPage' });
    expect(json('/api/sale_order/{id}', 'get', '200')).toEqual({ $ref: '#/components/schemas/SaleOrder' });
    expect(json('/api/sale_order', 'post', '201').properties.record).toEqual({ $ref: '#/components/schemas/SaleOrder' });
    expect(json('/api/sale_order/{id}', 'put', '200').properties.record).toEqual({ $ref: '#/components/schemas/SaleOrder' });
    expect(doc.paths['/api/sale_order'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/SaleOrderValues',
    });
    for (const [method, operation] of Object.entries<any>(doc.paths['/api/sale_order/{id}'])) {
      expect(
        operation.parameters.map((p: any) => p.name),
        method,
      ).not.toContain('slug');
      expect(operation.tags, method).toEqual(['sale_order']);
      // Everything else as on the generic path: auth, errors, conditional reads.
      expect(Object.keys(operation.responses), method).toEqual(Object.keys(doc.paths['/api/{slug}/{id}'][method].responses));
      expect(operation.security, method).toEqual(doc.paths['/api/{slug}/{id}'][method].security);
    }
  });

  it('OM-04 the generic paths remain, their slug the enum of the described models', () => {
    const slugs = [...typed.byModel.values()].map((m) => m.slug).sort();
    for (const path of ['/api/{slug}', '/api/{slug}/{id}', '/api/{slug}/fields']) {
      for (const [method, operation] of Object.entries<any>(doc.paths[path])) {
        const slug = operation.parameters.find((p: any) => p.name === 'slug');
        expect([...slug.schema.enum].sort(), `${method} ${path}`).toEqual(slugs);
      }
    }
    expect(doc.tags.map((t: any) => t.name)).toEqual(expect.arrayContaining(['records', 'sale_order', 'res_partner']));
  });
});

describe("Swagger UI's Try it out: the examples are requests the server takes", () => {
  it('OM-05 on the generic paths, with only the slug changed, for every described model', async () => {
    for (const { slug } of typed.byModel.values()) {
      const list = await tryItOut('/api/{slug}', 'get', slug);
      expect(list.status, `${slug}: ${list.text}`).toBe(200);
      expect(Object.keys(list.body.results[0] ?? { id: 1, display_name: '' }).sort(), slug).toEqual(['display_name', 'id']);
      const one = await tryItOut('/api/{slug}/{id}', 'get', slug);
      expect([200, 404], `${slug}: ${one.text}`).toContain(one.status);
      expect((await tryItOut('/api/{slug}/fields', 'get', slug)).status, slug).toBe(200);
    }
    // No invented If-None-Match: a list answers 200, never 304, to what Try it out sends.
    expect(doc.paths['/api/{slug}'].get.parameters.find((p: any) => p.name === 'if-none-match').example).toBeUndefined();
  });

  it("OM-06 on each model's own paths: list, read, create, update (PUT and PATCH), fields", async () => {
    const refused: string[] = [];
    for (const { slug } of typed.byModel.values()) {
      const check = (what: string, answer: TestResponse, ok: number[]) => {
        if (!ok.includes(answer.status)) refused.push(`${what} ${slug}: ${answer.status} ${answer.text}`);
      };
      check('list', await tryItOut(`/api/${slug}`, 'get'), [200]);
      check('read', await tryItOut(`/api/${slug}/{id}`, 'get'), [200]);
      check('fields', await tryItOut(`/api/${slug}/fields`, 'get'), [200]);
      const created = await tryItOut(`/api/${slug}`, 'post');
      check('create', created, [201]);
      if (created.status !== 201) continue;
      const body = (method: string) => doc.paths[`/api/${slug}/{id}`][method].requestBody.content['application/json'].example;
      for (const method of ['PUT', 'PATCH']) {
        check(method, await server.request('admin', method, `/api/${slug}/${created.body.id}`, body(method.toLowerCase())), [200]);
      }
    }
    expect(refused).toEqual([]);
  });
});

describe('describeModels', () => {
  const generic = (): OpenApiDocument => ({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/api/health': { get: { operationId: 'health', responses: {} } },
      '/api/{slug}': {
        get: { operationId: 'listRecords', parameters: [{ in: 'path', name: 'slug', schema: { type: 'string' } }], responses: {} },
      },
    },
    components: { schemas: { ApiError: { type: 'object' } } },
  });

  it('OM-07 leaves out a model whose names are taken, or listed twice, and leaves the generic document as it was', () => {
    const before = generic();
    const name = { type: 'char', string: 'Name' };
    const doc = describeModels(before, [
      { model: 'api.error', fields: { name } },
      { model: 'health', fields: { name } },
      { model: 'res.partner', fields: { name } },
      { model: 'res.partner', fields: {} },
    ]);
    expect(Object.keys(doc.paths)).toEqual(['/api/health', '/api/{slug}', '/api/res_partner']);
    expect(doc.paths['/api/{slug}']!.get!.parameters![0]!.schema).toEqual({ type: 'string', enum: ['res_partner'] });
    expect(doc.components.schemas!.ResPartner).toMatchObject({ properties: { name: { anyOf: [{ type: 'string' }, { const: false }] } } });
    expect(before).toEqual(generic());
    // No model described: the generic document, its slug any string.
    expect(describeModels(before, [])).toEqual(generic());
  });
});
