/**
 * The root fields: each is one call of the REST contract through the gateway (README.md, "GraphQL"), with its
 * arguments checked first (arguments.ts) and its records passed through Many2One on the way out.
 * Root query fields run concurrently (graphql-js resolves them in parallel); mutations in order.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { SessionInfo } from '../backends/backend.js';
import type { ContractRecord, RecordPage, RecordPayload } from '../gateway/contract-types.js';
import type { ContractGroup, GroupPage } from '../gateway/groups.js';
import { checkFields, checkId, checkReadFields, checkSlug, listParams, writeValues, type RecordsArgs } from './arguments.js';
import type { GraphQLContext } from './context.js';
import { groupsParams, type GroupsArgs } from './group-arguments.js';
import { pageRequest } from './page-selection.js';
import { isMany2OneShape, serializeMany2One, type Many2OneValue } from './scalars.js';
import { resolveChange, subscribeToChanges, type ChangeSubscriptionArgs, type StreamItem } from './subscriptions.js';

/**
 * A record for the JSONObject scalar, its many2one values in Many2One's output shape: the contract's
 * `{id, name}` already is (Many2One's serialize returns it as is, so it is left alone), and an Odoo
 * `[id, name]` pair, which a gateway speaking Odoo's read() shape might send, is converted. The record
 * is copied only when a value changes. An unset many2one stays `false`: a generic record does not know
 * which `false` is a many2one.
 */
export function toGraphQLRecord(record: ContractRecord): ContractRecord {
  let out: ContractRecord | undefined;
  for (const key in record) {
    const value = record[key];
    if (Array.isArray(value) && value.length === 2 && isMany2OneShape(value)) {
      out ??= { ...record };
      out[key] = serializeMany2One(value);
    }
  }
  return out ?? record;
}

function shapePage(page: RecordPage): RecordPage {
  return { ...page, results: page.results.map(toGraphQLRecord) };
}

/** A page of groups, their many2one keys in Many2One's output shape as records' are (toGraphQLRecord). */
function shapeGroups(page: GroupPage): GroupPage {
  return { ...page, groups: page.groups.map((group) => toGraphQLRecord(group as unknown as ContractRecord) as unknown as ContractGroup) };
}

function shapePayload(payload: RecordPayload): RecordPayload {
  return { id: payload.id, record: toGraphQLRecord(payload.record) };
}

interface SlugArgs {
  readonly slug: string;
}
interface RecordArgs extends SlugArgs {
  readonly id: number;
  readonly fields?: readonly string[] | null;
}
interface WriteArgs extends SlugArgs {
  readonly values: Record<string, unknown>;
}
interface UpdateArgs extends WriteArgs {
  readonly id: number;
}
interface CallMethodArgs extends SlugArgs {
  readonly id: number;
  readonly method: string;
  readonly args?: readonly unknown[] | null;
  readonly kwargs?: Record<string, unknown> | null;
  readonly fields?: readonly string[] | null;
}

/** The typed view of the session info (`Me`), with the raw info kept for the `sessionInfo` field. */
function me(info: SessionInfo) {
  const context = (typeof info.user_context === 'object' && info.user_context !== null ? info.user_context : {}) as Record<string, unknown>;
  const companies = (info.user_companies ?? {}) as {
    current_company?: unknown;
    allowed_companies?: Record<string, { id?: unknown; name?: unknown }>;
  };
  const allowed: Many2OneValue[] = Object.values(companies.allowed_companies ?? {})
    .filter((c): c is { id: number; name: string } => typeof c.id === 'number' && typeof c.name === 'string')
    .map((c) => ({ id: c.id, name: c.name }))
    .sort((a, b) => a.id - b.id);
  const currentId = typeof companies.current_company === 'number' ? companies.current_company : info.company_id;
  return {
    uid: info.uid,
    name: info.name,
    login: info.username,
    db: info.db,
    isAdmin: info.is_admin === true,
    isSystem: info.is_system === true,
    partner:
      typeof info.partner_id === 'number'
        ? { id: info.partner_id, name: typeof info.partner_display_name === 'string' ? info.partner_display_name : info.name }
        : null,
    company: allowed.find((c) => c.id === currentId) ?? null,
    companies: allowed,
    lang: typeof context.lang === 'string' ? context.lang : null,
    tz: typeof context.tz === 'string' ? context.tz : null,
    serverVersion: typeof info.server_version === 'string' ? info.server_version : null,
    sessionInfo: info,
  };
}

export const resolvers = {
  Query: {
    health: (_: unknown, __: unknown, { gateway }: GraphQLContext) => gateway.health(),

    me: async (_: unknown, __: unknown, { gateway }: GraphQLContext) => me(await gateway.sessionInfo()),

    records: async (_: unknown, args: RecordsArgs, { gateway, rawJson }: GraphQLContext, info: GraphQLResolveInfo) => {
      const slug = checkSlug(args.slug);
      // `{ total }` alone is a count: asked with limit=0 (page-selection.ts).
      const params = pageRequest(listParams(args), info.fieldNodes, info);
      if (!rawJson) return shapePage(await gateway.list(slug, params));
      // Over HTTP, the records' JSON goes to the answer as the gateway wrote it, when it can (raw-json-results.ts).
      const page = await gateway.listRaw(slug, params);
      return 'resultsJson' in page ? rawJson.page(page) : shapePage(page);
    },

    groups: async (_: unknown, args: GroupsArgs, { gateway }: GraphQLContext, info: GraphQLResolveInfo) => {
      const slug = checkSlug(args.slug);
      // `{ total }` alone counts the groups: asked with limit=0, as `records` (page-selection.ts).
      return shapeGroups(await gateway.groups(slug, pageRequest(groupsParams({ ...args, slug }), info.fieldNodes, info)));
    },

    record: async (_: unknown, args: RecordArgs, { gateway }: GraphQLContext) => {
      const slug = checkSlug(args.slug);
      const id = checkId(args.id);
      return toGraphQLRecord(await gateway.read(slug, id, checkReadFields(slug, id, checkFields(args.fields))));
    },
  },

  Mutation: {
    createRecord: async (_: unknown, args: WriteArgs, { gateway }: GraphQLContext) => {
      const slug = checkSlug(args.slug);
      return shapePayload(await gateway.create(slug, writeValues(args.values)));
    },

    updateRecord: async (_: unknown, args: UpdateArgs, { gateway }: GraphQLContext) => {
      const slug = checkSlug(args.slug);
      const id = checkId(args.id);
      return shapePayload(await gateway.update(slug, id, writeValues(args.values)));
    },

    callMethod: async (_: unknown, args: CallMethodArgs, { gateway }: GraphQLContext) => {
      const slug = checkSlug(args.slug);
      const id = checkId(args.id);
      // The method's name is checked by the REST route (src/backends/actions.ts), which names what is wrong.
      const call = { ...(args.args && { args: args.args }), ...(args.kwargs && { kwargs: args.kwargs }) };
      const payload = await gateway.callAction(slug, id, args.method, call, checkFields(args.fields));
      return { id: payload.id, result: payload.result, record: toGraphQLRecord(payload.record) };
    },

    deleteRecord: async (_: unknown, args: SlugArgs & { readonly id: number }, { gateway }: GraphQLContext) => {
      const slug = checkSlug(args.slug);
      const id = checkId(args.id);
      return gateway.delete(slug, id);
    },
  },

  Subscription: {
    recordChanges: {
      subscribe: (_: unknown, args: ChangeSubscriptionArgs, context: GraphQLContext) => subscribeToChanges(context, args),
      resolve: (item: StreamItem) => {
        const change = resolveChange(item);
        return change.record ? { ...change, record: toGraphQLRecord(change.record) } : change;
      },
    },
  },

  ChangeOp: { CREATED: 'created', UPDATED: 'updated', REMOVED: 'removed' },
};
