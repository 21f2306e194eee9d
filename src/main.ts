/**
 * Process entry: read the config, start the app, listen, and shut down gracefully on SIGINT/SIGTERM
 * (stop accepting, finish in-flight requests, close the database). Nothing else listens.
 */
import './process-mode.js';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createApp, type App } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { startBanner } from './start-banner.js';
import { checkBeforeListen } from './startup-checks.js';

export async function serve(config: Config): Promise<App> {
  const app = await createApp(config);
  try {
    checkBeforeListen(config, app.dataSource);
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = await app.server.listen({ host: config.HOST, port: config.PORT });
  process.stdout.write(`${startBanner(config, app.dataSource, address).join('\n')}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`received ${signal}, shutting down\n`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return app;
}

/**
 * Serves with the environment's configuration, or says in one message why it cannot and exits 1. What
 * `npm start` runs (bin/start.js imports the compiled module and calls this), and this file run directly.
 */
export async function main(): Promise<void> {
  try {
    await serve(loadConfig());
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
