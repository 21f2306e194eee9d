/**
 * A product's display name is `[code] name`, or its name without an internal reference, as Odoo 17's
 * ProductProduct._compute_display_name: in its own `display_name` and in every many2one to it (an order
 * line's `product_id`), following later changes of the code or the name. Answers pinned to the lab
 * (Odoo 17 demo, JSON-RPC read of product.product and sale.order.line on products created for the check).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createdId } from '../../helpers/server.js';
import { useServer } from '../../helpers/use-server.js';

const server = useServer();
let coded: number;
let plain: number;

beforeAll(async () => {
  const product = (values: Record<string, unknown>) => createdId(server, 'product_product', values);
  coded = await product({ name: 'PDN Widget', default_code: 'PDN-1' });
  plain = await product({ name: 'PDN Plain' });
});

describe('product display name', () => {
  it('PDN-01 a product reads as "[code] name", or its name without a code', async () => {
    const answer = await server.request(
      'admin',
      'GET',
      `/api/product_product?domain=[('id','in',[${coded},${plain}])]&fields=display_name,name&order=id`,
    );
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.results).toEqual([
      { id: coded, display_name: '[PDN-1] PDN Widget', name: 'PDN Widget' },
      { id: plain, display_name: 'PDN Plain', name: 'PDN Plain' },
    ]);
  });

  it('PDN-02 an order line\'s product_id shows "[code] name", and follows a new code or name (the line\'s description does not)', async () => {
    const created = await server.request('admin', 'POST', '/api/sale_order?fields=order_line', {
      partner_id: 12,
      order_line: [
        [0, 0, { product_id: coded }],
        [0, 0, { product_id: plain }],
      ],
    });
    expect(created.status, created.text).toBe(201);
    const lines: number[] = created.body.record.order_line;
    const read = async () =>
      (
        await server.request(
          'admin',
          'GET',
          `/api/sale_order_line?domain=[('id','in',[${lines.join(',')}])]&fields=product_id,name&order=id`,
        )
      ).body.results;
    expect(await read()).toEqual([
      { id: lines[0], product_id: { id: coded, name: '[PDN-1] PDN Widget' }, name: '[PDN-1] PDN Widget' },
      { id: lines[1], product_id: { id: plain, name: 'PDN Plain' }, name: 'PDN Plain' },
    ]);
    expect(
      (await server.request('admin', 'PUT', `/api/product_product/${coded}?fields=id`, { default_code: 'PDN-2', name: 'PDN Widget 2' }))
        .status,
    ).toBe(200);
    expect((await read())[0]).toEqual({
      id: lines[0],
      product_id: { id: coded, name: '[PDN-2] PDN Widget 2' },
      name: '[PDN-1] PDN Widget',
    });
    expect((await server.request('admin', 'PUT', `/api/product_product/${coded}?fields=id`, { default_code: false })).status).toBe(200);
    expect((await read())[0].product_id).toEqual({ id: coded, name: 'PDN Widget 2' });
  });
});
