/** Access rights (Odoo's `ir.model.access`) written as compactly as Odoo's CSV files write them. */
import type { AccessRight } from '../model-definition.js';
import type { GroupXmlId } from './groups.js';

/** Granted operations, in the column order of `ir.model.access.csv`: read, write, create, unlink. */
export type Permissions = 'r' | 'rw' | 'rwc' | 'rwcu';

/**
 * One access line: `grant('sales_team.group_sale_salesman', 'rwc')` is the CSV row `1,1,1,0` for that group;
 * a null group grants the operations to every user.
 */
export function grant(group: GroupXmlId | null, permissions: Permissions): AccessRight {
  return {
    group,
    read: true,
    write: permissions.includes('w'),
    create: permissions.includes('c'),
    unlink: permissions.includes('u'),
  };
}
