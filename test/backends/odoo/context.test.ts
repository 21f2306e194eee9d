/**
 * BACKEND=odoo and Odoo's context (issue 16), over replayed real Odoo 17 exchanges (recorded with French
 * installed by test/backends/odoo/context-recorder.ts): the request's context travels with the calls, a
 * company the user does not belong to is Odoo's AccessError, the installed languages are Odoo's, and a user
 * who may not read `ir.model` (everyone but the managers of access rights) still gets his models.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callerWithContext, type Caller } from '../../../src/backends/backend.js';
import { AccessError } from '../../../src/backends/errors.js';
import { OdooBackend } from '../../../src/backends/odoo/odoo-backend.js';
import { TRUE_DOMAIN } from '../../../src/domain/types.js';
import { ADMIN_KEY, DEMO_KEY, DOCUMENTED_MODELS, ODOO_DB, ODOO_ORIGIN, OdooReplay, modelListRequest, rpcResult } from './replay.js';

let replay: OdooReplay;
let backend: OdooBackend;

beforeEach(() => {
  replay = new OdooReplay();
  backend = new OdooBackend({ url: ODOO_ORIGIN, db: ODOO_DB, dispatcher: replay.agent });
});

afterEach(async () => {
  await backend.close();
  await replay.close();
});

async function login(who: 'admin' | 'demo'): Promise<Caller> {
  replay.expect(`jsonrpc_common_authenticate_${who}_apikey`);
  const caller = await backend.authenticateBasic(who, who === 'admin' ? ADMIN_KEY : DEMO_KEY);
  expect(caller).not.toBeNull();
  return caller!;
}

describe('OC the request context reaches Odoo', () => {
  it('OC-01 lang: a search and the field look-up before it carry it in their context (the replay matches bodies)', async () => {
    const admin = await login('admin');
    replay.expect('jsonrpc_context_stages_fr_1').expect('jsonrpc_context_stages_fr_2');
    const french = callerWithContext(admin, { lang: 'fr_FR' });
    const stages = await backend.searchRead(french, 'crm.stage', { domain: TRUE_DOMAIN, fields: ['name'], order: 'sequence, id' });
    expect(stages[0]).toEqual({ id: 1, name: 'Nouveau' });
    replay.assertDone();
  });

  it("OC-02 allowed_company_ids: a company the user does not belong to is Odoo's AccessError", async () => {
    const demo = await login('demo');
    replay.expect('jsonrpc_context_count_demo_unknown_company');
    const elsewhere = callerWithContext(demo, { allowedCompanyIds: [99] });
    const refused = backend.searchCount(elsewhere, 'sale.order', TRUE_DOMAIN);
    await expect(refused).rejects.toBeInstanceOf(AccessError);
    await expect(refused).rejects.toThrow('Access to unauthorized or invalid companies.');
    replay.assertDone();
  });

  it("OC-03 the installed languages are Odoo's active res.lang, asked once", async () => {
    const admin = await login('admin');
    replay.expect('jsonrpc_context_languages');
    const expected = [
      { code: 'en_US', name: 'English (US)' },
      { code: 'fr_FR', name: 'French / Français' },
    ];
    expect(await backend.languages(admin)).toEqual(expected);
    expect(await backend.languages(callerWithContext(admin, { lang: 'fr_FR' }))).toEqual(expected);
    replay.assertDone();
  });
});

describe('OC models for users who may not read ir.model', () => {
  it('OC-10 the demo user, first to ask, gets the models he may read (get_available_models)', async () => {
    const demo = await login('demo');
    replay.expect('jsonrpc_context_models_demo_1').expect('jsonrpc_context_models_demo_2');
    expect(await backend.resolveModel('sale_order', demo)).toEqual({ model: 'sale.order', description: 'Sales Order' });
    expect(await backend.resolveModel('crm.lead', demo)).toMatchObject({ model: 'crm.lead' });
    replay.assertDone();
  });

  it("OC-11 a model outside the demo user's part is looked for again with the next caller's loader", async () => {
    const demo = await login('demo');
    replay.expect('jsonrpc_context_models_demo_1').expect('jsonrpc_context_models_demo_2');
    expect(await backend.resolveModel('sale_order', demo)).toBeDefined();
    // ir.config_parameter is no model demo may read: not in his part; asking again asks Odoo again.
    replay.expect('jsonrpc_context_models_demo_1').expect('jsonrpc_context_models_demo_2');
    expect(await backend.resolveModel('ir_config_parameter', demo)).toBeUndefined();
    replay.assertDone();
  });

  it("OC-12 after a part, the admin's whole list (ir.model answer not recorded: documented behaviour) replaces it", async () => {
    const demo = await login('demo');
    replay.expect('jsonrpc_context_models_demo_1').expect('jsonrpc_context_models_demo_2');
    expect(await backend.resolveModel('ir_config_parameter', demo)).toBeUndefined();
    const admin = await login('admin');
    replay.expectDocumented('ir.model as admin', modelListRequest(2, ADMIN_KEY), {
      json: rpcResult([...DOCUMENTED_MODELS, { id: 90, model: 'ir.config_parameter', name: 'System Parameter' }]),
    });
    expect(await backend.resolveModel('ir_config_parameter', admin)).toEqual({
      model: 'ir.config_parameter',
      description: 'System Parameter',
    });
    // Whole now: a miss no longer asks again (until the list is older than modelsMissRefreshMs).
    expect(await backend.resolveModel('no_such_model', demo)).toBeUndefined();
    replay.assertDone();
  });
});
