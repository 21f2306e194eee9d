/**
 * `Date` and `DateTime` of the typed schema: graphql-scalars' RFC 3339 checks on the way in, Odoo's own
 * strings towards the gateway (`2025-09-05`, `2025-09-05 10:00:00` in UTC), and RFC 3339 on the way out
 * (`2025-09-05T10:00:00Z`). Their descriptions live in the SDL (generate-typed-sdl.ts). Every input error
 * is BAD_USER_INPUT, like the generic scalars'.
 */
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { GraphQLDate, GraphQLDateTime } from 'graphql-scalars';
import { badUserInput, coded } from '../errors.js';

const ODOO_DATETIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

/** A date input as Odoo writes it: checked by graphql-scalars' Date, passed on as given. */
function parseDate(value: unknown, nodes?: ValueNode): string {
  coded(() => GraphQLDate.parseValue(value), nodes);
  return value as string;
}

/** Odoo's `YYYY-MM-DD HH:MM:SS` (UTC) of a JavaScript date. */
function odooDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** A datetime input, RFC 3339 with any offset or Odoo's own UTC form, as Odoo's UTC string. */
function parseDateTime(value: unknown, nodes?: ValueNode): string {
  if (typeof value === 'string') {
    const odoo = ODOO_DATETIME.exec(value);
    if (odoo) return odooDateTime(coded(() => GraphQLDateTime.parseValue(`${odoo[1]}T${odoo[2]}Z`), nodes));
  }
  return odooDateTime(coded(() => GraphQLDateTime.parseValue(value), nodes));
}

/** A datetime from the gateway (Odoo's UTC string) as RFC 3339: `2025-09-05T10:00:00Z`. */
function serializeDateTime(value: unknown): string {
  if (typeof value === 'string') {
    const odoo = ODOO_DATETIME.exec(value);
    if (odoo) return `${odoo[1]}T${odoo[2]}Z`;
  }
  const date = GraphQLDateTime.serialize(value);
  return date.toISOString().replace('.000Z', 'Z');
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  serialize: (value) => GraphQLDate.serialize(value),
  parseValue: (value) => parseDate(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw badUserInput('Date expects a string such as "2025-09-05"', ast);
    return parseDate(ast.value, ast);
  },
  extensions: { jsonSchema: { type: 'string', format: 'date' } },
});

export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  serialize: serializeDateTime,
  parseValue: (value) => parseDateTime(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw badUserInput('DateTime expects a string such as "2025-09-05T10:00:00Z"', ast);
    return parseDateTime(ast.value, ast);
  },
  extensions: { jsonSchema: { type: 'string', format: 'date-time' } },
});

export const TYPED_SCALARS: Readonly<Record<string, GraphQLScalarType>> = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
};
