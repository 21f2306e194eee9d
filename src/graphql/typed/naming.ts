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

/**
 * The enum value of an Odoo selection key: the key itself when it is a GraphQL name (`draft`), else `_`
 * and the key with every other character as `_` (`'0'` -> `_0`, `'no-message'` -> `_no_message`). The
 * SDL keeps such a key in `@odooValue(key: ...)`.
 */
export function enumValueName(key: string): string {
  if (GRAPHQL_NAME.test(key) && !key.startsWith('__') && !RESERVED_ENUM_VALUES.has(key)) return key;
  return `_${key.replace(/[^_0-9A-Za-z]/g, '_')}`;
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
