/**
 * The change feed over BACKEND=odoo (issue 19): Odoo keeps no change log, so the feed polls it
 * (src/backends/odoo/odoo-changes.ts; its cases in test/backends/odoo/changes.test.ts). Over HTTP: the
 * first cursor is one search_read of the domain as the caller, after the caller (401) and the model (404)
 * are resolved as on every /api/<slug> route.
 */
import { describe, expect, it } from 'vitest';
import { FEED_FIELDS, FEED_LEAD_NAME } from '../backends/odoo/changes-cases.js';
import { ADMIN_KEY, DOCUMENTED_MODELS, basic, modelListRequest, rpcResult, useReplayedOdooApp } from '../backends/odoo/replay.js';

const odoo = useReplayedOdooApp();

describe('GET /api/<slug>/changes over BACKEND=odoo', () => {
  it('CH-60 the first cursor: one search_read of the domain, as the caller, after authenticating him and resolving the model', async () => {
    const url = await odoo.start();
    odoo
      .replay()
      .expect('jsonrpc_common_authenticate_admin_apikey')
      .expectDocumented('ir.model', modelListRequest(2, ADMIN_KEY), { json: rpcResult(DOCUMENTED_MODELS) })
      .expect('jsonrpc_changes_start');
    const query = new URLSearchParams({ domain: JSON.stringify([['name', '=', FEED_LEAD_NAME]]), fields: FEED_FIELDS.join(',') });
    const response = await fetch(`${url}/api/crm_lead/changes?${query}`, { headers: { authorization: basic('admin', ADMIN_KEY) } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ cursor: expect.stringMatching(/^[A-Za-z0-9_-]+$/), changes: [], more: false });
    // A cursor this process does not hold (another instance, a restart): 410, reload.
    const unknown = Buffer.from(JSON.stringify({ v: 1, s: 'notheldhere' })).toString('base64url');
    const gone = await fetch(`${url}/api/crm_lead/changes?${query}&since=${unknown}`, {
      headers: { authorization: basic('admin', ADMIN_KEY) },
    });
    expect(gone.status).toBe(410);
    expect(await gone.json()).toEqual({ error: expect.stringMatching(/reload/) });
    odoo.replay().assertDone();
  });

  it('CH-61 without a credential it is 401 first, asking Odoo nothing', async () => {
    const url = await odoo.start();
    const response = await fetch(`${url}/api/crm_lead/changes?since=x&wait=5`);
    expect(response.status).toBe(401);
    odoo.replay().assertDone();
  });
});
