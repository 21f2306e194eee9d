/**
 * The registry: model declarations turned into what the store works with — table and column names,
 * the magic fields every model has, relation tables, and fast lookups by model and field name.
 * Built once at start; declarations are trusted code, and every identifier the SQL uses comes from here,
 * never from a request.
 */
import type { FieldMeta } from '../backend.js';
import type {
  CharFieldDefinition,
  ColumnFieldDefinition,
  FieldDefinition,
  FieldDefinitionBase,
  Many2ManyFieldDefinition,
  Many2OneFieldDefinition,
  ModelDefinition,
  One2ManyFieldDefinition,
  OwnCompute,
  PlainFieldDefinition,
  SelectionFieldDefinition,
} from './model-definition.js';

/**
 * A field as the store works with it: its declaration, plus its name, its model and, for the kinds that
 * have them, its column or its link table. One shape per kind (discriminated by `type`; `column` tells the
 * fields kept in a column from the others), so that code which checked the kind has what the kind needs.
 */
export type FieldInfo = ColumnFieldInfo | X2ManyFieldInfo | DisplayNameFieldInfo;

/** What the registry adds to every field's declaration. */
interface FieldInfoBase {
  readonly name: string;
  readonly model: string;
  /** Refused in create/write: magic fields and computed fields (but editable computes). */
  readonly computedOrMagic: boolean;
}

/** A field kept in the SQLite column `column` of its model's table. */
type InColumn<Definition> = Definition & FieldInfoBase & { readonly column: string };

export type CharFieldInfo = InColumn<CharFieldDefinition>;
export type SelectionFieldInfo = InColumn<SelectionFieldDefinition>;
export type Many2OneFieldInfo = InColumn<Many2OneFieldDefinition>;
export type PlainFieldInfo = InColumn<PlainFieldDefinition>;
/** A field whose column holds its value as is: every column field but a many2one (whose column holds an id). */
export type ScalarFieldInfo = CharFieldInfo | SelectionFieldInfo | PlainFieldInfo;
export type ColumnFieldInfo = ScalarFieldInfo | Many2OneFieldInfo;

export type One2ManyFieldInfo = One2ManyFieldDefinition & FieldInfoBase & { readonly column: undefined };
export type Many2ManyFieldInfo = Many2ManyFieldDefinition &
  FieldInfoBase & {
    readonly column: undefined;
    /** The link table and its columns: this model's id, the comodel's id. */
    readonly link: LinkTable;
  };
export type X2ManyFieldInfo = One2ManyFieldInfo | Many2ManyFieldInfo;
export type RelationalFieldInfo = Many2OneFieldInfo | X2ManyFieldInfo;

/** `display_name`: a char made on read from the fields of `RegistryModel.displayNameFields`; no column. */
export type DisplayNameFieldInfo = FieldDefinitionBase &
  FieldInfoBase & {
    readonly type: 'char';
    readonly name: 'display_name';
    readonly column: undefined;
  };

export interface LinkTable {
  readonly table: string;
  readonly ownColumn: string;
  readonly otherColumn: string;
}

/** A stored field computed from fields of its record and of the records its many2one fields point to. */
export interface OwnComputedField {
  readonly field: ColumnFieldInfo;
  readonly compute: OwnCompute;
}

/** A stored field of `model` that sums the field `summed` over the records of its one2many `one2many`. */
export interface SumComputedField {
  readonly model: string;
  readonly field: ColumnFieldInfo;
  readonly one2many: One2ManyFieldInfo;
  readonly summed: string;
}

/**
 * A model as the embedded store's Registry holds it, built from its ModelDefinition: table, order, fields,
 * stored computes. (What a Backend says of a model, its name and label, is the smaller ModelMeta.)
 */
export interface RegistryModel {
  readonly definition: ModelDefinition;
  readonly name: string;
  readonly description: string;
  readonly table: string;
  readonly order: string;
  readonly recName: string;
  /** The stored fields the display name is made of (`recName`, or the model's `displayName.depends`). */
  readonly displayNameDepends: readonly string[];
  /** Those fields themselves. */
  readonly displayNameFields: readonly ColumnFieldInfo[];
  readonly fields: ReadonlyMap<string, FieldInfo>;
  /** Fields with a column, in declaration order (id first). */
  readonly storedFields: readonly ColumnFieldInfo[];
  /** Stored computed fields, in declaration order: those computed from their record, and the sums. */
  readonly ownComputes: readonly OwnComputedField[];
  readonly sumComputes: readonly SumComputedField[];
  readonly hasActive: boolean;
  /** Fields with Odoo's `translate=True` (empty for most models: the store then never looks at translations). */
  readonly translatedFields: readonly ScalarFieldInfo[];
}

const ID_FIELD: PlainFieldDefinition = { type: 'integer', string: 'ID', readonly: true };
const DISPLAY_NAME_FIELD: FieldDefinitionBase = { string: 'Display Name', readonly: true };
/** Odoo's log access fields: magic fields added after the declared ones and `display_name`, in this order. */
const LOG_ACCESS_FIELDS: Readonly<Record<string, ColumnFieldDefinition>> = {
  create_date: { type: 'datetime', string: 'Created on', readonly: true },
  create_uid: { type: 'many2one', string: 'Created by', relation: 'res.users', readonly: true },
  write_date: { type: 'datetime', string: 'Last Updated on', readonly: true },
  write_uid: { type: 'many2one', string: 'Last Updated by', relation: 'res.users', readonly: true },
};
const MAGIC_FIELD_NAMES: ReadonlySet<string> = new Set(['id', 'display_name', ...Object.keys(LOG_ACCESS_FIELDS)]);

/** Whether the field has Odoo's `translate=True`: a value per language (see i18n/translated-sql.ts). */
export function isTranslated(field: FieldInfo): field is ScalarFieldInfo {
  return field.column !== undefined && field.type !== 'many2one' && 'translate' in field && field.translate === true;
}

/** Whether the field points to records of another model (or of its own): many2one, one2many, many2many. */
export function isRelational(field: FieldInfo): field is RelationalFieldInfo {
  return field.type === 'many2one' || field.type === 'one2many' || field.type === 'many2many';
}

export function tableName(model: string): string {
  return model.replace(/\./g, '_');
}

export class Registry {
  readonly #models = new Map<string, RegistryModel>();
  /** Slug (`sale_order`) and dotted name (`sale.order`) to model name. */
  readonly #bySlug = new Map<string, string>();

  constructor(definitions: readonly ModelDefinition[]) {
    for (const definition of definitions) {
      const info = buildModel(definition);
      if (this.#models.has(info.name)) throw new Error(`model ${info.name} is declared twice`);
      this.#models.set(info.name, info);
      this.#bySlug.set(info.name, info.name);
      this.#bySlug.set(info.table, info.name);
    }
    for (const model of this.#models.values()) this.#checkRelations(model);
  }

  /** Every model, in declaration order. */
  get models(): IterableIterator<RegistryModel> {
    return this.#models.values();
  }

  /** A slug or dotted name to its model, or undefined. */
  resolve(slugOrName: string): RegistryModel | undefined {
    const name = this.#bySlug.get(slugOrName);
    return name === undefined ? undefined : this.#models.get(name);
  }

  /** The model of that exact name; throws for an unknown one (a bug in a declaration or the engine). */
  model(name: string): RegistryModel {
    const info = this.#models.get(name);
    if (!info) throw new Error(`unknown model ${name}`);
    return info;
  }

  /** The many2one of a one2many's comodel that points back (checked at start: always there). */
  inverseOf(field: One2ManyFieldInfo): Many2OneFieldInfo {
    const inverse = this.model(field.relation).fields.get(field.inverseName);
    if (inverse?.type !== 'many2one') throw new Error(`${field.model}.${field.name}: inverseName ${field.inverseName} is not a many2one`);
    return inverse;
  }

  #checkRelations(model: RegistryModel): void {
    for (const field of model.fields.values()) {
      if (!isRelational(field)) continue;
      if (!field.relation || !this.#models.has(field.relation)) {
        throw new Error(`${model.name}.${field.name}: relation ${String(field.relation)} is not a declared model`);
      }
      if (field.type === 'one2many') {
        const inverse = this.model(field.relation).fields.get(field.inverseName);
        if (!inverse || inverse.type !== 'many2one' || inverse.relation !== model.name) {
          throw new Error(`${model.name}.${field.name}: inverseName must name a many2one to ${model.name}`);
        }
      }
    }
    for (const sum of model.sumComputes) {
      if (this.model(sum.one2many.relation).fields.get(sum.summed)?.column === undefined) {
        throw new Error(`${model.name}.${sum.field.name}: sums ${sum.summed}, not a stored field of ${sum.one2many.relation}`);
      }
    }
  }
}

function buildModel(definition: ModelDefinition): RegistryModel {
  const table = tableName(definition.name);
  const fields = new Map<string, FieldInfo>();
  const add = (info: FieldInfo) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(info.name)) throw new Error(`${definition.name}: bad field name ${info.name}`);
    fields.set(info.name, info);
  };
  const magic = (name: string): FieldInfoBase => ({ name, model: definition.name, computedOrMagic: true });
  add({ ...ID_FIELD, ...magic('id'), column: 'id' });
  for (const [name, def] of Object.entries(definition.fields)) {
    if (MAGIC_FIELD_NAMES.has(name)) throw new Error(`${definition.name}: ${name} is a magic field`);
    add(declaredField(definition.name, table, name, def));
  }
  add({ ...DISPLAY_NAME_FIELD, type: 'char', ...magic('display_name'), name: 'display_name', column: undefined });
  for (const [name, def] of Object.entries(LOG_ACCESS_FIELDS)) add({ ...def, ...magic(name), column: name });
  const recName = definition.recName ?? 'name';
  if (!fields.has(recName)) throw new Error(`${definition.name}: rec name ${recName} is not a field`);
  const displayNameDepends = definition.displayName?.depends ?? [recName];
  const displayNameFields = displayNameDepends.map((name) => {
    const field = fields.get(name);
    if (field?.column === undefined) throw new Error(`${definition.name}: display name depends on ${name}, not a stored field`);
    return field;
  });
  const storedFields = [...fields.values()].filter((f): f is ColumnFieldInfo => f.column !== undefined);
  const ownComputes: OwnComputedField[] = [];
  const sumComputes: SumComputedField[] = [];
  for (const field of storedFields) {
    const compute = field.compute;
    if (compute?.kind === 'own') ownComputes.push({ field, compute });
    else if (compute?.kind === 'sum') {
      const one2many = fields.get(compute.one2many);
      if (one2many?.type !== 'one2many') throw new Error(`${definition.name}.${field.name}: sums over ${compute.one2many}, not a one2many`);
      sumComputes.push({ model: definition.name, field, one2many, summed: compute.field });
    }
  }
  const translatedFields = storedFields.filter(isTranslated);
  for (const field of translatedFields) {
    if (!['char', 'text', 'html'].includes(field.type) || field.compute) {
      throw new Error(`${definition.name}.${field.name}: only a char, text or html field that is not computed can be translated`);
    }
  }
  return {
    definition,
    name: definition.name,
    description: definition.description,
    table,
    order: definition.order ?? 'id',
    recName,
    displayNameDepends,
    displayNameFields,
    fields,
    storedFields,
    ownComputes,
    sumComputes,
    hasActive: fields.get('active')?.type === 'boolean',
    translatedFields,
  };
}

/** A declared field of `model` with what the store derives from it: its column, or its link table for a many2many. */
function declaredField(model: string, table: string, name: string, def: FieldDefinition): FieldInfo {
  switch (def.type) {
    case 'one2many':
      return { ...def, name, model, computedOrMagic: false, column: undefined };
    case 'many2many':
      return {
        ...def,
        name,
        model,
        computedOrMagic: false,
        column: undefined,
        link: { table: def.relationTable ?? `${table}_${name}_rel`, ownColumn: def.column1 ?? 'id1', otherColumn: def.column2 ?? 'id2' },
      };
    default: {
      const computed = def.compute !== undefined && !(def.compute.kind === 'own' && def.compute.editable);
      return { ...def, name, model, computedOrMagic: computed, column: name };
    }
  }
}

/** Odoo fields_get metadata of one field. */
export function fieldMeta(field: FieldInfo): FieldMeta {
  return {
    type: field.type,
    string: field.string,
    required: field.required ?? false,
    readonly: field.computedOrMagic || (field.readonly ?? false),
    store: field.name !== 'display_name',
    ...(isRelational(field) ? { relation: field.relation } : {}),
    ...(field.type === 'one2many' ? { relation_field: field.inverseName } : {}),
    ...(field.type === 'selection' ? { selection: field.selection } : {}),
    ...(field.help ? { help: field.help } : {}),
  };
}
