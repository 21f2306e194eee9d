/**
 * Differential test, part 2 (issue 14): writes and what reads back after them, on the embedded store and on
 * a real Odoo 17 (the lab's reference REST gateway), and through BACKEND=odoo in front of the same Odoo.
 *
 *   source ~/odoo-lab/live.env && npx vitest run test/fidelity/writes.test.ts
 *
 * The same sequence of REST requests (as admin) runs on each side, each side with its own marker in names;
 * after each step the records it concerns are read back with explicit field lists and compared field by
 * field with what Odoo's gateway read back. Values are normalised so that what differs by nature does not
 * count: the side's marker in names becomes `M`; a many2one is compared by its name (the administrator and
 * his company as `<admin>` and `<company>`, whose names differ between the two demo databases); an x2many by
 * the sorted names of what it holds; floats to cents.
 *
 * Excluded, by nature: ids (every reference is compared by name), create/write dates and uids,
 * sale.order name (a sequence number) and date_order (now), crm.lead probability (Odoo's predictive lead
 * scoring, from each database's won/lost statistics). Not compared because the embedded store has no
 * such field (they exist in Odoo): res.partner street2, state_id, company_name, commercial_company_name, lang;
 * sale.order partner_invoice_id, partner_shipping_id, pricelist_id; sale.order.line product_uom, tax_id;
 * product taxes (the product is created without taxes on Odoo, so totals are comparable).
 * The lab's records are deleted at the end.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithLab, embeddedSide, facadeSide, odooSide, runMarker, type Side } from './support/sides.js';

type Model = 'res_partner' | 'sale_order' | 'sale_order_line' | 'crm_lead' | 'res_partner_category' | 'product_product';

const FIELDS: Readonly<Record<string, string>> = {
  res_partner:
    'name,display_name,complete_name,is_company,type,parent_id,commercial_partner_id,child_ids,street,city,zip,country_id,email,phone,vat,function,ref,category_id,active,company_id,user_id',
  sale_order: 'partner_id,state,user_id,company_id,order_line,amount_untaxed,amount_total,client_order_ref,origin,validity_date,note',
  sale_order_line: 'product_id,name,product_uom_qty,price_unit,discount,price_subtotal,sequence',
  // Not probability: Odoo's predictive lead scoring (crm.lead _compute_probabilities) computes it from the won/lost
  // statistics of each database, so two databases differ by nature.
  crm_lead:
    'name,type,stage_id,priority,active,user_id,company_id,partner_id,contact_name,email_from,phone,expected_revenue,prorated_revenue,date_deadline',
};

/** A record read back after a step, normalised; or the error a step's request answered. */
type Snapshot = Record<string, unknown>;
/** Step name -> record label -> snapshot. */
type Run = Map<string, Map<string, Snapshot>>;

const STEPS = [
  'W1 a contact created under a company takes the company address; an invoice/delivery address keeps its own',
  "W2 a company without address takes its first contact's address; the next contact takes the company's",
  "W3 a company's address change is pushed down to its contacts (not to other address types, not to contacts of contacts)",
  'W4 a contact of a contact is named after the commercial company, and follows a rename of the company',
  'W5 the commercial fields (vat) follow the commercial partner: on create, on a change of the company, on a change of parent',
  'W6 x2many commands on partner tags and children (link, unlink, set, clear, create, update, plain id list)',
  'W7 a sale order line created with only a product takes its price and description from the product',
  'W8 order line commands: update, create, delete; a new quantity on a line',
  'W9 defaults of a new partner, lead and sale order',
  "W10 a lead's email and phone follow its customer, and a lead's own email is written to the customer",
];

describeWithLab('fidelity: writes and their read-back, embedded store vs Odoo 17', STEPS, (env) => {
  const sides: Side[] = [];
  const runs = new Map<string, Run>();
  const cleanups: Array<() => Promise<string[]>> = [];

  /** Runs the whole sequence on a side, recording the read-backs of each step. */
  async function scenario(side: Side): Promise<Run> {
    const marker = `${runMarker(14)}-${side.name.slice(0, 1).toUpperCase()}`;
    const run: Run = new Map();
    const created: Array<[Model, number]> = [];
    const label = new Map<string, string>(); // `${model}:${id}` -> label
    const normalise = (text: string) => text.replaceAll(marker, 'M');
    const request = async (method: string, path: string, body?: unknown) => side.request(method, path, body);
    const country = new Map<string, number>();
    {
      const answer = await request(
        'GET',
        `/api/res_country?fields=code&limit=50&domain=${encodeURIComponent("[('code', 'in', ['BE', 'FR', 'US'])]")}`,
      );
      for (const r of answer.body.results) country.set(r.code, r.id);
    }
    const admin = (await request('GET', `/api/res_users?fields=name,company_id&domain=${encodeURIComponent("[('login', '=', 'admin')]")}`))
      .body.results[0];
    const create = async (model: Model, name: string, values: Record<string, unknown>): Promise<number> => {
      const answer = await request('POST', `/api/${model}?fields=id`, values);
      if (answer.status !== 201)
        throw new Error(`${side.name}: create ${model} ${name} answered ${answer.status} ${answer.text.slice(0, 300)}`);
      created.push([model, answer.body.id]);
      label.set(`${model}:${answer.body.id}`, name);
      return answer.body.id;
    };
    const write = async (model: Model, id: number, values: Record<string, unknown>): Promise<string | null> => {
      const answer = await request('PUT', `/api/${model}/${id}?fields=id`, values);
      return answer.status === 200 ? null : `${answer.status} ${String(answer.body?.error ?? answer.text).slice(0, 200)}`;
    };
    const value = (field: string, v: unknown, comodel: string | undefined): unknown => {
      if (v && typeof v === 'object' && !Array.isArray(v) && 'id' in v) {
        const ref = v as { id: number; name: string };
        if (field === 'user_id' && ref.id === admin.id) return '<admin>';
        if (field === 'company_id' && ref.id === admin.company_id?.id) return '<company>';
        return normalise(String(ref.name));
      }
      if (Array.isArray(v))
        return v
          .map((id) => label.get(`${comodel}:${id}`) ?? '<other>')
          .map(normalise)
          .sort();
      if (typeof v === 'number' && !Number.isInteger(v)) return Math.round(v * 100) / 100;
      if (typeof v === 'string') return normalise(v);
      return v;
    };
    const COMODEL: Record<string, string> = {
      child_ids: 'res_partner',
      category_id: 'res_partner_category',
      order_line: 'sale_order_line',
    };
    const read = async (model: Model, id: number): Promise<Snapshot> => {
      const answer = await request('GET', `/api/${model}/${id}?fields=${FIELDS[model]}`);
      if (answer.status !== 200) return { error: `${answer.status} ${String(answer.body?.error ?? answer.text).slice(0, 200)}` };
      const out: Snapshot = {};
      for (const field of FIELDS[model]!.split(',')) out[field] = value(field, answer.body[field], COMODEL[field]);
      return out;
    };
    const snapshot = async (step: string, records: Array<[string, Model, number]>, errors: Record<string, string | null> = {}) => {
      const map = new Map<string, Snapshot>();
      for (const [name, model, id] of records) map.set(name, await read(model, id));
      for (const [what, error] of Object.entries(errors)) if (error) map.set(`request ${what}`, { error });
      run.set(step, map);
    };
    const P = (name: string) => `${marker}-${name}`;
    const address = (street: string, city: string, zip: string, code: string) => ({
      street,
      city,
      zip,
      country_id: { id: country.get(code)! },
    });

    cleanups.push(async () => {
      if (side.name === 'embedded') return [];
      const failures: string[] = [];
      for (const [model, id] of [...created].reverse()) {
        if (model === 'sale_order_line') continue;
        if (model === 'sale_order') await request('PUT', `/api/sale_order/${id}`, { state: 'cancel' });
        const answer = await request('DELETE', `/api/${model}/${id}`);
        if (answer.status !== 200 && answer.status !== 404)
          failures.push(`${side.name} ${model} ${id}: ${answer.status} ${answer.text.slice(0, 150)}`);
      }
      return failures;
    });

    // W1
    const acme = await create('res_partner', 'M-Acme', {
      name: P('Acme'),
      is_company: true,
      ...address('Rue Haute 1', 'Brussels', '1000', 'BE'),
      vat: 'BE0477472701',
      email: 'info@acme.example',
      phone: '+32 2 111 11 11',
    });
    const alice = await create('res_partner', 'M-Alice', { name: P('Alice'), parent_id: { id: acme }, email: 'alice@acme.example' });
    const bob = await create('res_partner', 'M-Bob', { name: P('Bob'), parent_id: acme, ...address('Own street 5', 'Gent', '9000', 'FR') });
    const depot = await create('res_partner', 'M-Depot', {
      name: P('Depot'),
      parent_id: acme,
      type: 'delivery',
      ...address('Dock 3', 'Antwerp', '2000', 'BE'),
    });
    const billing = await create('res_partner', 'M-Billing', { parent_id: acme, type: 'invoice' });
    await snapshot(STEPS[0]!, [
      ['M-Acme', 'res_partner', acme],
      ['M-Alice', 'res_partner', alice],
      ['M-Bob', 'res_partner', bob],
      ['M-Depot', 'res_partner', depot],
      ['M-Billing', 'res_partner', billing],
    ]);

    // W2
    const nowhere = await create('res_partner', 'M-Nowhere', { name: P('Nowhere'), is_company: true });
    const carol = await create('res_partner', 'M-Carol', {
      name: P('Carol'),
      parent_id: nowhere,
      ...address('Carol street 7', 'Lyon', '69000', 'FR'),
    });
    const dan = await create('res_partner', 'M-Dan', {
      name: P('Dan'),
      parent_id: nowhere,
      ...address('Dan street 8', 'Paris', '75000', 'FR'),
    });
    const loner = await create('res_partner', 'M-Loner', { name: P('Loner') });
    const lonerKid = await create('res_partner', 'M-LonerKid', {
      name: P('LonerKid'),
      parent_id: loner,
      ...address('Kid lane 1', 'Austin', '73301', 'US'),
    });
    await snapshot(STEPS[1]!, [
      ['M-Nowhere', 'res_partner', nowhere],
      ['M-Carol', 'res_partner', carol],
      ['M-Dan', 'res_partner', dan],
      ['M-Loner', 'res_partner', loner],
      ['M-LonerKid', 'res_partner', lonerKid],
    ]);

    // W3 (Gina, a contact of Alice, is created first: she copies Alice's address, i.e. Acme's)
    const gina = await create('res_partner', 'M-Gina', { name: P('Gina'), parent_id: alice });
    const w3 = await write('res_partner', acme, { street: 'New street 99', city: 'Liège', zip: '4000' });
    await snapshot(
      STEPS[2]!,
      [
        ['M-Acme', 'res_partner', acme],
        ['M-Alice', 'res_partner', alice],
        ['M-Bob', 'res_partner', bob],
        ['M-Depot', 'res_partner', depot],
        ['M-Gina', 'res_partner', gina],
      ],
      { 'PUT Acme address': w3 },
    );

    // W4
    const w4 = await write('res_partner', acme, { name: P('Acme Renamed') });
    label.set(`res_partner:${acme}`, 'M-Acme Renamed');
    await snapshot(
      STEPS[3]!,
      [
        ['M-Alice', 'res_partner', alice],
        ['M-Gina', 'res_partner', gina],
        ['M-Billing', 'res_partner', billing],
        ['M-LonerKid', 'res_partner', lonerKid],
      ],
      { 'PUT Acme name': w4 },
    );

    // W5
    const w5a = await write('res_partner', acme, { vat: 'BE0999999999' });
    const w5b = await write('res_partner', bob, { parent_id: nowhere });
    await snapshot(
      STEPS[4]!,
      [
        ['M-Alice', 'res_partner', alice],
        ['M-Gina', 'res_partner', gina],
        ['M-Depot', 'res_partner', depot],
        ['M-Bob', 'res_partner', bob],
      ],
      { 'PUT Acme vat': w5a, 'PUT Bob parent': w5b },
    );

    // W6
    const tags: number[] = [];
    for (const name of ['T1', 'T2', 'T3']) tags.push(await create('res_partner_category', `M-${name}`, { name: P(name) }));
    const [t1, t2, t3] = tags as [number, number, number];
    const tagSteps: Array<[string, unknown]> = [
      [
        'link T1 T2',
        [
          [4, t1],
          [4, t2],
        ],
      ],
      ['unlink T1', [[3, t1]]],
      ['set T3', [[6, 0, [t3]]]],
      ['clear', [[5]]],
      ['plain list T1 T3', [t1, t3]],
    ];
    const tagReads: Array<[string, Model, number]> = [];
    const tagErrors: Record<string, string | null> = {};
    for (const [what, commands] of tagSteps) {
      tagErrors[what] = await write('res_partner', dan, { category_id: commands });
      const snap = await read('res_partner', dan);
      (run.get('tags') ?? run.set('tags', new Map()).get('tags')!).set(`M-Dan after ${what}`, { category_id: snap.category_id });
    }
    const w6 = await write('res_partner', nowhere, {
      child_ids: [
        [0, 0, { name: P('Eve') }],
        [1, carol, { function: 'CEO' }],
        [3, dan],
      ],
    });
    const eve = (await request('GET', `/api/res_partner?fields=id&domain=${encodeURIComponent(`[('name', '=', '${P('Eve')}')]`)}`)).body
      .results[0]?.id;
    if (eve) {
      created.push(['res_partner', eve]);
      label.set(`res_partner:${eve}`, 'M-Eve');
      tagReads.push(['M-Eve', 'res_partner', eve]);
    }
    await snapshot(
      STEPS[5]!,
      [['M-Nowhere', 'res_partner', nowhere], ['M-Carol', 'res_partner', carol], ['M-Dan', 'res_partner', dan], ...tagReads],
      { ...tagErrors, 'PUT Nowhere child_ids': w6 },
    );
    for (const [name, snap] of run.get('tags') ?? []) run.get(STEPS[5]!)!.set(name, snap);
    run.delete('tags');

    // W7
    const product = await create('product_product', 'M-Widget', {
      name: P('Widget'),
      default_code: `${marker}-W1`,
      list_price: 42.5,
      ...(side.name === 'embedded' ? {} : { taxes_id: [] }),
    });
    const order = await create('sale_order', 'M-Order', { partner_id: acme, order_line: [[0, 0, { product_id: product }]] });
    const lines = async () => {
      const answer = await request(
        'GET',
        `/api/sale_order_line?fields=id&order=sequence,id&domain=${encodeURIComponent(`[('order_id', '=', ${order})]`)}`,
      );
      return (answer.body.results as { id: number }[]).map((r) => r.id);
    };
    const [line1] = await lines();
    label.set(`sale_order_line:${line1}`, 'line 1');
    await snapshot(STEPS[6]!, [
      ['M-Order', 'sale_order', order],
      ['line 1', 'sale_order_line', line1!],
    ]);

    // W8
    const w8a = await write('sale_order', order, {
      order_line: [
        [0, 0, { product_id: product, price_unit: 10, product_uom_qty: 2 }],
        [0, 0, { product_id: product, product_uom_qty: 1, discount: 10 }],
      ],
    });
    const [, line2, line3] = await lines();
    label.set(`sale_order_line:${line2}`, 'line 2');
    label.set(`sale_order_line:${line3}`, 'line 3');
    const w8b = await write('sale_order', order, {
      order_line: [
        [1, line1, { product_uom_qty: 3 }],
        [2, line3],
      ],
    });
    const w8c = await write('sale_order_line', line2!, { product_uom_qty: 4 });
    await snapshot(
      STEPS[7]!,
      [
        ['M-Order', 'sale_order', order],
        ['line 1', 'sale_order_line', line1!],
        ['line 2', 'sale_order_line', line2!],
      ],
      {
        'PUT order: create 2 lines': w8a,
        'PUT order: update line 1, delete line 3': w8b,
        'PUT line 2 quantity': w8c,
      },
    );

    // W9
    const plain = await create('res_partner', 'M-Plain', { name: P('Plain') });
    const lead = await create('crm_lead', 'M-Lead', { name: P('Lead') });
    const bare = await create('sale_order', 'M-Bare order', { partner_id: plain });
    await snapshot(STEPS[8]!, [
      ['M-Plain', 'res_partner', plain],
      ['M-Lead', 'crm_lead', lead],
      ['M-Bare order', 'sale_order', bare],
    ]);

    // W10 (Odoo's crm.lead _compute_email_from / _compute_phone from the partner, _inverse_email_from to it)
    const fromAcme = await create('crm_lead', 'M-Lead Acme', { name: P('Lead Acme'), partner_id: acme });
    const ownEmail = await create('crm_lead', 'M-Lead Alice', {
      name: P('Lead Alice'),
      partner_id: alice,
      email_from: 'alice.new@acme.example',
    });
    await snapshot(STEPS[9]!, [
      ['M-Lead Acme', 'crm_lead', fromAcme],
      ['M-Lead Alice', 'crm_lead', ownEmail],
      ['M-Alice', 'res_partner', alice],
    ]);
    return run;
  }

  beforeAll(async () => {
    sides.push(await embeddedSide(), odooSide(env), await facadeSide(env));
    for (const side of sides) runs.set(side.name, await scenario(side));
  }, 600_000);

  afterAll(async () => {
    const failures = (await Promise.all(cleanups.map((c) => c().catch((e: Error) => [e.message])))).flat();
    if (failures.length) console.warn(`fidelity writes: could not delete on the lab:\n  ${failures.join('\n  ')}`);
    for (const side of sides) await side.close();
  }, 300_000);

  /** `record.field: <side> x, odoo y` for every field where a side's read-back differs from Odoo's. */
  /**
   * docs/fidelity.md, "Differences from Odoo": a date defaulted from today (a quotation's `validity_date`) is
   * taken from the UTC date here, from the user's time zone in Odoo (Europe/Brussels for the lab's users),
   * so between midnight there and midnight UTC the two are a day apart. Only that exact shift is let through.
   */
  function isDocumentedTodayDifference(field: string, ours: unknown, odoo: unknown): boolean {
    if (field !== 'validity_date' || typeof ours !== 'string' || typeof odoo !== 'string') return false;
    const now = new Date();
    const utcToday = now.toISOString().slice(0, 10);
    const userToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(now);
    if (utcToday === userToday) return false;
    const shift = Date.parse(`${userToday}T00:00:00Z`) - Date.parse(`${utcToday}T00:00:00Z`);
    return new Date(Date.parse(`${ours}T00:00:00Z`) + shift).toISOString().slice(0, 10) === odoo;
  }

  function differences(step: string, side: string): string[] {
    const mine = runs.get(side)!.get(step)!;
    const theirs = runs.get('odoo')!.get(step)!;
    const out: string[] = [];
    for (const name of new Set([...theirs.keys(), ...mine.keys()])) {
      const a = mine.get(name) ?? { missing: true };
      const b = theirs.get(name) ?? { missing: true };
      for (const field of new Set([...Object.keys(b), ...Object.keys(a)])) {
        if (side === 'embedded' && isDocumentedTodayDifference(field, a[field], b[field])) continue;
        if (JSON.stringify(a[field]) !== JSON.stringify(b[field]))
          out.push(`${name}.${field}: ${side} ${JSON.stringify(a[field])}, odoo ${JSON.stringify(b[field])}`);
      }
    }
    return out;
  }

  for (const step of STEPS) {
    it(step, () => {
      const embedded = differences(step, 'embedded');
      const facade = differences(step, 'facade');
      if (embedded.length || facade.length) console.info(`${step.split(' ')[0]} differences:\n  ${[...embedded, ...facade].join('\n  ')}`);
      expect({ embedded, facade }).toEqual({ embedded: [], facade: [] });
    });
  }
});
