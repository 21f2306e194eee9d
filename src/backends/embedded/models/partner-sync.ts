/**
 * Odoo 17's synchronisation of a partner with its parent and its children (odoo/addons/base/models/
 * res_partner.py: `_fields_sync`, `onchange_parent_id`, `_children_sync`, `update_address`,
 * `_commercial_sync_from_company`, `_commercial_sync_to_children`, `_handle_first_contact_creation`), for the
 * fields this store has. Each step runs with the rights Odoo gives it: the address steps as the caller (Odoo's
 * `update_address` is `super().write` in the caller's environment, after reading the parent as the caller),
 * the commercial fields as the superuser (`sudo()`).
 */
import type { HookContext, StoredValue, WrittenValues } from '../model-definition.js';

/** Odoo's ADDRESS_FIELDS this store has (not street2, state_id). */
const ADDRESS_FIELDS = ['street', 'zip', 'city', 'country_id'];
/** Odoo's `_commercial_fields()` this store has (not company_registry, industry_id). */
const COMMERCIAL_FIELDS = ['vat'];

const PARTNER = 'res.partner';
const SUDO = { sudo: true } as const;

type StoredRecord = Readonly<Record<string, StoredValue>>;

/** Python's truth of a stored value: null, '', 0 (false) are not set. */
const isSet = (value: StoredValue | undefined): boolean =>
  value !== null && value !== undefined && value !== '' && value !== 0 && value !== false;

const pick = (record: StoredRecord, fields: readonly string[]): Record<string, StoredValue> =>
  Object.fromEntries(fields.map((f) => [f, record[f] ?? null]));

const hasAddress = (record: StoredRecord): boolean => ADDRESS_FIELDS.some((f) => isSet(record[f]));

/** One create's or write's synchronisation. */
class PartnerSync {
  /**
   * Each partner's active children, as first read in this request: Odoo caches `child_ids` from the first
   * read, so whether the caller (its record rules) or the superuser reads them first decides which children
   * every later step sees (a company's new vat reaches the children the caller sees, and all of their descendants).
   */
  readonly #children = new Map<number, readonly number[]>();

  constructor(private readonly ctx: HookContext) {}

  #childIds(id: number, sudo: boolean): readonly number[] {
    let ids = this.#children.get(id);
    if (!ids) this.#children.set(id, (ids = this.ctx.search(PARTNER, [['parent_id', '=', id]], { sudo })));
    return ids;
  }

  #read(id: number, fields: readonly string[], sudo = false): StoredRecord {
    return this.ctx.read(PARTNER, [id], fields, { sudo })[0]!;
  }

  /** `_fields_sync`: from the parent (commercial fields, and the address for a contact), then to the children. */
  fieldsSync(id: number, values: WrittenValues): void {
    if (isSet(values.parent_id) || values.type === 'contact') {
      if (isSet(values.parent_id)) this.#commercialSyncFromCompany(id);
      const self = this.#read(id, ['parent_id', 'type']);
      if (typeof self.parent_id === 'number' && self.type === 'contact') {
        // onchange_parent_id: the whole address of the parent when it has one, over the contact's.
        const parent = this.#read(self.parent_id, ADDRESS_FIELDS);
        if (hasAddress(parent)) this.ctx.write(PARTNER, [id], pick(parent, ADDRESS_FIELDS));
      }
    }
    this.#childrenSync(id, values);
  }

  /**
   * `_children_sync`: a commercial entity's written commercial fields to its descendants, its written address
   * fields to its contacts (a write that goes no further down). Odoo's other case, a child whose commercial
   * partner differs from the parent's, cannot occur here: commercial_partner_id is recomputed on every change.
   */
  #childrenSync(id: number, values: WrittenValues): void {
    const children = this.#childIds(id, false);
    if (!children.length) return;
    if (this.#read(id, ['commercial_partner_id']).commercial_partner_id === id && COMMERCIAL_FIELDS.some((f) => f in values)) {
      this.#commercialSyncToChildren(id);
    }
    const address = ADDRESS_FIELDS.filter((f) => f in values);
    if (!address.length) return;
    const contacts = this.ctx
      .read(PARTNER, children, ['type'])
      .filter((c) => c.type === 'contact')
      .map((c) => c.id as number);
    if (contacts.length) this.ctx.write(PARTNER, contacts, pick(values, address));
  }

  /** `_commercial_sync_from_company`, as the superuser: the commercial partner's fields, then down to the children. */
  #commercialSyncFromCompany(id: number): void {
    const commercial = this.#read(id, ['commercial_partner_id'], true).commercial_partner_id;
    if (typeof commercial !== 'number' || commercial === id) return;
    this.ctx.write(PARTNER, [id], pick(this.#read(commercial, COMMERCIAL_FIELDS, true), COMMERCIAL_FIELDS), SUDO);
    this.#commercialSyncToChildren(id);
  }

  /** `_commercial_sync_to_children`, as the superuser: the commercial fields on every descendant that is not a company. */
  #commercialSyncToChildren(id: number): void {
    const commercial = this.#read(id, ['commercial_partner_id'], true).commercial_partner_id as number;
    const values = pick(this.#read(commercial, COMMERCIAL_FIELDS, true), COMMERCIAL_FIELDS);
    const children = this.ctx
      .read(PARTNER, this.#childIds(id, true), ['is_company'], SUDO)
      .filter((c) => !isSet(c.is_company))
      .map((c) => c.id as number);
    for (const child of children) this.#commercialSyncToChildren(child);
    if (children.length) this.ctx.write(PARTNER, children, values, SUDO);
  }

  /** `_handle_first_contact_creation`: a company or root partner without address takes its first contact's. */
  firstContactCreation(id: number): void {
    const self = this.#read(id, ['parent_id', ...ADDRESS_FIELDS]);
    if (typeof self.parent_id !== 'number') return;
    const parent = this.#read(self.parent_id, ['is_company', 'parent_id', ...ADDRESS_FIELDS]);
    if (
      (isSet(parent.is_company) || parent.parent_id === null) &&
      this.#childIds(self.parent_id, false).length === 1 &&
      hasAddress(self) &&
      !hasAddress(parent)
    ) {
      this.ctx.write(PARTNER, [self.parent_id], pick(self, ADDRESS_FIELDS));
    }
  }
}

/** res.partner create(): `_fields_sync(vals)`, then `_handle_first_contact_creation()`. */
export function syncCreatedPartner(ctx: HookContext, id: number, values: WrittenValues): void {
  const sync = new PartnerSync(ctx);
  sync.fieldsSync(id, values);
  sync.firstContactCreation(id);
}

/** res.partner write(): `_fields_sync(vals)` for each partner written. */
export function syncWrittenPartners(ctx: HookContext, ids: readonly number[], values: WrittenValues): void {
  const sync = new PartnerSync(ctx);
  for (const id of ids) sync.fieldsSync(id, values);
}
