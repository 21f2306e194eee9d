/**
 * Stored computed fields, kept current by the store after each create, write and unlink: the computes of
 * a record from its own fields and from the records its many2one fields point to (following a change
 * through the records that point to the changed one), and the sums over one2many fields. Runs as the
 * superuser, inside the transaction of the write that changed the values.
 */
import type { RegistryModel, Many2OneFieldInfo, Registry, SumComputedField } from './registry.js';
import { ident, idsIn, placeholders, sql } from './sql/sql-fragment.js';
import type { StoreReader } from './store-read.js';
import type { Row, StoreStatements } from './store-statements.js';

/** Computes of other models that depend on a field of this one through a many2one (`parent_id.name`). */
interface Dependent {
  readonly model: RegistryModel;
  /** The many2one of `model` pointing here, and the dependency (`parent_id.name`) as its compute names it. */
  readonly many2one: Many2OneFieldInfo;
  readonly path: string;
  /** The field of this model that the dependency reads (`name`). */
  readonly field: string;
}

/** For each sum over a one2many: the records holding the sum that some records' changes concern. */
export type SumParents = Map<SumComputedField, Set<number>>;

/**
 * How many levels a change may travel through computes that depend on it (a contact moved to another
 * company changes its commercial partner, then its own contacts' do, then theirs). Each level follows only
 * values that moved, so a hierarchy settles within its depth; a deeper chain stops here.
 */
const MAX_RECOMPUTE_DEPTH = 32;

const NO_FIELDS: ReadonlySet<string> = new Set();

export class StoredComputes {
  #dependents: Map<string, Dependent[]> | undefined;

  constructor(
    private readonly statements: StoreStatements,
    private readonly registry: Registry,
    private readonly reader: StoreReader,
  ) {}

  /**
   * Recomputes the stored computed fields of records after `changed` fields of theirs were written (all of
   * them on create), of the records depending on them, and of the records summing over them (and over
   * them before the write: `parentsBefore`). Editable computes keep a value the caller gave (`given`), as
   * Odoo protects the fields being written.
   */
  afterChange(
    model: RegistryModel,
    ids: readonly number[],
    changed: ReadonlySet<string>,
    created: boolean,
    given: ReadonlySet<string>,
    parentsBefore?: SumParents,
  ): void {
    this.#recompute(model, ids, changed, created, given, 0);
    for (const sum of model.sumComputes) {
      if (created || changed.has(sum.one2many.name)) this.#recomputeSum(sum, ids);
    }
    const parents = this.sumParents(model, ids);
    if (parentsBefore) {
      for (const [sum, before] of parentsBefore) {
        let set = parents.get(sum);
        if (!set) parents.set(sum, (set = new Set()));
        for (const id of before) set.add(id);
      }
    }
    this.recomputeSums(parents);
  }

  /**
   * Runs the `own` computes of `ids` that depend on `changed` (a field of the record, or `f.g`: field g of
   * the record its many2one f points to). Then, for the computed values that moved: the computes depending
   * on them on the same records, and those of the records whose many2one points here (a company renamed
   * renames its contacts, whose own contacts follow), each level following only values that moved.
   */
  #recompute(
    model: RegistryModel,
    ids: readonly number[],
    changed: ReadonlySet<string>,
    created: boolean,
    given: ReadonlySet<string>,
    depth: number,
  ): void {
    if (!ids.length || depth > MAX_RECOMPUTE_DEPTH) return;
    const lookup = this.reader.relatedLookup();
    const moved = new Set<string>();
    // Read once, kept up to date below: a later compute sees the values the earlier ones wrote.
    let rows: Row[] | undefined;
    for (const { field, compute } of model.ownComputes) {
      if (given.has(field.name)) continue;
      if (!created && !compute.depends.some((d) => changed.has(d))) continue;
      rows ??= this.reader.storedRows(model, ids);
      for (const row of rows) {
        const value = compute.fn(row, lookup) ?? null;
        if (value === (row[field.name] ?? null)) continue;
        this.statements.run(sql(`UPDATE ${ident(model.table)} SET ${ident(field.column)} = ? WHERE "id" = ?`, value, row.id));
        row[field.name] = value;
        moved.add(field.name);
      }
    }
    if (moved.size) {
      this.#recompute(model, ids, moved, false, given, depth + 1);
      if (depth > 0) this.recomputeSums(this.sumParents(model, ids));
    }
    const targets = new Map<Many2OneFieldInfo, { model: RegistryModel; paths: Set<string> }>();
    for (const dependent of this.#dependentsOf(model)) {
      if (!changed.has(dependent.field) && !moved.has(dependent.field)) continue;
      let entry = targets.get(dependent.many2one);
      if (!entry) targets.set(dependent.many2one, (entry = { model: dependent.model, paths: new Set() }));
      entry.paths.add(dependent.path);
    }
    for (const [many2one, { model: dependentModel, paths }] of targets) {
      const where = idsIn(ident(many2one.column), ids);
      const dependentIds = this.statements
        .all({ sql: `SELECT "id" FROM ${ident(dependentModel.table)} WHERE ${where.sql}`, params: where.params })
        .map((r) => r.id as number);
      this.#recompute(dependentModel, dependentIds, paths, false, NO_FIELDS, depth + 1);
    }
  }

  /** The computes of every model that depend, through a many2one, on a field of `model` (built once). */
  #dependentsOf(model: RegistryModel): readonly Dependent[] {
    if (!this.#dependents) {
      const dependents = new Map<string, Dependent[]>();
      for (const other of this.registry.models) {
        for (const { compute } of other.ownComputes) {
          for (const path of compute.depends) {
            const [head = '', tail, ...rest] = path.split('.');
            const many2one = other.fields.get(head);
            if (tail === undefined || rest.length || many2one?.type !== 'many2one') continue;
            let list = dependents.get(many2one.relation);
            if (!list) dependents.set(many2one.relation, (list = []));
            if (!list.some((d) => d.many2one === many2one && d.path === path)) list.push({ model: other, many2one, path, field: tail });
          }
        }
      }
      this.#dependents = dependents;
    }
    return this.#dependents.get(model.name) ?? [];
  }

  /** The records whose sums over a one2many hold some of `ids` (records of `model`), by sum. */
  sumParents(model: RegistryModel, ids: readonly number[]): SumParents {
    const out: SumParents = new Map();
    for (const parent of this.registry.models) {
      for (const sum of parent.sumComputes) {
        if (sum.one2many.relation !== model.name) continue;
        const rows = this.statements.all(
          sql(
            `SELECT DISTINCT ${ident(sum.one2many.inverseName)} AS p FROM ${ident(model.table)} WHERE "id" IN (${placeholders(ids).sql})`,
            ...ids,
          ),
        );
        const set = new Set(rows.map((r) => r.p).filter((p): p is number => typeof p === 'number'));
        if (set.size) out.set(sum, set);
      }
    }
    return out;
  }

  recomputeSums(parents: ReadonlyMap<SumComputedField, ReadonlySet<number>>): void {
    for (const [sum, ids] of parents) this.#recomputeSum(sum, [...ids]);
  }

  #recomputeSum(sum: SumComputedField, ids: readonly number[]): void {
    if (!ids.length) return;
    const table = ident(this.registry.model(sum.model).table);
    const comodel = this.registry.model(sum.one2many.relation);
    this.statements.run(
      sql(
        `UPDATE ${table} SET ${ident(sum.field.column)} = (SELECT ROUND(COALESCE(SUM(c.${ident(sum.summed)}), 0), 2) FROM ${ident(comodel.table)} c WHERE c.${ident(sum.one2many.inverseName)} = ${table}."id") WHERE "id" IN (${placeholders(ids).sql})`,
        ...ids,
      ),
    );
  }
}
