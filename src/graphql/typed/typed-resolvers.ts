/**
 * The resolvers of the typed schema, made from the typed models (read-typed-models.ts). Every read goes
 * through the operation's records (record-loader.ts), so:
 * - a list or single query asks the gateway for exactly the fields its selection needs (plus `id`);
 * - relation fields of one level are one request per related model, records already read are reused;
 * - a many2one relation that selects only `id`, `display_name` or the model's display-name field is
 *   answered from the expanded many2one (`{id, name}`) with no request;
 * - a field the caller may not read is an error (FORBIDDEN) on that field alone;
 * - a URL field (`image1920Url`) is made from the record's id: no request, the binary field is not read
 *   (field-selection.ts asks nothing for it), the REST route applies the access rules when it is fetched;
 * - a business action's mutation (`confirmSaleOrder`) calls `POST /api/<slug>/<id>/<method>`, then reads
 *   the record back through the operation's records (typed-actions.ts says what a wizard answer does);
 * - grouped totals (`saleOrderGroups`) are typed-groups.ts's.
 */
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { ContractRecord } from '../../gateway/contract-types.js';
import type { DomainNode } from '../../domain/types.js';
import { checkId, listParams } from '../arguments.js';
import type { GraphQLContext } from '../context.js';
import type { ErrorCode } from '../errors.js';
import { pageRequest } from '../page-selection.js';
import { serializeMany2One } from '../scalars.js';
import { TYPED_SCALARS } from './date-scalars.js';
import { odooFieldsOf, subfields } from './field-selection.js';
import { createMutationName, deleteMutationName, listQueryName, singleQueryName, updateMutationName } from './naming.js';
import type { TypedAction, TypedField, TypedFile, TypedModel, TypedModels, TypedRelation } from './read-typed-models.js';
import { answeredByLink, prefetchRelations } from './prefetch.js';
import { operationRecords, type ModelRecords } from './record-loader.js';
import { actionKwargs, isWizard, wizardError } from './typed-actions.js';
import { groupResolvers } from './typed-groups.js';
import { resolveChange, subscribeToChanges, type StreamItem } from '../subscriptions.js';

/** The resolver of a field of an object type: none of them takes arguments. */
type Resolver = GraphQLFieldResolver<ContractRecord, GraphQLContext, unknown>;
/**
 * The resolver of a root field. Each declares the `args` its SDL field takes (graphql-js coerces them
 * against the SDL before the call); `never` lets one map hold resolvers of different arguments.
 */
type RootResolver = GraphQLFieldResolver<unknown, GraphQLContext, never>;

function forbidden(message: string): Error {
  return createGraphQLError(message, { extensions: { code: 'FORBIDDEN' satisfies ErrorCode } });
}

function recordsOf(context: GraphQLContext, model: TypedModel): ModelRecords {
  return operationRecords(context.gateway).of(model);
}

/** The Odoo fields a field returning records of `model` needs, memoised per field nodes (shared by the items of a list). */
const fieldsCache = new WeakMap<object, Map<string, string[]>>();
function neededFields(model: TypedModel, info: GraphQLResolveInfo, nodes = info.fieldNodes): string[] {
  let byModel = fieldsCache.get(nodes);
  if (!byModel) {
    byModel = new Map();
    fieldsCache.set(nodes, byModel);
  }
  let fields = byModel.get(model.type);
  if (!fields) {
    fields = odooFieldsOf(model, nodes, info);
    byModel.set(model.type, fields);
  }
  return fields;
}

/** A field the record lacks: forbidden to this caller (an error on that field), or not there (null). */
function absent(context: GraphQLContext, model: TypedModel, field: string): null {
  const reason = recordsOf(context, model).forbidden.get(field);
  if (reason !== undefined) throw forbidden(reason);
  return null;
}

function fieldResolver(model: TypedModel, field: TypedField): Resolver {
  const { name, kind } = field;
  return (record, _args, context) => {
    const value = record[name];
    if (value === undefined) return absent(context, model, name);
    // Odoo's `false` is "not set" for everything but a boolean; an x2many is always a list.
    if (kind === 'boolean' || kind === 'x2many') return value;
    return value === false ? null : value;
  };
}

/** `/api/<slug>/<id>/<field>`, the path of the binary field's bytes (src/rest/binary-field-route.ts). */
function fileResolver(model: TypedModel, file: TypedFile): Resolver {
  const field = encodeURIComponent(file.field);
  return (record) => (typeof record.id === 'number' ? `/api/${model.slug}/${record.id}/${field}` : null);
}

/** The records of these ids when all are known (read ahead: prefetch.ts), else undefined. */
function knownRecords(records: ModelRecords, ids: readonly number[], fields: readonly string[]): ContractRecord[] | undefined {
  const known: ContractRecord[] = [];
  for (const id of ids) {
    const record = records.known(id, fields);
    if (!record) return undefined;
    known.push(record);
  }
  return known;
}

function relationResolver(model: TypedModel, relation: TypedRelation, typed: TypedModels): Resolver {
  const target = typed.byType.get(relation.targetType)!;
  // What a many2one's `{id, name}` answers: the id, and the display name under the fields that hold it.
  const fromLink = new Set(['display_name', ...(target.displayNameField ? [target.displayNameField] : [])]);
  return (record, _args, context, info) => {
    const value = record[relation.field];
    if (value === undefined) return absent(context, model, relation.field);
    const fields = neededFields(target, info);
    const records = recordsOf(context, target);
    if (relation.many) {
      const ids = Array.isArray(value) ? (value as number[]) : [];
      // Read ahead (prefetch.ts): at once, without a promise.
      return knownRecords(records, ids, fields) ?? records.loadMany(ids, fields);
    }
    const link = serializeMany2One(value);
    if (!link) return null;
    if (answeredByLink(target, fields)) {
      const answer: ContractRecord = { id: link.id };
      for (const field of fromLink) answer[field] = link.name;
      return answer;
    }
    return (
      records.known(link.id, fields) ??
      records.load(link.id, fields).then((found) => {
        if (found) return found;
        throw forbidden(`You are not allowed to read ${target.model} record ${link.id} (a record rule hides it).`);
      })
    );
  };
}

function objectResolvers(model: TypedModel, typed: TypedModels): Record<string, Resolver> {
  const resolvers: Record<string, Resolver> = {};
  for (const field of model.fields.values()) resolvers[field.name] = fieldResolver(model, field);
  for (const relation of model.relations.values()) resolvers[relation.name] = relationResolver(model, relation, typed);
  for (const file of model.files.values()) resolvers[file.name] = fileResolver(model, file);
  return resolvers;
}

/** Input values in the contract's write shape: null clears (Odoo's `false`; an empty list for an x2many). */
function writeValues(model: TypedModel, values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const kind = model.inputFields?.get(name)?.kind;
    if (value === null || value === undefined) out[name] = kind === 'x2many' ? [] : false;
    else out[name] = value;
  }
  return out;
}

interface ListArgs {
  readonly domain?: DomainNode | null;
  readonly limit?: number | null;
  readonly offset?: number | null;
  readonly order?: string | null;
}

function rootResolvers(model: TypedModel, typed: TypedModels) {
  const { slug } = model;
  const query: Record<string, RootResolver> = {
    [singleQueryName(model.type)]: (_root, args: { id: number }, context, info) =>
      recordsOf(context, model).read(checkId(args.id), neededFields(model, info)),

    [listQueryName(model.type)]: async (_root, args: ListArgs, context, info) => {
      // `{ total }` alone is a count: asked with limit=0 (page-selection.ts).
      const params = pageRequest(listParams({ slug, ...args }), info.fieldNodes, info);
      const results = subfields(info.fieldNodes, info).get('results') ?? [];
      const page = await recordsOf(context, model).list(params, results.length ? neededFields(model, info, results) : []);
      // The relations the records' selection asks for, read now: each record's then resolve at once.
      await prefetchRelations(context, typed, model, page.results, results, info);
      return page;
    },
  };

  const mutation: Record<string, RootResolver> = {
    [deleteMutationName(model.type)]: async (_root, args: { id: number }, context) => {
      const result = await context.gateway.delete(slug, checkId(args.id));
      operationRecords(context.gateway).forgetAll();
      return result;
    },
  };
  if (model.inputFields) {
    const afterWrite = async (context: GraphQLContext, info: GraphQLResolveInfo, record: ContractRecord) => {
      operationRecords(context.gateway).forgetAll();
      return recordsOf(context, model).complete(record, neededFields(model, info));
    };
    mutation[createMutationName(model.type)] = async (_root, args: { values: Record<string, unknown> }, context, info) =>
      afterWrite(context, info, (await context.gateway.create(slug, writeValues(model, args.values))).record);
    mutation[updateMutationName(model.type)] = async (_root, args: { id: number; values: Record<string, unknown> }, context, info) =>
      afterWrite(context, info, (await context.gateway.update(slug, checkId(args.id), writeValues(model, args.values))).record);
  }
  return { query, mutation };
}

/**
 * A business action's mutation. The action's own read-back asks for `id` alone, and the record is read
 * again through the operation's records with the fields the selection needs: that read-back runs in the
 * action's transaction (embedded store) or after the action (Odoo), so a field the caller may not read
 * asked there would undo the action, or fail a done one; read here, it is an error on that field alone,
 * as everywhere in the typed schema (one request more). Relations then resolve as in any query.
 */
function actionResolver(action: TypedAction, model: TypedModel): RootResolver {
  return async (_root, args: Record<string, unknown> & { id: number }, context, info) => {
    const id = checkId(args.id);
    const payload = await context.gateway.callAction(model.slug, id, action.method, { kwargs: actionKwargs(action, args) }, ['id']);
    operationRecords(context.gateway).forgetAll();
    if (isWizard(payload.result)) throw wizardError(action, model.model, id, payload.result);
    return recordsOf(context, model).complete(payload.record, neededFields(model, info));
  };
}

/**
 * A model's changes (`crmLeadChanges`, issue 19): `recordChanges` over the model's slug, the feed asked for
 * the fields the `record` selection needs (`id` alone when it needs none). Each event resolves with the
 * operation's records forgotten, so a relation is read as it is when the change comes, not as the first
 * event found it.
 */
function changesResolver(model: TypedModel) {
  return {
    subscribe: (
      _root: unknown,
      args: { domain?: DomainNode | null; since?: string | null },
      context: GraphQLContext,
      info: GraphQLResolveInfo,
    ) => {
      const record = subfields(info.fieldNodes, info).get('record') ?? [];
      const fields = record.length ? neededFields(model, info, record) : [];
      return subscribeToChanges(context, {
        slug: model.slug,
        domain: args.domain ?? null,
        since: args.since ?? null,
        fields: fields.length ? fields : ['id'],
      });
    },
    resolve: (item: StreamItem, _args: unknown, context: GraphQLContext) => {
      const change = resolveChange(item);
      context.gateway.forget();
      operationRecords(context.gateway).forgetAll();
      return change;
    },
  };
}

/**
 * Every resolver of the typed schema: object types, root fields, enums (GraphQL value name to Odoo key)
 * and the `Date`/`DateTime` scalars (their implementations; load-schema.ts takes the descriptions from the SDL).
 */
export function typedResolvers(typed: TypedModels): { resolvers: Record<string, object>; scalars: typeof TYPED_SCALARS } {
  const resolvers: Record<string, object> = {};
  const Query: Record<string, unknown> = {};
  const Mutation: Record<string, unknown> = {};
  for (const model of typed.byType.values()) {
    resolvers[model.type] = objectResolvers(model, typed);
    const root = rootResolvers(model, typed);
    Object.assign(Query, root.query);
    Object.assign(Mutation, root.mutation);
    const groups = groupResolvers(model, typed);
    Object.assign(Query, groups.query);
    Object.assign(resolvers, groups.types);
  }
  for (const action of typed.actions.values()) Mutation[action.name] = actionResolver(action, typed.byType.get(action.type)!);
  for (const [name, values] of typed.enums) resolvers[name] = Object.fromEntries(values);
  const Subscription: Record<string, unknown> = {};
  for (const [field, type] of typed.changes ?? []) Subscription[field] = changesResolver(typed.byType.get(type)!);
  return {
    resolvers: { ...resolvers, Query, Mutation, ...(Object.keys(Subscription).length > 0 && { Subscription }) },
    scalars: TYPED_SCALARS,
  };
}
