/** Field declarations and computes that several models share, written once. */
import type { CharFieldDefinition, Many2OneFieldDefinition, OwnCompute, PlainFieldDefinition, StoredValue } from '../model-definition.js';

export const activeField: PlainFieldDefinition = { type: 'boolean', string: 'Active', default: true };

/** `company_id` defaulting to the user's current company, as on Odoo's documents. */
export function companyField(required: boolean): Many2OneFieldDefinition {
  return {
    type: 'many2one',
    string: 'Company',
    relation: 'res.company',
    required,
    index: true,
    default: (env) => env.user.companyId,
  };
}

/** A many2one to `res.users` defaulting to the current user: Salesperson, Buyer, Responsible. */
export function currentUserField(label: string): Many2OneFieldDefinition {
  return { type: 'many2one', string: label, relation: 'res.users', index: true, default: (env) => env.user.id };
}

/** A reference numbered by a sequence of ./sequences.ts on create (`S00001`). */
export function sequenceNameField(code: string): CharFieldDefinition {
  return {
    type: 'char',
    string: 'Order Reference',
    required: true,
    index: true,
    default: (env) => env.nextSequence(code),
  };
}

/** The `order_id` of a document line: required, and the line goes when its order goes. */
export function orderField(orderModel: string): Many2OneFieldDefinition {
  return { type: 'many2one', string: 'Order Reference', relation: orderModel, required: true, index: true, ondelete: 'cascade' };
}

/** An amount rounded to cents, as Odoo rounds monetary values in the company currency (USD). */
export function roundMoney(amount: number): number {
  return Math.round((amount + Number.EPSILON) * 100) / 100;
}

const numberOf = (value: StoredValue | undefined): number => (typeof value === 'number' ? value : 0);

/** A line's `price_subtotal`: quantity × unit price, less the discount in percent when the line has one. */
export function subtotalCompute(quantityField: string, discountField?: string): OwnCompute {
  return {
    kind: 'own',
    depends: [quantityField, 'price_unit', ...(discountField ? [discountField] : [])],
    fn: (line) => {
      const discount = discountField ? numberOf(line[discountField]) : 0;
      return roundMoney(numberOf(line[quantityField]) * numberOf(line.price_unit) * (1 - discount / 100));
    },
  };
}
