/**
 * Checks made before the server listens: a server whose data source still has demo passwords
 * (admin/admin, ...; only the embedded store can say) refuses to listen on anything but loopback, unless
 * told to; and /metrics (Node's version, every route, error counts) is not served to whoever reaches a
 * non-loopback HOST, unless it asks for a token (`metricsAccess`).
 */
import type { DataSource } from './backends/backend.js';
import { ConfigError, type Config } from './config.js';

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function checkBeforeListen(config: Pick<Config, 'HOST' | 'ALLOW_DEMO_PASSWORDS'>, dataSource: DataSource): void {
  if (isLoopback(config.HOST) || config.ALLOW_DEMO_PASSWORDS) return;
  const logins = dataSource.loginsWithDemoPasswords?.() ?? [];
  if (logins.length === 0) return;
  throw new ConfigError(
    `refusing to listen on HOST=${config.HOST}: users ${logins.join(', ')} still have their demo passwords (password = login).\n` +
      `  Change them with 'npx odoo-graphql user password --login <login>' (reads the new password from stdin),\n` +
      `  or set ALLOW_DEMO_PASSWORDS=true to accept the risk.`,
  );
}

/** Whether /metrics is served, and the Bearer token it then asks for (undefined: none). */
export interface MetricsAccess {
  readonly served: boolean;
  readonly token?: string;
  /** Logged at start when /metrics is left out for safety. */
  readonly warning?: string;
}

/**
 * /metrics is served with METRICS (the default), and then: behind `Authorization: Bearer <METRICS_TOKEN>`
 * when a token is set; open when HOST is loopback (only this machine reaches it); otherwise not at all,
 * with a warning, rather than published to the network.
 */
export function metricsAccess(config: Pick<Config, 'METRICS' | 'METRICS_TOKEN' | 'HOST'>): MetricsAccess {
  if (!config.METRICS) return { served: false };
  if (config.METRICS_TOKEN !== undefined) return { served: true, token: config.METRICS_TOKEN };
  if (isLoopback(config.HOST)) return { served: true };
  return {
    served: false,
    warning:
      `/metrics is not served: HOST=${config.HOST} is not loopback and METRICS_TOKEN is not set. ` +
      `Set METRICS_TOKEN (16+ characters) to serve it to 'Authorization: Bearer <token>', or METRICS=false to silence this.`,
  };
}
