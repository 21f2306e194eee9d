/**
 * Captures the French texts of the embedded store from a real Odoo 17 with fr_FR installed, and writes
 * them into src/backends/embedded/i18n/fr-FR.ts:
 * - for every model the store declares: its `ir.model` name, and for each of its fields the fr_FR
 *   `string`, `help` (only where the store declares a help) and selection labels (only its keys), as
 *   fields_get answers them in `{lang: 'fr_FR'}`;
 * - the fr_FR values of the translatable fields of the demo records, keyed by the store's en_US value
 *   (countries found by code, groups by xml id, stages, tags and products by their English name).
 * Only texts Odoo translates are kept (a French text equal to Odoo's English one is no translation).
 *
 * Run (with the lab up): set -a && source ~/odoo-lab/live.env && source ~/odoo-lab/keys.env && set +a && npx tsx test/backends/embedded/capture-translations.ts
 * Needs ODOO_URL, ODOO_DB and ADMIN_KEY (the API key of uid 2, or set ODOO_UID).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CATEGORIES, COUNTRIES, PRODUCTS, STAGES } from '../../../src/backends/embedded/demo/demo-tables.js';
import type { LanguagePack } from '../../../src/backends/embedded/i18n/language-pack.js';
import { MODELS } from '../../../src/backends/embedded/models/index.js';
import { Registry } from '../../../src/backends/embedded/registry.js';
import { GROUPS } from '../../../src/backends/embedded/security/groups.js';
import { executeKw } from '../../fidelity/support/lab-rpc.js';

const LANG = 'fr_FR';
const OUT = fileURLToPath(new URL('../../../src/backends/embedded/i18n/fr-FR.ts', import.meta.url));

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: set -a && source ~/odoo-lab/live.env && source ~/odoo-lab/keys.env && set +a`);
  return value;
};
const url = env('ODOO_URL');
const db = env('ODOO_DB');
const key = env('ADMIN_KEY');
const uid = Number(process.env.ODOO_UID ?? 2);

async function call<T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<T> {
  return (await executeKw({ url, db, uid, key }, model, method, args, kwargs)) as T;
}

interface OdooField {
  string?: string;
  help?: string;
  selection?: Array<[string, string]>;
}

const fieldsGet = (model: string, lang: string) =>
  call<Record<string, OdooField>>(model, 'fields_get', [], { attributes: ['string', 'help', 'selection'], context: { lang } });

const readName = async (model: string, ids: number[], lang: string): Promise<Map<number, string>> => {
  const rows = await call<Array<{ id: number; name: string }>>(model, 'read', [ids, ['name']], { context: { lang, active_test: false } });
  return new Map(rows.map((r) => [r.id, r.name]));
};

type FieldTexts = { string?: string; help?: string; selection?: Record<string, string> };
const pack: LanguagePack & {
  models: Record<string, string>;
  fields: Record<string, Record<string, FieldTexts>>;
  values: Record<string, Record<string, string>>;
} = {
  models: {},
  fields: {},
  values: {},
};
const registry = new Registry(MODELS);
const names = [...registry.models].map((m) => m.name);

// Model descriptions: ir.model's name.
const irModels = async (lang: string) =>
  new Map(
    (
      await call<Array<{ model: string; name: string }>>('ir.model', 'search_read', [[['model', 'in', names]]], {
        fields: ['model', 'name'],
        context: { lang },
      })
    ).map((r) => [r.model, r.name]),
  );
const [modelsEn, modelsFr] = await Promise.all([irModels('en_US'), irModels(LANG)]);
for (const name of names) {
  const fr = modelsFr.get(name);
  if (fr && fr !== modelsEn.get(name)) pack.models[name] = fr;
}

// Field labels, helps and selection labels.
for (const model of registry.models) {
  const [en, fr] = await Promise.all([fieldsGet(model.name, 'en_US'), fieldsGet(model.name, LANG)]);
  const out: Record<string, FieldTexts> = {};
  for (const field of model.fields.values()) {
    const odooEn = en[field.name];
    const odooFr = fr[field.name];
    if (field.internal || !odooEn || !odooFr) continue;
    const entry: FieldTexts = {};
    if (odooFr.string && odooFr.string !== odooEn.string && odooFr.string !== field.string) entry.string = odooFr.string;
    if (field.help && odooFr.help && odooFr.help !== odooEn.help && odooFr.help !== field.help) entry.help = odooFr.help;
    if (field.type === 'selection' && odooFr.selection && odooEn.selection) {
      const enLabels = new Map(odooEn.selection);
      const labels: Record<string, string> = {};
      for (const [value, label] of odooFr.selection) {
        const ours = field.selection.find(([k]) => k === value)?.[1];
        if (ours !== undefined && label !== enLabels.get(value) && label !== ours) labels[value] = label;
      }
      if (Object.keys(labels).length) entry.selection = labels;
    }
    if (Object.keys(entry).length) out[field.name] = entry;
  }
  if (Object.keys(out).length) pack.fields[model.name] = out;
}

// Values of the demo records' translatable fields, keyed by the store's English value.
function keep(key: string, english: string, odooEn: string | undefined, french: string | undefined): void {
  if (!french || french === odooEn || french === english) return;
  const table = (pack.values[key] ??= {});
  if (table[english] !== undefined && table[english] !== french) {
    console.warn(`${key}: '${english}' is '${table[english]}' and '${french}' in ${LANG}; keeping the first`);
    return;
  }
  table[english] = french;
}
async function byDomain(model: string, field: string, pairs: Array<[english: string, domain: unknown[]]>): Promise<void> {
  for (const [english, domain] of pairs) {
    const ids = await call<number[]>(model, 'search', [domain], { limit: 1, context: { lang: 'en_US', active_test: false } });
    if (!ids.length) continue;
    const [en, fr] = await Promise.all([readName(model, ids, 'en_US'), readName(model, ids, LANG)]);
    keep(`${model}.${field}`, english, en.get(ids[0]!), fr.get(ids[0]!));
  }
}
await byDomain(
  'crm.stage',
  'name',
  STAGES.map((s) => [s.name, [['name', '=', s.name]]]),
);
await byDomain(
  'res.country',
  'name',
  COUNTRIES.map(([code, name]) => [name, [['code', '=', code]]]),
);
await byDomain(
  'product.product',
  'name',
  PRODUCTS.map((p) => [p.name, [['name', '=', p.name]]]),
);
await byDomain(
  'res.partner.category',
  'name',
  CATEGORIES.map((c) => [c.name, [['name', '=', c.name]]]),
);
for (const group of GROUPS) {
  const [module, name] = group.xmlId.split('.') as [string, string];
  const refs = await call<Array<{ res_id: number }>>(
    'ir.model.data',
    'search_read',
    [
      [
        ['model', '=', 'res.groups'],
        ['module', '=', module],
        ['name', '=', name],
      ],
    ],
    { fields: ['res_id'] },
  );
  if (!refs.length) continue;
  const id = refs[0]!.res_id;
  const [en, fr] = await Promise.all([readName('res.groups', [id], 'en_US'), readName('res.groups', [id], LANG)]);
  keep('res.groups.name', group.name, en.get(id), fr.get(id));
}

const header = `/**
 * French (fr_FR) texts of the embedded store, GENERATED by test/backends/embedded/capture-translations.ts from a real
 * Odoo 17 with fr_FR installed (fields_get and ir.model in {lang: 'fr_FR'}, and the fr_FR values of the
 * demo records' translatable fields, keyed by their en_US value). Only texts that differ from English.
 * Do not edit by hand; re-run, with the lab up:
 *   set -a && source ~/odoo-lab/live.env && source ~/odoo-lab/keys.env && set +a && npx tsx test/backends/embedded/capture-translations.ts
 */
import type { LanguagePack } from './language-pack.js';

export const FR_FR: LanguagePack = ${JSON.stringify(pack, null, 2)};
`;
writeFileSync(OUT, header);
execFileSync('npx', ['prettier', '--write', OUT], { stdio: 'inherit' });
console.info(
  `wrote ${OUT}: ${Object.keys(pack.models).length} models, ${Object.keys(pack.fields).length} models' fields, ${Object.values(pack.values).reduce((n, t) => n + Object.keys(t).length, 0)} values`,
);
