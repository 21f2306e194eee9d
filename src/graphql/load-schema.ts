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
  const files = readdirSync(dir).filter((name) => name.endsWith('.graphql')).sort();
  if (files.length === 0) throw new Error(`no *.graphql files in ${dir}`);
  return files.map((name) => `# ${name}\n${readFileSync(join(dir, name), 'utf8')}`).join('\n');
}

/**
 * The executable schema. Every scalar declared in the SDL must have an implementation in `SCALARS`
 * (and the reverse), or this throws naming it.
 */
export function loadSchema(dir: string = SCHEMA_DIR): GraphQLSchema {
  const document: DocumentNode = parse(readSchemaSDL(dir));
  const scalars: Record<string, GraphQLScalarType> = {};
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCALAR_TYPE_DEFINITION) continue;
    const name = definition.name.value;
    const implementation = SCALARS[name];
    if (!implementation) throw new Error(`scalar ${name} is declared in ${dir} but has no implementation in src/graphql/scalars.ts`);
    scalars[name] = new GraphQLScalarType({
      ...implementation.toConfig(),
      description: definition.description?.value ?? implementation.description,
      astNode: definition,
    });
  }
  for (const name of Object.keys(SCALARS)) {
    if (!scalars[name]) throw new Error(`scalar ${name} is implemented but not declared in ${dir}`);
  }
  return makeExecutableSchema({ typeDefs: document, resolvers: [resolvers, scalars] });
}
