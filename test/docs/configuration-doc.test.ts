/**
 * docs/configuration.md's "Server settings" tables and the configuration schema of src/config.ts say the
 * same thing: every setting the schema has is documented, every documented variable is a setting, and
 * every documented default is the schema's. The schema is read generically (its keys from zod's `shape`,
 * its defaults by parsing an empty environment), so a setting added, removed or re-defaulted in
 * src/config.ts fails here, named, until the document follows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as configModule from '../../src/config.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** What the tests need of a zod object schema (duck-typed, so no particular zod version is assumed). */
interface ObjectSchema {
  readonly shape: Record<string, unknown>;
  safeParse(input: unknown): { success: boolean; data?: unknown };
}

function asObjectSchema(value: unknown): ObjectSchema | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  // Whatever zod made: each part is checked before it is used.
  const candidate = value as { shape?: unknown; safeParse?: ObjectSchema['safeParse']; _zod?: { def?: { in?: unknown } } };
  if (typeof candidate.safeParse !== 'function') return undefined;
  if (typeof candidate.shape === 'object' && candidate.shape !== null) return candidate as ObjectSchema;
  // An object schema with a transform after it (zod's pipe): its input side holds the keys.
  const input = asObjectSchema(candidate._zod?.def?.in);
  return input && { shape: input.shape, safeParse: (v) => candidate.safeParse!(v) };
}

interface Settings {
  readonly keys: readonly string[];
  /** The value each setting takes in an empty environment (absent: the setting has no default). */
  readonly defaults: Readonly<Record<string, unknown>>;
}

/**
 * The settings of src/config.ts: from the zod object schema it exports (the largest, if several), its
 * keys and what parsing `{}` gives. While it exports none, from `loadConfig` itself: the variables it
 * reads from an environment that has none of them, and the configuration it makes of that environment.
 */
function configSettings(): Settings {
  const schemas = Object.values(configModule)
    .map(asObjectSchema)
    .filter((s): s is ObjectSchema => s !== undefined)
    .sort((a, b) => Object.keys(b.shape).length - Object.keys(a.shape).length);
  const schema = schemas[0];
  if (schema) {
    const parsed = schema.safeParse({});
    if (!parsed.success) throw new Error('src/config.ts: its schema refuses an empty environment, so it has no defaults to compare');
    return { keys: Object.keys(schema.shape), defaults: parsed.data as Record<string, unknown> };
  }
  const asked = new Set<string>();
  const env = new Proxy<Record<string, string | undefined>>(
    {},
    {
      get: (_target, key) => {
        if (typeof key === 'string') asked.add(key);
        return undefined;
      },
    },
  );
  const defaults = configModule.loadConfig(env);
  return { keys: [...asked], defaults };
}

interface DocumentedSetting {
  readonly name: string;
  /** The backquoted value opening the default cell, or undefined for none ("none", or words). */
  readonly literal: string | undefined;
  readonly line: number;
}

/** The rows of the tables under docs/configuration.md's "## Server settings", up to the next `## ` heading. */
function documentedSettings(doc: string): DocumentedSetting[] {
  const lines = doc.split('\n');
  const start = lines.findIndex((line) => line === '## Server settings');
  if (start < 0) throw new Error('docs/configuration.md has no "## Server settings" section');
  const found: DocumentedSetting[] = [];
  for (let i = start + 1; i < lines.length && !lines[i]!.startsWith('## '); i++) {
    const row = /^\|\s*((?:`[A-Z][A-Z0-9_]*`(?:,\s*)?)+)\s*\|\s*([^|]*?)\s*\|/.exec(lines[i]!);
    if (!row) continue;
    const literal = /^`([^`]*)`/.exec(row[2]!)?.[1];
    for (const name of row[1]!.matchAll(/`([^`]+)`/g)) found.push({ name: name[1]!, literal, line: i + 1 });
  }
  return found;
}

/** A default as the document writes it: lists comma-separated; no value, an empty text or list: none. */
function shown(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.join(',');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

describe('docs/configuration.md and the configuration schema', () => {
  const settings = configSettings();
  const documented = documentedSettings(read('docs/configuration.md'));
  const documentedNames = documented.map((d) => d.name);

  it('CF-01 every setting of src/config.ts is documented under "Server settings"', () => {
    expect(settings.keys, 'the settings read from src/config.ts').toContain('PORT');
    const missing = settings.keys.filter((key) => !documentedNames.includes(key));
    expect(missing, 'settings of src/config.ts missing from docs/configuration.md').toEqual([]);
  });

  it('CF-02 every variable documented under "Server settings" is a setting of src/config.ts, documented once', () => {
    const unknown = documentedNames.filter((name) => !settings.keys.includes(name));
    expect(unknown, 'variables docs/configuration.md documents that src/config.ts does not read').toEqual([]);
    const twice = documentedNames.filter((name, index) => documentedNames.indexOf(name) !== index);
    expect(twice, 'variables documented more than once').toEqual([]);
  });

  it("CF-03 every documented default is the schema's default, and a setting without one is documented without one", () => {
    const differing = documented
      .filter((d) => settings.keys.includes(d.name) && d.literal !== shown(settings.defaults[d.name]))
      .map(
        (d) =>
          `docs/configuration.md:${d.line} ${d.name}: documented ${d.literal === undefined ? 'without a default' : `\`${d.literal}\``}, src/config.ts ${shown(settings.defaults[d.name]) === undefined ? 'has none' : `\`${shown(settings.defaults[d.name])}\``}`,
      );
    expect(differing, 'defaults that differ').toEqual([]);
  });

  it("CF-04 every variable README.md's backends table names is a setting of src/config.ts", () => {
    const readme = read('README.md');
    const start = readme.search(/^## Backends$/m);
    expect(start, 'README.md has a "## Backends" section').toBeGreaterThanOrEqual(0);
    const section = readme.slice(start).split('\n').slice(1);
    const end = section.findIndex((line) => line.startsWith('## '));
    const table = (end < 0 ? section : section.slice(0, end)).filter((line) => line.startsWith('|'));
    const rows = table.slice(2); // after the header and its separator
    expect(rows.length, "rows of README.md's backends table: embedded, odoo, proxy").toBe(3);
    const named = [...rows.join('\n').matchAll(/`([A-Z][A-Z0-9_]+)(?:=[^`]*)?`/g)].map((m) => m[1]!);
    expect(
      named.filter((name) => !settings.keys.includes(name)),
      'variables the README names that src/config.ts does not read',
    ).toEqual([]);
  });
});
