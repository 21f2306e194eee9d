/**
 * WORKERS > 1: several server processes on one port and one DATA_DIR, with node:cluster
 * (docs/operations.md, "Several processes (WORKERS)"). The primary serves nothing itself. It:
 * - readies the data folder once, before any worker (a new database is created and seeded here, so that
 *   workers never race to do it);
 * - starts the workers one after another, each once the one before listens, and prints the banner once,
 *   when all of them listen (connections to the port are then handed to the workers in turn: node's
 *   round-robin);
 * - replaces a worker that dies;
 * - on SIGTERM/SIGINT has every worker drain and close (main.ts's shutdown), and exits 0 once all have
 *   exited cleanly, 1 otherwise (one that outlives SHUTDOWN_GRACE_MS and a margin is killed).
 * A worker is the single-process server of main.ts, given its configuration by the primary over the
 * cluster's IPC channel (so that the flags of `odoo-graphql serve` reach it too) with one hop token for all:
 * a GraphQL request's calls to the REST routes go to the shared port, and another worker may serve them.
 */
import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { EmbeddedBackend } from './backends/embedded/embedded-backend.js';
import type { Config, EmbeddedConfig } from './config.js';
import { shareHopToken } from './graceful-shutdown.js';
import { answerPrimaryMetrics, serveClusterMetrics } from './observability/cluster-metrics.js';

/** A worker asks for its configuration (once it listens for the answer, so that none is lost). */
const READY = 'odoo-graphql:ready';
/** The primary's answer: the configuration and the hop token. */
const START = 'odoo-graphql:start';
/** A worker listens; its banner, for the primary to print once. */
const LISTENING = 'odoo-graphql:listening';
/** Wait before replacing a worker that died, so that one failing at once does not spin. */
const RESPAWN_DELAY_MS = 1000;
/** Beyond SHUTDOWN_GRACE_MS, the time a worker has to close its database and exit before it is killed. */
const EXIT_MARGIN_MS = 5000;

interface StartMessage {
  readonly type: typeof START;
  readonly config: Config;
  readonly hopToken: string;
}

interface ListeningMessage {
  readonly type: typeof LISTENING;
  readonly banner: string[];
}

function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

/** Creates and seeds a new database, or brings an existing one's tables up to date, then closes it. */
async function prepareDataDir(config: EmbeddedConfig): Promise<void> {
  const backend = new EmbeddedBackend({
    dataDir: config.DATA_DIR,
    dbName: config.DB_NAME,
    demo: config.DEMO_DATA,
    synchronous: config.SQLITE_SYNCHRONOUS,
    changeLog: { maxAgeS: config.CHANGES_MAX_AGE_S, maxRows: config.CHANGES_MAX_ROWS },
  });
  await backend.close();
}

/**
 * The primary of config.WORKERS workers, each running `workerEntry` (the compiled main.js, or main.ts
 * under tsx). Resolves once all of them listen; the process then exits when they have stopped.
 */
export async function runPrimary(config: Config, workerEntry: string): Promise<void> {
  const workers = new Set<Worker>();
  // An object's field: changed by the event handlers below, which TypeScript's narrowing does not follow.
  const state: { phase: 'starting' | 'running' | 'stopping' } = { phase: 'starting' };
  let failed = false;

  const exitWhenAllGone = () => {
    if (workers.size === 0) process.exit(failed ? 1 : 0);
  };
  /** Has every worker drain and exit; `reason` goes to stdout for a signal, to stderr for a failure. */
  const stop = (reason: string, out: NodeJS.WriteStream = process.stdout) => {
    if (state.phase === 'stopping') return;
    state.phase = 'stopping';
    out.write(`${reason}, shutting down\n`);
    for (const worker of workers) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of workers) worker.process.kill('SIGKILL');
    }, config.SHUTDOWN_GRACE_MS + EXIT_MARGIN_MS).unref();
    exitWhenAllGone();
  };
  // Not once: a second signal while the workers drain must not kill the primary and orphan them.
  process.on('SIGINT', () => stop('received SIGINT'));
  process.on('SIGTERM', () => stop('received SIGTERM'));

  if (config.BACKEND === 'embedded') await prepareDataDir(config);
  const hopToken = randomBytes(16).toString('hex');
  cluster.setupPrimary({ exec: workerEntry, args: [] });
  serveClusterMetrics();

  /** Starts a worker; resolves with its banner once it listens, rejects when it exits before. */
  const startWorker = () =>
    new Promise<string[]>((resolve, reject) => {
      const worker = cluster.fork();
      workers.add(worker);
      let listening = false;
      worker.on('message', (message: unknown) => {
        if (isMessage(message, READY)) worker.send({ type: START, config, hopToken } satisfies StartMessage);
        if (isMessage<ListeningMessage>(message, LISTENING)) {
          listening = true;
          resolve(message.banner);
        }
      });
      worker.once('exit', (code, signal) => {
        workers.delete(worker);
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        if (!listening) reject(new Error(`a worker exited (${how}) before it listened`));
        if (state.phase === 'stopping') {
          // Told to stop: a clean exit, or the signal itself when it came before the worker could handle it.
          if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGINT') failed = true;
          return exitWhenAllGone();
        }
        if (state.phase === 'starting') {
          failed = true;
          return stop(`a worker exited (${how}) while the server started`, process.stderr);
        }
        process.stderr.write(`worker ${worker.process.pid} exited (${how}): starting another\n`);
        setTimeout(() => {
          if (state.phase === 'running') startWorker().catch(() => undefined);
        }, RESPAWN_DELAY_MS);
      });
    });

  let banner: string[] | undefined;
  try {
    // One after another, each while no other writes yet: opening the database checks its tables in a
    // transaction that begins as a read and may write (database.ts), which another writer would make fail.
    for (let i = 0; i < config.WORKERS && state.phase === 'starting'; i++) banner = await startWorker();
  } catch {
    return; // stopping already: the workers' exits end the process
  }
  if (state.phase !== 'starting' || !banner) return;
  state.phase = 'running';
  process.stdout.write(`${banner.join('\n')}\n`);
}

/**
 * In a worker: answers the primary's requests for metrics from now on, asks for the configuration and the
 * hop token, takes the token for the apps of this process, and resolves with the configuration.
 */
export function joinCluster(): Promise<Config> {
  answerPrimaryMetrics();
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!isMessage<StartMessage>(message, START)) return;
      process.off('message', onMessage);
      shareHopToken(message.hopToken);
      resolve(Object.freeze(message.config));
    };
    process.on('message', onMessage);
    if (!process.send) return reject(new Error('not a cluster worker'));
    process.send({ type: READY });
  });
}

/** In a worker: tells the primary that it listens, with the banner that the primary prints once for all. */
export function announceListening(banner: string[]): void {
  process.send?.({ type: LISTENING, banner } satisfies ListeningMessage);
}
