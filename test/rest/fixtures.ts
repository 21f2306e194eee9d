/**
 * The records the contract suite names (demo users, Azure Interior, "sale order 21"...). On the embedded
 * store they are the demo data's fixed ids, exactly as the suite always used them. In front of a live
 * Odoo (`serverMode.via = 'odoo'`) Odoo's demo data has other ids, so they are looked up at run time:
 * by login or name where both demo data sets have the record, else the first record of the kind the
 * test needs. The lookups by login or name are also run on the embedded store, and must give the fixed
 * ids there, so that the two ways cannot drift apart.
 */
import type { GroundTruth } from '../helpers/ground-truth.js';
import { inFrontOfOdoo, odooTarget } from '../helpers/server.js';
import { AZURE_INTERIOR, UID } from './support.js';

export interface Fixtures {
  /** User ids by login (`manager` exists only in the embedded demo data: 0 on Odoo). */
  readonly uid: { readonly admin: number; readonly demo: number; readonly manager: number; readonly portal: number };
  /** Azure Interior (12 in mrm_rest_api's documented examples), one of its contacts, Deco Addict and Gemini Furniture. */
  readonly azure: number;
  readonly azureContact: number;
  readonly decoAddict: number;
  readonly gemini: number;
  /** The portal user's partner (Joel Willis, a contact of Deco Addict). */
  readonly portalPartner: number;
  /** A (confirmed) sale order with lines, and a sale order line. */
  readonly saleOrder: number;
  readonly saleOrderLine: number;
  /** An active lead. */
  readonly lead: number;
  /** Three products that can be sold and bought. */
  readonly products: readonly [number, number, number];
  /** Five partner tags, in id order. */
  readonly tags: readonly [number, number, number, number, number];
  readonly country: number;
  /** A purchase order that is not cancelled (mrm_rest_api's documented example 4 names 31). */
  readonly purchaseOrder: number;
  /** What session info says of the server (`common.version` on Odoo). */
  readonly serverVersion: string;
  readonly serverVersionInfo: readonly unknown[];
}

/** The embedded demo data's ids (src/backends/embedded/demo/). */
const EMBEDDED: Fixtures = {
  uid: UID,
  azure: AZURE_INTERIOR,
  azureContact: 56,
  decoAddict: 10,
  gemini: 11,
  portalPartner: 13,
  saleOrder: 21,
  saleOrderLine: 1,
  lead: 1,
  products: [21, 16, 27],
  tags: [1, 2, 3, 4, 5],
  country: 1,
  purchaseOrder: 31,
  serverVersion: '17.0',
  serverVersionInfo: [17, 0, 0, 'final', 0, ''],
};

async function idOf(truth: GroundTruth, what: string, sql: string, ...params: unknown[]): Promise<number> {
  const row = (await truth.rows<{ id: number | null }>(sql, ...params))[0];
  if (!row || row.id === null) throw new Error(`no ${what} in the database (${sql})`);
  return row.id;
}

async function idsOf(truth: GroundTruth, what: string, n: number, sql: string): Promise<number[]> {
  const ids = (await truth.rows<{ id: number }>(sql)).map((r) => r.id);
  if (ids.length < n) throw new Error(`fewer than ${n} ${what} in the database (${sql})`);
  return ids;
}

/** The lookups both demo data sets answer the same way (by login, by name, the first of a kind). */
async function byName(truth: GroundTruth) {
  const user = (login: string) => idOf(truth, `user '${login}'`, `SELECT id FROM res_users WHERE login = ?`, login);
  const company = (name: string) =>
    idOf(
      truth,
      `company '${name}'`,
      `SELECT id FROM res_partner WHERE name = ? AND parent_id IS NULL AND is_company ORDER BY id LIMIT 1`,
      name,
    );
  return {
    uid: { admin: await user('admin'), demo: await user('demo'), portal: await user('portal') },
    azure: await company('Azure Interior'),
    decoAddict: await company('Deco Addict'),
    gemini: await company('Gemini Furniture'),
    portalPartner: await idOf(truth, 'portal partner', `SELECT partner_id AS id FROM res_users WHERE login = 'portal'`),
    saleOrderLine: await idOf(truth, 'sale order line', `SELECT id FROM sale_order_line ORDER BY id LIMIT 1`),
    lead: await idOf(truth, 'active lead', `SELECT id FROM crm_lead WHERE active ORDER BY id LIMIT 1`),
    tags: (await idsOf(truth, 'partner tags', 5, `SELECT id FROM res_partner_category ORDER BY id LIMIT 5`)) as unknown as Fixtures['tags'],
    country: await idOf(truth, 'country', `SELECT id FROM res_country ORDER BY id LIMIT 1`),
  };
}

export async function resolveFixtures(truth: GroundTruth): Promise<Fixtures> {
  const named = await byName(truth);
  if (!inFrontOfOdoo()) {
    const pinned = Object.fromEntries(
      Object.keys(named).map((k) => [
        k,
        k === 'uid' ? { admin: UID.admin, demo: UID.demo, portal: UID.portal } : EMBEDDED[k as keyof Fixtures],
      ]),
    );
    if (JSON.stringify(named) !== JSON.stringify(pinned)) {
      throw new Error(
        `the embedded demo data moved: lookups give ${JSON.stringify(named)}, the suite's fixed ids are ${JSON.stringify(pinned)}`,
      );
    }
    return EMBEDDED;
  }
  const odoo = odooTarget();
  const manager = (await truth.rows<{ id: number }>(`SELECT id FROM res_users WHERE login = 'manager'`))[0]?.id ?? 0;
  return {
    ...named,
    uid: { ...named.uid, manager },
    azureContact: await idOf(
      truth,
      'contact of Azure Interior',
      `SELECT id FROM res_partner WHERE parent_id = ? AND active ORDER BY id LIMIT 1`,
      named.azure,
    ),
    // A confirmed order: a quotation's `expected_date` is computed from the clock (now + lead time), so two
    // reads a second apart differ; a confirmed order's follows its order date.
    saleOrder: await idOf(
      truth,
      'confirmed sale order with lines',
      `SELECT l.order_id AS id FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id WHERE o.state = 'sale' GROUP BY l.order_id HAVING count(*) >= 2 ORDER BY l.order_id LIMIT 1`,
    ),
    // Odoo keeps product names and flags on product.template (product_template), not on product_product.
    products: (await idsOf(
      truth,
      'products to sell and buy',
      3,
      `SELECT p.id FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id WHERE p.active AND t.sale_ok AND t.purchase_ok ORDER BY p.id LIMIT 3`,
    )) as unknown as Fixtures['products'],
    purchaseOrder: await idOf(truth, 'purchase order', `SELECT id FROM purchase_order WHERE state != 'cancel' ORDER BY id LIMIT 1`),
    serverVersion: odoo.serverVersion,
    serverVersionInfo: odoo.serverVersionInfo,
  };
}

/**
 * A truth query whose tables differ between the embedded store and Odoo: Odoo keeps translatable names
 * as jsonb (`{"en_US": "Vendor"}`, read with `->>'en_US'`) and product names on product_template.
 */
export function schemaSql(sql: { readonly embedded: string; readonly odoo: string }): string {
  return inFrontOfOdoo() ? sql.odoo : sql.embedded;
}
