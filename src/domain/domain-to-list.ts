/**
 * A normalised domain back to Odoo's list form, as data: prefix notation, `&`/`|`/`!` strings and leaves
 * `[path, operator, value]` (`[["state", "=", "sale"]]`). JSON-RPC, call_kw and /json/2 carry domains
 * this way, and `printDomain` prints this same list as a Python literal.
 */
import { isDomainNode, type DomainNode, type DomainValue } from './types.js';

/** A term of an Odoo domain list; an `any` leaf's value is itself a list of terms. */
export type DomainListTerm = '&' | '|' | '!' | [string | number, string, DomainValue | DomainListTerm[]];

const TRUE_LEAF: DomainListTerm = [1, '=', 1];
const FALSE_LEAF: DomainListTerm = [0, '=', 1];

/**
 * The true domain is `[]`; an `and`/`or` of n children is n-1 `'&'`/`'|'` then the children (Odoo's
 * normal form); `any`/`not any` carry their sub-domain as a nested list. Never throws.
 */
export function domainToList(node: DomainNode): DomainListTerm[] {
  if (node.kind === 'true') return [];
  const terms: DomainListTerm[] = [];
  pushTerms(node, terms);
  return terms;
}

function pushTerms(node: DomainNode, out: DomainListTerm[]): void {
  switch (node.kind) {
    case 'true':
      out.push(TRUE_LEAF);
      return;
    case 'false':
      out.push(FALSE_LEAF);
      return;
    case 'leaf':
      out.push([node.path, node.operator, isDomainNode(node.value) ? domainToList(node.value) : node.value]);
      return;
    case 'not':
      out.push('!');
      pushTerms(node.child, out);
      return;
    case 'and':
    case 'or': {
      if (node.children.length === 0) {
        out.push(node.kind === 'and' ? TRUE_LEAF : FALSE_LEAF);
        return;
      }
      for (let i = 1; i < node.children.length; i++) out.push(node.kind === 'and' ? '&' : '|');
      for (const child of node.children) pushTerms(child, out);
    }
  }
}
