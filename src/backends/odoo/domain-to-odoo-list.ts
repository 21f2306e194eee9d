/**
 * A normalised domain as the JSON list Odoo's RPC APIs take (`[["state", "=", "sale"]]`): the same
 * prefix notation as `printDomain` (src/domain/print-domain.ts), but as data instead of a Python
 * literal, since JSON-RPC, call_kw and /json/2 all carry domains as JSON arrays.
 */
import { isDomainNode, type DomainNode, type DomainValue } from '../../domain/types.js';

/** A term of an Odoo domain list: an operator or a leaf `[path, operator, value]`. */
export type OdooDomainTerm = '&' | '|' | '!' | [string | number, string, unknown];

const TRUE_LEAF: OdooDomainTerm = [1, '=', 1];
const FALSE_LEAF: OdooDomainTerm = [0, '=', 1];

/**
 * The true domain is `[]`; an `and`/`or` of n children is n-1 `'&'`/`'|'` then the children (Odoo's
 * normal form); `any`/`not any` carry their sub-domain as a nested list. Never throws.
 */
export function domainToOdooList(node: DomainNode): OdooDomainTerm[] {
  if (node.kind === 'true') return [];
  const terms: OdooDomainTerm[] = [];
  pushTerms(node, terms);
  return terms;
}

function pushTerms(node: DomainNode, out: OdooDomainTerm[]): void {
  switch (node.kind) {
    case 'true':
      out.push(TRUE_LEAF);
      return;
    case 'false':
      out.push(FALSE_LEAF);
      return;
    case 'leaf':
      out.push([node.path, node.operator, isDomainNode(node.value) ? domainToOdooList(node.value) : (node.value satisfies DomainValue)]);
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
