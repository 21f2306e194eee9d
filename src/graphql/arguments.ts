/**
 * Checks of the root fields' arguments that need no data: what the REST contract would refuse anyway
 * (docs/rest-contract.md, "List", "Retrieve", "Create / Update") is refused here with BAD_USER_INPUT, so no
 * request leaves for an input already known to be invalid. What needs the data (does this field exist,
 * is this value valid for it) is the gateway's to say.
 */
import { maxHeaderSize } from 'node:http';
import { printDomain } from '../domain/print-domain.js';
import type { DomainNode } from '../domain/types.js';
import type { ListQueryParams } from '../gateway/contract-types.js';
import { listQuery, readQuery } from '../gateway/rest-gateway.js';
import { badUserInput, notFound } from './errors.js';
import { parseMany2One } from './scalars.js';

const SLUG = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ORDER_TERM = /^[A-Za-z_][A-Za-z0-9_]*(\s+(asc|desc))?(\s+nulls\s+(first|last))?$/i;
const MAX_SLUG_LENGTH = 128;

/**
 * Longest path and query string a read may send to the gateway, in bytes. Reads are GETs with the domain
 * in the URL, and an HTTP server refuses a request line and headers above its limit (Node's
 * `http.maxHeaderSize`, 16 KiB unless `--max-http-header-size` says otherwise: 431 above; this
 * process's own REST routes are such a server). What would not fit is the caller's input, refused here
 * naming the limit instead of failing at the gateway as BAD_GATEWAY; 2 KiB stay for the request line's
 * method and version and the headers the gateway client sends (credentials, request id, tags).
 */
export const MAX_GATEWAY_URL_BYTES = maxHeaderSize - 2048;

const SHORTER: Readonly<Record<string, string>> = {
  domain: "fewer or shorter terms; split a long 'in' list over several queries",
  fields: 'fewer fields',
};

/**
 * Refuses a read whose URL (`path?query`, already encoded: one byte a character) would be above
 * MAX_GATEWAY_URL_BYTES, naming its longest parameter.
 */
export function checkGatewayUrl(path: string, query: string): void {
  const length = path.length + 1 + query.length;
  if (length <= MAX_GATEWAY_URL_BYTES) return;
  const longest = query.split('&').reduce((a, b) => (b.length > a.length ? b : a), '');
  const name = longest.slice(0, longest.indexOf('='));
  throw badUserInput(
    `the request to the REST gateway would be a URL of ${length} bytes, above the limit of ${MAX_GATEWAY_URL_BYTES} bytes: ` +
      `'${name}' is too long (${SHORTER[name] ?? 'shorten it'})`,
  );
}

/** `GET /api/<slug>/<id>?fields=...` checked for size (checkGatewayUrl); the fields as checkFields gives them. */
export function checkReadFields(slug: string, id: number, fields: readonly string[] | undefined): readonly string[] | undefined {
  checkGatewayUrl(`/api/${encodeURIComponent(slug)}/${id}`, readQuery(fields));
  return fields;
}

/**
 * A slug (`sale_order`) or dotted model name (`sale.order`). Anything else names no model: NOT_FOUND
 * with the contract's message, as `GET /api/<slug>` would answer, without asking.
 */
export function checkSlug(slug: string): string {
  if (slug.length <= MAX_SLUG_LENGTH && SLUG.test(slug)) return slug;
  const shown = slug.length > 60 ? `${slug.slice(0, 60)}...` : slug;
  throw notFound(`unknown model '${shown}'`);
}

/** A record id: a positive integer (GraphQL's `Int` already excludes fractions and > 2^31). */
export function checkId(id: number): number {
  if (Number.isSafeInteger(id) && id > 0) return id;
  throw badUserInput(`invalid record id ${id}: expected a positive integer`);
}

/** Field names, trimmed, empty ones dropped; undefined (every readable field) when none is left. */
export function checkFields(fields: readonly string[] | null | undefined): string[] | undefined {
  if (!fields) return undefined;
  const names = fields.map((f) => f.trim()).filter((f) => f !== '');
  for (const name of names) {
    if (!FIELD_NAME.test(name)) throw badUserInput(`invalid field name '${name.slice(0, 60)}' in 'fields'`);
  }
  return names.length ? names : undefined;
}

function nonNegative(name: string, value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (value < 0) throw badUserInput(`'${name}' must be an integer >= 0, got ${value}`);
  return value;
}

/** `field [asc|desc] [nulls first|last]`, comma-separated, as the contract's `order` parameter. */
export function checkOrder(order: string | null | undefined): string | undefined {
  if (order === null || order === undefined || order.trim() === '') return undefined;
  const terms = order.split(',').map((t) => t.trim());
  for (const term of terms) {
    if (!ORDER_TERM.test(term)) {
      throw badUserInput(`invalid term '${term.slice(0, 60)}' in 'order': expected 'field [asc|desc] [nulls first|last]'`);
    }
  }
  return terms.join(', ');
}

export interface RecordsArgs {
  readonly slug: string;
  readonly domain?: DomainNode | null;
  readonly fields?: readonly string[] | null;
  readonly limit?: number | null;
  readonly offset?: number | null;
  readonly order?: string | null;
}

/**
 * The `records` arguments as the gateway's list parameters; the always-true domain is not sent. A URL
 * too long for the gateway (a domain of 20,000 ids) is BAD_USER_INPUT (checkGatewayUrl).
 */
export function listParams(args: RecordsArgs): ListQueryParams {
  const fields = checkFields(args.fields);
  const limit = nonNegative('limit', args.limit);
  const offset = nonNegative('offset', args.offset);
  const order = checkOrder(args.order);
  const domain = args.domain && args.domain.kind !== 'true' ? printDomain(args.domain) : undefined;
  const params: ListQueryParams = {
    ...(domain !== undefined && { domain }),
    ...(fields && { fields }),
    ...(limit !== undefined && { limit }),
    ...(offset !== undefined && { offset }),
    ...(order !== undefined && { order }),
  };
  // Measured with a limit, as a page that only counts is sent with `limit=0` (page-selection.ts).
  checkGatewayUrl(`/api/${encodeURIComponent(args.slug)}`, listQuery({ ...params, limit: params.limit ?? 0 }));
  return params;
}

/**
 * `values` of createRecord/updateRecord in the contract's write shape: field names checked, and every
 * top-level object value read as a Many2One input (`{"id": 12}` becomes `12`): in Odoo's values an
 * object at the top level can only be a many2one. Lists (x2many ids or command triples) pass as given.
 */
export function writeValues(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(values)) {
    if (!FIELD_NAME.test(key)) throw badUserInput(`invalid field name '${key.slice(0, 60)}' in 'values'`);
    const value = values[key];
    out[key] = typeof value === 'object' && value !== null && !Array.isArray(value) ? parseMany2One(value, `values.${key}`) : value;
  }
  return out;
}
