/**
 * Imported first by the process entries (main.ts, cli.ts), before any library: a server started by
 * them runs in production mode unless NODE_ENV says otherwise. graphql-js reads NODE_ENV once, when it
 * loads, and outside production checks every schema object it meets for duplicate copies of itself,
 * about 2% of a GraphQL request's CPU in a CPU profile of the records query. Tests and embedders that create the
 * app themselves keep whatever mode they run in.
 */
process.env.NODE_ENV ??= 'production';
