import { defineModel, type RelatedLookup } from '../model-definition.js';
import { grant } from '../security/access-rights.js';
import { allRecordsRule, commercialPartnerRule, companyRule, ownOrUnassignedRule } from '../security/common-rules.js';
import { orderField, subtotalCompute } from './common-fields.js';
import { productDisplayName } from './product-product.js';

/** A product's name on documents, as Odoo's product display_name: `[code] name`, or the name without a code. */
function productDescription(productId: number, lookup: RelatedLookup): string {
  return productDisplayName(lookup('product.product', productId, 'name'), lookup('product.product', productId, 'default_code'));
}

/** Lines follow their order's rules: Odoo's line rules use fields related to the order, reached here by path. */
export default defineModel({
  name: 'sale.order.line',
  description: 'Sales Order Line',
  order: 'order_id, sequence, id',
  fields: {
    order_id: orderField('sale.order'),
    sequence: { type: 'integer', string: 'Sequence', default: 10 },
    product_id: { type: 'many2one', string: 'Product', relation: 'product.product', index: true, ondelete: 'restrict' },
    name: {
      type: 'text',
      string: 'Description',
      // Odoo 17's _compute_name (editable): the product's sale description, `[code] name` (no description_sale here).
      compute: {
        kind: 'own',
        editable: true,
        depends: ['product_id'],
        fn: (line, lookup) => (typeof line.product_id === 'number' ? productDescription(line.product_id, lookup) : (line.name ?? null)),
      },
    },
    product_uom_qty: { type: 'float', string: 'Quantity', required: true, default: 1 },
    price_unit: {
      type: 'float',
      string: 'Unit Price',
      required: true,
      default: 0,
      // Odoo 17's _compute_price_unit (editable): the product's sales price, again on a new product or quantity;
      // 0 without product. No pricelist rules nor taxes here, so the price is the product's list price.
      compute: {
        kind: 'own',
        editable: true,
        depends: ['product_id', 'product_uom_qty'],
        fn: (line, lookup) =>
          typeof line.product_id === 'number' ? Number(lookup('product.product', line.product_id, 'list_price') ?? 0) : 0,
      },
    },
    discount: { type: 'float', string: 'Discount (%)', default: 0 },
    price_subtotal: { type: 'monetary', string: 'Subtotal', compute: subtotalCompute('product_uom_qty', 'discount') },
  },
  access: [grant('base.group_portal', 'r'), grant('stock.group_stock_user', 'rw'), grant('sales_team.group_sale_salesman', 'rwcu')],
  rules: [
    companyRule('sale.order.line', 'order_id.company_id'),
    ownOrUnassignedRule('sale.order.line', 'sales_team.group_sale_salesman', 'order_id.user_id'),
    allRecordsRule('sale.order.line'),
    commercialPartnerRule('sale.order.line', ['base.group_portal'], 'order_id.partner_id.commercial_partner_id', ['read']),
  ],
});
