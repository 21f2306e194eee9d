/**
 * The typed schema as the app holds it: built at start when its SDL is at hand (embedded backend, or the
 * checked-in fallback), or on the first GraphQL request when it is read from the REST face (BACKEND=odoo
 * or proxy with `GRAPHQL_SCHEMA_AUTHORIZATION`), which only answers once the server is ready.
 */
import type { FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { buildTypedSchema, genericReservedNames } from './build-typed-schema.js';
import { loadTypedSDL, typedSDLIsLocal, type ContractGet, type TypedSDL, type TypedSDLSourceOptions } from './typed-sdl-source.js';

export interface TypedSchemaLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface TypedSchemaOptions extends Omit<TypedSDLSourceOptions, 'reserved'> {
  readonly logger?: TypedSchemaLogger;
}

export interface TypedSchema {
  /** What yoga runs: the schema, or a function giving it once its SDL has been read. */
  readonly schema: GraphQLSchema | (() => GraphQLSchema | Promise<GraphQLSchema>);
  /** The typed SDL and where it came from (read once). */
  sdl(): Promise<TypedSDL>;
}

/** GETs on this Fastify instance's own routes, in process (`inject`): the REST face, or the proxy to the upstream. */
export function injectGet(app: FastifyInstance): ContractGet {
  return async (path, headers) => {
    const response = await app.inject({ method: 'GET', url: path, headers: { ...headers } });
    let body: unknown;
    try {
      body = response.body === '' ? undefined : JSON.parse(response.body);
    } catch {
      body = undefined;
    }
    return { status: response.statusCode, body };
  };
}

export async function createTypedSchema(options: TypedSchemaOptions): Promise<TypedSchema> {
  const { logger } = options;
  let pending: Promise<TypedSDL> | undefined;
  const sdl = () => {
    pending ??= loadTypedSDL({ ...options, reserved: genericReservedNames() }).then((typed) => {
      if (typed.origin === 'fallback' || typed.note)
        logger?.warn({ origin: typed.origin, note: typed.note }, 'typed GraphQL schema: not every model could be read');
      else logger?.info({ origin: typed.origin, models: options.models.length }, 'typed GraphQL schema built');
      return typed;
    });
    return pending;
  };
  // At start, a typed SDL that cannot be served (names that clash) stops the start.
  if (typedSDLIsLocal(options)) return { schema: buildTypedSchema((await sdl()).sdl), sdl };
  // Read on first use, it must not take the generic API down with it: logged, and the generic schema served.
  let schema: Promise<GraphQLSchema> | undefined;
  let ready: GraphQLSchema | undefined;
  return {
    schema: () =>
      ready ??
      (schema ??= sdl()
        .then((typed) => buildTypedSchema(typed.sdl))
        .catch((error: unknown) => {
          logger?.error({ err: error }, 'typed GraphQL schema: not served');
          return buildTypedSchema('');
        })
        .then((built) => (ready = built))),
    sdl,
  };
}
