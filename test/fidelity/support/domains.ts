/**
 * Seeded random Odoo domains over res.partner (and, inside `any`, over res.country and res.partner.category),
 * built from the values of the run's scenario so that they select something. Domains are kept abstract:
 * a record is named by its scenario key (`{ $ref: 'partner', key: 'K3' }`) and printed per side with that
 * side's ids, so the same domain means the same records everywhere.
 */
import { SeededRandom } from '../../../src/backends/embedded/demo/seeded-random.js';
import { COUNTRIES, type PartnerSpec, type Scenario, type SideIds } from './partners.js';

export interface Ref {
  readonly $ref: 'partner' | 'tag' | 'country' | 'stage' | 'product' | 'lead' | 'order';
  readonly key: string;
}
export type Value = string | number | boolean | null | Ref | readonly Value[];
export type Leaf = readonly [string, string, Value | readonly Term[]];
export type Term = '&' | '|' | '!' | Leaf;

/** Every operator the comparison must exercise (the REST contract's list, `<>` aside). */
export const OPERATORS = [
  '=',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  '=?',
  'like',
  'not like',
  'ilike',
  'not ilike',
  '=like',
  '=ilike',
  'in',
  'not in',
  'child_of',
  'parent_of',
  'any',
  'not any',
] as const;

// ------------------------------------------------------------------ printing

// eslint-disable-next-line no-control-regex -- control characters are what it escapes
const CONTROL_CHARACTERS = /[\x00-\x1f]/g;

function printString(s: string): string {
  return `'${s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(CONTROL_CHARACTERS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
}

function isRef(value: unknown): value is Ref {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && '$ref' in value;
}

function isOperatorTerm(term: unknown): term is '&' | '|' | '!' {
  return term === '&' || term === '|' || term === '!';
}

/** A leaf's value or an `any` sub-domain, as a Python literal; refs resolved with `ids` (or kept symbolic). */
function printValue(value: Value | readonly Term[], ids: SideIds | null): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return printString(value);
  if (isRef(value)) {
    if (!ids) return `<${value.key}>`;
    const id = ids[value.$ref].get(value.key);
    if (id === undefined) throw new Error(`no id for ${value.$ref} ${value.key}`);
    return String(id);
  }
  return `[${(value as readonly Value[]).map((v) => printValue(v, ids)).join(', ')}]`;
}

export function printLeaf(leaf: Leaf, ids: SideIds | null): string {
  const [path, operator, value] = leaf;
  const printed = operator === 'any' || operator === 'not any' ? printDomain(value as readonly Term[], ids) : printValue(value, ids);
  return `(${printString(path)}, ${printString(operator)}, ${printed})`;
}

/** The domain as the Python literal both REST gateways parse; with `ids` null, refs print as `<key>`. */
export function printDomain(terms: readonly Term[], ids: SideIds | null): string {
  return `[${terms.map((t) => (isOperatorTerm(t) ? printString(t) : printLeaf(t, ids))).join(', ')}]`;
}

/** Each leaf of a domain (not those inside `any` sub-domains), with whether an odd number of `!` applies to it. */
export function leavesOf(terms: readonly Term[]): Array<{ leaf: Leaf; negated: boolean }> {
  const out: Array<{ leaf: Leaf; negated: boolean }> = [];
  // Prefix notation: each operator's operands follow it.
  let index = 0;
  const walk = (negated: boolean): void => {
    const term = terms[index++];
    if (term === undefined) return;
    if (term === '!') return walk(!negated);
    if (term === '&' || term === '|') {
      walk(negated);
      walk(negated);
      return;
    }
    out.push({ leaf: term, negated });
  };
  while (index < terms.length) walk(false);
  return out;
}

// ------------------------------------------------------------------ generation

export type Model =
  'res.partner' | 'res.country' | 'res.partner.category' | 'crm.lead' | 'crm.stage' | 'sale.order' | 'sale.order.line' | 'product.product';

interface Pools {
  readonly partners: readonly PartnerSpec[];
  readonly char: ReadonlyMap<string, readonly string[]>;
  readonly parentKeys: readonly string[];
}

const PARTNER_CHAR_FIELDS = [
  'name',
  'email',
  'phone',
  'city',
  'zip',
  'street',
  'function',
  'ref',
  'vat',
  'complete_name',
  'display_name',
] as const;

/** The scenario's values of a char field, for the comodel's name fields too. */
function pools(scenario: Scenario): Pools {
  const char = new Map<string, string[]>();
  const fieldValue = (p: PartnerSpec, field: string): string | null => {
    switch (field) {
      case 'name':
      case 'complete_name':
      case 'display_name':
        return p.name;
      case 'email':
        return p.email;
      case 'phone':
        return p.phone;
      case 'city':
        return p.city;
      case 'zip':
        return p.zip;
      case 'street':
        return p.street;
      case 'function':
        return p.function;
      case 'ref':
        return p.ref;
      case 'vat':
        return p.vat;
      default:
        return null;
    }
  };
  for (const field of PARTNER_CHAR_FIELDS) {
    char.set(field, [...new Set(scenario.partners.map((p) => fieldValue(p, field)).filter((v): v is string => v !== null))]);
  }
  char.set(
    'res.country.name',
    COUNTRIES.map(([, name]) => name),
  );
  char.set(
    'res.country.code',
    COUNTRIES.map(([code]) => code),
  );
  char.set(
    'res.partner.category.name',
    scenario.tags.map((t) => t.name),
  );
  const parentKeys = [...new Set(scenario.partners.map((p) => p.parent).filter((k): k is string => k !== null))];
  return { partners: scenario.partners, char, parentKeys };
}

export class DomainGenerator {
  protected readonly random: SeededRandom;
  protected readonly pools: Pools;
  protected readonly scenario: Scenario;

  constructor(seed: number, scenario: Scenario) {
    // Its own stream: the domains of a seed do not depend on how many draws the scenario took.
    this.random = new SeededRandom((seed ^ 0x5f3759df) >>> 0);
    this.scenario = scenario;
    this.pools = pools(scenario);
  }

  /** One domain over res.partner (without the run's scope). */
  domain(): Term[] {
    const terms = this.expr('res.partner', 0, 3);
    // Sometimes a second top-level term, joined by Odoo's implicit '&'.
    if (this.random.chance(0.15)) terms.push(...this.expr('res.partner', 1, 3));
    return terms;
  }

  protected expr(model: Model, depth: number, maxDepth: number): Term[] {
    const r = this.random.next();
    if (depth >= maxDepth || r < 0.45) return [this.leaf(model, depth)];
    if (r < 0.62) return ['!', ...this.expr(model, depth + 1, maxDepth)];
    return [r < 0.81 ? '&' : '|', ...this.expr(model, depth + 1, maxDepth), ...this.expr(model, depth + 1, maxDepth)];
  }

  /** A sub-domain for `any` (one or two terms, shallower). */
  protected subdomain(model: Model, depth: number): Term[] {
    const terms = this.expr(model, depth + 1, Math.min(depth + 2, 4));
    if (this.random.chance(0.2)) terms.push(this.leaf(model, depth + 2));
    return terms;
  }

  protected leaf(model: Model, depth: number): Leaf {
    switch (model) {
      case 'res.country':
        return this.#countryLeaf(depth);
      case 'res.partner.category':
        return this.#tagLeaf(depth);
      case 'res.partner':
        return this.partnerLeaf(depth);
      default:
        throw new Error(`no leaves for ${model} here`);
    }
  }

  protected pick<T>(items: readonly T[]): T {
    return this.random.pick(items);
  }

  protected partnerRef(fromParents = false): Ref {
    const key = fromParents && this.random.chance(0.7) ? this.pick(this.pools.parentKeys) : this.pick(this.pools.partners).key;
    return { $ref: 'partner', key };
  }

  #tagRef(): Ref {
    return { $ref: 'tag', key: this.pick(this.scenario.tags).key };
  }

  #countryRef(): Ref {
    return { $ref: 'country', key: this.pick(COUNTRIES)[0] };
  }

  // -------------------------------------------------------------- res.partner

  protected partnerLeaf(depth: number): Leaf {
    const family = this.random.weighted<string>([
      ['char', 22],
      ['boolean', 6],
      ['selection', 4],
      ['many2one', 16],
      ['x2many', 12],
      ['id', 5],
      ['dotted', 22],
      ['any', depth < 3 ? 8 : 0],
      ['active', 5],
    ]);
    switch (family) {
      case 'char': {
        const field = this.pick(PARTNER_CHAR_FIELDS);
        return this.charLeaf(field, this.pools.char.get(field)!, this.pools.char.get('name')!);
      }
      case 'boolean':
        return this.booleanLeaf(this.pick(['is_company', 'active']));
      case 'active':
        return this.booleanLeaf('active');
      case 'selection':
        return this.selectionLeaf('type', ['contact', 'invoice', 'delivery', 'other']);
      case 'many2one': {
        const field = this.random.weighted<string>([
          ['parent_id', 5],
          ['commercial_partner_id', 2],
          ['country_id', 4],
        ]);
        return field === 'country_id' ? this.countryMany2one('country_id') : this.partnerMany2one(field);
      }
      case 'x2many':
        return this.random.chance(0.5) ? this.#tagsX2many('category_id') : this.#childrenX2many(depth);
      case 'id':
        return this.#idLeaf();
      case 'dotted':
        return this.#dotted(depth);
      case 'any':
      default: {
        const [field, comodel] = this.pick<[string, Model]>([
          ['parent_id', 'res.partner'],
          ['child_ids', 'res.partner'],
          ['category_id', 'res.partner.category'],
          ['country_id', 'res.country'],
          ['commercial_partner_id', 'res.partner'],
        ]);
        return [field, this.random.chance(0.5) ? 'any' : 'not any', this.subdomain(comodel, depth)];
      }
    }
  }

  /**
   * A char leaf: a value of the field (or of `fallback`, so that some compare across fields), a case
   * variant, a fragment, a LIKE pattern, the empty string, False or None, with any char operator.
   */
  protected charLeaf(path: string, values: readonly string[], fallback: readonly string[]): Leaf {
    const random = this.random;
    const source = values.length && random.chance(0.85) ? values : fallback;
    const full = this.pick(source);
    const fragment = () => {
      const plain = full.replace(/^FID-\d+-[a-z0-9]+-/, '');
      const start = random.int(0, Math.max(0, plain.length - 2));
      return plain.slice(start, start + random.int(2, 5));
    };
    const caseVariant = (s: string) => (random.chance(0.5) ? s.toUpperCase() : s.toLowerCase());
    const operator = random.weighted<string>([
      ['=', 8],
      ['!=', 6],
      ['<', 2],
      ['>', 2],
      ['<=', 2],
      ['>=', 2],
      ['=?', 3],
      ['like', 6],
      ['not like', 4],
      ['ilike', 8],
      ['not ilike', 5],
      ['=like', 4],
      ['=ilike', 4],
      ['in', 6],
      ['not in', 5],
    ]);
    const emptyish = (): Value =>
      random.weighted<Value>([
        [false, 3],
        [null, 1],
        ['', 1],
      ]);
    switch (operator) {
      case '=':
      case '!=':
      case '=?':
        return [path, operator, random.chance(0.2) ? emptyish() : random.chance(0.15) ? caseVariant(full) : full];
      case '<':
      case '>':
      case '<=':
      case '>=':
        return [path, operator, random.chance(0.05) ? false : random.chance(0.6) ? full : fragment()];
      case 'like':
      case 'not like':
      case 'ilike':
      case 'not ilike': {
        const value = random.weighted<() => Value>([
          [fragment, 10],
          [() => caseVariant(fragment()), 5],
          [() => `${fragment()}%${fragment()}`, 2],
          [() => fragment().replace(/^./, '_'), 2],
          [() => '', 1],
          [() => false, 1],
        ])();
        return [path, operator, value];
      }
      case '=like':
      case '=ilike': {
        const cut = random.int(1, Math.max(1, full.length - 1));
        const value = random.weighted<() => string>([
          [() => `${full.slice(0, cut)}%`, 4],
          [() => `%${full.slice(cut)}`, 3],
          [() => `%${fragment()}%`, 2],
          [() => full.replace(/[aeiou]/, '_'), 2],
          [() => full, 2],
        ])();
        return [path, operator, operator === '=ilike' && random.chance(0.5) ? caseVariant(value) : value];
      }
      case 'in':
      case 'not in':
      default: {
        const list: Value[] = random.sample(source, random.int(0, 3));
        if (random.chance(0.3)) list.push(random.chance(0.7) ? false : null);
        if (random.chance(0.1)) list.push(caseVariant(full));
        return [path, operator, list];
      }
    }
  }

  protected booleanLeaf(path: string): Leaf {
    const random = this.random;
    const operator = random.weighted<string>([
      ['=', 5],
      ['!=', 4],
      ['in', 2],
      ['not in', 1],
      ['=?', 1],
    ]);
    if (operator === 'in' || operator === 'not in') return [path, operator, random.sample([true, false], random.int(1, 2))];
    return [path, operator, random.chance(0.5)];
  }

  protected selectionLeaf(path: string, keys: readonly string[]): Leaf {
    const random = this.random;
    const operator = random.weighted<string>([
      ['=', 5],
      ['!=', 4],
      ['in', 3],
      ['not in', 2],
      ['=?', 1],
      ['ilike', 1],
      ['=like', 1],
    ]);
    if (operator === 'in' || operator === 'not in') {
      const list: Value[] = random.sample(keys, random.int(1, 2));
      if (random.chance(0.2)) list.push(false);
      return [path, operator, list];
    }
    if (operator === 'ilike') return [path, operator, this.pick(keys).slice(0, 3)];
    if (operator === '=like') return [path, operator, `${this.pick(keys).slice(0, 2)}%`];
    return [path, operator, random.chance(0.1) ? false : this.pick(keys)];
  }

  /** A name or a piece of one, as typed to find a partner (sometimes an email's domain, which Odoo's name search also looks at). */
  protected partnerName(): string {
    const random = this.random;
    const target = this.pick(this.pools.partners);
    const plain = target.name.replace(/^FID-\d+-[a-z0-9]+-/, '');
    return random.weighted<() => string>([
      [() => target.name, 4],
      [() => plain.split(' ')[0]!, 4],
      [() => plain.slice(0, 4).toLowerCase(), 2],
      [() => (target.email ? target.email.split('@')[1]!.split('.')[0]! : plain.slice(-4)), 2],
      [() => target.ref ?? target.vat ?? plain.slice(1, 5), 1],
    ])();
  }

  protected partnerMany2one(path: string): Leaf {
    const random = this.random;
    const operator = random.weighted<string>([
      ['=', 5],
      ['!=', 4],
      ['in', 4],
      ['not in', 3],
      ['=?', 1],
      ['ilike', 5],
      ['not ilike', 3],
      ['like', 1],
      ['=ilike', 1],
      ['child_of', 3],
      ['parent_of', 3],
      ['<', 1],
      ['>', 1],
    ]);
    switch (operator) {
      case '=':
      case '!=':
        return [
          path,
          operator,
          random.weighted<() => Value>([
            [() => this.partnerRef(true), 5],
            [() => false, 3],
            [() => this.partnerName(), 2],
          ])(),
        ];
      case '=?':
        return [path, operator, random.chance(0.5) ? false : this.partnerRef(true)];
      case 'in':
      case 'not in': {
        if (random.chance(0.2)) return [path, operator, [this.partnerName(), this.partnerName()]];
        const list: Value[] = Array.from({ length: random.int(0, 3) }, () => this.partnerRef(true));
        if (random.chance(0.3)) list.push(false);
        return [path, operator, list];
      }
      case 'child_of':
      case 'parent_of':
        return [
          path,
          operator,
          random.weighted<() => Value>([
            [() => this.partnerRef(true), 5],
            [() => [this.partnerRef(true), this.partnerRef()], 2],
            [() => this.partnerName(), 2],
          ])(),
        ];
      case '<':
      case '>':
        return [path, operator, this.partnerRef()];
      default:
        return [path, operator, operator === '=ilike' ? `${this.partnerName().slice(0, 6)}%` : this.partnerName()];
    }
  }

  #countryName(): string {
    const random = this.random;
    const [code, name] = this.pick(COUNTRIES);
    return random.weighted<() => string>([
      [() => name, 3],
      [() => name.slice(0, 4).toLowerCase(), 3],
      [() => code, 2],
      [() => code.toLowerCase(), 1],
      [() => name.slice(-3), 1],
    ])();
  }

  protected countryMany2one(path: string): Leaf {
    const random = this.random;
    const operator = random.weighted<string>([
      ['=', 5],
      ['!=', 4],
      ['in', 4],
      ['not in', 3],
      ['=?', 1],
      ['ilike', 4],
      ['not ilike', 3],
      ['=like', 1],
      ['child_of', 1],
      ['parent_of', 1],
    ]);
    switch (operator) {
      case '=':
      case '!=':
        return [
          path,
          operator,
          random.weighted<() => Value>([
            [() => this.#countryRef(), 5],
            [() => false, 3],
            [() => this.#countryName(), 2],
          ])(),
        ];
      case '=?':
        return [path, operator, random.chance(0.5) ? false : this.#countryRef()];
      case 'in':
      case 'not in': {
        if (random.chance(0.2)) return [path, operator, [this.#countryName(), this.#countryName()]];
        const list: Value[] = Array.from({ length: random.int(0, 3) }, () => this.#countryRef());
        if (random.chance(0.3)) list.push(false);
        return [path, operator, list];
      }
      case 'child_of':
      case 'parent_of':
        return [path, operator, this.#countryRef()];
      case '=like':
        return [path, operator, `${this.pick(COUNTRIES)[1].slice(0, 3)}%`];
      default:
        return [path, operator, this.#countryName()];
    }
  }

  #tagName(): string {
    const random = this.random;
    const tag = this.pick(this.scenario.tags);
    const plain = tag.name.replace(/^FID-\d+-[a-z0-9]+-/, '');
    return random.weighted<() => string>([
      [() => tag.name, 3],
      [() => plain, 3],
      [() => plain.slice(0, 3).toLowerCase(), 2],
      [() => plain.toUpperCase(), 1],
    ])();
  }

  #tagsX2many(path: string): Leaf {
    const random = this.random;
    const operator = random.weighted<string>([
      ['=', 4],
      ['!=', 3],
      ['in', 4],
      ['not in', 3],
      ['ilike', 3],
      ['not ilike', 2],
      ['child_of', 3],
      ['parent_of', 1],
    ]);
    switch (operator) {
      case '=':
      case '!=':
        return [
          path,
          operator,
          random.weighted<() => Value>([
            [() => this.#tagRef(), 3],
            [() => false, 4],
            [() => this.#tagName(), 2],
          ])(),
        ];
      case 'in':
      case 'not in': {
        const list: Value[] = Array.from({ length: random.int(0, 2) }, () => this.#tagRef());
        if (random.chance(0.2)) list.push(false);
        return [path, operator, list];
      }
      case 'child_of':
      case 'parent_of':
        return [path, operator, random.chance(0.7) ? this.#tagRef() : this.#tagName()];
      default:
        return [path, operator, this.#tagName()];
    }
  }

  #childrenX2many(depth: number): Leaf {
    const random = this.random;
    const operator = random.weighted<string>([
      ['=', 4],
      ['!=', 4],
      ['in', 3],
      ['not in', 3],
      ['ilike', 3],
      ['not ilike', 3],
      ['child_of', 1],
      ['any', depth < 3 ? 2 : 0],
    ]);
    switch (operator) {
      case '=':
      case '!=':
        return ['child_ids', operator, random.chance(0.6) ? false : this.partnerRef()];
      case 'in':
      case 'not in':
        return ['child_ids', operator, Array.from({ length: random.int(1, 3) }, () => this.partnerRef())];
      case 'child_of':
        return ['child_ids', operator, this.partnerRef(true)];
      case 'any':
        return ['child_ids', random.chance(0.5) ? 'any' : 'not any', this.subdomain('res.partner', depth)];
      default:
        return ['child_ids', operator, this.partnerName()];
    }
  }

  #idLeaf(): Leaf {
    const random = this.random;
    const operator = random.weighted<string>([
      ['in', 3],
      ['not in', 2],
      ['=', 2],
      ['!=', 1],
      ['child_of', 4],
      ['parent_of', 4],
    ]);
    if (operator === 'in' || operator === 'not in')
      return ['id', operator, Array.from({ length: random.int(1, 4) }, () => this.partnerRef())];
    if (operator === 'child_of' || operator === 'parent_of') {
      return [
        'id',
        operator,
        random.weighted<() => Value>([
          [() => this.partnerRef(true), 5],
          [() => [this.partnerRef(true), this.partnerRef()], 2],
          [() => this.partnerName(), 2],
        ])(),
      ];
    }
    return ['id', operator, this.partnerRef()];
  }

  /** A leaf through a path: many2one (`country_id.code`, `parent_id.country_id.code`) or x2many (`category_id.name`, `child_ids.name`). */
  #dotted(depth: number): Leaf {
    const random = this.random;
    const names = this.pools.char.get('name')!;
    const path = random.weighted<string>([
      ['country_id.code', 5],
      ['country_id.name', 3],
      ['parent_id.name', 4],
      ['parent_id.city', 2],
      ['parent_id.is_company', 2],
      ['parent_id.active', 1],
      ['parent_id.email', 2],
      ['parent_id.country_id.code', 4],
      ['parent_id.parent_id.name', 2],
      ['commercial_partner_id.name', 2],
      ['commercial_partner_id.vat', 1],
      ['category_id.name', 4],
      ['category_id.parent_id.name', 1],
      ['category_id.active', 1],
      ['child_ids.name', 4],
      ['child_ids.email', 2],
      ['child_ids.type', 2],
      ['child_ids.active', 1],
      ['child_ids.city', 1],
      ['child_ids.category_id.name', 2],
      ['child_ids.country_id.code', 2],
      ['parent_id.country_id', 1],
    ]);
    const last = path.slice(path.lastIndexOf('.') + 1);
    const head = path.slice(0, path.lastIndexOf('.'));
    let leaf: Leaf;
    if (path === 'parent_id.country_id') leaf = this.countryMany2one('country_id');
    else if (last === 'code')
      leaf = this.charLeaf('code', this.pools.char.get('res.country.code')!, this.pools.char.get('res.country.code')!);
    else if (head.endsWith('country_id') && last === 'name')
      leaf = this.charLeaf('name', this.pools.char.get('res.country.name')!, this.pools.char.get('res.country.name')!);
    else if (head.endsWith('category_id') || head.endsWith('category_id.parent_id')) {
      leaf =
        last === 'active'
          ? this.booleanLeaf('active')
          : this.charLeaf('name', this.pools.char.get('res.partner.category.name')!, this.pools.char.get('res.partner.category.name')!);
    } else if (last === 'is_company' || last === 'active') leaf = this.booleanLeaf(last);
    else if (last === 'type') leaf = this.selectionLeaf('type', ['contact', 'invoice', 'delivery', 'other']);
    else leaf = this.charLeaf(last, this.pools.char.get(last) ?? names, names);
    void depth;
    return [`${head}.${leaf[0]}`, leaf[1], leaf[2]];
  }

  // -------------------------------------------------------------- comodels (inside `any`)

  #countryLeaf(depth: number): Leaf {
    void depth;
    if (this.random.chance(0.5))
      return this.charLeaf('code', this.pools.char.get('res.country.code')!, this.pools.char.get('res.country.code')!);
    return this.charLeaf('name', this.pools.char.get('res.country.name')!, this.pools.char.get('res.country.name')!);
  }

  #tagLeaf(depth: number): Leaf {
    const random = this.random;
    const family = random.weighted<string>([
      ['name', 5],
      ['active', 2],
      ['parent', 2],
      ['id', 1],
    ]);
    void depth;
    switch (family) {
      case 'active':
        return this.booleanLeaf('active');
      case 'parent':
        return random.chance(0.5)
          ? ['parent_id', random.chance(0.5) ? '=' : '!=', random.chance(0.5) ? false : this.#tagRef()]
          : ['parent_id.name', 'ilike', this.#tagName()];
      case 'id':
        return ['id', 'in', [this.#tagRef(), this.#tagRef()]];
      default:
        return this.charLeaf('name', this.pools.char.get('res.partner.category.name')!, this.pools.char.get('res.partner.category.name')!);
    }
  }
}

/** The operators a domain uses, `any` sub-domains included, and its dotted paths. */
export function coverageOf(terms: readonly Term[], operators: Map<string, number>, paths: Map<string, number>): void {
  for (const term of terms) {
    if (isOperatorTerm(term)) {
      operators.set(term, (operators.get(term) ?? 0) + 1);
      continue;
    }
    const [path, operator, value] = term;
    operators.set(operator, (operators.get(operator) ?? 0) + 1);
    if (path.includes('.')) paths.set(path, (paths.get(path) ?? 0) + 1);
    if (operator === 'any' || operator === 'not any') coverageOf(value as readonly Term[], operators, paths);
    if (value === false || value === null) operators.set(`${operator} False/None`, (operators.get(`${operator} False/None`) ?? 0) + 1);
    if (path === 'active') operators.set('active in domain', (operators.get('active in domain') ?? 0) + 1);
  }
}
