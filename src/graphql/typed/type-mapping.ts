/**
 * Odoo field types to GraphQL types, both ways (the generator writes them, the reader of the SDL reads
 * them back):
 *
 * | Odoo                          | kind       | GraphQL output | input      |
 * |-------------------------------|------------|----------------|------------|
 * | char, text, html, binary      | string     | String         | String     |
 * | integer                       | integer    | Int            | Int        |
 * | float, monetary               | float      | Float          | Float      |
 * | boolean                       | boolean    | Boolean        | Boolean    |
 * | date                          | date       | Date           | Date       |
 * | datetime                      | datetime   | DateTime       | DateTime   |
 * | selection                     | selection  | <Type><Field>  | same enum  |
 * | many2one                      | many2one   | Many2One       | Many2One   |
 * | one2many, many2many           | x2many     | [Int!] (ids)   | [Int!]     |
 *
 * Every field is nullable (Odoo's `false` is null; a field the caller may not read is an error on that
 * field alone, which needs a nullable field), except `id: Int!`.
 */

export type FieldKind = 'string' | 'integer' | 'float' | 'boolean' | 'date' | 'datetime' | 'selection' | 'many2one' | 'x2many';

const KIND_OF_ODOO_TYPE: Readonly<Record<string, FieldKind>> = {
  char: 'string',
  text: 'string',
  html: 'string',
  binary: 'string',
  integer: 'integer',
  float: 'float',
  monetary: 'float',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  selection: 'selection',
  many2one: 'many2one',
  one2many: 'x2many',
  many2many: 'x2many',
};

/** The kind of an Odoo field type, or undefined for a type the typed schema leaves out. */
export function kindOfOdooType(type: string): FieldKind | undefined {
  return Object.hasOwn(KIND_OF_ODOO_TYPE, type) ? KIND_OF_ODOO_TYPE[type] : undefined;
}

const SCALAR_OF_KIND: Readonly<Record<Exclude<FieldKind, 'selection' | 'x2many'>, string>> = {
  string: 'String',
  integer: 'Int',
  float: 'Float',
  boolean: 'Boolean',
  date: 'Date',
  datetime: 'DateTime',
  many2one: 'Many2One',
};

/** The GraphQL type (SDL text) of a field of this kind; `enumName` for a selection. Output and input alike. */
export function graphQLTypeOf(kind: FieldKind, enumName?: string): string {
  if (kind === 'x2many') return '[Int!]';
  if (kind === 'selection') {
    if (enumName === undefined) throw new Error('a selection field needs its enum name');
    return enumName;
  }
  return SCALAR_OF_KIND[kind];
}

const KIND_OF_SCALAR: ReadonlyMap<string, FieldKind> = new Map(
  Object.entries(SCALAR_OF_KIND).map(([kind, scalar]) => [scalar, kind as FieldKind]),
);

/**
 * The kind of a field read back from the SDL: its named type (list wrappers removed), whether it is a
 * list, and whether that name is an enum of the document. Undefined when no kind has that GraphQL type.
 */
export function kindOfGraphQLType(named: string, list: boolean, isEnum: boolean): FieldKind | undefined {
  if (list) return named === 'Int' ? 'x2many' : undefined;
  if (isEnum) return 'selection';
  return KIND_OF_SCALAR.get(named);
}
