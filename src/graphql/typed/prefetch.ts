/**
 * Relations read ahead (issue 20): once a list query has its records, the relations its selection asks
 * for are read at once, one request per related model (as the resolvers' batches would make), each
 * relation's records then reading their own relations in turn, without waiting for the other relations
 * of their level. By the time graphql-js resolves each record's relation fields, the records are known
 * (record-loader.ts, `known`), so they resolve at once, without a promise per record and field.
 *
 * Reading ahead never fails the query: a read that fails is left to the records' resolvers, which get
 * its error (the batch keeps it, so it is not asked again), exactly as without reading ahead. What is
 * read is what the resolvers would read: the same fields (field-selection.ts), by the same batches.
 */
import type { FieldNode } from 'graphql';
import type { ContractRecord } from '../../gateway/contract-types.js';
import type { GraphQLContext } from '../context.js';
import { isMany2OneShape, serializeMany2One } from '../scalars.js';
import { odooFieldsOf, subfields, type SelectionScope } from './field-selection.js';
import type { TypedModel, TypedModels } from './read-typed-models.js';
import { operationRecords } from './record-loader.js';

/** True when a many2one's `{id, name}` answers these fields of its target: the id and its display name. */
export function answeredByLink(target: TypedModel, fields: readonly string[]): boolean {
  return fields.every((field) => field === 'display_name' || field === target.displayNameField);
}

/** The id a many2one value links to, if it is a link (`{id, name}` or `[id, name]`). */
function linkedId(value: unknown): number | undefined {
  return isMany2OneShape(value) ? serializeMany2One(value)?.id : undefined;
}

/** Reads the relations that `nodes` select on these records of `model`, and theirs; settles when all are read (or failed). */
export async function prefetchRelations(
  context: GraphQLContext,
  typed: TypedModels,
  model: TypedModel,
  records: readonly ContractRecord[],
  nodes: readonly FieldNode[],
  scope: SelectionScope,
): Promise<void> {
  if (records.length === 0) return;
  const reads: Array<Promise<void>> = [];
  for (const [name, fieldNodes] of subfields(nodes, scope)) {
    const relation = model.relations.get(name);
    const target = relation && typed.byType.get(relation.targetType);
    if (!relation || !target) continue;
    const fields = odooFieldsOf(target, fieldNodes, scope);
    if (!relation.many && answeredByLink(target, fields)) continue;
    const ids = new Set<number>();
    for (const record of records) {
      const value = record[relation.field];
      if (!relation.many) {
        const id = linkedId(value);
        if (id !== undefined) ids.add(id);
      } else if (Array.isArray(value)) {
        for (const id of value) if (typeof id === 'number') ids.add(id);
      }
    }
    if (ids.size === 0) continue;
    reads.push(
      operationRecords(context.gateway)
        .of(target)
        .loadMany([...ids], fields)
        .then((loaded) => prefetchRelations(context, typed, target, loaded, fieldNodes, scope)),
    );
  }
  await Promise.allSettled(reads);
}
