import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';
import { activeField } from './common-fields.js';

/** Why leads are lost (`crm.lead.lost_reason_id`, given to `action_set_lost`). */
export default defineModel({
  name: 'crm.lost.reason',
  description: 'Opp. Lost Reason',
  fields: {
    name: { type: 'char', string: 'Description', required: true, translate: true },
    active: activeField,
  },
  access: [grant('base.group_user', 'r'), grant('sales_team.group_sale_salesman', 'r'), grant('sales_team.group_sale_manager', 'rwcu')],
});
