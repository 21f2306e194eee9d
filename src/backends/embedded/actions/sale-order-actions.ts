/** sale.order's actions (Odoo 17, addons/sale/models/sale_order.py, sale_stock's overrides), on the embedded store. */
import { normalizeDomain } from '../../../domain/normalize-domain.js';
import { UserError } from '../../errors.js';
import { nowUtc } from '../values.js';
import type { ActionEnv, ActionRun } from './index.js';
import { idOf, planTransfer, type PlannedMove } from './stock-picking-actions.js';

function orderOf({ store, user, model }: ActionEnv, id: number) {
  const [order] = store.read(user, model, [id], ['state', 'name', 'partner_id', 'company_id']);
  if (!order) throw new UserError(`Record does not exist or has been deleted.\n(Record: ${model}(${id},), User: ${user.id})`);
  return order;
}

function stateOf(env: ActionEnv, id: number): string {
  return orderOf(env, id).state as string;
}

/**
 * sale_stock's `_action_launch_stock_rule`: for each line of a storable or consumable product, a move of
 * what is not yet planned (the line's quantity less its moves not cancelled) in the order's delivery, as
 * the procurement plans it (as the superuser): named after the product, dated now (no lead times here).
 */
function planDelivery(env: ActionEnv, id: number): void {
  const { store, user } = env;
  const order = orderOf(env, id);
  const lines = store.searchRead(user, 'sale.order.line', normalizeDomain([['order_id', '=', id]]), [
    'product_id',
    'product_uom_qty',
    'sequence',
  ]);
  const productIds = lines.map((line) => idOf(line.product_id)).filter((p): p is number => p !== null);
  const products = new Map(store.read('superuser', 'product.product', productIds, ['type', 'display_name']).map((p) => [p.id, p]));
  const planned = store.searchRead(
    'superuser',
    'stock.move',
    normalizeDomain([
      ['sale_line_id', 'in', lines.map((line) => line.id)],
      ['state', '!=', 'cancel'],
    ]),
    ['sale_line_id', 'product_uom_qty', 'picking_id'],
  );
  const now = nowUtc();
  const moves: PlannedMove[] = [];
  for (const line of lines) {
    const product = products.get(idOf(line.product_id) ?? 0);
    if (!product || (product.type !== 'product' && product.type !== 'consu')) continue;
    const done = planned.filter((move) => idOf(move.sale_line_id) === line.id).reduce((sum, move) => sum + Number(move.product_uom_qty), 0);
    const quantity = Number(line.product_uom_qty) - done;
    if (quantity <= 0) continue;
    moves.push({
      product_id: product.id,
      name: String(product.display_name),
      product_uom_qty: quantity,
      date: now,
      sequence: Number(line.sequence),
      partner_id: idOf(order.partner_id) ?? false,
      sale_line_id: line.id,
    });
  }
  const openPickings = [...new Set(planned.map((move) => idOf(move.picking_id)).filter((p): p is number => p !== null))];
  const picking = {
    picking_type_code: 'outgoing',
    partner_id: idOf(order.partner_id)!,
    company_id: idOf(order.company_id)!,
    origin: String(order.name),
    sale_id: id,
  } as const;
  planTransfer(env, 'superuser', picking, openPickings, moves);
}

/** `type_name`: what the order is called in messages. */
const typeName = (state: string) => (['draft', 'sent', 'cancel'].includes(state) ? 'Quotation' : 'Sales Order');

export const SALE_ORDER_ACTIONS: Readonly<Record<string, ActionRun>> = {
  /** `action_quotation_sent`: only a draft may be marked sent ("Only draft orders can be marked as sent directly."). */
  action_quotation_sent(env, id) {
    if (stateOf(env, id) !== 'draft') throw new UserError('Only draft orders can be marked as sent directly.');
    env.store.write(env.user, env.model, [id], { state: 'sent' });
    return null;
  },

  /** `action_confirm`: a draft or sent quotation (`_can_be_confirmed`) becomes an order dated now; its delivery is planned. */
  action_confirm(env, id) {
    const order = orderOf(env, id);
    if (order.state !== 'draft' && order.state !== 'sent')
      throw new UserError(`The following orders are not in a state requiring confirmation: ${String(order.name)}`);
    env.store.write(env.user, env.model, [id], { state: 'sale', date_order: nowUtc() });
    planDelivery(env, id);
    return true;
  },

  /**
   * `action_cancel`: a draft is cancelled at once (`_action_cancel`, its write's `True`). Any other order is
   * not: Odoo answers the `sale.order.cancel` wizard (`_show_cancel_wizard`), to confirm in Odoo's client;
   * here without its view and mail template ids, which only a real Odoo has.
   */
  action_cancel(env, id) {
    const state = stateOf(env, id);
    if (state === 'draft') {
      env.store.write(env.user, env.model, [id], { state: 'cancel' });
      return true;
    }
    return {
      name: `Cancel ${typeName(state)}`,
      view_mode: 'form',
      res_model: 'sale.order.cancel',
      type: 'ir.actions.act_window',
      context: {
        default_order_id: id,
        mark_so_as_canceled: true,
        default_email_layout_xmlid: 'mail.mail_notification_layout_with_responsible_signature',
        model_description: typeName(state),
      },
      target: 'new',
    };
  },

  /** `action_draft`: cancelled and sent orders become drafts; any other is left as it is (still `True`). */
  action_draft(env, id) {
    if (['cancel', 'sent'].includes(stateOf(env, id))) env.store.write(env.user, env.model, [id], { state: 'draft' });
    return true;
  },
};
