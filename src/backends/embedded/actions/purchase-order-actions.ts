/** purchase.order's actions (Odoo 17, addons/purchase/models/purchase_order.py, purchase_stock's overrides), on the embedded store. */
import { normalizeDomain } from '../../../domain/normalize-domain.js';
import type { OdooRecord } from '../../backend.js';
import { UserError } from '../../errors.js';
import { nowUtc } from '../values.js';
import type { ActionEnv, ActionRun } from './index.js';
import { cancelTransfers, idOf, planTransfer, type PlannedMove } from './stock-picking-actions.js';

function orderOf({ store, user, model }: ActionEnv, id: number): OdooRecord {
  return store.read(user, model, [id], ['state', 'name', 'partner_id', 'company_id', 'date_planned', 'date_order'])[0]!;
}

/** The moves of the order's lines, as the caller reads them (Odoo's `order_line.move_ids`). */
function movesOf({ store, user }: ActionEnv, id: number): OdooRecord[] {
  return store.searchRead(user, 'stock.move', normalizeDomain([['purchase_line_id.order_id', '=', id]]), [
    'state',
    'product_uom_qty',
    'purchase_line_id',
    'picking_id',
  ]);
}

/** The order's transfers: those of its lines' moves (Odoo's computed `picking_ids`). */
const pickingsOf = (moves: readonly OdooRecord[]) => [
  ...new Set(moves.map((move) => idOf(move.picking_id)).filter((p): p is number => p !== null)),
];

/**
 * purchase_stock's `_create_picking`: for each line of a storable or consumable product, a move of what is
 * not yet planned, in the order's open receipt or a new one (created as the superuser), named after the
 * product, dated when the line is expected, numbered 5, 10, ... by date; the moves as the caller, as Odoo.
 */
function planReceipt(env: ActionEnv, id: number): void {
  const { store, user } = env;
  const order = orderOf(env, id);
  const lines = store.searchRead(user, 'purchase.order.line', normalizeDomain([['order_id', '=', id]]), [
    'product_id',
    'product_qty',
    'date_planned',
  ]);
  const productIds = lines.map((line) => idOf(line.product_id)).filter((p): p is number => p !== null);
  const products = new Map(store.read('superuser', 'product.product', productIds, ['type', 'display_name']).map((p) => [p.id, p]));
  const existing = movesOf(env, id).filter((move) => move.state !== 'cancel');
  const planned: Array<Omit<PlannedMove, 'sequence'>> = [];
  for (const line of lines) {
    const product = products.get(idOf(line.product_id) ?? 0);
    if (!product || (product.type !== 'product' && product.type !== 'consu')) continue;
    const done = existing
      .filter((move) => idOf(move.purchase_line_id) === line.id)
      .reduce((sum, move) => sum + Number(move.product_uom_qty), 0);
    const quantity = Number(line.product_qty) - done;
    if (quantity <= 0) continue;
    const date = (line.date_planned || order.date_planned || order.date_order) as string;
    planned.push({
      product_id: product.id,
      name: String(product.display_name),
      product_uom_qty: quantity,
      date,
      partner_id: false,
      purchase_line_id: line.id,
    });
  }
  const moves = [...planned].sort((a, b) => a.date.localeCompare(b.date)).map((move, index) => ({ ...move, sequence: 5 * (index + 1) }));
  const picking = {
    picking_type_code: 'incoming',
    partner_id: idOf(order.partner_id)!,
    company_id: idOf(order.company_id)!,
    origin: String(order.name),
    purchase_id: id,
  } as const;
  planTransfer(env, user, picking, pickingsOf(existing), moves);
}

export const PURCHASE_ORDER_ACTIONS: Readonly<Record<string, ActionRun>> = {
  /**
   * `button_confirm`: an RFQ (draft or sent) is approved (`button_approve`: one-step approval, the default)
   * and its receipt planned; an order in any other state is left as it is, without error. `True`.
   */
  button_confirm(env, id) {
    const { state } = orderOf(env, id);
    if (state !== 'draft' && state !== 'sent') return true;
    env.store.write(env.user, env.model, [id], { state: 'purchase', date_approve: nowUtc() });
    planReceipt(env, id);
    return true;
  },

  /**
   * `button_cancel`: refused once a receipt is done; the moves and transfers of the order are cancelled
   * first. Any state may be cancelled, as in Odoo. `None`.
   */
  button_cancel(env, id) {
    const order = orderOf(env, id);
    const moves = movesOf(env, id);
    if (moves.some((move) => move.state === 'done'))
      throw new UserError(`Unable to cancel purchase order ${String(order.name)} as some receptions have already been done.`);
    cancelTransfers(env, env.user, pickingsOf(moves));
    env.store.write(env.user, env.model, [id], { state: 'cancel' });
    return null;
  },

  /** `button_draft`: back to an RFQ, from any state (Odoo has no guard; its form offers it on cancelled orders). `{}`. */
  button_draft(env, id) {
    env.store.write(env.user, env.model, [id], { state: 'draft' });
    return {};
  },
};
