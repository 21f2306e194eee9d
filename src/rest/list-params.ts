/**
 * Parses the query parameters of the REST routes (docs/rest-contract.md, "List" and "Retrieve") into typed
 * values, rejecting anything else with a 400 that names the parameter. Domains are parsed here, before
 * any backend sees them.
 */
import { parseDomain } from '../domain/parse-domain.js';
import { TRUE_DOMAIN, type DomainNode } from '../domain/types.js';
import { domainTextProblem } from '../input/text.js';
import { ApiError } from './api-error.js';

export interface ListParams {
  readonly domain: DomainNode;
  readonly fields: string[] | undefined;
  readonly limit: number;
  readonly offset: number;
  readonly order: string | undefined;
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ORDER_TERM = /^[A-Za-z_][A-Za-z0-9_]*(\s+(asc|desc))?(\s+nulls\s+(first|last))?$/i;
export const DEFAULT_LIMIT = 80;

type Query = Record<string, unknown>;

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ApiError(400, `query parameter '${name}' must be given once`);
  return value;
}

function nonNegativeInteger(query: Query, name: string, fallback: number): number {
  const text = single(query, name);
  if (text === undefined || text.trim() === '') return fallback;
  if (!/^\d{1,15}$/.test(text.trim())) throw new ApiError(400, `query parameter '${name}' must be an integer >= 0, got '${text.slice(0, 40)}'`);
  return Number(text.trim());
}

/** `fields=a, b,c` to a list of names; undefined when absent (every readable field). */
export function parseFields(query: Query): string[] | undefined {
  const text = single(query, 'fields');
  if (text === undefined) return undefined;
  const names = text.split(',').map((f) => f.trim()).filter((f) => f !== '');
  for (const name of names) {
    if (!FIELD_NAME.test(name)) throw new ApiError(400, `query parameter 'fields': invalid field name '${name.slice(0, 60)}'`);
  }
  return names.length ? names : undefined;
}

export function parseListParams(query: Query, maxLimit: number): ListParams {
  const domainText = single(query, 'domain');
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
  const orderText = single(query, 'order');
  let order: string | undefined;
  if (orderText !== undefined && orderText.trim() !== '') {
    const terms = orderText.split(',').map((t) => t.trim());
    for (const term of terms) {
      if (!ORDER_TERM.test(term)) {
        throw new ApiError(400, `query parameter 'order': invalid term '${term.slice(0, 60)}', expected 'field [asc|desc] [nulls first|last]'`);
      }
    }
    order = terms.join(', ');
  }
  return {
    domain,
    fields: parseFields(query),
    limit: Math.min(nonNegativeInteger(query, 'limit', DEFAULT_LIMIT), maxLimit),
    offset: nonNegativeInteger(query, 'offset', 0),
    order,
  };
}

/** A record id from the path: a positive integer, else 400. */
export function parseId(text: string): number {
  if (!/^[1-9]\d{0,14}$/.test(text)) throw new ApiError(400, `invalid record id '${text.slice(0, 40)}': expected a positive integer`);
  return Number(text);
}
