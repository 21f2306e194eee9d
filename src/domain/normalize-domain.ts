import { checkDomainCost } from './domain-cost.js';
import { DomainError } from './domain-error.js';
import { printPythonLiteral } from './print-domain.js';
import {
  COMPARISON_OPERATORS,
  FALSE_DOMAIN,
  TRUE_DOMAIN,
  type ComparisonOperator,
  type DomainNode,
  type LogicalOperator,
} from './types.js';

/** Most leaves one domain may hold, `any` sub-domains included. */
export const MAX_DOMAIN_LEAVES = 500;
/** Deepest tree a domain may normalise to (after flattening), `any` sub-domains included. */
export const MAX_DOMAIN_DEPTH = 100;

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const OPERATORS: ReadonlySet<string> = new Set(COMPARISON_OPERATORS);

type Scalar = string | number | boolean | null;
/** A node with the height of its tree, so limits are checked without walking the tree again. */
interface Sized {
  readonly node: DomainNode;
  readonly depth: number;
}
interface Budget {
  leaves: number;
}

/**
 * Turns a parsed domain (a list of terms in prefix notation) into a `DomainNode` tree, with Odoo 17's
 * semantics (`odoo/osv/expression.py`, `normalize_domain` and `normalize_leaf`; docs/rest-contract.md, "List"):
 * - `[]` is true; `&` and `|` take two operands, `!` one; top-level terms are joined by an implicit `&`;
 * - `(1, '=', 1)` is `{kind: 'true'}`, `(0, '=', 1)` is `{kind: 'false'}`, kept in place;
 * - nested `&` in `&` (and `|` in `|`) are flattened into one n-ary node; nothing else is simplified;
 * - operators are trimmed and lowercased, and `<>` becomes `!=` (as `normalize_leaf` does);
 * - `in`/`not in` always hold an array (a scalar is wrapped); `any`/`not any` hold the normalised
 *   sub-domain; `child_of`/`parent_of` hold an integer, a string or an array of them; every other
 *   operator (`=?` included, kept as is) holds one scalar.
 * Throws `DomainError` naming the offending term: not a list, unknown operator, bad path, wrong arity,
 * a value the operator does not take, more than `MAX_DOMAIN_LEAVES` leaves, deeper than `MAX_DOMAIN_DEPTH`,
 * or costlier than `checkDomainCost` allows (paths too long, too many relations crossed).
 */
export function normalizeDomain(value: unknown): DomainNode {
  if (!Array.isArray(value)) throw new DomainError('invalid domain: domain must be a list');
  const { node } = normalizeTerms(value, { leaves: 0 }, 0);
  checkDomainCost(node);
  return node;
}

/**
 * Checks the leaves left to right (so an error names the first bad term), then builds the tree right
 * to left with a stack, so neither a long list nor a long chain of `!` can overflow the call stack: a
 * leaf is pushed, an operator pops its operands. What is left are the complete top-level terms, first
 * term on top, which Odoo joins with an implicit `&`.
 */
function normalizeTerms(terms: readonly unknown[], budget: Budget, level: number): Sized {
  if (level > MAX_DOMAIN_DEPTH) throw tooDeep();
  if (terms.length === 0) return { node: TRUE_DOMAIN, depth: 1 };
  const items = Array.from(terms, (term) => (isLogical(term) ? term : normalizeLeaf(term, budget, level)));
  const stack: Sized[] = [];
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i] as Sized | LogicalOperator;
    if (item === '!') {
      const [child] = popOperands(stack, item, 1);
      stack.push(checked({ node: { kind: 'not', child: child.node }, depth: child.depth + 1 }));
    } else if (item === '&' || item === '|') {
      stack.push(combine(item === '&' ? 'and' : 'or', popOperands(stack, item, 2)));
    } else {
      stack.push(item);
    }
  }
  return stack.length === 1 ? (stack[0] as Sized) : combine('and', stack.reverse());
}

function isLogical(term: unknown): term is LogicalOperator {
  return term === '&' || term === '|' || term === '!';
}

function popOperands(stack: Sized[], operator: string, arity: 1): [Sized];
function popOperands(stack: Sized[], operator: string, arity: 2): [Sized, Sized];
function popOperands(stack: Sized[], operator: string, arity: number): Sized[] {
  if (stack.length < arity) {
    throw new DomainError(`invalid domain: operator '${operator}' expects ${arity} operand${arity > 1 ? 's' : ''}`);
  }
  return stack.splice(stack.length - arity).reverse();
}

/** An n-ary `and`/`or` of the operands, absorbing the children of operands of the same kind. */
function combine(kind: 'and' | 'or', operands: readonly Sized[]): Sized {
  const children: DomainNode[] = [];
  let depth = 0;
  for (const { node, depth: d } of operands) {
    if ((node.kind === 'and' || node.kind === 'or') && node.kind === kind) {
      children.push(...node.children);
      depth = Math.max(depth, d);
    } else {
      children.push(node);
      depth = Math.max(depth, d + 1);
    }
  }
  return checked({ node: { kind, children }, depth });
}

function checked(sized: Sized): Sized {
  if (sized.depth > MAX_DOMAIN_DEPTH) throw tooDeep();
  return sized;
}

function tooDeep(): DomainError {
  return new DomainError(`invalid domain: nested deeper than ${MAX_DOMAIN_DEPTH} levels`);
}

function normalizeLeaf(term: unknown, budget: Budget, level: number): Sized {
  if (!Array.isArray(term)) {
    throw new DomainError(`invalid domain: unexpected term ${describe(term)}; expected '&', '|', '!' or a leaf (path, operator, value)`);
  }
  if (term.length !== 3) {
    throw new DomainError(`invalid domain: a leaf must have 3 items (path, operator, value), got ${term.length} in ${describeLeaf(term)}`);
  }
  if (++budget.leaves > MAX_DOMAIN_LEAVES) {
    throw new DomainError(`invalid domain: more than ${MAX_DOMAIN_LEAVES} leaves`);
  }
  const [path, rawOperator, value] = term as [unknown, unknown, unknown];
  if ((path === 1 || path === 0) && rawOperator === '=' && value === 1) {
    return { node: path === 1 ? TRUE_DOMAIN : FALSE_DOMAIN, depth: 1 };
  }
  if (typeof path !== 'string' || !PATH.test(path)) {
    throw new DomainError(`invalid domain: invalid field path ${describe(path)} in leaf ${describeLeaf(term)}`);
  }
  const lowered = typeof rawOperator === 'string' ? rawOperator.trim().toLowerCase() : undefined;
  const operator = lowered === '<>' ? '!=' : lowered;
  if (operator === undefined || !OPERATORS.has(operator)) {
    throw new DomainError(`invalid domain: unknown operator ${describe(rawOperator)} in leaf ${describeLeaf(term)}`);
  }
  const op = operator as ComparisonOperator;
  const invalid = (expectation: string, hint = '') =>
    new DomainError(`invalid domain: operator '${op}' ${expectation} in leaf ${describeLeaf(term)}${hint}`);

  switch (op) {
    case 'any':
    case 'not any': {
      if (!Array.isArray(value)) throw invalid('expects a domain (a list of terms)');
      const sub = normalizeTerms(value, budget, level + 1);
      return checked({ node: { kind: 'leaf', path, operator: op, value: sub.node }, depth: sub.depth + 1 });
    }
    case 'in':
    case 'not in': {
      const list = Array.isArray(value) ? value : [value];
      if (!list.every(isScalar)) throw invalid('expects a list of strings, numbers, booleans or None');
      return { node: { kind: 'leaf', path, operator: op, value: [...list] }, depth: 1 };
    }
    case 'child_of':
    case 'parent_of': {
      const ids = Array.isArray(value) && value.every(isIdOrName) ? [...value] : isIdOrName(value) ? value : undefined;
      if (ids === undefined) throw invalid('expects an integer id, a name, or a list of them');
      return { node: { kind: 'leaf', path, operator: op, value: ids }, depth: 1 };
    }
    default: {
      if (Array.isArray(value)) {
        const hint = op === '=' ? "; use 'in'" : op === '!=' ? "; use 'not in'" : '';
        throw invalid('expects a single value, not a list,', hint);
      }
      if (!isScalar(value)) throw invalid('expects a string, a number, a boolean or None');
      return { node: { kind: 'leaf', path, operator: op, value }, depth: 1 };
    }
  }
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function isIdOrName(value: unknown): value is number | string {
  return typeof value === 'string' || Number.isSafeInteger(value);
}

/** A term as Python would print it, shortened, for error messages; never throws on odd JS values. */
function describe(value: unknown, depth = 0): string {
  let text: string;
  if (Array.isArray(value)) {
    text = depth >= 3 ? '[...]' : `[${value.map((v: unknown) => describe(v, depth + 1)).join(', ')}]`;
  } else if (isScalar(value)) {
    text = printPythonLiteral(value);
  } else {
    text = typeof value === 'number' ? String(value) : `<${typeof value}>`;
  }
  return text.length > 120 ? `${text.slice(0, 120)}...` : text;
}

function describeLeaf(term: readonly unknown[]): string {
  const items = term.slice(0, 5).map((v) => describe(v, 1));
  const text = `(${items.join(', ')}${term.length > 5 ? ', ...' : items.length === 1 ? ',' : ''})`;
  return text.length > 200 ? `${text.slice(0, 200)}...)` : text;
}
