/**
 * graphql-codegen (https://the-guild.dev/graphql/codegen) for this server's GraphQL API: TypeScript types
 * for the operations of examples/codegen-operations.graphql, from the SDL the server runs on. From the
 * repository's root (with the devDependencies installed):
 *
 *   npx graphql-codegen --config examples/codegen.ts
 *
 * writes, with both plugins' default options,
 * - `.tmp/codegen/operations.ts` (`typescript-operations`): each operation's `...Variables` and result
 *   type, with the enums and inputs they use (enums as string unions: `'VALUE_0' | 'VALUE_1' | ...`);
 * - `.tmp/codegen/schema-types.ts` (`typescript`): every type of the schema, enums as TypeScript enums
 *   (`CrmLeadPriority.Value_0`), for code that wants the whole schema.
 * Two files, not one: since typescript-operations 6 each plugin declares the enums it uses, and one file
 * holding both would declare each twice (TS2567).
 *
 * The schema here is the checked-in SDL of the demo models (schema/, which the tests keep equal to
 * `odoo-graphql schema print`). For your own Odoo's models, print it from your server's configuration
 * (`npx odoo-graphql schema print > schema.graphql`) and use `codegenConfig({ schema: 'schema.graphql' })`,
 * or introspect the running server: `schema: { 'http://127.0.0.1:4000/graphql': { headers: { Authorization:
 * 'Bearer <key>' } } }`. test/graphql/typed/codegen.test.ts runs this config and compiles what it writes
 * with `tsc --strict`.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The custom scalars as TypeScript, as they are serialised (`output`) and parsed (`input`) by
 * src/graphql/scalars.ts and src/graphql/typed/date-scalars.ts. Odoo's `false` ("not set") is `null` in
 * every output, which the fields' nullability already says.
 */
export const ODOO_SCALARS = {
  /** Output `{id, name}`; input an id, `{id}` (a `name` beside it is ignored), or `false`/`null` to clear. */
  Many2One: { input: 'number | { id: number; name?: string } | false', output: '{ id: number; name: string }' },
  /** `"2025-09-05"`. */
  Date: 'string',
  /** Output RFC 3339 in UTC (`"2025-09-05T10:00:00Z"`); input RFC 3339 with any offset, or `"2025-09-05 10:00:00"` (UTC). */
  DateTime: 'string',
  /** Input a Python-literal string (`"[('state', '=', 'sale')]"`) or a JSON list of `'&'`, `'|'`, `'!'` and `[path, operator, value]` leaves. */
  Domain: { input: "string | Array<'&' | '|' | '!' | [string | number, string, unknown]>", output: 'string' },
  /** A record in Odoo's `read()` shape, or the values to write. */
  JSONObject: 'Record<string, unknown>',
  /** Any JSON value: a business action's `result` and `args`. */
  JSON: 'boolean | number | string | null | unknown[] | Record<string, unknown>',
} as const;

export interface CodegenOptions {
  /** The SDL: files, globs, or a URL to introspect (see above). Default: the checked-in SDL of the demo models. */
  readonly schema?: CodegenConfig['schema'];
  /** The operations to type. Default: examples/codegen-operations.graphql. */
  readonly documents?: CodegenConfig['documents'];
  /** The folder to write to, ending in `/`. Default: `.tmp/codegen/`. */
  readonly out?: string;
  /** More options for both plugins, e.g. `{ namingConvention: 'keep' }`. */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** The codegen configuration: both plugins, their default options, the scalars above. */
export function codegenConfig(options: CodegenOptions = {}): CodegenConfig {
  const {
    schema = ['schema/*.graphql', 'schema/typed/models.graphql'],
    documents = 'examples/codegen-operations.graphql',
    out = '.tmp/codegen/',
    config = {},
  } = options;
  return {
    schema,
    documents,
    overwrite: true,
    config: { scalars: ODOO_SCALARS, ...config },
    generates: {
      [`${out}operations.ts`]: { plugins: ['typescript-operations'] },
      [`${out}schema-types.ts`]: { plugins: ['typescript'] },
    },
  };
}

export default codegenConfig();
