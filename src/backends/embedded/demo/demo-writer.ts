/**
 * What demo data needs from the store: creating records as the superuser, with defaults, sequences and
 * stored computes applied exactly as for API callers, but without access checks.
 */
export interface DemoWriter {
  /**
   * Creates a record and returns its id. Ids are given in creation order per model, starting at 1,
   * so the demo data is deterministic. Values are in Odoo's write() shape: many2one as an id,
   * x2many as command lists (`[[0, 0, {...}]]`, `[[6, 0, [ids]]]`).
   */
  create(model: string, values: Record<string, unknown>): number;
  /** Sets a user's login password; the store keeps only a scrypt hash. */
  setPassword(userId: number, password: string): void;
  /**
   * Stores the `lang` value of a translatable field of a record (Store.setTranslation): the demo data's
   * values in the installed languages other than en_US (./i18n/fr-FR.ts). Without it, they read in en_US.
   */
  setTranslation?(model: string, id: number, field: string, lang: string, value: string): void;
}
