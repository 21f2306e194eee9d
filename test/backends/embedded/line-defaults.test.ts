/**
 * A sale order line takes its unit price and its description from its product, as Odoo 17's
 * sale.order.line does (addons/sale/models/sale_order_line.py, `_compute_price_unit` and `_compute_name`:
 * editable stored computes): on create, on a new product, and, for the price, on a new quantity; a value
 * sent with the change is kept. Over the REST API on the embedded store (no pricelist rules, no taxes).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createdId } from '../../helpers/server.js';
import { useServer } from '../../helpers/use-server.js';

const server = useServer();
let widget: number;
let gadget: number;
let plain: number;

beforeAll(async () => {
  const product = (values: Record<string, unknown>) => createdId(server, 'product_product', values);
  widget = await product({ name: 'LD Widget', default_code: 'LD-W1', list_price: 42.5 });
  gadget = await product({ name: 'LD Gadget', default_code: 'LD-G1', list_price: 10 });
  plain = await product({ name: 'LD Plain', list_price: 7 });
});

async function order(lines: unknown[]): Promise<{ id: number; lines: number[] }> {
  const answer = await server.request('admin', 'POST', '/api/sale_order?fields=order_line', { partner_id: 12, order_line: lines });
  expect(answer.status, answer.text).toBe(201);
  return { id: answer.body.id, lines: answer.body.record.order_line };
}

async function line(id: number): Promise<Record<string, unknown>> {
  const answer = await server.request('admin', 'GET', `/api/sale_order_line/${id}?fields=name,price_unit,product_uom_qty,price_subtotal`);
  expect(answer.status, answer.text).toBe(200);
  const { id: _id, ...record } = answer.body;
  return record;
}

async function total(orderId: number): Promise<number> {
  return (await server.request('admin', 'GET', `/api/sale_order/${orderId}?fields=amount_total`)).body.amount_total;
}

async function writeLine(id: number, values: Record<string, unknown>): Promise<void> {
  const answer = await server.request('admin', 'PUT', `/api/sale_order_line/${id}?fields=id`, values);
  expect(answer.status, answer.text).toBe(200);
}

describe('sale order line defaults from the product', () => {
  it('a line created with only a product takes its price and "[code] name" as description; the order total follows', async () => {
    const { id, lines } = await order([[0, 0, { product_id: widget }]]);
    expect(await line(lines[0]!)).toEqual({ name: '[LD-W1] LD Widget', price_unit: 42.5, product_uom_qty: 1, price_subtotal: 42.5 });
    expect(await total(id)).toBe(42.5);
  });

  it('a product without internal reference describes the line by its name alone', async () => {
    const { lines } = await order([[0, 0, { product_id: plain, product_uom_qty: 2 }]]);
    expect(await line(lines[0]!)).toEqual({ name: 'LD Plain', price_unit: 7, product_uom_qty: 2, price_subtotal: 14 });
  });

  it("a price and a description sent with the product are kept; a new quantity resets the price to the product's; a quantity sent with a price keeps that price", async () => {
    const { id, lines } = await order([[0, 0, { product_id: widget, price_unit: 10, product_uom_qty: 2, name: 'Custom text' }]]);
    const [only] = lines as [number];
    expect(await line(only)).toEqual({ name: 'Custom text', price_unit: 10, product_uom_qty: 2, price_subtotal: 20 });
    await writeLine(only, { product_uom_qty: 4 });
    expect(await line(only)).toEqual({ name: 'Custom text', price_unit: 42.5, product_uom_qty: 4, price_subtotal: 170 });
    await writeLine(only, { product_uom_qty: 3, price_unit: 5 });
    expect(await line(only)).toEqual({ name: 'Custom text', price_unit: 5, product_uom_qty: 3, price_subtotal: 15 });
    expect(await total(id)).toBe(15);
    // Through the order's line commands, as the fidelity suite's W8 does it.
    const answer = await server.request('admin', 'PUT', `/api/sale_order/${id}?fields=id`, {
      order_line: [[1, only, { product_uom_qty: 1 }]],
    });
    expect(answer.status, answer.text).toBe(200);
    expect(await line(only)).toMatchObject({ price_unit: 42.5, price_subtotal: 42.5 });
    expect(await total(id)).toBe(42.5);
  });

  it('a new product brings its price and description, unless they are sent with it; a new price alone changes nothing else', async () => {
    const { lines } = await order([[0, 0, { product_id: widget, product_uom_qty: 2 }]]);
    const [only] = lines as [number];
    await writeLine(only, { product_id: gadget });
    expect(await line(only)).toEqual({ name: '[LD-G1] LD Gadget', price_unit: 10, product_uom_qty: 2, price_subtotal: 20 });
    await writeLine(only, { product_id: widget, name: 'Kept', price_unit: 1 });
    expect(await line(only)).toEqual({ name: 'Kept', price_unit: 1, product_uom_qty: 2, price_subtotal: 2 });
    await writeLine(only, { price_unit: 3 });
    expect(await line(only)).toEqual({ name: 'Kept', price_unit: 3, product_uom_qty: 2, price_subtotal: 6 });
  });
});
