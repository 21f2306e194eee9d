/**
 * The languages installed in the embedded store (Odoo's active `res.lang` records), as the lab's Odoo 17
 * names them: English, and French for its translations (./fr-FR.ts).
 */
import type { Language } from '../../backend.js';

/** Odoo's source language: what every label and value is written in, and the fallback of every translation. */
export const SOURCE_LANGUAGE = 'en_US';

export const INSTALLED_LANGUAGES: readonly Language[] = Object.freeze([
  { code: 'en_US', name: 'English (US)' },
  { code: 'fr_FR', name: 'French / Français' },
]);

const INSTALLED_CODES: ReadonlySet<string> = new Set(INSTALLED_LANGUAGES.map((language) => language.code));

/**
 * The language whose translations a caller in `lang` reads, or undefined for the source language: for
 * en_US, for no lang, and (defensively: callers refuse an unknown lang before it reaches the store) for a
 * language that is not installed, which Odoo would read as en_US too. Undefined is the zero-cost path:
 * the store then reads, searches and sorts the columns alone.
 */
export function translationLang(lang: string | undefined): string | undefined {
  return lang === undefined || lang === SOURCE_LANGUAGE || !INSTALLED_CODES.has(lang) ? undefined : lang;
}
