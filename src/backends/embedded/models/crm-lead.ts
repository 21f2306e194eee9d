import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';
import { allRecordsRule, companyRule, ownOrUnassignedRule } from '../security/common-rules.js';
import { activeField, companyField, currentUserField, roundMoney } from './common-fields.js';
import { contactNameCompute, customerValueCompute, writeBackToCustomer } from './lead-sync.js';

/** Leads and opportunities. Portal users have no access right on them at all, as in Odoo. */
export default defineModel({
  name: 'crm.lead',
  description: 'Lead/Opportunity',
  order: 'priority desc, id desc',
  fields: {
    name: { type: 'char', string: 'Opportunity', required: true, index: true },
    partner_id: { type: 'many2one', string: 'Customer', relation: 'res.partner', index: true },
    contact_name: { type: 'char', string: 'Contact Name', compute: contactNameCompute },
    email_from: { type: 'char', string: 'Email', index: true, compute: customerValueCompute('email_from') },
    phone: { type: 'char', string: 'Phone', compute: customerValueCompute('phone') },
    expected_revenue: { type: 'monetary', string: 'Expected Revenue' },
    probability: { type: 'float', string: 'Probability' },
    prorated_revenue: {
      type: 'monetary',
      string: 'Prorated Revenue',
      compute: {
        kind: 'own',
        depends: ['expected_revenue', 'probability'],
        fn: (lead) => roundMoney(((Number(lead.expected_revenue) || 0) * (Number(lead.probability) || 0)) / 100),
      },
    },
    type: {
      type: 'selection',
      string: 'Type',
      required: true,
      index: true,
      default: 'opportunity',
      selection: [
        ['lead', 'Lead'],
        ['opportunity', 'Opportunity'],
      ],
    },
    stage_id: {
      type: 'many2one',
      string: 'Stage',
      relation: 'crm.stage',
      index: true,
      ondelete: 'restrict',
      // Odoo 17: the first stage (by sequence) that is not folded, e.g. "New".
      default: (env) => env.firstRecordId('crm.stage', { fold: false }),
      // Odoo's `_read_group_stage_ids`: every stage is a column of the pipeline, the empty ones too.
      groupExpand: true,
    },
    user_id: currentUserField('Salesperson'),
    company_id: companyField(false),
    priority: {
      type: 'selection',
      string: 'Priority',
      index: true,
      default: '0',
      selection: [
        ['0', 'Low'],
        ['1', 'Medium'],
        ['2', 'High'],
        ['3', 'Very High'],
      ],
    },
    description: { type: 'html', string: 'Notes' },
    date_deadline: { type: 'date', string: 'Expected Closing', help: 'Estimate of the date on which the opportunity will be won.' },
    date_closed: { type: 'datetime', string: 'Closed Date' },
    lost_reason_id: { type: 'many2one', string: 'Lost Reason', relation: 'crm.lost.reason', index: true, ondelete: 'restrict' },
    active: activeField,
  },
  access: [grant('sales_team.group_sale_salesman', 'rwc'), grant('sales_team.group_sale_manager', 'rwcu')],
  rules: [companyRule('crm.lead'), ownOrUnassignedRule('crm.lead', 'sales_team.group_sale_salesman'), allRecordsRule('crm.lead')],
  // A lead's own email or phone, different from its customer's, is written to the customer (./lead-sync.ts).
  onCreate: (ctx, id, values) => writeBackToCustomer(ctx, [id], values),
  onWrite: writeBackToCustomer,
});
