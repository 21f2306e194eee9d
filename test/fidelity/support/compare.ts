/** Running one domain on several sides and saying compactly where they differ. */
import { printDomain, printLeaf, type Leaf, type Term } from './domains.js';
import type { SideIds } from './partners.js';
import type { Side } from './http.js';

export interface Selection {
  readonly status: number;
  /** Scenario keys of the records selected (names mapped back), sorted; empty on an error. */
  readonly keys: readonly string[];
  readonly error?: string;
}

/** Where a domain runs: a model, the field that names its records (mapped back to scenario keys), the run's scope. */
export interface Target {
  readonly slug: string;
  /** The field read to recognise a record: its value is a key of `keyOf`. */
  readonly label: string;
  /** The leaf keeping the run's records only, e.g. ('name', '=like', '<marker>-%'). */
  readonly scope: Leaf;
  readonly keyOf: ReadonlyMap<string, string>;
}

/** Runs `['&', scope, domain]` on a side and gives the scenario keys of what it selects. */
export async function select(side: Side, ids: SideIds, target: Target, domain: readonly Term[]): Promise<Selection> {
  const scoped: Term[] = ['&', target.scope, ...domain];
  const text = printDomain(scoped, ids);
  const answer = await side.request('GET', `/api/${target.slug}?fields=${target.label}&limit=1000&domain=${encodeURIComponent(text)}`);
  if (answer.status !== 200) return { status: answer.status, keys: [], error: String(answer.body?.error ?? answer.text).slice(0, 300) };
  const keys = (answer.body.results as Record<string, string>[]).map((r) => target.keyOf.get(r[target.label]!) ?? `?${r[target.label]}`);
  return { status: 200, keys: keys.sort() };
}

export interface Difference {
  readonly onlyA: readonly string[];
  readonly onlyB: readonly string[];
  readonly status?: readonly [number, number];
  readonly errors?: readonly [string | undefined, string | undefined];
}

/** How two selections differ, or null when they are the same (both errors of the same status count as the same). */
export function differ(a: Selection, b: Selection): Difference | null {
  if (a.status !== b.status) return { onlyA: a.keys, onlyB: b.keys, status: [a.status, b.status], errors: [a.error, b.error] };
  const setA = new Set(a.keys);
  const setB = new Set(b.keys);
  const onlyA = a.keys.filter((k) => !setB.has(k));
  const onlyB = b.keys.filter((k) => !setA.has(k));
  return onlyA.length || onlyB.length ? { onlyA, onlyB } : null;
}

export function describeDifference(d: Difference, a: string, b: string): string {
  if (d.status)
    return `status ${a} ${d.status[0]} vs ${b} ${d.status[1]}${d.errors?.[0] ? ` | ${a}: ${d.errors[0]}` : ''}${d.errors?.[1] ? ` | ${b}: ${d.errors[1]}` : ''}`;
  return `only ${a}: [${d.onlyA.join(' ')}]  only ${b}: [${d.onlyB.join(' ')}]`;
}

/** A short signature of a leaf for grouping: path, operator and the kind of value. */
export function leafSignature(leaf: Leaf, negated: boolean): string {
  const [path, operator, value] = leaf;
  const kind =
    operator === 'any' || operator === 'not any'
      ? '[...]'
      : value === false
        ? 'False'
        : value === null
          ? 'None'
          : value === ''
            ? "''"
            : typeof value === 'string'
              ? 'str'
              : typeof value === 'boolean'
                ? 'bool'
                : Array.isArray(value)
                  ? 'list'
                  : typeof value === 'object'
                    ? 'id'
                    : typeof value;
  return `${negated ? '! ' : ''}(${path} ${operator} ${kind})`;
}

export { printLeaf };
