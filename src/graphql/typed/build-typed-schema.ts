/**
 * The executable schema: the generic SDL (schema/*.graphql) and the typed SDL, one document each, with
 * their resolvers (load-schema.ts merges them). Built once per typed SDL text and shared: the resolvers
 * keep their state in the operation (record-loader.ts), so servers of one process can share a schema.
 */
import { Kind, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { loadSchema, readSchemaSDL } from '../load-schema.js';
import type { ReservedNames } from './generate-typed-sdl.js';
import { readTypedModels } from './read-typed-models.js';
import { typedResolvers } from './typed-resolvers.js';

/** The names the generic schema uses, which the typed one must not take. */
export function reservedNames(generic: DocumentNode): ReservedNames {
  const types: string[] = [];
  const fieldsOf = (name: string) =>
    generic.definitions.flatMap((d) =>
      d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === name ? (d.fields ?? []).map((f) => f.name.value) : [],
    );
  for (const definition of generic.definitions) if ('name' in definition && definition.name) types.push(definition.name.value);
  return { types, queryFields: fieldsOf('Query'), mutationFields: fieldsOf('Mutation'), subscriptionFields: fieldsOf('Subscription') };
}

/** The names of the generic schema of schema/ (read once). */
let genericNames: ReservedNames | undefined;
export function genericReservedNames(): ReservedNames {
  genericNames ??= reservedNames(parse(readSchemaSDL()));
  return genericNames;
}

/** The whole SDL the server runs on: generic then typed; what `odoo-graphql schema print` prints. */
export function fullSchemaSDL(typedSDL: string): string {
  return `${readSchemaSDL()}\n${typedSDL}`;
}

const built = new Map<string, GraphQLSchema>();

/** The generic schema merged with this typed SDL (an empty one: the generic schema alone). Throws on an SDL the resolvers cannot serve. */
export function buildTypedSchema(typedSDL: string): GraphQLSchema {
  let schema = built.get(typedSDL);
  if (!schema) {
    if (typedSDL.trim() === '') schema = loadSchema();
    else {
      const document = parse(typedSDL);
      const { resolvers, scalars } = typedResolvers(readTypedModels(document));
      schema = loadSchema(undefined, { typeDefs: document, resolvers, scalars });
    }
    // A handful of SDL texts per process at most (tests start many servers on the same models).
    if (built.size >= 8) built.clear();
    built.set(typedSDL, schema);
  }
  return schema;
}
