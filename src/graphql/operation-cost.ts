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
 * - Introspection fields (`__schema`, `__type`, `__typename`) cost nothing here: they have their own limits.
 *
 * Example: `{ a: records(slug: "sale_order", limit: 1000) { total results } }` costs
 * 1 (records) + 1 (total) + 1 + 1000 (results and its elements) = 1003.
 */
import {
  Kind, valueFromASTUntyped,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLSchema, type GraphQLType,
  type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';

// graphql ships CommonJS and ESM builds, and the schema may come from the other one (see errors.ts):
// its `isListType`-style predicates would throw on such a schema, so types are recognised by shape.

/** A type with fields (object or interface), or with member types (union). */
interface CompositeType {
  getFields?: () => Record<string, GraphQLField<unknown, unknown>>;
  getTypes?: () => unknown;
}

function isComposite(type: unknown): type is CompositeType {
  return typeof type === 'object' && type !== null && (typeof (type as CompositeType).getFields === 'function' || typeof (type as CompositeType).getTypes === 'function');
}

/** `[T]` or `[T]!`: a list, whatever its nullability. */
function isList(type: GraphQLType): boolean {
  return String(type).replace(/!$/, '').startsWith('[');
}

function namedType(type: GraphQLType): unknown {
  let current: unknown = type;
  while (typeof current === 'object' && current !== null && 'ofType' in current) current = (current as { ofType: unknown }).ofType;
  return current;
}

function fieldsOf(type: CompositeType): Record<string, GraphQLField<unknown, unknown>> {
  return type.getFields ? type.getFields() : {};
}

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

  const walk = (selectionSet: SelectionSetNode, parent: CompositeType, times: number, pageLimit: number | undefined, visiting: Set<string>): number => {
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
      let elements = times;
      cost += times;
      if (list) {
        const guess = times > 1 ? (options.nestedListSize ?? 10) : options.defaultListSize;
        elements = times * (ownLimit ?? pageLimit ?? clamp(guess));
        cost += elements;
      }
      const named = namedType(field.type);
      if (selection.selectionSet && isComposite(named)) {
        const innerPage = list ? undefined : ownLimit;
        cost += walk(selection.selectionSet, named, elements, innerPage, visiting);
      }
      // Costs far beyond any limit stop counting early (and stay finite).
      if (cost > Number.MAX_SAFE_INTEGER / 4) return cost;
    }
    return cost;
  };

  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  return isComposite(root) ? walk(operation.selectionSet, root, 1, undefined, new Set()) : 0;
}
