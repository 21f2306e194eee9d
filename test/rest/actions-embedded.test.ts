/**
 * The embedded store's business actions (issue 17; docs/rest.md, "Business actions"), through real HTTP
 * on the demo data: each action's effect and Odoo 17's refusals (messages measured on the lab's Odoo 17,
 * see test/fidelity/actions.test.ts), the record read back, the transfers and moves that confirmations
 * plan, access rights (demo outside his record rules, portal), and that a refused call changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { q } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { AZURE_INTERIOR, databaseFingerprint, expectError, sqlRows } from './support.js';

const server = useServer();

type Login = 'admin' | 'demo' | 'manager' | 'portal';
type Row = Record<string, unknown>;

/** A demo product's id by its internal reference. */
function product(code: string): number {
  return sqlRows<{ id: number }>(server, 'SELECT id FROM product_product WHERE default_code = ?', code)[0]!.id;
}

async function create(login: Login, slug: string, values: Row): Promise<number> {
  const created = await server.request(login, 'POST', `/api/${slug}?fields=id`, values);
  expect(created.status, created.text).toBe(201);
  return created.body.id as number;
}

async function call(login: Login, slug: string, id: number, method: string, body?: unknown, fields?: string) {
  return server.request(login, 'POST', `/api/${slug}/${id}/${method}${fields ? `?${q({ fields })}` : ''}`, body);
}

/** Calls an action that must succeed; answers its result and record. */
async function run(login: Login, slug: string, id: number, method: string, body?: unknown, fields?: string) {
  const answer = await call(login, slug, id, method, body, fields);
  expect(answer.status, answer.text).toBe(200);
  const { id: answered, result, record } = answer.body as { id: number; result: unknown; record: Row };
  expect(answered).toBe(id);
  return { result, record };
}

async function list(slug: string, domain: string, fields: string, order = 'id'): Promise<Row[]> {
  const answer = await server.request('admin', 'GET', `/api/${slug}?${q({ domain, fields, order })}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body.results as Row[];
}

/** The transfers of an order (`sale_id` / `purchase_id`) and their moves. */
async function transfers(field: 'sale_id' | 'purchase_id', order: number) {
  const pickings = await list('stock_picking', `[("${field}", "=", ${order})]`, 'name,state,picking_type_code,partner_id,origin,user_id');
  const moves = await list(
    'stock_move',
    `[("picking_id", "in", [${pickings.map((p) => p.id).join(',')}])]`,
    'picking_id,product_id,name,product_uom_qty,quantity,state,picked,origin,sale_line_id,purchase_line_id,sequence',
  );
  return { pickings, moves };
}

/** A refused call: the status and message, and nothing changed. */
async function expectRefused(
  login: Login,
  slug: string,
  id: number,
  method: string,
  status: number,
  message: string | RegExp,
  body?: unknown,
) {
  server.key(login); // keys are made on first use: before the fingerprint
  const before = databaseFingerprint(server);
  expectError(await call(login, slug, id, method, body), status, message);
  expect(databaseFingerprint(server)).toEqual(before);
}

const CANCEL_WIZARD = (id: number, what: string) => ({
  name: `Cancel ${what}`,
  view_mode: 'form',
  res_model: 'sale.order.cancel',
  type: 'ir.actions.act_window',
  context: {
    default_order_id: id,
    mark_so_as_canceled: true,
    default_email_layout_xmlid: 'mail.mail_notification_layout_with_responsible_signature',
    model_description: what,
  },
  target: 'new',
});

/** A draft order of Azure Interior: a storable product, a consumable and a service. */
async function draftSale(
  login: Login = 'admin',
  lines: Array<[string, number]> = [
    ['FURN_0001', 3],
    ['CONS_0001', 2],
    ['SERV_0001', 1],
  ],
) {
  return create(login, 'sale_order', {
    partner_id: AZURE_INTERIOR,
    order_line: lines.map(([code, qty]) => [0, 0, { product_id: product(code), product_uom_qty: qty }]),
  });
}

describe('sale.order', () => {
  it('action_confirm: an order dated now, and its delivery with a move per storable or consumable product', async () => {
    const id = await draftSale();
    const started = new Date().toISOString().slice(0, 19).replace('T', ' ');
    const { result, record } = await run('admin', 'sale_order', id, 'action_confirm', undefined, 'name,state,date_order,picking_ids');
    expect(result).toBe(true);
    expect(record.state).toBe('sale');
    expect(String(record.date_order) >= started).toBe(true);
    const { pickings, moves } = await transfers('sale_id', id);
    expect(record.picking_ids).toEqual(pickings.map((p) => p.id));
    expect(pickings).toEqual([
      {
        id: expect.any(Number),
        name: expect.stringMatching(/^WH\/OUT\/\d{5}$/),
        state: 'assigned',
        picking_type_code: 'outgoing',
        partner_id: { id: AZURE_INTERIOR, name: 'Azure Interior' },
        origin: record.name,
        user_id: false,
      },
    ]);
    // No stock in this store: the storable product waits; the consumable bypasses reservation (Odoo's rules).
    expect(moves.map((m) => [m.product_id, m.name, m.product_uom_qty, m.quantity, m.state, m.origin])).toEqual([
      [{ id: product('FURN_0001'), name: '[FURN_0001] Large Desk' }, '[FURN_0001] Large Desk', 3, 0, 'confirmed', record.name],
      [{ id: product('CONS_0001'), name: '[CONS_0001] Desk Organizer' }, '[CONS_0001] Desk Organizer', 2, 2, 'assigned', record.name],
    ]);
    for (const move of moves) expect(move.sale_line_id).toMatchObject({ id: expect.any(Number) });
  });

  it("action_confirm refuses an order that is not a quotation, with Odoo's message", async () => {
    const id = await draftSale();
    const { record } = await run('admin', 'sale_order', id, 'action_confirm', undefined, 'name');
    await expectRefused(
      'admin',
      'sale_order',
      id,
      'action_confirm',
      400,
      `The following orders are not in a state requiring confirmation: ${String(record.name)}`,
    );
  });

  it('an order of services only plans no delivery', async () => {
    const id = await draftSale('admin', [['SERV_0001', 2]]);
    expect((await run('admin', 'sale_order', id, 'action_confirm', undefined, 'state,picking_ids')).record).toMatchObject({
      state: 'sale',
      picking_ids: [],
    });
    expect((await transfers('sale_id', id)).pickings).toEqual([]);
  });

  it('action_cancel: a draft is cancelled; a sent quotation or an order gets the wizard Odoo answers, and nothing changes', async () => {
    const draft = await draftSale();
    expect(await run('admin', 'sale_order', draft, 'action_cancel', undefined, 'state')).toEqual({
      result: true,
      record: { id: draft, state: 'cancel' },
    });
    await expectRefused(
      'admin',
      'sale_order',
      draft,
      'action_confirm',
      400,
      /^The following orders are not in a state requiring confirmation: S\d+$/,
    );

    const sent = await draftSale();
    await run('admin', 'sale_order', sent, 'action_quotation_sent');
    let before = databaseFingerprint(server);
    expect(await run('admin', 'sale_order', sent, 'action_cancel', undefined, 'state')).toEqual({
      result: CANCEL_WIZARD(sent, 'Quotation'),
      record: { id: sent, state: 'sent' },
    });
    expect(databaseFingerprint(server)).toEqual(before);
    const confirmed = await draftSale();
    await run('admin', 'sale_order', confirmed, 'action_confirm');
    const planned = await transfers('sale_id', confirmed);
    before = databaseFingerprint(server);
    expect((await run('admin', 'sale_order', confirmed, 'action_cancel', undefined, 'state')).result).toEqual(
      CANCEL_WIZARD(confirmed, 'Sales Order'),
    );
    expect(databaseFingerprint(server)).toEqual(before);
    expect(await transfers('sale_id', confirmed)).toEqual(planned);
  });

  it('action_draft: cancelled and sent orders become drafts; any other order is left as it is', async () => {
    const id = await draftSale();
    await run('admin', 'sale_order', id, 'action_cancel');
    expect(await run('admin', 'sale_order', id, 'action_draft', undefined, 'state')).toEqual({
      result: true,
      record: { id, state: 'draft' },
    });
    const before = databaseFingerprint(server);
    expect((await run('admin', 'sale_order', id, 'action_draft', undefined, 'state')).record.state).toBe('draft');
    expect(databaseFingerprint(server)).toEqual(before);
    await run('admin', 'sale_order', id, 'action_quotation_sent');
    expect((await run('admin', 'sale_order', id, 'action_draft', undefined, 'state')).record.state).toBe('draft');
    await run('admin', 'sale_order', id, 'action_confirm');
    expect((await run('admin', 'sale_order', id, 'action_draft', undefined, 'state')).record.state).toBe('sale');
  });

  it('demo confirms his own quotation (the delivery is planned as the superuser, as Odoo does); not one outside his rules', async () => {
    const own = await draftSale('demo');
    expect((await run('demo', 'sale_order', own, 'action_confirm', undefined, 'state')).record.state).toBe('sale');
    expect((await transfers('sale_id', own)).moves).toHaveLength(2);
    const admins = await create('admin', 'sale_order', { partner_id: AZURE_INTERIOR, user_id: 2 });
    await expectRefused('demo', 'sale_order', admins, 'action_confirm', 403, /.+/);
    await expectRefused('demo', 'sale_order', admins, 'action_cancel', 403, /.+/);
  });

  it('portal changes nothing, even on an order of his company he may read: a write is a 403; a call that writes nothing is not', async () => {
    const [readable] = await server
      .request('portal', 'GET', `/api/sale_order?${q({ domain: '[("state", "=", "draft")]', fields: 'id', limit: 1 })}`)
      .then((r) => r.body.results as Row[]);
    const id = readable!.id as number;
    for (const method of ['action_confirm', 'action_cancel', 'action_quotation_sent'])
      await expectRefused('portal', 'sale_order', id, method, 403, /.+/);
    // As in Odoo: action_draft on a draft filters it out and writes nothing, so no write access is checked.
    const before = databaseFingerprint(server);
    expect((await run('portal', 'sale_order', id, 'action_draft', undefined, 'state')).record.state).toBe('draft');
    expect(databaseFingerprint(server)).toEqual(before);
  });
});

describe('crm.lead', () => {
  const lead = () =>
    create('admin', 'crm_lead', { name: 'Actions test lead', type: 'opportunity', expected_revenue: 1000, probability: 30 });
  const FIELDS = 'stage_id,probability,active,date_closed,lost_reason_id';

  it('action_set_won: the won stage, probability 100, closed now', async () => {
    const id = await lead();
    const won = sqlRows<{ id: number; name: string }>(server, 'SELECT id, name FROM crm_stage WHERE is_won ORDER BY sequence, id')[0]!;
    const { result, record } = await run('admin', 'crm_lead', id, 'action_set_won', undefined, FIELDS);
    expect(result).toBe(true);
    expect(record).toMatchObject({ stage_id: { id: won.id, name: won.name }, probability: 100, active: true, lost_reason_id: false });
    expect(record.date_closed).toEqual(expect.any(String));
  });

  it('action_set_lost: archived, probability 0, with its lost reason; won again, it is restored', async () => {
    const id = await lead();
    const lost = await run('admin', 'crm_lead', id, 'action_set_lost', { kwargs: { lost_reason_id: 1 } }, FIELDS);
    expect(lost.result).toBe(false);
    expect(lost.record).toMatchObject({ probability: 0, active: false, lost_reason_id: { id: 1, name: 'Too expensive' } });
    expect(lost.record.date_closed).toEqual(expect.any(String));
    // Lost again: already archived, only the values given are written.
    expect((await run('admin', 'crm_lead', id, 'action_set_lost', { kwargs: { lost_reason_id: 2 } }, FIELDS)).record).toMatchObject({
      active: false,
      lost_reason_id: { id: 2, name: "We don't have people/skills" },
    });
    expect((await run('admin', 'crm_lead', id, 'action_set_won', undefined, FIELDS)).record).toMatchObject({
      probability: 100,
      active: true,
      lost_reason_id: false,
    });
  });

  it('Odoo 17 demo lost reasons; a bad kwarg or reason is refused and changes nothing', async () => {
    expect((await list('crm_lost_reason', '[]', 'name')).map((r) => r.name)).toEqual([
      'Too expensive',
      "We don't have people/skills",
      'Not enough stock',
    ]);
    const id = await lead();
    await expectRefused('admin', 'crm_lead', id, 'action_set_lost', 400, /unexpected keyword argument 'reason'/, { kwargs: { reason: 1 } });
    await expectRefused('admin', 'crm_lead', id, 'action_set_lost', 400, /.+/, { kwargs: { lost_reason_id: 99999 } });
  });

  it('demo may not win a lead outside his rules; portal has no access to leads', async () => {
    const id = await create('admin', 'crm_lead', { name: 'Actions test lead (admin)', user_id: 2 });
    await expectRefused('demo', 'crm_lead', id, 'action_set_won', 403, /.+/);
    await expectRefused('portal', 'crm_lead', id, 'action_set_lost', 403, /.+/);
  });
});

describe('purchase.order', () => {
  const VENDOR = 9; // Wood Corner
  const draftPurchase = (login: Login = 'admin') =>
    create(login, 'purchase_order', {
      partner_id: VENDOR,
      order_line: [
        [0, 0, { product_id: product('FURN_0002'), product_qty: 7, price_unit: 120 }],
        [0, 0, { product_id: product('CONS_0002'), product_qty: 2, price_unit: 1.2 }],
      ],
    });

  it('button_confirm: a purchase order approved now, and its receipt ready (reservation bypassed from a vendor)', async () => {
    const id = await draftPurchase();
    const { result, record } = await run('admin', 'purchase_order', id, 'button_confirm', undefined, 'name,state,date_approve,picking_ids');
    expect(result).toBe(true);
    expect(record).toMatchObject({ state: 'purchase', date_approve: expect.any(String) });
    const { pickings, moves } = await transfers('purchase_id', id);
    expect(record.picking_ids).toEqual(pickings.map((p) => p.id));
    expect(pickings).toMatchObject([
      {
        name: expect.stringMatching(/^WH\/IN\/\d{5}$/),
        state: 'assigned',
        picking_type_code: 'incoming',
        origin: record.name,
        user_id: false,
      },
    ]);
    expect(moves.map((m) => [m.product_id, m.product_uom_qty, m.quantity, m.state, m.sequence])).toEqual([
      [{ id: product('FURN_0002'), name: '[FURN_0002] Corner Desk Right Sit' }, 7, 7, 'assigned', 5],
      [{ id: product('CONS_0002'), name: '[CONS_0002] Desk Pad' }, 2, 2, 'assigned', 10],
    ]);
    // Confirmed again: left as it is, without error (Odoo's button_confirm skips it).
    server.key('admin');
    const before = databaseFingerprint(server);
    expect((await run('admin', 'purchase_order', id, 'button_confirm')).result).toBe(true);
    expect(databaseFingerprint(server)).toEqual(before);
  });

  it('button_cancel is refused once the receipt is done; button_draft is not', async () => {
    const id = await draftPurchase('demo');
    const { record } = await run('demo', 'purchase_order', id, 'button_confirm', undefined, 'name');
    const [receipt] = (await transfers('purchase_id', id)).pickings;
    expect(await run('demo', 'stock_picking', receipt!.id as number, 'button_validate', undefined, 'state')).toMatchObject({
      result: true,
      record: { state: 'done' },
    });
    await expectRefused(
      'demo',
      'purchase_order',
      id,
      'button_cancel',
      400,
      `Unable to cancel purchase order ${String(record.name)} as some receptions have already been done.`,
    );
    expect(await run('demo', 'purchase_order', id, 'button_draft', undefined, 'state')).toEqual({
      result: {},
      record: { id, state: 'draft' },
    });
  });

  it('button_cancel cancels the receipt and its moves; set to draft and confirmed again, a new receipt', async () => {
    const id = await draftPurchase();
    await run('admin', 'purchase_order', id, 'button_confirm');
    expect(await run('admin', 'purchase_order', id, 'button_cancel', undefined, 'state')).toEqual({
      result: false,
      record: { id, state: 'cancel' },
    });
    const cancelled = await transfers('purchase_id', id);
    expect(cancelled.pickings.map((p) => p.state)).toEqual(['cancel']);
    expect(cancelled.moves.map((m) => [m.state, m.quantity])).toEqual([
      ['cancel', 0],
      ['cancel', 0],
    ]);
    await run('admin', 'purchase_order', id, 'button_draft');
    await run('admin', 'purchase_order', id, 'button_confirm');
    const again = await transfers('purchase_id', id);
    expect(again.pickings.map((p) => p.state)).toEqual(['cancel', 'assigned']);
    expect(again.moves.filter((m) => m.state === 'assigned')).toHaveLength(2);
  });

  it('SEED-4 the Odoo way: a draft purchase order is refused deletion, cancelled with button_cancel, then deleted', async () => {
    const id = 31;
    expect((await server.request('admin', 'GET', `/api/purchase_order/${id}?fields=state`)).body.state).toBe('draft');
    expectError(
      await server.request('admin', 'DELETE', `/api/purchase_order/${id}`),
      400,
      'In order to delete a purchase order, you must cancel it first.',
    );
    expect(await run('admin', 'purchase_order', id, 'button_cancel', undefined, 'state')).toEqual({
      result: false,
      record: { id, state: 'cancel' },
    });
    const deleted = await server.request('admin', 'DELETE', `/api/purchase_order/${id}`);
    expect([deleted.status, deleted.body], deleted.text).toEqual([200, { ok: true }]);
  });

  it('portal calls no purchase action; manager (no purchase rights) neither', async () => {
    const id = await draftPurchase();
    for (const method of ['button_confirm', 'button_cancel', 'button_draft'])
      await expectRefused('manager', 'purchase_order', id, method, 403, /.+/);
    const [readable] = (await server.request('portal', 'GET', `/api/purchase_order?${q({ fields: 'id', limit: 1 })}`)).body
      .results as Row[];
    if (readable) await expectRefused('portal', 'purchase_order', readable.id as number, 'button_cancel', 403, /.+/);
  });
});

describe('stock.picking', () => {
  const delivery = async (lines: Array<[string, number]>) => {
    const order = await draftSale('admin', lines);
    await run('admin', 'sale_order', order, 'action_confirm');
    return (await transfers('sale_id', order)).pickings[0]!.id as number;
  };
  const moves = async (picking: number) =>
    (await list('stock_move', `[("picking_id", "=", ${picking})]`, 'state,quantity,picked')).map((m) => [m.state, m.quantity, m.picked]);

  it('button_validate with a short quantity: every move picked, and the backorder wizard Odoo answers; the transfer is not done', async () => {
    const id = await delivery([
      ['FURN_0003', 3],
      ['CONS_0003', 2],
    ]);
    expect(await run('admin', 'stock_picking', id, 'action_assign', undefined, 'state')).toEqual({
      result: true,
      record: { id, state: 'assigned' },
    });
    const { result, record } = await run('admin', 'stock_picking', id, 'button_validate', undefined, 'state,date_done');
    expect(result).toEqual({
      name: 'Create Backorder?',
      type: 'ir.actions.act_window',
      view_mode: 'form',
      res_model: 'stock.backorder.confirmation',
      views: [[false, 'form']],
      target: 'new',
      context: { button_validate_picking_ids: [id], default_show_transfers: false, default_pick_ids: [[4, id]] },
    });
    expect(record).toEqual({ id, state: 'assigned', date_done: false });
    expect(await moves(id)).toEqual([
      ['confirmed', 0, true],
      ['assigned', 2, true],
    ]);
  });

  it('button_validate with nothing reserved is refused; with the quantities encoded, the transfer is done', async () => {
    const id = await delivery([['FURN_0004', 4]]);
    expect((await server.request('admin', 'GET', `/api/stock_picking/${id}?fields=state`)).body.state).toBe('confirmed');
    await expectRefused(
      'admin',
      'stock_picking',
      id,
      'button_validate',
      400,
      'You cannot validate a transfer if no quantities are reserved. To force the transfer, encode quantities.',
    );
    const [move] = await list('stock_move', `[("picking_id", "=", ${id})]`, 'id');
    expect((await server.request('demo', 'PUT', `/api/stock_move/${move!.id as number}`, { quantity: 4 })).status).toBe(200);
    const { result, record } = await run('demo', 'stock_picking', id, 'button_validate', undefined, 'state,date_done');
    expect([result, record.state, typeof record.date_done]).toEqual([true, 'done', 'string']);
    expect(await moves(id)).toEqual([['done', 4, true]]);
  });

  it('a done transfer: validated again or checked for availability, refused; confirmed again, True', async () => {
    const id = await delivery([['CONS_0004', 4]]);
    expect((await run('admin', 'stock_picking', id, 'button_validate', undefined, 'state')).record.state).toBe('done');
    await expectRefused(
      'admin',
      'stock_picking',
      id,
      'button_validate',
      400,
      'You cannot validate a transfer if no quantities are reserved. To force the transfer, encode quantities.',
    );
    await expectRefused('admin', 'stock_picking', id, 'action_assign', 400, 'Nothing to check the availability for.');
    expect((await run('admin', 'stock_picking', id, 'action_confirm', undefined, 'state')).record.state).toBe('done');
  });

  it('a draft transfer with moves: confirmed, or validated at once with its quantities set to the demand', async () => {
    const values = () => ({
      picking_type_code: 'internal',
      move_ids: [[0, 0, { name: 'Pens', product_id: product('CONS_0003'), product_uom_qty: 5 }]],
    });
    const first = await create('admin', 'stock_picking', values());
    expect((await run('admin', 'stock_picking', first, 'action_confirm', undefined, 'state')).record.state).toBe('confirmed');
    expect(await moves(first)).toEqual([['confirmed', 0, false]]);
    expect((await run('admin', 'stock_picking', first, 'action_assign', undefined, 'state')).record.state).toBe('assigned');
    const second = await create('admin', 'stock_picking', values());
    expect((await run('admin', 'stock_picking', second, 'button_validate', undefined, 'state')).record.state).toBe('done');
    expect(await moves(second)).toEqual([['done', 5, true]]);
  });

  it("the demo data's transfers have no moves: validating one is refused as Odoo refuses an empty transfer", async () => {
    const [picking] = await list('stock_picking', '[("state", "=", "assigned")]', 'id');
    const id = picking!.id as number;
    await expectRefused(
      'admin',
      'stock_picking',
      id,
      'button_validate',
      400,
      'You can’t validate an empty transfer. Please add some products to move before proceeding.',
    );
    await expectRefused('admin', 'stock_picking', id, 'action_assign', 400, 'Nothing to check the availability for.');
  });

  it('portal may read transfers but calls no action on them', async () => {
    const [readable] = (await server.request('portal', 'GET', `/api/stock_picking?${q({ fields: 'id', limit: 1 })}`)).body.results as Row[];
    for (const method of ['action_confirm', 'action_assign', 'button_validate'])
      await expectRefused('portal', 'stock_picking', readable!.id as number, method, 403, /.+/);
  });
});

describe('GET /api/<slug>/actions', () => {
  it.each([
    ['sale_order', ['action_confirm', 'action_quotation_sent', 'action_cancel', 'action_draft']],
    ['crm_lead', ['action_set_won', 'action_set_lost']],
    ['purchase_order', ['button_confirm', 'button_cancel', 'button_draft']],
    ['stock_picking', ['action_confirm', 'action_assign', 'button_validate']],
  ])('%s lists every action of the catalogue', async (slug, names) => {
    const answer = await server.request('admin', 'GET', `/api/${slug}/actions`);
    expect((answer.body.actions as Row[]).map((a) => a.name)).toEqual(names);
  });
});
