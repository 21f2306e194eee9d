import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';
import { commercialPartnerRule, companyRule } from '../security/common-rules.js';
import { companyField, currentUserField, sequenceNameField } from './common-fields.js';

export default defineModel({
  name: 'purchase.order',
  description: 'Purchase Order',
  order: 'priority desc, id desc',
  fields: {
    name: sequenceNameField('purchase.order'),
    priority: {
      type: 'selection',
      string: 'Priority',
      index: true,
      default: '0',
      selection: [
        ['0', 'Normal'],
        ['1', 'Urgent'],
      ],
    },
    partner_id: {
      type: 'many2one',
      string: 'Vendor',
      relation: 'res.partner',
      required: true,
      index: true,
      help: 'You can find a vendor by its Name, TIN, Email or Internal Reference.',
    },
    partner_ref: { type: 'char', string: 'Vendor Reference' },
    origin: { type: 'char', string: 'Source Document' },
    state: {
      type: 'selection',
      string: 'Status',
      readonly: true,
      index: true,
      default: 'draft',
      selection: [
        ['draft', 'RFQ'],
        ['sent', 'RFQ Sent'],
        ['to approve', 'To Approve'],
        ['purchase', 'Purchase Order'],
        ['done', 'Locked'],
        ['cancel', 'Cancelled'],
      ],
    },
    date_order: { type: 'datetime', string: 'Order Deadline', required: true, index: true, default: (env) => env.now },
    date_approve: { type: 'datetime', string: 'Confirmation Date', readonly: true, index: true },
    date_planned: { type: 'datetime', string: 'Expected Arrival', index: true },
    user_id: currentUserField('Buyer'),
    company_id: companyField(true),
    order_line: { type: 'one2many', string: 'Order Lines', relation: 'purchase.order.line', inverseName: 'order_id' },
    notes: { type: 'html', string: 'Terms and Conditions' },
    // purchase_stock: the receipts button_confirm plans (../actions/purchase-order-actions.ts).
    picking_ids: { type: 'one2many', string: 'Receptions', relation: 'stock.picking', inverseName: 'purchase_id' },
    // No taxes in this store: the untaxed amount and the total are the same sum.
    amount_untaxed: {
      type: 'monetary',
      string: 'Untaxed Amount',
      compute: { kind: 'sum', one2many: 'order_line', field: 'price_subtotal' },
    },
    amount_total: { type: 'monetary', string: 'Total', compute: { kind: 'sum', one2many: 'order_line', field: 'price_subtotal' } },
  },
  access: [grant('base.group_portal', 'r'), grant('stock.group_stock_user', 'r'), grant('purchase.group_purchase_user', 'rwcu')],
  rules: [
    companyRule('purchase.order'),
    commercialPartnerRule('purchase.order', ['base.group_portal'], 'partner_id.commercial_partner_id', ['read']),
  ],
  beforeUnlink: (order) => (order.state === 'cancel' ? null : 'In order to delete a purchase order, you must cancel it first.'),
});
