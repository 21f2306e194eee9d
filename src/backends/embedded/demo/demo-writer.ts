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
}
