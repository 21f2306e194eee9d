import { defineModel, type StoredValue } from '../model-definition.js';
import { grant } from '../security/access-rights.js';
import { activeField } from './common-fields.js';

/** Odoo's product display name (ProductProduct._compute_display_name): `[code] name`, or the name without a code. */
export function productDisplayName(name: StoredValue | undefined, code: StoredValue | undefined): string {
  const text = name === null || name === undefined || name === false ? '' : String(name);
  return code ? `[${String(code)}] ${text}` : text;
}

export default defineModel({
  name: 'product.product',
  description: 'Product Variant',
  order: 'default_code, name, id',
  displayName: { depends: ['name', 'default_code'], fn: (product) => productDisplayName(product.name, product.default_code) },
  fields: {
    name: { type: 'char', string: 'Name', required: true, index: true, translate: true },
    default_code: { type: 'char', string: 'Internal Reference', index: true },
    list_price: { type: 'float', string: 'Sales Price', default: 1, help: 'Price at which the product is sold to customers.' },
    standard_price: { type: 'float', string: 'Cost', default: 0 },
    type: {
      type: 'selection',
      string: 'Product Type',
      required: true,
      default: 'consu',
      selection: [
        ['consu', 'Consumable'],
        ['service', 'Service'],
        ['product', 'Storable Product'],
      ],
    },
    active: activeField,
    sale_ok: { type: 'boolean', string: 'Can be Sold', default: true },
    purchase_ok: { type: 'boolean', string: 'Can be Purchased', default: true },
  },
  // Odoo's ProductProduct._name_search (product_product.py): an exact internal reference first; then the
  // reference or the name (for a negative operator: neither matches, or no reference and the name does not);
  // last, a reference written `[CODE]` in the name. (No barcode nor supplier names in this store.)
  nameSearch: (operator, name) => {
    if (name === '' || (Array.isArray(name) && name.length === 0)) return [[]];
    const positive = ['=', 'ilike', '=ilike', 'like', '=like'].includes(operator);
    const negative = ['!=', 'not in', 'not like', 'not ilike'].includes(operator);
    if (negative) {
      return [
        ['|', '&', ['default_code', operator, name], ['name', operator, name], '&', ['default_code', '=', false], ['name', operator, name]],
      ];
    }
    const steps: Array<readonly unknown[]> = [];
    if (positive) steps.push([['default_code', '=', name]]);
    steps.push(['|', ['default_code', operator, name], ['name', operator, name]]);
    const bracket = positive && typeof name === 'string' ? /\[(.*?)\]/.exec(name) : null;
    if (bracket) steps.push([['default_code', '=', bracket[1]!]]);
    return steps;
  },
  access: [
    grant('base.group_user', 'r'),
    grant('sales_team.group_sale_manager', 'rwcu'),
    grant('stock.group_stock_manager', 'rwcu'),
    grant('purchase.group_purchase_manager', 'rwcu'),
  ],
});
