/**
 * `odoo-graphql schema print` for codegen: valid SDL that round-trips through graphql's `buildSchema`
 * into exactly the schema the server runs on; `--typed` is the checked-in fallback
 * (schema/typed/models.graphql), which must not fall behind the models.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
  validateSchema,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli.js';
import { fullSchemaSDL } from '../../../src/graphql/typed/build-typed-schema.js';
import { TYPED_FALLBACK_FILE } from '../../../src/graphql/typed/typed-sdl-source.js';
import { freshDataDir } from '../../helpers/server.js';
import { useServer } from '../../helpers/use-server.js';
import { graphql } from '../graphql-client.js';

const run = promisify(execFile);
const server = useServer();
let dataDir: string;

beforeAll(() => {
  dataDir = freshDataDir();
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const sorted = (schema: GraphQLSchema) => printSchema(lexicographicSortSchema(schema));

describe('odoo-graphql schema print', () => {
  it('SP-01 prints valid SDL (the real bin) that round-trips through buildSchema into the schema the server runs on', async () => {
    const { stdout } = await run(process.execPath, ['bin/odoo-graphql.js', 'schema', 'print'], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });
    const built = buildSchema(stdout);
    expect(validateSchema(built)).toEqual([]);
    // The server's schema as a client sees it (introspection, as codegen tools read it): the same.
    const introspection = await graphql(server, 'admin', getIntrospectionQuery());
    expect(introspection.body.errors).toBeUndefined();
    expect(sorted(buildClientSchema(introspection.body.data as IntrospectionQuery))).toBe(sorted(built));
    // Printed again, it builds the same schema again.
    expect(sorted(buildSchema(printSchema(built)))).toBe(sorted(built));
    // The generic API is all there, next to the typed one.
    const query = built.getQueryType()!.getFields();
    for (const name of ['records', 'record', 'me', 'health', 'saleOrder', 'saleOrderList', 'resPartnerList'])
      expect(query).toHaveProperty(name);
    expect(built.getType('SaleOrder')).toBeDefined();
    expect(built.getDirective('odooModel')).toBeDefined();
  });

  it('SP-02 --typed prints the typed part alone, exactly the checked-in schema/typed/models.graphql (regenerate it with `npm run cli -- schema print --typed > schema/typed/models.graphql`)', async () => {
    const lines: string[] = [];
    expect(await runCli(['schema', 'print', '--typed', '--data-dir', dataDir], (line) => lines.push(line))).toBe(0);
    expect(lines).toHaveLength(1);
    expect(`${lines[0]}\n`).toBe(readFileSync(TYPED_FALLBACK_FILE, 'utf8'));
  });

  it('SP-03 every object type of the typed part has a non-null id (Apollo normalises by __typename and id)', () => {
    const schema = buildSchema(fullSchemaSDL(readFileSync(TYPED_FALLBACK_FILE, 'utf8')));
    const models = Object.values(schema.getTypeMap()).filter((type) => type.astNode?.directives?.some((d) => d.name.value === 'odooModel'));
    expect(models).toHaveLength(14);
    for (const type of models)
      expect(String((type as unknown as { getFields(): Record<string, { type: unknown }> }).getFields().id?.type), type.name).toBe('Int!');
  });
});
