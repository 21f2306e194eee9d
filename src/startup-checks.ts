/**
 * Checks made before the server listens. Today one: an embedded server with demo passwords left
 * unchanged (admin/admin, ...) refuses to listen on anything but loopback, unless told to.
 */
import type { Backend } from './backends/backend.js';
import { EmbeddedBackend } from './backends/embedded/embedded-backend.js';
import { ConfigError, type Config } from './config.js';

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function checkBeforeListen(config: Config, backend: Backend): void {
  if (isLoopback(config.HOST) || config.ALLOW_DEMO_PASSWORDS || !(backend instanceof EmbeddedBackend)) return;
  const logins = backend.loginsWithDemoPasswords();
  if (logins.length === 0) return;
  throw new ConfigError(
    `refusing to listen on HOST=${config.HOST}: users ${logins.join(', ')} still have their demo passwords (password = login).\n` +
      `  Change them with 'npx odoo-graphql user password --login <login>' (reads the new password from stdin),\n` +
      `  or set ALLOW_DEMO_PASSWORDS=true to accept the risk.`,
  );
}
