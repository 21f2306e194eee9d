import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';
import { commercialPartnerRule, companyRule } from '../security/common-rules.js';
import { companyField, currentUserField } from './common-fields.js';

/** The sequence numbering each kind of transfer (./sequences.ts): receipts `WH/IN/00001`, and so on. */
const SEQUENCE_BY_TYPE: Readonly<Record<string, string>> = {
  incoming: 'stock.picking.in',
  outgoing: 'stock.picking.out',
  internal: 'stock.picking.int',
};

/**
 * Transfers. Odoo types them with a `picking_type_id` (an operation type of a warehouse); this store keeps
 * only that type's code, as a selection.
 */
export default defineModel({
  name: 'stock.picking',
  description: 'Transfer',
  order: 'priority desc, scheduled_date asc, id desc',
  fields: {
    picking_type_code: {
      type: 'selection',
      string: 'Type of Operation',
      required: true,
      index: true,
      selection: [
        ['incoming', 'Receipt'],
        ['outgoing', 'Delivery'],
        ['internal', 'Internal Transfer'],
      ],
    },
    name: {
      type: 'char',
      string: 'Reference',
      index: true,
      readonly: true,
      default: (env, values) => {
        const sequence = SEQUENCE_BY_TYPE[String(values.picking_type_code)];
        return sequence ? env.nextSequence(sequence) : '/';
      },
    },
    partner_id: { type: 'many2one', string: 'Contact', relation: 'res.partner', index: true },
    state: {
      type: 'selection',
      string: 'Status',
      readonly: true,
      index: true,
      default: 'draft',
      selection: [
        ['draft', 'Draft'],
        ['waiting', 'Waiting Another Operation'],
        ['confirmed', 'Waiting'],
        ['assigned', 'Ready'],
        ['done', 'Done'],
        ['cancel', 'Cancelled'],
      ],
    },
    priority: {
      type: 'selection',
      string: 'Priority',
      default: '0',
      selection: [
        ['0', 'Normal'],
        ['1', 'Urgent'],
      ],
    },
    scheduled_date: {
      type: 'datetime',
      string: 'Scheduled Date',
      required: true,
      index: true,
      default: (env) => env.now,
      help: 'Scheduled time for the first part of the shipment to be processed.',
    },
    date_done: { type: 'datetime', string: 'Date of Transfer', help: 'Date at which the transfer has been processed or cancelled.' },
    origin: { type: 'char', string: 'Source Document', index: true, help: 'Reference of the document' },
    user_id: currentUserField('Responsible'),
    company_id: companyField(true),
    note: { type: 'html', string: 'Notes' },
    // What the business actions (../actions/) fill: the transfer's moves, and the order it delivers or receives.
    move_ids: { type: 'one2many', string: 'Stock Moves', relation: 'stock.move', inverseName: 'picking_id' },
    sale_id: { type: 'many2one', string: 'Sales Order', relation: 'sale.order', index: true },
    purchase_id: { type: 'many2one', string: 'Purchase Orders', relation: 'purchase.order', index: true },
  },
  access: [
    grant('base.group_portal', 'r'),
    grant('sales_team.group_sale_salesman', 'rwc'),
    grant('sales_team.group_sale_manager', 'rwcu'),
    grant('stock.group_stock_user', 'rwcu'),
    grant('purchase.group_purchase_user', 'rwcu'),
  ],
  rules: [
    companyRule('stock.picking'),
    commercialPartnerRule('stock.picking', ['base.group_portal'], 'partner_id.commercial_partner_id', ['read']),
  ],
});
