/**
 * Who may do what in the store, as its reads and writes ask: the model's access rights, the record rules
 * over given ids (MissingError for an id that does not exist, AccessError for one the rules hide), and the
 * compile context that makes a domain carry the caller's rules and field access. The superuser passes
 * every check.
 */
import type { DomainNode } from '../../domain/types.js';
import { MissingError } from '../errors.js';
import type { Operation, UserContext } from './model-definition.js';
import type { RegistryModel, Registry } from './registry.js';
import { canAccessField, checkModelAccess, ruleDomain, ruleViolation } from './security/access.js';
import { superuserContext, type CompileContext } from './sql/compile-domain.js';
import { ruleSql } from './sql/compiled-rules.js';
import { andSql, ident, idsIn, sql, type SqlFragment } from './sql/sql-fragment.js';
import type { StoreStatements } from './store-statements.js';

/** Who an operation runs as: a user (rules apply) or the superuser (no checks; demo data, internals). */
export type Actor = UserContext | 'superuser';

export class StoreAccess {
  #groupNames: Map<string, string> | undefined;

  constructor(
    private readonly statements: StoreStatements,
    private readonly registry: Registry,
  ) {}

  /** How a domain compiles for the actor: its read rules on the models it reaches, and its field access. */
  compileContext(actor: Actor): CompileContext {
    if (actor === 'superuser') return superuserContext(this.registry);
    return {
      registry: this.registry,
      ruleDomain: (model) => ruleDomain(this.registry.model(model), 'read', actor),
      canReadField: (field) => canAccessField(field, actor),
      checkReadAccess: (model) => checkModelAccess(model, 'read', actor, this.#groupLabels()),
    };
  }

  /** Throws an AccessError when the actor has no access right for `operation` on the model. */
  checkAccess(model: RegistryModel, operation: Operation, actor: Actor): void {
    if (actor === 'superuser') return;
    checkModelAccess(model, operation, actor, this.#groupLabels());
  }

  #groupLabels(): Map<string, string> {
    if (!this.#groupNames) {
      const groups = this.registry.resolve('res.groups');
      this.#groupNames = new Map();
      if (groups?.fields.has('xml_id')) {
        for (const row of this.statements.all(sql(`SELECT "xml_id", "name" FROM "res_groups"`))) {
          this.#groupNames.set(String(row.xml_id), String(row.name));
        }
      }
    }
    return this.#groupNames;
  }

  /** Records among `ids` that `operation`'s rules let the actor touch. */
  allowedIds(model: RegistryModel, operation: Operation, actor: Actor, ids: readonly number[]): Set<number> {
    const rows = this.statements.all(this.whereIds(model, ids, actor === 'superuser' ? null : ruleDomain(model, operation, actor)));
    return new Set(rows.map((r) => r.id as number));
  }

  /** `SELECT t."id"` of the records among `ids` that `rule` (when given) lets through. */
  whereIds(model: RegistryModel, ids: readonly number[], rule: DomainNode | null): SqlFragment {
    const parts: SqlFragment[] = [idsIn('t."id"', ids)];
    if (rule) parts.push(ruleSql(this.registry, model, 't', rule, { correlated: true }));
    const where = andSql(parts);
    return { sql: `SELECT t."id" FROM ${ident(model.table)} t WHERE ${where.sql}`, params: where.params };
  }

  /** Throws MissingError when an id does not exist, AccessError when rules hide one. */
  checkRecords(model: RegistryModel, operation: Operation, actor: Actor, ids: readonly number[]): void {
    const unique = [...new Set(ids)];
    const existing = new Set(this.statements.all(this.whereIds(model, unique, null)).map((r) => r.id as number));
    const missing = unique.filter((id) => !existing.has(id));
    if (missing.length) {
      throw new MissingError(
        `Record does not exist or has been deleted.\n(Record: ${model.name}(${missing.join(', ')},), User: ${actor === 'superuser' ? 1 : actor.id})`,
      );
    }
    if (actor === 'superuser') return;
    const allowed = this.allowedIds(model, operation, actor, unique);
    if (allowed.size !== unique.length) throw ruleViolation(model, operation, actor);
  }
}
