/**
 * One ORM method call, described once and sent in whichever protocol the caller's credentials need
 * (odoo-transport.ts):
 * - `/jsonrpc` `execute_kw(db, uid, key, model, method, args, kwargs)`: `args` and `kwargs` as here,
 *   which is how test/fixtures/odoo-recordings/jsonrpc_*.json were sent;
 * - `/web/dataset/call_kw` with a session: the same, or `web` where Odoo's web client puts arguments
 *   differently (search_read: everything as keywords, web_dataset_call_kw_sale_order_search_read.json);
 * - `/json/2/<model>/<method>` (Odoo 19+): `named`, every parameter by name plus `ids`.
 */
import type { DomainListTerm } from '../../domain/domain-to-list.js';

export interface ModelCall {
  readonly model: string;
  readonly method: string;
  /** Positional arguments, record ids first for record methods. */
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Record<string, unknown>>;
  /** call_kw's arguments when the web client's convention differs from execute_kw's. */
  readonly web?: { readonly args: readonly unknown[]; readonly kwargs: Readonly<Record<string, unknown>> };
  /** The /json/2 body. */
  readonly named: Readonly<Record<string, unknown>>;
}

/** The attributes asked of `fields_get` (as in jsonrpc_sale_order_fields_get.json). */
export const FIELD_ATTRIBUTES = ['type', 'string', 'relation', 'required', 'readonly', 'selection'] as const;

/** The keyword arguments of Odoo's `search_read` besides the domain: the fields, paging and order. */
export interface SearchReadOptions {
  readonly fields: readonly string[];
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
  readonly order?: string | undefined;
}

/** `search_read(domain, fields, offset, limit, order)`. */
export function searchReadCall(model: string, domain: DomainListTerm[], options: SearchReadOptions): ModelCall {
  const kwargs = {
    fields: [...options.fields],
    ...(options.offset ? { offset: options.offset } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.order ? { order: options.order } : {}),
  };
  return {
    model,
    method: 'search_read',
    args: [domain],
    kwargs,
    web: { args: [], kwargs: { domain, ...kwargs } },
    named: { domain, ...kwargs },
  };
}

/** `search_count(domain)`. */
export function searchCountCall(model: string, domain: DomainListTerm[]): ModelCall {
  return { model, method: 'search_count', args: [domain], kwargs: {}, named: { domain } };
}

/** `read(ids, fields)`: many2one as `[id, display_name]`; ids that do not exist are left out. */
export function readCall(model: string, ids: readonly number[], fields: readonly string[]): ModelCall {
  return { model, method: 'read', args: [[...ids]], kwargs: { fields: [...fields] }, named: { ids: [...ids], fields: [...fields] } };
}

/** `create(vals)`: execute_kw answers the new id; /json/2 (`vals_list`) answers a list of ids. */
export function createCall(model: string, values: Readonly<Record<string, unknown>>): ModelCall {
  return { model, method: 'create', args: [values], kwargs: {}, named: { vals_list: [values] } };
}

/** `write(ids, vals)`. */
export function writeCall(model: string, ids: readonly number[], values: Readonly<Record<string, unknown>>): ModelCall {
  return { model, method: 'write', args: [[...ids], values], kwargs: {}, named: { ids: [...ids], vals: values } };
}

/** `unlink(ids)`. */
export function unlinkCall(model: string, ids: readonly number[]): ModelCall {
  return { model, method: 'unlink', args: [[...ids]], kwargs: {}, named: { ids: [...ids] } };
}

/** `fields_get(attributes=...)`: the fields the user may access, with their metadata. */
export function fieldsGetCall(model: string, attributes: readonly string[] = FIELD_ATTRIBUTES): ModelCall {
  const kwargs = { attributes: [...attributes] };
  return { model, method: 'fields_get', args: [], kwargs, named: kwargs };
}

/**
 * The attributes checking a create or update needs (check-values.ts): the types, and what tells a computed
 * field (`depends`, `related`, `store`) from a plain read-only one (`state`). Asked apart from
 * FIELD_ATTRIBUTES, so that reads and `GET /api/<slug>/fields` keep the recorded request.
 */
export const WRITE_FIELD_ATTRIBUTES = ['type', 'string', 'relation', 'readonly', 'selection', 'store', 'depends', 'related'] as const;

/**
 * `res.users.has_group(group_ext_id)`: whether the calling user is in that group (`base.group_system`...),
 * as Odoo's own session info decides `is_system` and `is_admin`. A model method (`@api.model`, no ids) on
 * Odoo 14-17; /json/2 gets the user's own id too.
 */
export function hasGroupCall(uid: number, group: string): ModelCall {
  return { model: 'res.users', method: 'has_group', args: [group], kwargs: {}, named: { ids: [uid], group_ext_id: group } };
}

/** The installed, non-transient models (`ir.model`), for resolving slugs. */
export function modelListCall(): ModelCall {
  const domain: DomainListTerm[] = [['transient', '=', false]];
  const kwargs = { fields: ['model', 'name'] };
  return {
    model: 'ir.model',
    method: 'search_read',
    args: [domain],
    kwargs,
    web: { args: [], kwargs: { domain, ...kwargs } },
    named: { domain, ...kwargs },
  };
}

/**
 * A public record method (a business action, src/backends/actions.ts) on records `ids`: `args` after the
 * ids, `kwargs` as given. On /json/2 every parameter is named, so positional `args` cannot go there: the
 * caller refuses them first (odoo-backend.ts).
 */
export function methodCall(
  model: string,
  method: string,
  ids: readonly number[],
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): ModelCall {
  return { model, method, args: [[...ids], ...args], kwargs: { ...kwargs }, named: { ids: [...ids], ...kwargs } };
}

/** `ir.model.get_available_models()` (Odoo 17's web addon): the models the user may read, as `{model, display_name}`. */
export function availableModelsCall(): ModelCall {
  return { model: 'ir.model', method: 'get_available_models', args: [], kwargs: {}, named: {} };
}

/** `res.users.context_get()`: on /json/2, the way to learn whose API key it is (Odoo 19 docs, "Common service"). */
export function contextGetCall(): ModelCall {
  return { model: 'res.users', method: 'context_get', args: [], kwargs: {}, named: {} };
}

/** The arguments of Odoo's `read_group` besides the domain (odoo/models.py, Odoo 14 to 18; deprecated in 19). */
export interface ReadGroupCallOptions {
  /** `field`, `field:agg` or `alias:agg(field)` (read-group.ts always sends the last). */
  readonly fields: readonly string[];
  /** `field` or `field:granularity`. */
  readonly groupby: readonly string[];
  readonly offset?: number | undefined;
  readonly limit?: number | undefined;
  readonly orderby?: string | undefined;
  readonly lazy: boolean;
  /** `lang` and `tz`: date groups are labelled in the language and datetimes grouped in the time zone. */
  readonly context?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * `read_group(domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True)`: positional as in
 * the docs' external API examples, the rest as keywords (`lazy` always, since Odoo's default is `True`);
 * call_kw as Odoo's web client sends it (everything as keywords).
 */
export function readGroupCall(model: string, domain: DomainListTerm[], options: ReadGroupCallOptions): ModelCall {
  const fields = [...options.fields];
  const groupby = [...options.groupby];
  const kwargs = {
    ...(options.offset ? { offset: options.offset } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.orderby ? { orderby: options.orderby } : {}),
    lazy: options.lazy,
    ...(options.context && Object.keys(options.context).length ? { context: { ...options.context } } : {}),
  };
  return {
    model,
    method: 'read_group',
    args: [domain, fields, groupby],
    kwargs,
    web: { args: [], kwargs: { domain, fields, groupby, ...kwargs } },
    named: { domain, fields, groupby, ...kwargs },
  };
}
