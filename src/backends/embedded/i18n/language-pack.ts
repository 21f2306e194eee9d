/**
 * The shape of one language's texts for the embedded store (./fr-FR.ts, generated from a real Odoo 17 by
 * test/backends/embedded/capture-translations.ts): only what differs from English, so English needs none.
 */
export interface LanguagePack {
  /** Model descriptions (`ir.model` name), by model name. */
  readonly models: Readonly<Record<string, string>>;
  /** Field labels by model and field: `string`, `help`, and selection labels by key. */
  readonly fields: Readonly<
    Record<
      string,
      Readonly<Record<string, { readonly string?: string; readonly help?: string; readonly selection?: Readonly<Record<string, string>> }>>
    >
  >;
  /**
   * Values of translatable fields (Odoo's `translate=True`) of the demo records, by `model.field` and by the
   * en_US value: what the demo seed stores as their translations.
   */
  readonly values: Readonly<Record<string, Readonly<Record<string, string>>>>;
}
