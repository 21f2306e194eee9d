/**
 * The typed SDL read back into what the resolvers need: which object type shows which model, each field's
 * kind, each relation field's source field and target, each URL field's binary field, the enums' keys,
 * the business actions' mutations (`@odooAction`) and their keyword arguments. The server runs on this, whether
 * the SDL was just generated from field metadata or is the checked-in fallback, so both paths are one.
 * Throws, naming the type and field, when the SDL says something the resolvers could not serve.
 */
import {
  Kind,
  type ConstDirectiveNode,
  type DocumentNode,
  type EnumTypeDefinitionNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type ObjectTypeDefinitionNode,
  type TypeNode,
} from 'graphql';
import { GROUP_FIELDS, inputTypeName } from './naming.js';
import { kindOfGraphQLType, type FieldKind } from './type-mapping.js';

export interface TypedField {
  /** The Odoo field name, which is also the GraphQL field name. */
  readonly name: string;
  readonly kind: FieldKind;
  /** For a selection: its enum type. */
  readonly enumType?: string;
}

export interface TypedRelation {
  /** The GraphQL field (`partnerRecord`). */
  readonly name: string;
  /** The relational Odoo field it follows (`partner_id`). */
  readonly field: string;
  /** A list (one2many, many2many) or one record (many2one). */
  readonly many: boolean;
  /** The object type of the comodel. */
  readonly targetType: string;
}

export interface TypedFile {
  /** The GraphQL field (`image1920Url`). */
  readonly name: string;
  /** The binary Odoo field whose bytes it gives the path of (`image_1920`). */
  readonly field: string;
}

/** A model's grouped totals (`@odooGroup`, generate-group-sdl.ts). */
export interface TypedGroups {
  /** The Query field (`saleOrderGroups`). */
  readonly queryName: string;
  /** The group type (`SaleOrderGroup`). */
  readonly groupType: string;
  /** The keys a group shows, by Odoo field name: the model's fields (a date's kind says it is a GroupDate). */
  readonly keys: ReadonlyMap<string, TypedField>;
  /** The relation fields of relational keys (`partnerRecord`), each one record. */
  readonly relations: ReadonlyMap<string, TypedRelation>;
  /** The numeric fields of the totals type (`sum { amount_total }`). */
  readonly totals: ReadonlySet<string>;
}

export interface TypedModel {
  /** `sale.order`. */
  readonly model: string;
  /** `sale_order`: how the gateway is asked (`/api/sale_order`). */
  readonly slug: string;
  /** `SaleOrder`. */
  readonly type: string;
  /** The field a many2one's `name` shows, if it is one field (see `@odooModel`). */
  readonly displayNameField: string | undefined;
  /** Odoo fields by name (`id` aside). */
  readonly fields: ReadonlyMap<string, TypedField>;
  readonly relations: ReadonlyMap<string, TypedRelation>;
  /** URL fields by GraphQL name (`@odooFile`): resolved from the record's id, nothing read. */
  readonly files: ReadonlyMap<string, TypedFile>;
  /** The writable fields (the input type), or undefined when the model has none. */
  readonly inputFields: ReadonlyMap<string, TypedField> | undefined;
  /** Has an `active` field: searches by id must then include archived records. */
  readonly hasActive: boolean;
  /** Its grouped totals, when the SDL has them. */
  readonly groups?: TypedGroups;
}

export interface TypedActionArgument {
  /** The GraphQL argument (`lostReasonId`). */
  readonly name: string;
  /** The method's keyword argument it gives (`lost_reason_id`, `@odooArgument`). */
  readonly kwarg: string;
}

/** A business action's mutation (`confirmSaleOrder(id)`, `@odooAction`). */
export interface TypedAction {
  /** The Mutation field. */
  readonly name: string;
  /** The Odoo method (`action_confirm`). */
  readonly method: string;
  /** The object type it returns, whose model it acts on. */
  readonly type: string;
  readonly args: readonly TypedActionArgument[];
}

export interface TypedModels {
  readonly byType: ReadonlyMap<string, TypedModel>;
  readonly byModel: ReadonlyMap<string, TypedModel>;
  /** Enum type to (value name to Odoo selection key). */
  readonly enums: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** The business actions' mutations by Mutation field name. */
  readonly actions: ReadonlyMap<string, TypedAction>;
  /** The Subscription fields of models' changes (`crmLeadChanges`) to the model's type (`CrmLead`). */
  readonly changes?: ReadonlyMap<string, string>;
}

function directive(
  node: { readonly directives?: readonly ConstDirectiveNode[] | undefined },
  name: string,
): Map<string, string> | undefined {
  const found = node.directives?.find((d) => d.name.value === name);
  if (!found) return undefined;
  const args = new Map<string, string>();
  for (const arg of found.arguments ?? []) if (arg.value.kind === Kind.STRING) args.set(arg.name.value, arg.value.value);
  return args;
}

function unwrap(type: TypeNode): { named: string; list: boolean } {
  let node = type;
  let list = false;
  while (node.kind !== Kind.NAMED_TYPE) {
    if (node.kind === Kind.LIST_TYPE) list = true;
    node = node.type;
  }
  return { named: node.name.value, list };
}

function readField(where: string, node: FieldDefinitionNode | InputValueDefinitionNode, enums: ReadonlySet<string>): TypedField {
  const { named, list } = unwrap(node.type);
  const kind = kindOfGraphQLType(named, list, enums.has(named));
  if (!kind)
    throw new Error(
      `typed GraphQL schema: ${where}.${node.name.value} has type ${named}${list ? ' (list)' : ''}, which no Odoo field type maps to`,
    );
  return { name: node.name.value, kind, ...(kind === 'selection' && { enumType: named }) };
}

function readEnum(node: EnumTypeDefinitionNode): Map<string, string> {
  const values = new Map<string, string>();
  for (const value of node.values ?? []) {
    const key = directive(value, 'odooValue')?.get('key') ?? directive(value, 'odooGroupBy')?.get('spec');
    values.set(value.name.value, key ?? value.name.value);
  }
  return values;
}

/**
 * The Mutation fields with `@odooAction`: each must return one record of a typed model (`SaleOrder!`),
 * take `id: Int!`, and give every other argument to a keyword argument (`@odooArgument`).
 */
function readActions(document: DocumentNode, modelTypes: ReadonlySet<string>): Map<string, TypedAction> {
  const actions = new Map<string, TypedAction>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    if (definition.name.value !== 'Mutation') continue;
    for (const field of definition.fields ?? []) {
      const method = directive(field, 'odooAction')?.get('method');
      if (method === undefined) continue;
      const where = `typed GraphQL schema: Mutation.${field.name.value} (@odooAction ${JSON.stringify(method)})`;
      const { named, list } = unwrap(field.type);
      if (list || field.type.kind !== Kind.NON_NULL_TYPE || !modelTypes.has(named))
        throw new Error(`${where} must return one record of a typed model (\`Type!\`)`);
      const args: TypedActionArgument[] = [];
      let hasId = false;
      for (const arg of field.arguments ?? []) {
        if (arg.name.value === 'id') {
          hasId = arg.type.kind === Kind.NON_NULL_TYPE && arg.type.type.kind === Kind.NAMED_TYPE && arg.type.type.name.value === 'Int';
          if (!hasId) throw new Error(`${where}: its argument id must be an Int!`);
          continue;
        }
        const kwarg = directive(arg, 'odooArgument')?.get('name');
        if (kwarg === undefined) throw new Error(`${where}: its argument ${arg.name.value} names no keyword argument (@odooArgument)`);
        args.push({ name: arg.name.value, kwarg });
      }
      if (!hasId) throw new Error(`${where} must take the record's id: Int!`);
      actions.set(field.name.value, { name: field.name.value, method, type: named, args });
    }
  }
  return actions;
}

/** The key type a field of this kind has in a group. */
function keyTypeOf(field: TypedField): string {
  if (field.kind === 'date') return 'GroupDate';
  if (field.kind === 'datetime') return 'GroupDateTime';
  if (field.kind === 'x2many' || field.kind === 'many2one') return 'Many2One';
  return field.kind === 'selection'
    ? field.enumType!
    : ({ string: 'String', integer: 'Int', boolean: 'Boolean' } as Record<string, string>)[field.kind]!;
}

/**
 * The groups of a typed model: the object type with `@odooGroup(model)`, its keys (fields of the model, typed
 * as a group shows them), the relation fields of its relational keys, its totals' numeric fields, and the
 * Query field returning its page. Undefined when the SDL has no such type or no Query field for it.
 */
function readGroups(
  node: ObjectTypeDefinitionNode,
  model: TypedModel,
  objects: ReadonlyMap<string, ObjectTypeDefinitionNode>,
  queryFields: readonly FieldDefinitionNode[],
  modelTypes: ReadonlySet<string>,
): TypedGroups | undefined {
  const type = node.name.value;
  const where = `typed GraphQL schema: ${type} (@odooGroup ${JSON.stringify(model.model)})`;
  const keys = new Map<string, TypedField>();
  const relations = new Map<string, TypedRelation>();
  const totals = new Set<string>();
  for (const field of node.fields ?? []) {
    const name = field.name.value;
    const { named, list } = unwrap(field.type);
    const relation = directive(field, 'odooRelation')?.get('field');
    if (relation !== undefined) {
      const kind = model.fields.get(relation)?.kind;
      if (list || !modelTypes.has(named) || (kind !== 'many2one' && kind !== 'x2many'))
        throw new Error(`${where}: ${name} must give one typed record of the relational key '${relation}'`);
      relations.set(name, { name, field: relation, many: false, targetType: named });
    } else if (['sum', 'avg', 'min', 'max'].includes(name)) {
      for (const total of objects.get(named)?.fields ?? []) {
        const kind = model.fields.get(total.name.value)?.kind;
        if (kind !== 'integer' && kind !== 'float')
          throw new Error(`${where}: ${named}.${total.name.value} is no numeric field of ${model.type}`);
        totals.add(total.name.value);
      }
    } else if (!GROUP_FIELDS.includes(name)) {
      const field_ = model.fields.get(name);
      if (!field_ || list || keyTypeOf(field_) !== named)
        throw new Error(`${where}: ${name} is no key of ${model.type} (a field of the model, typed as a group shows it)`);
      keys.set(name, field_);
    }
  }
  for (const relation of relations.values()) {
    if (!keys.has(relation.field)) throw new Error(`${where}: ${relation.name} follows '${relation.field}', which is no key of the group`);
  }
  const query = queryFields.find((field) => {
    const page = objects.get(unwrap(field.type).named);
    const groups = page?.fields?.find((f) => f.name.value === 'groups');
    return groups !== undefined && unwrap(groups.type).named === type;
  });
  if (!query) return undefined;
  return { queryName: query.name.value, groupType: type, keys, relations, totals };
}

/**
 * The Subscription fields whose type is an object with a `record` of a typed model (`CrmLeadChange`):
 * a model's changes (issue 19). Field name to the model's type.
 */
function readChanges(
  fields: readonly FieldDefinitionNode[],
  objects: ReadonlyMap<string, ObjectTypeDefinitionNode>,
  modelTypes: ReadonlySet<string>,
): Map<string, string> {
  const changes = new Map<string, string>();
  for (const field of fields) {
    const change = objects.get(unwrap(field.type).named);
    const record = change?.fields?.find((f) => f.name.value === 'record');
    const type = record && unwrap(record.type);
    if (type && !type.list && modelTypes.has(type.named)) changes.set(field.name.value, type.named);
  }
  return changes;
}

/** The typed models of a document holding the typed SDL (the generic SDL may be in it too: it has no `@odooModel`). */
export function readTypedModels(document: DocumentNode): TypedModels {
  const enums = new Map<string, Map<string, string>>();
  const inputs = new Map<string, readonly InputValueDefinitionNode[]>();
  const objects: Array<{ node: ObjectTypeDefinitionNode; model: string; displayNameField: string | undefined }> = [];
  const objectTypes = new Map<string, ObjectTypeDefinitionNode>();
  const groupNodes: Array<{ node: ObjectTypeDefinitionNode; model: string }> = [];
  const queryFields: FieldDefinitionNode[] = [];
  const subscriptionFields: FieldDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (
      (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      definition.name.value === 'Subscription'
    )
      subscriptionFields.push(...(definition.fields ?? []));
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION) enums.set(definition.name.value, readEnum(definition));
    if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) inputs.set(definition.name.value, definition.fields ?? []);
    if (
      (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      definition.name.value === 'Query'
    )
      queryFields.push(...(definition.fields ?? []));
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) {
      objectTypes.set(definition.name.value, definition);
      const group = directive(definition, 'odooGroup')?.get('model');
      if (group !== undefined) groupNodes.push({ node: definition, model: group });
      const model = directive(definition, 'odooModel');
      const name = model?.get('name');
      if (name !== undefined) objects.push({ node: definition, model: name, displayNameField: model?.get('displayNameField') });
    }
  }
  const enumNames = new Set(enums.keys());
  const modelTypes = new Set(objects.map(({ node }) => node.name.value));
  const byType = new Map<string, TypedModel>();
  const byModel = new Map<string, TypedModel>();
  for (const { node, model, displayNameField } of objects) {
    const type = node.name.value;
    const fields = new Map<string, TypedField>();
    const relations = new Map<string, TypedRelation>();
    const files = new Map<string, TypedFile>();
    const relationNodes: FieldDefinitionNode[] = [];
    const fileNodes: FieldDefinitionNode[] = [];
    for (const field of node.fields ?? []) {
      if (field.name.value === 'id') continue;
      if (directive(field, 'odooRelation')) relationNodes.push(field);
      else if (directive(field, 'odooFile')) fileNodes.push(field);
      else fields.set(field.name.value, readField(type, field, enumNames));
    }
    for (const field of relationNodes) {
      const source = directive(field, 'odooRelation')?.get('field') ?? '';
      const { named, list } = unwrap(field.type);
      const sourceKind = fields.get(source)?.kind;
      if (!modelTypes.has(named) || sourceKind !== (list ? 'x2many' : 'many2one')) {
        throw new Error(
          `typed GraphQL schema: ${type}.${field.name.value} must give ${list ? 'a list of' : 'one'} typed record(s) of the ${list ? 'x2many' : 'many2one'} field '${source}'`,
        );
      }
      relations.set(field.name.value, { name: field.name.value, field: source, many: list, targetType: named });
    }
    // The SDL types a binary field as a String, as it does char, text and html: `@odooFile` is what says
    // it is binary, so what can be checked is that it names a String Odoo field of this type, once.
    const fileSources = new Set<string>();
    for (const field of fileNodes) {
      const source = directive(field, 'odooFile')?.get('field') ?? '';
      const { named, list } = unwrap(field.type);
      const sourceKind = fields.get(source)?.kind;
      const wrong =
        named !== 'String' || list
          ? `it has type ${named}${list ? ' (list)' : ''}, not String`
          : sourceKind === undefined
            ? `'${source}' is no field of ${type}${relations.has(source) ? ' (it is a relation field)' : ''}`
            : sourceKind !== 'string'
              ? `'${source}' is a ${sourceKind} field, not binary (a binary field is a String)`
              : fileSources.has(source)
                ? `another URL field already gives '${source}'`
                : undefined;
      if (wrong !== undefined) {
        throw new Error(`typed GraphQL schema: ${type}.${field.name.value} must give the URL of a binary field (@odooFile), but ${wrong}`);
      }
      fileSources.add(source);
      files.set(field.name.value, { name: field.name.value, field: source });
    }
    const inputNodes = inputs.get(inputTypeName(type));
    const inputFields =
      inputNodes && new Map(inputNodes.map((field) => [field.name.value, readField(inputTypeName(type), field, enumNames)] as const));
    const typed: TypedModel = {
      model,
      slug: model.replace(/\./g, '_'),
      type,
      displayNameField: displayNameField !== undefined && fields.get(displayNameField)?.kind === 'string' ? displayNameField : undefined,
      fields,
      relations,
      files,
      inputFields,
      hasActive: fields.get('active')?.kind === 'boolean',
    };
    byType.set(type, typed);
    byModel.set(model, typed);
  }
  for (const { node, model } of groupNodes) {
    const typed = byModel.get(model);
    if (!typed) throw new Error(`typed GraphQL schema: ${node.name.value} is the group type of ${model}, which is no typed model`);
    const groups = readGroups(node, typed, objectTypes, queryFields, modelTypes);
    if (groups) {
      const withGroups = { ...typed, groups };
      byType.set(typed.type, withGroups);
      byModel.set(model, withGroups);
    }
  }
  return {
    byType,
    byModel,
    enums,
    actions: readActions(document, modelTypes),
    changes: readChanges(subscriptionFields, objectTypes, modelTypes),
  };
}
