/**
 * What a contract test needs beyond the contract itself. Against the embedded store (directly or through
 * the proxy) everything is there and every test runs as written. In front of a live Odoo
 * (`serverMode.via = 'odoo'`, test/backends/odoo/live.test.ts) a test that needs what Odoo does not have
 * is skipped, and its title says why. Keep this list short: a test that can be written against either
 * backend (ground truth through `server.truth`, fixtures from test/rest/fixtures.ts) should be.
 */
import { it } from 'vitest';
import { serverMode } from '../helpers/server.js';

export const CAPABILITIES = {
  'embedded-store':
    "drives the embedded store itself (its API keys, its session table or its model registry); Odoo's keys and sessions are Odoo's own",
  'manager-user':
    "needs the demo user 'manager' (a sales manager of the first company only) and a second company's leads and orders, which Odoo's demo data lacks",
  'embedded-demo':
    "relies on the embedded demo data (Azure Interior has no image; any base64 is a valid image_1920); Odoo's demo partners have images and Odoo takes only real images",
} as const;

export type Capability = keyof typeof CAPABILITIES;

/** Whether the server under test has that capability (always, except in front of a live Odoo). */
export function has(_capability: Capability): boolean {
  return serverMode.via !== 'odoo';
}

/** `it(name, fn)` where the capability is there; otherwise `it.skip` with the reason in its title. */
export function itNeeds(capability: Capability, name: string, fn: () => Promise<void>, timeout?: number): void {
  if (has(capability)) it(name, fn, timeout);
  else it.skip(`${name} [skipped on BACKEND=odoo: ${CAPABILITIES[capability]}]`, fn, timeout);
}
