/**
 * stock.picking's actions (Odoo 17, addons/stock/models/stock_picking.py and stock_move.py), and the
 * planning of a transfer with its moves that sales and purchase confirmations share.
 *
 * This store keeps no stock levels nor locations, so reservation is Odoo's with an empty warehouse: a move
 * bypasses reservation (reserved in full) when Odoo's would, from a vendor location (receipts) or for a
 * product that is not storable; a storable product leaving the warehouse is never available.
 */
import { normalizeDomain } from '../../../domain/normalize-domain.js';
import type { OdooRecord } from '../../backend.js';
import { UserError } from '../../errors.js';
import type { Actor } from '../store.js';
import { nowUtc } from '../values.js';
import type { ActionEnv, ActionRun } from './index.js';

/** The id of a many2one as read (`[id, name]`), or null. */
export function idOf(value: unknown): number | null {
  if (Array.isArray(value)) return typeof value[0] === 'number' ? value[0] : null;
  return typeof value === 'number' ? value : null;
}

const MOVE_FIELDS = ['state', 'product_id', 'product_uom_qty', 'quantity', 'picked'];

/** The moves of the given transfers, as `actor` reads them. */
function movesOf({ store }: ActionEnv, actor: Actor, pickingIds: readonly number[]): OdooRecord[] {
  return store.searchRead(actor, 'stock.move', normalizeDomain([['picking_id', 'in', [...pickingIds]]]), MOVE_FIELDS);
}

/** Product types as stored, for the reservation rule. */
function productTypes({ store }: ActionEnv, moves: readonly OdooRecord[]): Map<number, string> {
  const ids = [...new Set(moves.map((move) => idOf(move.product_id)).filter((id): id is number => id !== null))];
  return new Map(store.read('superuser', 'product.product', ids, ['type']).map((p) => [p.id, String(p.type)]));
}

/**
 * The transfer's state from its moves, as Odoo's `_compute_state` for the "as soon as possible" policy:
 * a receipt (from a vendor location, reservation bypassed) is ready once confirmed; otherwise ready as
 * soon as one move is. A transfer without moves keeps its state (the demo data's have none).
 */
function pickingState(type: string, current: string, moves: readonly OdooRecord[]): string {
  if (!moves.length) return current;
  const states = moves.map((move) => String(move.state));
  if (states.includes('draft')) return 'draft';
  if (states.every((s) => s === 'cancel')) return 'cancel';
  if (states.every((s) => s === 'cancel' || s === 'done')) return 'done';
  if (type === 'incoming') return 'assigned';
  if (states.some((s) => s === 'assigned' || s === 'partially_available')) return 'assigned';
  return states.includes('waiting') ? 'waiting' : 'confirmed';
}

/** Stores the states of the transfers from their moves (Odoo computes it; here it is written, as the superuser). */
function refreshStates(env: ActionEnv, pickingIds: readonly number[]): void {
  const pickings = env.store.read('superuser', 'stock.picking', pickingIds, ['state', 'picking_type_code']);
  for (const picking of pickings) {
    const state = pickingState(String(picking.picking_type_code), String(picking.state), movesOf(env, 'superuser', [picking.id]));
    if (state !== picking.state) env.store.write('superuser', 'stock.picking', [picking.id], { state });
  }
}

/** `_action_confirm` of draft moves: waiting for availability. */
function confirmMoves(env: ActionEnv, actor: Actor, moves: readonly OdooRecord[]): void {
  const drafts = moves.filter((move) => move.state === 'draft').map((move) => move.id);
  if (drafts.length) env.store.write(actor, 'stock.move', drafts, { state: 'confirmed' });
}

/** `_action_assign`: what bypasses reservation is reserved in full; storable products find no stock here. */
function assignMoves(env: ActionEnv, actor: Actor, type: string, moves: readonly OdooRecord[]): void {
  const types = productTypes(env, moves);
  for (const move of moves) {
    if (!['confirmed', 'waiting', 'partially_available'].includes(String(move.state))) continue;
    if (type !== 'incoming' && types.get(idOf(move.product_id) ?? 0) === 'product') continue;
    env.store.write(actor, 'stock.move', [move.id], { state: 'assigned', quantity: move.product_uom_qty });
  }
}

/** One move to plan: a product, its demand, what it comes from. */
export interface PlannedMove {
  readonly product_id: number;
  readonly name: string;
  readonly product_uom_qty: number;
  readonly date: string;
  readonly sequence: number;
  readonly partner_id: number | false;
  readonly sale_line_id?: number;
  readonly purchase_line_id?: number;
}

/** What the planned transfer is: its type, partner, company, source document and order. */
export interface PlannedPicking {
  readonly picking_type_code: 'incoming' | 'outgoing';
  readonly partner_id: number;
  readonly company_id: number;
  readonly origin: string;
  readonly sale_id?: number;
  readonly purchase_id?: number;
}

/**
 * Plans `moves` in the order's open transfer (one not done nor cancelled among its moves' transfers), or in
 * a new one created as the superuser, as Odoo's procurement and purchase_stock do; confirms and reserves
 * them (as `actor`) and stores the transfer's state. Moves are created as `actor` (purchase_stock) or the
 * superuser (sale_stock's procurement runs sudo).
 */
export function planTransfer(
  env: ActionEnv,
  actor: Actor,
  picking: PlannedPicking,
  openPickingIds: readonly number[],
  moves: readonly PlannedMove[],
): void {
  if (!moves.length) return;
  const { store } = env;
  const open = store.read('superuser', 'stock.picking', openPickingIds, ['state']).find((p) => p.state !== 'done' && p.state !== 'cancel');
  const date = moves.reduce((min, move) => (move.date < min ? move.date : min), moves[0]!.date);
  const pickingId =
    open?.id ?? store.create('superuser', 'stock.picking', { ...picking, user_id: false, scheduled_date: date, state: 'draft' });
  const created = moves.map((move) =>
    store.create(actor, 'stock.move', {
      ...move,
      picking_id: pickingId,
      origin: picking.origin,
      company_id: picking.company_id,
      state: 'draft',
    }),
  );
  confirmMoves(env, actor, store.read(actor, 'stock.move', created, MOVE_FIELDS));
  assignMoves(env, actor, picking.picking_type_code, store.read(actor, 'stock.move', created, MOVE_FIELDS));
  refreshStates(env, [pickingId]);
}

/** `_action_cancel` of the moves of the transfers (not those done), then `action_cancel` of the transfers. */
export function cancelTransfers(env: ActionEnv, actor: Actor, pickingIds: readonly number[]): void {
  const moves = movesOf(env, actor, pickingIds).filter((move) => move.state !== 'done' && move.state !== 'cancel');
  if (moves.length)
    env.store.write(
      actor,
      'stock.move',
      moves.map((move) => move.id),
      { state: 'cancel', quantity: 0 },
    );
  refreshStates(env, pickingIds);
}

/** The transfer as the caller reads it: type and state. */
function pickingOf({ store, user }: ActionEnv, id: number): { type: string; state: string } {
  const [picking] = store.read(user, 'stock.picking', [id], ['picking_type_code', 'state']);
  return { type: String(picking!.picking_type_code), state: String(picking!.state) };
}

/** `action_confirm`: the draft moves confirmed (on a transfer without moves: nothing, `True`). */
function actionConfirm(env: ActionEnv, id: number): boolean {
  confirmMoves(env, env.user, movesOf(env, env.user, [id]));
  refreshStates(env, [id]);
  return true;
}

/** Odoo's backorder wizard, `_action_generate_backorder_wizard`, less its view id (no views here). */
function backorderWizard(id: number): Record<string, unknown> {
  return {
    name: 'Create Backorder?',
    type: 'ir.actions.act_window',
    view_mode: 'form',
    res_model: 'stock.backorder.confirmation',
    views: [[false, 'form']],
    target: 'new',
    context: { button_validate_picking_ids: [id], default_show_transfers: false, default_pick_ids: [[4, id]] },
  };
}

export const STOCK_PICKING_ACTIONS: Readonly<Record<string, ActionRun>> = {
  action_confirm: actionConfirm,

  /** `action_assign`: a draft is confirmed first; "Nothing to check the availability for." without open moves. */
  action_assign(env, id) {
    const { type, state } = pickingOf(env, id);
    if (state === 'draft') actionConfirm(env, id);
    const moves = movesOf(env, env.user, [id]).filter((move) => !['draft', 'cancel', 'done'].includes(String(move.state)));
    if (!moves.length) throw new UserError('Nothing to check the availability for.');
    assignMoves(env, env.user, type, moves);
    refreshStates(env, [id]);
    return true;
  },

  /**
   * `button_validate`: a draft is confirmed with its quantities set to the demand; refused when there is
   * nothing to move or no quantity; when some quantity is short, every move is marked picked and Odoo answers
   * its backorder wizard (the transfer is not done); otherwise the moves and the transfer are done.
   */
  button_validate(env, id) {
    const { store, user } = env;
    if (pickingOf(env, id).state === 'draft') {
      actionConfirm(env, id);
      for (const move of movesOf(env, user, [id]))
        if (!move.quantity && move.product_uom_qty) store.write(user, 'stock.move', [move.id], { quantity: move.product_uom_qty });
    }
    const moves = movesOf(env, user, [id]);
    if (!moves.length) throw new UserError('You can’t validate an empty transfer. Please add some products to move before proceeding.');
    const open = moves.filter((move) => move.state !== 'done' && move.state !== 'cancel');
    if (open.every((move) => !move.quantity))
      throw new UserError('You cannot validate a transfer if no quantities are reserved. To force the transfer, encode quantities.');
    // _pre_action_done_hook: quantities given but none picked: all are picked.
    if (!moves.some((move) => move.picked)) {
      store.write(
        user,
        'stock.move',
        moves.map((move) => move.id),
        { picked: true },
      );
      for (const move of moves) move.picked = true;
    }
    const short = moves.some(
      (move) =>
        move.state !== 'cancel' &&
        ((move.product_uom_qty && !move.picked) || (move.picked ? Number(move.quantity) : 0) < Number(move.product_uom_qty)),
    );
    if (short) return backorderWizard(id);
    store.write(
      user,
      'stock.move',
      open.map((move) => move.id),
      { state: 'done' },
    );
    store.write(user, 'stock.picking', [id], { state: 'done', date_done: nowUtc(), priority: '0' });
    return true;
  },
};
