/**
 * Where the embedded store keeps the values of translatable fields (Odoo's `translate=True`) in other
 * languages than en_US, and the SQL that reads a field in a language.
 *
 * Odoo 17 keeps such a field as a jsonb column `{"en_US": ..., "fr_FR": ...}` and reads, searches and sorts
 * it in the env's lang as `COALESCE(name->>'fr_FR', name->>'en_US')` (models.py `_field_to_sql`). Here the
 * column keeps the en_US value (so databases made before translations work unchanged) and one side table
 * keeps the other languages' values; the same COALESCE is a primary-key probe in it. In en_US nothing of
 * this is used: the column alone, with no sub-query.
 */
import { isTranslated, type ScalarFieldInfo } from '../registry.js';
import { ident } from '../sql/sql-fragment.js';

export const TRANSLATION_TABLE = '_translation';

/**
 * The side table: one row per record, field and language other than en_US. The key starts with
 * (model, res_id) so that deleting a record's translations (the unlink trigger) walks the key.
 */
export const TRANSLATION_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "${TRANSLATION_TABLE}" (
  "model" TEXT NOT NULL,
  "res_id" INTEGER NOT NULL,
  "field" TEXT NOT NULL,
  "lang" TEXT NOT NULL,
  "value" TEXT NOT NULL,
  PRIMARY KEY ("model", "res_id", "field", "lang")
) WITHOUT ROWID`;

/**
 * A trigger that removes the translations of a deleted record of `model` (Odoo drops them with the row),
 * also when it goes by an SQL cascade that the store's unlink never sees.
 */
export function translationCleanupTrigger(model: string, table: string): string {
  return `CREATE TRIGGER IF NOT EXISTS ${ident(`${table}_translation_unlink`)} AFTER DELETE ON ${ident(table)} BEGIN
    DELETE FROM "${TRANSLATION_TABLE}" WHERE "model" = ${literal(model)} AND "res_id" = OLD."id";
  END`;
}

/**
 * The SQL of `field` of the row aliased `alias`: its column, or, in `lang` (a language other than en_US,
 * see translationLang) for a translatable field, its `lang` value falling back to the en_US one. The model,
 * field and language are written in the SQL as literals (they come from the registry and the installed
 * languages, never from a request), so that the expression can stand wherever a column does.
 */
export function fieldSql(field: ScalarFieldInfo, alias: string, lang: string | undefined): string {
  const column = `${alias}.${ident(field.column)}`;
  if (lang === undefined || !isTranslated(field)) return column;
  return `COALESCE((SELECT tr."value" FROM "${TRANSLATION_TABLE}" tr WHERE tr."model" = ${literal(field.model)} AND tr."res_id" = ${alias}."id" AND tr."field" = ${literal(field.name)} AND tr."lang" = ${literal(lang)}), ${column})`;
}

/** An SQL string literal of a model, field or language name (checked: nothing to escape). */
function literal(name: string): string {
  if (!/^[A-Za-z0-9_.@-]+$/.test(name)) throw new Error(`refusing to write ${JSON.stringify(name)} as an SQL literal`);
  return `'${name}'`;
}
