/**
 * V8 flags for a server process, set by src/process-mode.ts before the server loads. V8 reads both
 * whenever they apply, so setting them at that point takes effect. Each is left as node's command line
 * gives it (`node --heap-growing-percent=0 bin/start.js`, `node --allocation-site-pretenuring ...`);
 * node refuses both in NODE_OPTIONS. Measured in docs/performance.md, "Memory" and "Issue 20".
 */

interface V8Flag {
  /** The flag's name, without `--` or `no-`. */
  readonly name: string;
  /** What the server sets. */
  readonly value: string;
}

const V8_FLAGS: readonly V8Flag[] = [
  /**
   * V8 collects its old generation once that has grown 30% past what the last full collection kept. V8's
   * default on a machine with more than 16 GB lets it grow up to 4× first: a server keeping 40 MB alive
   * had an old generation of 100+ MB after a minute of load, mostly garbage, and the soak's peak resident
   * memory went from 234 MB to 181 MB with this. Only when collections happen changes, not how large the
   * heap may grow, so no load runs out of memory that did not before (`--heap-growing-percent=0`: V8's
   * own default).
   */
  { name: 'heap-growing-percent', value: '--heap-growing-percent=30' },
  /**
   * Every object allocated young. With V8's allocation-site pretenuring, which allocates the objects of
   * a site in the old generation once enough of them survived a young collection, most runs of the REST
   * page at 32 connections had full collections every 0.2 to 0.4 s for seconds at a time (3 to 10 ms
   * each): p99 21 to 34 ms and 10-15% fewer requests a second. Without it, p99 was 16 ms in every run,
   * and peak memory lower (docs/performance.md, "Issue 20").
   */
  { name: 'allocation-site-pretenuring', value: '--no-allocation-site-pretenuring' },
];

/** The flags to set in a process started with `execArgv`: those its command line does not give. */
export function serverV8Flags(execArgv: readonly string[]): string[] {
  return V8_FLAGS.filter((flag) => {
    const pattern = new RegExp(`^--(no-)?${flag.name.replace(/-/g, '[-_]')}(=|$)`);
    return !execArgv.some((arg) => pattern.test(arg));
  }).map((flag) => flag.value);
}
