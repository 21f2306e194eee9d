/**
 * The typed schema's SDL, generated from the models' field metadata (`GET /api/<slug>/fields`, Odoo's
 * fields_get shape): per model an object type with its fields typed (type-mapping.ts) and its relation
 * fields (naming.ts), a page type, an input type and an enum per selection field; then the root fields
 * (`extend type Query`, `extend type Mutation`) beside the generic ones.
 *
 * Beside each binary field, a URL field (`image1920Url`) gives the path of its bytes on the REST face
 * (`GET /api/<slug>/<id>/<field>`, src/rest/binary-field-route.ts), so an app can point an `<img>` at it
 * rather than load base64 through GraphQL.
 *
 * Where a field comes from is written into the SDL itself, with four directives, so that the same text
 * is both what `odoo-graphql schema print` gives codegen and what the server runs on (read back by
 * read-typed-models.ts), and a checked-in copy can stand in for the metadata (BACKEND=proxy without the
 * route). Names that would clash stop the generation with an error naming both owners.
 *
 * A model's business actions (issue 17: Odoo's methods, `POST /api/<slug>/<id>/<method>`), when given,
 * become typed mutations (`confirmSaleOrder(id)`), named and argued as naming.ts says, returning the
 * record; `@odooAction` and `@odooArgument` keep the method and its keyword arguments in the SDL.
 *
 * A model's grouped totals (issue 18: `saleOrderGroups(groupBy: [STATE])`, `GET /api/<slug>/groups`) are
 * planned and printed by generate-group-sdl.ts, after every model's own names; `@odooGroup` and
 * `@odooGroupBy` keep the model and the group-by specs in the SDL.
 */
import type { ActionArgument, ActionInfo } from '../../backends/actions.js';
import type { FieldsMetadata } from '../../gateway/contract-types.js';
import {
  NameRegistry,
  actionArgumentName,
  actionMutationName,
  changesSubscriptionName,
  changeTypeName,
  createMutationName,
  deleteMutationName,
  enumTypeName,
  enumValueNames,
  fileUrlFieldName,
  inputTypeName,
  listQueryName,
  pageTypeName,
  relationFieldName,
  singleQueryName,
  typeName,
  updateMutationName,
} from './naming.js';
import {
  GROUP_KEY_TYPES,
  planGroups,
  printGroupKeyTypes,
  printGroups,
  printGroupsQuery,
  type PlannedGroups,
} from './generate-group-sdl.js';
import { graphQLTypeOf, kindOfOdooType, type FieldKind } from './type-mapping.js';

/** One model and its field metadata, as the gateway gives it. */
export interface ModelFields {
  readonly model: string;
  readonly fields: FieldsMetadata;
  /** Its business actions (`GET /api/<slug>/actions`); those in naming.ts's `ACTION_VERBS` become mutations. */
  readonly actions?: readonly ActionInfo[];
}

/** Names the generic schema (schema/*.graphql) already uses: types, Query fields, Mutation fields. */
export interface ReservedNames {
  readonly types: Iterable<string>;
  readonly queryFields: Iterable<string>;
  readonly mutationFields: Iterable<string>;
  /** Subscription fields (`recordChanges`). */
  readonly subscriptionFields?: Iterable<string>;
}

/** The scalars GraphQL has, and the two this SDL declares. */
const RESERVED_SCALARS = ['String', 'Int', 'Float', 'Boolean', 'ID', 'Date', 'DateTime'];

/** Odoo field names: lower-case snake_case (`__last_update` and the like are left out: GraphQL reserves `__`). */
const ODOO_FIELD_NAME = /^[a-z_][a-z0-9_]*$/;

export const TYPED_SDL_HEADER = `# The typed schema: one object type per Odoo model, generated from the models' field metadata
# (GET /api/<slug>/fields) by \`odoo-graphql schema print --typed\`. See README, "Typed GraphQL schema".
`;

export const TYPED_SDL_PRELUDE = `"""
The Odoo model an object type shows. \`displayNameField\`: the field whose value a many2one's \`name\`
shows (the model's display name), so a relation that selects only \`id\` and that field is answered
from the many2one without a request.
"""
directive @odooModel(name: String!, displayNameField: String) on OBJECT

"""
The relational Odoo field (many2one, one2many, many2many) whose records a relation field gives.
"""
directive @odooRelation(field: String!) on FIELD_DEFINITION

"""
The binary Odoo field whose bytes a URL field gives the path of (\`/api/<slug>/<id>/<field>\`).
"""
directive @odooFile(field: String!) on FIELD_DEFINITION

"""
The Odoo selection key of an enum value that is not the key itself (\`'0'\` is \`VALUE_0\`).
"""
directive @odooValue(key: String!) on ENUM_VALUE

"""
The Odoo method (a business action, \`POST /api/<slug>/<id>/<method>\`) a mutation calls on the record
its \`id\` argument names; the model is the one of the type it returns.
"""
directive @odooAction(method: String!) on FIELD_DEFINITION

"""
The keyword argument of the Odoo method that a business action's argument gives (\`lostReasonId\` gives
\`lost_reason_id\`).
"""
directive @odooArgument(name: String!) on ARGUMENT_DEFINITION

"""
The Odoo model whose grouped totals (\`GET /api/<slug>/groups\`) an object type is one group of.
"""
directive @odooGroup(model: String!) on OBJECT

"""
The group-by key of \`GET /api/<slug>/groups\` an enum value asks for: a field, a date or datetime with its
granularity (\`DATE_ORDER_MONTH\` is \`date_order:month\`).
"""
directive @odooGroupBy(spec: String!) on ENUM_VALUE

"""
An Odoo date, as \`YYYY-MM-DD\` (RFC 3339 full-date). Example: \`"2025-09-05"\`.
"""
scalar Date

"""
An Odoo datetime, in UTC. As output RFC 3339 (\`"2025-09-05T10:00:00Z"\`); as input RFC 3339 with any
offset, or Odoo's own \`"2025-09-05 10:00:00"\` (UTC).
"""
scalar DateTime
`;

function quote(text: string): string {
  return JSON.stringify(text);
}

function describe(text: string, indent = ''): string {
  return `${indent}${quote(text)}\n`;
}

interface PlannedField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly meta: FieldsMetadata[string];
  readonly enumName?: string;
  readonly relation?: { readonly name: string; readonly many: boolean; readonly type: string };
  /** For a binary field: its URL field (`image1920Url`). */
  readonly file?: { readonly name: string };
}

interface PlannedModel {
  readonly model: string;
  readonly type: string;
  readonly slug: string;
  readonly displayNameField: string | undefined;
  readonly fields: readonly PlannedField[];
  readonly writable: readonly PlannedField[];
  readonly actions: readonly ActionInfo[];
  /** Its grouped totals (generate-group-sdl.ts), when it has any. */
  readonly groups?: PlannedGroups;
}

function fieldDescription(field: PlannedField, withRelation = true): string {
  const { meta } = field;
  const facts = [
    meta.type + (meta.relation ? ` to ${meta.relation}` : ''),
    meta.required ? 'required' : '',
    meta.readonly ? 'read-only' : '',
  ].filter(Boolean);
  const label = meta.string?.trim() || field.name;
  const help = meta.help?.trim();
  const relation = withRelation && field.relation ? ` Its record${field.relation.many ? 's' : ''}: \`${field.relation.name}\`.` : '';
  return `${label} (${facts.join(', ')}).${relation}${help ? ` ${help}` : ''}`;
}

/** The field a model's display name shows, when fields_get says so (`display_name` depends on one plain field). */
function displayNameFieldOf(fields: FieldsMetadata): string | undefined {
  const depends = fields.display_name?.depends;
  if (depends?.length !== 1) return undefined;
  const [name] = depends as readonly [string];
  return fields[name] && kindOfOdooType(fields[name].type) === 'string' ? name : undefined;
}

function plan(models: readonly ModelFields[], reserved: ReservedNames): PlannedModel[] {
  const types = new NameRegistry('type');
  for (const name of reserved.types) types.claim(name, 'a type of the generic schema');
  for (const name of RESERVED_SCALARS) types.claim(name, 'a scalar');
  for (const name of GROUP_KEY_TYPES) types.claim(name, 'a date key type of grouped totals');
  const typeOfModel = new Map<string, string>();
  for (const { model } of models) {
    if (typeOfModel.has(model)) throw new Error(`typed GraphQL schema: model ${model} is listed twice`);
    const type = types.claim(typeName(model), `the type of ${model}`);
    types.claim(pageTypeName(type), `the page type of ${model}`);
    types.claim(inputTypeName(type), `the input type of ${model}`);
    types.claim(changeTypeName(type), `the change type of ${model}`);
    typeOfModel.set(model, type);
  }
  const planned = models.map(({ model, fields: metadata, actions = [] }) => {
    const type = typeOfModel.get(model)!;
    const names = new NameRegistry(`field of ${type}`);
    names.claim('id', 'the record id');
    const fields: PlannedField[] = [];
    for (const [name, meta] of Object.entries(metadata)) {
      const kind = kindOfOdooType(meta.type);
      if (name === 'id' || !ODOO_FIELD_NAME.test(name) || name.startsWith('__') || kind === undefined) continue;
      names.claim(name, `the field ${model}.${name}`);
      let enumName: string | undefined;
      let fieldKind = kind;
      if (kind === 'selection') {
        // A selection Odoo gives no options for (a dynamic one) has no enum to be: its key as a String.
        if (meta.selection?.length) enumName = types.claim(enumTypeName(type, name), `the enum of ${model}.${name}`);
        else fieldKind = 'string';
      }
      const target = (kind === 'many2one' || kind === 'x2many') && meta.relation ? typeOfModel.get(meta.relation) : undefined;
      const relation =
        target === undefined ? undefined : { name: relationFieldName(name, kind === 'x2many'), many: kind === 'x2many', type: target };
      const file = meta.type === 'binary' ? { name: fileUrlFieldName(name) } : undefined;
      fields.push({ name, kind: fieldKind, meta, ...(enumName && { enumName }), ...(relation && { relation }), ...(file && { file }) });
    }
    // Relation and URL names after every Odoo name is claimed, so the error names the Odoo field, not the made name.
    for (const field of fields) {
      if (field.relation) names.claim(field.relation.name, `the relation of ${model}.${field.name}`);
      if (field.file) names.claim(field.file.name, `the URL field of ${model}.${field.name}`);
    }
    return {
      model,
      type,
      slug: model.replace(/\./g, '_'),
      displayNameField: displayNameFieldOf(metadata),
      fields,
      writable: fields.filter((field) => field.meta.readonly !== true),
      actions,
    };
  });
  // Grouped totals last: their names yield to every model's own (naming.ts).
  const queryNames = new Set<string>(reserved.queryFields);
  for (const { type } of planned) queryNames.add(singleQueryName(type)).add(listQueryName(type));
  return planned.map((model) => {
    const groups = planGroups(model, types, queryNames, typeOfModel);
    return groups ? { ...model, groups } : model;
  });
}

/** What a URL field says: the path, how to fetch it (authentication), its answers, its cost. */
function fileDescription(model: PlannedModel, field: PlannedField): string {
  const label = field.meta.string?.trim() || field.name;
  return [
    `The URL path of the bytes of \`${field.name}\` (${label}): \`/api/${model.slug}/<id>/${field.name}\` on this server, to resolve against the server's URL (\`<img src>\`, a download link).`,
    `Authenticated as any REST request: a session cookie (\`session_id\`, SameSite=Lax) goes with an \`<img>\` of the same site; with a Bearer key, fetch it with the \`Authorization\` header (an \`<img>\` cannot send one).`,
    `It answers the bytes with their content type, or 404 when the field is empty, under the same access rules as reading the record.`,
    `This field costs no request: the binary field is not read. Null only for a record without id.`,
  ].join(' ');
}

function printModel(model: PlannedModel): string {
  const { type } = model;
  const directive = `@odooModel(name: ${quote(model.model)}${model.displayNameField ? `, displayNameField: ${quote(model.displayNameField)}` : ''})`;
  let out = describe(
    `The Odoo model \`${model.model}\` (REST: \`/api/${model.slug}\`), its fields as Odoo names them. A field the caller may not read is an error on that field alone.`,
  );
  out += `type ${type} ${directive} {\n`;
  out += describe('The record id.', '  ');
  out += '  id: Int!\n';
  for (const field of model.fields) {
    out += describe(fieldDescription(field), '  ');
    out += `  ${field.name}: ${graphQLTypeOf(field.kind, field.enumName)}\n`;
    if (field.relation) {
      const { relation } = field;
      out += describe(
        `The ${field.meta.string?.trim() || field.name} record${relation.many ? 's' : ''} (${field.meta.relation}) of \`${field.name}\`, read in one request per model and level of the query.`,
        '  ',
      );
      out += `  ${relation.name}: ${relation.many ? `[${relation.type}!]` : relation.type} @odooRelation(field: ${quote(field.name)})\n`;
    }
    if (field.file) {
      out += describe(fileDescription(model, field), '  ');
      out += `  ${field.file.name}: String @odooFile(field: ${quote(field.name)})\n`;
    }
  }
  out += '}\n\n';

  out += describe(`A page of ${type} records, as \`GET /api/${model.slug}\` answers it.`);
  out += `type ${pageTypeName(type)} {\n`;
  out += '  "How many records this page holds."\n  count: Int!\n';
  out += '  "How many records match the domain in all."\n  total: Int!\n';
  out += '  "The page size used."\n  limit: Int!\n';
  out += '  "How many matching records were skipped."\n  offset: Int!\n';
  out += '  "The records, in the requested order."\n';
  out += `  results: [${type}!]!\n}\n\n`;

  out += describe(
    `One change of a ${type} record, as the change feed \`GET /api/${model.slug}/changes\` tells it (see \`RecordChange\`). Example: \`{"op": "UPDATED", "id": 7, "cursor": "YzEuQ...", "record": {"id": 7, ...}}\`.`,
  );
  out += `type ${changeTypeName(type)} {\n`;
  out += '  "What happened."\n  op: ChangeOp!\n';
  out += '  "The record id."\n  id: Int!\n';
  out += '  "Where to resume (`since`) after this change without losing any. Opaque."\n  cursor: String!\n';
  out += `  "The record in its new state, reading only the fields the selection needs (its relations resolve as in \`${singleQueryName(type)}\`); null for \`REMOVED\`."\n`;
  out += `  record: ${type}\n}\n\n`;
  if (model.groups) out += printGroups(model, model.groups);

  if (model.writable.length) {
    out += describe(
      `Field values to create or update a ${type}; the fields left out are not written (on create, Odoo's defaults apply). x2many fields take a list of ids, which replaces the set.`,
    );
    out += `input ${inputTypeName(type)} {\n`;
    for (const field of model.writable) {
      out += describe(fieldDescription(field, false), '  ');
      out += `  ${field.name}: ${graphQLTypeOf(field.kind, field.enumName)}\n`;
    }
    out += '}\n\n';
  }

  for (const field of model.fields) {
    if (!field.enumName) continue;
    const values = new NameRegistry(`value of ${field.enumName}`);
    out += describe(`The values of ${model.model}.${field.name} (${field.meta.string?.trim() || field.name}).`);
    out += `enum ${field.enumName} {\n`;
    const selection = field.meta.selection ?? [];
    const names = enumValueNames(selection.map(([key]) => key));
    for (const [index, [key, label]] of selection.entries()) {
      const name = values.claim(names[index]!, `the key '${key}'`);
      out += describe(label, '  ');
      out += `  ${name}${name === key ? '' : ` @odooValue(key: ${quote(key)})`}\n`;
    }
    out += '}\n\n';
  }
  return out;
}

/** The GraphQL type of a business action's keyword argument (`many2one`: the id). */
const ARGUMENT_TYPES: Readonly<Record<string, string>> = {
  integer: 'Int',
  float: 'Float',
  boolean: 'Boolean',
  char: 'String',
  text: 'String',
  many2one: 'Int',
  json: 'JSON',
} satisfies Record<ActionArgument['type'], string>;

const ARGUMENT_EXAMPLES: Readonly<Record<string, string>> = { Int: '1', Float: '1.5', Boolean: 'true', String: '"text"', JSON: '{}' };

/** The fields an example selects after an action: what it changes, as far as the model says. */
function exampleSelection(model: PlannedModel, action: ActionInfo): string {
  const names = new Set(model.fields.map((field) => field.name));
  const shown = ['state', 'stage_id', 'active'].find((name) => names.has(name));
  const given = action.kwargs.map((arg) => arg.name).filter((name) => names.has(name) && name !== shown);
  return ['id', ...(shown ? [shown] : []), ...given].join(' ');
}

/** The typed mutations of a model's business actions (those naming.ts has a verb for). */
function printActions(model: PlannedModel, mutations: NameRegistry): string {
  const { type, slug } = model;
  let out = '';
  for (const action of model.actions) {
    const name = actionMutationName(type, action.name);
    if (name === undefined) continue;
    mutations.claim(name, `the mutation of ${model.model}.${action.name}`);
    const argNames = new NameRegistry(`argument of ${name}`);
    argNames.claim('id', 'the record id');
    const args = action.kwargs.map((arg) => {
      const argName = argNames.claim(actionArgumentName(arg.name, arg.type === 'many2one'), `the keyword argument '${arg.name}'`);
      // A type the table does not know (an upstream's own): any JSON.
      const argType = ARGUMENT_TYPES[arg.type] ?? 'JSON';
      return { arg, name: argName, type: `${argType}${arg.required ? '!' : ''}`, example: `${argName}: ${ARGUMENT_EXAMPLES[argType]}` };
    });
    const call = ['id: 7', ...args.map((a) => a.example)].join(', ');
    out += describe(
      [
        `The business action "${action.label}" (\`${action.name}\`) on one ${type}, like \`POST /api/${slug}/<id>/${action.name}\`: ${action.description.trim()}`,
        `Returns the ${type} read back after the action (its relations resolve as in \`${singleQueryName(type)}\`), so a cache keyed by \`__typename\` and \`id\` (Apollo's) shows the new values without a refetch.`,
        `What Odoo refuses is BAD_USER_INPUT with Odoo's message, a record the caller may not change FORBIDDEN, a missing one NOT_FOUND.`,
        `When Odoo answers a wizard instead of acting (a window action opening a dialog), nothing was done and no record is returned: the error ACTION_REQUIRES_WIZARD carries the window action in \`extensions.result\`, to complete in Odoo (an error, so that no client takes the unchanged record for the action done).`,
        `Example: \`${name}(${call}) { ${exampleSelection(model, action)} }\``,
      ].join(' '),
      '  ',
    );
    const argList = [
      `${describe(`The id of the ${type} to act on. Example: \`7\`.`, '    ')}    id: Int!\n`,
      ...args.map(({ arg, name: argName, type: argType, example }) => {
        const facts = [arg.type + (arg.relation ? ` to ${arg.relation}` : ''), arg.required ? 'required' : 'optional'];
        const text = `${arg.description.trim()} Odoo's keyword argument \`${arg.name}\` (${facts.join(', ')})${arg.type === 'many2one' ? ', as the id of the record' : ''}${arg.required ? '' : '; left out or null, it is not sent'}. Example: \`${example}\`.`;
        return `${describe(text, '    ')}    ${argName}: ${argType} @odooArgument(name: ${quote(arg.name)})\n`;
      }),
    ];
    out += `  ${name}(\n${argList.join('')}  ): ${type}! @odooAction(method: ${quote(action.name)})\n`;
  }
  return out;
}

function printRootFields(models: readonly PlannedModel[], reserved: ReservedNames): string {
  const queries = new NameRegistry('Query field');
  const mutations = new NameRegistry('Mutation field');
  for (const name of reserved.queryFields) queries.claim(name, 'a field of the generic schema');
  for (const name of reserved.mutationFields) mutations.claim(name, 'a field of the generic schema');
  let query = 'extend type Query {\n';
  let mutation = 'extend type Mutation {\n';
  for (const { model, type, slug } of models) {
    query += describe(
      `One ${type} by id, like \`GET /api/${slug}/<id>\`: NOT_FOUND when it does not exist, FORBIDDEN when a record rule hides it.`,
      '  ',
    );
    query += `  ${queries.claim(singleQueryName(type), `the query of ${model}`)}(id: Int!): ${type}\n`;
    query += describe(
      `A page of ${type} records, like \`GET /api/${slug}\`, reading only the fields the selection needs. \`domain\`, \`limit\` (default 80), \`offset\`, \`order\` as in \`records\`.`,
      '  ',
    );
    query += `  ${queries.claim(listQueryName(type), `the list query of ${model}`)}(domain: Domain, limit: Int, offset: Int, order: String): ${pageTypeName(type)}!\n`;
  }
  for (const model of models) if (model.groups) query += printGroupsQuery(model, model.groups, queries);
  for (const { model, type, slug, writable } of models) {
    if (writable.length) {
      mutation += describe(`Creates a ${type}, like \`POST /api/${slug}\`, and returns it.`, '  ');
      mutation += `  ${mutations.claim(createMutationName(type), `the create mutation of ${model}`)}(values: ${inputTypeName(type)}!): ${type}!\n`;
      mutation += describe(`Writes the given fields of one ${type}, like \`PUT /api/${slug}/<id>\`, and returns it.`, '  ');
      mutation += `  ${mutations.claim(updateMutationName(type), `the update mutation of ${model}`)}(id: Int!, values: ${inputTypeName(type)}!): ${type}!\n`;
    }
    mutation += describe(`Deletes one ${type}, like \`DELETE /api/${slug}/<id>\`.`, '  ');
    mutation += `  ${mutations.claim(deleteMutationName(type), `the delete mutation of ${model}`)}(id: Int!): DeleteResult!\n`;
  }
  // The actions after every CRUD name is claimed, so a clash names the action, not the CRUD mutation.
  for (const model of models) mutation += printActions(model, mutations);
  const subscriptions = new NameRegistry('Subscription field');
  for (const name of reserved.subscriptionFields ?? []) subscriptions.claim(name, 'a field of the generic schema');
  let subscription = 'extend type Subscription {\n';
  for (const { model, type, slug } of models) {
    subscription += describe(
      `The changes to ${type} records matching \`domain\`, as \`recordChanges(slug: "${slug}")\` gives them, each with its typed record read with only the fields the selection needs. Example: \`${changesSubscriptionName(type)} { op id cursor record { id } }\`.`,
      '  ',
    );
    subscription += `  ${subscriptions.claim(changesSubscriptionName(type), `the changes of ${model}`)}(domain: Domain, since: String): ${changeTypeName(type)}!\n`;
  }
  return `${query}}\n\n${mutation}}\n\n${subscription}}\n`;
}

/**
 * The typed SDL for these models, in their order, fields in metadata order (`id` first). Fields of types
 * the schema does not know (Odoo's json, properties...) are left out; a relation field exists only when its
 * comodel is among `models`. Throws when two generated names would clash.
 */
export function generateTypedSDL(models: readonly ModelFields[], reserved: ReservedNames): string {
  const planned = plan(models, reserved);
  // No model (none of GRAPHQL_MODELS exists): no root fields either, as `extend type Query {}` is no SDL.
  const root = planned.length ? printRootFields(planned, reserved) : '';
  const dated = planned.some((model) => model.groups?.keys.some((key) => ['date', 'datetime'].includes(key.field.meta.type)));
  return `${TYPED_SDL_HEADER}\n${TYPED_SDL_PRELUDE}\n${dated ? printGroupKeyTypes() : ''}${planned.map(printModel).join('')}${root}`;
}
