/**
 * Compiles an Odoo order spec (`date_order desc, id desc`, optionally `nulls first|last`) into an
 * SQLite ORDER BY clause. Only stored fields are accepted; a many2one orders by the comodel's display
 * name. NULLs sort as on PostgreSQL (last ascending, first descending) unless told otherwise, and `id`
 * ends every order so that pages are stable. Anything else is an InvalidQueryError naming the term.
 */
import { InvalidQueryError } from '../../errors.js';
import type { ModelInfo, Registry } from '../registry.js';
import { ident } from './sql-fragment.js';

const TERM = /^([a-z_][a-z0-9_]*)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?$/i;

export function compileOrder(registry: Registry, model: ModelInfo, alias: string, spec: string): string {
  const terms = spec.split(',').map((t) => t.trim().replace(/\s+/g, ' '));
  const out: string[] = [];
  let hasId = false;
  for (const term of terms) {
    const match = TERM.exec(term);
    if (!match) throw new InvalidQueryError(`Invalid order term '${term}': expected 'field [asc|desc] [nulls first|last]'`);
    const [, name, dir, nulls] = match as unknown as [string, string, string | undefined, string | undefined];
    const field = model.fields.get(name);
    if (!field || field.internal) throw new InvalidQueryError(`Invalid order: unknown field '${name}' on model ${model.name}`);
    if (!field.column || field.type === 'binary') {
      throw new InvalidQueryError(`Invalid order: field '${name}' on model ${model.name} is not stored and cannot be sorted on`);
    }
    const direction = (dir ?? 'asc').toUpperCase();
    // PostgreSQL's NULL placement, spelled out only where NULLs can occur: an explicit NULLS clause
    // keeps SQLite from walking an index in order.
    const canBeNull = name !== 'id' && !field.required;
    const nullsClause = nulls ? ` NULLS ${nulls.toUpperCase()}` : canBeNull ? (direction === 'ASC' ? ' NULLS LAST' : ' NULLS FIRST') : '';
    let expression = `${alias}.${ident(field.column)}`;
    if (field.type === 'many2one') {
      const comodel = registry.model(field.relation!);
      const recName = comodel.fields.get(comodel.recName)!;
      expression = `(SELECT o.${ident(recName.column ?? 'id')} FROM ${ident(comodel.table)} o WHERE o."id" = ${expression})`;
    }
    if (name === 'id') hasId = true;
    out.push(`${expression} ${direction}${nullsClause}`);
  }
  if (!hasId) out.push(`${alias}."id"`);
  return out.join(', ');
}
