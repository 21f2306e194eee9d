/**
 * The names of the typed schema (README, "Typed GraphQL schema"). Odoo field names are kept as they
 * are; everything else is derived here, in one place, so the generator and the reader of the SDL agree.
 *
 * - Object type: the model name in PascalCase, `.` and `_` as word breaks: `sale.order` -> `SaleOrder`,
 *   `res.partner.category` -> `ResPartnerCategory`. Beside it `SaleOrderPage`, `SaleOrderInput`, and one
 *   enum per selection field, `SaleOrderState` (type name + field name in PascalCase).
 * - Root fields: `saleOrder(id)`, `saleOrderList(domain, limit, offset, order)`, `createSaleOrder`,
 *   `updateSaleOrder`, `deleteSaleOrder`.
 * - Relation field (the one rule): the relational field's name without a trailing `_id` or `_ids`, in
 *   camelCase, followed by `Record` for a many2one and `Records` for a one2many or many2many:
 *   `partner_id` -> `partnerRecord`, `order_line` -> `orderLineRecords`, `company_ids` -> `companyRecords`.
 *   Collision-free: every such name has an upper-case letter and Odoo field names have none, so it can
 *   never hide an Odoo field; and a many2one's name ends in `Record`, an x2many's in `Records`, so the two
 *   kinds never meet. Two relations of one kind could only meet if a model had both `foo` and `foo_id` as
 *   many2one: `NameRegistry` then stops the build naming both, rather than pick one.
 * - Enum value (one per selection key): the key itself when it is a GraphQL name starting with a letter,
 *   else `VALUE_` + the key (`'0'` -> `VALUE_0`), the key kept beside it in `@odooValue`. Every value starts
 *   with a letter and the values of one enum differ in more than case and underscores, so that codegen's
 *   naming conventions (pascalCase, camelCase, constantCase, upperCase, keep) leave TypeScript enum members
 *   that compile and stay distinct (`enumValueNames`).
 */

/** A GraphQL name (`/[_A-Za-z][_0-9A-Za-z]*\/`); `__`-prefixed names are reserved for introspection. */
export const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

function words(text: string): string[] {
  return text.split(/[._]+/).filter((word) => word !== '');
}

function upperFirst(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function lowerFirst(word: string): string {
  return word.charAt(0).toLowerCase() + word.slice(1);
}

/** `sale.order` -> `SaleOrder`. */
export function typeName(model: string): string {
  return words(model).map(upperFirst).join('');
}

export function pageTypeName(type: string): string {
  return `${type}Page`;
}

export function inputTypeName(type: string): string {
  return `${type}Input`;
}

/** The enum of a selection field: `SaleOrder` + `state` -> `SaleOrderState`. */
export function enumTypeName(type: string, field: string): string {
  return `${type}${words(field).map(upperFirst).join('')}`;
}

/** `SaleOrder` -> `saleOrder` (one record by id). */
export function singleQueryName(type: string): string {
  return lowerFirst(type);
}

/** `SaleOrder` -> `saleOrderList` (a page of records). */
export function listQueryName(type: string): string {
  return `${lowerFirst(type)}List`;
}

export function createMutationName(type: string): string {
  return `create${type}`;
}

export function updateMutationName(type: string): string {
  return `update${type}`;
}

export function deleteMutationName(type: string): string {
  return `delete${type}`;
}

/** The relation field of a relational Odoo field (see the rule above). */
export function relationFieldName(field: string, many: boolean): string {
  const base = field.replace(/_ids?$/, '');
  const [first = '', ...rest] = words(base);
  return `${first}${rest.map(upperFirst).join('')}${many ? 'Records' : 'Record'}`;
}

const RESERVED_ENUM_VALUES = new Set(['true', 'false', 'null']);

/** A selection key that is its own enum value: a GraphQL name that starts with a letter. */
const PLAIN_KEY = /^[A-Za-z][_0-9A-Za-z]*$/;

/**
 * The prefix of an enum value made from a selection key that cannot be one. A letter, so the value
 * starts with one whatever a codegen naming convention does to it (graphql-codegen's default,
 * change-case-all's `pascalCase`, drops underscores: `_0` became `0` there, a TypeScript enum member that
 * does not compile, `'0' = '_0'`, TS2452). A word rather than one letter, so that it reads as what it is;
 * upper case, so that it reads as no Odoo key does (Odoo's keys are lower case).
 */
const ENUM_VALUE_PREFIX = 'VALUE_';

/**
 * The enum value an Odoo selection key asks for: the key itself when it is a GraphQL name starting with a
 * letter (`draft`, `to_approve`); else `VALUE_` and the key with every character outside
 * `[_0-9A-Za-z]` as `_` (`'0'` -> `VALUE_0`, `'to approve'` -> `VALUE_to_approve`, `'true'` ->
 * `VALUE_true`). The SDL keeps such a key in `@odooValue(key: ...)`, which is what the resolvers map back
 * by. `enumValueNames` makes the names of one selection distinct.
 */
export function enumValueName(key: string): string {
  if (PLAIN_KEY.test(key) && !RESERVED_ENUM_VALUES.has(key)) return key;
  return `${ENUM_VALUE_PREFIX}${key.replace(/[^_0-9A-Za-z]/g, '_')}`;
}

/**
 * What every common naming convention keeps of a name: its letters, case aside, and its digits, in
 * order. `keep`, `pascalCase` (graphql-codegen's default), `camelCase`, `constantCase`, `snakeCase`,
 * `upperCase` and `lowerCase` change only the letters' case and where underscores stand, so two names
 * whose caseless forms differ stay two names under any of them.
 */
export function caselessName(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

/**
 * The enum values of one selection's keys, in the keys' order: `enumValueName` of each, and when a
 * made name would meet another value (the same caseless form: `'1-0'` and `'1_0'` are both `VALUE_1_0`,
 * `'0'` meets a key `value_0` under `pascalCase`), `_2`, `_3`, ... after it until it meets none. Keys
 * that are their own value are served first, so a made name yields to an Odoo key, never the reverse.
 * Two such keys that differ only in case or underscores (`draft`, `Draft`) are Odoo's own and stay.
 */
export function enumValueNames(keys: readonly string[]): string[] {
  const named = new Map<string, string>();
  const taken = new Set<string>();
  for (const key of keys) {
    if (enumValueName(key) !== key) continue;
    named.set(key, key);
    taken.add(caselessName(key));
  }
  for (const key of keys) {
    if (named.has(key)) continue;
    const base = enumValueName(key);
    let name = base;
    for (let n = 2; taken.has(caselessName(name)); n++) name = `${base}_${n}`;
    named.set(key, name);
    taken.add(caselessName(name));
  }
  return keys.map((key) => named.get(key)!);
}

/** Names given so far in one scope (the schema's types, one type's fields, one enum's values); a second claim throws. */
export class NameRegistry {
  readonly #owners = new Map<string, string>();

  constructor(private readonly scope: string) {}

  /** Claims `name` for `owner` (a phrase for the error message); throws naming both owners if it is taken. */
  claim(name: string, owner: string): string {
    const taken = this.#owners.get(name);
    if (taken !== undefined) {
      throw new Error(`typed GraphQL schema: the ${this.scope} name '${name}' would be both ${taken} and ${owner}`);
    }
    if (!GRAPHQL_NAME.test(name) || name.startsWith('__'))
      throw new Error(`typed GraphQL schema: '${name}' (${owner}) is not a GraphQL name`);
    this.#owners.set(name, owner);
    return name;
  }

  has(name: string): boolean {
    return this.#owners.has(name);
  }
}
