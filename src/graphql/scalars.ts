/**
 * The three custom scalars of the schema (README.md, "GraphQL"). Their descriptions live in the SDL
 * (`schema/scalars.graphql`); here is their behaviour. Every input error is a `BAD_USER_INPUT`
 * GraphQL error raised while the operation is validated or its variables coerced, so an invalid
 * input never reaches the gateway.
 */
import { GraphQLScalarType, Kind, print, valueFromASTUntyped, type ValueNode } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { DomainError } from '../domain/domain-error.js';
import { domainFromJson, parseDomain } from '../domain/parse-domain.js';
import { printDomain } from '../domain/print-domain.js';
import { isDomainNode, type DomainNode } from '../domain/types.js';
import { findJsonFlaw, jsonFlawMessage } from '../input/json-scan.js';
import { domainTextProblem } from '../input/text.js';
import { badUserInput, coded } from './errors.js';

/** The output form of a many2one: the record's id and display name. */
export interface Many2OneValue {
  readonly id: number;
  readonly name: string;
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function brief(value: unknown): string {
  let text: string;
  try {
    const json = JSON.stringify(value) as string | undefined; // undefined for undefined, a function or a symbol
    text = json ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

/** True for the contract's expanded many2one `{id, name}` (exactly those keys) and Odoo's `[id, name]` pair. */
export function isMany2OneShape(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 2 && isId(value[0]) && typeof value[1] === 'string';
  if (!isObject(value)) return false;
  let keys = 0;
  for (const key in value) {
    if (key !== 'id' && key !== 'name') return false;
    keys++;
  }
  return keys === 2 && isId(value.id) && typeof value.name === 'string';
}

/**
 * Many2One output: `{id, name}` from the contract's `{id, name}` or Odoo's `[id, name]`; `false`
 * (Odoo's "not set") and null become null. An already canonical `{id, name}` is returned as is.
 */
export function serializeMany2One(value: unknown): Many2OneValue | null {
  if (value === false || value === null || value === undefined) return null;
  if (Array.isArray(value) && isMany2OneShape(value)) return { id: value[0] as number, name: value[1] as string };
  if (isMany2OneShape(value)) return value as unknown as Many2OneValue;
  throw createGraphQLError(`Many2One cannot represent ${brief(value)}: expected {id, name}, [id, name], false or null`);
}

/**
 * Many2One input: an id (`12`), `{id: 12}` (a `name` beside it is ignored, so an output value can be
 * sent back), `null` or `false` to clear. Returns the id, or null. Anything else is BAD_USER_INPUT.
 */
export function parseMany2One(value: unknown, where = 'Many2One'): number | null {
  if (value === null || value === false) return null;
  if (isId(value)) return value;
  if (isObject(value)) {
    const extra = Object.keys(value).filter((key) => key !== 'id' && key !== 'name');
    if (isId(value.id) && extra.length === 0 && (value.name === undefined || typeof value.name === 'string')) return value.id;
  }
  throw badUserInput(`${where} expects a record id (a positive integer), {"id": <id>} or null; got ${brief(value)}`);
}

export const Many2OneScalar = new GraphQLScalarType({
  name: 'Many2One',
  serialize: serializeMany2One,
  parseValue: (value) => parseMany2One(value),
  parseLiteral: (ast, variables) => parseMany2One(valueFromASTUntyped(ast, variables ?? undefined)),
  extensions: { jsonSchema: { oneOf: [{ type: 'integer', minimum: 1 }, { type: 'object', required: ['id'] }, { type: 'null' }] } },
});

function domainInput(parse: () => DomainNode, nodes?: ValueNode): DomainNode {
  let domain: DomainNode;
  try {
    domain = parse();
  } catch (error) {
    if (error instanceof DomainError) throw badUserInput(error.message, nodes);
    throw error;
  }
  // As the REST `domain` parameter (src/rest/list-params.ts): no string a record could not hold.
  const problem = domainTextProblem(domain);
  if (problem) throw badUserInput(`Domain: ${problem}`, nodes);
  return domain;
}

/**
 * Domain input: a Python-literal string exactly as the REST `domain` parameter takes it
 * (`[('state', '=', 'sale')]`), or a JSON list (`[["state", "=", "sale"]]`). Parsed and normalised
 * by src/domain, so an invalid domain is BAD_USER_INPUT naming the position or the term; the value
 * handed to resolvers is the normalised `DomainNode`, printed back to Python for the gateway.
 */
export function parseDomainInput(value: unknown, nodes?: ValueNode): DomainNode {
  if (typeof value === 'string') return domainInput(() => parseDomain(value), nodes);
  if (Array.isArray(value)) return domainInput(() => domainFromJson(value), nodes);
  throw badUserInput(
    `Domain expects a Python-literal string such as "[('state', '=', 'sale')]" or a JSON list such as [["state", "=", "sale"]]; got ${brief(value)}`,
    nodes,
  );
}

export const DomainScalar = new GraphQLScalarType<DomainNode, string>({
  name: 'Domain',
  serialize(value) {
    if (isObject(value) && isDomainNode(value as DomainNode)) return printDomain(value as unknown as DomainNode);
    return printDomain(parseDomainInput(value));
  },
  parseValue: (value) => parseDomainInput(value),
  parseLiteral(ast, variables) {
    if (ast.kind === Kind.STRING) return parseDomainInput(ast.value, ast);
    if (ast.kind === Kind.LIST) return parseDomainInput(valueFromASTUntyped(ast, variables ?? undefined), ast);
    throw badUserInput(`Domain expects a string or a list, got ${print(ast)}`, ast);
  },
  extensions: { jsonSchema: { oneOf: [{ type: 'string' }, { type: 'array' }] } },
});

/** graphql-scalars' JSONObject, with its input errors coded BAD_USER_INPUT. */
const jsonObject = GraphQLJSONObject.toConfig();

/**
 * Nesting and text as REST bodies allow (src/input/json-scan.ts). A variable was already checked with the
 * request body (src/rest/json-body-checks.ts); a literal written in the operation was not.
 */
function checkedJson(value: unknown, what: string, nodes?: ValueNode): unknown {
  const flaw = findJsonFlaw(value);
  if (flaw) throw badUserInput(jsonFlawMessage(what, flaw), nodes);
  return value;
}

export const JSONObjectScalar = new GraphQLScalarType({
  ...jsonObject,
  parseValue: (value) =>
    checkedJson(
      coded(() => jsonObject.parseValue(value)),
      'JSONObject value',
    ),
  parseLiteral: (ast, variables) =>
    checkedJson(
      coded(() => jsonObject.parseLiteral(ast, variables), ast),
      'JSONObject value',
      ast,
    ),
});

/** graphql-scalars' JSON (any value), with the same checks as JSONObject. */
const jsonValue = GraphQLJSON.toConfig();

export const JSONScalar = new GraphQLScalarType({
  ...jsonValue,
  parseValue: (value) =>
    checkedJson(
      coded((): unknown => jsonValue.parseValue(value)),
      'JSON value',
    ),
  parseLiteral: (ast, variables) =>
    checkedJson(
      coded((): unknown => jsonValue.parseLiteral(ast, variables), ast),
      'JSON value',
      ast,
    ),
});

export const SCALARS: Readonly<Record<string, GraphQLScalarType>> = {
  Many2One: Many2OneScalar,
  Domain: DomainScalar,
  JSONObject: JSONObjectScalar,
  JSON: JSONScalar,
};
