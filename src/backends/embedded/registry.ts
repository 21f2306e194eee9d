/**
 * The registry: model declarations turned into what the store works with — table and column names,
 * the magic fields every model has, relation tables, and fast lookups by model and field name.
 * Built once at start; declarations are trusted code, and every identifier the SQL uses comes from here,
 * never from a request.
 */
import type { FieldMeta, FieldType } from '../backend.js';
import type { FieldDefinition, ModelDefinition } from './model-definition.js';

export interface FieldInfo extends FieldDefinition {
  readonly name: string;
  readonly model: string;
  /** SQLite column holding the value; undefined for one2many, many2many and display_name. */
  readonly column: string | undefined;
  /** Refused in create/write: magic fields and computed fields (but editable computes). */
  readonly computedOrMagic: boolean;
  /** For many2many: the link table and its columns. */
  readonly link?: { readonly table: string; readonly ownColumn: string; readonly otherColumn: string };
}

export interface ModelInfo {
  readonly definition: ModelDefinition;
  readonly name: string;
  readonly description: string;
  readonly table: string;
  readonly order: string;
  readonly recName: string;
  /** The stored fields the display name is made of (`recName`, or the model's `displayName.depends`). */
  readonly displayNameDepends: readonly string[];
  readonly fields: ReadonlyMap<string, FieldInfo>;
  /** Fields with a column, in declaration order (id first). */
  readonly storedFields: readonly FieldInfo[];
  readonly hasActive: boolean;
}

const MAGIC_FIELDS: Readonly<Record<string, FieldDefinition>> = {
  id: { type: 'integer', string: 'ID', readonly: true },
  display_name: { type: 'char', string: 'Display Name', readonly: true },
  create_date: { type: 'datetime', string: 'Created on', readonly: true },
  create_uid: { type: 'many2one', string: 'Created by', relation: 'res.users', readonly: true },
  write_date: { type: 'datetime', string: 'Last Updated on', readonly: true },
  write_uid: { type: 'many2one', string: 'Last Updated by', relation: 'res.users', readonly: true },
};

const RELATIONAL: ReadonlySet<FieldType> = new Set(['many2one', 'one2many', 'many2many']);

export function tableName(model: string): string {
  return model.replace(/\./g, '_');
}

export class Registry {
  readonly #models = new Map<string, ModelInfo>();
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
  get models(): IterableIterator<ModelInfo> {
    return this.#models.values();
  }

  /** A slug or dotted name to its model, or undefined. */
  resolve(slugOrName: string): ModelInfo | undefined {
    const name = this.#bySlug.get(slugOrName);
    return name === undefined ? undefined : this.#models.get(name);
  }

  /** The model of that exact name; throws for an unknown one (a bug in a declaration or the engine). */
  model(name: string): ModelInfo {
    const info = this.#models.get(name);
    if (!info) throw new Error(`unknown model ${name}`);
    return info;
  }

  #checkRelations(model: ModelInfo): void {
    for (const field of model.fields.values()) {
      if (!RELATIONAL.has(field.type)) continue;
      if (!field.relation || !this.#models.has(field.relation)) {
        throw new Error(`${model.name}.${field.name}: relation ${String(field.relation)} is not a declared model`);
      }
      if (field.type === 'one2many') {
        const inverse = this.model(field.relation).fields.get(field.inverseName ?? '');
        if (!inverse || inverse.type !== 'many2one' || inverse.relation !== model.name) {
          throw new Error(`${model.name}.${field.name}: inverseName must name a many2one to ${model.name}`);
        }
      }
    }
  }
}

function buildModel(definition: ModelDefinition): ModelInfo {
  const table = tableName(definition.name);
  const fields = new Map<string, FieldInfo>();
  const add = (name: string, def: FieldDefinition, magic: boolean) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`${definition.name}: bad field name ${name}`);
    const stored = name !== 'display_name' && def.type !== 'one2many' && def.type !== 'many2many';
    const info: FieldInfo = {
      ...def,
      name,
      model: definition.name,
      column: stored ? name : undefined,
      computedOrMagic: magic || (def.compute !== undefined && !(def.compute.kind === 'own' && def.compute.editable)),
      ...(def.type === 'many2many'
        ? {
            link: {
              table: def.relationTable ?? `${table}_${name}_rel`,
              ownColumn: def.column1 ?? 'id1',
              otherColumn: def.column2 ?? 'id2',
            },
          }
        : {}),
    };
    fields.set(name, info);
  };
  add('id', MAGIC_FIELDS.id!, true);
  for (const [name, def] of Object.entries(definition.fields)) {
    if (name in MAGIC_FIELDS) throw new Error(`${definition.name}: ${name} is a magic field`);
    add(name, def, false);
  }
  for (const [name, def] of Object.entries(MAGIC_FIELDS)) if (name !== 'id') add(name, def, true);
  const recName = definition.recName ?? 'name';
  if (!fields.has(recName)) throw new Error(`${definition.name}: rec name ${recName} is not a field`);
  const displayNameDepends = definition.displayName?.depends ?? [recName];
  for (const name of displayNameDepends) {
    if (fields.get(name)?.column === undefined) throw new Error(`${definition.name}: display name depends on ${name}, not a stored field`);
  }
  return {
    definition,
    name: definition.name,
    description: definition.description,
    table,
    order: definition.order ?? 'id',
    recName,
    displayNameDepends,
    fields,
    storedFields: [...fields.values()].filter((f) => f.column !== undefined),
    hasActive: fields.get('active')?.type === 'boolean',
  };
}

/** Odoo fields_get metadata of one field. */
export function fieldMeta(field: FieldInfo): FieldMeta {
  return {
    type: field.type,
    string: field.string,
    required: field.required ?? false,
    readonly: field.computedOrMagic || (field.readonly ?? false),
    store: field.name !== 'display_name',
    ...(field.relation ? { relation: field.relation } : {}),
    ...(field.inverseName ? { relation_field: field.inverseName } : {}),
    ...(field.selection ? { selection: field.selection } : {}),
    ...(field.help ? { help: field.help } : {}),
  };
}
