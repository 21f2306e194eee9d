/**
 * The resolvers of the typed grouped totals (issue 18; SDL: generate-group-sdl.ts, read back as
 * `TypedModel.groups`): `saleOrderGroups(domain, groupBy, order, limit, offset, lazy)` is one
 * `GET /api/<slug>/groups`, and what it asks is what the selection reads:
 * - the aggregates are those selected under `sum`, `avg`, `min` and `max` (`sum { amount_total }` asks
 *   `amount_total:sum`), so the client does not list them twice;
 * - `id:array_agg` is asked only when a group's `records` is selected: each group then knows its records'
 *   ids, and `records` reads them by id through the operation's records (record-loader.ts), as relations
 *   are read: the records of every group of one level in one request. With `order`, the ids of the
 *   level's groups are listed in that order in one request (`[('id', 'in', [...])]`) and shared out; when
 *   the level's groups hold more than `MAX_ORDERED_IDS` records, each group is listed by its own
 *   `__domain` instead (a request per group, each reading at most its `limit`);
 * - `{ total }` alone is a count (`limit=0`), as for the generic `groups`.
 * A date or datetime key is `{label, range}` (`__range`); a many2one or many2many key a Many2One, its
 * relation field the typed record (one request per model and level, none when only `id` and the display
 * name are selected); a selection key the enum value.
 */
import DataLoader from 'dataloader';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { ContractRecord } from '../../gateway/contract-types.js';
import type { ContractGroup, GroupPage } from '../../gateway/groups.js';
import type { RestGateway } from '../../gateway/rest-gateway.js';
import { domainFromJson } from '../../domain/parse-domain.js';
import { printDomain } from '../../domain/print-domain.js';
import type { DomainNode } from '../../domain/types.js';
import type { GraphQLContext } from '../context.js';
import { badUserInput, type ErrorCode } from '../errors.js';
import { groupsParams } from '../group-arguments.js';
import { pageRequest } from '../page-selection.js';
import { serializeMany2One } from '../scalars.js';
import { odooFieldsOf, subfields } from './field-selection.js';
import type { TypedField, TypedModel, TypedModels, TypedRelation } from './read-typed-models.js';
import { idDomain, operationRecords } from './record-loader.js';

/** The aggregate that gives a group's record ids, asked when `records` is selected. */
const IDS = 'id:array_agg';
/** Most ids of one level listed in one ordered request (the URL stays well under 8 KiB, as record-loader's batches). */
export const MAX_ORDERED_IDS = 500;
const TOTALS = ['sum', 'avg', 'min', 'max'] as const;

/** A group as the resolvers of the group type get it: the REST group and the specs it was asked with. */
interface GroupValue {
  readonly group: ContractGroup;
  /** Odoo field to the key it was grouped by (`date_order` -> `date_order:month`). */
  readonly keys: ReadonlyMap<string, string>;
}

interface GroupsArgs {
  readonly domain?: DomainNode | null;
  readonly groupBy: readonly string[];
  readonly order?: string | null;
  readonly limit?: number | null;
  readonly offset?: number | null;
  readonly lazy?: boolean | null;
}

interface RecordsArgs {
  readonly limit?: number | null;
  readonly offset?: number | null;
  readonly order?: string | null;
}

type Resolver = GraphQLFieldResolver<GroupValue, GraphQLContext, never>;
type RootResolver = GraphQLFieldResolver<unknown, GraphQLContext, never>;

/** The field of a group-by spec: `date_order:month` -> `date_order`. */
function fieldOf(spec: string): string {
  return spec.split(':')[0]!;
}

/** The aggregates the selection reads (`sum { amount_total }` -> `amount_total:sum`), and `id:array_agg` when `records` is selected. */
function selectedAggregates(model: TypedModel, info: GraphQLResolveInfo): string[] {
  const groups = subfields(info.fieldNodes, info).get('groups');
  if (!groups) return [];
  const selected = subfields(groups, info);
  const aggregates: string[] = [];
  for (const total of TOTALS) {
    const nodes = selected.get(total);
    if (!nodes) continue;
    for (const field of subfields(nodes, info).keys()) if (model.groups!.totals.has(field)) aggregates.push(`${field}:${total}`);
  }
  if (selected.has('records')) aggregates.push(IDS);
  return aggregates;
}

function rootResolver(model: TypedModel): RootResolver {
  return async (_root, args: GroupsArgs, context, info) => {
    const keys = new Map<string, string>();
    for (const spec of args.groupBy) {
      const field = fieldOf(spec);
      const other = keys.get(field);
      if (other !== undefined) {
        throw badUserInput(
          `'groupBy' groups by ${field} twice (${other}, ${spec}): a group shows one key per field, so give one of them (group by the other through each group's domain)`,
        );
      }
      keys.set(field, spec);
    }
    const params = groupsParams({ ...args, slug: model.slug, aggregates: selectedAggregates(model, info) });
    const page: GroupPage = await context.gateway.groups(model.slug, pageRequest(params, info.fieldNodes, info));
    return { ...page, groups: page.groups.map((group): GroupValue => ({ group, keys })) };
  };
}

/** The key of a group for this field: the value REST gave, or undefined when the groups are not grouped by it (lazy: only the first key). */
function keyOf(value: GroupValue, field: string): { key: string; value: unknown } | undefined {
  const key = value.keys.get(field);
  if (key === undefined || !Object.hasOwn(value.group, key)) return undefined;
  return { key, value: value.group[key] };
}

function keyResolver(field: TypedField): Resolver {
  return (value) => {
    const found = keyOf(value, field.name);
    if (!found) return null;
    if (field.kind === 'date' || field.kind === 'datetime') {
      const ranges = value.group.__range as Record<string, unknown> | undefined;
      const range = ranges?.[found.key];
      return {
        label: typeof found.value === 'string' ? found.value : '',
        range: typeof range === 'object' && range !== null ? range : null,
      };
    }
    if (field.kind === 'boolean') return found.value;
    return found.value === false ? null : found.value;
  };
}

/**
 * The typed record of a relational key: from the Many2One when only `id` and the display name are selected,
 * else read by id (batched per level); FORBIDDEN on this field when a record rule hides it, as a relation.
 */
function keyRelationResolver(relation: TypedRelation, typed: TypedModels): Resolver {
  const target = typed.byType.get(relation.targetType)!;
  const fromLink = new Set(['display_name', ...(target.displayNameField ? [target.displayNameField] : [])]);
  return async (value, _args, context, info) => {
    const link = serializeMany2One(keyOf(value, relation.field)?.value);
    if (!link) return null;
    const fields = odooFieldsOf(target, info.fieldNodes, info);
    if (fields.every((field) => fromLink.has(field))) {
      const answer: ContractRecord = { id: link.id };
      for (const field of fromLink) answer[field] = link.name;
      return answer;
    }
    const found = await operationRecords(context.gateway).of(target).load(link.id, fields);
    if (found) return found;
    throw createGraphQLError(`You are not allowed to read ${target.model} record ${link.id} (a record rule hides it).`, {
      extensions: { code: 'FORBIDDEN' satisfies ErrorCode },
    });
  };
}

function totalsResolver(model: TypedModel, total: (typeof TOTALS)[number]): Resolver {
  return ({ group }) => {
    const out: Record<string, unknown> = {};
    for (const field of model.groups!.totals) {
      const found = group[`${field}:${total}`];
      out[field] = typeof found === 'number' ? found : null;
    }
    return out;
  };
}

function nonNegative(name: string, value: number | null | undefined, fallback: number): number {
  if (value === null || value === undefined) return fallback;
  if (value < 0) throw badUserInput(`'${name}' must be an integer >= 0, got ${value}`);
  return value;
}

/** One group's ask for its records, sorted by `order` (the loader's own). */
interface OrderedKey {
  readonly group: ContractGroup;
  readonly ids: readonly number[];
  readonly offset: number;
  readonly limit: number;
}

/** The ordered loaders of an operation, per model, order and fields: the groups of one level that ask the same. */
const ORDERED = new WeakMap<RestGateway, Map<string, DataLoader<OrderedKey, ContractRecord[]>>>();

function orderedLoader(
  gateway: RestGateway,
  model: TypedModel,
  order: string,
  fields: readonly string[],
): DataLoader<OrderedKey, ContractRecord[]> {
  let loaders = ORDERED.get(gateway);
  if (!loaders) {
    loaders = new Map();
    ORDERED.set(gateway, loaders);
  }
  const signature = JSON.stringify([model.model, order, fields]);
  let loader = loaders.get(signature);
  if (!loader) {
    const records = operationRecords(gateway).of(model);
    loader = new DataLoader<OrderedKey, ContractRecord[]>(
      async (keys) => {
        const union = [...new Set(keys.flatMap((key) => key.ids))].sort((a, b) => a - b);
        if (union.length > MAX_ORDERED_IDS) {
          // Too many for one request: each group by its own domain, reading only its page.
          return Promise.all(
            keys.map(async ({ group, offset, limit }) => {
              if (limit === 0 || group.__count === 0) return [];
              const domain = printDomain(domainFromJson(group.__domain));
              return (await records.list({ domain, order, limit, ...(offset > 0 && { offset }) }, fields)).results;
            }),
          );
        }
        const listed: ContractRecord[] = [];
        const domain = idDomain(union, model.hasActive);
        // A gateway whose page limit is below the number of ids answers in pages.
        while (union.length > 0) {
          const page = await records.list(
            { domain, order, limit: union.length, ...(listed.length > 0 && { offset: listed.length }) },
            fields,
          );
          listed.push(...page.results);
          if (page.results.length === 0 || listed.length >= page.total) break;
        }
        return keys.map(({ ids, offset, limit }) => {
          const own = new Set(ids);
          return listed.filter((record) => own.has(record.id)).slice(offset, offset + limit);
        });
      },
      { cache: false },
    );
    loaders.set(signature, loader);
  }
  return loader;
}

/** A group's records: its ids (`id:array_agg`) read by id, or listed in `order` (see the module comment). */
function recordsResolver(model: TypedModel): Resolver {
  return async ({ group }, args: RecordsArgs, context, info) => {
    const limit = nonNegative('limit', args.limit, 10);
    const offset = nonNegative('offset', args.offset, 0);
    const ids = (Array.isArray(group[IDS]) ? (group[IDS] as unknown[]) : []).filter((id): id is number => typeof id === 'number');
    const fields = odooFieldsOf(model, info.fieldNodes, info);
    const order = args.order?.trim();
    if (order) return orderedLoader(context.gateway, model, order, fields).load({ group, ids, offset, limit });
    const page = [...new Set(ids)].sort((a, b) => a - b).slice(offset, offset + limit);
    return operationRecords(context.gateway).of(model).loadMany(page, fields);
  };
}

/** The resolvers of a model's groups: its Query field and its group type; none when it has no groups. */
export function groupResolvers(
  model: TypedModel,
  typed: TypedModels,
): { query: Record<string, RootResolver>; types: Record<string, Record<string, Resolver>> } {
  const { groups } = model;
  if (!groups) return { query: {}, types: {} };
  const group: Record<string, Resolver> = {
    count: ({ group: value }) => value.__count,
    domain: ({ group: value }) => value.__domain,
    records: recordsResolver(model),
  };
  for (const field of groups.keys.values()) group[field.name] = keyResolver(field);
  for (const relation of groups.relations.values()) group[relation.name] = keyRelationResolver(relation, typed);
  if (groups.totals.size) for (const total of TOTALS) group[total] = totalsResolver(model, total);
  return { query: { [groups.queryName]: rootResolver(model) }, types: { [groups.groupType]: group } };
}
