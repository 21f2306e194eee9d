/**
 * A lead's email and phone kept in step with its customer, as Odoo 17's crm.lead does
 * (addons/crm/models/crm_lead.py): `_compute_email_from` / `_compute_phone` take the customer's value when it
 * has one and the lead's differs (editable computes following `partner_id.email` / `partner_id.phone`);
 * `_inverse_email_from` / `_inverse_phone` write a lead's own different value to the customer, as the caller;
 * `_compute_contact_name` takes the customer's name when it is a person.
 */
import type { ComputeSpec, HookContext, StoredValue, WrittenValues } from '../model-definition.js';

/** The lead's field and the customer's it follows. */
const CUSTOMER_FIELD = { email_from: 'email', phone: 'phone' } as const;
type SyncedField = keyof typeof CUSTOMER_FIELD;

/**
 * Odoo's `email_normalize`: the single address in the text, lower-cased (only its domain when the local
 * part is not ASCII), or false when there is none or more than one.
 */
function normalizedEmail(text: string): string | false {
  const found = text.match(/[^\s<>,;:"'()[\]]+@[^\s<>,;:"'()[\]]+/g);
  if (found?.length !== 1) return false;
  const address = found[0];
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  return /^[\x20-\x7e]*$/.test(local) ? address.toLowerCase() : `${local}${address.slice(at).toLowerCase()}`;
}

/**
 * Odoo's `_get_partner_email_update` / `_get_partner_phone_update`: whether the lead's value and the
 * customer's differ, emails compared normalised. (Odoo compares phones formatted by the phonenumbers library;
 * here as written.)
 */
function differs(field: SyncedField, lead: StoredValue, customer: StoredValue): boolean {
  if ((lead ?? null) === (customer ?? null)) return false;
  const comparable = (value: StoredValue) =>
    (field === 'email_from' && typeof value === 'string' && normalizedEmail(value)) || value || false;
  return comparable(lead) !== comparable(customer);
}

/** `_compute_email_from` / `_compute_phone`: the customer's value, when it has one that differs from the lead's. */
export function customerValueCompute(field: SyncedField): ComputeSpec {
  const customerField = CUSTOMER_FIELD[field];
  return {
    kind: 'own',
    editable: true,
    depends: ['partner_id', `partner_id.${customerField}`],
    fn: (lead, lookup) => {
      const own = lead[field] ?? null;
      if (typeof lead.partner_id !== 'number') return own;
      const customer = lookup('res.partner', lead.partner_id, customerField);
      return customer && differs(field, own, customer) ? customer : own;
    },
  };
}

/** `_compute_contact_name`: the customer's name when it is a person, else the lead's own. */
export const contactNameCompute: ComputeSpec = {
  kind: 'own',
  editable: true,
  depends: ['partner_id'],
  fn: (lead, lookup) => {
    const own = lead.contact_name ?? null;
    if (typeof lead.partner_id !== 'number' || lookup('res.partner', lead.partner_id, 'is_company')) return own;
    return lookup('res.partner', lead.partner_id, 'name') || own;
  },
};

/**
 * `_inverse_email_from`, then `_inverse_phone`, for the fields given: a lead's value that differs from its
 * customer's is written to the customer. As the caller, as in Odoo: one who may not read or write the customer
 * gets Odoo's AccessError.
 */
export function writeBackToCustomer(ctx: HookContext, ids: readonly number[], values: WrittenValues): void {
  for (const field of Object.keys(CUSTOMER_FIELD) as SyncedField[]) {
    if (!(field in values)) continue;
    const customerField = CUSTOMER_FIELD[field];
    for (const lead of ctx.read('crm.lead', ids, ['partner_id', field])) {
      if (typeof lead.partner_id !== 'number') continue;
      const customer = ctx.read('res.partner', [lead.partner_id], [customerField])[0]!;
      if (differs(field, lead[field] ?? null, customer[customerField] ?? null)) {
        ctx.write('res.partner', [lead.partner_id], { [customerField]: lead[field] ?? null });
      }
    }
  }
}
