/** Checks for models organised in a tree by `parent_id` (partners, partner tags). */
import type { ModelDefinition } from '../model-definition.js';

export type Constraint = NonNullable<ModelDefinition['constraints']>[number];

/**
 * Odoo's `_check_recursion` on `parent_id`: walking up from the record's new parent must never reach the
 * record again. Needs the record's `id`, so it only bites on write (a record being created has no children).
 */
export function noRecursiveParent(model: string, message: string): Constraint {
  return (record, lookup) => {
    const self = record.id;
    if (typeof self !== 'number') return null;
    const visited = new Set<number>();
    for (let parent = record.parent_id; typeof parent === 'number'; parent = lookup(model, parent, 'parent_id')) {
      if (parent === self || visited.has(parent)) return message;
      visited.add(parent);
    }
    return null;
  };
}
