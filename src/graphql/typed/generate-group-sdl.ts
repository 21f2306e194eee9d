/**
 * The typed SDL of grouped totals (issue 18), per model: `saleOrderGroups(domain, groupBy, order, limit,
 * offset, lazy): SaleOrderGroupPage!`, the group type `SaleOrderGroup`, its totals `SaleOrderGroupTotals`
 * and the enum of its keys `SaleOrderGroupBy` (names: naming.ts). generate-typed-sdl.ts plans the models and
 * calls this module for their groups; read-typed-models.ts reads them back (`@odooGroup`, `@odooGroupBy`);
 * typed-groups.ts resolves them through `GET /api/<slug>/groups`.
 *
 * - Keys: the stored fields Odoo can group by that a client would: many2one, many2many, selection,
 *   boolean, char, integer, date and datetime (once per granularity: `DATE_ORDER_MONTH`); not one2many,
 *   binary, text, html, floats nor a computed field that is not stored.
 * - In a group, a key keeps its field's name and GraphQL type (a selection its enum, a many2one or a
 *   many2many its `Many2One` and a relation field to the typed record); a date or datetime key is a
 *   `GroupDate`/`GroupDateTime`: Odoo's label and the group's bounds.
 * - Totals: `sum`, `avg`, `min`, `max`, each a `SaleOrderGroupTotals` of the stored numeric fields (integer,
 *   float, monetary) as Float; the aggregates asked of REST are those selected.
 * - `records(limit, offset, order)`: the group's records, as typed records.
 */
import { GRANULARITIES } from '../../backends/read-group.js';
import type { FieldsMetadata } from '../../gateway/contract-types.js';
import {
  GROUP_FIELDS,
  NameRegistry,
  groupByEnumName,
  groupByValueNames,
  groupPageTypeName,
  groupTotalsTypeName,
  groupTypeName,
  enumValueNames,
  groupsQueryName,
  listQueryName,
  relationFieldName,
} from './naming.js';
import { graphQLTypeOf, type FieldKind } from './type-mapping.js';

/** What of a planned model (generate-typed-sdl.ts) its groups are made from. */
export interface GroupSource {
  readonly model: string;
  readonly type: string;
  readonly slug: string;
  readonly fields: ReadonlyArray<{
    readonly name: string;
    readonly kind: FieldKind;
    readonly meta: FieldsMetadata[string];
    readonly enumName?: string;
    readonly relation?: { readonly type: string };
  }>;
}

type SourceField = GroupSource['fields'][number];

interface GroupKey {
  readonly field: SourceField;
  /** The GraphQL type of the key in a group. */
  readonly graphQLType: string;
  /** A many2one or many2many to a typed model: its relation field in the group (`partnerRecord`), one record. */
  readonly relation?: { readonly name: string; readonly type: string };
}

export interface PlannedGroups {
  readonly queryName: string;
  readonly groupType: string;
  readonly pageType: string;
  readonly enumName: string;
  /** Undefined when the model has no stored numeric field. */
  readonly totalsType: string | undefined;
  readonly keys: readonly GroupKey[];
  /** The enum's values: name and spec (`DATE_ORDER_MONTH`, `date_order:month`). */
  readonly values: ReadonlyArray<{ readonly name: string; readonly spec: string; readonly field: SourceField }>;
  readonly totals: readonly SourceField[];
}

/** The shared types of date keys; claimed before any model's names. */
export const GROUP_KEY_TYPES: readonly string[] = Object.freeze(['GroupDate', 'GroupDateRange', 'GroupDateTime', 'GroupDateTimeRange']);

/** Odoo field types a typed group can be keyed by. */
const GROUPABLE_TYPES: ReadonlySet<string> = new Set([
  'many2one',
  'many2many',
  'selection',
  'boolean',
  'char',
  'integer',
  'date',
  'datetime',
]);
const NUMERIC_TYPES: ReadonlySet<string> = new Set(['integer', 'float', 'monetary']);
export const TOTALS: readonly string[] = Object.freeze(['sum', 'avg', 'min', 'max']);

/** `store: false` in fields_get (a computed field that is not stored) cannot be grouped nor aggregated. */
function stored(meta: FieldsMetadata[string]): boolean {
  return (meta as { readonly store?: unknown }).store !== false;
}

function granularitiesOf(type: string): readonly string[] {
  if (type === 'datetime') return GRANULARITIES;
  if (type === 'date') return GRANULARITIES.filter((granularity) => granularity !== 'hour');
  return [];
}

function keyType(field: SourceField): string {
  if (field.meta.type === 'date') return 'GroupDate';
  if (field.meta.type === 'datetime') return 'GroupDateTime';
  if (field.meta.type === 'many2many') return 'Many2One';
  return graphQLTypeOf(field.kind, field.enumName);
}

/**
 * The groups of a model, or undefined when it has none: no groupable field, or one of its four type names
 * or its root field taken (by a model's own names, which are claimed first; see naming.ts).
 */
export function planGroups(
  model: GroupSource,
  types: NameRegistry,
  queryNames: ReadonlySet<string>,
  typeOfModel: ReadonlyMap<string, string>,
): PlannedGroups | undefined {
  const names = new NameRegistry(`field of ${groupTypeName(model.type)}`);
  for (const name of GROUP_FIELDS) names.claim(name, `the group's ${name}`);
  const keys: GroupKey[] = [];
  for (const field of model.fields) {
    if (!GROUPABLE_TYPES.has(field.meta.type) || !stored(field.meta) || names.has(field.name)) continue;
    names.claim(field.name, `the key ${model.model}.${field.name}`);
    keys.push({ field, graphQLType: keyType(field) });
  }
  if (keys.length === 0) return undefined;
  // Relation names after every key's, as in the record type; one that meets another name is left out (the key stays).
  const withRelations = keys.map((key) => {
    const target = key.field.meta.relation === undefined ? undefined : typeOfModel.get(key.field.meta.relation);
    if (target === undefined) return key;
    const name = relationFieldName(key.field.name, false);
    if (names.has(name)) return key;
    names.claim(name, `the relation of the key ${model.model}.${key.field.name}`);
    return { ...key, relation: { name, type: target } };
  });
  const totals = model.fields.filter((field) => NUMERIC_TYPES.has(field.meta.type) && stored(field.meta));
  const wanted = [groupTypeName(model.type), groupPageTypeName(model.type), groupByEnumName(model.type)];
  if (totals.length) wanted.push(groupTotalsTypeName(model.type));
  const queryName = groupsQueryName(model.type);
  if (wanted.some((name) => types.has(name)) || queryNames.has(queryName)) return undefined;
  for (const name of wanted) types.claim(name, `a type of the groups of ${model.model}`);

  const specs = keys.flatMap(({ field }) => [
    ...(granularitiesOf(field.meta.type).length ? [] : [{ spec: field.name, field }]),
    ...granularitiesOf(field.meta.type).map((granularity) => ({ spec: `${field.name}:${granularity}`, field })),
  ]);
  const valueNames = groupByValueNames(specs.map(({ spec }) => spec));
  const enumValues = new NameRegistry(`value of ${groupByEnumName(model.type)}`);
  const values = specs.map(({ spec, field }, index) => ({
    name: enumValues.claim(valueNames[index]!, `the group key '${spec}'`),
    spec,
    field,
  }));
  return {
    queryName,
    groupType: groupTypeName(model.type),
    pageType: groupPageTypeName(model.type),
    enumName: groupByEnumName(model.type),
    totalsType: totals.length ? groupTotalsTypeName(model.type) : undefined,
    keys: withRelations,
    values,
    totals,
  };
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function describe(text: string, indent = ''): string {
  return `${indent}${quote(text)}\n`;
}

function label(field: SourceField): string {
  return field.meta.string?.trim() || field.name;
}

/** An example value of a key in a group's answer. */
function sampleValue(field: SourceField): string {
  switch (field.meta.type) {
    case 'many2one':
    case 'many2many':
      return '{"id": 1, "name": "..."}';
    case 'selection': {
      const keys = (field.meta.selection ?? []).map(([key]) => key);
      return keys.length && field.enumName ? JSON.stringify(enumValueNames(keys)[0]) : '"..."';
    }
    case 'boolean':
      return 'true';
    case 'integer':
      return '1';
    default:
      return '"..."';
  }
}

/** The date key types, printed once when some model has a date or datetime key. */
export function printGroupKeyTypes(): string {
  let out = '';
  for (const [type, scalar, from, to, example] of [
    ['GroupDate', 'Date', '2026-01-01', '2026-02-01', 'January 2026'],
    ['GroupDateTime', 'DateTime', '2025-12-31T23:00:00Z', '2026-01-31T23:00:00Z', 'January 2026'],
  ] as const) {
    out += describe(
      `The ${scalar === 'Date' ? 'date' : 'datetime'} key of a group: Odoo's label and the group's bounds. Example (by month): \`{ label: "${example}", range: { from: "${from}", to: "${to}" } }\`.`,
    );
    out += `type ${type} {\n`;
    out += describe(
      `The group as Odoo labels it in the user's language: day \`15 Jan 2026\`, week \`W3 2026\`, month \`January 2026\`, quarter \`Q1 2026\`, year \`2026\`. Empty for the group of records without a value. Read the bounds from \`range\` rather than parse it. Example: \`"${example}"\`.`,
      '  ',
    );
    out += '  label: String!\n';
    out += describe(
      `The group's bounds${scalar === 'DateTime' ? " in UTC (the groups are cut in the user's time zone)" : ''}, \`from\` included, \`to\` excluded; null for the group of records without a value. Example: \`{ from: "${from}", to: "${to}" }\`.`,
      '  ',
    );
    out += `  range: ${type}Range\n}\n\n`;
    out += describe(`The bounds of a ${scalar === 'Date' ? 'date' : 'datetime'} group. Example: \`{ from: "${from}", to: "${to}" }\`.`);
    out += `type ${type}Range {\n`;
    out += describe(`The first ${scalar === 'Date' ? 'day' : 'instant'} of the group (included). Example: \`"${from}"\`.`, '  ');
    out += `  from: ${scalar}!\n`;
    out += describe(`The first ${scalar === 'Date' ? 'day' : 'instant'} after the group (excluded). Example: \`"${to}"\`.`, '  ');
    out += `  to: ${scalar}!\n}\n\n`;
  }
  return out;
}

/** An example query of a model's groups: a relational or selection key, a date by month, a sum. */
function example(model: GroupSource, groups: PlannedGroups): { call: string; selection: string } {
  const first = groups.keys.find((key) => ['many2one', 'selection'].includes(key.field.meta.type)) ?? groups.keys[0]!;
  const date = groups.keys.find((key) => ['date', 'datetime'].includes(key.field.meta.type));
  const value = (spec: string) => groups.values.find((v) => v.spec === spec)?.name;
  const firstValue = value(first.field.name) ?? value(`${first.field.name}:month`)!;
  const dateValue = date && date !== first ? value(`${date.field.name}:month`) : undefined;
  const sum = groups.totals[0];
  const selection = [
    first.field.name,
    ...(dateValue ? [`${date!.field.name} { label range { from to } }`] : []),
    'count',
    ...(sum ? [`sum { ${sum.name} }`] : []),
  ].join(' ');
  return { call: `${groups.queryName}(groupBy: [${[firstValue, ...(dateValue ? [dateValue] : [])].join(', ')}])`, selection };
}

/** The group, totals, page and enum types of a model's groups. */
export function printGroups(model: GroupSource, groups: PlannedGroups): string {
  const { type, slug } = model;
  const { call, selection } = example(model, groups);
  let out = describe(
    `One group of ${type} records with its totals, as one group of \`GET /api/${slug}/groups\`: the keys it was grouped by, \`count\`, the totals selected (\`sum\`, \`avg\`, \`min\`, \`max\`), its \`domain\` and, on demand, its \`records\`. A key the groups are not grouped by is null. Example: \`${call} { groups { ${selection} } }\`.`,
  );
  out += `type ${groups.groupType} @odooGroup(model: ${quote(model.model)}) {\n`;
  for (const key of groups.keys) {
    const { field } = key;
    const specs = groups.values.filter((v) => v.field === field);
    const by = specs.map((v) => `\`${v.name}\``).join(', ');
    const what =
      field.meta.type === 'date' || field.meta.type === 'datetime'
        ? `its label and bounds, at the granularity grouped by (one per query: grouping by two granularities of one field is refused)`
        : field.meta.type === 'many2one' || field.meta.type === 'many2many'
          ? `as \`{id, name}\`, null for the group of records without a value${field.meta.type === 'many2many' ? ' (a record with several is in several groups)' : ''}`
          : field.meta.type === 'selection' && field.enumName
            ? `as its enum value, null for the group of records without a value`
            : `null for the group of records without a value${field.meta.type === 'boolean' ? ' or false' : ''}`;
    const sample =
      field.meta.type === 'date' || field.meta.type === 'datetime'
        ? `${field.name} { label range { from to } }\` gives \`{"label": "January 2026", "range": {...}}`
        : `${field.name}\` gives \`${sampleValue(field)}`;
    out += describe(
      `The key ${label(field)} (\`${field.name}\`, ${field.meta.type}), when grouped by ${by}: ${what}. Example: \`${sample}\`.`,
      '  ',
    );
    out += `  ${field.name}: ${key.graphQLType}\n`;
    if (key.relation) {
      out += describe(
        `The ${label(field)} record (${field.meta.relation}) of the key \`${field.name}\`, read in one request per model and level of the query; null for the group of records without a value. Example: \`${key.relation.name} { id display_name }\`.`,
        '  ',
      );
      out += `  ${key.relation.name}: ${key.relation.type} @odooRelation(field: ${quote(field.name)})\n`;
    }
  }
  out += describe(`How many records the group holds (\`__count\`). Example: \`12\`.`, '  ');
  out += '  count: Int!\n';
  if (groups.totalsType) {
    const sample = groups.totals
      .slice(0, 2)
      .map((field) => field.name)
      .join(' ');
    const words: Record<string, string> = {
      sum: 'The sums',
      avg: 'The averages',
      min: 'The smallest values',
      max: 'The largest values',
    };
    for (const total of ['sum', 'avg', 'min', 'max']) {
      out += describe(
        `${words[total]} of the numeric fields over the group's records (\`<field>:${total}\` of REST, asked only for the fields selected here); a field is null when no record of the group has a value. Example: \`${total} { ${sample} }\`.`,
        '  ',
      );
      out += `  ${total}: ${groups.totalsType}!\n`;
    }
  }
  out += describe(
    `The domain of exactly the group's records (\`__domain\`), as a Python-literal string: give it as the \`domain\` of \`${listQueryName(type)}\` to page through them, or of \`${groups.queryName}\` to group them further. Example: \`"[('stage_id', '=', 1)]"\`.`,
    '  ',
  );
  out += '  domain: Domain!\n';
  out += describe(
    `The group's records on demand (nothing is read when not selected): the records of every group of one level in one request (\`id:array_agg\` of the groups, then the records by id, as relations are read). Without \`order\` in id order; with it as \`${listQueryName(type)}\` orders them. Example: \`records(limit: 5, order: "id desc") { id display_name }\`.`,
    '  ',
  );
  out += '  records(\n';
  out += describe(
    "How many of the group's records to return, an integer >= 0; above the server's maximum (`MAX_LIMIT`): clamped. Example: `5`.",
    '    ',
  );
  out += '    limit: Int = 10\n';
  out += describe("How many of the group's records to skip, an integer >= 0. Example: `5` for the second page of 5.", '    ');
  out += '    offset: Int = 0\n';
  out += describe(
    `Sort order of the records, as in \`${listQueryName(type)}\`: comma-separated \`field [asc|desc]\`. Omitted: by id. Example: \`"create_date desc, id"\`.`,
    '    ',
  );
  out += '    order: String\n';
  out += `  ): [${type}!]!\n}\n\n`;

  if (groups.totalsType) {
    out += describe(
      `Sums, averages, minima or maxima of the numeric fields of ${type} over one group, each a Float (null when no record has a value). Example: \`sum { ${groups.totals[0]!.name} }\` gives \`{"${groups.totals[0]!.name}": 1234.5}\`.`,
    );
    out += `type ${groups.totalsType} {\n`;
    for (const field of groups.totals) {
      out += describe(`${label(field)} (\`${field.name}\`, ${field.meta.type}) over the group. Example: \`1234.5\`.`, '  ');
      out += `  ${field.name}: Float\n`;
    }
    out += '}\n\n';
  }

  out += describe(
    `A page of groups of ${type} records, as \`GET /api/${slug}/groups\` answers it. Example: \`{ count total groups { count } }\`.`,
  );
  out += `type ${groups.pageType} {\n`;
  out += describe('How many groups this page holds. Example: `6`.', '  ');
  out += '  count: Int!\n';
  out += describe('How many groups there are in all, whatever `limit` and `offset`. Example: `6`.', '  ');
  out += '  total: Int!\n';
  out += describe(`The groups, in the requested order. Example: \`groups { ${selection} }\`.`, '  ');
  out += `  groups: [${groups.groupType}!]!\n}\n\n`;

  out += describe(
    `The keys ${type} records can be grouped by in \`${groups.queryName}\`: a stored field, dates and datetimes once per granularity (\`DATE_ORDER_MONTH\` is \`date_order:month\`). Example: \`groupBy: [${groups.values[0]!.name}]\`.`,
  );
  out += `enum ${groups.enumName} {\n`;
  for (const value of groups.values) {
    const [, granularity] = value.spec.split(':');
    out += describe(
      `${label(value.field)} (\`${value.field.name}\`)${granularity ? ` by ${granularity}` : ''}, Odoo's \`${value.spec}\`. Example: \`groupBy: [${value.name}]\`.`,
      '  ',
    );
    out += `  ${value.name} @odooGroupBy(spec: ${quote(value.spec)})\n`;
  }
  out += '}\n\n';
  return out;
}

/** The root field of a model's groups (its name claimed in `queries`). */
export function printGroupsQuery(model: GroupSource, groups: PlannedGroups, queries: NameRegistry): string {
  const { type, slug } = model;
  const { call, selection } = example(model, groups);
  const name = queries.claim(groups.queryName, `the groups query of ${model.model}`);
  let out = describe(
    `Grouped totals of the ${type} records the caller may read, like \`GET /api/${slug}/groups\` (Odoo's \`read_group\`): record rules apply, so two users may see different counts and sums. The totals asked of REST are those the selection names (\`sum { ... }\`), and a group's \`records\` are read only when selected. Example: \`${call} { total groups { ${selection} } }\`.`,
    '  ',
  );
  out += `  ${name}(\n`;
  out += describe(
    `Which records are grouped, as in \`${listQueryName(type)}\` (a Python-literal string or a JSON list). Omitted: all the caller may read. Example: \`"[('create_date', '>=', '2026-01-01')]"\`.`,
    '    ',
  );
  out += '    domain: Domain\n';
  out += describe(
    `The group keys, outermost first, at most 10; one granularity per date field. Example: \`[${groups.values
      .slice(0, 2)
      .map((v) => v.name)
      .join(', ')}]\`.`,
    '    ',
  );
  out += `    groupBy: [${groups.enumName}!]!\n`;
  out += describe(
    `Order of the groups: comma-separated group keys (\`${groups.values[0]!.spec}\`), \`__count\` or \`<field>:<sum|avg|min|max>\`, each with \`asc\` or \`desc\`. Omitted: by the keys. Example: \`"${groups.totals[0] ? `${groups.totals[0].name}:sum desc` : '__count desc'}"\`.`,
    '    ',
  );
  out += '    order: String\n';
  out += describe(
    "How many groups to return, an integer >= 0. Omitted: 80; above the server's maximum (`MAX_LIMIT`): clamped. Example: `10`.",
    '    ',
  );
  out += '    limit: Int\n';
  out += describe('How many groups to skip, an integer >= 0. Omitted: 0. Example: `10`.', '    ');
  out += '    offset: Int\n';
  out += describe(
    "Odoo's `lazy`: `true` groups by the first key only (the others are for the next level, through each group's `domain`), and lists a kanban column field's empty groups. Omitted: `false`. Example: `true`.",
    '    ',
  );
  out += '    lazy: Boolean\n';
  out += `  ): ${groups.pageType}!\n`;
  return out;
}
