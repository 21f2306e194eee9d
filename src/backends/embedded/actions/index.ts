/**
 * The business actions of the embedded store (issue 17): Odoo 17's record methods the demo models'
 * workflows need, with Odoo's guards, effects and messages. Each runs as the caller through the Store
 * (so access rights and record rules apply to every write it makes, as they do to the method in Odoo),
 * inside the transaction EmbeddedBackend.callAction opens, with the read-back.
 *
 * The catalogue (src/backends/action-catalogue.ts) says which actions exist and what they take; this
 * module implements them, one file per model.
 */
import type { ActionInfo } from '../../actions.js';
import { catalogueActions } from '../../action-catalogue.js';
import type { UserContext } from '../model-definition.js';
import type { Store } from '../store.js';
import { CRM_LEAD_ACTIONS } from './crm-lead-actions.js';
import { PURCHASE_ORDER_ACTIONS } from './purchase-order-actions.js';
import { SALE_ORDER_ACTIONS } from './sale-order-actions.js';
import { STOCK_PICKING_ACTIONS } from './stock-picking-actions.js';

/** What an action runs with: the store, the caller as rules see them, its model's name. */
export interface ActionEnv {
  readonly store: Store;
  readonly user: UserContext;
  readonly model: string;
}

/** One action: runs on record `id` with the call's keyword arguments and answers the method's return value (JSON-safe). */
export type ActionRun = (env: ActionEnv, id: number, kwargs: Readonly<Record<string, unknown>>) => unknown;

const IMPLEMENTED: Readonly<Record<string, Readonly<Record<string, ActionRun>>>> = {
  'sale.order': SALE_ORDER_ACTIONS,
  'crm.lead': CRM_LEAD_ACTIONS,
  'purchase.order': PURCHASE_ORDER_ACTIONS,
  'stock.picking': STOCK_PICKING_ACTIONS,
};

/** The implementation of `method` on `model`, or undefined. */
export function embeddedAction(model: string, method: string): ActionRun | undefined {
  const actions = IMPLEMENTED[model];
  return actions && Object.hasOwn(actions, method) ? actions[method] : undefined;
}

/** The catalogue's actions of `model` that the embedded store implements. */
export function embeddedActions(model: string): readonly ActionInfo[] {
  return catalogueActions(model).filter((info) => embeddedAction(model, info.name) !== undefined);
}
