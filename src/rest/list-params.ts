/**
 * Parses the query parameters of the REST routes (docs/rest-contract.md, "List" and "Retrieve") into typed
 * values, rejecting with a 400 that names the parameter what their route schema cannot express: a domain
 * that does not parse, a field name or an order term that is not one. Their shape (each given once;
 * `limit` and `offset` integers >= 0) is the schema's, checked by Fastify before the route runs
 * (route-schemas.ts). Domains are parsed here, before any backend sees them.
 */
import { parseDomain } from '../domain/parse-domain.js';
import { TRUE_DOMAIN, type DomainNode } from '../domain/types.js';
import { domainTextProblem } from '../input/text.js';
import { ApiError } from './api-error.js';
import { DEFAULT_LIMIT } from '../gateway/contract-types.js';

/** The list route's query parameters parsed and checked (`parseListParams`): a Backend search, and the page it answers. */
export interface ParsedListParams {
  readonly domain: DomainNode;
  readonly fields: string[] | undefined;
  readonly limit: number;
  readonly offset: number;
  readonly order: string | undefined;
}

/** The list route's query parameters, as its schema (route-schemas.ts, LIST_SCHEMA) lets them through. */
export interface ListQuery {
  readonly domain?: string;
  readonly fields?: string;
  readonly limit?: string;
  readonly offset?: string;
  readonly order?: string;
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ORDER_TERM = /^[A-Za-z_][A-Za-z0-9_]*(\s+(asc|desc))?(\s+nulls\s+(first|last))?$/i;

/** `limit` or `offset` (digits, blanks around them allowed, by the schema's pattern); the default when absent or blank. */
function count(text: string | undefined, fallback: number): number {
  return text === undefined || text.trim() === '' ? fallback : Number(text.trim());
}

/** `fields=a, b,c` to a list of names; undefined when absent (every readable field). */
export function parseFields(query: Pick<ListQuery, 'fields'>): string[] | undefined {
  const text = query.fields;
  if (text === undefined) return undefined;
  const names = text
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  for (const name of names) {
    if (!FIELD_NAME.test(name)) throw new ApiError(400, `query parameter 'fields': invalid field name '${name.slice(0, 60)}'`);
  }
  return names.length ? names : undefined;
}

export function parseListParams(query: ListQuery, maxLimit: number): ParsedListParams {
  const domainText = query.domain;
  let domain = TRUE_DOMAIN;
  if (domainText !== undefined && domainText.trim() !== '') {
    try {
      domain = parseDomain(domainText);
    } catch (error) {
      throw new ApiError(400, `query parameter 'domain': ${(error as Error).message}`);
    }
    // A string no record can hold (an unpaired surrogate, NUL) is refused rather than searched for.
    const problem = domainTextProblem(domain);
    if (problem) throw new ApiError(400, `query parameter 'domain': ${problem}`);
  }
  const orderText = query.order;
  let order: string | undefined;
  if (orderText !== undefined && orderText.trim() !== '') {
    const terms = orderText.split(',').map((t) => t.trim());
    for (const term of terms) {
      if (!ORDER_TERM.test(term)) {
        throw new ApiError(
          400,
          `query parameter 'order': invalid term '${term.slice(0, 60)}', expected 'field [asc|desc] [nulls first|last]'`,
        );
      }
    }
    order = terms.join(', ');
  }
  return {
    domain,
    fields: parseFields(query),
    limit: Math.min(count(query.limit, DEFAULT_LIMIT), maxLimit),
    offset: count(query.offset, 0),
    order,
  };
}
