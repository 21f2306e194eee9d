/**
 * BACKEND=odoo and Odoo's context (issue 16), over replayed real Odoo 17 exchanges (recorded with French
 * installed by test/backends/odoo/context-recorder.ts): the request's context travels with the calls, a
 * company the user does not belong to is Odoo's AccessError, the installed languages are Odoo's, and a user
 * who may not read `ir.model` (everyone but the managers of access rights) still gets his models.
 */
import { describe, expect, it } from 'vitest';
import { callerWithContext } from '../../../src/backends/backend.js';
import { AccessError } from '../../../src/backends/errors.js';
import { TRUE_DOMAIN } from '../../../src/domain/types.js';
import { ADMIN_KEY, DOCUMENTED_MODELS, modelListRequest, rpcResult, useReplayedOdooBackend } from './replay.js';

const odoo = useReplayedOdooBackend();

describe('OC the request context reaches Odoo', () => {
  it('OC-01 lang: a search and the field look-up before it carry it in their context (the replay matches bodies)', async () => {
    const admin = await odoo.login('admin');
    odoo.replay.expect('jsonrpc_context_stages_fr_1').expect('jsonrpc_context_stages_fr_2');
    const french = callerWithContext(admin, { lang: 'fr_FR' });
    const stages = await odoo.backend.searchRead(french, 'crm.stage', { domain: TRUE_DOMAIN, fields: ['name'], order: 'sequence, id' });
    expect(stages[0]).toEqual({ id: 1, name: 'Nouveau' });
    odoo.replay.assertDone();
  });

  it("OC-02 allowed_company_ids: a company the user does not belong to is Odoo's AccessError", async () => {
    const demo = await odoo.login('demo');
    odoo.replay.expect('jsonrpc_context_count_demo_unknown_company');
    const elsewhere = callerWithContext(demo, { allowedCompanyIds: [99] });
    const refused = odoo.backend.searchCount(elsewhere, 'sale.order', TRUE_DOMAIN);
    await expect(refused).rejects.toBeInstanceOf(AccessError);
    await expect(refused).rejects.toThrow('Access to unauthorized or invalid companies.');
    odoo.replay.assertDone();
  });

  it("OC-03 the installed languages are Odoo's active res.lang, asked once", async () => {
    const admin = await odoo.login('admin');
    odoo.replay.expect('jsonrpc_context_languages');
    const expected = [
      { code: 'en_US', name: 'English (US)' },
      { code: 'fr_FR', name: 'French / Français' },
    ];
    expect(await odoo.backend.languages(admin)).toEqual(expected);
    expect(await odoo.backend.languages(callerWithContext(admin, { lang: 'fr_FR' }))).toEqual(expected);
    odoo.replay.assertDone();
  });
});

describe('OC models for users who may not read ir.model', () => {
  it('OC-10 the demo user, first to ask, gets the models he may read (get_available_models)', async () => {
    const demo = await odoo.login('demo');
    odoo.replay.expect('jsonrpc_context_models_demo_1').expect('jsonrpc_context_models_demo_2');
    expect(await odoo.backend.resolveModel('sale_order', demo)).toEqual({ model: 'sale.order', description: 'Sales Order' });
    expect(await odoo.backend.resolveModel('crm.lead', demo)).toMatchObject({ model: 'crm.lead' });
    odoo.replay.assertDone();
  });

  it("OC-11 a model outside the demo user's part is looked for again with the next caller's loader", async () => {
    const demo = await odoo.login('demo');
    odoo.replay.expect('jsonrpc_context_models_demo_1').expect('jsonrpc_context_models_demo_2');
    expect(await odoo.backend.resolveModel('sale_order', demo)).toBeDefined();
    // ir.config_parameter is no model demo may read: not in his part; asking again asks Odoo again.
    odoo.replay.expect('jsonrpc_context_models_demo_1').expect('jsonrpc_context_models_demo_2');
    expect(await odoo.backend.resolveModel('ir_config_parameter', demo)).toBeUndefined();
    odoo.replay.assertDone();
  });

  it("OC-12 after a part, the admin's whole list (ir.model answer not recorded: documented behaviour) replaces it", async () => {
    const demo = await odoo.login('demo');
    odoo.replay.expect('jsonrpc_context_models_demo_1').expect('jsonrpc_context_models_demo_2');
    expect(await odoo.backend.resolveModel('ir_config_parameter', demo)).toBeUndefined();
    const admin = await odoo.login('admin');
    odoo.replay.expectDocumented('ir.model as admin', modelListRequest(2, ADMIN_KEY), {
      json: rpcResult([...DOCUMENTED_MODELS, { id: 90, model: 'ir.config_parameter', name: 'System Parameter' }]),
    });
    expect(await odoo.backend.resolveModel('ir_config_parameter', admin)).toEqual({
      model: 'ir.config_parameter',
      description: 'System Parameter',
    });
    // Whole now: a miss no longer asks again (until the list is older than modelsMissRefreshMs).
    expect(await odoo.backend.resolveModel('no_such_model', demo)).toBeUndefined();
    odoo.replay.assertDone();
  });
});
