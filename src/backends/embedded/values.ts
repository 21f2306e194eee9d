/**
 * Validation and conversion of create/write values (Odoo's write() shape, as the REST contract takes
 * them) into what the store keeps: column values, and x2many commands to run after the row exists.
 * Every problem is a ValidationError naming the field; nothing is written before all values pass.
 */
import { textProblem } from '../../input/text.js';
import { ValidationError } from '../errors.js';
import type { StoredValue } from './model-definition.js';
import type { FieldInfo, RegistryModel, X2ManyFieldInfo } from './registry.js';

/** Odoo's x2many commands: create, update, delete, unlink, link, clear, set. */
export type X2ManyCommand =
  | { readonly op: 0; readonly values: Record<string, unknown> }
  | { readonly op: 1; readonly id: number; readonly values: Record<string, unknown> }
  | { readonly op: 2 | 3 | 4; readonly id: number }
  | { readonly op: 5 }
  | { readonly op: 6; readonly ids: readonly number[] };

export interface PreparedValues {
  readonly columns: Map<string, StoredValue>;
  /** By field name: the x2many field and its commands. */
  readonly x2many: Map<string, { readonly field: X2ManyFieldInfo; readonly commands: X2ManyCommand[] }>;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks every value against its field. `canWrite` decides field-level access (false: the field is
 * refused by name). Throws ValidationError on the first problem.
 */
export function prepareValues(
  model: RegistryModel,
  values: Record<string, unknown>,
  canWrite: (field: FieldInfo) => boolean,
  allowInternal = false,
): PreparedValues {
  const columns = new Map<string, StoredValue>();
  const x2many: PreparedValues['x2many'] = new Map();
  for (const [name, raw] of Object.entries(values)) {
    const field = model.fields.get(name);
    if (!field || (field.internal && !allowInternal)) throw new ValidationError(`Invalid field '${name}' on model '${model.name}'`);
    if (field.computedOrMagic) {
      throw new ValidationError(
        `Field '${name}' on model '${model.name}' is read-only${field.column !== undefined && field.compute ? ' (computed)' : ''} and cannot be written`,
      );
    }
    if (!canWrite(field)) throw new ValidationError(`You may not write field '${name}' on model '${model.name}'`);
    if (field.type === 'one2many' || field.type === 'many2many') x2many.set(name, { field, commands: parseCommands(model, field, raw) });
    else columns.set(name, convertScalar(model, field, raw));
  }
  return { columns, x2many };
}

/** Longest rendering of a refused value in a message, and how deep into it the rendering looks. */
const SHOWN_CHARS = 80;
const SHOWN_LEVELS = 3;

/**
 * A value as JSON for an error message, cut at `SHOWN_CHARS` characters and `SHOWN_LEVELS` levels (`[[[[…]]]]`):
 * never a walk of the whole value, whose size and depth the caller chose (`JSON.stringify` overflows the
 * stack on a few thousand levels).
 */
function shownValue(raw: unknown): string {
  let left = SHOWN_CHARS;
  const show = (value: unknown, level: number): string => {
    if (left <= 0) return '…';
    let text: string;
    if (typeof value === 'string') text = JSON.stringify(value.length > SHOWN_CHARS ? value.slice(0, SHOWN_CHARS) : value);
    else if (typeof value !== 'object' || value === null) {
      const json = JSON.stringify(value) as string | undefined; // undefined for undefined, a function or a symbol
      text = json ?? String(value);
    } else if (level >= SHOWN_LEVELS) text = Array.isArray(value) ? '[…]' : '{…}';
    else {
      const parts: string[] = [];
      const entries: Iterable<[string | undefined, unknown]> = Array.isArray(value)
        ? value.map((item) => [undefined, item])
        : Object.entries(value);
      for (const [key, item] of entries) {
        if (left <= 0) {
          parts.push('…');
          break;
        }
        const prefix = key === undefined ? '' : `${JSON.stringify(key.slice(0, SHOWN_CHARS))}:`;
        left -= prefix.length + 1;
        parts.push(prefix + show(item, level + 1));
      }
      return Array.isArray(value) ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
    }
    left -= text.length;
    return text;
  };
  const text = show(raw, 0);
  return text.length > SHOWN_CHARS ? text.slice(0, SHOWN_CHARS) : text;
}

function wrongType(model: RegistryModel, field: FieldInfo, expected: string, raw: unknown): never {
  throw new ValidationError(
    `Invalid value for field '${field.name}' (${field.string}) on ${model.name}: expected ${expected}, got ${shownValue(raw)}`,
  );
}

/** Text to store: a string, well-formed and without NUL (src/input/text.ts). */
function storableText(model: RegistryModel, field: FieldInfo, raw: unknown): string {
  if (typeof raw !== 'string') wrongType(model, field, 'a string or false', raw);
  const problem = textProblem(raw);
  if (problem)
    throw new ValidationError(`Invalid value for field '${field.name}' (${field.string}) on ${model.name}: the text holds ${problem}`);
  return raw;
}

/** A scalar or many2one value to its stored form (null for unset). */
export function convertScalar(model: RegistryModel, field: FieldInfo, raw: unknown): StoredValue {
  const unset = raw === null || raw === false;
  switch (field.type) {
    case 'char':
    case 'text':
    case 'html':
      if (unset) return null;
      return storableText(model, field, raw);
    case 'selection': {
      if (unset) return null;
      const keys = field.selection.map(([key]) => key);
      if (typeof raw !== 'string' || !keys.includes(raw)) {
        throw new ValidationError(
          `Wrong value for ${model.name}.${field.name}: ${shownValue(raw)}; expected one of ${keys.map((k) => `'${k}'`).join(', ')}`,
        );
      }
      return raw;
    }
    case 'integer':
      if (unset) return null;
      if (typeof raw !== 'number' || !Number.isInteger(raw)) wrongType(model, field, 'an integer', raw);
      if (raw < INT32_MIN || raw > INT32_MAX) wrongType(model, field, 'an integer between -2147483648 and 2147483647', raw);
      return raw;
    case 'float':
    case 'monetary':
      if (unset) return null;
      if (typeof raw !== 'number' || !Number.isFinite(raw)) wrongType(model, field, 'a number', raw);
      return raw;
    case 'boolean':
      if (raw === null) return 0;
      if (typeof raw !== 'boolean') wrongType(model, field, 'true or false', raw);
      return raw ? 1 : 0;
    case 'date':
      if (unset) return null;
      if (typeof raw !== 'string' || !isValidDate(raw)) wrongType(model, field, "a date 'YYYY-MM-DD'", raw);
      return raw;
    case 'datetime': {
      if (unset) return null;
      const normalised = typeof raw === 'string' ? normaliseDatetime(raw) : undefined;
      if (!normalised) wrongType(model, field, "a datetime 'YYYY-MM-DD HH:MM:SS' (UTC)", raw);
      return normalised;
    }
    case 'binary':
      if (unset) return null;
      if (typeof raw !== 'string' || !/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(raw)) wrongType(model, field, 'a base64 string', raw);
      return raw;
    case 'many2one':
      if (unset) return null;
      return recordId(model, field, raw);
    default:
      return wrongType(model, field, 'a supported value', raw);
  }
}

/** A many2one value: an id, or an object with an `id` (as returned by reads, so records round-trip). */
function recordId(model: RegistryModel, field: FieldInfo, raw: unknown): number {
  const id = isPlainObject(raw) ? raw.id : raw;
  if (isPlainObject(raw) && Object.keys(raw).some((k) => k !== 'id' && k !== 'name')) {
    wrongType(model, field, 'an id, {"id": n} or false', raw);
  }
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    wrongType(model, field, 'an id, {"id": n} or false', raw);
  }
  return id;
}

function positiveId(model: RegistryModel, field: FieldInfo, raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw <= 0) {
    wrongType(model, field, 'a list of record ids or of x2many commands', raw);
  }
  return raw;
}

/** An x2many value: a list of ids (the new set), or Odoo command triples. */
function parseCommands(model: RegistryModel, field: FieldInfo, raw: unknown): X2ManyCommand[] {
  if (raw === false || raw === null) return [{ op: 5 }];
  if (!Array.isArray(raw)) wrongType(model, field, 'a list of record ids or of x2many commands', raw);
  if (raw.every((item) => !Array.isArray(item))) {
    return [{ op: 6, ids: raw.map((item) => recordId(model, field, item)) }];
  }
  return raw.map((item): X2ManyCommand => {
    if (!Array.isArray(item) || item.length === 0 || item.length > 3) {
      wrongType(model, field, 'x2many commands such as [0, 0, {...}] or [6, 0, [ids]]', item);
    }
    const [op, id, payload] = item as [unknown, unknown, unknown];
    switch (op) {
      case 0:
        if (!isPlainObject(payload)) wrongType(model, field, 'a command [0, 0, {values}]', item);
        return { op: 0, values: payload };
      case 1:
        if (!isPlainObject(payload)) wrongType(model, field, 'a command [1, id, {values}]', item);
        return { op: 1, id: positiveId(model, field, id), values: payload };
      case 2:
      case 3:
      case 4:
        return { op, id: positiveId(model, field, id) };
      case 5:
        return { op: 5 };
      case 6:
        if (!Array.isArray(payload)) wrongType(model, field, 'a command [6, 0, [ids]]', item);
        return { op: 6, ids: payload.map((v) => positiveId(model, field, v)) };
      default:
        return wrongType(model, field, 'a command code from 0 to 6', item);
    }
  });
}

export function isValidDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** `YYYY-MM-DD HH:MM:SS` from the forms callers send (a `T` separator, no seconds, a `Z`), or undefined. */
export function normaliseDatetime(text: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?Z?)?$/.exec(text);
  if (!match || !isValidDate(match[1]!)) return undefined;
  const [h, mi, s] = [match[2] ?? '00', match[3] ?? '00', match[4] ?? '00'];
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  return `${match[1]} ${h}:${mi}:${s}`;
}

/** Current UTC time as Odoo writes datetimes. */
export function nowUtc(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}
