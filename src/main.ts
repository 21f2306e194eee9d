/**
 * Process entry: read the config, start the app, listen, and shut down gracefully on SIGINT/SIGTERM
 * (stop accepting, finish in-flight requests, close the database). Nothing else listens.
 */
import './process-mode.js';
import { createApp, type App } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { checkBeforeListen } from './startup-checks.js';

export async function serve(config: Config): Promise<App> {
  const app = await createApp(config);
  try {
    checkBeforeListen(config, app.backend);
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = await app.server.listen({ host: config.HOST, port: config.PORT });
  const lines = [
    `odoo-graphql-facade listening on ${address} (backend: ${config.BACKEND}${config.BACKEND === 'embedded' ? `, data in ${config.DATA_DIR}` : ''})`,
    `  REST:    ${address}/api/health, ${address}/api/<slug>`,
  ];
  if (config.BACKEND === 'embedded') {
    lines.push(`  API key: npx odoo-graphql apikey create --login admin   (demo logins: admin, demo, manager, portal; password = login)`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
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

const isEntry = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/src/main.ts');
if (isEntry) {
  try {
    await serve(loadConfig());
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `failed to start: ${(error as Error).message}`}\n`);
    process.exit(1);
  }
}
