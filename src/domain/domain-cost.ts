/**
 * Bounds on what a domain may cost, checked on the normalised tree before anything compiles it (issue 13).
 *
 * Each relation a dotted path crosses (each dot) and each `any` / `not any` becomes a sub-query on the
 * related model, which carries that model's record rules for the caller. So a domain's SQL, the memory of
 * its prepared statement and the time SQLite takes to plan and run it grow with the relations its leaves
 * cross (leaves × path depth), and a long path nests sub-queries until SQLite refuses the statement
 * ("Expression tree is too large"). Unbounded, any logged-in user could spend half a second of the
 * process's only thread and megabytes of memory per request with 55 OR-ed leaves of 6 to 12 fields.
 *
 * Real domains stay far below these limits: Odoo 17's own longest paths have 5 fields, the test suite's 4,
 * and a domain crosses a handful of relations. The embedded store also counts, as it compiles, the
 * sub-queries that only the field types reveal (x2many, name and hierarchy matches), against the same
 * `MAX_DOMAIN_JOINS`.
 */
import { DomainError } from './domain-error.js';
import { isDomainNode, type DomainNode } from './types.js';

/** Most fields one path may go through, counting the `any` leaves it sits in (`('order_line', 'any', [('product_id.name', ...)])` is 3). */
export const MAX_PATH_FIELDS = 8;
/** Most relations the paths of one domain may cross in all: one per dot and one per `any` / `not any`. */
export const MAX_DOMAIN_JOINS = 32;

/** Throws `DomainError` ("domain too complex: ..., at most N") when `node` exceeds one of the bounds above. */
export function checkDomainCost(node: DomainNode): void {
  const joins = countJoins(node, []);
  if (joins > MAX_DOMAIN_JOINS) {
    throw new DomainError(
      `domain too complex: its paths cross ${joins} relations (one per dot and per 'any'), at most ${MAX_DOMAIN_JOINS}`,
    );
  }
}

/**
 * Relations crossed by the paths under `node`, whose leaves sit in `any` leaves along `prefix`; throws on
 * the first path longer than `MAX_PATH_FIELDS`. Recursion is as deep as the tree, which normalisation
 * bounds (MAX_DOMAIN_DEPTH).
 */
function countJoins(node: DomainNode, prefix: readonly string[]): number {
  switch (node.kind) {
    case 'and':
    case 'or': {
      let joins = 0;
      for (const child of node.children) joins += countJoins(child, prefix);
      return joins;
    }
    case 'not':
      return countJoins(node.child, prefix);
    case 'leaf': {
      const fields = [...prefix, ...node.path.split('.')];
      if (fields.length > MAX_PATH_FIELDS) {
        const path = fields.join('.');
        throw new DomainError(
          `domain too complex: path '${path.length > 100 ? `${path.slice(0, 100)}...` : path}' goes through ${fields.length} fields, at most ${MAX_PATH_FIELDS}`,
        );
      }
      const dots = fields.length - prefix.length - 1;
      return isDomainNode(node.value) ? dots + 1 + countJoins(node.value, fields) : dots;
    }
    default:
      return 0;
  }
}
