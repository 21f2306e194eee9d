import { DomainError } from './domain-error.js';
import { normalizeDomain } from './normalize-domain.js';
import { MAX_LITERAL_DEPTH, parsePythonLiteral } from './parse-python-literal.js';
import type { DomainNode, DomainValue } from './types.js';

/**
 * Parses the `domain` query parameter of `GET /api/<slug>` (docs/rest-contract.md, "List"): a Python literal (or
 * JSON) list, read by `parsePythonLiteral` and normalised by `normalizeDomain` with Odoo 17's rules.
 * Throws `DomainError` (a 400) naming the position of a syntax error or the offending term.
 */
export function parseDomain(text: string): DomainNode {
  return normalizeDomain(parsePythonLiteral(text));
}

/**
 * Accepts a domain that is already a JavaScript value (GraphQL's JSON input, a JSON body): checks that it
 * holds only what a Python literal could (strings, finite numbers, booleans, null, arrays, nested at most
 * `MAX_LITERAL_DEPTH` deep), then normalises it. A string is not parsed here: call `parseDomain` for text.
 * Throws `DomainError` for any other value and for every error `normalizeDomain` reports.
 */
export function domainFromJson(value: unknown): DomainNode {
  assertDomainValue(value);
  return normalizeDomain(value);
}

/** Throws `DomainError` unless `value` is a `DomainValue` no deeper than `MAX_LITERAL_DEPTH` lists. */
export function assertDomainValue(value: unknown, depth = 0): asserts value is DomainValue {
  if (Array.isArray(value)) {
    if (depth >= MAX_LITERAL_DEPTH) {
      throw new DomainError(`invalid domain: nesting deeper than ${MAX_LITERAL_DEPTH} levels`);
    }
    for (let i = 0; i < value.length; i++) assertDomainValue(value[i], depth + 1);
    return;
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return;
    throw new DomainError(`invalid domain: number ${value} is not allowed`);
  }
  const what = typeof value === 'object' ? 'an object' : `a value of type ${typeof value}`;
  throw new DomainError(`invalid domain: ${what} is not allowed; only strings, numbers, booleans, null and lists`);
}
