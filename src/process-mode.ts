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

process.env.NODE_ENV ??= 'production';

/**
 * V8 collects its old generation once that has grown 30% past what the last full collection kept
 * (`--heap-growing-percent=30`; docs/performance.md, "Memory"). V8's default on a machine with more than
 * 16 GB lets it grow up to 4× first: a server keeping 40 MB alive had an old generation of 100+ MB after a
 * minute of load, mostly garbage, and the soak's peak resident memory went from 234 MB to 181 MB with this.
 * Only when collections happen changes, not how large the heap may grow, so no load runs out of memory
 * that did not before. V8 reads the flag each time it sets its next limit, so setting it here takes
 * effect; given on node's command line or in NODE_OPTIONS, that value is kept
 * (`--heap-growing-percent=0`: V8's own default).
 */
const HEAP_GROWING_PERCENT = 30;
const heapFlag = /--heap[-_]growing[-_]percent(=|\s|$)/;
if (!process.execArgv.some((arg) => heapFlag.test(arg)) && !heapFlag.test(process.env.NODE_OPTIONS ?? '')) {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
