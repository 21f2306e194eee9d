/**
 * Opt-in: the REST contract suite (test/rest/contract.test.ts, one test per clause of docs/rest-contract.md), unchanged,
 * served by BACKEND=odoo in front of a live Odoo (14 to 19) with demo data, plus two Odoo-specific checks.
 * Runs only when the environment names the server, its database and a user; otherwise it is skipped and
 * says which variables are missing:
 *
 *   ODOO_URL=http://localhost:8069 ODOO_DB=odoo ODOO_LOGIN=admin ODOO_API_KEY=... \
 *   ODOO_PG_URL=postgresql://odoo:odoo@localhost:5432/odoo \
 *   [ODOO_PASSWORD=...] [ODOO_SECRETS=demo:<key>,portal:<key>] [ODOO_PASSWORDS=demo:<pw>,portal:<pw>] \
 *   npx vitest run test/backends/odoo/live.test.ts
 *
 * - ODOO_LOGIN / ODOO_API_KEY: the administrator (Odoo's demo: `admin`) and an API key of that user. Requests
 *   "as a user" send `Authorization: Basic base64(login:secret)`, which the odoo backend accepts on every Odoo
 *   version: the key for ODOO_LOGIN, ODOO_SECRETS for other users, else the demo password (the login).
 * - ODOO_PG_URL: Odoo's own PostgreSQL database, read for ground truth (what the database holds) exactly as
 *   the suite reads SQLite on the embedded store. Read-only: the suite never writes there.
 * - ODOO_PASSWORD / ODOO_PASSWORDS: passwords for /web/session/authenticate (default: the login, as in
 *   Odoo's demo data).
 * The suite creates, changes and deletes records through the API (leads, partners, orders...): point it at a
 * throwaway database with demo data, never at a production one.
 *
 * Skipped in front of Odoo, with the reason in the test's title (test/rest/capabilities.ts):
 * - C-AUTH-01: reads the embedded store's key table (`res_users_apikeys.index_prefix`) and sends a Bearer key
 *   (Odoo before 19 refuses the scheme).
 * - C-AUTH-02: creates and lists API keys through the embedded backend; Odoo's keys are made in Odoo.
 * Run in part, or on Odoo's own terms:
 * - C-AUTH-06: without the revoked key and the expired session (both are made in the embedded store);
 *   Basic admin:admin, the Odoo demo admin's real password, is replaced by a wrong one.
 * - C-RETRIEVE-04, C-DELETE-03: the parts as the user `manager` (a sales manager of the first company only)
 *   run where the database has that login (the lab does; Odoo's own demo data does not); the second
 *   company's order and lead are created as admin when there are none.
 * - C-SLUG-01: the embedded store's models rather than every model of the registry; C-SLUG-04: without
 *   `account_move` and `ir.config_parameter`, which are real models on Odoo; C-SLUG-02: `ir_actions_act_window`
 *   resolves to Odoo's `ir.actions.act_window` (the embedded store has no such model: 404 there).
 * - C-LIST-11, C-RECORD-01: the readable fields and their types from `GET /api/<slug>/fields` (Odoo's
 *   fields_get) instead of the embedded registry; C-RECORD-04 on a partner it creates, with a real PNG.
 * - C-WRITE-09: where Odoo 17 and the embedded store differ (an empty update stamping write_date), each side
 *   is held to its own answer, the difference named there.
 * - C-ERROR-07, C-ERROR-08 start their own embedded servers (they test the REST layer's error mapping).
 * Records the suite names (demo users, Azure Interior, a confirmed order...) are looked up by login or name,
 * or as the first record of their kind (test/rest/fixtures.ts); records of a kind the database lacks (an
 * order in a given state, an unassigned order...) are created through the API.
 *
 * The lab is shared: a suite writing there at the same time (test/fidelity/) can make a count read through
 * the API and the same count read from PostgreSQL a moment later differ.
 */
import { describe, expect, it } from 'vitest';
import { majorVersion, missingOdooVariables, odooTargetFromEnv } from '../../helpers/odoo-target.js';
import { odooTarget, serverMode } from '../../helpers/server.js';
import { useServer } from '../../helpers/use-server.js';
import { expectError } from '../../rest/support.js';

const missing = missingOdooVariables();
const target = missing.length ? undefined : await odooTargetFromEnv();
const skipped = `live Odoo suite skipped: set ${missing.join(', ')} to run the REST contract suite against a real Odoo (BACKEND=odoo)`;

if (target) {
  serverMode.via = 'odoo';
  serverMode.odoo = target;
} else {
  console.info(skipped);
}

// The two Odoo-specific checks, written once: without a live Odoo they are reported as skipped under the
// reason (their hooks do not run, so nothing is started), with one they run in front of it.
(target ? describe : describe.skip)(
  target ? `LIVE BACKEND=odoo against ${target.url} (${target.db}, Odoo ${target.serverVersion})` : skipped,
  () => {
    const live = useServer();

    it('LIVE-01 health, and the backend reaches Odoo', async () => {
      expect((await live.request(null, 'GET', '/api/health')).body).toEqual({ status: 'ok' });
      // Readiness asks Odoo itself (common.version over JSON-RPC), over HTTP and in process.
      const ready = await live.request(null, 'GET', '/readyz');
      expect([ready.status, ready.body], ready.text).toEqual([200, { status: 'ready' }]);
      const backend = live.app.backend;
      expect(backend, 'a BACKEND=odoo server serves an OdooBackend').toBeDefined();
      await expect(backend!.ping()).resolves.toBeUndefined();
    });

    it('LIVE-05 Bearer: served on Odoo 19+, a 401 explaining Basic and sessions before', async () => {
      const odoo = odooTarget();
      const answer = await live.request(null, 'GET', '/api/res_partner?limit=1&fields=name', undefined, {
        authorization: `Bearer ${odoo.apiKey}`,
      });
      if (majorVersion(odoo.serverVersionInfo) >= 19) {
        expect(answer.status, answer.text).toBe(200);
      } else {
        expectError(answer, 401, /Basic.*session/, { 'www-authenticate': 'Bearer' });
      }
      // Basic login:key works on every version.
      expect((await live.request(odoo.login, 'GET', '/api/res_partner?limit=1&fields=name')).status).toBe(200);
    });
  },
);

if (target) {
  await import('../../rest/contract.test.js');
} else {
  // Not importing the contract suite here: it would run a second time on the embedded store. Its title,
  // skipped under the reason, says what would have run (as test/rest/contract-reference.test.ts does).
  describe.skip(skipped, () => {
    it('the REST contract suite (test/rest/contract.test.ts), one test per clause of docs/rest-contract.md, against BACKEND=odoo', () => {});
  });
}
