import { dateInZone } from '../time-zones.js';
import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';
import { allRecordsRule, commercialPartnerRule, companyRule, ownOrUnassignedRule } from '../security/common-rules.js';
import { companyField, currentUserField, sequenceNameField } from './common-fields.js';

/** Odoo's res.company.quotation_validity_days default. */
const QUOTATION_VALIDITY_DAYS = 30;

/** `YYYY-MM-DD` plus `days` days. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export default defineModel({
  name: 'sale.order',
  description: 'Sales Order',
  order: 'date_order desc, id desc',
  recName: 'name',
  fields: {
    name: sequenceNameField('sale.order'),
    partner_id: { type: 'many2one', string: 'Customer', relation: 'res.partner', required: true, index: true, ondelete: 'restrict' },
    state: {
      type: 'selection',
      string: 'Status',
      readonly: true,
      index: true,
      default: 'draft',
      selection: [
        ['draft', 'Quotation'],
        ['sent', 'Quotation Sent'],
        ['sale', 'Sales Order'],
        ['cancel', 'Cancelled'],
      ],
    },
    date_order: { type: 'datetime', string: 'Order Date', required: true, index: true, default: (env) => env.now },
    validity_date: {
      type: 'date',
      string: 'Expiration',
      // Odoo 17's _compute_validity_date (precomputed on create): today + the company's quotation_validity_days,
      // 30 by default (res.company). Today as Odoo's context_today: in the context's time zone, else the user's.
      default: (env) => addDays(dateInZone(env.now, env.user.tz), QUOTATION_VALIDITY_DAYS),
    },
    client_order_ref: { type: 'char', string: 'Customer Reference' },
    origin: { type: 'char', string: 'Source Document', help: 'Reference of the document that generated this sales order request' },
    user_id: currentUserField('Salesperson'),
    company_id: companyField(true),
    order_line: { type: 'one2many', string: 'Order Lines', relation: 'sale.order.line', inverseName: 'order_id' },
    note: { type: 'html', string: 'Terms and conditions' },
    // sale_stock: the deliveries action_confirm plans (../actions/sale-order-actions.ts).
    picking_ids: { type: 'one2many', string: 'Transfers', relation: 'stock.picking', inverseName: 'sale_id' },
    // No taxes in this store: the untaxed amount and the total are the same sum.
    amount_untaxed: {
      type: 'monetary',
      string: 'Untaxed Amount',
      compute: { kind: 'sum', one2many: 'order_line', field: 'price_subtotal' },
    },
    amount_total: { type: 'monetary', string: 'Total', compute: { kind: 'sum', one2many: 'order_line', field: 'price_subtotal' } },
  },
  access: [
    grant('base.group_portal', 'r'),
    grant('stock.group_stock_user', 'rw'),
    grant('sales_team.group_sale_salesman', 'rwc'),
    grant('sales_team.group_sale_manager', 'rwcu'),
  ],
  rules: [
    companyRule('sale.order'),
    ownOrUnassignedRule('sale.order', 'sales_team.group_sale_salesman'),
    allRecordsRule('sale.order'),
    commercialPartnerRule('sale.order', ['base.group_portal'], 'partner_id.commercial_partner_id', ['read']),
  ],
  beforeUnlink: (order) =>
    order.state === 'draft' || order.state === 'cancel'
      ? null
      : 'You can not delete a sent quotation or a confirmed sales order. You must first cancel it.',
});
