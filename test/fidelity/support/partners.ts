/**
 * The seeded set of ~40 partners (and a few tags) that the random-domain comparison runs over, created the
 * same way on every side through REST (as the administrator).
 *
 * The data is "sync-neutral": what Odoo's res.partner create hooks would change is given explicitly, so the
 * stored rows are the same on a store that does not sync (the domain comparison must compare searches, not
 * writes; writes are compared in writes.test.ts):
 * - a child of type `contact` gets its parent's address (street, zip, city, country; Odoo's
 *   `_fields_sync` -> `onchange_parent_id` copies it when the parent has any), and every partner with
 *   children has an address, so `_handle_first_contact_creation` never pushes one up;
 * - a child gets its commercial partner's `vat` (Odoo's `_commercial_sync_from_company`).
 * Names carry the run's marker and are unique, so records are matched by name, never by id.
 */
import { SeededRandom } from '../../../src/backends/embedded/demo/seeded-random.js';
import { expectOk, type Side } from './http.js';

export type AddressType = 'contact' | 'invoice' | 'delivery' | 'other';

export interface PartnerSpec {
  readonly key: string;
  readonly name: string;
  readonly isCompany: boolean;
  readonly type: AddressType;
  readonly parent: string | null;
  readonly street: string | null;
  readonly city: string | null;
  readonly zip: string | null;
  /** ISO code. */
  readonly country: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly function: string | null;
  readonly ref: string | null;
  readonly vat: string | null;
  readonly tags: readonly string[];
  readonly active: boolean;
}

export interface TagSpec {
  readonly key: string;
  readonly name: string;
  readonly parent: string | null;
  readonly active: boolean;
}

export interface Scenario {
  readonly seed: number;
  readonly marker: string;
  readonly tags: readonly TagSpec[];
  readonly partners: readonly PartnerSpec[];
  /** The commercial partner's key of each partner (itself for companies and partners without a parent). */
  readonly commercial: ReadonlyMap<string, string>;
}

/** Countries every side has (the embedded demo data's, with Odoo's English names). */
export const COUNTRIES: ReadonlyArray<readonly [string, string]> = [
  ['US', 'United States'],
  ['CA', 'Canada'],
  ['MX', 'Mexico'],
  ['BR', 'Brazil'],
  ['BE', 'Belgium'],
  ['FR', 'France'],
  ['DE', 'Germany'],
  ['GB', 'United Kingdom'],
  ['NL', 'Netherlands'],
  ['ES', 'Spain'],
  ['IT', 'Italy'],
  ['CH', 'Switzerland'],
];

const COMPANY_NAMES = [
  'Azure Trading',
  'Bolt & Nut',
  'Café Lumière',
  'delta ops',
  'Ember_Labs',
  'Fjord 100% Oy',
  'Gamma GmbH',
  'Hotel Zoë',
  'Iris Partners',
  'Juniper SA',
  'KOALA Freight',
  'Lynx & Co',
];
const FIRST_NAMES = [
  'Ana',
  'José',
  'Zoë',
  'Marc',
  'li',
  'Ömer',
  'Sarah',
  'Tom',
  'Émile',
  'Yuki',
  'Bob',
  'Chloé',
  'Ivan',
  'Nora',
  'Pat',
  'ÉVA',
];
const LAST_NAMES = [
  'Núñez',
  'Smith',
  "O'Brien",
  'de Vries',
  'MÜLLER',
  'Dupont',
  'Kowalski',
  'Rossi',
  'Tanaka',
  'García',
  'Azure',
  'Lumière',
];
const CITIES = ['Brussels', 'Gent', 'Paris', 'Lyon', 'Berlin', 'São Paulo', 'Zürich', 'Austin', 'austin', 'Québec', 'Madrid'];
const STREETS = ['Rue Haute', 'Main Street', 'Avenue Louise', 'Calle Mayor', 'Hauptstraße', 'Elm St', 'rue du Lac'];
const FUNCTIONS = ['CEO', 'Buyer', 'buyer', 'Accountant', 'Sales Manager', 'Chief Buyer'];
const UNRELATED_DOMAINS = ['ironworks', 'azure-mail', 'lumiere', 'bolt'];

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '')
    .toLowerCase();
}

/** The partners and tags of a run, from the seed alone (the marker only prefixes names). */
export function buildScenario(seed: number, marker: string): Scenario {
  const random = new SeededRandom(seed);
  const maybe = <T>(p: number, value: () => T): T | null => (random.chance(p) ? value() : null);
  const tags: TagSpec[] = [
    { key: 'T1', name: `${marker}-VIP`, parent: null, active: true },
    { key: 'T2', name: `${marker}-Retail`, parent: null, active: true },
    { key: 'T3', name: `${marker}-Gold`, parent: 'T1', active: true },
    { key: 'T4', name: `${marker}-Old tag`, parent: null, active: false },
    { key: 'T5', name: `${marker}-retail_eu`, parent: 'T2', active: true },
  ];
  const tagKeys = tags.map((t) => t.key);
  const partners: PartnerSpec[] = [];
  const byKey = new Map<string, PartnerSpec>();
  const commercial = new Map<string, string>();
  const add = (spec: PartnerSpec) => {
    partners.push(spec);
    byKey.set(spec.key, spec);
    const parent = spec.parent ? byKey.get(spec.parent)! : null;
    commercial.set(spec.key, spec.isCompany || !parent ? spec.key : commercial.get(parent.key)!);
  };
  const address = () => {
    const country = random.chance(0.85) ? random.pick(COUNTRIES)[0] : null;
    return {
      street: maybe(0.8, () => `${random.int(1, 250)} ${random.pick(STREETS)}`),
      city: random.chance(0.85) || !country ? random.pick(CITIES) : null,
      zip: maybe(0.7, () => String(random.int(1000, 99999))),
      country,
    };
  };
  const inherited = (parent: PartnerSpec) => ({ street: parent.street, city: parent.city, zip: parent.zip, country: parent.country });
  const vatOf = (parentKey: string | null) => (parentKey ? byKey.get(commercial.get(parentKey)!)!.vat : null);

  // Companies (the first one gets a subsidiary that is itself a company).
  const companyNames = random.sample(COMPANY_NAMES, 8);
  companyNames.forEach((label, i) => {
    const word = ascii(label.split(/\s/)[0]!);
    add({
      key: `C${i + 1}`,
      name: `${marker}-${label}`,
      isCompany: true,
      type: 'contact',
      parent: null,
      ...address(),
      email: random.weighted<string | null>([
        [`info@${word}.example`, 5],
        [`sales@${random.pick(UNRELATED_DOMAINS)}.example`, 2],
        [null, 3],
      ]),
      phone: maybe(0.6, () => `+32 ${random.int(2, 9)} ${random.int(100, 999)} ${random.int(10, 99)} ${random.int(10, 99)}`),
      function: null,
      ref: maybe(0.4, () => `R-${random.int(100, 999)}`),
      vat: maybe(0.5, () => `BE0${random.int(100_000_000, 999_999_999)}`),
      tags: random.sample(tagKeys, random.int(0, 2)),
      active: i !== 3 && i !== 6, // two archived companies (with active contacts)
    });
  });
  add({
    // A company of type contact under a company gets its parent's address too (onchange_parent_id checks the type only).
    key: 'C9',
    name: `${marker}-${companyNames[0]} Subsidiary`,
    isCompany: true,
    type: 'contact',
    parent: 'C1',
    ...inherited(byKey.get('C1')!),
    email: null,
    phone: null,
    function: null,
    ref: null,
    vat: `BE0${random.int(100_000_000, 999_999_999)}`,
    tags: ['T3'],
    active: true,
  });
  const companies = partners.map((p) => p.key);

  const person = (key: string, parent: PartnerSpec | null, type: AddressType, active: boolean) => {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const employer = parent
      ? ascii(
          byKey
            .get(commercial.get(parent.key)!)!
            .name.slice(marker.length + 1)
            .split(/\s/)[0]!,
        )
      : 'home';
    const own = address();
    return {
      key,
      name: `${marker}-${first} ${last} ${key}`,
      isCompany: false,
      type,
      parent: parent?.key ?? null,
      ...(parent && type === 'contact' ? inherited(parent) : own),
      email: maybe(0.7, () => `${ascii(first)}.${ascii(last)}@${random.chance(0.8) ? employer : random.pick(UNRELATED_DOMAINS)}.example`),
      phone: maybe(0.5, () => `+1 ${random.int(200, 999)} ${random.int(100, 999)} ${random.int(1000, 9999)}`),
      function: maybe(0.5, () => random.pick(FUNCTIONS)),
      ref: maybe(0.2, () => `R-${random.int(100, 999)}`),
      vat: vatOf(parent?.key ?? null),
      tags: random.chance(0.5) ? random.sample(tagKeys, random.int(1, 2)) : [],
      active,
    } satisfies PartnerSpec;
  };
  // Contacts of companies: mostly contacts, a few invoice/delivery/other addresses with their own address.
  for (let i = 1; i <= 20; i++) {
    const parent = byKey.get(random.pick(companies))!;
    const type = random.weighted<AddressType>([
      ['contact', 14],
      ['invoice', 2],
      ['delivery', 2],
      ['other', 1],
    ]);
    add(person(`K${i}`, parent, type, !random.chance(0.12)));
  }
  // Contacts of contacts (their commercial partner is the company above).
  const contactParents = partners.filter((p) => !p.isCompany && p.type === 'contact' && p.parent).map((p) => p.key);
  for (let i = 1; i <= 5; i++) add(person(`G${i}`, byKey.get(random.pick(contactParents))!, 'contact', !random.chance(0.15)));
  // Individuals without a company; the first has an address and a contact of its own.
  for (let i = 1; i <= 5; i++) {
    const spec = person(`S${i}`, null, 'contact', i !== 4);
    add(i === 1 && !(spec.street || spec.city || spec.zip || spec.country) ? { ...spec, city: 'Gent' } : spec);
  }
  add(person('H1', byKey.get('S1')!, 'contact', true));
  return { seed, marker, tags, partners, commercial };
}

/** Ids on one side: partners, tags, leads, orders, products by key; countries by code; stages by name. */
export interface SideIds {
  readonly partner: Map<string, number>;
  readonly tag: Map<string, number>;
  readonly country: Map<string, number>;
  readonly stage: Map<string, number>;
  readonly product: Map<string, number>;
  readonly lead: Map<string, number>;
  readonly order: Map<string, number>;
}

export async function countryIds(side: Side): Promise<Map<string, number>> {
  const codes = COUNTRIES.map(([code]) => code);
  const domain = `[('code', 'in', [${codes.map((c) => `'${c}'`).join(', ')}])]`;
  const body = expectOk(
    side,
    await side.request('GET', `/api/res_country?fields=code&limit=100&domain=${encodeURIComponent(domain)}`),
    'list countries',
  );
  return new Map((body.results as { id: number; code: string }[]).map((r) => [r.code, r.id]));
}

/** The REST body creating a partner on a side (many2one as {"id"}, tags as an id list). */
export function partnerBody(spec: PartnerSpec, ids: SideIds): Record<string, unknown> {
  return {
    name: spec.name,
    is_company: spec.isCompany,
    type: spec.type,
    parent_id: spec.parent ? { id: ids.partner.get(spec.parent)! } : null,
    street: spec.street,
    city: spec.city,
    zip: spec.zip,
    country_id: spec.country ? { id: ids.country.get(spec.country)! } : null,
    email: spec.email,
    phone: spec.phone,
    function: spec.function,
    ref: spec.ref,
    vat: spec.vat,
    category_id: spec.tags.map((t) => ids.tag.get(t)!),
    active: spec.active,
  };
}

/** Creates the scenario's tags and partners on a side, in order (parents first). */
export async function createScenario(side: Side, scenario: Scenario): Promise<SideIds> {
  const ids: SideIds = {
    partner: new Map(),
    tag: new Map(),
    country: await countryIds(side),
    stage: new Map(),
    product: new Map(),
    lead: new Map(),
    order: new Map(),
  };
  for (const tag of scenario.tags) {
    const body = { name: tag.name, parent_id: tag.parent ? { id: ids.tag.get(tag.parent)! } : null, active: tag.active };
    const created = expectOk(
      side,
      await side.request('POST', '/api/res_partner_category?fields=name', body),
      `create tag ${tag.name}`,
      201,
    );
    ids.tag.set(tag.key, created.id);
  }
  for (const spec of scenario.partners) {
    const created = expectOk(
      side,
      await side.request('POST', '/api/res_partner?fields=name', partnerBody(spec, ids)),
      `create partner ${spec.name}`,
      201,
    );
    ids.partner.set(spec.key, created.id);
  }
  return ids;
}

/** Deletes what createScenario made (children first); returns the failures, which it does not throw. */
export async function deleteScenario(side: Side, scenario: Scenario, ids: SideIds): Promise<string[]> {
  const failures: string[] = [];
  for (const spec of [...scenario.partners].reverse()) {
    const id = ids.partner.get(spec.key);
    if (id === undefined) continue;
    const answer = await side.request('DELETE', `/api/res_partner/${id}`);
    if (answer.status !== 200) failures.push(`res.partner ${id} (${spec.name}): ${answer.status} ${answer.text.slice(0, 200)}`);
  }
  for (const tag of [...scenario.tags].reverse()) {
    const id = ids.tag.get(tag.key);
    if (id === undefined) continue;
    const answer = await side.request('DELETE', `/api/res_partner_category/${id}`);
    if (answer.status !== 200 && answer.status !== 404)
      failures.push(`res.partner.category ${id} (${tag.name}): ${answer.status} ${answer.text.slice(0, 200)}`);
  }
  return failures;
}
