/**
 * The change feed over BACKEND=odoo (issue 19, first slice): not yet. Odoo keeps no change log; the feed in
 * front of it comes with polling (next slice), and until then `GET /api/<slug>/changes` answers 501 saying
 * so, after the caller (401) and the model (404) are resolved as on every /api/<slug> route.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_KEY, DOCUMENTED_MODELS, basic, modelListRequest, rpcResult, useReplayedOdooApp } from '../backends/odoo/replay.js';

const odoo = useReplayedOdooApp();

describe('GET /api/<slug>/changes over BACKEND=odoo', () => {
  it('CH-60 answers 501 with a clear message, after authenticating the caller and resolving the model', async () => {
    const url = await odoo.start();
    odoo
      .replay()
      .expect('jsonrpc_common_authenticate_admin_apikey')
      .expectDocumented('ir.model', modelListRequest(2, ADMIN_KEY), { json: rpcResult(DOCUMENTED_MODELS) });
    const response = await fetch(`${url}/api/crm_lead/changes`, { headers: { authorization: basic('admin', ADMIN_KEY) } });
    expect(response.status).toBe(501);
    expect(await response.json()).toEqual({
      error: expect.stringMatching(/^the change feed in front of Odoo comes with polling: not yet/),
    });
    odoo.replay().assertDone();
  });

  it('CH-61 without a credential it is 401 first, asking Odoo nothing', async () => {
    const url = await odoo.start();
    const response = await fetch(`${url}/api/crm_lead/changes?since=x&wait=5`);
    expect(response.status).toBe(401);
    odoo.replay().assertDone();
  });
});
