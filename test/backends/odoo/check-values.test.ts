/**
 * The checks BACKEND=odoo makes on create and update values before Odoo sees them (src/backends/odoo/check-values.ts):
 * what Odoo 17's ORM would take silently or fail on with a 500 (measured on the lab's Odoo 17, see the
 * module comment) is refused with a ValidationError naming the field; valid values come out in Odoo's
 * write() shape. Field metadata as Odoo 17's fields_get gives it (attributes of WRITE_FIELD_ATTRIBUTES).
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/backends/errors.js';
import {
  checkValues,
  missingRecords,
  referenceTo,
  toWritableFields,
  type WritableFieldsLoader,
} from '../../../src/backends/odoo/check-values.js';

/** fields_get answers of the lab's Odoo 17 (only the fields used here). */
const FIELDS_GET: Record<string, Record<string, Record<string, unknown>>> = {
  'crm.lead': {
    name: { type: 'char', string: 'Opportunity', readonly: false, store: true, depends: [] },
    active: { type: 'boolean', string: 'Active', readonly: false, store: true, depends: [] },
    probability: { type: 'float', string: 'Probability', readonly: false, store: true, depends: ['stage_id', 'team_id'] },
    prorated_revenue: {
      type: 'monetary',
      string: 'Prorated Revenue',
      readonly: true,
      store: true,
      depends: ['expected_revenue', 'probability'],
    },
    color: { type: 'integer', string: 'Color Index', readonly: false, store: true, depends: [] },
    priority: {
      type: 'selection',
      string: 'Priority',
      readonly: false,
      store: true,
      depends: [],
      selection: [
        ['0', 'Low'],
        ['1', 'Medium'],
        ['2', 'High'],
        ['3', 'Very High'],
      ],
    },
    partner_id: { type: 'many2one', string: 'Customer', relation: 'res.partner', readonly: false, store: true, depends: [] },
    tag_ids: { type: 'many2many', string: 'Tags', relation: 'crm.tag', readonly: false, store: true, depends: [] },
    date_deadline: { type: 'date', string: 'Expected Closing', readonly: false, store: true, depends: [] },
    date_closed: { type: 'datetime', string: 'Closed Date', readonly: false, store: true, depends: ['stage_id'] },
    duration_tracking: { type: 'json', string: 'Status time', readonly: true, store: false, depends: [] },
    lead_properties: { type: 'properties', string: 'Properties', readonly: false, store: true, depends: [] },
    lang_code: { type: 'char', string: 'Language Code', readonly: true, store: false, depends: ['lang_id.code'], related: 'lang_id.code' },
    meeting_display_label: { type: 'char', string: 'Meeting Display Label', readonly: true, store: false, depends: [] },
  },
  'sale.order': {
    state: {
      type: 'selection',
      string: 'Status',
      readonly: true,
      store: true,
      depends: [],
      selection: [
        ['draft', 'Quotation'],
        ['sent', 'Quotation Sent'],
        ['sale', 'Sales Order'],
        ['cancel', 'Cancelled'],
      ],
    },
    partner_id: { type: 'many2one', string: 'Customer', relation: 'res.partner', readonly: false, store: true, depends: [] },
    order_line: { type: 'one2many', string: 'Order Lines', relation: 'sale.order.line', readonly: false, store: true, depends: [] },
    amount_total: { type: 'monetary', string: 'Total', readonly: true, store: true, depends: ['order_line.price_total'] },
  },
  'sale.order.line': {
    product_id: { type: 'many2one', string: 'Product', relation: 'product.product', readonly: false, store: true, depends: [] },
    price_unit: { type: 'float', string: 'Unit Price', readonly: false, store: true, depends: ['product_id'] },
  },
};

const asked: string[] = [];
const load: WritableFieldsLoader = async (model) => {
  asked.push(model);
  return FIELDS_GET[model] && toWritableFields(FIELDS_GET[model]);
};

async function refusal(model: string, values: Record<string, unknown>): Promise<string> {
  const error = await checkValues(model, values, load).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, JSON.stringify(values)).toBeInstanceOf(ValidationError);
  return (error as Error).message;
}

describe('CV values refused, naming the field', () => {
  it.each([
    [{ name: 42 }, /'name' \(Opportunity\) on crm\.lead: expected a string or false, got 42/],
    [{ name: 'a\u0000b' }, /'name' \(Opportunity\) on crm\.lead: the text holds a NUL character/],
    [{ active: 'yes' }, /'active'.*true or false/],
    [{ probability: 'fifty' }, /'probability'.*a number, got "fifty"/],
    [{ probability: [1] }, /'probability'/],
    [{ color: 1.5 }, /'color'.*an integer/],
    [{ color: 2 ** 31 }, /'color'.*between/],
    [{ priority: '4' }, /crm\.lead\.priority: "4"; expected one of "0", "1", "2", "3"/],
    [{ partner_id: 'Azure Interior' }, /'partner_id'.*an id, \{"id": n\} or false/],
    [{ partner_id: { id: 3, extra: 1 } }, /'partner_id'/],
    [{ partner_id: -1 }, /'partner_id'/],
    [{ tag_ids: 'x' }, /'tag_ids'/],
    [{ tag_ids: [[7, 0, 0]] }, /'tag_ids'.*command code/],
    [{ tag_ids: [[0, 0, 'x']] }, /'tag_ids'/],
    [{ date_deadline: '2026-02-30' }, /'date_deadline'.*'YYYY-MM-DD'/],
    [{ date_deadline: '28/02/2026' }, /'date_deadline'/],
    [{ date_closed: '2026-02-28 24:00:00' }, /'date_closed'/],
    [{ prorated_revenue: 1 }, /'prorated_revenue' on model 'crm\.lead' is read-only \(computed\)/],
    [{ lang_code: 'en_US' }, /'lang_code'.*read-only \(computed\)/],
    [{ meeting_display_label: 'x' }, /'meeting_display_label'.*read-only \(computed\)/],
    ...['id', 'create_date', 'create_uid', 'write_date', 'write_uid', 'display_name', '__last_update'].map(
      (name) => [{ [name]: 1 }, new RegExp(`'${name}' on model 'crm\\.lead' is read-only`)] as [Record<string, unknown>, RegExp],
    ),
  ])('CV-01 %j', async (values, message) => {
    expect(await refusal('crm.lead', values)).toMatch(message);
  });

  it('CV-02 values inside x2many commands are checked against the related model', async () => {
    expect(await refusal('sale.order', { order_line: [[0, 0, { product_id: 7, price_unit: 'ten' }]] })).toMatch(
      /'price_unit' \(Unit Price\) on sale\.order\.line/,
    );
    expect(await refusal('sale.order', { order_line: [[5], [0, 0, { product_id: 'x' }]] })).toMatch(
      /'product_id' \(Product\) on sale\.order\.line/,
    );
    expect(
      await refusal('sale.order', {
        order_line: [
          [1, 4, { price_unit: null, product_id: false, nope: 1 }],
          [1, 'x', {}],
        ],
      }),
    ).toMatch(/'order_line'/);
  });

  it("CV-03 a computed read-only field is refused, a plain read-only one (an order's state) is written, as Odoo writes it", async () => {
    expect(await refusal('sale.order', { partner_id: 3, amount_total: 10 })).toMatch(/'amount_total'/);
    expect(await checkValues('sale.order', { state: 'cancel' }, load)).toEqual({ state: 'cancel' });
  });
});

describe("CV values in Odoo's write() shape", () => {
  it("CV-10 scalars as they are; null is false; datetimes in Odoo's form", async () => {
    expect(
      await checkValues(
        'crm.lead',
        {
          name: 'x',
          active: null,
          probability: 30,
          color: 3,
          priority: '2',
          date_deadline: '2026-02-28',
          date_closed: '2026-03-02T08:09:10Z',
        },
        load,
      ),
    ).toEqual({
      name: 'x',
      active: false,
      probability: 30,
      color: 3,
      priority: '2',
      date_deadline: '2026-02-28',
      date_closed: '2026-03-02 08:09:10',
    });
    expect(
      await checkValues(
        'crm.lead',
        { name: false, probability: null, priority: false, date_deadline: null, date_closed: '2026-03-02 08:09' },
        load,
      ),
    ).toEqual({ name: false, probability: false, priority: false, date_deadline: false, date_closed: '2026-03-02 08:09:00' });
  });

  it('CV-11 many2one as an id, {"id": n} or a read-back {"id", "name"}; x2many ids as a set, commands checked and passed on', async () => {
    expect(await checkValues('crm.lead', { partner_id: { id: 3, name: 'Azure Interior' }, tag_ids: [1, { id: 2 }] }, load)).toEqual({
      partner_id: 3,
      tag_ids: [[6, 0, [1, 2]]],
    });
    expect(await checkValues('crm.lead', { partner_id: null, tag_ids: null }, load)).toEqual({ partner_id: false, tag_ids: [[5, 0, 0]] });
    expect(
      await checkValues(
        'sale.order',
        {
          order_line: [
            [0, 0, { product_id: { id: 7 }, price_unit: 10 }],
            [1, 4, { price_unit: 2 }],
            [2, 5],
            [3, 6, 0],
            [4, 7],
            [5],
            [6, 0, [8, 9]],
          ],
        },
        load,
      ),
    ).toEqual({
      order_line: [
        [0, 0, { product_id: 7, price_unit: 10 }],
        [1, 4, { price_unit: 2 }],
        [2, 5, 0],
        [3, 6, 0],
        [4, 7, 0],
        [5, 0, 0],
        [6, 0, [8, 9]],
      ],
    });
  });

  it('CV-12 fields fields_get does not show, and types without a contract shape, are passed on for Odoo to judge', async () => {
    expect(await checkValues('crm.lead', { no_such_field: 1, lead_properties: [{ name: 'x', type: 'char', value: 'y' }] }, load)).toEqual({
      no_such_field: 1,
      lead_properties: [{ name: 'x', type: 'char', value: 'y' }],
    });
    expect(await refusal('crm.lead', { duration_tracking: { 1: 3 } })).toMatch(/'duration_tracking'.*read-only \(computed\)/);
    // A related model whose fields cannot be read: its values pass unchecked.
    expect(await checkValues('crm.lead', { tag_ids: [[0, 0, { name: 42 }]] }, load)).toEqual({ tag_ids: [[0, 0, { name: 42 }]] });
  });

  it('CV-13 empty values ask for no metadata', async () => {
    asked.length = 0;
    expect(await checkValues('crm.lead', {}, load)).toEqual({});
    expect(asked).toEqual([]);
  });
});

describe('CV a MissingError about a record the values name', () => {
  it("CV-20 Odoo's message names the model and ids", () => {
    expect(missingRecords('Record does not exist or has been deleted.\n(Record: product.product(999999,), User: 2)')).toEqual({
      model: 'product.product',
      ids: [999999],
    });
    expect(missingRecords('Record does not exist or has been deleted.\n(Record: res.partner(4, 5), User: 2)')).toEqual({
      model: 'res.partner',
      ids: [4, 5],
    });
    expect(missingRecords('something else')).toBeUndefined();
  });

  it('CV-21 the field that names it, in x2many commands too', async () => {
    expect(await referenceTo('crm.lead', { partner_id: 999999 }, { model: 'res.partner', ids: [999999] }, load)).toEqual({
      model: 'crm.lead',
      field: 'partner_id',
      id: 999999,
    });
    expect(
      await referenceTo(
        'sale.order',
        {
          partner_id: 3,
          order_line: [
            [0, 0, { product_id: 7 }],
            [0, 0, { product_id: 999999 }],
          ],
        },
        { model: 'product.product', ids: [999999] },
        load,
      ),
    ).toEqual({ model: 'sale.order.line', field: 'order_line.product_id', id: 999999 });
    expect(
      await referenceTo('sale.order', { order_line: [[6, 0, [1, 999999]]] }, { model: 'sale.order.line', ids: [999999] }, load),
    ).toEqual({ model: 'sale.order', field: 'order_line', id: 999999 });
    expect(await referenceTo('sale.order', { partner_id: 3 }, { model: 'res.partner', ids: [999999] }, load)).toBeUndefined();
  });
});
