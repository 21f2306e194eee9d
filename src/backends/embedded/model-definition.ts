/**
 * Models of the embedded store are declared as data, one file per model under ./models/, with Odoo's
 * field types and attributes, the access rights per group and the record rules beside them.
 * The store derives the SQLite tables, validation, defaults and read shapes from these declarations.
 */
import type { FieldType } from '../backend.js';
import type { DomainTerm } from '../../domain/types.js';

/** A plain value as stored for a field (before shaping for read): many2one as an id. */
export type StoredValue = string | number | boolean | null;

/** What a default, a compute or a rule can know about the situation. */
export interface EnvContext {
  /** The user the operation runs as. */
  readonly user: UserContext;
  /** Current time as Odoo writes datetimes: `YYYY-MM-DD HH:MM:SS`, UTC. */
  readonly now: string;
  /** Next value of a named sequence (see ./sequences.ts), e.g. `sale.order` gives `S00001`. */
  nextSequence(code: string): string;
  /**
   * Id of the first record of `model` in its own order whose fields equal `where` (Odoo's way of picking
   * a default such as a lead's first stage), or null when there is none.
   */
  firstRecordId(model: string, where?: Readonly<Record<string, string | number | boolean>>): number | null;
}

/** The user as record rules and defaults see it (Odoo's `user` in rule domains). */
export interface UserContext {
  readonly id: number;
  readonly login: string;
  readonly name: string;
  readonly partnerId: number;
  /** The current company. */
  readonly companyId: number;
  /** Allowed companies (Odoo's `company_ids` in rule domains). */
  readonly companyIds: readonly number[];
  /** Group xml ids, implied groups included (`base.group_user`, ...). */
  readonly groups: ReadonlySet<string>;
  /** Odoo's `env.lang`: the language of labels and translatable values; undefined: `en_US`. */
  readonly lang?: string;
  /** Odoo's `tz` (context, else the user's): an IANA zone, or undefined for UTC. */
  readonly tz?: string;
}

/**
 * A field declaration, one shape per kind of field (discriminated by `type`), so that a declaration says
 * exactly what its kind needs: a many2one its comodel, a one2many also its inverse field, a selection its
 * keys; and only fields kept in a column of the model's table have defaults, computes and indexes.
 */
export type FieldDefinition =
  | CharFieldDefinition
  | SelectionFieldDefinition
  | PlainFieldDefinition
  | Many2OneFieldDefinition
  | One2ManyFieldDefinition
  | Many2ManyFieldDefinition;

/**
 * The field types kept in a column as they are, with no attribute of their own (integer, date, boolean, ...).
 * Not Odoo's structured types (json, properties): only a real Odoo has them.
 */
export type PlainFieldType = Exclude<
  FieldType,
  'char' | 'selection' | RelationalFieldType | 'json' | 'properties' | 'properties_definition'
>;
export type RelationalFieldType = 'many2one' | 'one2many' | 'many2many';

/** A declaration of a field kept in a column of its model's table: scalars and many2one. */
export type ColumnFieldDefinition = CharFieldDefinition | SelectionFieldDefinition | PlainFieldDefinition | Many2OneFieldDefinition;

/** What every field declares. */
export interface FieldDefinitionBase {
  /** The label, as Odoo's `string`. */
  readonly string: string;
  readonly required?: boolean;
  /** UI-level read-only flag reported by fields_get; writes are still accepted (as Odoo's API does). */
  readonly readonly?: boolean;
  /** Field-level access: only users in one of these groups may read or write the field. */
  readonly groups?: readonly string[];
  /** Never readable nor writable through the API (e.g. password hashes). */
  readonly internal?: boolean;
  readonly help?: string;
}

/** What a field kept in a column of its model's table may declare besides. */
interface ColumnFieldDefinitionBase extends FieldDefinitionBase {
  /** Create an SQLite index on this column. */
  readonly index?: boolean;
  /** No two records may share a non-empty value (an SQL UNIQUE index); a clash is a ValidationError. */
  readonly unique?: boolean;
  /** Value used on create when none is given; a function also sees the values given so far. */
  readonly default?: StoredValue | ((env: EnvContext, values: Readonly<Record<string, StoredValue>>) => StoredValue);
  /** A stored computed field: read-only to callers, recomputed by the store. */
  readonly compute?: ComputeSpec;
}

export interface CharFieldDefinition extends ColumnFieldDefinitionBase {
  readonly type: 'char';
  /**
   * Odoo's `size`. Odoo cuts a value compared with the field to this many characters
   * (`Char.convert_to_column`): `('code', '=', 'USA')` compares with 'US'; like / ilike keep it whole.
   */
  readonly size?: number;
  /**
   * Odoo's `translate=True`: one value per installed language. The column holds the en_US value (the
   * fallback of every language); the others are kept in the `_translation` table and read, searched and
   * sorted in the caller's `lang` (see i18n/translated-sql.ts).
   */
  readonly translate?: boolean;
}

export interface SelectionFieldDefinition extends ColumnFieldDefinitionBase {
  readonly type: 'selection';
  /** `[key, label]` pairs. */
  readonly selection: ReadonlyArray<readonly [string, string]>;
}

export interface PlainFieldDefinition extends ColumnFieldDefinitionBase {
  readonly type: PlainFieldType;
  /**
   * Odoo's `translate=True`, for `text` and `html` fields only (checked by the registry); as on a char field:
   * the column holds the en_US value, other languages' values are kept aside (see i18n/translated-sql.ts).
   */
  readonly translate?: boolean;
}

export interface Many2OneFieldDefinition extends ColumnFieldDefinitionBase {
  readonly type: 'many2one';
  /** The comodel name. */
  readonly relation: string;
  /** What happens when the target is deleted. Default `set null`. */
  readonly ondelete?: 'cascade' | 'set null' | 'restrict';
  /**
   * Odoo's `group_expand`: grouped by this field in lazy mode, every record of the comodel is a group, the
   * empty ones too (crm.lead's stages, as Odoo's kanban shows them; store-group.ts).
   */
  readonly groupExpand?: boolean;
}

/** What both x2many kinds declare: no column of their own, so no default, compute nor index. */
interface X2ManyFieldDefinitionBase extends FieldDefinitionBase {
  /** The comodel name. */
  readonly relation: string;
  /**
   * Odoo's field `domain` (res.partner `child_ids`: `[('active', '=', True)]`). Odoo 17 applies it where it
   * reads the field: a read of the field, `parent_of` walking a one2many to the model itself, and a name
   * compared with the field (its name search); ids given to `in` / `any` are taken as given.
   */
  readonly domain?: readonly DomainTerm[];
}

export interface One2ManyFieldDefinition extends X2ManyFieldDefinitionBase {
  readonly type: 'one2many';
  /** The many2one field on the comodel pointing back. */
  readonly inverseName: string;
}

export interface Many2ManyFieldDefinition extends X2ManyFieldDefinitionBase {
  readonly type: 'many2many';
  /**
   * The link table and its two columns (this model's id, the comodel's id), as Odoo's `relation`,
   * `column1`, `column2`. Default `<model_table>_<field>_rel` with `id1`, `id2`. Two fields that are the
   * two sides of one relation name the same table with the columns swapped.
   */
  readonly relationTable?: string;
  readonly column1?: string;
  readonly column2?: string;
}

/** How a stored computed field gets its value. */
export type ComputeSpec = OwnCompute | SumCompute;

/**
 * From fields of the record (`name`) and of the records its many2one fields point to (`parent_id.name`):
 * recomputed when one of them changes, on this record or on the record pointed to.
 */
export interface OwnCompute {
  readonly kind: 'own';
  readonly depends: readonly string[];
  /** Gets the record as stored, its own current value included (an editable compute may keep it). */
  readonly fn: (record: Readonly<Record<string, StoredValue>>, lookup: RelatedLookup) => StoredValue;
  /**
   * Odoo's `readonly=False` compute: callers may write the field; a value given in a create or write is
   * kept, and the compute runs when a dependency changes without the field being given.
   */
  readonly editable?: boolean;
}

/** The sum of a field over the records of a one2many field (e.g. `amount_total` over `order_line`). */
export interface SumCompute {
  readonly kind: 'sum';
  /** The one2many field of this model over whose records the sum runs. */
  readonly one2many: string;
  /** The stored field of those records that is summed. */
  readonly field: string;
}

/** Reads one stored field of another record, for computes that look across a many2one. */
export type RelatedLookup = (model: string, id: number, field: string) => StoredValue;

/** The scalar values a create or write was given, as stored (many2one as an id, unset as null); no x2many. */
export type WrittenValues = Readonly<Record<string, StoredValue>>;

export interface HookOptions {
  /** As the superuser (Odoo's `sudo()`): no access checks; still recorded as the caller's write, as in Odoo. */
  readonly sudo?: boolean;
}

/** What a create or write hook may do, inside the transaction of the request, as its caller by default. */
export interface HookContext {
  /** Stored values of the records (and their `id`), in the order given; access rights and read rules apply. */
  read(
    model: string,
    ids: readonly number[],
    fields: readonly string[],
    options?: HookOptions,
  ): Array<Readonly<Record<string, StoredValue>>>;
  /** Ids of the active records matching an Odoo domain (`[['parent_id', '=', 7]]`), as `search()` gives them. */
  search(model: string, domain: readonly DomainTerm[], options?: HookOptions): number[];
  /**
   * Odoo's `super().write(values)`: stores the values (in write() form) with access rights and rules, stored
   * computes and constraints, without the model's hooks.
   */
  write(model: string, ids: readonly number[], values: WrittenValues, options?: HookOptions): void;
}

export type Operation = 'read' | 'write' | 'create' | 'unlink';

/** One line of Odoo's `ir.model.access`: what members of `group` (everyone when null) may do. */
export interface AccessRight {
  readonly group: string | null;
  readonly read: boolean;
  readonly write: boolean;
  readonly create: boolean;
  readonly unlink: boolean;
}

/** One Odoo `ir.rule`: a domain over the record, for the listed groups (global when empty). */
export interface RecordRule {
  readonly name: string;
  /** Empty: a global rule, intersected with all others. Otherwise group rules are united. */
  readonly groups: readonly string[];
  readonly domain: (user: UserContext) => readonly DomainTerm[];
  /** Operations the rule applies to; default all four. */
  readonly operations?: readonly Operation[];
}

export interface ModelDefinition {
  /** Odoo model name, e.g. `sale.order`. */
  readonly name: string;
  /** Odoo's `_description`, e.g. `Sales Order`. */
  readonly description: string;
  /** Odoo's `_order`; default `id`. */
  readonly order?: string;
  /** Odoo's `_rec_name`: the field giving the display name; default `name`. */
  readonly recName?: string;
  /**
   * Odoo's `_compute_display_name` when the display name is more than one field (a product's `[code] name`):
   * the stored fields it reads (fields_get's `depends` of `display_name`) and how it makes the name from
   * them. Empty or null falls back to `model,id`, as for `recName`. Default: the `recName` field.
   */
  readonly displayName?: {
    readonly depends: readonly string[];
    readonly fn: (record: Readonly<Record<string, StoredValue>>) => string | null;
  };
  /**
   * Odoo's name search (`_name_search`): what a name (a string) compared with a relation to this model
   * matches, in a domain (`('country_id', '=', 'br')`) and in the names of `child_of` / `parent_of`.
   * Default: the display-name field (`recName`) compared with the leaf's operator.
   * - a list of fields, as Odoo's `_rec_names_search`: each compared with the operator, joined with `|`,
   *   or with `&` for a negative operator (`!=`, `not in`, `not like`, `not ilike`);
   * - a function of the operator and the name giving the domains to try in turn: the first that finds a
   *   record (among those the caller may read, in the search's `active` context) gives the answer, as a
   *   name search that looks for an exact reference first. Only fields the model has.
   */
  readonly nameSearch?:
    readonly string[] | ((operator: NameSearchOperator, name: string | readonly string[]) => ReadonlyArray<readonly DomainTerm[]>);
  /**
   * Odoo's `_parent_store`: the model keeps a `parent_path` along `parent_id`, and Odoo then answers
   * `child_of` / `parent_of` along `parent_id` whatever field the leaf names (a `child_ids child_of X`
   * is X and its descendants); without it, a leaf on a relation to the model itself walks that relation
   * (on partners, `child_ids child_of X` is X and its ancestors). See compile-domain.ts, `#hierarchy`.
   */
  readonly parentStore?: boolean;
  /** Fields besides the magic ones (id, display_name, create/write date and uid), added by the store. */
  readonly fields: Readonly<Record<string, FieldDefinition>>;
  readonly access: readonly AccessRight[];
  readonly rules?: readonly RecordRule[];
  /**
   * Odoo's `_inherits` as far as record rules go: the rules of each parent model apply through the link
   * field (`[(field, 'any', <parent's rule domain>)]`, a global rule), as `ir.rule._compute_domain` adds
   * them (res.users is read under res.partner's rules). Fields are not delegated.
   */
  readonly inherits?: ReadonlyArray<{ readonly field: string; readonly parent: ModelDefinition }>;
  /** Checks run on every created or written record inside the transaction; a returned string is a ValidationError. */
  readonly constraints?: ReadonlyArray<(record: Readonly<Record<string, StoredValue>>, lookup: RelatedLookup) => string | null>;
  /** Runs before records are deleted; a returned string refuses the delete with a UserError (Odoo's `_unlink_except_*`). */
  readonly beforeUnlink?: (record: Readonly<Record<string, StoredValue>>) => string | null;
  /**
   * What Odoo's create() and write() overrides do once the records are stored (a partner's address from
   * its parent, a lead's email to its customer): run last, after the computes, constraints and rule checks
   * of the records, with the values the caller gave. Not run by a hook's own `ctx.write`.
   */
  readonly onCreate?: (ctx: HookContext, id: number, values: WrittenValues) => void;
  readonly onWrite?: (ctx: HookContext, ids: readonly number[], values: WrittenValues) => void;
}

/** The operators a name search is run with (Odoo's `_name_search` operator). */
export type NameSearchOperator = '=' | '!=' | 'in' | 'not in' | 'like' | 'not like' | 'ilike' | 'not ilike' | '=like' | '=ilike';

/** Identity helper that keeps declarations type-checked. */
export function defineModel(definition: ModelDefinition): ModelDefinition {
  return definition;
}
