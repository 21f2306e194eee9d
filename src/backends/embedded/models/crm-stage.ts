import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';

export default defineModel({
  name: 'crm.stage',
  description: 'CRM Stages',
  order: 'sequence, name, id',
  fields: {
    name: { type: 'char', string: 'Stage Name', required: true, translate: true },
    sequence: { type: 'integer', string: 'Sequence', default: 1, help: 'Used to order stages. Lower is better.' },
    is_won: { type: 'boolean', string: 'Is Won Stage?', default: false },
    fold: {
      type: 'boolean',
      string: 'Folded in Pipeline',
      default: false,
      help: 'This stage is folded in the kanban view when there are no records in that stage to display.',
    },
  },
  access: [grant('base.group_user', 'r'), grant('sales_team.group_sale_manager', 'rwcu')],
});
