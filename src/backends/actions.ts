/**
 * Business actions (issue 17): Odoo's public record methods (`sale.order.action_confirm`,
 * `crm.lead.action_set_won`) called on one record as the caller, `POST /api/<slug>/<id>/<method>`.
 *
 * Which names may be called is decided here, for every backend, before any backend sees the call:
 * - Odoo's own rule: no private name (`_compute_x`, `__init__`: Odoo's `check_method_name`);
 * - the contract's: none of the ORM's generic methods (`write`, `unlink`, `create`, `read`, `search`,
 *   `sudo`, `browse`, `with_context`...): reads and writes have their routes, where the contract's checks
 *   apply (unknown fields, types, all or nothing), and the others are no actions at all;
 * - a name is a Python identifier: no dots, slashes or spaces.
 */
import type { Caller, OdooRecord } from './backend.js';

/** One argument of an action, for its listing (`GET /api/<slug>/actions`) and the typed GraphQL mutations. */
export interface ActionArgument {
  readonly name: string;
  /** An Odoo field type the value takes (`many2one`: an id), or `json` for anything JSON. */
  readonly type: 'integer' | 'float' | 'boolean' | 'char' | 'text' | 'many2one' | 'json';
  /** For a many2one: the model of the id. */
  readonly relation?: string;
  readonly required: boolean;
  readonly description: string;
}

/** An action a backend knows for a model: its method name, what it does, its keyword arguments. */
export interface ActionInfo {
  readonly name: string;
  /** What Odoo's button says (`Confirm`), and what the action does, in a sentence or two. */
  readonly label: string;
  readonly description: string;
  /** Keyword arguments (`kwargs`); none take positional ones. */
  readonly kwargs: readonly ActionArgument[];
}

export interface ActionCall {
  readonly method: string;
  /** Positional arguments after the record (Odoo's `args` less the ids). */
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Record<string, unknown>>;
  /** Fields of the record read back after the action, as a retrieve's `fields`; undefined: the default read. */
  readonly fields?: readonly string[] | undefined;
}

export interface ActionOutcome {
  /** The method's return value, JSON-safe: `true`, `false`, a window action (a wizard) as Odoo gives it. */
  readonly result: unknown;
  /** The record read back as the caller, after the action. */
  readonly record: OdooRecord;
}

/** The ORM's generic methods: never actions (see the module comment). */
const NOT_ACTIONS: ReadonlySet<string> = new Set([
  'browse',
  'check_access_rights',
  'check_access_rule',
  'check_field_access_rights',
  'copy',
  'copy_data',
  'create',
  'default_get',
  'ensure_one',
  'exists',
  'export_data',
  'fields_get',
  'filtered',
  'filtered_domain',
  'flush_model',
  'flush_recordset',
  'get_metadata',
  'grouped',
  'invalidate_model',
  'invalidate_recordset',
  'load',
  'mapped',
  'modified',
  'name_create',
  'name_search',
  'new',
  'onchange',
  'read',
  'read_group',
  'search',
  'search_count',
  'search_fetch',
  'search_read',
  'sorted',
  'sudo',
  'unlink',
  'update',
  'web_read',
  'web_read_group',
  'web_save',
  'web_search_read',
  'with_company',
  'with_context',
  'with_env',
  'with_prefetch',
  'with_user',
  'write',
]);

const METHOD_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** Why `method` may not be called as an action, or undefined when it may. */
export function methodNameProblem(method: string): string | undefined {
  if (method.startsWith('_')) return `'${method.slice(0, 64)}' is a private method: Odoo does not let it be called remotely`;
  if (!METHOD_NAME.test(method)) return `'${method.slice(0, 64)}' is not a method name: expected lowercase letters, digits and '_'`;
  if (NOT_ACTIONS.has(method))
    return `'${method}' is not a business action: ${method === 'write' || method === 'unlink' || method === 'create' || method === 'read' ? 'use the record routes' : "it is one of the ORM's own methods"}`;
  return undefined;
}

/** The backends' part: call an action on one record and read it back (one transaction where the backend can). */
export interface ActionBackend {
  callAction(caller: Caller, model: string, id: number, call: ActionCall): Promise<ActionOutcome>;
  /** The actions known for `model` (the embedded store's, or those the catalogue knows for Odoo). */
  actions(caller: Caller, model: string): Promise<readonly ActionInfo[]>;
}
