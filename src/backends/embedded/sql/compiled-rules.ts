/**
 * Record rules compiled to SQL once per user context, not at every request (issue 20: on a retrieve of a
 * sale order the rules of the order and of each x2many's comodel were compiled anew each time, 7% of its
 * CPU). A rule domain is made per user context and kept with it (security/access.ts `ruleDomain`, rebuilt
 * when users, groups or companies change), and its SQL depends only on that domain, the model, the alias,
 * whether it is correlated and the language: so it is kept by the domain object itself, and goes with it.
 * Rules are compiled as the superuser (a rule sees every record its domain names).
 */
import type { DomainNode } from '../../../domain/types.js';
import type { Registry, RegistryModel } from '../registry.js';
import { DomainCompiler, superuserContext } from './compile-domain.js';
import type { SqlFragment } from './sql-fragment.js';

export interface RuleSqlOptions {
  /** Sub-queries refer to the outer alias (DomainCompiler's `correlated`). */
  readonly correlated?: boolean;
  /** Translatable fields compare in this language (undefined: en_US). */
  readonly lang?: string;
}

const compiled = new WeakMap<Registry, WeakMap<DomainNode, Map<string, SqlFragment>>>();

/** `rule` (a domain `ruleDomain` returned) on `model` aliased `alias`, as SQL: compiled at its first use. */
export function ruleSql(
  registry: Registry,
  model: RegistryModel,
  alias: string,
  rule: DomainNode,
  options: RuleSqlOptions = {},
): SqlFragment {
  let byRule = compiled.get(registry);
  if (!byRule) compiled.set(registry, (byRule = new WeakMap<DomainNode, Map<string, SqlFragment>>()));
  let byShape = byRule.get(rule);
  if (!byShape) byRule.set(rule, (byShape = new Map<string, SqlFragment>()));
  const key = `${model.name} ${alias} ${options.correlated ? 1 : 0} ${options.lang ?? ''}`;
  let fragment = byShape.get(key);
  if (!fragment) {
    const base = superuserContext(registry);
    const context = options.lang === undefined ? base : { ...base, lang: options.lang };
    fragment = new DomainCompiler(context, options.correlated ? { correlated: true } : {}).compile(model, alias, rule);
    byShape.set(key, fragment);
  }
  return fragment;
}
