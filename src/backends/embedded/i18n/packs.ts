/**
 * The texts of each installed language other than en_US (generated from a real Odoo 17, see
 * test/backends/embedded/capture-translations.ts), by Odoo language code.
 */
import { FR_FR } from './fr-FR.js';
import type { LanguagePack } from './language-pack.js';

export const LANGUAGE_PACKS: ReadonlyMap<string, LanguagePack> = new Map([['fr_FR', FR_FR]]);

/**
 * The translations Odoo 17 has for the values of a record being created with `values` (en_US): for each
 * translatable field whose value the language packs know, `[field, lang, value]`. For the demo data.
 */
export function knownTranslations(model: string, values: Readonly<Record<string, unknown>>): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  for (const [lang, pack] of LANGUAGE_PACKS) {
    for (const [field, value] of Object.entries(values)) {
      const translated = typeof value === 'string' ? pack.values[`${model}.${field}`]?.[value] : undefined;
      if (translated !== undefined) out.push([field, lang, translated]);
    }
  }
  return out;
}
