/**
 * The values of a REST create or update (docs/rest-contract.md, "Create / Update") checked against the model's
 * fields as the caller sees them, and put in the shape Odoo's `create`/`write` take, before Odoo sees them.
 *
 * Odoo's ORM takes much that the contract refuses, measured on Odoo 17: `{"name": 42}` is stored as "42",
 * `{"active": "yes"}` as true, `id`, `create_date`, `write_uid`, `display_name` are dropped without a
 * word, a stored computed field (`prorated_revenue`) is overwritten, `{"probability": "fifty"}` fails
 * inside Odoo with a TypeError (a 500), and a bad date answers "day is out of range for month" without
 * naming the field. The contract wants each of them refused with a 400 that names the field, and
 * nothing written. So, per value:
 * - `id`, `create_date`, `create_uid`, `write_date`, `write_uid`, `display_name`, `__last_update`, and
 *   computed fields that are read-only (`readonly` with `depends`/`related`, or not stored): refused.
 *   Read-only fields that are not computed (`state` of an order) stay writable, as in Odoo;
 * - char, text, html: a string; selection: one of its keys; integer: a 32-bit integer; float, monetary:
 *   a number; boolean: true or false; date `YYYY-MM-DD`; datetime `YYYY-MM-DD HH:MM:SS` (also with a
 *   `T`, a `Z` or without seconds, written back as Odoo's form); binary: base64. `false` or `null`
 *   clears any of them (`null` is Odoo's `false`);
 * - many2one: an id, `{"id": n}` (a read-back `{"id", "name"}` too), or `false`/`null` → the id or `false`;
 * - one2many, many2many: an array of ids (the new set, → `[[6, 0, ids]]`) or Odoo's command triples,
 *   whose `{vals}` are checked against the related model the same way; `false`/`null` → `[[5, 0, 0]]`;
 * - a field `fields_get` does not show the caller (unknown, or hidden by its groups) and types without
 *   a contract shape (json, properties, reference...) are passed on for Odoo to judge.
 *
 * `referenceTo` finds which field of the values names a record Odoo says does not exist
 * (MissingError), so that the backend can answer 400 naming that field instead of the 404 that
 * belongs to the record of the URL.
 */
import type { OdooValues } from '../backend.js';
import { textProblem } from '../../input/text.js';
import { ValidationError } from '../errors.js';

/** What the check needs of one field (a `fields_get` entry asked with WRITE_FIELD_ATTRIBUTES, model-call.ts). */
export interface WritableField {
  /** Odoo's own type name (`char`, `many2one`, `json`...). */
  readonly type: string;
  readonly string: string;
  readonly relation?: string;
  /** Selection keys, as Odoo gives them. */
  readonly selection?: readonly unknown[];
  /** Computed (or related) and read-only: never written by a caller. */
  readonly computed: boolean;
  /** Odoo's `depends`: the field paths a computed value follows (empty for a plain field). */
  readonly depends: readonly string[];
  /** Odoo's `store` (a column, or an x2many kept elsewhere); false for fields computed on the fly. */
  readonly stored: boolean;
}

export type WritableFields = Readonly<Record<string, WritableField>>;

/** The fields of a model as the caller sees them; undefined when they cannot be read (nested values then pass unchecked). */
export type WritableFieldsLoader = (model: string) => Promise<WritableFields | undefined>;

/** Fields Odoo maintains itself (models.py MAGIC_COLUMNS, `display_name`, the old `__last_update`). */
const MAGIC_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'create_date',
  'create_uid',
  'write_date',
  'write_uid',
  'display_name',
  '__last_update',
]);

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One `fields_get` answer (asked with WRITE_FIELD_ATTRIBUTES) as WritableFields; entries that are not objects are skipped. */
export function toWritableFields(answer: unknown): WritableFields {
  const out: Record<string, WritableField> = {};
  if (!isObject(answer)) return out;
  for (const [name, raw] of Object.entries(answer)) {
    if (!isObject(raw)) continue;
    const depends = Array.isArray(raw.depends) ? raw.depends.filter((d): d is string => typeof d === 'string') : [];
    const related = Array.isArray(raw.related) ? raw.related.length > 0 : typeof raw.related === 'string' && raw.related !== '';
    out[name] = {
      type: typeof raw.type === 'string' ? raw.type : 'char',
      string: typeof raw.string === 'string' ? raw.string : name,
      ...(typeof raw.relation === 'string' && { relation: raw.relation }),
      ...(Array.isArray(raw.selection) && { selection: raw.selection.filter(Array.isArray).map((option: unknown[]) => option[0]) }),
      computed: raw.readonly === true && (depends.length > 0 || related || raw.store === false),
      depends,
      stored: raw.store !== false,
    };
  }
  return out;
}

function shown(raw: unknown): string {
  const text = JSON.stringify(raw) as string | undefined; // undefined for undefined, a function or a symbol
  return text === undefined ? String(raw) : text.length > 80 ? `${text.slice(0, 80)}...` : text;
}

function wrongType(model: string, name: string, field: WritableField, expected: string, raw: unknown): never {
  throw new ValidationError(`Invalid value for field '${name}' (${field.string}) on ${model}: expected ${expected}, got ${shown(raw)}`);
}

function isValidDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** `YYYY-MM-DD HH:MM:SS` from the forms callers send (a `T` separator, no seconds, a `Z`), or undefined. */
function normaliseDatetime(text: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?Z?)?$/.exec(text);
  if (!match || !isValidDate(match[1]!)) return undefined;
  const [h, mi, s] = [match[2] ?? '00', match[3] ?? '00', match[4] ?? '00'];
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  return `${match[1]} ${h}:${mi}:${s}`;
}

/** A record id as a many2one or x2many value takes it: a positive integer, or `{"id": n}` (`name` allowed). */
function recordId(model: string, name: string, field: WritableField, raw: unknown, expected: string): number {
  const id = isObject(raw) ? raw.id : raw;
  if (isObject(raw) && Object.keys(raw).some((k) => k !== 'id' && k !== 'name')) wrongType(model, name, field, expected, raw);
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) wrongType(model, name, field, expected, raw);
  return id;
}

/** One value of a known field in Odoo's write() shape. */
async function checkValue(model: string, name: string, field: WritableField, raw: unknown, load: WritableFieldsLoader): Promise<unknown> {
  const unset = raw === null || raw === false;
  switch (field.type) {
    case 'char':
    case 'text':
    case 'html': {
      if (unset) return false;
      if (typeof raw !== 'string') wrongType(model, name, field, 'a string or false', raw);
      // As the embedded store refuses it (values.ts): PostgreSQL would, with a message naming no field.
      const problem = textProblem(raw);
      if (problem) throw new ValidationError(`Invalid value for field '${name}' (${field.string}) on ${model}: the text holds ${problem}`);
      return raw;
    }
    case 'selection': {
      if (unset) return false;
      const keys = field.selection ?? [];
      if (!keys.some((key) => key === raw)) {
        throw new ValidationError(
          `Wrong value for ${model}.${name}: ${shown(raw)}; expected one of ${keys.map((k) => shown(k)).join(', ')}`,
        );
      }
      return raw;
    }
    case 'integer':
      if (unset) return false;
      if (typeof raw !== 'number' || !Number.isInteger(raw)) wrongType(model, name, field, 'an integer', raw);
      if (raw < INT32_MIN || raw > INT32_MAX) wrongType(model, name, field, 'an integer between -2147483648 and 2147483647', raw);
      return raw;
    case 'float':
    case 'monetary':
      if (unset) return false;
      if (typeof raw !== 'number' || !Number.isFinite(raw)) wrongType(model, name, field, 'a number', raw);
      return raw;
    case 'boolean':
      if (raw === null) return false;
      if (typeof raw !== 'boolean') wrongType(model, name, field, 'true or false', raw);
      return raw;
    case 'date':
      if (unset) return false;
      if (typeof raw !== 'string' || !isValidDate(raw)) wrongType(model, name, field, "a date 'YYYY-MM-DD'", raw);
      return raw;
    case 'datetime': {
      if (unset) return false;
      const normalised = typeof raw === 'string' ? normaliseDatetime(raw) : undefined;
      if (!normalised) wrongType(model, name, field, "a datetime 'YYYY-MM-DD HH:MM:SS' (UTC)", raw);
      return normalised;
    }
    case 'binary':
    case 'image':
      if (unset) return false;
      if (typeof raw !== 'string' || !/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(raw)) wrongType(model, name, field, 'a base64 string', raw);
      return raw;
    case 'many2one':
      if (unset) return false;
      return recordId(model, name, field, raw, 'an id, {"id": n} or false');
    case 'one2many':
    case 'many2many':
      return checkCommands(model, name, field, raw, load);
    default:
      // json, properties, reference, many2one_reference...: no shape in the contract, Odoo judges.
      return raw;
  }
}

const COMMANDS = 'a list of record ids or of x2many commands such as [0, 0, {...}] or [6, 0, [ids]]';

/** An x2many value: ids (the new set) or command triples, whose values are checked against the related model. */
async function checkCommands(
  model: string,
  name: string,
  field: WritableField,
  raw: unknown,
  load: WritableFieldsLoader,
): Promise<unknown[]> {
  if (raw === false || raw === null) return [[5, 0, 0]];
  if (!Array.isArray(raw)) wrongType(model, name, field, COMMANDS, raw);
  if (raw.every((item) => !Array.isArray(item))) return [[6, 0, raw.map((item) => recordId(model, name, field, item, COMMANDS))]];
  const nested = async (values: unknown, item: unknown): Promise<OdooValues> => {
    if (!isObject(values))
      wrongType(
        model,
        name,
        field,
        `a command [${String((item as unknown[])[0])}, ${(item as unknown[])[0] === 0 ? '0' : 'id'}, {values}]`,
        item,
      );
    return field.relation ? checkValues(field.relation, values, load) : values;
  };
  const out: unknown[] = [];
  for (const item of raw) {
    if (!Array.isArray(item) || item.length === 0 || item.length > 3) wrongType(model, name, field, COMMANDS, item);
    const [op, id, payload] = item as [unknown, unknown, unknown];
    switch (op) {
      case 0:
        out.push([0, 0, await nested(payload, item)]);
        break;
      case 1:
        out.push([1, recordId(model, name, field, id, COMMANDS), await nested(payload, item)]);
        break;
      case 2:
      case 3:
      case 4:
        out.push([op, recordId(model, name, field, id, COMMANDS), 0]);
        break;
      case 5:
        out.push([5, 0, 0]);
        break;
      case 6:
        if (!Array.isArray(payload)) wrongType(model, name, field, 'a command [6, 0, [ids]]', item);
        out.push([6, 0, payload.map((v) => recordId(model, name, field, v, COMMANDS))]);
        break;
      default:
        wrongType(model, name, field, 'a command code from 0 to 6', item);
    }
  }
  return out;
}

/**
 * The values checked (see the module comment) and in Odoo's write() shape. Throws ValidationError naming
 * the first field refused; nothing is sent to Odoo then.
 */
export async function checkValues(model: string, values: OdooValues, load: WritableFieldsLoader): Promise<OdooValues> {
  const fields = Object.keys(values).length ? await load(model) : undefined;
  const out: OdooValues = {};
  for (const [name, raw] of Object.entries(values)) {
    if (MAGIC_FIELDS.has(name)) throw new ValidationError(`Field '${name}' on model '${model}' is read-only and cannot be written`);
    const field = fields?.[name];
    if (!field) {
      out[name] = raw === null ? false : raw;
      continue;
    }
    if (field.computed) throw new ValidationError(`Field '${name}' on model '${model}' is read-only (computed) and cannot be written`);
    out[name] = await checkValue(model, name, field, raw, load);
  }
  return out;
}

/** The records a MissingError names (`Record does not exist or has been deleted.\n(Record: product.product(999999,), User: 2)`). */
export function missingRecords(message: string): { model: string; ids: number[] } | undefined {
  const match = /\b([a-z_][\w]*(?:\.[\w]+)+)\(([\d,\s]+)\)/.exec(message);
  if (!match) return undefined;
  const ids = match[2]!
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isSafeInteger(n) && n > 0);
  return ids.length ? { model: match[1]!, ids } : undefined;
}

/**
 * The first field of `values` (in Odoo's write() shape, as checkValues gives them) that refers to one of
 * `missing.ids` of `missing.model`, nested commands included, as `{model, field}`; undefined when none does.
 */
export async function referenceTo(
  model: string,
  values: OdooValues,
  missing: { readonly model: string; readonly ids: readonly number[] },
  load: WritableFieldsLoader,
): Promise<{ model: string; field: string; id: number } | undefined> {
  const fields = await load(model);
  if (!fields) return undefined;
  for (const [name, value] of Object.entries(values)) {
    const field = fields[name];
    if (!field?.relation) continue;
    const hit = (id: unknown) => field.relation === missing.model && typeof id === 'number' && missing.ids.includes(id);
    if (field.type === 'many2one' && hit(value)) return { model, field: name, id: value as number };
    if ((field.type === 'one2many' || field.type === 'many2many') && Array.isArray(value)) {
      for (const command of value) {
        if (!Array.isArray(command)) continue;
        const [op, id, payload] = command as [unknown, unknown, unknown];
        if ((op === 1 || op === 2 || op === 3 || op === 4) && hit(id)) return { model, field: name, id: id as number };
        if (op === 6 && Array.isArray(payload)) {
          const found: unknown = payload.find(hit);
          if (found !== undefined) return { model, field: name, id: found as number };
        }
        if ((op === 0 || op === 1) && isObject(payload)) {
          const inner = await referenceTo(field.relation, payload, missing, load);
          if (inner) return { model: inner.model, field: `${name}.${inner.field}`, id: inner.id };
        }
      }
    }
  }
  return undefined;
}
