/**
 * Leads and sale orders over the scenario's partners, created the same way on every side, and random
 * domains over crm.lead and sale.order (through partner_id, stage_id, order_line and product_id paths).
 *
 * Sync-neutral as the partners are: what Odoo would compute on create is given explicitly (a lead's
 * probability and type, a line's description, unit price and discount, an order's validity date), a lead with a
 * partner has the partner's email (Odoo writes a lead's other email to its partner), products
 * are created without taxes on Odoo (the embedded store has none), and no stage is a won stage.
 * Leads are named `<marker>-L<n>`; orders carry `<marker>-O<n>` as client_order_ref (their name is a sequence).
 */
import { SeededRandom } from '../../../src/backends/embedded/demo/seeded-random.js';
import { DomainGenerator, type Leaf, type Model, type Ref, type Term, type Value } from './domains.js';
import { expectOk, type Side } from './http.js';
import type { Scenario, SideIds } from './partners.js';

export const STAGES = ['New', 'Qualified', 'Proposition'] as const;

export interface LeadSpec {
  readonly key: string;
  readonly name: string;
  readonly type: 'lead' | 'opportunity';
  readonly priority: '0' | '1' | '2' | '3';
  readonly partner: string | null;
  readonly stage: (typeof STAGES)[number];
  readonly expectedRevenue: number;
  readonly probability: number;
  readonly email: string | null;
  readonly deadline: string | null;
  readonly active: boolean;
}

export interface ProductSpec {
  readonly key: string;
  readonly name: string;
  readonly code: string | null;
  readonly price: number;
}

export interface LineSpec {
  readonly product: string;
  readonly name: string;
  readonly qty: number;
  readonly price: number;
  readonly discount: number;
}

export interface OrderSpec {
  readonly key: string;
  readonly ref: string;
  readonly partner: string;
  readonly origin: string | null;
  readonly validity: string | null;
  readonly state: 'draft' | 'sent' | 'cancel';
  readonly lines: readonly LineSpec[];
}

export interface Documents {
  readonly leads: readonly LeadSpec[];
  readonly products: readonly ProductSpec[];
  readonly orders: readonly OrderSpec[];
}

const LEAD_WORDS = ['Office chairs', 'Desk renewal', 'Cabinets', 'lamps', 'Conference_room', 'Storage 50%', 'Kitchen', 'Sofas'];
const PRODUCTS: ReadonlyArray<readonly [string, string | null, number]> = [
  ['Chair', 'CH', 55.5],
  ['Desk', 'DSK', 320],
  ['Lamp', null, 19.99],
  ['Cabinet', 'CAB', 140],
  ['desk pad', 'DP', 12.5],
];

export function buildDocuments(seed: number, scenario: Scenario): Documents {
  const random = new SeededRandom((seed * 7919 + 17) >>> 0);
  const { marker } = scenario;
  const partnerKeys = scenario.partners.map((p) => p.key);
  const products: ProductSpec[] = PRODUCTS.map(([name, code, price], i) => ({
    key: `P${i + 1}`,
    name: `${marker}-${name}`,
    code: code ? `${marker}-${code}` : null,
    price,
  }));
  const leads: LeadSpec[] = [];
  const emailOf = new Map(scenario.partners.map((p) => [p.key, p.email]));
  for (let i = 1; i <= 20; i++) {
    const partner = random.chance(0.8) ? random.pick(partnerKeys) : null;
    const ownEmail = random.chance(0.6) ? `buyer${random.int(1, 9)}@${random.pick(['azure', 'lumiere', 'example', 'bolt'])}.example` : null;
    leads.push({
      key: `L${i}`,
      name: `${marker}-${random.pick(LEAD_WORDS)} L${i}`,
      type: random.chance(0.3) ? 'lead' : 'opportunity',
      priority: random.pick(['0', '1', '2', '3'] as const),
      partner,
      stage: random.pick(STAGES),
      expectedRevenue: random.chance(0.15) ? 0 : random.int(1, 60) * 500,
      probability: random.pick([0, 10, 20, 33.5, 50, 75, 90]),
      // A lead's email is its partner's (Odoo's crm.lead _inverse_email_from writes a different one to the partner).
      email: partner ? emailOf.get(partner)! : ownEmail,
      deadline: random.chance(0.7)
        ? `2026-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`
        : null,
      active: !random.chance(0.15),
    });
  }
  const orders: OrderSpec[] = [];
  for (let i = 1; i <= 14; i++) {
    const lines: LineSpec[] = Array.from({ length: random.int(0, 3) }, (_, j) => {
      const product = random.pick(products);
      return {
        product: product.key,
        name: `${product.name.slice(marker.length + 1)} line ${j + 1}`,
        qty: random.pick([1, 2, 3, 5, 10, 0.5]),
        price: random.chance(0.7) ? product.price : random.int(5, 400),
        discount: random.chance(0.3) ? random.pick([5, 10, 12.5, 50]) : 0,
      };
    });
    orders.push({
      key: `O${i}`,
      ref: `${marker}-O${i}`,
      partner: random.pick(partnerKeys),
      origin: random.chance(0.4) ? random.pick(['Website', 'Phone', 'Fair 2026', 'website']) : null,
      validity: random.chance(0.7)
        ? `2026-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`
        : null,
      state: random.weighted<OrderSpec['state']>([
        ['draft', 6],
        ['sent', 3],
        ['cancel', 1],
      ]),
      lines,
    });
  }
  return { leads, products, orders };
}

/** Creates products, leads and orders on a side (after createScenario), filling `ids`. */
export async function createDocuments(side: Side, docs: Documents, ids: SideIds): Promise<void> {
  const stages = expectOk(side, await side.request('GET', `/api/crm_stage?fields=name&limit=100`), 'list stages');
  for (const stage of stages.results as { id: number; name: string }[]) if (!ids.stage.has(stage.name)) ids.stage.set(stage.name, stage.id);
  const odoo = side.name !== 'embedded';
  for (const p of docs.products) {
    const body = { name: p.name, default_code: p.code ?? false, list_price: p.price, ...(odoo ? { taxes_id: [] } : {}) };
    ids.product.set(
      p.key,
      expectOk(side, await side.request('POST', '/api/product_product?fields=id', body), `create product ${p.name}`, 201).id,
    );
  }
  for (const l of docs.leads) {
    const body = {
      name: l.name,
      type: l.type,
      priority: l.priority,
      partner_id: l.partner ? ids.partner.get(l.partner)! : false,
      stage_id: ids.stage.get(l.stage)!,
      expected_revenue: l.expectedRevenue,
      probability: l.probability,
      email_from: l.email,
      date_deadline: l.deadline ?? false,
      active: l.active,
    };
    ids.lead.set(l.key, expectOk(side, await side.request('POST', '/api/crm_lead?fields=id', body), `create lead ${l.name}`, 201).id);
  }
  for (const o of docs.orders) {
    const body = {
      partner_id: ids.partner.get(o.partner)!,
      client_order_ref: o.ref,
      origin: o.origin ?? false,
      validity_date: o.validity ?? false,
      order_line: o.lines.map((line) => [
        0,
        0,
        {
          product_id: ids.product.get(line.product)!,
          name: line.name,
          product_uom_qty: line.qty,
          price_unit: line.price,
          discount: line.discount,
        },
      ]),
    };
    const id = expectOk(side, await side.request('POST', '/api/sale_order?fields=id', body), `create order ${o.ref}`, 201).id;
    ids.order.set(o.key, id);
    if (o.state !== 'draft')
      expectOk(side, await side.request('PUT', `/api/sale_order/${id}?fields=id`, { state: o.state }), `order ${o.ref} to ${o.state}`);
  }
}

export async function deleteDocuments(side: Side, docs: Documents, ids: SideIds): Promise<string[]> {
  const failures: string[] = [];
  const remove = async (model: string, id: number | undefined, what: string) => {
    if (id === undefined) return;
    const answer = await side.request('DELETE', `/api/${model}/${id}`);
    if (answer.status !== 200 && answer.status !== 404)
      failures.push(`${model} ${id} (${what}): ${answer.status} ${answer.text.slice(0, 160)}`);
  };
  for (const o of docs.orders) {
    const id = ids.order.get(o.key);
    if (id !== undefined && o.state === 'sent') await side.request('PUT', `/api/sale_order/${id}`, { state: 'cancel' });
    await remove('sale_order', id, o.ref);
  }
  for (const l of docs.leads) await remove('crm_lead', ids.lead.get(l.key), l.name);
  for (const p of docs.products) await remove('product_product', ids.product.get(p.key), p.name);
  return failures;
}

/** Random domains over crm.lead and sale.order; partner leaves come from the partner generator. */
export class DocumentDomainGenerator extends DomainGenerator {
  readonly #docs: Documents;

  constructor(seed: number, scenario: Scenario, docs: Documents) {
    super((seed * 31 + 5) >>> 0, scenario);
    this.#docs = docs;
  }

  domainFor(model: 'crm.lead' | 'sale.order'): Term[] {
    const terms = this.expr(model, 0, 3);
    if (this.random.chance(0.15)) terms.push(...this.expr(model, 1, 3));
    return terms;
  }

  protected override leaf(model: Model, depth: number): Leaf {
    switch (model) {
      case 'crm.lead':
        return this.#leadLeaf(depth);
      case 'sale.order':
        return this.#orderLeaf(depth);
      case 'sale.order.line':
        return this.#lineLeaf();
      case 'crm.stage':
        return this.#stageLeaf();
      case 'product.product':
        return this.#productLeaf();
      default:
        return super.leaf(model, depth);
    }
  }

  /** A number leaf: a value of the pool, a nearby one, False; with every comparison operator. */
  #numberLeaf(path: string, values: readonly number[]): Leaf {
    const random = this.random;
    const operator = random.weighted<string>([
      ['=', 3],
      ['!=', 3],
      ['<', 3],
      ['>', 3],
      ['<=', 2],
      ['>=', 2],
      ['in', 2],
      ['not in', 2],
      ['=?', 1],
    ]);
    const value = () => (random.chance(0.7) ? this.pick(values) : this.pick(values) + this.pick([-1, 0.5, 1]));
    if (operator === 'in' || operator === 'not in') {
      const list: Value[] = Array.from({ length: random.int(1, 3) }, value);
      if (random.chance(0.2)) list.push(false);
      return [path, operator, list];
    }
    return [path, operator, random.chance(0.08) ? false : value()];
  }

  #dateLeaf(path: string, values: readonly string[]): Leaf {
    const random = this.random;
    const operator = random.weighted<string>([
      ['=', 2],
      ['!=', 2],
      ['<', 3],
      ['>', 3],
      ['<=', 2],
      ['>=', 2],
      ['in', 1],
      ['=?', 1],
    ]);
    if (operator === 'in') return [path, operator, [this.pick(values), ...(random.chance(0.3) ? [false] : [])]];
    return [path, operator, random.chance(0.15) ? false : this.pick(values)];
  }

  #stageRef(): Ref {
    return { $ref: 'stage', key: this.pick(STAGES) };
  }

  #leadLeaf(depth: number): Leaf {
    const random = this.random;
    const leads = this.#docs.leads;
    const family = random.weighted<string>([
      ['name', 4],
      ['email', 3],
      ['type', 3],
      ['priority', 3],
      ['revenue', 4],
      ['probability', 3],
      ['deadline', 3],
      ['active', 3],
      ['partner', 8],
      ['stage', 5],
      ['dotted', 10],
      ['any', depth < 3 ? 4 : 0],
    ]);
    switch (family) {
      case 'name': {
        const names = leads.map((l) => l.name);
        return this.charLeaf('name', names, names);
      }
      case 'email': {
        const emails = leads.map((l) => l.email).filter((e): e is string => e !== null);
        return this.charLeaf('email_from', emails, emails);
      }
      case 'type':
        return this.selectionLeaf('type', ['lead', 'opportunity']);
      case 'priority':
        return this.selectionLeaf('priority', ['0', '1', '2', '3']);
      case 'revenue':
        return this.#numberLeaf(
          'expected_revenue',
          leads.map((l) => l.expectedRevenue),
        );
      case 'probability':
        return this.#numberLeaf(
          'probability',
          leads.map((l) => l.probability),
        );
      case 'deadline':
        return this.#dateLeaf(
          'date_deadline',
          leads.map((l) => l.deadline).filter((d): d is string => d !== null),
        );
      case 'active':
        return this.booleanLeaf('active');
      case 'partner':
        return this.partnerMany2one('partner_id');
      case 'stage': {
        const operator = random.weighted<string>([
          ['=', 3],
          ['!=', 2],
          ['in', 3],
          ['not in', 2],
          ['ilike', 2],
          ['not ilike', 1],
          ['=', 1],
        ]);
        if (operator === 'in' || operator === 'not in')
          return ['stage_id', operator, random.chance(0.3) ? [this.pick(STAGES)] : [this.#stageRef(), this.#stageRef()]];
        if (operator.includes('ilike')) return ['stage_id', operator, this.pick(STAGES).slice(0, 4).toLowerCase()];
        return ['stage_id', operator, random.chance(0.2) ? false : random.chance(0.3) ? this.pick(STAGES) : this.#stageRef()];
      }
      case 'dotted': {
        const path = random.weighted<string>([
          ['partner_id', 6],
          ['stage_id', 3],
        ]);
        const inner = path === 'partner_id' ? this.#partnerPathLeaf(depth) : this.#stageLeaf();
        return [`${path}.${inner[0]}`, inner[1], inner[2]];
      }
      default: {
        const [field, comodel] = this.pick<[string, Model]>([
          ['partner_id', 'res.partner'],
          ['stage_id', 'crm.stage'],
        ]);
        return [field, random.chance(0.5) ? 'any' : 'not any', this.subdomain(comodel, depth)];
      }
    }
  }

  /** A partner leaf to put behind `partner_id.` (scalar or one step further). */
  #partnerPathLeaf(depth: number): Leaf {
    for (;;) {
      const leaf = this.partnerLeaf(depth + 1);
      if (leaf[1] !== 'any' && leaf[1] !== 'not any') return leaf;
    }
  }

  #stageLeaf(): Leaf {
    const random = this.random;
    const family = random.weighted<string>([
      ['name', 4],
      ['sequence', 2],
      ['is_won', 1],
      ['fold', 1],
    ]);
    switch (family) {
      case 'sequence':
        return this.#numberLeaf('sequence', [1, 2, 3]);
      case 'is_won':
        return this.booleanLeaf('is_won');
      case 'fold':
        return this.booleanLeaf('fold');
      default:
        return this.charLeaf('name', STAGES, STAGES);
    }
  }

  #productLeaf(): Leaf {
    const random = this.random;
    const products = this.#docs.products;
    const family = random.weighted<string>([
      ['name', 4],
      ['code', 3],
      ['price', 2],
    ]);
    if (family === 'price')
      return this.#numberLeaf(
        'list_price',
        products.map((p) => p.price),
      );
    if (family === 'code') {
      const codes = products.map((p) => p.code).filter((c): c is string => c !== null);
      return this.charLeaf('default_code', codes, codes);
    }
    const names = products.map((p) => p.name);
    return this.charLeaf('name', names, names);
  }

  #productRef(): Ref {
    return { $ref: 'product', key: this.pick(this.#docs.products).key };
  }

  #lineLeaf(): Leaf {
    const random = this.random;
    const lines = this.#docs.orders.flatMap((o) => o.lines);
    const family = random.weighted<string>([
      ['product', 4],
      ['product path', 3],
      ['qty', 2],
      ['price', 3],
      ['discount', 2],
      ['subtotal', 2],
      ['name', 2],
    ]);
    switch (family) {
      case 'product': {
        const operator = random.weighted<string>([
          ['=', 3],
          ['!=', 2],
          ['in', 2],
          ['not in', 1],
          ['ilike', 3],
          ['not ilike', 1],
        ]);
        if (operator === 'in' || operator === 'not in') return ['product_id', operator, [this.#productRef(), this.#productRef()]];
        if (operator.includes('ilike')) {
          const product = this.pick(this.#docs.products);
          return ['product_id', operator, random.chance(0.5) && product.code ? product.code.slice(-3) : product.name.slice(-5)];
        }
        return ['product_id', operator, this.#productRef()];
      }
      case 'product path': {
        const inner = this.#productLeaf();
        return [`product_id.${inner[0]}`, inner[1], inner[2]];
      }
      case 'qty':
        return this.#numberLeaf(
          'product_uom_qty',
          lines.map((l) => l.qty),
        );
      case 'price':
        return this.#numberLeaf(
          'price_unit',
          lines.map((l) => l.price),
        );
      case 'discount':
        return this.#numberLeaf(
          'discount',
          lines.map((l) => l.discount),
        );
      case 'subtotal':
        return this.#numberLeaf(
          'price_subtotal',
          lines.map((l) => Math.round(l.qty * l.price * (1 - l.discount / 100) * 100) / 100),
        );
      default: {
        const names = lines.map((l) => l.name);
        return this.charLeaf('name', names, names);
      }
    }
  }

  #orderLeaf(depth: number): Leaf {
    const random = this.random;
    const orders = this.#docs.orders;
    const totals = orders.map(
      (o) => Math.round(o.lines.reduce((sum, l) => sum + Math.round(l.qty * l.price * (1 - l.discount / 100) * 100) / 100, 0) * 100) / 100,
    );
    const family = random.weighted<string>([
      ['ref', 3],
      ['origin', 3],
      ['state', 3],
      ['amount', 4],
      ['validity', 3],
      ['partner', 6],
      ['lines', 5],
      ['line path', 8],
      ['partner path', 6],
      ['any', depth < 3 ? 4 : 0],
    ]);
    switch (family) {
      case 'ref': {
        const refs = orders.map((o) => o.ref);
        return this.charLeaf('client_order_ref', refs, refs);
      }
      case 'origin': {
        const origins = orders.map((o) => o.origin).filter((o): o is string => o !== null);
        return this.charLeaf('origin', origins, origins);
      }
      case 'state':
        return this.selectionLeaf('state', ['draft', 'sent', 'cancel', 'sale']);
      case 'amount':
        return this.#numberLeaf(random.chance(0.5) ? 'amount_total' : 'amount_untaxed', totals);
      case 'validity':
        return this.#dateLeaf(
          'validity_date',
          orders.map((o) => o.validity).filter((d): d is string => d !== null),
        );
      case 'partner':
        return this.partnerMany2one('partner_id');
      case 'lines':
        return [
          'order_line',
          random.weighted<string>([
            ['=', 2],
            ['!=', 2],
          ]),
          false,
        ];
      case 'line path': {
        const inner = this.#lineLeaf();
        return [`order_line.${inner[0]}`, inner[1], inner[2]];
      }
      case 'partner path': {
        const inner = this.#partnerPathLeaf(depth);
        return [`partner_id.${inner[0]}`, inner[1], inner[2]];
      }
      default: {
        const [field, comodel] = this.pick<[string, Model]>([
          ['partner_id', 'res.partner'],
          ['order_line', 'sale.order.line'],
        ]);
        return [field, random.chance(0.5) ? 'any' : 'not any', this.subdomain(comodel, depth)];
      }
    }
  }
}
