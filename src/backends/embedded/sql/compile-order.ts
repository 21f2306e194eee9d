/**
 * Compiles an Odoo order spec (`date_order desc, id desc`, optionally `nulls first|last`) into an
 * SQLite ORDER BY clause. Only stored fields are accepted; a many2one orders by the comodel's own
 * `_order`, as in Odoo 17 (`stage_id` by stage sequence). NULLs sort as on PostgreSQL (last ascending, first descending) unless told otherwise, and `id`
 * ends every order so that pages are stable. Anything else is an InvalidQueryError naming the term.
 */
import { AccessError, InvalidQueryError } from '../../errors.js';
import type { FieldInfo, RegistryModel, Registry } from '../registry.js';
import { fieldSql } from '../i18n/translated-sql.js';
import { ident } from './sql-fragment.js';

const TERM = /^([a-z_][a-z0-9_]*)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?$/i;

/**
 * `canReadField` is the caller's field-level access (default: every field): sorting on a field the caller
 * may not read would leak its values through the order of the rows, so it is an AccessError naming it.
 * `lang` (a language other than en_US, see i18n/languages.ts `translationLang`): translatable fields sort
 * by their value in it, falling back to en_US, as Odoo 17 (`_order_field_to_sql` over `_field_to_sql`).
 */
export function compileOrder(
  registry: Registry,
  model: RegistryModel,
  alias: string,
  spec: string,
  canReadField: (field: FieldInfo) => boolean = () => true,
  lang?: string,
): string {
  const terms = spec.split(',').map((t) => t.trim().replace(/\s+/g, ' '));
  const out: string[] = [];
  let hasId = false;
  for (const term of terms) {
    const match = TERM.exec(term);
    if (!match) throw new InvalidQueryError(`Invalid order term '${term}': expected 'field [asc|desc] [nulls first|last]'`);
    const [, name, dir, nulls] = match as unknown as [string, string, string | undefined, string | undefined];
    const field = model.fields.get(name);
    if (!field || field.internal) throw new InvalidQueryError(`Invalid order: unknown field '${name}' on model ${model.name}`);
    if (!canReadField(field)) {
      throw new AccessError(`You do not have enough rights to access the field "${name}" on ${model.description} (${model.name}).`);
    }
    if (!field.column || field.type === 'binary') {
      throw new InvalidQueryError(`Invalid order: field '${name}' on model ${model.name} is not stored and cannot be sorted on`);
    }
    const direction = (dir ?? 'asc').toUpperCase();
    // PostgreSQL's NULL placement, spelled out only where NULLs can occur: an explicit NULLS clause
    // keeps SQLite from walking an index in order.
    const canBeNull = name !== 'id' && !field.required;
    const nullsClause = nulls ? ` NULLS ${nulls.toUpperCase()}` : canBeNull ? (direction === 'ASC' ? ' NULLS LAST' : ' NULLS FIRST') : '';
    if (name === 'id') hasId = true;
    if (field.type === 'many2one') {
      out.push(...many2oneOrder(registry.model(field.relation), `${alias}.${ident(field.column)}`, direction, nullsClause, lang));
    } else {
      out.push(`${fieldSql(field, alias, lang)} ${direction}${nullsClause}`);
    }
  }
  if (!hasId) out.push(`${alias}."id"`);
  return out.join(', ');
}

/**
 * A many2one sorts by its comodel's `_order`, one correlated sub-query per term; a descending outer
 * direction reverses each term. Terms of the comodel's order that are themselves many2one sort by id
 * (one level deep, as a bound on the cost of a sort).
 */
function many2oneOrder(comodel: RegistryModel, column: string, direction: string, nullsClause: string, lang: string | undefined): string[] {
  return comodel.order.split(',').map((term) => {
    const [name = 'id', innerDir = 'asc'] = term.trim().split(/\s+/);
    const inner = comodel.fields.get(name);
    // A translatable term sorts in the caller's language; a many2one term by id.
    const innerSql =
      inner?.column !== undefined && inner.type !== 'many2one' ? fieldSql(inner, 'o', lang) : `o.${ident(inner?.column ?? 'id')}`;
    const reverse = (innerDir.toLowerCase() === 'desc') !== (direction === 'DESC');
    return `(SELECT ${innerSql} FROM ${ident(comodel.table)} o WHERE o."id" = ${column}) ${reverse ? 'DESC' : 'ASC'}${nullsClause}`;
  });
}
