/**
 * The store's writes: create, write and unlink as Odoo 17 makes them, as a user or as the superuser:
 * access rights and record rules, defaults and sequences, references that must exist, x2many commands,
 * stored computes, constraints, the models' create and write hooks, Odoo's deletion rules, and Odoo 17's
 * writes of translatable fields in the caller's language (`#translatedWrites`). Callers run
 * each public write in one transaction (see store.ts), so a request either fully succeeds or changes nothing.
 */
import { normalizeDomain } from '../../domain/normalize-domain.js';
import { TRUE_DOMAIN, type DomainNode } from '../../domain/types.js';
import { UserError, ValidationError } from '../errors.js';
import type { EnvContext, HookContext, HookOptions, StoredValue, UserContext, WrittenValues } from './model-definition.js';
import { TRANSLATION_TABLE } from './i18n/translated-sql.js';
import { SEQUENCES } from './models/sequences.js';
import type { FieldInfo, RegistryModel, Registry, ScalarFieldInfo, X2ManyFieldInfo } from './registry.js';
import { canAccessField, ruleDomain, ruleViolation } from './security/access.js';
import { DomainCompiler, superuserContext } from './sql/compile-domain.js';
import { ident, placeholders, sql, type SqlFragment } from './sql/sql-fragment.js';
import type { Actor, StoreAccess } from './store-access.js';
import { actorLang, type StoreReader } from './store-read.js';
import type { Row, StoreStatements } from './store-statements.js';
import type { StoredComputes } from './stored-computes.js';
import { convertScalar, isPlainObject, nowUtc, prepareValues, type X2ManyCommand } from './values.js';

export class StoreWriter {
  /** While a hook writes as the superuser for a caller: that caller, whom Odoo's sudo() still records as the writer. */
  #sudoFor: UserContext | undefined;

  constructor(
    private readonly statements: StoreStatements,
    private readonly registry: Registry,
    private readonly access: StoreAccess,
    private readonly reader: StoreReader,
    private readonly computes: StoredComputes,
  ) {}

  #env(actor: Actor): EnvContext {
    const user = actor === 'superuser' ? (this.#sudoFor ?? superuserUser()) : actor;
    return {
      user,
      now: nowUtc(),
      nextSequence: (code) => this.nextSequence(code),
      firstRecordId: (model, where = {}) => {
        const domain: DomainNode = {
          kind: 'and',
          children: Object.entries(where).map(([path, value]) => ({ kind: 'leaf', path, operator: '=', value })),
        };
        return this.reader.search('superuser', model, Object.keys(where).length ? domain : TRUE_DOMAIN, { limit: 1 })[0] ?? null;
      },
    };
  }

  /** Next value of a sequence (`S00001`), inside the current transaction. */
  nextSequence(code: string): string {
    const spec = SEQUENCES[code];
    if (!spec) throw new Error(`unknown sequence ${code}`);
    this.statements.run(
      sql(
        `INSERT OR IGNORE INTO "ir_sequence" ("code", "prefix", "padding", "number_next") VALUES (?, ?, ?, 1)`,
        code,
        spec.prefix,
        spec.padding,
      ),
    );
    const row = this.statements.all(
      sql(
        `UPDATE "ir_sequence" SET "number_next" = "number_next" + 1 WHERE "code" = ? RETURNING "number_next" - 1 AS n, "prefix", "padding"`,
        code,
      ),
    )[0]!;
    return `${row.prefix}${String(row.n).padStart(Number(row.padding), '0')}`;
  }

  #canWrite(actor: Actor) {
    return (field: FieldInfo) => actor === 'superuser' || canAccessField(field, actor);
  }

  create(actor: Actor, model: RegistryModel, values: Record<string, unknown>): number {
    this.access.checkAccess(model, 'create', actor);
    const prepared = prepareValues(model, values, this.#canWrite(actor), actor === 'superuser');
    const given: WrittenValues = Object.fromEntries(prepared.columns);
    const env = this.#env(actor);
    const columns = prepared.columns;
    for (const field of model.storedFields) {
      if (field.computedOrMagic || columns.has(field.name) || field.default === undefined) continue;
      const snapshot: Row = Object.fromEntries(columns);
      const value = typeof field.default === 'function' ? field.default(env, snapshot) : field.default;
      columns.set(field.name, convertScalar(model, field, field.type === 'boolean' ? value === true || value === 1 : value));
    }
    for (const field of model.storedFields) {
      if (field.required && (columns.get(field.name) ?? null) === null) throw missingRequired(model, field);
    }
    this.#checkReferences(model, columns);
    columns.set('create_uid', env.user.id);
    columns.set('write_uid', env.user.id);
    columns.set('create_date', env.now);
    columns.set('write_date', env.now);
    const names = [...columns.keys()];
    const row = uniqueClashAsValidationError(model, () =>
      this.statements.all({
        sql: `INSERT INTO ${ident(model.table)} (${names.map(ident).join(', ')}) VALUES (${placeholders(names).sql}) RETURNING "id"`,
        params: names.map((n) => columns.get(n) ?? null),
      }),
    )[0]!;
    const id = row.id as number;
    // Odoo 17 creates a translatable value in a language other than en_US as both the en_US value and that
    // language's (`_String.convert_to_column_insert`: `{'en_US': value, lang: value}`).
    const lang = actorLang(actor);
    if (lang) {
      for (const field of model.translatedFields) {
        const value = columns.get(field.name);
        if (value !== undefined && value !== null) this.setTranslation(field, [id], lang, String(value));
      }
    }
    for (const { field, commands } of prepared.x2many.values()) this.#applyCommands(actor, model, id, field, commands);
    this.computes.afterChange(model, [id], new Set([...columns.keys(), ...prepared.x2many.keys()]), true, new Set(Object.keys(given)));
    this.#checkConstraints(model, [id]);
    if (actor !== 'superuser') {
      const rule = ruleDomain(model, 'create', actor);
      if (rule && this.access.allowedIds(model, 'create', actor, [id]).size === 0) throw ruleViolation(model, 'create', actor);
    }
    model.definition.onCreate?.(this.#hookContext(actor), id, given);
    return id;
  }

  /** A write; `hooks` false is Odoo's `super().write()` that a hook runs (the model's onWrite is not run). */
  write(actor: Actor, model: RegistryModel, ids: readonly number[], values: Record<string, unknown>, hooks = true): void {
    this.access.checkAccess(model, 'write', actor);
    const unique = [...new Set(ids)];
    const prepared = prepareValues(model, values, this.#canWrite(actor), actor === 'superuser');
    this.access.checkRecords(model, 'write', actor, unique);
    // Like Odoo's write({}): nothing to write changes nothing, not even write_date.
    if (prepared.columns.size === 0 && prepared.x2many.size === 0) return;
    const given: WrittenValues = Object.fromEntries(prepared.columns);
    const env = this.#env(actor);
    const columns = prepared.columns;
    for (const [name, value] of columns) {
      const field = model.fields.get(name);
      if (field?.required && value === null) throw missingRequired(model, field);
    }
    this.#checkReferences(model, columns);
    const parentsBefore = this.computes.sumParents(model, unique);
    const inLang = this.#translatedWrites(model, actor, columns);
    columns.set('write_uid', env.user.id);
    columns.set('write_date', env.now);
    const names = [...columns.keys()];
    // A value written in another language than en_US is that language's; the en_US column is only filled
    // where it is empty (Odoo 17's `_write`: `{'en_US': value} || COALESCE(name, '{}') || {lang: value}`).
    const assign = (n: string) => (inLang.has(n) ? `${ident(n)} = COALESCE(${ident(n)}, ?)` : `${ident(n)} = ?`);
    uniqueClashAsValidationError(model, () =>
      this.statements.run({
        sql: `UPDATE ${ident(model.table)} SET ${names.map(assign).join(', ')} WHERE "id" IN (${placeholders(unique).sql})`,
        params: [...names.map((n) => columns.get(n) ?? null), ...unique],
      }),
    );
    for (const field of model.translatedFields) {
      if (!columns.has(field.name)) continue;
      const value = columns.get(field.name) ?? null;
      if (inLang.has(field.name)) this.setTranslation(field, unique, inLang.get(field.name)!, String(value));
      // Odoo 17 writes an empty value (False) as NULL in the whole column: every language's value goes.
      else if (value === null) this.#dropTranslations(field, unique);
    }
    for (const id of unique) {
      for (const { field, commands } of prepared.x2many.values()) this.#applyCommands(actor, model, id, field, commands);
    }
    this.computes.afterChange(
      model,
      unique,
      new Set([...columns.keys(), ...prepared.x2many.keys()]),
      false,
      new Set(Object.keys(given)),
      parentsBefore,
    );
    this.#checkConstraints(model, unique);
    if (actor !== 'superuser') {
      const rule = ruleDomain(model, 'write', actor);
      if (rule && this.access.allowedIds(model, 'write', actor, unique).size !== unique.length) throw ruleViolation(model, 'write', actor);
    }
    if (hooks) model.definition.onWrite?.(this.#hookContext(actor), unique, given);
  }

  /**
   * The translatable fields among `columns` that a write sets in the actor's language, when it is not
   * en_US (with that language): Odoo 17's `_String.write` changes only that language's value. A write in
   * en_US changes the column alone, other languages keeping theirs; an empty value is no translation.
   */
  #translatedWrites(model: RegistryModel, actor: Actor, columns: ReadonlyMap<string, StoredValue>): Map<string, string> {
    const out = new Map<string, string>();
    const lang = model.translatedFields.length ? actorLang(actor) : undefined;
    if (!lang) return out;
    for (const field of model.translatedFields) {
      const value = columns.get(field.name);
      if (value !== undefined && value !== null) out.set(field.name, lang);
    }
    return out;
  }

  /** Sets the `lang` value (a language other than en_US) of a translatable field on records. */
  setTranslation(field: ScalarFieldInfo, ids: readonly number[], lang: string, value: string): void {
    for (const id of ids) {
      this.statements.run(
        sql(
          `INSERT INTO "${TRANSLATION_TABLE}" ("model", "res_id", "field", "lang", "value") VALUES (?, ?, ?, ?, ?) ON CONFLICT ("model", "res_id", "field", "lang") DO UPDATE SET "value" = excluded."value"`,
          field.model,
          id,
          field.name,
          lang,
          value,
        ),
      );
    }
  }

  #dropTranslations(field: ScalarFieldInfo, ids: readonly number[]): void {
    for (const id of ids) {
      this.statements.run(
        sql(`DELETE FROM "${TRANSLATION_TABLE}" WHERE "model" = ? AND "res_id" = ? AND "field" = ?`, field.model, id, field.name),
      );
    }
  }

  /** What a model's hooks may do: read, search and write (without hooks), as `actor` or, asked to, as the superuser. */
  #hookContext(actor: Actor): HookContext {
    const as = (options?: HookOptions): Actor => (options?.sudo ? 'superuser' : actor);
    return {
      read: (modelName, ids, fields, options) => {
        const model = this.registry.model(modelName);
        const reader = as(options);
        this.access.checkAccess(model, 'read', reader);
        this.access.checkRecords(model, 'read', reader, ids);
        const byId = new Map(this.reader.storedRows(model, ids).map((row) => [row.id as number, row]));
        return ids.map((id) => {
          const row = byId.get(id)!;
          return Object.fromEntries(['id', ...fields].map((name) => [name, row[name] ?? null]));
        });
      },
      search: (modelName, domain, options) => this.reader.search(as(options), modelName, normalizeDomain([...domain])),
      write: (modelName, ids, values, options) => {
        const model = this.registry.model(modelName);
        if (!options?.sudo || actor === 'superuser') {
          this.write(actor, model, ids, { ...values }, false);
          return;
        }
        const outer = this.#sudoFor;
        this.#sudoFor = actor;
        try {
          this.write('superuser', model, ids, { ...values }, false);
        } finally {
          this.#sudoFor = outer;
        }
      },
    };
  }

  unlink(actor: Actor, model: RegistryModel, ids: readonly number[]): void {
    this.access.checkAccess(model, 'unlink', actor);
    const unique = [...new Set(ids)];
    this.access.checkRecords(model, 'unlink', actor, unique);
    const guard = model.definition.beforeUnlink;
    if (guard) {
      for (const row of this.reader.storedRows(model, unique)) {
        const refusal = guard(row);
        if (refusal) throw new UserError(refusal);
      }
    }
    const parentsBefore = this.computes.sumParents(model, unique);
    try {
      this.statements.run(sql(`DELETE FROM ${ident(model.table)} WHERE "id" IN (${placeholders(unique).sql})`, ...unique));
    } catch (error) {
      // A restricting reference fails at once (SQLITE_CONSTRAINT_TRIGGER), others at the statement's end (_FOREIGNKEY).
      if (
        String((error as { code?: string }).code).startsWith('SQLITE_CONSTRAINT') &&
        /FOREIGN KEY constraint failed/.test((error as Error).message)
      ) {
        throw new UserError(
          `The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${model.description} (${model.name})`,
        );
      }
      throw error;
    }
    this.computes.recomputeSums(parentsBefore);
  }

  /** Many2one values must name existing records. */
  #checkReferences(model: RegistryModel, columns: ReadonlyMap<string, StoredValue>): void {
    for (const [name, value] of columns) {
      const field = model.fields.get(name);
      if (field?.type !== 'many2one' || value === null) continue;
      const target = this.registry.model(field.relation);
      const found = this.statements.all(sql(`SELECT 1 AS ok FROM ${ident(target.table)} WHERE "id" = ?`, value));
      if (!found.length) {
        throw new ValidationError(
          `Invalid value for field '${name}' (${field.string}) on ${model.name}: ${target.name} record ${String(value)} does not exist`,
        );
      }
    }
  }

  #checkConstraints(model: RegistryModel, ids: readonly number[]): void {
    const constraints = model.definition.constraints;
    if (!constraints?.length) return;
    const lookup = this.reader.relatedLookup();
    for (const row of this.reader.storedRows(model, ids)) {
      for (const check of constraints) {
        const problem = check(row, lookup);
        if (problem) throw new ValidationError(problem);
      }
    }
  }

  /** Records an x2many value names (update, delete, link, set) must exist: a ValidationError naming the field, as for a many2one. */
  #checkCommandTargets(model: RegistryModel, field: X2ManyFieldInfo, comodel: RegistryModel, commands: readonly X2ManyCommand[]): void {
    const ids = [...new Set(commands.flatMap((c) => (c.op === 6 ? c.ids : c.op === 1 || c.op === 2 || c.op === 4 ? [c.id] : [])))];
    if (!ids.length) return;
    const existing = new Set(this.statements.all(this.access.whereIds(comodel, ids, null)).map((r) => r.id as number));
    const missing = ids.filter((targetId) => !existing.has(targetId));
    if (missing.length) {
      throw new ValidationError(
        `Invalid value for field '${field.name}' (${field.string}) on ${model.name}: ${comodel.name} record${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist`,
      );
    }
  }

  /** Odoo's x2many commands (create, update, delete, unlink, link, clear, set) on the field of record `id`. */
  #applyCommands(actor: Actor, model: RegistryModel, id: number, field: X2ManyFieldInfo, commands: readonly X2ManyCommand[]): void {
    const comodel = this.registry.model(field.relation);
    this.#checkCommandTargets(model, field, comodel, commands);
    if (field.type === 'one2many') {
      const inverse = field.inverseName;
      const inverseField = this.registry.inverseOf(field);
      const children = () =>
        this.statements.all(sql(`SELECT "id" FROM ${ident(comodel.table)} WHERE ${ident(inverse)} = ?`, id)).map((r) => r.id as number);
      const detach = (childIds: readonly number[]) => {
        if (!childIds.length) return;
        if (inverseField.required) this.unlink(actor, comodel, childIds);
        else this.write(actor, comodel, childIds, { [inverse]: false });
      };
      const ensureChild = (childId: number) => {
        if (!children().includes(childId)) {
          throw new ValidationError(`${comodel.name} record ${childId} is not in ${model.name}.${field.name} of record ${id}`);
        }
      };
      for (const command of commands) {
        switch (command.op) {
          case 0:
            this.create(actor, comodel, { ...stripKey(command.values, inverse), [inverse]: id });
            break;
          case 1:
            ensureChild(command.id);
            this.write(actor, comodel, [command.id], stripKey(command.values, inverse));
            break;
          case 2:
            ensureChild(command.id);
            this.unlink(actor, comodel, [command.id]);
            break;
          case 3:
            ensureChild(command.id);
            detach([command.id]);
            break;
          case 4:
            this.write(actor, comodel, [command.id], { [inverse]: id });
            break;
          case 5:
            detach(children());
            break;
          case 6: {
            const keep = new Set(command.ids);
            detach(children().filter((c) => !keep.has(c)));
            if (command.ids.length) this.write(actor, comodel, command.ids, { [inverse]: id });
            break;
          }
        }
      }
      return;
    }
    const link = field.link;
    const table = ident(link.table);
    const own = ident(link.ownColumn);
    const other = ident(link.otherColumn);
    const add = (targetIds: readonly number[]) => {
      if (!targetIds.length) return;
      this.access.checkRecords(comodel, 'read', actor, targetIds);
      for (const targetId of targetIds)
        this.statements.run(sql(`INSERT OR IGNORE INTO ${table} (${own}, ${other}) VALUES (?, ?)`, id, targetId));
    };
    // Unlink, clear and replace act on the value as the actor reads it, as in Odoo: links to records the
    // read rules hide from the actor (a tag's partners of another company) stay.
    const rule = actor === 'superuser' ? null : ruleDomain(comodel, 'read', actor);
    const readable = rule ? new DomainCompiler(superuserContext(this.registry)).compile(comodel, 'c', rule) : null;
    const removeLinks = (where: SqlFragment) =>
      this.statements.run(
        readable
          ? {
              sql: `DELETE FROM ${table} WHERE ${where.sql} AND ${other} IN (SELECT c."id" FROM ${ident(comodel.table)} c WHERE ${readable.sql})`,
              params: [...where.params, ...readable.params],
            }
          : { sql: `DELETE FROM ${table} WHERE ${where.sql}`, params: where.params },
      );
    for (const command of commands) {
      switch (command.op) {
        case 0:
          add([this.create(actor, comodel, command.values)]);
          break;
        case 1:
          this.write(actor, comodel, [command.id], command.values);
          break;
        case 2:
          this.unlink(actor, comodel, [command.id]);
          break;
        case 3:
          removeLinks(sql(`${own} = ? AND ${other} = ?`, id, command.id));
          break;
        case 4:
          add([command.id]);
          break;
        case 5:
          removeLinks(sql(`${own} = ?`, id));
          break;
        case 6:
          removeLinks(sql(`${own} = ?`, id));
          add([...new Set(command.ids)]);
          break;
      }
    }
  }
}

/** The user a superuser operation runs as, for defaults and the create/write uids: Odoo's OdooBot, uid 1. */
function superuserUser(): UserContext {
  return { id: 1, login: '__system__', name: 'OdooBot', partnerId: 1, companyId: 1, companyIds: [1], groups: new Set() };
}

function stripKey(values: Record<string, unknown>, key: string): Record<string, unknown> {
  if (!isPlainObject(values) || !(key in values)) return values;
  const { [key]: _removed, ...rest } = values;
  return rest;
}

/** Runs an INSERT or UPDATE; a clash on a unique field (an SQL UNIQUE index) becomes a ValidationError naming the field. */
function uniqueClashAsValidationError<T>(model: RegistryModel, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
    const column = /UNIQUE constraint failed: [A-Za-z0-9_]+\.([A-Za-z0-9_]+)/.exec((error as Error).message)?.[1];
    const field = model.storedFields.find((f) => f.column === column);
    throw new ValidationError(
      field
        ? `The value of field '${field.name}' (${field.string}) must be unique on ${model.description} (${model.name}): another record already has it`
        : `A value that must be unique on ${model.description} (${model.name}) is already used by another record`,
    );
  }
}

function missingRequired(model: RegistryModel, field: FieldInfo): ValidationError {
  return new ValidationError(`Missing required field '${field.name}' (${field.string}) on ${model.description} (${model.name})`);
}
