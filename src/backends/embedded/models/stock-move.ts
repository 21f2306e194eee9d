import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';
import { companyRule } from '../security/common-rules.js';
import { companyField } from './common-fields.js';

/**
 * Stock moves: the lines of a transfer, one product each, made by the business actions (a confirmed sales
 * order's delivery, a purchase order's receipt; ../actions/). This store keeps no stock levels nor
 * locations: a move says what is to move (`product_uom_qty`), what is reserved or done (`quantity`) and how far.
 */
export default defineModel({
  name: 'stock.move',
  description: 'Stock Move',
  order: 'sequence, id',
  fields: {
    name: { type: 'char', string: 'Description', required: true },
    sequence: { type: 'integer', string: 'Sequence', default: 10 },
    product_id: { type: 'many2one', string: 'Product', relation: 'product.product', required: true, index: true },
    product_uom_qty: { type: 'float', string: 'Demand', required: true, default: 0 },
    quantity: { type: 'float', string: 'Quantity', default: 0 },
    picked: { type: 'boolean', string: 'Picked', default: false },
    state: {
      type: 'selection',
      string: 'Status',
      readonly: true,
      index: true,
      default: 'draft',
      selection: [
        ['draft', 'New'],
        ['waiting', 'Waiting Another Move'],
        ['confirmed', 'Waiting Availability'],
        ['partially_available', 'Partially Available'],
        ['assigned', 'Available'],
        ['done', 'Done'],
        ['cancel', 'Cancelled'],
      ],
    },
    date: { type: 'datetime', string: 'Date Scheduled', required: true, index: true, default: (env) => env.now },
    // Moves go with their transfer, as Odoo's picking unlink() cancels and deletes them.
    picking_id: { type: 'many2one', string: 'Transfer', relation: 'stock.picking', index: true, ondelete: 'cascade' },
    origin: { type: 'char', string: 'Source Document' },
    partner_id: { type: 'many2one', string: 'Destination Address', relation: 'res.partner' },
    company_id: companyField(true),
    sale_line_id: { type: 'many2one', string: 'Sale Line', relation: 'sale.order.line', index: true },
    purchase_line_id: { type: 'many2one', string: 'Purchase Order Line', relation: 'purchase.order.line', index: true },
  },
  // Odoo 17's stock.move rights for the groups of this store (stock, sale_stock, purchase_stock); no portal access.
  access: [
    grant('sales_team.group_sale_salesman', 'rwc'),
    grant('sales_team.group_sale_manager', 'rwcu'),
    grant('stock.group_stock_user', 'rwc'),
    grant('stock.group_stock_manager', 'rwcu'),
    grant('purchase.group_purchase_user', 'rwc'),
    grant('purchase.group_purchase_manager', 'rwcu'),
  ],
  rules: [companyRule('stock.move')],
  // Odoo 17's _unlink_if_draft_or_cancel.
  beforeUnlink: (move) => (move.state === 'draft' || move.state === 'cancel' ? null : 'You can only delete draft or cancelled moves.'),
});
