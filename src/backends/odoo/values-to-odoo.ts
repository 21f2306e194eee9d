/**
 * Field values of a create or update body (docs/rest-contract.md, "Create / Update") in the shape Odoo's
 * `create`/`write` take:
 * - many2one as an id, `{"id": n}`, or `false`/`null` to clear → the id or `false`;
 * - one2many/many2many as an array of ids (replaces the set) → `[[6, 0, ids]]`; command triples pass;
 * - `null` → `false` (Odoo's empty value) for every field; everything else unchanged.
 * Only many2one objects and x2many id arrays need the field types; `needsFieldTypes` tells whether a
 * body has any, so plain bodies are sent without a `fields_get` round trip.
 */
import type { FieldMeta, OdooValues } from '../backend.js';

function isCommandList(value: readonly unknown[]): boolean {
  return value.length > 0 && value.every(Array.isArray);
}

/** True when some value's conversion depends on its field's type (an object, or an array that is not a command list). */
export function needsFieldTypes(values: OdooValues): boolean {
  return Object.values(values).some(
    (value) => typeof value === 'object' && value !== null && !(Array.isArray(value) && isCommandList(value)),
  );
}

/** The values in Odoo's write() shape; fields unknown to `fields` are passed on for Odoo to judge. */
export function valuesToOdoo(values: OdooValues, fields: Readonly<Record<string, FieldMeta>> = {}): OdooValues {
  const out: OdooValues = {};
  for (const [name, value] of Object.entries(values)) {
    const type = fields[name]?.type;
    if (value === null) out[name] = false;
    else if (type === 'many2one' && typeof value === 'object' && !Array.isArray(value) && 'id' in value) out[name] = value.id ?? false;
    else if ((type === 'one2many' || type === 'many2many') && Array.isArray(value) && !isCommandList(value)) out[name] = [[6, 0, value]];
    else out[name] = value;
  }
  return out;
}
