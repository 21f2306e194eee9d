/**
 * The typed schema's business actions (issue 17): Odoo's methods on one record as typed mutations
 * (`confirmSaleOrder(id)`, `markCrmLeadLost(id, lostReasonId)`), made by generate-typed-sdl.ts from each
 * model's actions, read back by read-typed-models.ts (`@odooAction`, `@odooArgument`), resolved by
 * typed-resolvers.ts through `POST /api/<slug>/<id>/<method>`. Here: what those three share.
 *
 * When Odoo answers a wizard instead of acting (cancelling a confirmed sale order answers the
 * `sale.order.cancel` dialog and cancels nothing; validating a transfer short of its demand answers the
 * backorder dialog), the mutation fails with `ACTION_REQUIRES_WIZARD`, the window action in the error's
 * `extensions.result`. An error rather than the unchanged record, or a payload type around it, because:
 * - the mutation keeps the shape the issue gives it, the record itself (`confirmSaleOrder: SaleOrder!`),
 *   which is what a normalised cache (Apollo) merges, without a wrapper to unwrap on every call;
 * - a client cannot take it for the action done: Apollo rejects the mutation's promise (default
 *   `errorPolicy`), where an unchanged `state` in a successful answer is easily missed;
 * - nothing changed, so a cache holding the record is still right; the error names the record (`id`) and
 *   the method, for a client that wants to open the wizard in Odoo or read the record again.
 */
import { createGraphQLError } from 'graphql-yoga';
import type { GraphQLError } from 'graphql';
import type { ActionArgument, ActionInfo } from '../../backends/actions.js';
import type { TypedAction } from './read-typed-models.js';

/** The `extensions.code` of a business action Odoo answered with a wizard. */
export const ACTION_REQUIRES_WIZARD = 'ACTION_REQUIRES_WIZARD';

/**
 * Whether a method's return value is a wizard: a window action opening a dialog (`target: 'new'`), what
 * Odoo's client shows instead of doing the action. Other return values (`true`, `false`, a notification,
 * a window action that opens a record in the page) come after the action was done.
 */
export function isWizard(result: unknown): result is Record<string, unknown> {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return false;
  const action = result as Record<string, unknown>;
  return action.type === 'ir.actions.act_window' && action.target === 'new';
}

/** The error of a business action Odoo answered with a wizard (see the module comment). */
export function wizardError(action: TypedAction, model: string, id: number, result: Record<string, unknown>): GraphQLError {
  const wizard = typeof result.res_model === 'string' ? ` (${result.res_model})` : '';
  return createGraphQLError(
    `${action.name}: Odoo answered a wizard${wizard} instead of doing ${model}.${action.method} on record ${id}, and changed nothing. ` +
      'Complete the wizard in Odoo; its window action is in extensions.result.',
    { extensions: { code: ACTION_REQUIRES_WIZARD, model, id, method: action.method, result } },
  );
}

/** The keyword arguments of a typed action's call: each argument given (not null) under its Odoo name. */
export function actionKwargs(action: TypedAction, args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const kwargs: Record<string, unknown> = {};
  for (const { name, kwarg } of action.args) {
    const value = args[name];
    if (value !== undefined && value !== null) kwargs[kwarg] = value;
  }
  return kwargs;
}

const ARGUMENT_TYPES: ReadonlySet<string> = new Set<ActionArgument['type']>([
  'integer',
  'float',
  'boolean',
  'char',
  'text',
  'many2one',
  'json',
]);

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function asArgument(value: unknown): ActionArgument | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const arg = value as Record<string, unknown>;
  if (typeof arg.name !== 'string' || arg.name === '') return undefined;
  // A type this project does not know (an upstream's own): any JSON, which the method then checks.
  const type = typeof arg.type === 'string' && ARGUMENT_TYPES.has(arg.type) ? (arg.type as ActionArgument['type']) : 'json';
  return {
    name: arg.name,
    type,
    ...(typeof arg.relation === 'string' && { relation: arg.relation }),
    required: arg.required === true,
    description: text(arg.description),
  };
}

/**
 * `GET /api/<slug>/actions`'s answer (`{actions: [{name, label, description, kwargs}]}`) as the generator
 * takes it; throws when it is not that shape. An action with a keyword argument that is not one is left out.
 */
export function asActionList(body: unknown): ActionInfo[] {
  const list = typeof body === 'object' && body !== null ? (body as { actions?: unknown }).actions : undefined;
  if (!Array.isArray(list)) throw new Error('GET /api/<slug>/actions did not answer {"actions": [...]}');
  const actions: ActionInfo[] = [];
  for (const item of list as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { name, label, description, kwargs } = item as Record<string, unknown>;
    if (typeof name !== 'string' || name === '') continue;
    const args = Array.isArray(kwargs) ? (kwargs as unknown[]).map(asArgument) : [];
    if (args.some((arg) => arg === undefined)) continue;
    actions.push({ name, label: text(label) || name, description: text(description), kwargs: args as ActionArgument[] });
  }
  return actions;
}
