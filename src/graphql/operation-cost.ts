/**
 * The cost of a GraphQL operation: roughly how many values it can make the server produce, with list
 * sizes taken from `limit` arguments, so that one request cannot ask for a million records through
 * aliases and nested lists. Pure: a document, the schema and the variables in, a number out.
 *
 * - Every field costs 1 per time it is resolved; a field inside a list is resolved once per element.
 * - A field returning a list has as many elements as its own `limit` argument says; without one, the
 *   `limit` of the field it sits in (a page: `records(limit: 50) { results }`); without either,
 *   `defaultListSize` (the REST default page, 80) — or, for a list inside the elements of another list
 *   (a relation of each record), `nestedListSize` (10).
 * - A `limit` is read from the literal, the variable's value (or its default), or the argument's default
 *   in the schema; it is clamped to [0, maxListSize] (`MAX_LIMIT`, as the REST routes clamp it).
 * - A page (a field with a `limit` argument that is not a list: `records`, `saleOrderList`) is one
 *   `GET /api/<slug>`, and the REST list route counts the matching rows for `total` on every one of
 *   them: it costs `countCost` more, whatever is selected. Its rows cost only when they are read
 *   (page-selection.ts): `results`' elements as above, or the page's `limit` when `count` or `limit`
 *   needs them without `results`; a page asking only `total` is sent with `limit=0` and costs no row.
 * - A typed group's records (`records(limit, offset, order)` of a type with `@odooGroup`, typed-groups.ts)
 *   are read for every group of the level at once: one `GET /api/<slug>` per level, so `countCost` once,
 *   and their elements as above (`limit`, or its default in the schema, per group). With an `order`
 *   argument it may be a request per group (each listed by its domain): `countCost` per group.
 * - Introspection fields (`__schema`, `__type`, `__typename`) cost nothing here: they have their own limits.
 *
 * Example: `{ a: records(slug: "sale_order", limit: 1000) { total results } }` costs
 * 1 (records) + 100 (its count) + 1 (total) + 1 + 1000 (results and its elements) = 1103;
 * `{ a: records(slug: "sale_order", limit: 1000) { total } }` costs 1 + 100 + 1 = 102.
 */
import {
  Kind,
  OperationTypeNode,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type GraphQLType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { readsRows } from './page-selection.js';

// graphql ships CommonJS and ESM builds, and the schema may come from the other one (see errors.ts):
// its `isListType`-style predicates would throw on such a schema, so types are recognised by shape.

/** A type with fields (object or interface), or with member types (union). */
interface CompositeType {
  getFields?: () => Record<string, GraphQLField<unknown, unknown>>;
  getTypes?: () => unknown;
}

function isComposite(type: unknown): type is CompositeType {
  return (
    typeof type === 'object' &&
    type !== null &&
    (typeof (type as CompositeType).getFields === 'function' || typeof (type as CompositeType).getTypes === 'function')
  );
}

/** `[T]` or `[T]!`: a list, whatever its nullability. */
function isList(type: GraphQLType): boolean {
  return String(type).replace(/!$/, '').startsWith('[');
}

function namedType(type: GraphQLType): unknown {
  let current: unknown = type;
  while (typeof current === 'object' && current !== null && 'ofType' in current) current = current.ofType;
  return current;
}

/** A typed group (`@odooGroup`, typed-groups.ts), whose `records` are read for every group of a level at once. */
function isGroupType(type: CompositeType): boolean {
  const node = (type as { astNode?: { directives?: ReadonlyArray<{ name: { value: string } }> } | null }).astNode;
  return node?.directives?.some((directive) => directive.name.value === 'odooGroup') ?? false;
}

function fieldsOf(type: CompositeType): Record<string, GraphQLField<unknown, unknown>> {
  return type.getFields ? type.getFields() : {};
}

/**
 * The names of the fields a selection set selects, fragments followed. Directives are not applied (this
 * runs before the variables are checked), so a field under `@skip` counts, as it does in the walk below.
 */
function selectedNames(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  out = new Set<string>(),
  seen = new Set<string>(),
): Set<string> {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) out.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) selectedNames(selection.selectionSet, fragments, out, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) selectedNames(fragment.selectionSet, fragments, out, seen);
    }
  }
  return out;
}

/**
 * What a page's count costs, in rows read. Measured on this project's 2-core machine (REST list, median
 * of 30): asked with `limit=0`, a request that only counts takes ~1.1 ms on the demo's 599 order lines,
 * where a row read takes 8-15 µs (so ~100 rows), and ~10 ms on a table of 100,000 leads (~1000 rows).
 */
export const DEFAULT_COUNT_COST = 100;

export interface CostOptions {
  /** List size when no `limit` says it. */
  readonly defaultListSize: number;
  /**
   * List size of a list with no `limit` inside the element of another list: a relation of each record
   * (`orderLineRecords` of every order) holds a few records, not a page. Default 10.
   */
  readonly nestedListSize?: number;
  /** Largest list size counted (larger `limit`s are clamped, as the REST routes clamp them). */
  readonly maxListSize: number;
  /** What the count every page request makes costs (`total`). Default `DEFAULT_COUNT_COST`. */
  readonly countCost?: number;
}

/** The operation a request runs: the named one, or the only one. */
export function selectOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return operations.find((o) => o.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  options: CostOptions,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const variableDefaults = new Map<string, unknown>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variableDefaults.set(definition.variable.name.value, valueFromASTUntyped(definition.defaultValue));
  }
  const clamp = (value: number) => Math.min(Math.max(0, Math.floor(value)), options.maxListSize);
  const countCost = options.countCost ?? DEFAULT_COUNT_COST;

  /** The field's `limit`, if it has that argument and a numeric value for it. */
  const limitOf = (node: FieldNode, parent: CompositeType): number | undefined => {
    const definition = fieldsOf(parent)[node.name.value]?.args.find((a) => a.name === 'limit');
    if (!definition) return undefined;
    const argument = node.arguments?.find((a) => a.name.value === 'limit');
    let value: unknown = definition.defaultValue;
    if (argument) {
      if (argument.value.kind === Kind.VARIABLE) {
        const name = argument.value.name.value;
        value = variables && name in variables ? variables[name] : variableDefaults.get(name);
      } else {
        value = valueFromASTUntyped(argument.value);
      }
    }
    return typeof value === 'number' && Number.isFinite(value) ? clamp(value) : undefined;
  };

  const walk = (
    selectionSet: SelectionSetNode,
    parent: CompositeType,
    times: number,
    pageLimit: number | undefined,
    visiting: Set<string>,
  ): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (isComposite(condition)) cost += walk(selection.selectionSet, condition, times, pageLimit, visiting);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        const condition = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !isComposite(condition) || visiting.has(name)) continue;
        visiting.add(name);
        cost += walk(fragment.selectionSet, condition, times, pageLimit, visiting);
        visiting.delete(name);
        continue;
      }
      if (selection.name.value.startsWith('__')) continue;
      const field = fieldsOf(parent)[selection.name.value];
      if (!field) continue;
      const ownLimit = limitOf(selection, parent);
      const list = isList(field.type);
      const guess = times > 1 ? (options.nestedListSize ?? 10) : options.defaultListSize;
      let elements = times;
      cost += times;
      if (list) {
        elements = times * (ownLimit ?? pageLimit ?? clamp(guess));
        cost += elements;
        if (isGroupType(parent) && field.args.some((a) => a.name === 'limit')) {
          // A group's records: one request for the level, or one per group when ordered (see above).
          const ordered = selection.arguments?.some((a) => a.name.value === 'order' && a.value.kind !== Kind.NULL) ?? false;
          cost += (ordered ? times : 1) * countCost;
        }
      }
      const named = namedType(field.type);
      if (selection.selectionSet && isComposite(named)) {
        if (!list && field.args.some((a) => a.name === 'limit')) {
          // A page: its count always; its rows here when they are read but no list below counts them.
          cost += times * countCost;
          const selected = [...selectedNames(selection.selectionSet, fragments)];
          const inner = fieldsOf(named);
          const listed = selected.some((name) => inner[name] !== undefined && isList(inner[name].type));
          if (readsRows(selected) && !listed) cost += times * (ownLimit ?? clamp(guess));
        }
        const innerPage = list ? undefined : ownLimit;
        cost += walk(selection.selectionSet, named, elements, innerPage, visiting);
      }
      // Costs far beyond any limit stop counting early (and stay finite).
      if (cost > Number.MAX_SAFE_INTEGER / 4) return cost;
    }
    return cost;
  };

  const root =
    operation.operation === OperationTypeNode.MUTATION
      ? schema.getMutationType()
      : operation.operation === OperationTypeNode.SUBSCRIPTION
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  return isComposite(root) ? walk(operation.selectionSet, root, 1, undefined, new Set()) : 0;
}
