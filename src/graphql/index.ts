export * from './errors.js';
export * from './scalars.js';
export * from './load-schema.js';
export * from './resolvers.js';
export * from './context.js';
export * from './operations.js';
export * from './create-graphql-server.js';
export * from './register-graphql.js';
