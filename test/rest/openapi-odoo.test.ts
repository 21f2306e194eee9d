/**
 * /openapi.json over BACKEND=odoo (a real Odoo 17's answers, replayed): the typed models are described from
 * `GET /api/<slug>/fields` read as GRAPHQL_SCHEMA_AUTHORIZATION, as the typed GraphQL schema reads them,
 * once; without that identity there is no metadata, and the document keeps the generic paths only.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_KEY,
  DOCUMENTED_MODELS,
  useReplayedOdooApp,
  basic,
  modelListRequest,
  recording,
  rpcResult,
} from '../backends/odoo/replay.js';

const ADMIN = basic('admin', ADMIN_KEY);

const odoo = useReplayedOdooApp();
const start = odoo.start;

describe('/openapi.json over BACKEND=odoo', () => {
  it('OO-01 describes sale.order from its fields_get, read once as GRAPHQL_SCHEMA_AUTHORIZATION', async () => {
    const url = await start({ GRAPHQL_MODELS: 'sale.order', GRAPHQL_SCHEMA_AUTHORIZATION: ADMIN });
    odoo
      .replay()
      .expect('jsonrpc_common_authenticate_admin_apikey')
      .expectDocumented('ir.model', modelListRequest(2, ADMIN_KEY), { json: rpcResult(DOCUMENTED_MODELS) })
      .expect('jsonrpc_sale_order_fields_get');
    const doc = await (await fetch(`${url}/openapi.json`)).json();
    // Read once: the second request (and Swagger UI's copy) asks Odoo nothing.
    expect((await (await fetch(`${url}/docs/json`)).json()).components).toEqual(doc.components);
    odoo.replay().assertDone();
    const recorded = recording('jsonrpc_sale_order_fields_get').response.json.result as Record<string, unknown>;
    expect(Object.keys(doc.components.schemas.SaleOrder.properties).sort()).toEqual(Object.keys(recorded).sort());
    expect(doc.components.schemas.SaleOrderInvoiceStatus.enum).toEqual(expect.arrayContaining(['invoiced', 'to invoice', 'no']));
    expect(doc.paths['/api/sale_order/{id}'].get.operationId).toBe('getSaleOrder');
    expect(doc.paths['/api/{slug}'].get.parameters.find((p: any) => p.name === 'slug').schema.enum).toEqual(['sale_order']);
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
  });

  it('OO-03 when Odoo cannot be asked, the generic paths, and no anonymous request after it asks Odoo again for a while', async () => {
    const url = await start({ GRAPHQL_MODELS: 'sale.order', GRAPHQL_SCHEMA_AUTHORIZATION: ADMIN });
    // Not recorded: documented behaviour (an Odoo failing with a plain 500 page).
    odoo
      .replay()
      .expect('jsonrpc_common_authenticate_admin_apikey')
      .expectDocumented('ir.model', modelListRequest(2, ADMIN_KEY), { status: 500, text: 'Internal Server Error' });
    const first = await (await fetch(`${url}/openapi.json`)).json();
    expect(first.components.schemas.SaleOrder).toBeUndefined();
    expect(first.paths['/api/{slug}/{id}'].get.operationId).toBe('getRecord');
    // Asked again at once (the document is public): the generic document, without a call to Odoo.
    for (let i = 0; i < 3; i += 1) {
      const again = await (await fetch(`${url}/openapi.json`)).json();
      expect(again.components.schemas.SaleOrder).toBeUndefined();
    }
    odoo.replay().assertDone();
  });

  it('OO-02 without GRAPHQL_SCHEMA_AUTHORIZATION: the generic paths only, their slug any model', async () => {
    const url = await start({ GRAPHQL_MODELS: 'sale.order' });
    const doc = await (await fetch(`${url}/openapi.json`)).json();
    odoo.replay().assertDone();
    expect(Object.keys(doc.paths).filter((path) => !/^\/(api\/health|api\/\{slug\}|web\/session\/)/.test(path))).toEqual([]);
    expect(doc.paths['/api/{slug}'].get.parameters.find((p: any) => p.name === 'slug').schema).toEqual({ type: 'string' });
    expect(doc.components.schemas.SaleOrder).toBeUndefined();
    expect(doc.paths['/api/{slug}/{id}'].get.operationId).toBe('getRecord');
  });
});
