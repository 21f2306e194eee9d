/**
 * Opt-in: the REST contract suite (test/rest/contract.test.ts), unchanged, against another implementation
 * of the contract that already runs, such as the lab's reference gateway inside Odoo: a REST caller must
 * see no difference between this repository's server and it. Nothing is started; the suite's requests go
 * to CONTRACT_BASE_URL, and its ground truth is the PostgreSQL of the Odoo behind it (as in
 * test/backends/odoo/live.test.ts, whose variables it takes):
 *
 *   source ~/odoo-lab/live.env && source ~/odoo-lab/keys.env && \
 *   CONTRACT_BASE_URL=http://127.0.0.1:8069 ODOO_SECRETS=demo:$DEMO_KEY \
 *   npx vitest run test/rest/contract-reference.test.ts
 *
 * Such a gateway takes `Authorization: Bearer <API key>` only: users with a key (ODOO_API_KEY for
 * ODOO_LOGIN, ODOO_SECRETS) send it, the others (portal, manager) a session cookie from
 * /web/session/authenticate. It cannot be configured either: the tests that start a server with another
 * BODY_LIMIT or MAX_LIMIT fail saying so. A failing test here names a clause where that implementation
 * and the contract differ; it is a finding about that implementation, not about this repository.
 * Without CONTRACT_BASE_URL (and the Odoo variables) it is skipped and names what is missing.
 */
import { describe, it } from 'vitest';
import { missingOdooVariables, odooTargetFromEnv } from '../helpers/odoo-target.js';
import { serverMode } from '../helpers/server.js';

const missing = missingOdooVariables({ CONTRACT_BASE_URL: process.env.CONTRACT_BASE_URL });

if (missing.length) {
  // Not importing the contract suite here: it would run a second time on the embedded store.
  const reason = `reference contract run skipped: set ${missing.join(', ')} to run the REST contract suite against a running implementation of it (CONTRACT_BASE_URL)`;
  console.info(reason);
  describe.skip(reason, () => {
    it('the REST contract suite (test/rest/contract.test.ts) against the implementation at CONTRACT_BASE_URL', () => {});
  });
} else {
  serverMode.via = 'reference';
  serverMode.odoo = await odooTargetFromEnv();
  serverMode.referenceUrl = process.env.CONTRACT_BASE_URL!;
  await import('./contract.test.js');
}
