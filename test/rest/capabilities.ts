/**
 * What a contract test needs beyond the contract itself. Against the embedded store (directly or through
 * the proxy) everything is there and every test runs as written. In front of a live Odoo
 * (`serverMode.via = 'odoo'`, test/backends/odoo/live.test.ts; `'reference'`, the lab's reference gateway,
 * test/rest/contract-reference.test.ts) a test that needs what Odoo does not have is skipped, and its
 * title says why. Keep this list short: a test that can be written against either
 * backend (ground truth through `server.truth`, fixtures from test/rest/fixtures.ts) should be.
 */
import { it } from 'vitest';
import { inFrontOfOdoo, serverMode } from '../helpers/server.js';

export const CAPABILITIES = {
  'embedded-store':
    "drives the embedded store itself (its API keys, its session table or its model registry); Odoo's keys and sessions are Odoo's own",
  extensions:
    "uses this server's additions to the contract (dotted slugs, HEAD on GET routes, GET /api/<slug>/fields, ISO 8601 datetimes in writes), which another implementation need not have",
} as const;

export type Capability = keyof typeof CAPABILITIES;

/**
 * Whether the server under test has that capability: this repository's server has every one, but the
 * embedded store's own parts only on the embedded store (not in front of a live Odoo: BACKEND=odoo or the
 * reference gateway); another implementation of the contract (the reference gateway) has no extension.
 */
export function has(capability: Capability): boolean {
  return capability === 'extensions' ? serverMode.via !== 'reference' : !inFrontOfOdoo();
}

/** `it(name, fn)` where the capability is there; otherwise `it.skip` with the reason in its title. */
export function itNeeds(capability: Capability, name: string, fn: () => Promise<void>, timeout?: number): void {
  if (has(capability)) it(name, fn, timeout);
  else it.skip(`${name} [skipped: ${CAPABILITIES[capability]}]`, fn, timeout);
}
