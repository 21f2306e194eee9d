/**
 * Odoo's `lang` on the embedded store (issue 16): translatable fields (`translate=True`) read, searched and
 * sorted in the caller's language with en_US as fallback, written as Odoo 17 writes them, and labels in
 * the caller's language. A real SQLite file in a temp dir, seeded with the demo data and its French values.
 *
 * Every French text expected here is one the lab's Odoo 17 (fr_FR installed) answered, e.g.
 *   python3: execute_kw(db, 2, key, 'crm.stage', 'search_read', [[]], {'fields': ['name'], 'context': {'lang': 'fr_FR'}})
 *   -> Nouveau, Qualifié, Proposition, Gagné
 * (JSON-RPC at $ODOO_URL/jsonrpc; see the comments on each test for the call). The last suite compares
 * with the lab directly and is skipped when it is not running.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldMeta } from '../../../src/backends/backend.js';
import { Authenticator } from '../../../src/backends/embedded/auth.js';
import { openDatabase, type SqliteDatabase } from '../../../src/backends/embedded/database.js';
import { DEMO_USERS, seedDemoData } from '../../../src/backends/embedded/demo/demo-data.js';
import { localizedDescription, localizeFields } from '../../../src/backends/embedded/i18n/labels.js';
import type { UserContext } from '../../../src/backends/embedded/model-definition.js';
import { MODELS } from '../../../src/backends/embedded/models/index.js';
import { Registry, fieldMeta } from '../../../src/backends/embedded/registry.js';
import { DomainCompiler, superuserContext } from '../../../src/backends/embedded/sql/compile-domain.js';
import { compileOrder } from '../../../src/backends/embedded/sql/compile-order.js';
import { Store } from '../../../src/backends/embedded/store.js';
import { parseDomain } from '../../../src/domain/parse-domain.js';
import { ensureLabLanguage } from '../../fidelity/support/lab-rpc.js';
import { describeWithLab } from '../../fidelity/support/sides.js';

let dir: string;
let db: SqliteDatabase;
let registry: Registry;
let store: Store;
let en: UserContext;
let fr: UserContext;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogf-translations-'));
  registry = new Registry(MODELS);
  db = openDatabase(registry, { file: join(dir, 'odoo.sqlite') });
  store = new Store(db, registry);
  store.transaction(() =>
    seedDemoData({
      create: (model, values) => store.create('superuser', model, values),
      setPassword: () => {},
      setTranslation: (model, id, field, lang, value) => store.setTranslation(model, id, field, lang, value),
    }),
  );
  const admin = new Authenticator(db, store).userContext(DEMO_USERS.find((u) => u.login === 'admin')!.id);
  en = { ...admin, lang: 'en_US' };
  fr = { ...admin, lang: 'fr_FR' };
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const names = (user: UserContext, model: string, domain = '[]', order?: string) =>
  store.searchRead(user, model, parseDomain(domain), ['name'], order ? { order } : {}).map((r) => r.name);

describe('translatable fields in the caller language', () => {
  // Lab: crm.stage search_read [] fields ['name'] in {lang: 'fr_FR'} -> Nouveau, Qualifié, Proposition, Gagné.
  it('reads the value in the caller language, the en_US one where there is none', () => {
    const ids = store.search(en, 'crm.stage', parseDomain("[('name', 'in', ['New', 'Qualified', 'Proposition', 'Won'])]"));
    expect(store.read(fr, 'crm.stage', ids, ['name', 'display_name']).map((r) => [r.name, r.display_name])).toEqual([
      ['Nouveau', 'Nouveau'],
      ['Qualifié', 'Qualifié'],
      ['Proposition', 'Proposition'],
      ['Gagné', 'Gagné'],
    ]);
    expect(store.read(en, 'crm.stage', ids, ['name']).map((r) => r.name)).toEqual(['New', 'Qualified', 'Proposition', 'Won']);
    // No lang at all is en_US.
    const { lang: _none, ...noLang } = fr;
    expect(store.read(noLang, 'crm.stage', ids.slice(0, 1), ['name'])[0]!.name).toBe('New');
  });

  // Lab: crm.lead search_read [('stage_id', 'ilike', 'Nouv')] fields ['stage_id'] in fr_FR -> stage_id [1, 'Nouveau'];
  // the same search in en_US counts 0.
  it('shows many2one names in the caller language, and matches them by name', () => {
    const leads = store.searchRead(fr, 'crm.lead', parseDomain("[('stage_id', 'ilike', 'Nouv')]"), ['stage_id'], { limit: 3 });
    expect(leads.length).toBeGreaterThan(0);
    for (const lead of leads) expect((lead.stage_id as [number, string])[1]).toBe('Nouveau');
    expect(store.searchCount(en, 'crm.lead', parseDomain("[('stage_id', 'ilike', 'Nouv')]"))).toBe(0);
    expect(store.read(en, 'crm.lead', [leads[0]!.id], ['stage_id'])[0]!.stage_id).toEqual([(leads[0]!.stage_id as [number])[0], 'New']);
  });

  // Lab: product.product read in fr_FR -> name 'Grand bureau', display_name '[E-COM09] Grand bureau' ('[code] name').
  it('makes display names of the value in the caller language', () => {
    const [desk] = store.searchRead(fr, 'product.product', parseDomain("[('name', '=', 'Grand bureau')]"), ['name', 'display_name']);
    expect(desk).toMatchObject({ name: 'Grand bureau', display_name: '[FURN_0001] Grand bureau' });
    expect(store.displayNames('product.product', [desk!.id], 'fr_FR').get(desk!.id)).toBe('[FURN_0001] Grand bureau');
    expect(store.displayNames('product.product', [desk!.id]).get(desk!.id)).toBe('[FURN_0001] Large Desk');
  });

  // Lab, crm.stage in fr_FR: [('name', 'in', ['Nouveau', 'Won'])] -> Nouveau only; [('name', '!=', 'Nouveau')] -> the
  // three others; crm.lead [('stage_id.name', '=', 'Gagné')] counts as [('stage_id.name', '=', 'Won')] in en_US,
  // and 'Won' in fr_FR counts 0; res.partner.category [('name', 'in', ['Vendor', ...])] in fr_FR misses Vendor.
  it('searches the value in the caller language, falling back to en_US (COALESCE), also through a path', () => {
    expect(names(fr, 'crm.stage', "[('name', 'in', ['Nouveau', 'Won'])]")).toEqual(['Nouveau']);
    expect(names(fr, 'crm.stage', "[('name', '=', 'Proposition')]")).toEqual(['Proposition']);
    expect(names(fr, 'crm.stage', "[('name', '!=', 'Nouveau')]")).not.toContain('Nouveau');
    expect(names(fr, 'crm.stage', "[('name', '!=', 'Nouveau')]")).toContain('Qualifié');
    expect(names(en, 'crm.stage', "[('name', '=', 'Nouveau')]")).toEqual([]);
    const won = store.searchCount(en, 'crm.lead', parseDomain("[('stage_id.name', '=', 'Won')]"));
    expect(won).toBeGreaterThan(0);
    expect(store.searchCount(fr, 'crm.lead', parseDomain("[('stage_id.name', '=', 'Gagné')]"))).toBe(won);
    expect(store.searchCount(fr, 'crm.lead', parseDomain("[('stage_id.name', '=', 'Won')]"))).toBe(0);
    expect(names(fr, 'res.partner.category', "[('name', 'in', ['Vendor', 'Prospects'])]")).toEqual(['Prospects']);
    // A name matched on a many2one to a country (its name search) in French.
    const germans = store.searchCount(fr, 'res.partner', parseDomain("[('country_id', 'ilike', 'Allemagne')]"));
    expect(germans).toBe(store.searchCount(en, 'res.partner', parseDomain("[('country_id', 'ilike', 'Germany')]")));
    expect(germans).toBeGreaterThan(0);
  });

  // Lab: res.country search_read [('code', 'in', <the store's 16 codes>)] order 'name' in fr_FR -> Allemagne, Australie,
  // Belgique, Brésil, Canada, Chine, Espagne, France, Inde, Italie, Japon, Mexique, Pays-Bas, Royaume-Uni, Suisse, États-Unis.
  it('sorts by the value in the caller language, also through a many2one', () => {
    expect(names(fr, 'res.country', '[]', 'name')).toEqual([
      'Allemagne',
      'Australie',
      'Belgique',
      'Brésil',
      'Canada',
      'Chine',
      'Espagne',
      'France',
      'Inde',
      'Italie',
      'Japon',
      'Mexique',
      'Pays-Bas',
      'Royaume-Uni',
      'Suisse',
      'États-Unis',
    ]);
    expect(names(en, 'res.country', '[]', 'name')[0]).toBe('Australia');
    // Partners by country (res.country's _order is `name`): Germany (Allemagne) comes before Belgium (Belgique) in French.
    const countries = (user: UserContext) =>
      store
        .searchRead(user, 'res.partner', parseDomain("[('country_id.code', 'in', ['BE', 'DE'])]"), ['country_id'], { order: 'country_id' })
        .map((r) => (r.country_id as [number, string])[1]);
    expect(countries(fr)[0]).toBe('Allemagne');
    expect(countries(fr).at(-1)).toBe('Belgique');
    expect(countries(en)[0]).toBe('Belgium');
  });
});

describe('create, write and unlink of translatable values (as the lab: res.partner.category)', () => {
  // Lab (res.partner.category, JSON-RPC create / write / read with context {'lang': ...}): a create in fr_FR gives the
  // value in en_US and fr_FR; a write in fr_FR changes fr_FR only; a write in en_US (or without lang) changes en_US only;
  // a record created in en_US and written in fr_FR keeps its en_US value.
  const readIn = (user: UserContext, id: number) => store.read(user, 'res.partner.category', [id], ['name', 'display_name'])[0];

  it('a create in fr_FR sets both en_US and fr_FR', () => {
    const id = store.create(fr, 'res.partner.category', { name: 'TRX Créé' });
    expect(readIn(en, id)).toMatchObject({ name: 'TRX Créé', display_name: 'TRX Créé' });
    expect(readIn(fr, id)).toMatchObject({ name: 'TRX Créé', display_name: 'TRX Créé' });

    store.write(fr, 'res.partner.category', [id], { name: 'TRX Écrit FR' });
    expect(readIn(en, id)!.name).toBe('TRX Créé');
    expect(readIn(fr, id)!.name).toBe('TRX Écrit FR');

    store.write(en, 'res.partner.category', [id], { name: 'TRX Written EN' });
    expect(readIn(en, id)!.name).toBe('TRX Written EN');
    expect(readIn(fr, id)!.name).toBe('TRX Écrit FR');

    expect(names(fr, 'res.partner.category', "[('name', 'ilike', 'TRX')]")).toEqual(['TRX Écrit FR']);
    expect(names(en, 'res.partner.category', "[('name', '=', 'TRX Écrit FR')]")).toEqual([]);
  });

  it('a record created in en_US reads en_US in fr_FR until written there, which leaves en_US alone', () => {
    const id = store.create(en, 'res.partner.category', { name: 'TRX Only EN' });
    expect(readIn(fr, id)!.name).toBe('TRX Only EN');
    store.write(fr, 'res.partner.category', [id], { name: 'TRX FR for en-only' });
    expect(readIn(en, id)!.name).toBe('TRX Only EN');
    expect(readIn(fr, id)!.name).toBe('TRX FR for en-only');
  });

  it('unlink removes the translations of the record, also of records deleted by a cascade', () => {
    const parent = store.create(fr, 'res.partner.category', { name: 'TRX Parent' });
    const child = store.create(fr, 'res.partner.category', { name: 'TRX Enfant', parent_id: parent });
    const count = (id: number) =>
      (
        db.prepare(`SELECT count(*) AS n FROM "_translation" WHERE "model" = 'res.partner.category' AND "res_id" = ?`).get(id) as {
          n: number;
        }
      ).n;
    expect(count(parent) + count(child)).toBe(2);
    store.unlink(en, 'res.partner.category', [parent]);
    expect(count(parent) + count(child)).toBe(0);
  });
});

describe('languages', () => {
  it('an unknown language reads, searches and labels in en_US', () => {
    const de = { ...fr, lang: 'de_DE' };
    expect(names(de, 'crm.stage', "[('name', '=', 'New')]")).toEqual(['New']);
    expect(names(de, 'crm.stage', "[('name', '=', 'Nouveau')]")).toEqual([]);
    const fields = { name: fieldMeta(registry.model('crm.stage').fields.get('name')!) };
    expect(localizeFields('crm.stage', fields, 'de_DE')).toBe(fields);
    expect(localizedDescription('crm.stage', 'de_DE')).toBe('CRM Stages');
  });

  it('en_US adds no sub-query: the SQL of a search and an order is the columns alone', () => {
    const model = registry.model('crm.stage');
    const domain = parseDomain("[('name', 'ilike', 'New')]");
    const plain = new DomainCompiler(superuserContext(registry)).compile(model, 't', domain).sql;
    expect(plain).not.toContain('_translation');
    expect(compileOrder(registry, model, 't', 'name')).toBe('t."name" ASC, t."id"');
    expect(compileOrder(registry, model, 't', 'name', undefined, 'fr_FR')).toContain('"_translation"');
    const french = new DomainCompiler({ ...superuserContext(registry), lang: 'fr_FR' }).compile(model, 't', domain).sql;
    expect(french).toContain('"_translation"');
  });
});

describe('labels in the caller language', () => {
  const metaOf = (model: string): Record<string, FieldMeta> =>
    Object.fromEntries([...registry.model(model).fields.values()].filter((f) => !f.internal).map((f) => [f.name, fieldMeta(f)]));

  // Lab: crm.stage fields_get(['name', 'sequence'], attributes ['string', 'help']) in fr_FR -> name "Nom de l'étape",
  // sequence 'Séquence' with help 'Utilisé pour classer les étapes. Les valeurs basses passent avant.'; sale.order
  // fields_get state selection in fr_FR: draft 'Devis', sale 'Bon de commande'; ir.model name of crm.stage 'Étapes CRM'.
  it("fields_get's string, help and selection labels, and the model description", () => {
    const stage = localizeFields('crm.stage', metaOf('crm.stage'), 'fr_FR');
    expect(stage.name).toMatchObject({ string: "Nom de l'étape", type: 'char', required: true });
    expect(stage.sequence).toMatchObject({
      string: 'Séquence',
      help: 'Utilisé pour classer les étapes. Les valeurs basses passent avant.',
    });
    expect(stage.display_name!.string).toBe("Nom d'affichage");
    const order = localizeFields('sale.order', metaOf('sale.order'), 'fr_FR');
    expect(Object.fromEntries(order.state!.selection!)).toMatchObject({ draft: 'Devis', sale: 'Bon de commande' });
    expect(localizedDescription('crm.stage', 'fr_FR')).toBe('Étapes CRM');
  });

  it('en_US gives the input back as it is', () => {
    const fields = metaOf('sale.order');
    expect(localizeFields('sale.order', fields, 'en_US')).toBe(fields);
    expect(localizeFields('sale.order', fields, undefined)).toBe(fields);
    expect(localizedDescription('sale.order', 'en_US')).toBe('Sales Order');
  });
});

interface Rpc {
  (model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>): Promise<unknown>;
}

describeWithLab('translations against the lab (Odoo 17, fr_FR)', ['stage and country names, labels'], (env) => {
  let rpc: Rpc;
  beforeAll(async () => {
    const post = async (service: string, method: string, args: unknown[]) => {
      const response = await fetch(`${env.url}/jsonrpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: 1 }),
      });
      const body = (await response.json()) as { result?: unknown; error?: unknown };
      if (body.error) throw new Error(JSON.stringify(body.error));
      return body.result;
    };
    await ensureLabLanguage(env, 'fr_FR');
    const uid = (await post('common', 'login', [env.db, env.login, env.apiKey])) as number;
    rpc = (model, method, args, kwargs = {}) => post('object', 'execute_kw', [env.db, uid, env.apiKey, model, method, args, kwargs]);
  });

  it('stage and country names, labels', async () => {
    const context = { lang: 'fr_FR' };
    const stages = (await rpc('crm.stage', 'search_read', [[['name', 'in', ['Nouveau', 'Qualifié', 'Gagné']]]], {
      fields: ['name'],
      order: 'sequence, id',
      context,
    })) as Array<{ name: string }>;
    expect(names(fr, 'crm.stage', "[('name', 'in', ['Nouveau', 'Qualifié', 'Gagné'])]")).toEqual(stages.map((s) => s.name));

    const codes = store.searchRead(en, 'res.country', parseDomain('[]'), ['code']).map((r) => r.code);
    const countries = (await rpc('res.country', 'search_read', [[['code', 'in', codes]]], {
      fields: ['name'],
      order: 'name',
      context,
    })) as Array<{ name: string }>;
    expect(names(fr, 'res.country', '[]', 'name')).toEqual(countries.map((c) => c.name));

    const labels = (await rpc('crm.stage', 'fields_get', [['name', 'sequence', 'fold']], {
      attributes: ['string', 'help'],
      context,
    })) as Record<string, { string: string; help?: string }>;
    const ours = localizeFields('crm.stage', metaOf(), 'fr_FR');
    for (const name of ['name', 'sequence', 'fold']) {
      expect(ours[name]!.string).toBe(labels[name]!.string);
      expect(ours[name]!.help).toBe(labels[name]!.help);
    }
  });

  function metaOf(): Record<string, FieldMeta> {
    return Object.fromEntries([...registry.model('crm.stage').fields.values()].map((f) => [f.name, fieldMeta(f)]));
  }
});
