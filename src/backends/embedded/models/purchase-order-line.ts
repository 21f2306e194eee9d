import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';
import { commercialPartnerRule, companyRule } from '../security/common-rules.js';
import { orderField, subtotalCompute } from './common-fields.js';

export default defineModel({
  name: 'purchase.order.line',
  description: 'Purchase Order Line',
  order: 'order_id, sequence, id',
  fields: {
    order_id: orderField('purchase.order'),
    sequence: { type: 'integer', string: 'Sequence', default: 10 },
    product_id: { type: 'many2one', string: 'Product', relation: 'product.product', index: true, ondelete: 'restrict' },
    name: { type: 'text', string: 'Description' },
    product_qty: { type: 'float', string: 'Quantity', required: true, default: 1 },
    price_unit: { type: 'float', string: 'Unit Price', required: true, default: 0 },
    price_subtotal: { type: 'monetary', string: 'Subtotal', compute: subtotalCompute('product_qty') },
    date_planned: { type: 'datetime', string: 'Expected Arrival', index: true },
  },
  access: [grant('base.group_portal', 'r'), grant('stock.group_stock_user', 'r'), grant('purchase.group_purchase_user', 'rwcu')],
  rules: [
    companyRule('purchase.order.line', 'order_id.company_id'),
    commercialPartnerRule('purchase.order.line', ['base.group_portal'], 'order_id.partner_id.commercial_partner_id', ['read']),
  ],
});
