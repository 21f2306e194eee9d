/**
 * Imported first by the process entries (main.ts, cli.ts; a WORKERS worker runs main.ts too), before any
 * library, for what must be set before the server loads.
 *
 * Production mode: a server started by them runs in production mode unless NODE_ENV says otherwise.
 * graphql-js reads NODE_ENV once, when it loads, and outside production checks every schema object it
 * meets for duplicate copies of itself, about 2% of a GraphQL request's CPU in a CPU profile of the
 * records query. Tests and embedders that create the app themselves keep whatever mode they run in.
 */
import { setFlagsFromString } from 'node:v8';
import { serverV8Flags } from './v8-flags.js';

process.env.NODE_ENV ??= 'production';

/** V8's heap growth and pretenuring, unless node's command line gives them (src/v8-flags.ts). */
for (const flag of serverV8Flags(process.execArgv)) setFlagsFromString(flag);
