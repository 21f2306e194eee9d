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
 * - URL field (one per binary field): the binary field's name in camelCase followed by `Url`:
 *   `image_1920` -> `image1920Url`, `datas` -> `datasUrl`. It gives the path of the field's bytes
 *   (`/api/<slug>/<id>/<field>`), kept beside it in `@odooFile(field: ...)`. Collision-free as relation
 *   names are: it has an upper-case letter (no Odoo field name has one) and ends in `Url` (a relation's
 *   in `Record`/`Records`); two binary fields that differ only in underscores (`foo_1`, `foo1`) would meet,
 *   and `NameRegistry` then stops the build naming both.
 * - Enum value (one per selection key): the key itself when it is a GraphQL name starting with a letter,
 *   else `VALUE_` + the key (`'0'` -> `VALUE_0`), the key kept beside it in `@odooValue`. Every value starts
 *   with a letter and the values of one enum differ in more than case and underscores, so that codegen's
 *   naming conventions (pascalCase, camelCase, constantCase, upperCase, keep) leave TypeScript enum members
 *   that compile and stay distinct (`enumValueNames`).
 * - Business action (issue 17): a mutation per known method, `<verb><Type><rest>` from `ACTION_VERBS`
 *   (`action_confirm` on `sale.order` -> `confirmSaleOrder`, `action_set_lost` on `crm.lead` ->
 *   `markCrmLeadLost`), its keyword arguments in camelCase, a many2one's ending in `Id`
 *   (`lost_reason_id` -> `lostReasonId`). A method not in the table has no typed mutation (`callMethod`
 *   calls it).
 * - Grouped totals (issue 18): per model `saleOrderGroups(domain, groupBy, ...)` (the list query's name with
 *   `Groups` for `List`) returning `SaleOrderGroupPage`, whose groups are `SaleOrderGroup`s, their sums,
 *   averages, minima and maxima `SaleOrderGroupTotals`, and the keys `SaleOrderGroupBy`, an enum. These four
 *   type names are claimed after every model's own names: when one is taken (a model `sale.order.group`),
 *   the model has no typed groups rather than stop the build. In a group type the keys keep their Odoo
 *   names, and a relational key its relation field as one record (`partnerRecord`; a many2many's
 *   `tagRecord`, as a group holds one tag), beside `count`, `domain`, `records`, `sum`, `avg`, `min` and
 *   `max` (`GROUP_FIELDS`): an Odoo field of one of those names is not offered as a key.
 * - Group-by value (one per groupable field, and per granularity for dates and datetimes): the Odoo field
 *   name in upper case, followed for a date by `_` and the granularity in upper case: `stage_id` ->
 *   `STAGE_ID`, `date_order:month` -> `DATE_ORDER_MONTH`; `FIELD_` before a name that would not start with
 *   a letter (`_x` -> `FIELD__X`). The spec is kept beside it in `@odooGroupBy(spec: ...)`, which is what
 *   the resolvers map back by. Collision-free as selection values are: a value that would meet another one
 *   caselessly (a char field `date_order_month` beside `date_order:month`, `ab` beside `a_b`) gets `_2`,
 *   `_3`, ... after it (`groupByValueNames`), plain fields first, so a made date name yields to a field's;
 *   `NameRegistry` checks the result.
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

/** `CrmLead` -> `CrmLeadChange`: one change of a record (subscriptions, issue 19). */
export function changeTypeName(type: string): string {
  return `${type}Change`;
}

/** `CrmLead` -> `crmLeadChanges`: the Subscription field of a model's changes. */
export function changesSubscriptionName(type: string): string {
  return `${lowerFirst(type)}Changes`;
}

/** `SaleOrder` -> `saleOrderGroups` (grouped totals): the list query's name with `Groups` for `List`. */
export function groupsQueryName(type: string): string {
  return `${lowerFirst(type)}Groups`;
}

/** `SaleOrder` -> `SaleOrderGroup`: one group of grouped totals. */
export function groupTypeName(type: string): string {
  return `${type}Group`;
}

/** `SaleOrder` -> `SaleOrderGroupPage`: a page of groups. */
export function groupPageTypeName(type: string): string {
  return `${type}GroupPage`;
}

/** `SaleOrder` -> `SaleOrderGroupBy`: the enum of the group keys. */
export function groupByEnumName(type: string): string {
  return `${type}GroupBy`;
}

/** `SaleOrder` -> `SaleOrderGroupTotals`: a group's sums, averages, minima or maxima of the numeric fields. */
export function groupTotalsTypeName(type: string): string {
  return `${type}GroupTotals`;
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

/**
 * The verbs of Odoo's business methods: the mutation of `method` on type `T` is `${verb}T${object}`.
 *
 * A table and not a rule, because Odoo's method names are no grammar a rule could read: `action_` and
 * `button_` are accidents of the view the method was first a button of (`sale.order.action_confirm` and
 * `purchase.order.button_confirm` do the same), `action_quotation_sent` names the state it leaves rather
 * than what it does, `action_set_won` would give `setWonCrmLead` or `actionSetWonCrmLead`. A mutation name
 * is an API clients write into their code: each one here is chosen once and read in a review, and a
 * method Odoo adds tomorrow gets no name nobody chose (it stays callable through `callMethod`).
 */
export const ACTION_VERBS: Readonly<Record<string, { readonly verb: string; readonly object?: string }>> = Object.freeze({
  action_confirm: { verb: 'confirm' },
  button_confirm: { verb: 'confirm' },
  action_quotation_sent: { verb: 'mark', object: 'Sent' },
  action_cancel: { verb: 'cancel' },
  button_cancel: { verb: 'cancel' },
  action_draft: { verb: 'set', object: 'ToDraft' },
  button_draft: { verb: 'set', object: 'ToDraft' },
  action_set_won: { verb: 'mark', object: 'Won' },
  action_set_lost: { verb: 'mark', object: 'Lost' },
  action_assign: { verb: 'assign' },
  button_validate: { verb: 'validate' },
});

/** The mutation of a business method on a type (`action_confirm`, `SaleOrder` -> `confirmSaleOrder`); undefined for a method not in `ACTION_VERBS`. */
export function actionMutationName(type: string, method: string): string | undefined {
  if (!Object.hasOwn(ACTION_VERBS, method)) return undefined;
  const { verb, object = '' } = ACTION_VERBS[method]!;
  return `${verb}${type}${object}`;
}

/**
 * The argument of a business method's keyword argument: camelCase (`lost_reason_id` -> `lostReasonId`),
 * a many2one's ending in `Id` as it takes an id (`partner` -> `partnerId`).
 */
export function actionArgumentName(kwarg: string, many2one: boolean): string {
  const [first = '', ...rest] = words(kwarg);
  const name = `${first}${rest.map(upperFirst).join('')}`;
  return many2one && !name.endsWith('Id') ? `${name}Id` : name;
}

/** The relation field of a relational Odoo field (see the rule above). */
export function relationFieldName(field: string, many: boolean): string {
  const base = field.replace(/_ids?$/, '');
  const [first = '', ...rest] = words(base);
  return `${first}${rest.map(upperFirst).join('')}${many ? 'Records' : 'Record'}`;
}

/** The URL field of a binary Odoo field (see the rule above): `image_1920` -> `image1920Url`. */
export function fileUrlFieldName(field: string): string {
  const [first = '', ...rest] = words(field);
  return `${first}${rest.map(upperFirst).join('')}Url`;
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

/** The fields every group type has; an Odoo field of one of these names is no key of a typed group. */
export const GROUP_FIELDS: readonly string[] = Object.freeze(['count', 'domain', 'records', 'sum', 'avg', 'min', 'max']);

/** The group-by value a spec asks for (see the rule above): `date_order:month` -> `DATE_ORDER_MONTH`. */
export function groupByValueName(spec: string): string {
  const name = spec.replace(':', '_').toUpperCase();
  return /^[A-Z]/.test(name) ? name : `FIELD_${name}`;
}

/**
 * The group-by values of a model's specs (`stage_id`, `date_order:month`), in their order: `groupByValueName`
 * of each, and when one would meet another caselessly, `_2`, `_3`, ... after it. Plain fields are served
 * first, so a made date name yields to a field's own.
 */
export function groupByValueNames(specs: readonly string[]): string[] {
  const named = new Map<string, string>();
  const taken = new Set<string>();
  const ordered = [...specs.filter((spec) => !spec.includes(':')), ...specs.filter((spec) => spec.includes(':'))];
  for (const spec of ordered) {
    const base = groupByValueName(spec);
    let name = base;
    for (let n = 2; taken.has(caselessName(name)); n++) name = `${base}_${n}`;
    named.set(spec, name);
    taken.add(caselessName(name));
  }
  return specs.map((spec) => named.get(spec)!);
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
