import { defineModel, type RelatedLookup, type StoredValue } from '../model-definition.js';
import { grant } from '../security/access-rights.js';
import { commercialPartnerRule, companyRule } from '../security/common-rules.js';
import { activeField } from './common-fields.js';
import { noRecursiveParent } from './parent-hierarchy.js';
import { syncCreatedPartner, syncWrittenPartners } from './partner-sync.js';

const ADDRESS_TYPES = [
  ['contact', 'Contact'],
  ['invoice', 'Invoice Address'],
  ['delivery', 'Delivery Address'],
  ['other', 'Other Address'],
] as const;

const ADDRESS_TYPE_LABELS: ReadonlyMap<StoredValue, string> = new Map(ADDRESS_TYPES);

/** Odoo's `_complete_name_displayed_types`: the types a nameless address is named after. */
const DISPLAYED_TYPES: ReadonlySet<StoredValue> = new Set(['invoice', 'delivery', 'other']);

const textOf = (value: StoredValue): string => (typeof value === 'string' ? value : '');

/**
 * Odoo's commercial_company_name of a partner whose parent is `parentId`: the name of its commercial
 * partner (the parent's, as a person's commercial partner is its parent's) when that is a company, else ''.
 */
function commercialCompanyName(parentId: number, lookup: RelatedLookup): string {
  const commercial = lookup('res.partner', parentId, 'commercial_partner_id');
  if (typeof commercial !== 'number' || !lookup('res.partner', commercial, 'is_company')) return '';
  return textOf(lookup('res.partner', commercial, 'name'));
}

/** Fields only employees may see or change (Odoo's `groups="base.group_user"`): hidden from portal users. */
const EMPLOYEES_ONLY = ['base.group_user'];

export default defineModel({
  name: 'res.partner',
  description: 'Contact',
  order: 'complete_name ASC, id DESC',
  recName: 'complete_name',
  // Odoo's _rec_names_search (res_partner.py), without company_registry, which this store does not have.
  nameSearch: ['complete_name', 'email', 'ref', 'vat'],
  fields: {
    name: { type: 'char', string: 'Name', index: true },
    complete_name: {
      type: 'char',
      string: 'Complete Name',
      index: true,
      // Odoo 17's _get_complete_name (odoo/addons/base/models/res_partner.py): under a parent, a nameless
      // invoice/delivery/other address is named by its type, and a person is prefixed with its
      // commercial_company_name (the commercial partner's name when that is a company), else with its
      // parent's name. So a contact of a contact of "Azure" reads "Azure, Name", not "<parent contact>, Name".
      // (`company_name`, the free-text company of a partner without parent, is not modelled here.)
      // Odoo depends on commercial_company_name, i.e. on the commercial partner's name: a renamed company
      // renames the contacts of its contacts too.
      compute: {
        kind: 'own',
        depends: [
          'name',
          'parent_id',
          'is_company',
          'type',
          'parent_id.name',
          'parent_id.commercial_partner_id',
          'commercial_partner_id',
          'commercial_partner_id.name',
          'commercial_partner_id.is_company',
        ],
        fn: (partner, lookup) => {
          const name = typeof partner.name === 'string' ? partner.name : '';
          if (typeof partner.parent_id !== 'number') return name.trim();
          const ownName = name || (DISPLAYED_TYPES.has(partner.type ?? 'contact') ? (ADDRESS_TYPE_LABELS.get(partner.type!) ?? '') : '');
          if (partner.is_company) return ownName.trim();
          return `${commercialCompanyName(partner.parent_id, lookup) || textOf(lookup('res.partner', partner.parent_id, 'name'))}, ${ownName}`.trim();
        },
      },
    },
    parent_id: { type: 'many2one', string: 'Related Company', relation: 'res.partner', index: true },
    child_ids: { type: 'one2many', string: 'Contact', relation: 'res.partner', inverseName: 'parent_id', domain: [['active', '=', true]] },
    commercial_partner_id: {
      type: 'many2one',
      string: 'Commercial Entity',
      relation: 'res.partner',
      index: true,
      help: 'The company a contact belongs to, or the partner itself when it is a company or stands alone.',
      // Needs the record's own id (on create: computed once the id is known), and a recompute of the
      // children when a parent's commercial partner changes (Odoo: recursive, depends on the parent's value).
      compute: {
        kind: 'own',
        depends: ['is_company', 'parent_id', 'parent_id.commercial_partner_id'],
        fn: (partner, lookup) =>
          partner.is_company || typeof partner.parent_id !== 'number'
            ? (partner.id ?? null)
            : lookup('res.partner', partner.parent_id, 'commercial_partner_id'),
      },
    },
    is_company: { type: 'boolean', string: 'Is a Company', default: false },
    type: { type: 'selection', string: 'Address Type', selection: ADDRESS_TYPES, default: 'contact' },
    function: { type: 'char', string: 'Job Position' },
    email: { type: 'char', string: 'Email' },
    phone: { type: 'char', string: 'Phone' },
    street: { type: 'char', string: 'Street' },
    city: { type: 'char', string: 'City' },
    zip: { type: 'char', string: 'Zip' },
    country_id: { type: 'many2one', string: 'Country', relation: 'res.country', ondelete: 'restrict' },
    category_id: {
      type: 'many2many',
      string: 'Tags',
      relation: 'res.partner.category',
      relationTable: 'res_partner_res_partner_category_rel',
      column1: 'partner_id',
      column2: 'category_id',
    },
    user_id: { type: 'many2one', string: 'Salesperson', relation: 'res.users', help: 'The internal user in charge of this contact.' },
    company_id: { type: 'many2one', string: 'Company', relation: 'res.company', index: true },
    active: activeField,
    ref: { type: 'char', string: 'Reference', index: true, groups: EMPLOYEES_ONLY },
    vat: { type: 'char', string: 'Tax ID', index: true },
    comment: { type: 'html', string: 'Notes', groups: EMPLOYEES_ONLY },
    // Odoo's avatar (image.mixin): a binary field, returned only when asked for by name (docs/rest-contract.md, "Records").
    image_1920: { type: 'binary', string: 'Image' },
  },
  access: [
    grant('base.group_public', 'r'),
    grant('base.group_portal', 'r'),
    grant('base.group_user', 'r'),
    grant('sales_team.group_sale_salesman', 'rwc'),
    grant('purchase.group_purchase_manager', 'rwc'),
    grant('stock.group_stock_manager', 'rwc'),
    // Odoo's base.group_partner_manager ("Contact Creation"): its administrator and its demo user have it.
    grant('base.group_partner_manager', 'rwcu'),
  ],
  rules: [
    companyRule('res.partner'),
    commercialPartnerRule('res.partner', ['base.group_portal', 'base.group_public'], 'commercial_partner_id'),
  ],
  constraints: [
    noRecursiveParent('res.partner', 'You cannot create recursive Partner hierarchies.'),
    (partner) => (partner.type === 'contact' && !partner.name ? 'Contacts require a name' : null),
  ],
  // Address and commercial fields (vat) kept in step with the parent and the children, as Odoo does (./partner-sync.ts).
  onCreate: syncCreatedPartner,
  onWrite: syncWrittenPartners,
});
