/**
 * The operations GRAPHQL_PERSISTED_OPERATIONS names: a JSON file read once at start, each operation under
 * the SHA-256 (lower-case hex) of its text, the key Apollo's PersistedQueryLink sends in
 * `extensions.persistedQuery.sha256Hash`. Two shapes are read:
 * - a flat object `{"<sha256>": "<query text>", ...}`;
 * - Apollo's persisted query manifest (`npx generate-persisted-query-manifest`):
 *   `{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id", "body", ...}]}`.
 * Every key is checked against its text, so a file that does not say what it runs stops the start; a
 * file that cannot be read or parsed too. Each refusal is a ConfigError naming the file.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../config.js';

/** Operations by the SHA-256 of their text. */
export type PersistedOperations = ReadonlyMap<string, string>;

/** The SHA-256 of a text, as lower-case hex: what Apollo's PersistedQueryLink sends for a query. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const flatList = z.record(z.string(), z.string().min(1));
const apolloManifest = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(z.object({ id: z.string(), body: z.string().min(1) })),
});

/** The (hash, query) pairs of a file in either shape; undefined when it is neither. */
function entriesOf(content: unknown): Array<[string, string]> | undefined {
  const manifest = apolloManifest.safeParse(content);
  if (manifest.success) return manifest.data.operations.map(({ id, body }) => [id, body]);
  const flat = flatList.safeParse(content);
  return flat.success ? Object.entries(flat.data) : undefined;
}

/** The operations of a parsed file, by hash; a ConfigError when it has neither shape, or a key is not its query's hash. */
export function persistedOperationsFrom(content: unknown, source = 'GRAPHQL_PERSISTED_OPERATIONS'): PersistedOperations {
  const entries = entriesOf(content);
  if (!entries) {
    throw new ConfigError(
      `${source}: expected a JSON object {"<sha256 of the query>": "<query>", ...} or an Apollo persisted query manifest`,
    );
  }
  const operations = new Map<string, string>();
  for (const [hash, query] of entries) {
    const actual = sha256Hex(query);
    if (hash !== actual) throw new ConfigError(`${source}: the key ${JSON.stringify(hash)} is not the SHA-256 of its query (${actual})`);
    operations.set(hash, query);
  }
  return operations;
}

/** Reads and checks the file at `path` (GRAPHQL_PERSISTED_OPERATIONS). */
export async function loadPersistedOperations(path: string): Promise<PersistedOperations> {
  const source = `GRAPHQL_PERSISTED_OPERATIONS (${path})`;
  let content: unknown;
  try {
    content = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${source}: cannot read it as JSON: ${(error as Error).message}`);
  }
  return persistedOperationsFrom(content, source);
}
