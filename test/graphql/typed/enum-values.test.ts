/**
 * Selection keys and enum values, both ways (naming.ts, "Enum value"): every key of every selection of the
 * typed models, the demo models' and a real Odoo 17's `sale.order`, is one enum value of the schema the
 * server runs on, which the resolvers turn back into that key (input) and the key into it (output). Over
 * HTTP, each priority of a lead written as its enum value reaches Odoo as its key and reads back the same.
 */
import { Kind, type GraphQLEnumType, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { asFieldsMetadata, type FieldsMetadata } from '../../../src/gateway/contract-types.js';
import { buildTypedSchema, genericReservedNames } from '../../../src/graphql/typed/build-typed-schema.js';
import { generateTypedSDL, type ModelFields } from '../../../src/graphql/typed/generate-typed-sdl.js';
import { caselessName, enumTypeName, typeName } from '../../../src/graphql/typed/naming.js';
import { DEFAULT_TYPED_MODELS, loadTypedSDL } from '../../../src/graphql/typed/typed-sdl-source.js';
import { odooRecording } from '../../helpers/odoo-recordings.js';
import { useServer } from '../../helpers/use-server.js';
import { graphql } from '../graphql-client.js';

const server = useServer();

/** Each selection field with options, as `[model, field, keys]`. */
function selections(models: readonly ModelFields[]): Array<[string, string, string[]]> {
  return models.flatMap(({ model, fields }) =>
    Object.entries(fields)
      .filter(([, meta]) => meta.type === 'selection' && meta.selection?.length)
      .map(([field, meta]) => [model, field, meta.selection!.map(([key]) => key)] as [string, string, string[]]),
  );
}

/** Checks that each key of each selection is one enum value of `schema`, and back. Returns how many keys. */
function expectRoundTrips(schema: GraphQLSchema, models: readonly ModelFields[]): number {
  let keys = 0;
  for (const [model, field, selection] of selections(models)) {
    const type = schema.getType(enumTypeName(typeName(model), field));
    // By its tag, not `isEnumType`: the schema's graphql is the CommonJS copy, this file's the ES module one.
    if (Object.prototype.toString.call(type) !== '[object GraphQLEnumType]') throw new Error(`${model}.${field}: no enum ${String(type)}`);
    const enumType = type as GraphQLEnumType;
    expect(
      enumType.getValues().map((value) => value.value),
      `${model}.${field}`,
    ).toEqual(selection);
    const names = new Set<string>();
    for (const key of selection) {
      const name = enumType.serialize(key) as string; // output: Odoo's key -> the enum value
      expect(enumType.parseValue(name), `${enumType.name}.${name}`).toBe(key); // input, as a variable
      expect(enumType.parseLiteral({ kind: Kind.ENUM, value: name }, undefined), `${enumType.name}.${name}`).toBe(key); // input, written out
      expect(name).toMatch(/^[A-Za-z][_0-9A-Za-z]*$/);
      names.add(caselessName(name));
      keys++;
    }
    expect(names.size, `${enumType.name}: values distinct under every case convention`).toBe(selection.length);
  }
  return keys;
}

describe('selection keys <-> enum values', () => {
  it('EV-01 every key of every selection of the demo models round-trips through the enum value of the schema the server runs on', async () => {
    const models: ModelFields[] = [];
    for (const model of DEFAULT_TYPED_MODELS) models.push({ model, fields: (await server.backend.schemaFields(model))! });
    const { sdl } = await loadTypedSDL({ models: DEFAULT_TYPED_MODELS, backend: server.backend, reserved: genericReservedNames() });
    const keys = expectRoundTrips(buildTypedSchema(sdl), models);
    expect(keys).toBeGreaterThan(20);
    // The keys that are no GraphQL names starting with a letter: priorities, `to approve`.
    expect(sdl).toContain('VALUE_0 @odooValue(key: "0")');
    expect(sdl).toContain('VALUE_to_approve @odooValue(key: "to approve")');
  });

  it("EV-02 every key of every selection of a real Odoo 17's sale.order (its recorded fields_get) round-trips too", () => {
    const fields: FieldsMetadata = asFieldsMetadata(odooRecording('jsonrpc_sale_order_fields_get').response.json.result);
    const models = [{ model: 'sale.order', fields }];
    const keys = expectRoundTrips(buildTypedSchema(generateTypedSDL(models, genericReservedNames())), models);
    expect(keys).toBeGreaterThan(10);
  });

  it('EV-03 over HTTP: each priority of a lead, written as its enum value, is its Odoo key in REST and reads back as that value', async () => {
    const created = await graphql(server, 'admin', 'mutation { createCrmLead(values: {name: "Priorities"}) { id priority } }');
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data!.createCrmLead.id as number;
    try {
      for (const [value, key] of [
        ['VALUE_3', '3'],
        ['VALUE_0', '0'],
        ['VALUE_2', '2'],
        ['VALUE_1', '1'],
      ] as const) {
        const updated = await graphql(
          server,
          'admin',
          'mutation ($id: Int!, $priority: CrmLeadPriority) { updateCrmLead(id: $id, values: {priority: $priority}) { priority } }',
          { id, priority: value },
        );
        expect(updated.body, value).toEqual({ data: { updateCrmLead: { priority: value } } });
        expect((await server.request('admin', 'GET', `/api/crm_lead/${id}?fields=priority`)).body, value).toEqual({ id, priority: key });
        const read = await graphql(server, 'admin', `{ crmLead(id: ${id}) { priority } }`);
        expect(read.body, value).toEqual({ data: { crmLead: { priority: value } } });
      }
    } finally {
      await graphql(server, 'admin', `mutation { deleteCrmLead(id: ${id}) { ok } }`);
    }
  });
});
