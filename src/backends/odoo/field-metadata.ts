/**
 * Odoo's `fields_get` answer as the Backend's FieldMeta, and the fields a read returns when the caller
 * names none (docs/rest-contract.md, "List": every field the caller may read, except binary ones).
 */
import type { FieldMeta, FieldType } from '../backend.js';

const KNOWN_TYPES: ReadonlySet<string> = new Set<FieldType>([
  'char',
  'text',
  'html',
  'integer',
  'float',
  'monetary',
  'boolean',
  'date',
  'datetime',
  'selection',
  'many2one',
  'one2many',
  'many2many',
  'binary',
  'json',
  'properties',
  'properties_definition',
]);

/** Types the Backend has no name for, by their nearest read() shape. */
const OTHER_TYPES: Readonly<Record<string, FieldType>> = {
  reference: 'char',
  many2one_reference: 'integer',
  image: 'binary',
};

/**
 * One field of a `fields_get` answer as FieldMeta. `store` is not among the attributes asked
 * (model-call.ts FIELD_ATTRIBUTES), so it reads as true unless Odoo says otherwise. Odoo's structured
 * types (json, properties, properties_definition) keep their names: their values are JSON objects or
 * lists, never the string a `text` promises (crm.lead's `duration_tracking` reads `{"1": 128}`); other
 * types beyond the Backend's list read as `text`.
 */
export function toFieldMeta(raw: Readonly<Record<string, unknown>>): FieldMeta {
  const odooType = typeof raw.type === 'string' ? raw.type : 'char';
  const type = KNOWN_TYPES.has(odooType) ? (odooType as FieldType) : (OTHER_TYPES[odooType] ?? 'text');
  const selection = Array.isArray(raw.selection)
    ? raw.selection
        .filter((o): o is [string, string] => Array.isArray(o) && o.length === 2)
        .map(([k, v]) => [String(k), String(v)] as const)
    : undefined;
  return {
    type,
    string: typeof raw.string === 'string' ? raw.string : '',
    required: raw.required === true,
    readonly: raw.readonly === true,
    store: raw.store !== false,
    ...(typeof raw.relation === 'string' && { relation: raw.relation }),
    ...(typeof raw.relation_field === 'string' && { relation_field: raw.relation_field }),
    ...(selection && { selection }),
    ...(typeof raw.help === 'string' && { help: raw.help }),
  };
}

/** A whole `fields_get` answer as FieldMeta by field name; entries that are not objects are skipped. */
export function toFieldsMeta(answer: unknown): Record<string, FieldMeta> {
  const out: Record<string, FieldMeta> = {};
  if (typeof answer !== 'object' || answer === null) return out;
  for (const [name, raw] of Object.entries(answer as Record<string, unknown>)) {
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) out[name] = toFieldMeta(raw as Record<string, unknown>);
  }
  return out;
}

/** The fields read when none are named: every field `fields_get` shows the caller, binary ones excepted. */
export function defaultReadFields(fields: Readonly<Record<string, FieldMeta>>): string[] {
  return Object.entries(fields)
    .filter(([, meta]) => meta.type !== 'binary')
    .map(([name]) => name);
}
