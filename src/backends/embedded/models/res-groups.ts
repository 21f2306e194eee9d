import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';

/** Access groups. `users` is the other side of `res.users.groups_id` (one relation table, as in Odoo). */
export default defineModel({
  name: 'res.groups',
  description: 'Access Groups',
  order: 'name',
  fields: {
    name: { type: 'char', string: 'Name', required: true, translate: true },
    xml_id: {
      type: 'char',
      string: 'External ID',
      unique: true,
      internal: true,
      help: "The group's xml id (`sales_team.group_sale_salesman`), by which access rights and rules name it.",
    },
    implied_ids: {
      type: 'many2many',
      string: 'Inherits',
      relation: 'res.groups',
      relationTable: 'res_groups_implied_rel',
      column1: 'gid',
      column2: 'hid',
      help: 'Users of this group automatically inherit those groups',
    },
    users: {
      type: 'many2many',
      string: 'Users',
      relation: 'res.users',
      relationTable: 'res_groups_users_rel',
      column1: 'gid',
      column2: 'uid',
    },
    comment: { type: 'text', string: 'Comment', translate: true },
  },
  access: [grant('base.group_user', 'r'), grant('base.group_erp_manager', 'rwcu')],
});
