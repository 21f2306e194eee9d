/**
 * Differential test, part 1 (issue 14): seeded random domains over res.partner (and crm.lead, sale.order),
 * answered by the embedded store and by a real Odoo 17, compared answer for answer.
 *
 *   source ~/odoo-lab/live.env && FIDELITY_SEED=1 FIDELITY_DOMAINS=500 npx vitest run test/fidelity/domains.test.ts
 *
 * The same ~40 partners (companies, contacts, contacts of contacts, archived ones, addresses, countries, tags,
 * NULL emails and phones; support/partners.ts), 20 leads, 5 products and 14 sale orders (support/documents.ts)
 * are created through REST as admin on a fresh embedded store and on the lab's Odoo (through its reference
 * REST gateway). Then FIDELITY_DOMAINS (default 500) random res.partner domains of seed FIDELITY_SEED (default
 * 1), and FIDELITY_DOC_DOMAINS (default 150) each over crm.lead and sale.order, run on both, each scoped to the
 * run's records with `['&', (<name or client_order_ref>, '=like', '<marker>-%'), <domain>]`; what they select
 * is compared, mapped back to the scenario's keys (C companies, K contacts, G contacts of contacts, S
 * individuals, H the individual's contact; L leads; O orders). The same domains also run through this server
 * with BACKEND=odoo in front of the lab (FIDELITY_FACADE=0 leaves that out), compared with the gateway.
 *
 * For each differing domain (the first FIDELITY_DIAGNOSE, default all), each of its leaves is run alone (under
 * `!` when an odd number of `!` applies to it) to name the leaves that differ, and those leaves are put in the
 * known classes of support/classes.ts (each with its root cause in Odoo's source); the summary counts the
 * differing domains per class and lists in full those no class explains. A domain Odoo answers with a 5xx
 * (an exception inside Odoo, e.g. KeyError: '=?' on a translated field) is set apart and counted, not
 * compared: a crash is nothing to imitate. FIDELITY_SHOW=n prints n differing domains (default 15),
 * FIDELITY_SIGNATURES=1 the differing leaves by signature, FIDELITY_REPORT=<file> writes everything as JSON.
 * The lab's records are deleted at the end (FIDELITY_KEEP=1 keeps them).
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLASSES, classify } from './support/classes.js';
import { describeDifference, differ, leafSignature, select, type Difference, type Selection, type Target } from './support/compare.js';
import { buildDocuments, createDocuments, deleteDocuments, DocumentDomainGenerator, type Documents } from './support/documents.js';
import { coverageOf, DomainGenerator, leavesOf, OPERATORS, printDomain, type Model, type Term } from './support/domains.js';
import { buildScenario, createScenario, deleteScenario, type Scenario, type SideIds } from './support/partners.js';
import { describeWithLab, embeddedSide, envInt, facadeSide, inPool, odooSide, runMarker, type Side } from './support/sides.js';

const SEED = envInt('FIDELITY_SEED', 1);
const COUNT = envInt('FIDELITY_DOMAINS', 500);
const DOC_COUNT = envInt('FIDELITY_DOC_DOMAINS', 150);
const DIAGNOSE = envInt('FIDELITY_DIAGNOSE', 100_000);
const WITH_FACADE = process.env.FIDELITY_FACADE !== '0';
const SHOWN = envInt('FIDELITY_SHOW', 15);

interface DomainSet {
  readonly name: string;
  readonly model: Model;
  readonly target: Target;
  /** Whether the model has an `active` field (Odoo then hides archived records unless the domain names `active`). */
  readonly hasActive: boolean;
  readonly domains: Term[][];
  results?: Promise<Map<string, Selection[]>>;
}

const TESTS = [
  'the scenario reads back the same on both sides',
  `${COUNT} random res.partner domains (seed ${SEED}): the embedded store selects what Odoo 17 selects`,
  `${DOC_COUNT} random crm.lead domains (seed ${SEED}): the embedded store selects what Odoo 17 selects`,
  `${DOC_COUNT} random sale.order domains (seed ${SEED}): the embedded store selects what Odoo 17 selects`,
  `all random domains (seed ${SEED}): BACKEND=odoo selects what Odoo's reference REST gateway selects`,
  'the random domains exercise every operator, dotted paths, !, |, &, False and active',
];

describeWithLab('fidelity: random domains, embedded store vs Odoo 17', TESTS, (env) => {
  let embedded: Side;
  let odoo: Side;
  let facade: Side | undefined;
  let scenario: Scenario;
  let documents: Documents;
  const ids = new Map<string, SideIds>();
  const sets = new Map<string, DomainSet>();

  beforeAll(async () => {
    scenario = buildScenario(SEED, runMarker(SEED));
    documents = buildDocuments(SEED, scenario);
    embedded = await embeddedSide();
    odoo = odooSide(env);
    if (WITH_FACADE) facade = await facadeSide(env);
    const make = async (side: Side) => {
      const sideIds = await createScenario(side, scenario);
      ids.set(side.name, sideIds);
      await createDocuments(side, documents, sideIds);
    };
    await Promise.all([make(embedded), make(odoo)]);
    ids.set('facade', ids.get('odoo')!);
    const marker = scenario.marker;
    const partners = new DomainGenerator(SEED, scenario);
    sets.set('res.partner', {
      name: 'res.partner',
      model: 'res.partner',
      hasActive: true,
      domains: Array.from({ length: COUNT }, () => partners.domain()),
      target: {
        slug: 'res_partner',
        label: 'name',
        scope: ['name', '=like', `${marker}-%`],
        keyOf: new Map(scenario.partners.map((p) => [p.name, p.key])),
      },
    });
    const docs = new DocumentDomainGenerator(SEED, scenario, documents);
    sets.set('crm.lead', {
      name: 'crm.lead',
      model: 'crm.lead',
      hasActive: true,
      domains: Array.from({ length: DOC_COUNT }, () => docs.domainFor('crm.lead')),
      target: {
        slug: 'crm_lead',
        label: 'name',
        scope: ['name', '=like', `${marker}-%`],
        keyOf: new Map(documents.leads.map((l) => [l.name, l.key])),
      },
    });
    sets.set('sale.order', {
      name: 'sale.order',
      model: 'sale.order',
      hasActive: false,
      domains: Array.from({ length: DOC_COUNT }, () => docs.domainFor('sale.order')),
      target: {
        slug: 'sale_order',
        label: 'client_order_ref',
        scope: ['client_order_ref', '=like', `${marker}-%`],
        keyOf: new Map(documents.orders.map((o) => [o.ref, o.key])),
      },
    });
  }, 600_000);

  afterAll(async () => {
    const keep = process.env.FIDELITY_KEEP === '1';
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
    if (keep && scenario) console.info(`fidelity: FIDELITY_KEEP=1, the lab keeps the records of ${scenario.marker}`);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
    if (!keep && scenario && ids.has('odoo')) {
      const failures = [
        ...(await deleteDocuments(odoo, documents, ids.get('odoo')!)),
        ...(await deleteScenario(odoo, scenario, ids.get('odoo')!)),
      ];
      if (failures.length) console.warn(`fidelity: could not delete on the lab:\n  ${failures.join('\n  ')}`);
    }
    await facade?.close();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
    await embedded?.close();
  }, 300_000);

  const sideNamed = (name: string): Side => (name === 'embedded' ? embedded : name === 'facade' ? facade! : odoo);

  /** Every domain of a set on every side, once. */
  function runAll(set: DomainSet): Promise<Map<string, Selection[]>> {
    set.results ??= (async () => {
      const sides = [embedded, odoo, ...(facade ? [facade] : [])];
      const out = new Map<string, Selection[]>(sides.map((s) => [s.name, []]));
      await inPool(set.domains, 3, async (domain, i) => {
        for (const side of sides) out.get(side.name)![i] = await select(side, ids.get(side.name)!, set.target, domain);
      });
      return out;
    })();
    return set.results;
  }

  /**
   * Compares side `a` with Odoo's gateway over a set of domains; prints and returns the differences.
   * A domain Odoo answers with a 5xx is set apart.
   */
  async function compare(set: DomainSet, a: string): Promise<Array<{ index: number; difference: Difference }>> {
    const b = 'odoo';
    const all = await runAll(set);
    const mismatches: Array<{ index: number; difference: Difference }> = [];
    const crashes: number[] = [];
    set.domains.forEach((_, i) => {
      const theirs = all.get(b)![i]!;
      if (theirs.status >= 500) {
        crashes.push(i);
        return;
      }
      const difference = differ(all.get(a)![i]!, theirs);
      if (difference) mismatches.push({ index: i, difference });
    });
    // Leaves that differ on their own, for the first DIAGNOSE differing domains, and their classes.
    const leafCache = new Map<string, string | null>();
    const signatures = new Map<string, { count: number; example: string }>();
    const culpritsOf = new Map<number, string[]>();
    const classesOf = new Map<number, Set<string>>();
    for (const { index } of mismatches.slice(0, DIAGNOSE)) {
      const culprits: string[] = [];
      const classes = new Set<string>();
      // A domain naming `active` anywhere in its list turns Odoo's archived-records filter off for all of it
      // (models.py _search: `if not any(item[0] == 'active' ...)`): its leaves are probed the same way.
      const activeOff = set.hasActive && set.domains[index]!.some((t) => Array.isArray(t) && t[0] === 'active');
      for (const { leaf, negated } of leavesOf(set.domains[index]!)) {
        // `'|', ('id', '=', 0)` (nothing) keeps Odoo's is_false() shortcut (expression.py, called by models.py
        // _search) from answering a lone ('path', 'not in', []) under '!' as "nothing" without evaluating it.
        const probe: Term[] = [
          ...(activeOff ? (['&', ['active', 'in', [true, false]]] as Term[]) : []),
          '|',
          ['id', '=', 0],
          ...(negated ? (['!', leaf] as Term[]) : [leaf]),
        ];
        const text = printDomain(probe, null);
        if (!leafCache.has(text)) {
          const [x, y] = await Promise.all([
            select(sideNamed(a), ids.get(a)!, set.target, probe),
            select(odoo, ids.get(b)!, set.target, probe),
          ]);
          const d = y.status >= 500 ? null : differ(x, y);
          leafCache.set(text, d ? describeDifference(d, a, b) : null);
          if (d) {
            const signature = leafSignature(leaf, negated);
            const entry = signatures.get(signature) ?? { count: 0, example: `${text} -> ${describeDifference(d, a, b)}` };
            entry.count += 1;
            signatures.set(signature, entry);
          }
        }
        if (leafCache.get(text)) {
          culprits.push(text);
          for (const id of classify(leaf, negated, set.model)) classes.add(id);
        }
      }
      culpritsOf.set(index, culprits);
      classesOf.set(index, classes);
    }
    const perClass = new Map<string, number>();
    for (const classes of classesOf.values()) for (const id of classes) perClass.set(id, (perClass.get(id) ?? 0) + 1);
    const unexplained = [...classesOf].filter(([, classes]) => classes.size === 0).map(([index]) => index);
    const show = (index: number, difference: Difference) => {
      const culprits = culpritsOf.get(index);
      const classes = [...(classesOf.get(index) ?? [])].join(',');
      return `#${index} ${printDomain(set.domains[index]!, null)}\n    ${describeDifference(difference, a, b)}${culprits ? `\n    leaves that differ alone: ${culprits.join('  ') || '(none: only the combination differs)'}${classes ? `  [class ${classes}]` : '  [NO KNOWN CLASS]'}` : ''}`;
    };
    const byIndex = new Map(mismatches.map((m) => [m.index, m.difference]));
    const bySignature = [...signatures]
      .sort((x, y) => y[1].count - x[1].count)
      .map(([s, e]) => `${String(e.count).padStart(3)}  ${s}   e.g. ${e.example}`);
    const diagnosed = Math.min(DIAGNOSE, mismatches.length);
    console.info(
      [
        `fidelity ${set.name}, ${a} vs ${b}: ${mismatches.length} of ${set.domains.length - crashes.length} domains differ (seed ${SEED}, marker ${scenario.marker}; ${crashes.length} more domains set apart: Odoo answered 5xx)`,
        ...(perClass.size
          ? [
              `differing domains per class (of the ${diagnosed} diagnosed; a domain may fall in several):`,
              ...CLASSES.filter((c) => perClass.has(c.id)).map(
                (c) => `  ${c.id.padEnd(3)}${String(perClass.get(c.id)).padStart(4)}  ${c.title.slice(0, 150)}`,
              ),
            ]
          : []),
        ...(unexplained.length
          ? [`${unexplained.length} differing domains in no known class:`, ...unexplained.map((i) => show(i, byIndex.get(i)!))]
          : []),
        ...(bySignature.length && process.env.FIDELITY_SIGNATURES ? ['leaf signatures that differ on their own:', ...bySignature] : []),
        ...(crashes.length
          ? [
              `Odoo 5xx (set apart): ${crashes
                .slice(0, 5)
                .map((i) => `#${i} ${all.get(b)![i]!.error?.slice(0, 80)}`)
                .join(' | ')}${crashes.length > 5 ? ' ...' : ''}`,
            ]
          : []),
        ...mismatches.slice(0, SHOWN).map(({ index, difference }) => show(index, difference)),
        ...(mismatches.length > SHOWN ? [`... and ${mismatches.length - SHOWN} more (FIDELITY_SHOW=n shows more)`] : []),
      ].join('\n'),
    );
    if (process.env.FIDELITY_REPORT) {
      writeFileSync(
        `${process.env.FIDELITY_REPORT}.${set.name}.${a}-vs-${b}.json`,
        JSON.stringify(
          {
            seed: SEED,
            model: set.name,
            count: set.domains.length,
            marker: scenario.marker,
            crashes: crashes.map((i) => ({ index: i, domain: printDomain(set.domains[i]!, null), error: all.get(b)![i]!.error })),
            perClass: Object.fromEntries(perClass),
            unexplained,
            mismatches: mismatches.map(({ index, difference }) => ({
              index,
              domain: printDomain(set.domains[index]!, null),
              difference,
              culprits: culpritsOf.get(index),
              classes: [...(classesOf.get(index) ?? [])],
            })),
            signatures: Object.fromEntries(signatures),
          },
          null,
          1,
        ),
      );
    }
    return mismatches;
  }

  it(
    TESTS[0]!,
    async () => {
      const fields =
        'name,is_company,type,parent_id,street,city,zip,country_id,email,phone,function,ref,vat,category_id,active,commercial_partner_id,display_name';
      const keyOf = sets.get('res.partner')!.target.keyOf;
      const read = async (side: Side) => {
        const domain = `[('name', '=like', '${scenario.marker}-%'), ('active', 'in', [True, False])]`;
        const answer = await side.request('GET', `/api/res_partner?fields=${fields}&limit=1000&domain=${encodeURIComponent(domain)}`);
        expect(answer.status, answer.text).toBe(200);
        const tagKey = new Map([...ids.get(side.name)!.tag].map(([k, v]) => [v, k]));
        const countryKey = new Map([...ids.get(side.name)!.country].map(([k, v]) => [v, k]));
        return new Map(
          (answer.body.results as any[]).map((r) => [
            keyOf.get(r.name)!,
            {
              ...r,
              id: undefined,
              parent_id: r.parent_id ? (keyOf.get(r.parent_id.name) ?? r.parent_id.name) : false,
              commercial_partner_id: r.commercial_partner_id
                ? (keyOf.get(r.commercial_partner_id.name) ?? r.commercial_partner_id.name)
                : false,
              country_id: r.country_id ? countryKey.get(r.country_id.id) : false,
              category_id: (r.category_id as number[]).map((t) => tagKey.get(t)).sort(),
              display_name: String(r.display_name).replaceAll(scenario.marker, 'M'),
            },
          ]),
        );
      };
      const [mine, theirs] = await Promise.all([read(embedded), read(odoo)]);
      expect(mine.size).toBe(scenario.partners.length);
      expect(theirs.size).toBe(scenario.partners.length);
      const differences: string[] = [];
      for (const spec of scenario.partners) {
        const a = mine.get(spec.key);
        const b = theirs.get(spec.key);
        for (const field of fields.split(',')) {
          if (JSON.stringify(a[field]) !== JSON.stringify(b[field]))
            differences.push(`${spec.key}.${field}: embedded ${JSON.stringify(a[field])} odoo ${JSON.stringify(b[field])}`);
        }
      }
      if (differences.length)
        console.info(`fidelity: the scenario's records differ (${differences.length}):\n  ${differences.join('\n  ')}`);
      expect(differences).toEqual([]);
    },
    120_000,
  );

  for (const [test, set] of [
    [TESTS[1]!, 'res.partner'],
    [TESTS[2]!, 'crm.lead'],
    [TESTS[3]!, 'sale.order'],
  ] as const) {
    it(
      test,
      async () => {
        const current = sets.get(set)!;
        const mismatches = await compare(current, 'embedded');
        expect(
          mismatches.length,
          `${mismatches.length} of ${current.domains.length} ${set} domains select differently (details above)`,
        ).toBe(0);
      },
      1_800_000,
    );
  }

  it.skipIf(!WITH_FACADE)(
    TESTS[4]!,
    async () => {
      const counts: string[] = [];
      for (const set of sets.values()) {
        const mismatches = await compare(set, 'facade');
        if (mismatches.length) counts.push(`${set.name}: ${mismatches.length} of ${set.domains.length}`);
      }
      expect(counts, 'domains BACKEND=odoo answers otherwise than the gateway (details above)').toEqual([]);
    },
    1_800_000,
  );

  it(TESTS[5]!, () => {
    const operators = new Map<string, number>();
    const paths = new Map<string, number>();
    for (const domain of sets.get('res.partner')!.domains) coverageOf(domain, operators, paths);
    console.info(
      `fidelity coverage, res.partner (seed ${SEED}): ${[...operators]
        .sort()
        .map(([o, n]) => `${o}:${n}`)
        .join(' ')} | paths: ${[...paths]
        .sort()
        .map(([p, n]) => `${p}:${n}`)
        .join(' ')}`,
    );
    if (COUNT >= 200) {
      for (const op of [...OPERATORS, '!', '&', '|', '= False/None', 'active in domain'])
        expect(operators.get(op) ?? 0, op).toBeGreaterThan(0);
      for (const path of ['country_id.code', 'parent_id.name', 'parent_id.country_id.code', 'category_id.name', 'child_ids.name']) {
        expect(paths.get(path) ?? 0, path).toBeGreaterThan(0);
      }
    }
  });
});
