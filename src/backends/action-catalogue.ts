/**
 * The business actions this project knows (issue 17), per model, with Odoo 17's arguments: what
 * `GET /api/<slug>/actions` lists and the typed GraphQL mutations are made from. The embedded store
 * implements exactly these (src/backends/embedded/actions/); in front of Odoo every public method can be
 * called, these are the ones known to exist in Odoo 17 with the apps the demo models imitate.
 */
import type { ActionInfo } from './actions.js';

const none = [] as const;

export const ACTION_CATALOGUE: Readonly<Record<string, readonly ActionInfo[]>> = {
  'sale.order': [
    {
      name: 'action_confirm',
      label: 'Confirm',
      description:
        'Confirms a quotation (draft or sent): a sales order, dated now; its delivery is planned (a transfer with a move per ' +
        'storable or consumable product). Refused for any other state.',
      kwargs: none,
    },
    {
      name: 'action_quotation_sent',
      label: 'Mark as sent',
      description: 'Marks a draft quotation as sent.',
      kwargs: none,
    },
    {
      name: 'action_cancel',
      label: 'Cancel',
      description:
        'Cancels the order. Odoo cancels a draft at once; for any other order it answers its cancellation wizard (a window ' +
        'action, given as `result`) and cancels nothing until the wizard is confirmed in Odoo.',
      kwargs: none,
    },
    {
      name: 'action_draft',
      label: 'Set to quotation',
      description: 'Sets a cancelled or sent order back to a draft quotation; any other order is left as it is.',
      kwargs: none,
    },
  ],
  'crm.lead': [
    {
      name: 'action_set_won',
      label: 'Won',
      description: 'Marks the lead won: moved to the won stage, probability 100, active.',
      kwargs: none,
    },
    {
      name: 'action_set_lost',
      label: 'Lost',
      description: 'Marks the lead lost: archived, probability 0; `lost_reason_id` (and other values given) written with it.',
      kwargs: [
        { name: 'lost_reason_id', type: 'many2one', relation: 'crm.lost.reason', required: false, description: 'Why the lead was lost.' },
      ],
    },
  ],
  'purchase.order': [
    {
      name: 'button_confirm',
      label: 'Confirm order',
      description:
        'Confirms an RFQ (draft or sent): a purchase order, approved now; its receipt is planned. An order in another state is left as it is.',
      kwargs: none,
    },
    {
      name: 'button_cancel',
      label: 'Cancel',
      description: 'Cancels the order and its receipts not done; refused once a receipt is done.',
      kwargs: none,
    },
    {
      name: 'button_draft',
      label: 'Set to draft',
      description: 'Sets the order back to a draft RFQ (Odoo offers it on cancelled orders, and refuses no state).',
      kwargs: none,
    },
  ],
  'stock.picking': [
    {
      name: 'action_confirm',
      label: 'Mark as to do',
      description: 'Confirms a draft transfer (its moves become waiting or ready).',
      kwargs: none,
    },
    {
      name: 'action_assign',
      label: 'Check availability',
      description: 'Reserves the products of the transfer (a draft is confirmed first).',
      kwargs: none,
    },
    {
      name: 'button_validate',
      label: 'Validate',
      description:
        'Validates the transfer: its quantities are done. When a quantity is short of the demand, Odoo answers its backorder ' +
        'wizard (a window action, given as `result`) and the transfer is not done.',
      kwargs: none,
    },
  ],
};

/** The catalogue's actions of `model`; none for a model it does not know. */
export function catalogueActions(model: string): readonly ActionInfo[] {
  return ACTION_CATALOGUE[model] ?? [];
}
