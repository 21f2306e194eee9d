/**
 * Labels in the caller's language, as Odoo 17 answers them in `{lang: ...}`: fields_get's `string`, `help`
 * and selection labels, and model descriptions (`ir.model` names). The texts are the real Odoo's
 * (./fr-FR.ts, generated); what a language does not translate stays English, as in Odoo. In en_US (or
 * an unknown language, defensively) the input comes back as it is, at no cost.
 */
import type { FieldMeta } from '../../backend.js';
import { MODELS } from '../models/index.js';
import { translationLang } from './languages.js';
import { LANGUAGE_PACKS } from './packs.js';

const DESCRIPTIONS: ReadonlyMap<string, string> = new Map(MODELS.map((model) => [model.name, model.description]));

/** The fields_get metadata of `modelName`'s fields with their labels in `lang`. */
export function localizeFields(modelName: string, fields: Record<string, FieldMeta>, lang: string | undefined): Record<string, FieldMeta> {
  const pack = packOf(lang);
  const labels = pack?.fields[modelName];
  if (!labels) return fields;
  const out: Record<string, FieldMeta> = {};
  for (const [name, meta] of Object.entries(fields)) {
    const texts = labels[name];
    if (!texts) {
      out[name] = meta;
      continue;
    }
    const selection = texts.selection;
    out[name] = {
      ...meta,
      ...(texts.string !== undefined ? { string: texts.string } : {}),
      // Only a help the store declares is translated (the store shows no help Odoo has and it has not).
      ...(texts.help !== undefined && meta.help !== undefined ? { help: texts.help } : {}),
      ...(selection && meta.selection ? { selection: meta.selection.map(([key, label]) => [key, selection[key] ?? label] as const) } : {}),
    };
  }
  return out;
}

/** The description of `modelName` (Odoo's `ir.model` name) in `lang`; the declared one where not translated. */
export function localizedDescription(modelName: string, lang: string | undefined): string {
  const english = DESCRIPTIONS.get(modelName);
  if (english === undefined) throw new Error(`unknown model ${modelName}`);
  return packOf(lang)?.models[modelName] ?? english;
}

function packOf(lang: string | undefined) {
  const code = translationLang(lang);
  return code === undefined ? undefined : LANGUAGE_PACKS.get(code);
}
