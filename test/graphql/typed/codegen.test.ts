/**
 * graphql-codegen's output compiles (issue 16): examples/codegen.ts, run programmatically as
 * `graphql-codegen --config examples/codegen.ts` runs it (`typescript` and `typescript-operations`, their
 * default options, the custom scalars mapped), into a temporary folder, then `tsc --strict --noEmit` of the
 * project's typescript over what it wrote and a small file using it. Under graphql-codegen's default naming
 * convention (change-case-all's pascalCase) and under the others a project may choose for enum values
 * (`keep`, upperCase, constantCase, camelCase): the enum values made from selection keys that are no
 * GraphQL names (priority '0': `VALUE_0`) must be TypeScript enum members there, `_0` was `'0'` (TS2452).
 * Beside the demo models, a model whose selection keys are made to meet (time zones, digits, `true`,
 * keys that differ only in punctuation) goes through the same conventions.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ODOO_SCALARS, codegenConfig } from '../../../examples/codegen.js';
import { fullSchemaSDL, genericReservedNames } from '../../../src/graphql/typed/build-typed-schema.js';
import { generateTypedSDL } from '../../../src/graphql/typed/generate-typed-sdl.js';

const run = promisify(execFile);
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Keys that meet once made names: `'1-0'`/`'1_0'`, `'10'` (caseless the same), `Etc/GMT±1`, literals, Odoo's own `value_0`. */
const TRICKY_KEYS = [
  '0',
  '1',
  '1-0',
  '1_0',
  '10',
  'value_0',
  'Etc/GMT+1',
  'Etc/GMT-1',
  'Etc/GMT+12',
  'to approve',
  'to-approve',
  'true',
  '_x',
  '',
];

interface Variant {
  readonly name: string;
  /** `namingConvention`, or undefined for codegen's default. */
  readonly namingConvention?: unknown;
  /** What the convention makes of `VALUE_3` and `VALUE_to_approve`: the TypeScript enum members the usage file names. */
  readonly members: { readonly VALUE_3: string; readonly VALUE_to_approve: string };
}

const VARIANTS: readonly Variant[] = [
  { name: 'default (pascalCase)', members: { VALUE_3: 'Value_3', VALUE_to_approve: 'ValueToApprove' } },
  { name: 'keep', namingConvention: 'keep', members: { VALUE_3: 'VALUE_3', VALUE_to_approve: 'VALUE_to_approve' } },
  {
    name: 'enumValues upperCase',
    namingConvention: { enumValues: 'change-case-all#upperCase' },
    members: { VALUE_3: 'VALUE_3', VALUE_to_approve: 'VALUE_TO_APPROVE' },
  },
  {
    name: 'enumValues constantCase',
    namingConvention: { enumValues: 'change-case-all#constantCase' },
    members: { VALUE_3: 'VALUE_3', VALUE_to_approve: 'VALUE_TO_APPROVE' },
  },
  {
    name: 'enumValues camelCase',
    namingConvention: { enumValues: 'change-case-all#camelCase' },
    members: { VALUE_3: 'value_3', VALUE_to_approve: 'valueToApprove' },
  },
];

/** A file a client would write with the generated types: if a scalar were `unknown` or an enum a number, it would not compile. */
function usage({ members }: Variant): string {
  return `import type {
  CreateRecordMutationVariables,
  CrmLeadPriority,
  HotLeadsQuery,
  HotLeadsQueryVariables,
  SetLeadPriorityMutationVariables,
  UpdateLeadMutationVariables,
} from './operations.js';
import { CrmLeadPriority as PriorityEnum, PurchaseOrderState, type Scalars } from './schema-types.js';

export const json: HotLeadsQueryVariables = { domain: ['|', ['priority', '=', '3'], ['expected_revenue', '>', 1000]], limit: 5 };
export const python: HotLeadsQueryVariables = { domain: "[('priority', '=', '3')]" };
export const veryHigh: CrmLeadPriority = 'VALUE_3';
export const fromEnum: CrmLeadPriority = PriorityEnum.${members.VALUE_3};
export const toApprove: string = PurchaseOrderState.${members.VALUE_to_approve};
export const setPriority: SetLeadPriorityMutationVariables = { id: 7, priority: veryHigh };
export const update: UpdateLeadMutationVariables = {
  id: 7,
  values: { partner_id: { id: 12 }, stage_id: 3, user_id: false, priority: 'VALUE_0', date_deadline: '2026-03-01', date_closed: '2026-03-02T10:30:00+02:00' },
};
export const create: CreateRecordMutationVariables = { slug: 'crm_lead', values: { name: 'Desks', partner_id: { id: 12 } } };
export const many2one: Scalars['Many2One']['output'] = { id: 12, name: 'Azure Interior' };

export function lines(answer: HotLeadsQuery): string[] {
  const company = answer.me.company ? answer.me.company.name : 'no company';
  return answer.crmLeadList.results.map((lead) => {
    const customer = lead.partner_id ? \`\${lead.partner_id.name} (#\${lead.partner_id.id})\` : 'no customer';
    const created: string | null = lead.create_date;
    return \`\${company}: \${lead.name ?? ''}, \${customer}, \${lead.date_deadline ?? '-'}, \${created ?? '-'}, \${lead.priority ?? '-'}\`;
  });
}

export const recordNames = (answer: HotLeadsQuery): unknown[] => answer.records.results.map((record) => record['name']);

// @ts-expect-error a priority is its enum value, not Odoo's key
export const odooKey: CrmLeadPriority = '0';
// @ts-expect-error a Many2One output is {id, name}, not an id
export const bareId: Scalars['Many2One']['output'] = 12;
// @ts-expect-error a Domain is a string or a list of terms
export const notADomain: HotLeadsQueryVariables = { domain: { state: 'sale' } };
`;
}

let root: string;
let tsc: { code: number; output: string };

/** tsc's diagnostics for the files under `folder` (one per line, `file(line,col): error TS...`). */
function diagnostics(folder: string): string[] {
  return tsc.output.split('\n').filter((line) => line.startsWith(`${folder}/`));
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ogf-codegen-'));
  // ES modules, as `--module nodenext` reads a folder's package.json.
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  const tricky = join(root, 'tricky.graphql');
  const field = {
    type: 'selection',
    string: 'Tricky',
    required: false,
    readonly: false,
    selection: TRICKY_KEYS.map((key) => [key, `Key ${key}`] as const),
  };
  writeFileSync(tricky, fullSchemaSDL(generateTypedSDL([{ model: 'x.tricky', fields: { tricky: field } }], genericReservedNames())));

  for (const [index, variant] of VARIANTS.entries()) {
    const folder = `v${index}`;
    const config = variant.namingConvention === undefined ? {} : { namingConvention: variant.namingConvention };
    // The config exactly as examples/codegen.ts gives it; then the model with tricky keys through the `typescript` plugin.
    await generate({ ...codegenConfig({ out: join(root, folder, '/'), config }), silent: true }, true);
    const trickyTypes = { [join(root, folder, 'tricky-types.ts')]: { plugins: ['typescript'] } };
    await generate({ schema: tricky, config: { scalars: ODOO_SCALARS, ...config }, generates: trickyTypes, silent: true }, true);
    writeFileSync(join(root, folder, 'usage.ts'), usage(variant));
  }
  const files = VARIANTS.flatMap((_, index) =>
    ['operations.ts', 'schema-types.ts', 'tricky-types.ts', 'usage.ts'].map((f) => `v${index}/${f}`),
  );
  const args = [
    '--strict',
    '--noEmit',
    '--pretty',
    'false',
    '--target',
    'ES2022',
    '--module',
    'NodeNext',
    '--moduleResolution',
    'NodeNext',
  ];
  // As strict as this project: every index may be missing, imports as written.
  args.push('--noUncheckedIndexedAccess', '--verbatimModuleSyntax');
  try {
    await run(process.execPath, [TSC, ...args, ...files], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    tsc = { code: 0, output: '' };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
    tsc = { code: code ?? -1, output: `${stdout ?? ''}${stderr ?? ''}` };
  }
}, 120_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('graphql-codegen of the typed schema (examples/codegen.ts)', () => {
  it('CG-01 maps every custom scalar: none is `unknown`, Many2One is {id, name}, Domain a string or a list of terms', () => {
    const types = readFileSync(join(root, 'v0', 'schema-types.ts'), 'utf8');
    expect(types).toContain('Many2One: { input: number | { id: number; name?: string } | false; output: { id: number; name: string }; }');
    expect(types).toContain('Date: { input: string; output: string; }');
    expect(types).toContain('DateTime: { input: string; output: string; }');
    expect(types).toContain("Domain: { input: string | Array<'&' | '|' | '!' | [string | number, string, unknown]>; output: string; }");
    expect(types).toContain('JSONObject: { input: Record<string, unknown>; output: Record<string, unknown>; }');
    expect(types).toContain(
      'JSON: { input: boolean | number | string | null | unknown[] | Record<string, unknown>; output: boolean | number | string | null | unknown[] | Record<string, unknown>; }',
    );
    const operations = readFileSync(join(root, 'v0', 'operations.ts'), 'utf8');
    expect(operations).toContain("export type CrmLeadPriority =\n  /** Low */\n  | 'VALUE_0'");
    expect(operations).not.toMatch(/: unknown[,;}]/);
  });

  for (const [index, variant] of VARIANTS.entries()) {
    it(`CG-02 namingConvention ${variant.name}: every enum member is an identifier, and the output and a file using it compile with tsc --strict`, () => {
      expect(diagnostics(`v${index}`)).toEqual([]);
      const types = readFileSync(join(root, `v${index}`, 'schema-types.ts'), 'utf8');
      expect(types).toContain(`  ${variant.members.VALUE_3} = 'VALUE_3'`);
      const tricky = readFileSync(join(root, `v${index}`, 'tricky-types.ts'), 'utf8');
      const members = [...tricky.matchAll(/^ {2}(\S+) = '(VALUE_[^']*)',?$/gm)].map(([, member]) => member!);
      expect(members, tricky).toHaveLength(TRICKY_KEYS.length - 1); // `value_0` is its own
      for (const member of members) expect(member).toMatch(/^[A-Za-z][_0-9A-Za-z]*$/);
      expect(new Set(members).size).toBe(members.length);
    });
  }

  it('CG-03 tsc exits 0 over everything written (no error outside the variants either)', () => {
    expect(tsc.output).toBe('');
    expect(tsc.code).toBe(0);
  });
});
