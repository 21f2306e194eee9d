/**
 * The SDL is the documentation (GraphiQL shows it): every type, field and argument of ours has a
 * description with an example, and the schema has exactly the root fields the issue names.
 */
import type { GraphQLField, GraphQLNamedType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../../src/graphql/load-schema.js';

const schema = loadSchema();
// Duck typing, not graphql's isObjectType & co: the test runner may load graphql twice (ESM and CJS).
const BUILT_IN = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
const ours = Object.values(schema.getTypeMap()).filter((t: GraphQLNamedType) => !t.name.startsWith('__') && !BUILT_IN.has(t.name));
const isScalar = (t: GraphQLNamedType) => 'serialize' in t && 'parseLiteral' in t && !('getValues' in t);
const fieldsOf = (t: GraphQLNamedType): Array<GraphQLField<unknown, unknown>> =>
  'getInterfaces' in t ? Object.values((t as unknown as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()) : [];

describe('schema/*.graphql', () => {
  it('SD-01 the root fields and scalars of the issue', () => {
    expect(Object.keys(schema.getQueryType()?.getFields() ?? {}).sort()).toEqual(['groups', 'health', 'me', 'record', 'records']);
    expect(Object.keys(schema.getMutationType()?.getFields() ?? {}).sort()).toEqual([
      'callMethod',
      'createRecord',
      'deleteRecord',
      'updateRecord',
    ]);
    expect(
      ours
        .filter(isScalar)
        .map((t) => t.name)
        .sort(),
    ).toEqual(['Domain', 'JSON', 'JSONObject', 'Many2One']);
    // Issue 19: live data over the change feed.
    expect(Object.keys(schema.getSubscriptionType()?.getFields() ?? {})).toEqual(['recordChanges']);
    const records = schema.getQueryType()?.getFields().records;
    expect(records?.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual([
      'slug: String!',
      'domain: Domain',
      'fields: [String!]',
      'limit: Int',
      'offset: Int',
      'order: String',
    ]);
    expect(String(records?.type)).toBe('RecordPage!');
  });

  it('SD-02 every type, field and argument has a description with an example', () => {
    const missing: string[] = [];
    const check = (where: string, description: string | null | undefined) => {
      if (!description || !/example/i.test(description)) missing.push(where);
    };
    for (const type of ours) {
      check(type.name, type.description);
      for (const field of fieldsOf(type)) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    }
    expect(missing).toEqual([]);
  });
});
