import { defineModel } from '../model-definition.js';
import { grant } from '../security/access-rights.js';
import { INSTALLED_LANGUAGES, SOURCE_LANGUAGE } from '../i18n/languages.js';
import { TIME_ZONES } from '../time-zones.js';
import { activeField, companyField } from './common-fields.js';
import resPartner from './res-partner.js';

export default defineModel({
  name: 'res.users',
  description: 'User',
  order: 'name, login',
  fields: {
    name: { type: 'char', string: 'Name', required: true },
    login: { type: 'char', string: 'Login', required: true, unique: true, help: 'Used to log into the system' },
    password: { type: 'char', string: 'Password', internal: true },
    partner_id: {
      type: 'many2one',
      string: 'Related Partner',
      relation: 'res.partner',
      required: true,
      index: true,
      ondelete: 'restrict',
      help: 'Partner-related data of the user',
    },
    active: activeField,
    company_id: { ...companyField(true), help: 'The default company for this user.' },
    company_ids: {
      type: 'many2many',
      string: 'Companies',
      relation: 'res.company',
      relationTable: 'res_company_users_rel',
      column1: 'user_id',
      column2: 'cid',
    },
    groups_id: {
      type: 'many2many',
      string: 'Groups',
      relation: 'res.groups',
      relationTable: 'res_groups_users_rel',
      column1: 'uid',
      column2: 'gid',
    },
    email: { type: 'char', string: 'Email' },
    // Odoo keeps these on the user's partner (res.partner lang and tz, read through `_inherits`); here the
    // user holds them: they are what a request's context defaults to (security/call-context.ts).
    lang: {
      type: 'selection',
      string: 'Language',
      selection: INSTALLED_LANGUAGES.map(({ code, name }) => [code, name] as const),
      default: SOURCE_LANGUAGE,
      help: 'All the emails and documents sent to this contact will be translated in this language.',
    },
    tz: {
      type: 'selection',
      string: 'Timezone',
      selection: TIME_ZONES.map((zone) => [zone, zone] as const),
      help: 'When printing documents and exporting/importing data, time values are computed according to this timezone.\nIf the timezone is not set, UTC (Coordinated Universal Time) is used.\nAnywhere else, time values are computed according to the time offset of your web client.',
    },
    share: {
      type: 'boolean',
      string: 'Share User',
      default: false,
      help: 'External user with limited access, created only for the purpose of sharing data.',
    },
  },
  access: [
    grant('base.group_public', 'r'),
    grant('base.group_portal', 'r'),
    grant('base.group_user', 'r'),
    grant('base.group_erp_manager', 'rwcu'),
  ],
  // Odoo's `_inherits = {'res.partner': 'partner_id'}`: a user is read under the rules of its partner too,
  // so a portal user sees no user but those of his commercial partner (and internal users, whose partners
  // the company rule lets through, everyone else).
  inherits: [{ field: 'partner_id', parent: resPartner }],
  rules: [
    {
      name: 'user rule: internal users, or share users of allowed companies',
      groups: [],
      domain: (user) => ['|', ['share', '=', false], ['company_ids', 'in', [...user.companyIds]]],
    },
  ],
});
