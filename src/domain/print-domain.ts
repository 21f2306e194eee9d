import { DomainError } from './domain-error.js';
import { domainToList, type DomainListTerm } from './domain-to-list.js';
import type { DomainNode, DomainValue } from './types.js';

/**
 * Prints a normalised domain in the prefix-notation Python literal form that Odoo's `literal_eval` and
 * our `parseDomain` both accept, e.g. `['&', ('state', '=', 'sale'), ('amount_total', '>', 100)]`.
 * Used to hand domains to a real Odoo (the gateway) and to echo them in messages.
 * It prints `domainToList(node)`: an `and` of n children as n-1 `'&'` followed by the children (Odoo's own
 * normal form); the true domain as `[]`. `normalizeDomain(parsePythonLiteral(printDomain(x)))` deep-equals
 * `x` for every normalised `x`. Throws `DomainError` only for a non-finite number, which normalisation never keeps.
 */
export function printDomain(node: DomainNode): string {
  return printTerms(domainToList(node));
}

function printTerms(terms: readonly DomainListTerm[]): string {
  return `[${terms.map(printTerm).join(', ')}]`;
}

function printTerm(term: DomainListTerm): string {
  if (typeof term === 'string') return printString(term);
  const [path, operator, value] = term;
  const printedValue = operator === 'any' || operator === 'not any' ? printTerms(value as DomainListTerm[]) : printPythonLiteral(value);
  return `(${typeof path === 'number' ? String(path) : printString(path)}, ${printString(operator)}, ${printedValue})`;
}

/**
 * Prints a literal as Python's `repr` would, closely enough for Odoo and `parsePythonLiteral` to read it
 * back to the same value: lists in `[...]`, `True`/`False`/`None`, single-quoted strings with Python
 * escapes, numbers as JavaScript prints them (integers beyond the safe range in exponent form, so they
 * re-parse as floats). Throws `DomainError` for NaN or an infinity, which have no literal form.
 */
export function printPythonLiteral(value: DomainValue): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return printNumber(value);
  if (typeof value === 'string') return printString(value);
  return `[${value.map(printPythonLiteral).join(', ')}]`;
}

function printNumber(n: number): string {
  if (!Number.isFinite(n)) throw new DomainError(`invalid domain: number ${n} has no literal form`);
  if (Object.is(n, -0)) return '-0.0';
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return n.toExponential();
  return String(n);
}

/** Backslash, quote, control characters, line separators and lone surrogates are escaped. */
const NEEDS_ESCAPE =
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  /[\\'\x00-\x1f\x7f-\x9f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function printString(s: string): string {
  const body = s.replace(NEEDS_ESCAPE, (c) => {
    const named = NAMED_ESCAPES[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return `'${body}'`;
}
