/**
 * The demo data of a new embedded database: Odoo-like companies, users, contacts, products, leads, sales,
 * purchases and transfers, in the spirit of Odoo 17's own demo data.
 *
 * Deterministic: every choice comes from a PRNG with a fixed seed and every date from a fixed base date
 * (./demo-dates.ts), and records are created in a fixed order, so ids are the same on every machine. The ids
 * promised below (DEMO_USERS, DEMO_PARTNERS) are checked while seeding.
 */
import { knownTranslations } from '../i18n/packs.js';
import { SEQUENCES } from '../models/sequences.js';
import { GROUPS, withImpliedGroups, type GroupXmlId } from '../security/groups.js';
import { demoDate, demoDateTime } from './demo-dates.js';
import {
  CATEGORIES,
  COMPANIES,
  COUNTRIES,
  FIRST_NAMES,
  JOB_TITLES,
  LAST_NAMES,
  LEAD_TITLES,
  PRODUCTS,
  STAGES,
  STREETS,
  type CategoryName,
  type CompanySpec,
  type ProductSpec,
  type StageSpec,
} from './demo-tables.js';
import type { DemoWriter } from './demo-writer.js';
import { SeededRandom } from './seeded-random.js';

const SEED = 20260105;

/** The two companies of the demo database (`res.company` ids). */
export const SAN_FRANCISCO = 1;
export const CHICAGO = 2;

/** Partners with fixed ids. The staff partners are their users' partners (see DEMO_USERS). */
export const DEMO_PARTNERS = {
  sanFrancisco: 1,
  odooBot: 2,
  mitchellAdmin: 3,
  chicago: 4,
  marcDemo: 5,
  bethEvans: 6,
  audreyPeterson: 7,
  jeffreyKelly: 8,
  woodCorner: 9,
  decoAddict: 10,
  geminiFurniture: 11,
  azureInterior: 12,
  /** The portal user's partner, a contact of Deco Addict. */
  joelWillis: 13,
} as const;

export interface DemoUser {
  readonly id: number;
  readonly login: string;
  /** Every demo user's password is its login. */
  readonly password: string;
  readonly name: string;
  readonly email: string;
  readonly partnerId: number;
  /** Groups as assigned; the user also gets every group they imply (stored in `groups_id`, as Odoo does). */
  readonly groups: readonly GroupXmlId[];
  /** The current company, and every company the user may switch to. */
  readonly companyId: number;
  readonly companyIds: readonly number[];
  readonly active: boolean;
  /** A portal user (Odoo's `share`), not an employee. */
  readonly share: boolean;
}

const MANAGER_GROUPS: readonly GroupXmlId[] = [
  'base.group_system',
  'base.group_partner_manager',
  'base.group_multi_company',
  'sales_team.group_sale_manager',
  'stock.group_stock_manager',
  'purchase.group_purchase_manager',
];

function demoUser(user: Omit<DemoUser, 'password' | 'active' | 'share'> & Partial<Pick<DemoUser, 'active' | 'share'>>): DemoUser {
  return { password: user.login, active: true, share: false, ...user };
}

/** The users, in creation order, so that ids 1-5 are Odoo's root, admin, and then demo, manager, portal. */
/** The time zone of the demo employees (Odoo's demo data: `Europe/Brussels`). */
const DEMO_TIME_ZONE = 'Europe/Brussels';

export const DEMO_USERS: readonly DemoUser[] = [
  demoUser({
    id: 1,
    login: '__system__',
    name: 'OdooBot',
    email: 'odoobot@example.com',
    partnerId: DEMO_PARTNERS.odooBot,
    groups: MANAGER_GROUPS,
    companyId: SAN_FRANCISCO,
    companyIds: [SAN_FRANCISCO, CHICAGO],
    active: false,
  }),
  demoUser({
    id: 2,
    login: 'admin',
    name: 'Mitchell Admin',
    email: 'admin@yourcompany.example.com',
    partnerId: DEMO_PARTNERS.mitchellAdmin,
    groups: MANAGER_GROUPS,
    companyId: SAN_FRANCISCO,
    companyIds: [SAN_FRANCISCO, CHICAGO],
  }),
  demoUser({
    id: 3,
    login: 'demo',
    name: 'Marc Demo',
    email: 'mark.brown23@example.com',
    partnerId: DEMO_PARTNERS.marcDemo,
    // As Odoo's demo user (base/data/res_users_demo.xml): Contact Creation too, so he may delete contacts and tags.
    // Multi Companies and both companies too (stock/data/stock_demo.xml), though his documents are all in San Francisco.
    groups: [
      'sales_team.group_sale_salesman',
      'stock.group_stock_user',
      'purchase.group_purchase_user',
      'base.group_partner_manager',
      'base.group_multi_company',
    ],
    companyId: SAN_FRANCISCO,
    companyIds: [SAN_FRANCISCO, CHICAGO],
  }),
  demoUser({
    id: 4,
    login: 'manager',
    name: 'Beth Evans',
    email: 'beth.evans77@example.com',
    partnerId: DEMO_PARTNERS.bethEvans,
    groups: ['sales_team.group_sale_manager'],
    companyId: SAN_FRANCISCO,
    companyIds: [SAN_FRANCISCO],
  }),
  demoUser({
    id: 5,
    login: 'portal',
    name: 'Joel Willis',
    email: 'joel.willis63@example.com',
    partnerId: DEMO_PARTNERS.joelWillis,
    groups: ['base.group_portal'],
    companyId: SAN_FRANCISCO,
    companyIds: [SAN_FRANCISCO],
    share: true,
  }),
  demoUser({
    id: 6,
    login: 'salesman2',
    name: 'Audrey Peterson',
    email: 'audrey.peterson25@example.com',
    partnerId: DEMO_PARTNERS.audreyPeterson,
    groups: ['sales_team.group_sale_salesman'],
    companyId: SAN_FRANCISCO,
    companyIds: [SAN_FRANCISCO],
  }),
  demoUser({
    id: 7,
    login: 'salesman3',
    name: 'Jeffrey Kelly',
    email: 'jeffrey.kelly72@example.com',
    partnerId: DEMO_PARTNERS.jeffreyKelly,
    groups: ['sales_team.group_sale_salesman_all_leads'],
    companyId: CHICAGO,
    companyIds: [CHICAGO],
  }),
];

/** Customer companies created before the users, with fixed ids (COMPANIES' first rows). */
const KNOWN_CUSTOMERS = 4;
const INDIVIDUAL_CUSTOMERS = 8;
/** How many documents of each kind the demo data creates (sale orders and purchases by state). */
const LEAD_COUNT = 150;
const SALE_ORDER_STATES = { draft: 60, sent: 36, sale: 108, cancel: 36 } as const;
const PURCHASE_ORDER_STATES = { draft: 14, sent: 8, 'to approve': 6, purchase: 26, done: 10, cancel: 8 } as const;
const PICKING_TYPES = ['incoming', 'outgoing', 'internal'] as const;
const PICKING_STATES = ['draft', 'waiting', 'confirmed', 'assigned', 'done', 'cancel'] as const;
/** Every picking type in every state, this many times (90 pickings, so picking 77 of mrm_rest_api's example 3 exists). */
const PICKINGS_PER_TYPE_AND_STATE = 5;
/** mrm_rest_api's documented example 4 deletes purchase order 31, "a draft": make that one a draft. */
const EXAMPLE_4_DRAFT_PURCHASE = 31;

/** Who sells (logins, null for nobody), with how many of the leads and orders each one gets, relatively. */
const SALESPEOPLE: ReadonlyArray<readonly [string | null, number]> = [
  ['admin', 20],
  ['demo', 28],
  ['manager', 14],
  ['salesman2', 14],
  ['salesman3', 12],
  [null, 12],
];
/** Who buys, for purchase orders and transfers. */
const BUYERS: ReadonlyArray<readonly [string | null, number]> = [
  ['admin', 40],
  ['demo', 40],
  [null, 20],
];

const NOTES: readonly string[] = [
  '<p>Delivery on the ground floor, loading dock at the back.</p>',
  '<p>Please call before delivering.</p>',
  '<p>Invoice to be sent to the accounting department.</p>',
  '<p>Customer asked for assembly on site.</p>',
];

/** A partner as the demo data remembers it, to pick customers, vendors and contacts from. */
interface DemoPartner {
  readonly id: number;
  readonly parentId: number | null;
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  /** `company_id`: null when shared by both companies. */
  readonly companyId: number | null;
  readonly isCompany: boolean;
  /** May be the customer of leads and orders (not the database's own companies and staff). */
  readonly customer: boolean;
  readonly vendor: boolean;
  readonly active: boolean;
}

interface PartnerInfo {
  readonly companyId: number | null;
  readonly customer?: boolean;
  readonly vendor?: boolean;
  readonly expectedId?: number;
}

interface DemoOrder {
  readonly id: number;
  readonly partner: DemoPartner;
  readonly companyId: number;
  readonly state: string;
}

type Values = Record<string, unknown>;

const CALLING_CODES: ReadonlyMap<string, number> = new Map(COUNTRIES.map(([code, , callingCode]) => [code, callingCode]));

/** Seeds a new database through `writer` (as the superuser, defaults and computes applied). */
export function seedDemoData(writer: DemoWriter): void {
  new DemoSeeder(writer, new SeededRandom(SEED)).run();
}

/** The reference an Nth document gets from its sequence (./models/sequences.ts) in a new database. */
function sequenceName(code: string, n: number): string {
  const { prefix, padding } = SEQUENCES[code]!;
  return `${prefix}${String(n).padStart(padding, '0')}`;
}

/** The email of the user whose partner this is. */
function userEmail(partnerId: number): string {
  return DEMO_USERS.find((user) => user.partnerId === partnerId)!.email;
}

/** `Atelier Lumière` → `atelierlumiere`, for email domains. */
function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

class DemoSeeder {
  readonly #groupIds = new Map<string, number>();
  readonly #countryIds = new Map<string, number>();
  readonly #categoryIds = new Map<CategoryName, number>();
  readonly #userIds = new Map<string, number>();
  readonly #partners: DemoPartner[] = [];
  readonly #usedNames = new Set<string>();
  readonly #products = new Map<ProductSpec, number>();
  readonly #stages = new Map<StageSpec, number>();

  constructor(
    private readonly writer: DemoWriter,
    private readonly random: SeededRandom,
  ) {}

  run(): void {
    this.#groups();
    this.#countries();
    this.#categories();
    this.#ownCompaniesAndStaff();
    // Partners 9-13 come before the users: the portal user's partner (13) works at Deco Addict (10).
    const known = COMPANIES.slice(0, KNOWN_CUSTOMERS).map((company, index) =>
      this.#company(company, false, DEMO_PARTNERS.woodCorner + index),
    );
    this.#partner(
      {
        name: 'Joel Willis',
        parent_id: DEMO_PARTNERS.decoAddict,
        email: userEmail(DEMO_PARTNERS.joelWillis),
        function: 'Office Manager',
        country_id: this.#countryIds.get('US')!,
      },
      { companyId: null, expectedId: DEMO_PARTNERS.joelWillis },
    );
    this.#users();
    const others = COMPANIES.slice(KNOWN_CUSTOMERS).map((company) => this.#company(company, this.#partnerSalesperson(company)));
    [...known, ...others].forEach((partner, index) => this.#contacts(partner, COMPANIES[index]!));
    this.#individuals(INDIVIDUAL_CUSTOMERS);
    this.#productsAndStages();
    this.#leads();
    const saleOrders = this.#saleOrders();
    const purchaseOrders = this.#purchaseOrders();
    this.#pickings(saleOrders, purchaseOrders);
    this.#lostReasons();
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Creates a record, checking the id when the demo data promises one; with the values Odoo 17 has in the
   * other installed languages for its translatable fields (a stage `New` is `Nouveau` in fr_FR).
   */
  #create(model: string, values: Values, expectedId?: number): number {
    const id = this.writer.create(model, values);
    if (expectedId !== undefined && id !== expectedId) {
      throw new Error(`demo data: ${model} ${String(values.name ?? values.login)} got id ${id} instead of ${expectedId}`);
    }
    if (this.writer.setTranslation) {
      for (const [field, lang, value] of knownTranslations(model, values)) this.writer.setTranslation(model, id, field, lang, value);
    }
    return id;
  }

  #user(login: string | null): number | false {
    return login === null ? false : this.#userIds.get(login)!;
  }

  #phone(countryCode: string): string {
    const { random } = this;
    return `+${CALLING_CODES.get(countryCode)} ${random.int(200, 999)} ${random.int(100, 999)} ${random.int(1000, 9999)}`;
  }

  #street(): string {
    return `${this.random.int(1, 4999)} ${this.random.pick(STREETS)}`;
  }

  /** A first and last name no other demo contact has. */
  #personName(): [string, string] {
    for (;;) {
      const first = this.random.pick(FIRST_NAMES);
      const last = this.random.pick(LAST_NAMES);
      if (!this.#usedNames.has(`${first} ${last}`)) {
        this.#usedNames.add(`${first} ${last}`);
        return [first, last];
      }
    }
  }

  #partner(values: Values, info: PartnerInfo): DemoPartner {
    const id = this.#create('res.partner', values, info.expectedId);
    const partner: DemoPartner = {
      id,
      parentId: typeof values.parent_id === 'number' ? values.parent_id : null,
      name: typeof values.name === 'string' ? values.name : '',
      email: typeof values.email === 'string' ? values.email : '',
      phone: typeof values.phone === 'string' ? values.phone : '',
      companyId: info.companyId,
      isCompany: values.is_company === true,
      customer: info.customer ?? true,
      vendor: info.vendor ?? false,
      active: values.active !== false,
    };
    this.#partners.push(partner);
    return partner;
  }

  // ------------------------------------------------------------------ reference data, companies, users

  #groups(): void {
    for (const group of GROUPS) {
      const implied = group.implied.map((xmlId) => {
        const id = this.#groupIds.get(xmlId);
        if (id === undefined) throw new Error(`demo data: group ${group.xmlId} is listed before ${xmlId}, which it implies`);
        return id;
      });
      this.#groupIds.set(
        group.xmlId,
        this.#create('res.groups', { name: group.name, xml_id: group.xmlId, implied_ids: [[6, 0, implied]] }),
      );
    }
  }

  #countries(): void {
    for (const [code, name, phoneCode] of COUNTRIES) {
      this.#countryIds.set(code, this.#create('res.country', { code, name, phone_code: phoneCode }));
    }
  }

  #categories(): void {
    for (const { name, color, parent } of CATEGORIES) {
      const parentId = parent === undefined ? false : this.#categoryIds.get(parent)!;
      this.#categoryIds.set(name, this.#create('res.partner.category', { name, color, parent_id: parentId }));
    }
  }

  /** Partners 1-8: the two companies of the database and the people behind the users; then the companies. */
  #ownCompaniesAndStaff(): void {
    const us = this.#countryIds.get('US')!;
    const own = (partnerId: number, values: Values) =>
      this.#partner({ country_id: us, ...values }, { companyId: null, customer: false, expectedId: partnerId });
    const staff = (partnerId: number, name: string, parentId: number | false, extra: Values = {}) =>
      own(partnerId, { name, parent_id: parentId, email: userEmail(partnerId), ...extra });
    const company = (partnerId: number, companyId: number, sequence: number, values: Values) => {
      own(partnerId, { ...values, is_company: true });
      const { name, email, phone } = values;
      this.#create('res.company', { name, email, phone, sequence, partner_id: partnerId }, companyId);
    };
    company(DEMO_PARTNERS.sanFrancisco, SAN_FRANCISCO, 0, {
      name: 'My Company (San Francisco)',
      email: 'info@yourcompany.com',
      phone: '+1 (650) 555-0111',
      street: '250 Executive Park Blvd, Suite 3400',
      city: 'San Francisco',
      zip: '94134',
    });
    staff(DEMO_PARTNERS.odooBot, 'OdooBot', false);
    staff(DEMO_PARTNERS.mitchellAdmin, 'Mitchell Admin', DEMO_PARTNERS.sanFrancisco, {
      phone: '+1 555-555-5555',
      function: 'Chief Executive Officer',
    });
    company(DEMO_PARTNERS.chicago, CHICAGO, 10, {
      name: 'My Company (Chicago)',
      email: 'chicago@yourcompany.com',
      phone: '+1 312 349 3030',
      street: '90 Streets Avenue',
      city: 'Chicago',
      zip: '60610',
    });
    staff(DEMO_PARTNERS.marcDemo, 'Marc Demo', DEMO_PARTNERS.sanFrancisco, { function: 'Sales Representative' });
    staff(DEMO_PARTNERS.bethEvans, 'Beth Evans', DEMO_PARTNERS.sanFrancisco, { function: 'Sales Manager' });
    staff(DEMO_PARTNERS.audreyPeterson, 'Audrey Peterson', DEMO_PARTNERS.sanFrancisco, { function: 'Sales Representative' });
    staff(DEMO_PARTNERS.jeffreyKelly, 'Jeffrey Kelly', DEMO_PARTNERS.chicago, { function: 'Sales Representative' });
  }

  #users(): void {
    for (const user of DEMO_USERS) {
      const groupIds = [...withImpliedGroups(user.groups)].map((xmlId) => this.#groupIds.get(xmlId)!);
      const id = this.#create(
        'res.users',
        {
          login: user.login,
          name: user.name,
          email: user.email,
          partner_id: user.partnerId,
          active: user.active,
          share: user.share,
          company_id: user.companyId,
          company_ids: [[6, 0, [...user.companyIds]]],
          groups_id: [[6, 0, groupIds]],
          // As in Odoo's demo data: employees in Brussels time, the portal user without a time zone.
          tz: user.share ? false : DEMO_TIME_ZONE,
        },
        user.id,
      );
      this.writer.setPassword(id, user.password);
      this.#userIds.set(user.login, id);
    }
  }

  #partnerSalesperson(company: CompanySpec): number | false {
    if (company.vendor) return false;
    return this.#user(company.chicago ? 'salesman3' : this.random.weighted(SALESPEOPLE));
  }

  // ------------------------------------------------------------------ customers and vendors

  #company(company: CompanySpec, salesperson: number | false, expectedId?: number): DemoPartner {
    const { random } = this;
    const companyId = company.chicago ? CHICAGO : null;
    return this.#partner(
      {
        name: company.name,
        is_company: true,
        email: company.email ?? `info@${slug(company.name)}.example.com`,
        phone: this.#phone(company.country),
        street: this.#street(),
        city: company.city,
        zip: company.zip,
        country_id: this.#countryIds.get(company.country)!,
        category_id: [[6, 0, (company.tags ?? []).map((tag) => this.#categoryIds.get(tag)!)]],
        user_id: salesperson,
        company_id: companyId ?? false,
        ref: `${company.vendor ? 'V' : 'C'}${String(COMPANIES.indexOf(company) + 1).padStart(4, '0')}`,
        vat: `${company.country}${random.int(100_000_000, 999_999_999)}`,
        comment: random.chance(0.3) ? random.pick(NOTES) : false,
        active: !company.archived,
      },
      { companyId, vendor: company.vendor ?? false, expectedId },
    );
  }

  /** Two to four people at the company, sometimes a nameless invoice or delivery address. */
  #contacts(company: DemoPartner, spec: CompanySpec): void {
    const { random } = this;
    const domain = company.email.split('@')[1] ?? 'example.com';
    const shared = { parent_id: company.id, company_id: company.companyId ?? false, country_id: this.#countryIds.get(spec.country)! };
    for (let i = random.int(2, 4); i > 0; i--) {
      const [first, last] = this.#personName();
      this.#partner(
        {
          ...shared,
          name: `${first} ${last}`,
          function: random.pick(JOB_TITLES),
          email: `${first}.${last}@${domain}`.toLowerCase(),
          phone: this.#phone(spec.country),
          active: !spec.archived && !random.chance(0.06),
        },
        { companyId: company.companyId, vendor: company.vendor },
      );
    }
    if (random.chance(0.2)) {
      const type = random.pick(['invoice', 'delivery'] as const);
      this.#partner(
        { ...shared, type, street: this.#street(), city: spec.city, zip: spec.zip, active: !spec.archived },
        { companyId: company.companyId, vendor: company.vendor },
      );
    }
  }

  /** Private customers, not attached to a company. */
  #individuals(count: number): void {
    for (let i = 0; i < count; i++) {
      const [first, last] = this.#personName();
      this.#partner(
        {
          name: `${first} ${last}`,
          email: `${first}.${last}@example.com`.toLowerCase(),
          phone: this.#phone('US'),
          street: this.#street(),
          city: this.random.pick(['San Francisco', 'Oakland', 'San Jose', 'Berkeley']),
          country_id: this.#countryIds.get('US')!,
          category_id: [[6, 0, this.random.chance(0.5) ? [this.#categoryIds.get('Prospects')!] : []]],
          user_id: this.#user(this.random.weighted(SALESPEOPLE)),
        },
        { companyId: null },
      );
    }
  }

  /** Active customers the documents of `companyId` may name: shared partners and that company's own. */
  #customers(companyId: number, companiesOnly: boolean): DemoPartner[] {
    return this.#partners.filter(
      (p) => p.customer && p.active && !p.vendor && (!companiesOnly || p.isCompany) && (p.companyId === null || p.companyId === companyId),
    );
  }

  #customer(companyId: number): DemoPartner {
    const own = companyId === CHICAGO && this.random.chance(0.5);
    const pool = this.#customers(companyId, this.random.chance(0.65)).filter((p) => !own || p.companyId === CHICAGO);
    return this.random.pick(pool);
  }

  /** Deco Addict and its contacts: the portal user's commercial entity. */
  #portalCustomer(): DemoPartner {
    const deco = DEMO_PARTNERS.decoAddict;
    return this.random.pick(this.#partners.filter((p) => p.active && (p.id === deco || p.parentId === deco)));
  }

  #vendor(companyId: number): DemoPartner {
    return this.random.pick(
      this.#partners.filter((p) => p.vendor && p.isCompany && p.active && (p.companyId === null || p.companyId === companyId)),
    );
  }

  /** The company of a document of this salesperson or buyer: theirs, or either for someone in both. */
  #companyOf(login: string | null): number {
    if (login === 'demo') return SAN_FRANCISCO;
    const companies = DEMO_USERS.find((user) => user.login === login)?.companyIds ?? [SAN_FRANCISCO, CHICAGO];
    if (companies.length === 1) return companies[0]!;
    return this.random.chance(login === null ? 0.25 : 0.1) ? CHICAGO : SAN_FRANCISCO;
  }

  // ------------------------------------------------------------------ catalogue and CRM

  #productsAndStages(): void {
    for (const p of PRODUCTS) {
      this.#products.set(
        p,
        this.#create('product.product', {
          name: p.name,
          default_code: p.code,
          type: p.type,
          list_price: p.price,
          standard_price: p.cost,
          sale_ok: p.saleOk ?? true,
          purchase_ok: p.purchaseOk ?? true,
          active: !p.archived,
        }),
      );
    }
    for (const stage of STAGES) {
      this.#stages.set(
        stage,
        this.#create('crm.stage', {
          name: stage.name,
          sequence: stage.sequence,
          is_won: stage.isWon ?? false,
          fold: stage.fold ?? false,
        }),
      );
    }
  }

  #leads(): void {
    const { random } = this;
    const stageWeights = STAGES.map((stage) => [stage, stage.weight] as const);
    const sellable = PRODUCTS.filter((p) => p.saleOk !== false && !p.archived);
    for (let i = 0; i < LEAD_COUNT; i++) {
      const seller = random.weighted(SALESPEOPLE);
      const companyId = this.#companyOf(seller);
      const stage = random.weighted(stageWeights);
      const lost = !stage.isWon && random.chance(0.12);
      const type = stage.sequence === 1 && random.chance(0.5) ? 'lead' : 'opportunity';
      const partner = type === 'lead' && random.chance(0.5) ? null : this.#customer(companyId);
      const contact = partner && !partner.isCompany ? partner.name : this.#personName().join(' ');
      const title = random
        .pick(LEAD_TITLES)
        .replace('{n}', String(random.int(2, 40)))
        .replace('{product}', random.pick(sellable).name);
      const closedDay = random.int(-120, -1);
      this.#create('crm.lead', {
        name: partner?.isCompany && random.chance(0.4) ? `${partner.name}: ${title}` : title,
        type,
        partner_id: partner?.id ?? false,
        contact_name: contact,
        email_from: partner?.email || `${contact.replace(' ', '.')}@example.com`.toLowerCase(),
        phone: partner?.phone || this.#phone('US'),
        stage_id: this.#stages.get(stage)!,
        user_id: this.#user(seller),
        company_id: seller === null && random.chance(0.2) ? false : companyId,
        expected_revenue: random.int(4, 240) * 250,
        probability: lost ? 0 : stage.isWon ? 100 : Math.min(95, Math.max(1, stage.probability + random.int(-5, 10))),
        priority: random.weighted([
          ['0', 40],
          ['1', 30],
          ['2', 20],
          ['3', 10],
        ] as const),
        date_deadline: demoDate(random.int(-30, 120)),
        date_closed: stage.isWon || lost ? demoDateTime(closedDay, random.int(8, 18), random.int(0, 59)) : false,
        description: random.chance(0.3) ? `<p>${contact} would like a proposal before the end of the month.</p>` : false,
        active: !lost,
      });
    }
  }

  // ------------------------------------------------------------------ documents

  /** One to four lines of distinct products, numbered 10, 20, ..., as one2many create commands. */
  #lines(products: readonly ProductSpec[], line: (product: ProductSpec, productId: number) => Values): unknown[] {
    return this.random
      .sample(products, this.random.int(1, 4))
      .map((p, index) => [0, 0, { sequence: 10 * (index + 1), ...line(p, this.#products.get(p)!) }]);
  }

  #saleOrders(): DemoOrder[] {
    const { random } = this;
    const sellable = PRODUCTS.filter((p) => p.saleOk !== false && !p.archived);
    return random.deck(SALE_ORDER_STATES).map((state, index) => {
      // Every ninth order is for the portal user's company, in San Francisco, where the portal user is.
      const forPortal = index % 9 === 4;
      const seller = random.weighted(forPortal ? SALESPEOPLE.filter(([login]) => login !== 'salesman3') : SALESPEOPLE);
      const companyId = forPortal ? SAN_FRANCISCO : this.#companyOf(seller);
      const partner = forPortal ? this.#portalCustomer() : this.#customer(companyId);
      const day = state === 'draft' || state === 'sent' ? random.int(-30, 0) : random.int(-200, -3);
      const id = this.#create('sale.order', {
        partner_id: partner.id,
        state,
        date_order: demoDateTime(day, random.int(8, 18), random.int(0, 59)),
        validity_date: state === 'draft' || state === 'sent' ? demoDate(day + 30) : false,
        client_order_ref: random.chance(0.25) ? `PO-${random.int(1000, 9999)}` : false,
        user_id: this.#user(seller),
        company_id: companyId,
        note: random.chance(0.15) ? random.pick(NOTES) : false,
        order_line: this.#lines(sellable, (p, productId) => ({
          product_id: productId,
          name: `[${p.code}] ${p.name}`,
          product_uom_qty: p.type === 'service' ? random.int(1, 5) : random.int(1, 20),
          price_unit: p.price,
          discount: random.weighted([
            [0, 70],
            [5, 10],
            [10, 12],
            [15, 5],
            [20, 3],
          ] as const),
        })),
      });
      return { id, partner, companyId, state };
    });
  }

  #purchaseOrders(): DemoOrder[] {
    const { random } = this;
    const purchasable = PRODUCTS.filter((p) => p.purchaseOk !== false && p.type !== 'service' && !p.archived);
    const states = random.deck(PURCHASE_ORDER_STATES);
    const example = EXAMPLE_4_DRAFT_PURCHASE - 1;
    const draft = states.indexOf('draft');
    if (states[example] !== 'draft' && draft >= 0) [states[example], states[draft]] = [states[draft]!, states[example]!];
    return states.map((state) => {
      const buyer = random.weighted(BUYERS);
      const companyId = this.#companyOf(buyer);
      const partner = this.#vendor(companyId);
      const open = state === 'draft' || state === 'sent';
      const day = open ? random.int(-20, 0) : random.int(-150, -5);
      const arrival = demoDateTime(day + random.int(5, 30), 10);
      const confirmed = state === 'purchase' || state === 'done';
      const id = this.#create('purchase.order', {
        partner_id: partner.id,
        state,
        priority: random.chance(0.1) ? '1' : '0',
        partner_ref: confirmed && random.chance(0.5) ? `SO/${random.int(10000, 99999)}` : false,
        date_order: demoDateTime(day, random.int(8, 18), random.int(0, 59)),
        date_approve: confirmed ? demoDateTime(day + random.int(0, 3), random.int(8, 18)) : false,
        date_planned: arrival,
        user_id: this.#user(buyer),
        company_id: companyId,
        notes: random.chance(0.15) ? random.pick(NOTES) : false,
        order_line: this.#lines(purchasable, (p, productId) => ({
          product_id: productId,
          name: `[${p.code}] ${p.name}`,
          product_qty: random.int(5, 120),
          price_unit: p.cost,
          date_planned: arrival,
        })),
      });
      return { id, partner, companyId, state };
    });
  }

  /**
   * Receipts, deliveries and internal transfers, every type in every state. Receipts and deliveries
   * mostly come from a confirmed purchase or sales order (their `origin`), of the same partner and company.
   */
  #pickings(saleOrders: readonly DemoOrder[], purchaseOrders: readonly DemoOrder[]): void {
    const { random } = this;
    const confirmedSales = saleOrders.filter((o) => o.state === 'sale');
    const confirmedPurchases = purchaseOrders.filter((o) => o.state === 'purchase' || o.state === 'done');
    const combinations = PICKING_TYPES.flatMap((type) => PICKING_STATES.map((state) => [type, state] as const));
    const pickings = random.shuffle(Array.from({ length: PICKINGS_PER_TYPE_AND_STATE }, () => combinations).flat());
    for (const [type, state] of pickings) {
      const source =
        type === 'outgoing'
          ? { order: random.pick(confirmedSales), code: 'sale.order' }
          : type === 'incoming'
            ? { order: random.pick(confirmedPurchases), code: 'purchase.order' }
            : undefined;
      const companyId = source?.order.companyId ?? this.#companyOf(null);
      const finished = state === 'done' || state === 'cancel';
      const day = finished ? random.int(-120, -1) : random.int(-10, 20);
      this.#create('stock.picking', {
        picking_type_code: type,
        state,
        partner_id: source?.order.partner.id ?? false,
        origin: source ? sequenceName(source.code, source.order.id) : false,
        sale_id: source?.code === 'sale.order' ? source.order.id : false,
        purchase_id: source?.code === 'purchase.order' ? source.order.id : false,
        priority: random.chance(0.15) ? '1' : '0',
        scheduled_date: demoDateTime(day, random.int(7, 17)),
        date_done: finished ? demoDateTime(day + random.int(0, 2), random.int(8, 18), random.int(0, 59)) : false,
        user_id: this.#user(random.weighted(BUYERS)),
        company_id: companyId,
        note: random.chance(0.1) ? random.pick(NOTES) : false,
      });
    }
  }

  /** Odoo 17's lost reasons (crm/data/crm_lost_reason_data.xml), last so that no other id moves. */
  #lostReasons(): void {
    for (const name of ['Too expensive', "We don't have people/skills", 'Not enough stock']) this.#create('crm.lost.reason', { name });
  }
}
