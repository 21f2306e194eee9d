/**
 * What a selection set needs from the gateway: the Odoo fields of the selected GraphQL fields, by name
 * (aliases, fragments and inline fragments merged, `@skip`/`@include` applied), a relation field
 * counting as its source field, `id`, `__typename` and a URL field (`image1920Url`, made from the id) as
 * nothing (the gateway always sends `id`).
 */
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';
import type { TypedModel } from './read-typed-models.js';

/** The parts of `GraphQLResolveInfo` a selection depends on besides the field nodes. */
export interface SelectionScope {
  readonly fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  readonly variableValues: Readonly<Record<string, unknown>>;
}

function included(node: FieldNode | FragmentSpreadNode | InlineFragmentNode, scope: SelectionScope): boolean {
  const variables = scope.variableValues as Record<string, unknown>;
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

function collect(set: SelectionSetNode | undefined, scope: SelectionScope, out: Map<string, FieldNode[]>, seen: Set<string>): void {
  for (const selection of set?.selections ?? []) {
    if (!included(selection, scope)) continue;
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      const nodes = out.get(name);
      if (nodes) nodes.push(selection);
      else out.set(name, [selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(selection.selectionSet, scope, out, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      collect(scope.fragments[selection.name.value]?.selectionSet, scope, out, seen);
    }
  }
}

/** The fields selected under these nodes (one field, maybe asked several times), by field name (not alias). */
export function subfields(nodes: readonly FieldNode[], scope: SelectionScope): Map<string, FieldNode[]> {
  const out = new Map<string, FieldNode[]>();
  const seen = new Set<string>();
  for (const node of nodes) collect(node.selectionSet, scope, out, seen);
  return out;
}

/**
 * The Odoo fields of `model` that a selection on it needs, sorted: its own fields as named, and the source
 * field of each relation field (`partnerRecord` needs `partner_id`). A URL field needs nothing (its binary
 * field is not read). Empty when only `id` (and URL fields) are asked.
 */
export function odooFieldsOf(model: TypedModel, nodes: readonly FieldNode[], scope: SelectionScope): string[] {
  const fields = new Set<string>();
  for (const name of subfields(nodes, scope).keys()) {
    if (model.fields.has(name)) fields.add(name);
    else {
      const relation = model.relations.get(name);
      if (relation) fields.add(relation.field);
    }
  }
  return [...fields].sort();
}
