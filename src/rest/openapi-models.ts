/**
 * The per-model part of the OpenAPI document (openapi.ts): for each model the typed GraphQL schema shows
 * (GRAPHQL_MODELS), built from the same field metadata (Odoo's `fields_get` shape), its components and its
 * own paths, beside the generic `/api/{slug}` ones:
 *
 * - `SaleOrder`: a record as the REST contract returns it (docs/rest-contract.md, "Records as returned
 *   everywhere"): `id` an integer, char/text/html/selection/date/datetime/binary a string or `false` when
 *   empty, many2one `{"id", "name"}` (`Many2One`) or `false`, x2many an array of ids. Every property but
 *   `id` is optional, as `fields` picks them. `SaleOrderPage` is a list's answer, `SaleOrderValues` a
 *   create's or update's body (the writable fields), `SaleOrderState` the keys of a selection field. The
 *   names are the typed GraphQL schema's (`sale.order` is `SaleOrder` in both).
 * - `/api/sale_order`, `/api/sale_order/{id}`, `/api/sale_order/fields`: the generic operations with the
 *   slug fixed, the record typed, `operationId`s of their own (`listSaleOrder`, `getSaleOrder`,
 *   `createSaleOrder`, `updateSaleOrder`, `patchSaleOrder`, `deleteSaleOrder`, `getSaleOrderFields`) and
 *   examples of that model, which Swagger UI's "Try it out" sends as they stand.
 *
 * The generic paths stay: the server serves every model its backend has (any Odoo model, by slug or
 * dotted name), not only these; their `slug` is documented as the enum of the models described here.
 * Built once, from a copy: the generic document @fastify/swagger caches is left as it is.
 */
import type { ContractFieldMeta, FieldsMetadata } from '../gateway/contract-types.js';
import { pageSchema } from './route-schemas.js';

/** A model to describe and its field metadata (`GET /api/<slug>/fields`, or the backend's own). */
export interface DocumentedModel {
  readonly model: string;
  readonly fields: FieldsMetadata;
}

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: string;
  schema?: Json;
  example?: unknown;
  [key: string]: unknown;
}

interface MediaType {
  schema?: Json;
  example?: unknown;
  [key: string]: unknown;
}

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, MediaType>; [key: string]: unknown };
  responses?: Record<string, { content?: Record<string, MediaType>; [key: string]: unknown }>;
  [key: string]: unknown;
}

/** The parts of an OpenAPI 3.1 document read or written here. */
export interface OpenApiDocument {
  openapi: string;
  info: Json;
  servers?: Json[];
  tags?: Array<{ name: string; description?: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas?: Record<string, Json>; [key: string]: unknown };
  [key: string]: unknown;
}

const GENERIC_LIST = '/api/{slug}';
const GENERIC_RECORD = '/api/{slug}/{id}';
const GENERIC_FIELDS = '/api/{slug}/fields';

/** Each generic operation, where the model's own path takes it, and its model's operationId. */
const MODEL_OPERATIONS: ReadonlyArray<{
  readonly generic: string;
  readonly method: string;
  readonly path: (slug: string) => string;
  readonly operationId: (type: string) => string;
  readonly summary: (model: string) => string;
}> = [
  { generic: GENERIC_LIST, method: 'get', path: (s) => `/api/${s}`, operationId: (t) => `list${t}`, summary: (m) => `List ${m} records` },
  {
    generic: GENERIC_LIST,
    method: 'post',
    path: (s) => `/api/${s}`,
    operationId: (t) => `create${t}`,
    summary: (m) => `Create a ${m} record`,
  },
  {
    generic: GENERIC_RECORD,
    method: 'get',
    path: (s) => `/api/${s}/{id}`,
    operationId: (t) => `get${t}`,
    summary: (m) => `Read one ${m} record`,
  },
  {
    generic: GENERIC_RECORD,
    method: 'put',
    path: (s) => `/api/${s}/{id}`,
    operationId: (t) => `update${t}`,
    summary: (m) => `Update a ${m} record`,
  },
  {
    generic: GENERIC_RECORD,
    method: 'patch',
    path: (s) => `/api/${s}/{id}`,
    operationId: (t) => `patch${t}`,
    summary: (m) => `Update a ${m} record (PATCH: as PUT)`,
  },
  {
    generic: GENERIC_RECORD,
    method: 'delete',
    path: (s) => `/api/${s}/{id}`,
    operationId: (t) => `delete${t}`,
    summary: (m) => `Delete a ${m} record`,
  },
  {
    generic: GENERIC_FIELDS,
    method: 'get',
    path: (s) => `/api/${s}/fields`,
    operationId: (t) => `get${t}Fields`,
    summary: (m) => `The fields of ${m} (extension)`,
  },
];

const MANY2ONE = 'Many2One';
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

/**
 * `sale.order` -> `SaleOrder`: the model name in PascalCase, `.` and `_` as word breaks. The typed GraphQL
 * schema's rule (src/graphql/typed/naming.ts, `typeName`), written again here so that the REST face does not
 * import the GraphQL one; test/rest/openapi-models.test.ts checks that the two agree on every model.
 */
export function schemaName(model: string): string {
  return model
    .split(/[._]+/)
    .filter((word) => word !== '')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** The schema of a selection field's keys: `SaleOrder` + `state` -> `SaleOrderState`. */
function enumName(type: string, field: string): string {
  return `${type}${schemaName(field)}`;
}

function describeField(name: string, meta: ContractFieldMeta): string {
  const facts = [
    meta.type + (meta.relation ? ` to ${meta.relation}` : ''),
    meta.required ? 'required' : '',
    meta.readonly ? 'read-only' : '',
  ]
    .filter(Boolean)
    .join(', ');
  const help = meta.help?.trim();
  return `${meta.string?.trim() || name} (${facts}).${help ? ` ${help}` : ''}`;
}

const EMPTY = { const: false, description: 'Empty.' };
const UNSET = { enum: [false, null], description: 'Clears the value.' };
const DATETIME = { type: 'string', description: '`YYYY-MM-DD HH:MM:SS`, UTC.', examples: ['2025-09-05 10:00:00'] };
const DATE = { type: 'string', format: 'date', examples: ['2025-09-05'] };

/** How a field of this metadata is read (C-RECORD-01 to 04); `enumRef` names its selection's keys. */
function recordValue(meta: ContractFieldMeta, enumRef: string | undefined): Json {
  switch (meta.type) {
    case 'char':
    case 'text':
    case 'html':
      return { anyOf: [{ type: 'string' }, EMPTY] };
    case 'selection':
      return { anyOf: [enumRef ? ref(enumRef) : { type: 'string' }, EMPTY] };
    case 'integer':
      return { type: 'integer' };
    case 'float':
    case 'monetary':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { anyOf: [DATE, EMPTY] };
    case 'datetime':
      return { anyOf: [DATETIME, EMPTY] };
    case 'many2one':
      return { anyOf: [ref(MANY2ONE), EMPTY] };
    case 'one2many':
    case 'many2many':
      return { type: 'array', items: { type: 'integer' } };
    case 'binary':
      return { anyOf: [{ type: 'string', contentEncoding: 'base64' }, EMPTY] };
    default:
      // Odoo's structured types (json, properties): any JSON.
      return {};
  }
}

/** How a field of this metadata is written (C-WRITE-01 to 06). */
function writtenValue(meta: ContractFieldMeta, enumRef: string | undefined): Json {
  switch (meta.type) {
    case 'char':
    case 'text':
    case 'html':
      return { anyOf: [{ type: 'string' }, UNSET] };
    case 'selection':
      return { anyOf: [enumRef ? ref(enumRef) : { type: 'string' }, UNSET] };
    case 'integer':
      return { anyOf: [{ type: 'integer' }, UNSET] };
    case 'float':
    case 'monetary':
      return { anyOf: [{ type: 'number' }, UNSET] };
    case 'boolean':
      return { type: ['boolean', 'null'] };
    case 'date':
      return { anyOf: [DATE, UNSET] };
    case 'datetime':
      return { anyOf: [DATETIME, UNSET] };
    case 'many2one':
      return {
        anyOf: [
          { type: 'integer', minimum: 1 },
          { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } },
          UNSET,
        ],
      };
    case 'one2many':
    case 'many2many':
      return {
        anyOf: [
          {
            type: 'array',
            description:
              "Ids (they replace the set), or Odoo's commands: `[[0, 0, {values}]]` creates, `[[4, id]]` links, `[[6, 0, [ids]]]` replaces...",
            items: {
              anyOf: [
                { type: 'integer', minimum: 1 },
                { type: 'array', minItems: 1, maxItems: 3 },
              ],
            },
          },
          UNSET,
        ],
      };
    case 'binary':
      return { anyOf: [{ type: 'string', contentEncoding: 'base64' }, UNSET] };
    default:
      return {};
  }
}

/** The keys of a selection field, labels in the description: `draft` (Quotation), ... */
function enumSchema(model: string, field: string, selection: ReadonlyArray<readonly [string, string]>): Json {
  return {
    type: 'string',
    enum: selection.map(([key]) => key),
    description: `The keys of ${model}.${field}: ${selection.map(([key, label]) => `\`${key}\` (${label})`).join(', ')}.`,
  };
}

/** A placeholder for a field an example must give: any value of its type that the field takes. */
function placeholder(name: string, meta: ContractFieldMeta): unknown {
  switch (meta.type) {
    case 'char':
    case 'text':
    case 'html':
      return `Example ${meta.string?.trim() || name}`;
    case 'selection':
      return meta.selection?.[0]?.[0];
    case 'integer':
    case 'float':
    case 'monetary':
      return 0;
    case 'boolean':
      return false;
    case 'date':
      return '2025-09-05';
    case 'datetime':
      return '2025-09-05 10:00:00';
    case 'many2one':
      // The first record of its model: every Odoo database has one (the main company, its partner...).
      return { id: 1 };
    default:
      return undefined;
  }
}

const writable = (meta: ContractFieldMeta) => meta.readonly !== true;

/**
 * A create body that names each required writable field (many2one: record 1) and the model's `name`. Odoo's
 * `required` includes fields that have a default, which the example gives anyway: only a value of the right
 * type, not the defaults, can be told from the metadata.
 */
function createExample(fields: FieldsMetadata): Json {
  const example: Json = {};
  for (const [name, meta] of Object.entries(fields)) {
    if (name === 'id' || !writable(meta) || !(meta.required || name === 'name')) continue;
    const value = placeholder(name, meta);
    if (value !== undefined) example[name] = value;
  }
  return example;
}

/** An update body: the model's `name`, or its first writable text field; undefined when it has neither. */
function updateExample(fields: FieldsMetadata): Json | undefined {
  const text = (meta: ContractFieldMeta | undefined) => meta !== undefined && writable(meta) && ['char', 'text'].includes(meta.type);
  const name = text(fields.name) ? 'name' : Object.keys(fields).find((field) => field !== 'id' && text(fields[field]));
  return name === undefined ? undefined : { [name]: `Example ${fields[name]?.string?.trim() || name} (renamed)` };
}

/** `id`, `name`, and the first required many2one (else the first many2one): `id,name,partner_id`. */
function fieldsExample(fields: FieldsMetadata): string {
  const many2ones = Object.keys(fields).filter((name) => fields[name]?.type === 'many2one' && !/^(create|write)_uid$/.test(name));
  const relation = many2ones.find((name) => fields[name]?.required) ?? many2ones[0];
  return ['id', ...(fields.name ? ['name'] : []), ...(relation ? [relation] : [])].join(',');
}

/** A domain on the model's own fields: its `state`, else `active`; undefined when it has neither. */
function domainExample(fields: FieldsMetadata): string | undefined {
  const state = fields.state?.type === 'selection' ? fields.state.selection?.[0]?.[0] : undefined;
  if (state !== undefined) return `[("state","=","${state}")]`;
  if (fields.active?.type === 'boolean') return '[("active","=",True)]';
  return undefined;
}

interface ModelComponents {
  readonly type: string;
  readonly schemas: Record<string, Json>;
}

function modelComponents({ model, fields }: DocumentedModel): ModelComponents {
  const type = schemaName(model);
  const slug = model.replace(/\./g, '_');
  const schemas: Record<string, Json> = {};
  const record: Record<string, Json> = { id: { type: 'integer', minimum: 1, description: 'The record id.' } };
  const values: Record<string, Json> = {};
  for (const [name, meta] of Object.entries(fields)) {
    if (name === 'id') continue;
    const description = describeField(name, meta);
    let enumRef: string | undefined;
    if (meta.type === 'selection' && meta.selection?.length) {
      const keys = enumSchema(model, name, meta.selection);
      // A component of its own, unless its name is one of the model's others (a field `page`): then inline.
      const own = enumName(type, name);
      if (schemas[own] === undefined && ![type, `${type}Page`, `${type}Values`].includes(own)) {
        schemas[own] = keys;
        enumRef = own;
      } else {
        record[name] = { anyOf: [keys, EMPTY], description, ...(meta.readonly && { readOnly: true }) };
        if (writable(meta)) values[name] = { anyOf: [keys, UNSET], description };
        continue;
      }
    }
    record[name] = { ...recordValue(meta, enumRef), description, ...(meta.readonly && { readOnly: true }) };
    if (writable(meta)) values[name] = { ...writtenValue(meta, enumRef), description };
  }
  schemas[type] = {
    type: 'object',
    description: `A ${model} record (\`/api/${slug}\`), in Odoo's read() shape: the fields asked for (\`fields\`), \`id\` always.`,
    required: ['id'],
    properties: record,
  };
  schemas[`${type}Page`] = { description: `A page of ${model} records.`, ...pageSchema(ref(type)) };
  schemas[`${type}Values`] = {
    type: 'object',
    description: `Field values of a ${model} record to create or update: the fields given are written, the others keep their value (on create, Odoo's defaults).`,
    properties: values,
  };
  return { type, schemas };
}

/** The written answer of a create or update: `{"id": n, "record": {...}}`. */
const written = (type: string): Json => ({
  type: 'object',
  required: ['id', 'record'],
  properties: { id: { type: 'integer' }, record: ref(type) },
});

function modelOperation(
  generic: Operation,
  { model, fields }: DocumentedModel,
  type: string,
  { method, path, operationId, summary }: { method: string; path: string; operationId: string; summary: string },
): Operation {
  const slug = model.replace(/\./g, '_');
  const operation = structuredClone(generic);
  operation.operationId = operationId;
  operation.tags = [slug];
  operation.summary = summary;
  const parameters = (operation.parameters ?? []).filter((parameter) => !(parameter.in === 'path' && parameter.name === 'slug'));
  for (const parameter of parameters) {
    if (parameter.in !== 'query') continue;
    const example = parameter.name === 'fields' ? fieldsExample(fields) : parameter.name === 'domain' ? domainExample(fields) : undefined;
    if (example !== undefined) parameter.example = example;
  }
  operation.parameters = parameters;
  const json = (status: string) => operation.responses?.[status]?.content?.['application/json'];
  const answer = path.endsWith('/fields') ? undefined : method === 'post' ? json('201') : method === 'delete' ? undefined : json('200');
  if (answer) {
    answer.schema = method === 'get' ? ref(path.endsWith('{id}') ? type : `${type}Page`) : written(type);
    delete answer.example;
    delete answer.examples;
  }
  const body = operation.requestBody?.content['application/json'];
  if (body) {
    body.schema = ref(`${type}Values`);
    const example = method === 'post' ? createExample(fields) : updateExample(fields);
    if (example) body.example = example;
  }
  return operation;
}

/**
 * The generic document with the models described: their components and paths, a tag each, and the generic
 * paths' `slug` as the enum of their slugs. A model whose names are taken (a component, a path or an
 * operationId: by another model, by a shared component such as `ApiError`, by `/api/health`) is left out
 * rather than shown under a name that means two things; so is a model listed twice. The generic document
 * is not changed.
 */
export function describeModels(generic: OpenApiDocument, models: readonly DocumentedModel[]): OpenApiDocument {
  const doc = structuredClone(generic);
  const schemas: Record<string, Json> = { ...doc.components.schemas };
  const described: DocumentedModel[] = [];
  const modelPaths: OpenApiDocument['paths'] = {};
  const tags: NonNullable<OpenApiDocument['tags']> = [];
  const operationIds = new Set(Object.values(doc.paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId)));
  for (const documented of models) {
    const { type, schemas: own } = modelComponents(documented);
    const slug = documented.model.replace(/\./g, '_');
    const operations = MODEL_OPERATIONS.filter(({ generic: path, method }) => doc.paths[path]?.[method] !== undefined);
    const clash =
      own[MANY2ONE] !== undefined ||
      Object.keys(own).some((name) => Object.hasOwn(schemas, name)) ||
      operations.some(({ path, operationId }) => Object.hasOwn(doc.paths, path(slug)) || operationIds.has(operationId(type)));
    if (clash) continue;
    Object.assign(schemas, own);
    described.push(documented);
    tags.push({ name: slug, description: `The ${documented.model} model's own paths, its records typed by its fields (\`${type}\`).` });
    for (const { generic: genericPath, method, path, operationId, summary } of operations) {
      const item = (modelPaths[path(slug)] ??= {});
      item[method] = modelOperation(doc.paths[genericPath]![method]!, documented, type, {
        method,
        path: path(slug),
        operationId: operationId(type),
        summary: summary(documented.model),
      });
      operationIds.add(operationId(type));
    }
  }
  if (!described.length) return doc;
  schemas[MANY2ONE] ??= {
    type: 'object',
    description: "A many2one value as read: the related record's id and display name.",
    required: ['id', 'name'],
    properties: { id: { type: 'integer' }, name: { type: 'string' } },
    examples: [{ id: 12, name: 'Azure Interior' }],
  };
  const slugs = described.map(({ model }) => model.replace(/\./g, '_'));
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith(GENERIC_LIST)) continue;
    for (const operation of Object.values(item)) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'path' && parameter.name === 'slug') parameter.schema = { ...parameter.schema, enum: slugs };
      }
    }
  }
  doc.components.schemas = schemas;
  doc.paths = { ...doc.paths, ...modelPaths };
  doc.tags = [...(doc.tags ?? []), ...tags];
  return doc;
}
