/**
 * The naming rule of the typed schema (README, "Typed GraphQL schema") and what the generator makes of
 * field metadata: unit tests, no server.
 */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { FieldsMetadata } from '../../../src/gateway/contract-types.js';
import { buildTypedSchema, genericReservedNames } from '../../../src/graphql/typed/build-typed-schema.js';
import { generateTypedSDL } from '../../../src/graphql/typed/generate-typed-sdl.js';
import {
  caselessName,
  enumTypeName,
  enumValueName,
  enumValueNames,
  listQueryName,
  relationFieldName,
  singleQueryName,
  typeName,
} from '../../../src/graphql/typed/naming.js';
import { readTypedModels } from '../../../src/graphql/typed/read-typed-models.js';

const reserved = genericReservedNames();

describe('naming', () => {
  it('NM-01 types from model names; root fields from type names', () => {
    expect(typeName('sale.order')).toBe('SaleOrder');
    expect(typeName('res.partner.category')).toBe('ResPartnerCategory');
    expect(typeName('l10n_latam.document.type')).toBe('L10nLatamDocumentType');
    expect(enumTypeName('SaleOrder', 'state')).toBe('SaleOrderState');
    expect(enumTypeName('StockPicking', 'picking_type_code')).toBe('StockPickingPickingTypeCode');
    expect(singleQueryName('SaleOrder')).toBe('saleOrder');
    expect(listQueryName('SaleOrder')).toBe('saleOrderList');
  });

  it('NM-02 the relation rule: name without _id/_ids, camelCase, Record (many2one) or Records (x2many)', () => {
    expect(relationFieldName('partner_id', false)).toBe('partnerRecord');
    expect(relationFieldName('commercial_partner_id', false)).toBe('commercialPartnerRecord');
    expect(relationFieldName('order_line', true)).toBe('orderLineRecords');
    expect(relationFieldName('category_id', true)).toBe('categoryRecords');
    expect(relationFieldName('company_id', false)).toBe('companyRecord');
    expect(relationFieldName('company_ids', true)).toBe('companyRecords');
    expect(relationFieldName('create_uid', false)).toBe('createUidRecord');
  });

  it('NM-03 relation names can never be an Odoo field name (those are lower case), nor one another across kinds', () => {
    const odooNames = ['partner_id', 'partner', 'order_line', 'child_ids', 'x_studio_partner_id', 'parent', 'a_b_c_id'];
    for (const name of odooNames) {
      for (const many of [false, true]) {
        const relation = relationFieldName(name, many);
        expect(relation).toMatch(/[A-Z]/);
        expect(relation).not.toMatch(/^[a-z_][a-z0-9_]*$/);
      }
    }
    expect(relationFieldName('foo_id', false)).not.toBe(relationFieldName('foo_ids', true));
  });

  it('NM-04 selection keys that are not GraphQL names starting with a letter become `VALUE_`-prefixed enum values', () => {
    expect(enumValueName('draft')).toBe('draft');
    expect(enumValueName('to_approve')).toBe('to_approve');
    expect(enumValueName('0')).toBe('VALUE_0');
    expect(enumValueName('to approve')).toBe('VALUE_to_approve');
    expect(enumValueName('no-message')).toBe('VALUE_no_message');
    expect(enumValueName('true')).toBe('VALUE_true');
    // A GraphQL name, but not one a case convention keeps: pascalCase('_1') is '1'.
    expect(enumValueName('_1')).toBe('VALUE__1');
    expect(enumValueName('')).toBe('VALUE_');
  });

  it('NM-05 the values of one selection never meet, even caseless: a made name takes `_2`, `_3`, ... and yields to an Odoo key', () => {
    expect(enumValueNames(['0', '1', 'to approve', 'done'])).toEqual(['VALUE_0', 'VALUE_1', 'VALUE_to_approve', 'done']);
    // `'1-0'` and `'1_0'` would both be VALUE_1_0; `'10'`, VALUE_10, is caseless VALUE_1_0 and then VALUE_1_0_2.
    expect(enumValueNames(['1-0', '1_0', '10'])).toEqual(['VALUE_1_0', 'VALUE_1_0_2', 'VALUE_10_3']);
    // Odoo's key `value_0` (which pascalCase makes Value_0, like VALUE_0) keeps its name, even listed after '0'.
    expect(enumValueNames(['0', 'value_0'])).toEqual(['VALUE_0_2', 'value_0']);
    // Odoo's own keys are kept as they are, even when only their case differs.
    expect(enumValueNames(['draft', 'Draft'])).toEqual(['draft', 'Draft']);
    // Time zones: `Etc/GMT+1` and `Etc/GMT-1`; `Etc/GMT+12` already holds the caseless form of VALUE_Etc_GMT_1_2.
    expect(enumValueNames(['Etc/GMT+1', 'Etc/GMT+12', 'Etc/GMT-1'])).toEqual(['VALUE_Etc_GMT_1', 'VALUE_Etc_GMT_12', 'VALUE_Etc_GMT_1_3']);
    const keys = ['0', '00', '0-0', '0_0', 'a b', 'a-b', 'a_b', 'A_B', 'ab', '', ' ', 'true', 'null', 'VALUE_0', 'value_true'];
    const names = enumValueNames(keys);
    // Every made name is caseless unlike every other value (a_b, A_B and ab are Odoo's own, kept as they are).
    const seen = new Set(names.filter((name, i) => name === keys[i]).map(caselessName));
    for (const name of names.filter((name, i) => name !== keys[i])) {
      expect(seen.has(caselessName(name)), name).toBe(false);
      seen.add(caselessName(name));
    }
    for (const name of names) expect(name).toMatch(/^[A-Za-z][_0-9A-Za-z]*$/);
  });
});

const field = (type: string, extra: Record<string, unknown> = {}) => ({ type, string: type, required: false, readonly: false, ...extra });

describe('generateTypedSDL and readTypedModels', () => {
  const models: Array<{ model: string; fields: FieldsMetadata }> = [
    {
      model: 'x.order',
      fields: {
        id: field('integer', { readonly: true }),
        name: field('char'),
        display_name: field('char', { readonly: true, depends: ['name'] }),
        priority: field('selection', {
          selection: [
            ['0', 'Low'],
            ['1', 'High'],
            ['to approve', 'To Approve'],
            ['done', 'Done'],
          ],
        }),
        customer_id: field('many2one', { relation: 'x.customer' }),
        currency_id: field('many2one', { relation: 'res.currency' }),
        line_ids: field('one2many', { relation: 'x.line' }),
        total: field('monetary', { readonly: true }),
        data: field('json'),
        __last_update: field('datetime'),
      },
    },
    {
      model: 'x.customer',
      fields: { id: field('integer'), name: field('char'), display_name: field('char', { depends: ['complete_name'] }) },
    },
  ];

  it('GEN-01 fields typed, relations only to configured models, read-only fields out of the input, unknown types left out', () => {
    const sdl = generateTypedSDL(models, reserved);
    const typed = readTypedModels(parse(sdl));
    const order = typed.byModel.get('x.order')!;
    expect(order.type).toBe('XOrder');
    expect([...order.fields.keys()]).toEqual(['name', 'display_name', 'priority', 'customer_id', 'currency_id', 'line_ids', 'total']);
    expect([...order.relations.values()]).toEqual([{ name: 'customerRecord', field: 'customer_id', many: false, targetType: 'XCustomer' }]);
    expect([...order.inputFields!.keys()]).toEqual(['name', 'priority', 'customer_id', 'currency_id', 'line_ids']);
    expect(order.fields.get('line_ids')).toEqual({ name: 'line_ids', kind: 'x2many' });
    expect(order.displayNameField).toBe('name');
    // A display name computed from a field the model does not have: no shortcut but `display_name`.
    expect(typed.byModel.get('x.customer')!.displayNameField).toBeUndefined();
    expect(typed.enums.get('XOrderPriority')).toEqual(
      new Map([
        ['VALUE_0', '0'],
        ['VALUE_1', '1'],
        ['VALUE_to_approve', 'to approve'],
        ['done', 'done'],
      ]),
    );
    expect(sdl).toContain('VALUE_to_approve @odooValue(key: "to approve")');
  });

  it('GEN-02 no model at all (none of GRAPHQL_MODELS exists): valid SDL without root fields, and the generic schema still served', () => {
    const sdl = generateTypedSDL([], reserved);
    expect(readTypedModels(parse(sdl)).byType.size).toBe(0);
    const schema = buildTypedSchema(sdl);
    expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual(['groups', 'health', 'me', 'record', 'records']);
  });

  it('GEN-03 clashing names stop the generation, naming both owners', () => {
    // `website` has a page type WebsitePage; `website.page` would be the type WebsitePage too.
    expect(() =>
      generateTypedSDL(
        [
          { model: 'website', fields: {} },
          { model: 'website.page', fields: {} },
        ],
        reserved,
      ),
    ).toThrow(/'WebsitePage' would be both the page type of website and the type of website.page/);
    // Two many2one fields `foo` and `foo_id`: both would have the relation `fooRecord`.
    const clash = {
      model: 'x.customer',
      fields: { foo: field('many2one', { relation: 'x.customer' }), foo_id: field('many2one', { relation: 'x.customer' }) },
    };
    expect(() => generateTypedSDL([clash], reserved)).toThrow(
      /'fooRecord' would be both the relation of x.customer.foo and the relation of x.customer.foo_id/,
    );
    // A model whose names are the generic schema's: refused, the generic API is kept as it is.
    expect(() => generateTypedSDL([{ model: 'record.page', fields: {} }], reserved)).toThrow(/RecordPage/);
  });
});
