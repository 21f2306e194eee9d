/**
 * Odoo's access control for the embedded store: model access rights (ir.model.access), record rules
 * (ir.rule) and field groups, evaluated for a UserContext.
 *
 * - Access rights are a union: a user may do an operation when any line for one of their groups (or a
 *   line for everyone) allows it.
 * - Record rules: global rules (no groups) are intersected; rules of the user's groups are united; the
 *   result is the conjunction of the two, as in Odoo's `ir.rule._compute_domain`.
 * Rule domains are compiled into the same SQL as the caller's domain, never checked row by row.
 */
import { normalizeDomain } from '../../../domain/normalize-domain.js';
import type { DomainNode } from '../../../domain/types.js';
import { AccessError } from '../../errors.js';
import type { ModelDefinition, Operation, UserContext } from '../model-definition.js';
import type { FieldInfo, RegistryModel } from '../registry.js';
import { groupCategory } from './groups.js';

const VERB: Readonly<Record<Operation, string>> = {
  read: 'access',
  write: 'modify',
  create: 'create',
  unlink: 'delete',
};

export function hasModelAccess(model: RegistryModel, operation: Operation, user: UserContext): boolean {
  return model.definition.access.some((line) => line[operation] && (line.group === null || user.groups.has(line.group)));
}

/** Throws Odoo's AccessError when no access right lets the user do `operation` on `model`. */
export function checkModelAccess(
  model: RegistryModel,
  operation: Operation,
  user: UserContext,
  groupNames: ReadonlyMap<string, string>,
): void {
  if (hasModelAccess(model, operation, user)) return;
  // Odoo's group_names_with_access: `Category/Name`, ordered by category, then name.
  const allowed = model.definition.access
    .flatMap((line) => (line[operation] && line.group !== null ? [line.group] : []))
    .map((group) => ({ category: groupCategory(group) ?? '', name: groupNames.get(group) ?? group }))
    .sort((a, b) =>
      a.category === b.category ? compareText(a.name, b.name) : !a.category ? 1 : !b.category ? -1 : compareText(a.category, b.category),
    )
    .map(({ category, name }) => `\t- ${category ? `${category}/${name}` : name}`);
  const groups = allowed.length
    ? `\n\nThis operation is allowed for the following groups:\n${allowed.join('\n')}`
    : '\n\nNo group currently allows this operation.';
  throw new AccessError(
    `You are not allowed to ${VERB[operation]} '${model.description}' (${model.name}) records.${groups}\n\nContact your administrator to request access if necessary.`,
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const ruleCache = new WeakMap<UserContext, Map<string, DomainNode | null>>();

/**
 * The rule domain restricting `operation` on `model` for `user`, or null when no rule applies.
 * Memoised per user context (contexts are rebuilt when users, groups or companies change).
 */
export function ruleDomain(model: RegistryModel, operation: Operation, user: UserContext): DomainNode | null {
  let cache = ruleCache.get(user);
  if (!cache) ruleCache.set(user, (cache = new Map<string, DomainNode | null>()));
  const key = `${model.name}|${operation}`;
  if (!cache.has(key)) cache.set(key, computeRuleDomain(model.definition, operation, user));
  return cache.get(key)!;
}

function computeRuleDomain(model: ModelDefinition, operation: Operation, user: UserContext): DomainNode | null {
  const rules = (model.rules ?? []).filter((r) => (r.operations ?? ['read', 'write', 'create', 'unlink']).includes(operation));
  const globals: DomainNode[] = [];
  for (const { field, parent } of model.inherits ?? []) {
    const inherited = computeRuleDomain(parent, operation, user);
    if (inherited) globals.push({ kind: 'leaf', path: field, operator: 'any', value: inherited });
  }
  const groupDomains: DomainNode[] = [];
  for (const rule of rules) {
    if (rule.groups.length === 0) globals.push(normalizeDomain([...rule.domain(user)]));
    else if (rule.groups.some((g) => user.groups.has(g))) groupDomains.push(normalizeDomain([...rule.domain(user)]));
  }
  const parts = [...globals];
  if (groupDomains.length) parts.push(groupDomains.length === 1 ? groupDomains[0]! : { kind: 'or', children: groupDomains });
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : { kind: 'and', children: parts };
}

/** Odoo 17's message when record rules hide or protect records. */
export function ruleViolation(model: RegistryModel, operation: Operation, user: UserContext): AccessError {
  return new AccessError(
    `Uh-oh! Looks like you have stumbled upon some top-secret records.\n\nSorry, ${user.name} (id=${user.id}) doesn't have '${operation}' access to:\n- ${model.description} (${model.name})\n\nIf you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.`,
  );
}

/** Field-level access: `groups` on a field limits who may read or write it; internal fields are for nobody. */
export function canAccessField(field: FieldInfo, user: UserContext): boolean {
  if (field.internal) return false;
  return !field.groups || field.groups.some((g) => user.groups.has(g));
}
