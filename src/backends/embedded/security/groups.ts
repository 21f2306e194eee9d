/**
 * The access groups of the embedded store, as Odoo 17 names them (`res.groups` records with their xml ids).
 * Listed so that every group comes after the groups it implies: the demo data creates them in this order.
 */

const GROUP_LIST = [
  { xmlId: 'base.group_user', category: 'User types', name: 'Internal User', implied: [] },
  { xmlId: 'base.group_portal', category: 'User types', name: 'Portal', implied: [] },
  { xmlId: 'base.group_public', category: 'User types', name: 'Public', implied: [] },
  { xmlId: 'base.group_erp_manager', category: 'Administration', name: 'Access Rights', implied: ['base.group_user'] },
  { xmlId: 'base.group_system', category: 'Administration', name: 'Settings', implied: ['base.group_erp_manager'] },
  { xmlId: 'base.group_multi_company', category: 'Extra Rights', name: 'Multi Companies', implied: [] },
  { xmlId: 'sales_team.group_sale_salesman', category: 'Sales', name: 'User: Own Documents Only', implied: ['base.group_user'] },
  {
    xmlId: 'sales_team.group_sale_salesman_all_leads',
    category: 'Sales',
    name: 'User: All Documents',
    implied: ['sales_team.group_sale_salesman'],
  },
  {
    xmlId: 'sales_team.group_sale_manager',
    category: 'Sales',
    name: 'Administrator',
    implied: ['sales_team.group_sale_salesman_all_leads'],
  },
  { xmlId: 'stock.group_stock_user', category: 'Inventory', name: 'User', implied: ['base.group_user'] },
  { xmlId: 'stock.group_stock_manager', category: 'Inventory', name: 'Administrator', implied: ['stock.group_stock_user'] },
  { xmlId: 'purchase.group_purchase_user', category: 'Purchase', name: 'User', implied: ['base.group_user'] },
  { xmlId: 'purchase.group_purchase_manager', category: 'Purchase', name: 'Administrator', implied: ['purchase.group_purchase_user'] },
  // Last, so the ids of the groups above stay as they were.
  { xmlId: 'base.group_partner_manager', category: 'Extra Rights', name: 'Contact Creation', implied: [] },
] as const;

/** The xml id of one of the store's groups; access rights and rules are typed with it, so a typo does not compile. */
export type GroupXmlId = (typeof GROUP_LIST)[number]['xmlId'];

export interface GroupSpec {
  readonly xmlId: GroupXmlId;
  /** The application category (`ir.module.category`), which Odoo puts before the name in messages: `Sales/Administrator`. */
  readonly category: string;
  readonly name: string;
  /** Groups whose rights members of this group get too (Odoo's `implied_ids`). */
  readonly implied: readonly GroupXmlId[];
}

export const GROUPS: ReadonlyArray<GroupSpec> = GROUP_LIST;

const IMPLIED = new Map<string, readonly string[]>(GROUPS.map((group) => [group.xmlId, group.implied]));

/**
 * The given groups with every group they imply, transitively: what a member of them actually belongs to
 * (Odoo adds implied groups to the user's `groups_id`). Unknown xml ids are kept as given.
 */
export function withImpliedGroups(xmlIds: Iterable<string>): Set<string> {
  const result = new Set<string>();
  const pending = [...xmlIds];
  for (let xmlId = pending.pop(); xmlId !== undefined; xmlId = pending.pop()) {
    if (result.has(xmlId)) continue;
    result.add(xmlId);
    pending.push(...(IMPLIED.get(xmlId) ?? []));
  }
  return result;
}

const CATEGORY = new Map<string, string>(GROUPS.map((group) => [group.xmlId, group.category]));

/** A group's category, or undefined for a group the store does not declare. */
export function groupCategory(xmlId: string): string | undefined {
  return CATEGORY.get(xmlId);
}
