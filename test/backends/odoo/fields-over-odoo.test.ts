/**
 * `GET /api/<slug>/fields` served by BACKEND=odoo (Odoo's fields_get, replayed from a real Odoo 17
 * answer), and the typed GraphQL schema generated from it: read through this server's REST face as
 * GRAPHQL_SCHEMA_AUTHORIZATION, on a real model with Odoo's hundred-odd fields.
 */
import { describe, expect, it } from 'vitest';
import { buildTypedSchema } from '../../../src/graphql/typed/build-typed-schema.js';
import { ADMIN_KEY, DOCUMENTED_MODELS, basic, modelListRequest, recording, rpcResult, useReplayedOdooApp } from './replay.js';

const ADMIN = basic('admin', ADMIN_KEY);

const odoo = useReplayedOdooApp();
const start = odoo.start;

/** The caller's Basic check, the model list, then Odoo's fields_get of sale.order, as recorded. */
function fieldsGetExpected(): void {
  odoo
    .replay()
    .expect('jsonrpc_common_authenticate_admin_apikey')
    .expectDocumented('ir.model', modelListRequest(2, ADMIN_KEY), { json: rpcResult(DOCUMENTED_MODELS) })
    .expect('jsonrpc_sale_order_fields_get');
}

describe('fields_get over BACKEND=odoo', () => {
  it("FO-01 GET /api/sale_order/fields answers Odoo's fields_get as the contract's metadata", async () => {
    const url = await start();
    fieldsGetExpected();
    const response = await fetch(`${url}/api/sale_order/fields`, { headers: { authorization: ADMIN } });
    const body = (await response.json()) as Record<string, { type: string; relation?: string }>;
    expect(response.status).toBe(200);
    const recorded = recording('jsonrpc_sale_order_fields_get').response.json.result as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(Object.keys(recorded).sort());
    expect(body.partner_id).toMatchObject({ type: 'many2one', string: 'Customer', required: true, relation: 'res.partner' });
    expect(body.state).toMatchObject({ type: 'selection', selection: expect.arrayContaining([['sale', 'Sales Order']]) });
    odoo.replay().assertDone();
  });

  it('FO-02 the typed schema of a real Odoo model, read through the REST face as GRAPHQL_SCHEMA_AUTHORIZATION', async () => {
    await start({ GRAPHQL_MODELS: 'sale.order', GRAPHQL_SCHEMA_AUTHORIZATION: ADMIN });
    fieldsGetExpected();
    const typed = await odoo.app().typedSchema.sdl();
    expect(typed.origin).toBe('gateway');
    odoo.replay().assertDone();
    expect(typed.sdl).toMatch(/^type SaleOrder @odooModel\(name: "sale.order"\) \{/m);
    // Odoo's own fields, typed; comodels outside GRAPHQL_MODELS stay ids and Many2One, without relation fields.
    expect(typed.sdl).toContain('  amount_tax: Float\n');
    expect(typed.sdl).toContain('  invoice_status: SaleOrderInvoiceStatus\n');
    expect(typed.sdl).toContain('  partner_id: Many2One\n');
    expect(typed.sdl).toContain('  invoice_ids: [Int!]\n');
    expect(typed.sdl).not.toMatch(/^ {2}\w+: .*@odooRelation/m);
    // And it builds.
    const schema = buildTypedSchema(typed.sdl);
    expect(Object.keys(schema.getQueryType()!.getFields())).toEqual(expect.arrayContaining(['saleOrder', 'saleOrderList', 'records']));
  });
});
