/**
 * The schema: the SDL files of `schema/` (read at start, in name order) joined to the resolvers and
 * the scalars' behaviour. The SDL is the documentation (descriptions with examples, shown by GraphiQL),
 * so a scalar keeps the SDL's description and takes only its behaviour from the code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLScalarType, Kind, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers.js';
import { SCALARS } from './scalars.js';

/** `schema/` at the package root (this file is `src/graphql/load-schema.ts`). */
export const SCHEMA_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));

/** The SDL of every `*.graphql` file in `dir`, in name order, joined; throws if there is none. */
export function readSchemaSDL(dir: string = SCHEMA_DIR): string {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  if (files.length === 0) throw new Error(`no *.graphql files in ${dir}`);
  return files.map((name) => `# ${name}\n${readFileSync(join(dir, name), 'utf8')}`).join('\n');
}

/** More SDL with its resolvers and scalars, merged into the generic schema (the typed schema, src/graphql/typed/). */
export interface SchemaExtension {
  readonly typeDefs: DocumentNode;
  readonly resolvers: Record<string, object>;
  readonly scalars: Readonly<Record<string, GraphQLScalarType>>;
}

/** The scalars declared in `document`, each with its implementation's behaviour and the SDL's description. */
function declaredScalars(
  document: DocumentNode,
  implementations: Readonly<Record<string, GraphQLScalarType>>,
  where: string,
): Record<string, GraphQLScalarType> {
  const scalars: Record<string, GraphQLScalarType> = {};
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCALAR_TYPE_DEFINITION) continue;
    const name = definition.name.value;
    const implementation = implementations[name];
    if (!implementation) throw new Error(`scalar ${name} is declared in ${where} but has no implementation`);
    scalars[name] = new GraphQLScalarType({
      ...implementation.toConfig(),
      description: definition.description?.value ?? implementation.description,
      astNode: definition,
    });
  }
  for (const name of Object.keys(implementations)) {
    if (!scalars[name]) throw new Error(`scalar ${name} is implemented but not declared in ${where}`);
  }
  return scalars;
}

/**
 * The executable schema. Every scalar declared in the SDL must have an implementation in `SCALARS`
 * (and the reverse), or this throws naming it; likewise for an extension's SDL and scalars.
 */
export function loadSchema(dir: string = SCHEMA_DIR, extension?: SchemaExtension): GraphQLSchema {
  const document: DocumentNode = parse(readSchemaSDL(dir));
  const scalars = declaredScalars(document, SCALARS, `${dir} (src/graphql/scalars.ts)`);
  if (!extension) return makeExecutableSchema({ typeDefs: document, resolvers: [resolvers, scalars] });
  const extra = declaredScalars(extension.typeDefs, extension.scalars, 'the typed schema');
  return makeExecutableSchema({ typeDefs: [document, extension.typeDefs], resolvers: [resolvers, scalars, extension.resolvers, extra] });
}
