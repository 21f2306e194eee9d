/** Record rules that several models share, written once. */
import type { Operation, RecordRule } from '../model-definition.js';
import type { GroupXmlId } from './groups.js';

/**
 * Odoo's multi-company rule (global): records of no company or of one of the user's allowed companies.
 * `field` may be a path, for lines that take their company from their order (`order_id.company_id`).
 */
export function companyRule(model: string, field = 'company_id'): RecordRule {
  return {
    name: `${model} multi-company`,
    groups: [],
    domain: (user) => ['|', [field, '=', false], [field, 'in', [...user.companyIds]]],
  };
}

/** Odoo's "Personal Orders/Leads" rule: a salesman sees what is his or nobody's. */
export function ownOrUnassignedRule(model: string, group: GroupXmlId, field = 'user_id'): RecordRule {
  return {
    name: `Personal ${model}`,
    groups: [group],
    domain: (user) => ['|', [field, '=', user.id], [field, '=', false]],
  };
}

/** Odoo's "All Orders/Leads" rule: lifts the personal rule for members of `group` (group rules are united). */
export function allRecordsRule(model: string, group: GroupXmlId = 'sales_team.group_sale_salesman_all_leads'): RecordRule {
  return { name: `All ${model}`, groups: [group], domain: () => [[1, '=', 1]] };
}

/**
 * Odoo's portal rules, `[(partner, 'child_of', [user.commercial_partner_id.id])]`: documents of the user's
 * commercial entity (their company and all its contacts). A rule domain only knows `user.partnerId`, so it
 * is written the other way round: the document's commercial partner (`res.partner.commercial_partner_id`,
 * reached by `commercialPartnerPath`) must be the user's partner or one of its ancestors, i.e. one of the
 * partners `('id', 'parent_of', [user.partnerId])` finds. (Not `(commercialPartnerPath, 'parent_of', ...)`:
 * on a many2one to the model itself, Odoo walks that field, not `parent_id`.)
 */
export function commercialPartnerRule(
  model: string,
  groups: readonly GroupXmlId[],
  commercialPartnerPath = 'partner_id.commercial_partner_id',
  operations?: readonly Operation[],
): RecordRule {
  return {
    name: `Portal ${model}: documents of the user's commercial partner`,
    groups,
    domain: (user) => [[commercialPartnerPath, 'any', [['id', 'parent_of', [user.partnerId]]]]],
    ...(operations ? { operations } : {}),
  };
}
