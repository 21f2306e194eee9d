/**
 * Process entry: read the config, start the app, listen, and shut down gracefully on SIGINT/SIGTERM
 * (stop accepting, finish in-flight requests, close the database). Nothing else listens. With WORKERS > 1
 * this process is the primary of that many such processes, and each of them runs this file too (cluster.ts).
 */
import './process-mode.js';
import cluster from 'node:cluster';
import { realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createApp, type App } from './app.js';
import { announceListening, joinCluster, runPrimary } from './cluster.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { startBanner } from './start-banner.js';
import { checkBeforeListen } from './startup-checks.js';

export interface ServeOptions {
  /** Where the banner goes instead of stdout: a cluster worker hands it to the primary, which prints it once. */
  readonly announce?: (lines: string[]) => void;
}

/**
 * Serves `config`: one process, or with WORKERS > 1 the primary of that many (cluster.ts), which resolves
 * undefined once they all listen (the apps are theirs). A cluster worker serves as one process does.
 */
export async function serve(config: Config, options: ServeOptions = {}): Promise<App | undefined> {
  if (config.WORKERS > 1 && cluster.isPrimary) {
    await runPrimary(config, fileURLToPath(import.meta.url));
    return undefined;
  }
  const app = await createApp(config);
  try {
    checkBeforeListen(config, app.dataSource);
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = await app.server.listen({ host: config.HOST, port: config.PORT });
  const banner = startBanner(config, app.dataSource, address);
  if (options.announce) options.announce(banner);
  else process.stdout.write(`${banner.join('\n')}\n`);
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    // A worker's primary has said it, once for all.
    if (!cluster.isWorker) process.stdout.write(`${reason}, shutting down\n`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('received SIGINT'));
  process.once('SIGTERM', () => stop('received SIGTERM'));
  // A worker whose primary is gone (killed) drains and stops too, rather than stay behind alone.
  if (cluster.isWorker) process.once('disconnect', () => stop('the primary process is gone'));
  return app;
}

/**
 * Serves with the environment's configuration (a cluster worker: with its primary's), or says in one
 * message why it cannot and exits 1. What `npm start` runs (bin/start.js imports the compiled module and
 * calls this), and this file run directly.
 */
export async function main(): Promise<void> {
  try {
    if (cluster.isWorker) await serve(await joinCluster(), { announce: announceListening });
    else await serve(loadConfig());
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `failed to start: ${(error as Error).message}`}\n`);
    process.exit(1);
  }
}

/** Whether this module is the process's entry (`node dist/main.js`, `tsx src/main.ts`, `npm run dev`) rather than imported. */
function isEntry(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    // Node gives the entry module's real path as import.meta.url, argv[1] as typed (perhaps through a symlink).
    return pathToFileURL(realpathSync(entry)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntry()) await main();
