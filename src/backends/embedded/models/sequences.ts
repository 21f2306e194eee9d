/**
 * The numbering sequences behind `env.nextSequence(code)` (Odoo's `ir.sequence`): the next value is the
 * prefix followed by the sequence's counter padded with zeros, e.g. `sale.order` gives `S00001`.
 */
export const SEQUENCES: Record<string, { prefix: string; padding: number }> = {
  'sale.order': { prefix: 'S', padding: 5 },
  'purchase.order': { prefix: 'P', padding: 5 },
  'stock.picking.in': { prefix: 'WH/IN/', padding: 5 },
  'stock.picking.out': { prefix: 'WH/OUT/', padding: 5 },
  'stock.picking.int': { prefix: 'WH/INT/', padding: 5 },
};
