import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';

export default defineModel({
  name: 'res.company',
  description: 'Companies',
  order: 'sequence, name',
  fields: {
    name: { type: 'char', string: 'Company Name', required: true, unique: true },
    partner_id: { type: 'many2one', string: 'Partner', relation: 'res.partner', required: true, ondelete: 'restrict' },
    sequence: { type: 'integer', string: 'Sequence', default: 10, help: 'Used to order Companies in the company switcher' },
    email: { type: 'char', string: 'Email' },
    phone: { type: 'char', string: 'Phone' },
    user_ids: {
      type: 'many2many',
      string: 'Accepted Users',
      relation: 'res.users',
      relationTable: 'res_company_users_rel',
      column1: 'cid',
      column2: 'user_id',
    },
  },
  access: [
    grant('base.group_public', 'r'),
    grant('base.group_portal', 'r'),
    grant('base.group_user', 'r'),
    grant('base.group_erp_manager', 'rwcu'),
  ],
  rules: [
    {
      name: 'company rule: allowed companies',
      groups: ['base.group_user', 'base.group_portal', 'base.group_public'],
      domain: (user) => [['id', 'in', [...user.companyIds]]],
    },
    { name: 'company rule: access rights managers', groups: ['base.group_erp_manager'], domain: () => [[1, '=', 1]] },
  ],
});
