/**
 * Odoo's domain language as data.
 *
 * A domain arrives as a list of terms in Polish (prefix) notation: the operators `&`, `|`, `!` and
 * leaves `(path, operator, value)`. `normalizeDomain` turns that list into a tree of `DomainNode`s,
 * which the embedded store compiles to SQL and the GraphQL face prints back for the gateway.
 * See docs/rest-contract.md, "List", and Odoo 17's `odoo/osv/expression.py`.
 */

/** A literal value as Python writes it in a domain: str, int, float, bool, None, and lists/tuples of them. */
export type DomainValue = string | number | boolean | null | DomainValue[];

export const COMPARISON_OPERATORS = [
  '=',
  '!=',
  '<>',
  '>',
  '>=',
  '<',
  '<=',
  '=?',
  'like',
  'not like',
  'ilike',
  'not ilike',
  '=like',
  '=ilike',
  'in',
  'not in',
  'child_of',
  'parent_of',
  'any',
  'not any',
] as const;

export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export type LogicalOperator = '&' | '|' | '!';

/**
 * One term of a raw (parsed, not yet normalised) domain list: a LogicalOperator, a `[path, operator, value]`
 * triple, or anything else a client sent, which normalisation refuses. Hence `unknown`.
 */
export type DomainTerm = unknown;

/** A leaf `(path, operator, value)`. For `any` / `not any`, `value` is the sub-domain, normalised. */
export interface DomainLeaf {
  readonly kind: 'leaf';
  /** Field name, or a dotted path through relational fields (`partner_id.country_id.code`). */
  readonly path: string;
  readonly operator: ComparisonOperator;
  readonly value: DomainValue | DomainNode;
}

export type DomainNode =
  | { readonly kind: 'and'; readonly children: readonly DomainNode[] }
  | { readonly kind: 'or'; readonly children: readonly DomainNode[] }
  | { readonly kind: 'not'; readonly child: DomainNode }
  | DomainLeaf
  | { readonly kind: 'true' }
  | { readonly kind: 'false' };

export const TRUE_DOMAIN: DomainNode = Object.freeze({ kind: 'true' });
export const FALSE_DOMAIN: DomainNode = Object.freeze({ kind: 'false' });

/** True when a leaf's value is a normalised sub-domain (the `any` / `not any` operators) rather than a literal. */
export function isDomainNode(value: DomainValue | DomainNode): value is DomainNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
