import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';
import { activeField } from './common-fields.js';

export default defineModel({
  name: 'product.product',
  description: 'Product Variant',
  order: 'default_code, name, id',
  fields: {
    name: { type: 'char', string: 'Name', required: true, index: true },
    default_code: { type: 'char', string: 'Internal Reference', index: true },
    list_price: { type: 'float', string: 'Sales Price', default: 1, help: 'Price at which the product is sold to customers.' },
    standard_price: { type: 'float', string: 'Cost', default: 0 },
    type: {
      type: 'selection', string: 'Product Type', required: true, default: 'consu',
      selection: [['consu', 'Consumable'], ['service', 'Service'], ['product', 'Storable Product']],
    },
    active: activeField,
    sale_ok: { type: 'boolean', string: 'Can be Sold', default: true },
    purchase_ok: { type: 'boolean', string: 'Can be Purchased', default: true },
  },
  access: [
    grant('base.group_user', 'r'),
    grant('sales_team.group_sale_manager', 'rwcu'),
    grant('stock.group_stock_manager', 'rwcu'),
    grant('purchase.group_purchase_manager', 'rwcu'),
  ],
});
