/**
 * What the fidelity suites share that needs no test runner: the Side interface, the lab's coordinates,
 * small helpers. (Kept apart from sides.ts, which starts servers, so scripts can import the scenario.)
 */
import type { TestResponse } from '../../helpers/server.js';

export type SideName = 'embedded' | 'odoo' | 'facade';

export interface Side {
  readonly name: SideName;
  /** One request as the side's administrator (or without credentials when `auth` is false). */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>, auth?: boolean): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface LabEnv {
  readonly url: string;
  readonly db: string;
  readonly login: string;
  readonly apiKey: string;
}

/** A marker unique to this run (the seed, then a few random characters): record names start with it. */
export function runMarker(seed: number): string {
  return `FID-${seed}-${Date.now().toString(36).slice(-4)}${Math.floor(Math.random() * 36 ** 3)
    .toString(36)
    .padStart(3, '0')}`;
}

/** An integer from the environment, or the default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number.parseInt(raw, 10);
  if (!Number.isSafeInteger(value)) throw new Error(`${name}=${raw} is not an integer`);
  return value;
}

/** The answer's body, or an error naming the side and the request when the status is not the expected one. */
export function expectOk(side: Side, response: TestResponse, what: string, status = 200): any {
  if (response.status !== status) {
    throw new Error(`${side.name}: ${what} answered ${response.status} ${response.text.slice(0, 500)}`);
  }
  return response.body;
}

/** Runs `fn` over items with at most `limit` in flight. */
export async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
