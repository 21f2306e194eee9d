/**
 * Differential test (issue 17): business actions on the embedded store and on a real Odoo 17, through this
 * server with BACKEND=odoo in front of the lab (which calls Odoo's real methods through the same route).
 *
 *   source ~/odoo-lab/live.env && npx vitest run test/fidelity/actions.test.ts
 *
 * The same sequences of actions run on both sides on records created for the test (products, customer,
 * vendor, orders, leads, named with a marker of the run); after each step the states, the transfers and
 * their moves (product, demand, quantity, state, picked) and the action's answer (its result, or the
 * refusal's status and message) are compared. Products are created on both sides, so a storable product
 * has no stock on the lab either (the embedded store keeps no stock levels). Normalised: the marker (`M`),
 * order and transfer references (`<order>`, `WH/OUT/`), ids in a wizard's context (`<self>`) and the ids
 * of Odoo's views and mail templates (which the embedded store does not have); dates are compared as set
 * or not. The lab's records are deleted at the end (done transfers and the products and partners they
 * name cannot be: those are archived).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestResponse } from '../helpers/server.js';
import { describeWithLab, embeddedSide, facadeSide, runMarker, type LabEnv, type Side } from './support/sides.js';
import { labCall } from './support/lab-rpc.js';

type Row = Record<string, any>;
type Steps = Map<string, unknown>;

const STEPS = [
  'A1 sale action_confirm: the order, its delivery and its moves (storable waits, consumable reserved, no service move)',
  'A2 sale action_confirm on an order: refused',
  "A3 sale action_cancel on an order: Odoo's wizard, nothing cancelled",
  'A4 sale quotation sent, cancel wizard, set to draft, cancelled, refused confirmation, set to draft',
  'A5 picking action_assign and button_validate with a short quantity: the backorder wizard, moves picked',
  'A6 picking of a storable product only: waiting, validation refused; quantity encoded, validated',
  'A7 picking of a consumable only: validated; validated again, checked, confirmed again',
  'A8 purchase button_confirm: receipt and moves; confirmed again; receipt validated; cancel refused; set to draft',
  'A9 purchase cancelled with its receipt; set to draft and confirmed again: a new receipt',
  'A10 purchase draft: delete refused, button_cancel, delete',
  'A11 lead won, lost with a reason, lost again, won again',
] as const;

describeWithLab('fidelity: business actions, embedded store vs Odoo 17', STEPS, (env) => {
  const sides: Side[] = [];
  const runs = new Map<string, Steps>();
  const created: Array<[string, number]> = [];

  async function scenario(side: Side): Promise<Steps> {
    const marker = `${runMarker(17)}-${side.name.slice(0, 1).toUpperCase()}`;
    const steps: Steps = new Map();
    const refs = new Map<string, string>(); // order and transfer names -> placeholders
    const track = side.name === 'facade';

    const norm = (value: unknown): unknown => {
      if (typeof value === 'string') {
        let text = value.replaceAll(marker, 'M');
        for (const [name, placeholder] of refs) text = text.replaceAll(name, placeholder);
        return text;
      }
      if (Array.isArray(value)) return value.map(norm);
      if (value && typeof value === 'object') {
        const object = value as Row;
        if ('id' in object && 'name' in object && Object.keys(object).length === 2) return norm(object.name);
        return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, norm(v)]));
      }
      return value;
    };
    /** A window action with what only a real Odoo has (view and template ids) left out, the record's id as `<self>`. */
    const wizard = (result: unknown, self: number): unknown => {
      if (!result || typeof result !== 'object' || Array.isArray(result)) return result;
      const { view_id: _view, views, context, ...rest } = result as Row;
      const { default_template_id: _template, ...ctx } = (context ?? {}) as Row;
      const selfish = JSON.parse(JSON.stringify(ctx).replace(new RegExp(`(?<=[\\[:,])${self}(?=[\\],}])`, 'g'), '"<self>"'));
      return { ...rest, ...(views ? { views: (views as unknown[][]).map(([, kind]) => [false, kind]) } : {}), context: selfish };
    };
    const answerOf = (response: TestResponse, self: number) =>
      response.status === 200
        ? { status: 200, result: norm(wizard(response.body.result, self)) }
        : { status: response.status, error: norm(response.body?.error ?? response.text) };

    const request = (method: string, path: string, body?: unknown) => side.request(method, path, body);
    const create = async (slug: string, values: Row): Promise<number> => {
      const answer = await request('POST', `/api/${slug}?fields=id`, values);
      if (answer.status !== 201) throw new Error(`${side.name}: create ${slug} answered ${answer.status} ${answer.text.slice(0, 300)}`);
      if (track) created.push([slug, answer.body.id]);
      return answer.body.id;
    };
    const call = async (slug: string, id: number, method: string, kwargs?: Row) =>
      answerOf(await request('POST', `/api/${slug}/${id}/${method}?fields=id`, kwargs ? { kwargs } : undefined), id);
    const read = async (slug: string, id: number, fields: string) => {
      const answer = await request('GET', `/api/${slug}/${id}?fields=${fields}`);
      if (answer.status !== 200) throw new Error(`${side.name}: read ${slug} ${id} answered ${answer.status} ${answer.text.slice(0, 300)}`);
      return answer.body as Row;
    };
    const search = async (slug: string, domain: string, fields: string): Promise<Row[]> => {
      const answer = await request('GET', `/api/${slug}?domain=${encodeURIComponent(domain)}&fields=${fields}&order=id`);
      if (answer.status !== 200) throw new Error(`${side.name}: list ${slug} answered ${answer.status} ${answer.text.slice(0, 300)}`);
      return answer.body.results as Row[];
    };
    /** An order's state and dates set, its transfers and their moves, normalised. */
    const orderView = async (slug: 'sale_order' | 'purchase_order', id: number) => {
      const date = slug === 'sale_order' ? 'date_order' : 'date_approve';
      const record = await read(slug, id, `name,state,${date}`);
      const field = slug === 'sale_order' ? 'sale_id' : 'purchase_id';
      const pickings = await search(
        'stock_picking',
        `[("${field}", "=", ${id})]`,
        'name,state,picking_type_code,partner_id,origin,user_id,date_done',
      );
      for (const picking of pickings) {
        if (track) created.push(['stock_picking', picking.id]);
        refs.set(picking.name, String(picking.name).replace(/\d+$/, ''));
      }
      return { state: record.state, [date]: Boolean(record[date]), pickings: await Promise.all(pickings.map((p) => pickingView(p.id))) };
    };
    const pickingView = async (id: number) => {
      const picking = await read('stock_picking', id, 'name,state,picking_type_code,partner_id,origin,user_id,date_done');
      const moves = await search(
        'stock_move',
        `[("picking_id", "=", ${id})]`,
        'product_id,name,product_uom_qty,quantity,state,picked,origin,sale_line_id,purchase_line_id',
      );
      return norm({
        ...picking,
        id: undefined,
        name: String(picking.name).replace(/\d+$/, ''),
        date_done: Boolean(picking.date_done),
        moves: moves.map((m) => ({
          ...m,
          id: undefined,
          sale_line_id: Boolean(m.sale_line_id),
          purchase_line_id: Boolean(m.purchase_line_id),
        })),
      });
    };
    const pickingsOf = async (field: 'sale_id' | 'purchase_id', id: number) => {
      const ids = (await search('stock_picking', `[("${field}", "=", ${id})]`, 'id')).map((p) => p.id as number);
      if (track) created.push(...ids.map((picking): [string, number] => ['stock_picking', picking]));
      return ids;
    };

    const P = (name: string) => `${marker}-${name}`;
    const stor = await create('product_product', { name: P('stor'), type: 'product', list_price: 10 });
    const consu = await create('product_product', { name: P('consu'), type: 'consu', list_price: 5 });
    const serv = await create('product_product', { name: P('serv'), type: 'service', list_price: 5 });
    const customer = await create('res_partner', { name: P('customer'), is_company: true });
    const vendor = await create('res_partner', { name: P('vendor'), is_company: true });
    /** An order created with its lines; its reference normalised from now on. */
    const order = async (slug: 'sale_order' | 'purchase_order', values: Row) => {
      const id = await create(slug, values);
      refs.set((await read(slug, id, 'name')).name, '<order>');
      return id;
    };
    const sale = (lines: Array<[number, number]>) =>
      order('sale_order', {
        partner_id: customer,
        order_line: lines.map(([product, qty]) => [0, 0, { product_id: product, product_uom_qty: qty }]),
      });
    const purchase = (lines: Array<[number, number]>) =>
      order('purchase_order', {
        partner_id: vendor,
        order_line: lines.map(([product, qty]) => [0, 0, { product_id: product, product_qty: qty, price_unit: 2 }]),
      });

    // A1-A3
    const so1 = await sale([
      [stor, 3],
      [consu, 2],
      [serv, 1],
    ]);
    const confirm1 = await call('sale_order', so1, 'action_confirm');
    steps.set(STEPS[0], { answer: confirm1, order: await orderView('sale_order', so1) });
    steps.set(STEPS[1], { answer: await call('sale_order', so1, 'action_confirm'), order: await orderView('sale_order', so1) });
    steps.set(STEPS[2], { answer: await call('sale_order', so1, 'action_cancel'), order: await orderView('sale_order', so1) });

    // A4
    const so2 = await sale([[consu, 1]]);
    const a4 = [];
    for (const method of ['action_quotation_sent', 'action_cancel', 'action_draft', 'action_cancel', 'action_confirm', 'action_draft']) {
      a4.push([method, await call('sale_order', so2, method), (await read('sale_order', so2, 'state')).state]);
    }
    steps.set(STEPS[3], norm(a4));

    // A5
    const [delivery1] = await pickingsOf('sale_id', so1);
    const assign = await call('stock_picking', delivery1!, 'action_assign');
    const validate = await call('stock_picking', delivery1!, 'button_validate');
    steps.set(STEPS[4], { assign, validate, picking: await pickingView(delivery1!) });

    // A6
    const so3 = await sale([[stor, 4]]);
    await call('sale_order', so3, 'action_confirm');
    const [delivery3] = await pickingsOf('sale_id', so3);
    const before6 = await pickingView(delivery3!);
    const refused6 = await call('stock_picking', delivery3!, 'button_validate');
    const [move3] = await search('stock_move', `[("picking_id", "=", ${delivery3!})]`, 'id');
    const encoded = (await request('PUT', `/api/stock_move/${move3!.id}?fields=id`, { quantity: 4 })).status;
    const validated6 = await call('stock_picking', delivery3!, 'button_validate');
    steps.set(STEPS[5], { before6, refused6, encoded, validated6, after: await pickingView(delivery3!) });

    // A7
    const so4 = await sale([[consu, 4]]);
    await call('sale_order', so4, 'action_confirm');
    const [delivery4] = await pickingsOf('sale_id', so4);
    const a7: unknown[] = [await pickingView(delivery4!)];
    for (const method of ['button_validate', 'button_validate', 'action_assign', 'action_confirm'])
      a7.push([method, await call('stock_picking', delivery4!, method), await pickingView(delivery4!)]);
    steps.set(STEPS[6], a7);

    // A8 (after the sales: a receipt done puts the storable product in stock on the lab)
    const po1 = await purchase([
      [stor, 7],
      [consu, 2],
    ]);
    const a8: unknown[] = [await call('purchase_order', po1, 'button_confirm'), await orderView('purchase_order', po1)];
    a8.push(await call('purchase_order', po1, 'button_confirm'), await orderView('purchase_order', po1));
    const [receipt1] = await pickingsOf('purchase_id', po1);
    a8.push(await call('stock_picking', receipt1!, 'button_validate'), await orderView('purchase_order', po1));
    a8.push(await call('purchase_order', po1, 'button_cancel'), await call('purchase_order', po1, 'button_draft'));
    a8.push(await orderView('purchase_order', po1));
    steps.set(STEPS[7], a8);

    // A9
    const po2 = await purchase([[consu, 3]]);
    const a9: unknown[] = [];
    for (const method of ['button_confirm', 'button_cancel', 'button_draft', 'button_confirm'])
      a9.push([method, await call('purchase_order', po2, method), await orderView('purchase_order', po2)]);
    steps.set(STEPS[8], a9);

    // A10
    const po3 = await purchase([[consu, 1]]);
    const deleteRefused = await request('DELETE', `/api/purchase_order/${po3}`);
    const cancelled = await call('purchase_order', po3, 'button_cancel');
    const deleted = await request('DELETE', `/api/purchase_order/${po3}`);
    steps.set(STEPS[9], norm([deleteRefused.status, deleteRefused.body, cancelled, deleted.status, deleted.body]));

    // A11
    const [reason] = await search('crm_lost_reason', '[("name", "=", "Too expensive")]', 'id');
    const [other] = await search('crm_lost_reason', `[("name", "=", "We don't have people/skills")]`, 'id');
    const lead = await create('crm_lead', { name: P('lead'), type: 'opportunity', expected_revenue: 1000, probability: 30 });
    const leadView = async () => {
      const row = await read('crm_lead', lead, 'stage_id,probability,active,date_closed,lost_reason_id');
      return norm({ ...row, id: undefined, date_closed: Boolean(row.date_closed) });
    };
    const a11: unknown[] = [await leadView()];
    a11.push(await call('crm_lead', lead, 'action_set_won'), await leadView());
    a11.push(await call('crm_lead', lead, 'action_set_lost', { lost_reason_id: reason!.id }), await leadView());
    a11.push(await call('crm_lead', lead, 'action_set_lost', { lost_reason_id: other!.id }), await leadView());
    a11.push(await call('crm_lead', lead, 'action_set_won'), await leadView());
    steps.set(STEPS[10], a11);
    return steps;
  }

  beforeAll(async () => {
    sides.push(await embeddedSide(), await facadeSide(env));
    for (const side of sides) runs.set(side.name, await scenario(side));
  }, 600_000);

  afterAll(async () => {
    const leftovers = await cleanUp(env, created).catch((e: Error) => [e.message]);
    if (leftovers.length) console.warn(`fidelity actions: left on the lab (archived where possible):\n  ${leftovers.join('\n  ')}`);
    for (const side of sides) await side.close();
  }, 300_000);

  for (const step of STEPS) {
    it(step, () => {
      expect(runs.get('embedded')!.get(step)).toEqual(runs.get('facade')!.get(step));
    });
  }
});

/**
 * Deletes what the facade side created on the lab: orders cancelled without the wizard (Odoo's
 * `disable_cancel_warning`), transfers not done cancelled, then every record deleted, newest first;
 * what Odoo refuses to delete (done transfers, and the products and partners they name) archived.
 */
async function cleanUp(env: LabEnv, created: ReadonlyArray<[string, number]>): Promise<string[]> {
  const model = (slug: string) => slug.replace(/_/g, '.');
  const leftovers: string[] = [];
  const quietly = async (fn: () => Promise<unknown>) => fn().catch(() => undefined);
  const ids = (slug: string) => [...new Set(created.filter(([s]) => s === slug).map(([, id]) => id))];
  await quietly(() => labCall(env, 'sale.order', 'action_cancel', [ids('sale_order')], { context: { disable_cancel_warning: true } }));
  for (const id of ids('purchase_order')) await quietly(() => labCall(env, 'purchase.order', 'button_cancel', [[id]]));
  for (const id of ids('stock_picking')) await quietly(() => labCall(env, 'stock.picking', 'action_cancel', [[id]]));
  for (const slug of ['stock_picking', 'sale_order', 'purchase_order', 'crm_lead', 'product_product', 'res_partner']) {
    for (const id of ids(slug)) {
      try {
        await labCall(env, model(slug), 'unlink', [[id]]);
      } catch (error) {
        if (/does not exist/.test((error as Error).message)) continue; // deleted by the test (A10)
        leftovers.push(`${model(slug)} ${id}: ${(error as Error).message.split('\n')[0]}`);
        if (slug === 'product_product' || slug === 'res_partner')
          await quietly(() => labCall(env, model(slug), 'write', [[id], { active: false }]));
      }
    }
  }
  return leftovers;
}
