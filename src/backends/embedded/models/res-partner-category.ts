import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';
import { activeField } from './common-fields.js';
import { noRecursiveParent } from './parent-hierarchy.js';

export default defineModel({
  name: 'res.partner.category',
  description: 'Partner Tags',
  order: 'name',
  parentStore: true,
  fields: {
    name: { type: 'char', string: 'Tag Name', required: true, translate: true },
    color: { type: 'integer', string: 'Color' },
    parent_id: { type: 'many2one', string: 'Parent Category', relation: 'res.partner.category', index: true, ondelete: 'cascade' },
    child_ids: { type: 'one2many', string: 'Child Tags', relation: 'res.partner.category', inverseName: 'parent_id' },
    partner_ids: {
      type: 'many2many',
      string: 'Partners',
      relation: 'res.partner',
      relationTable: 'res_partner_res_partner_category_rel',
      column1: 'category_id',
      column2: 'partner_id',
    },
    active: { ...activeField, help: 'The active field allows you to hide the category without removing it.' },
  },
  access: [grant('base.group_user', 'r'), grant('sales_team.group_sale_salesman', 'rwc'), grant('base.group_partner_manager', 'rwcu')],
  constraints: [noRecursiveParent('res.partner.category', 'You can not create recursive tags.')],
});
