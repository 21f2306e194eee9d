/**
 * Issue 20's targets, computed from the rows of one `npm run bench` run (never written by hand): each
 * gives the figures it compares, the ratio or value, and whether it is met. A target whose row was
 * skipped is "not measured"; one whose row had non-2xx answers or socket errors is "not met", since
 * its figure is not that of the request it names.
 */
import type { Measurement } from './measure.js';

export interface Row {
  /** What the targets find the row by. */
  readonly key: string;
  readonly name: string;
  /** Concurrent connections (1: sequential requests). */
  readonly connections: number;
  readonly result?: Measurement;
  /** The server's memory in MiB after the row (VmRSS summed over its processes), or its peak (VmHWM) over the row. */
  readonly memory?: { readonly mib: number; readonly processes: number; readonly peak?: boolean };
  readonly skipped?: string;
}

export type Verdict = 'met' | 'not met' | 'not measured' | 'no bound';

export interface TargetResult {
  readonly target: string;
  readonly figure: string;
  readonly value: string;
  readonly verdict: Verdict;
}

export interface TargetBounds {
  readonly restOfHelloWorld: number;
  readonly restP99Ms: number;
  readonly graphqlUncachedOfRest: number;
  readonly graphqlCachedUnderWritesOfRest: number;
  readonly nestedOverFlat: number;
  readonly peakRssMiB: number;
  readonly filteredP50Ms: number;
  readonly demoWithin: number;
}

/** The issue's figures. */
export const ISSUE_20: TargetBounds = {
  restOfHelloWorld: 0.16,
  restP99Ms: 20,
  graphqlUncachedOfRest: 0.6,
  graphqlCachedUnderWritesOfRest: 0.8,
  nestedOverFlat: 2,
  peakRssMiB: 200,
  filteredP50Ms: 1,
  demoWithin: 0.2,
};

/** autocannon's latencies are whole milliseconds: 0 means under one; sequential ones are to the microsecond. */
export const ms = (value: number): string => (Number.isNaN(value) ? '—' : value === 0 ? '<1' : String(value));

/** The row's measurement when it is there and clean, else why not (as a verdict and a note). */
function usable(row: Row | undefined): { result: Measurement } | { verdict: Verdict; note: string } {
  if (!row) return { verdict: 'not measured', note: 'row missing' };
  if (!row.result) return { verdict: 'not measured', note: `${row.name} skipped` };
  const failures = row.result.non2xx + row.result.errors;
  if (failures > 0) return { verdict: 'not met', note: `${failures} non-2xx answers or errors in "${row.name}"` };
  return { result: row.result };
}

const ratioText = (value: number) => value.toFixed(3);

interface RatioOf {
  /** The rows compared: `of / to`. */
  readonly of: string;
  readonly to: string;
  readonly pick: (m: Measurement) => number;
  readonly unit: string;
  /** The bound: the ratio at least this, or at most that; neither: no bound, the ratio for information. */
  readonly atLeast?: number;
  readonly atMost?: number;
  /** Said after the two figures. */
  readonly beside?: string;
}

/** The ratio of the figure `pick` of two rows, against its bound. */
function ratio(
  target: string,
  rows: ReadonlyMap<string, Row>,
  { of, to, pick, unit, atLeast, atMost, beside = '' }: RatioOf,
): TargetResult {
  const numerator = usable(rows.get(of));
  const denominator = usable(rows.get(to));
  if (!('result' in numerator)) return { target, figure: numerator.note, value: '', verdict: numerator.verdict };
  if (!('result' in denominator)) return { target, figure: denominator.note, value: '', verdict: denominator.verdict };
  const a = pick(numerator.result);
  const b = pick(denominator.result);
  const value = a / b;
  const met = Number.isFinite(value) && (atLeast === undefined || value >= atLeast) && (atMost === undefined || value <= atMost);
  return {
    target,
    figure: `${ms(a)} ${unit} / ${ms(b)} ${unit}${beside}`,
    value: ratioText(value),
    verdict: atLeast === undefined && atMost === undefined ? 'no bound' : met ? 'met' : 'not met',
  };
}

function bounded(target: string, row: Row | undefined, figure: number, unit: string, atMost: number, strict = false): TargetResult {
  const state = usable(row);
  if (!('result' in state)) return { target, figure: state.note, value: '', verdict: state.verdict };
  return {
    target,
    figure: `${row!.name}`,
    value: `${ms(figure)} ${unit}`,
    verdict: strict ? (figure < atMost ? 'met' : 'not met') : figure <= atMost ? 'met' : 'not met',
  };
}

/** Every target of issue 20, in its order, from the rows of one run keyed by `Row.key`. */
export function evaluateTargets(rows: ReadonlyMap<string, Row>, bounds: TargetBounds = ISSUE_20): TargetResult[] {
  const rps = (m: Measurement) => m.requestsPerSecond;
  const p50 = (m: Measurement) => m.p50;
  const typed32 = usable(rows.get('typed-nested-32'));
  const flat32 = usable(rows.get('typed-flat-32'));
  const beside =
    'result' in typed32 && 'result' in flat32
      ? `; at 32 connections ${ms(typed32.result.p50)} ms / ${ms(flat32.result.p50)} ms = ${ratioText(typed32.result.p50 / flat32.result.p50)}`
      : '; 32 connections not measured';
  const soak = rows.get('soak');
  const hwm = soak?.memory?.mib ?? Number.NaN;
  const restRps = { pick: rps, unit: 'req/s' };
  return [
    ratio(`1. REST 7-field list ≥ ${bounds.restOfHelloWorld} × bare Node http hello-world (req/s, 32 connections)`, rows, {
      of: 'rest-7',
      to: 'hello-world',
      ...restRps,
      atLeast: bounds.restOfHelloWorld,
    }),
    bounded(
      `1. REST 7-field list p99 ≤ ${bounds.restP99Ms} ms at 32 connections`,
      rows.get('rest-7'),
      rows.get('rest-7')?.result?.p99 ?? Number.NaN,
      'ms',
      bounds.restP99Ms,
    ),
    ratio(`2. GraphQL records (7-field page), GATEWAY_CACHE_MB=0, ≥ ${bounds.graphqlUncachedOfRest} × REST (req/s)`, rows, {
      of: 'graphql-7-uncached',
      to: 'rest-7',
      ...restRps,
      atLeast: bounds.graphqlUncachedOfRest,
    }),
    ratio(
      `2. GraphQL records (7-field page), cache on, ≥ ${bounds.graphqlCachedUnderWritesOfRest} × REST, both while 20 leads/s are written (req/s)`,
      rows,
      { of: 'graphql-7-writes', to: 'rest-7-writes', ...restRps, atLeast: bounds.graphqlCachedUnderWritesOfRest },
    ),
    ratio(`3. Typed nested query ≤ ${bounds.nestedOverFlat} × the typed flat list of the same 80 orders (p50 at 1 connection)`, rows, {
      of: 'typed-nested-1',
      to: 'typed-flat-1',
      pick: p50,
      unit: 'ms',
      atMost: bounds.nestedOverFlat,
      beside,
    }),
    ratio('4. REST 7-field list, WORKERS=2 / WORKERS=1 (req/s; the load generator shares the 2 cores)', rows, {
      of: 'rest-7-workers-2',
      to: 'rest-7-workers-1',
      ...restRps,
    }),
    {
      target: `5. Server's peak RSS (VmHWM) in the soak ≤ ${bounds.peakRssMiB} MiB`,
      figure: soak?.result ? soak.name : `${soak?.name ?? 'soak'} skipped`,
      value: Number.isNaN(hwm) ? '' : `${hwm} MiB`,
      verdict: Number.isNaN(hwm) ? 'not measured' : hwm <= bounds.peakRssMiB ? 'met' : 'not met',
    },
    bounded(
      `5. 100,000-row filtered list p50 < ${bounds.filteredP50Ms} ms (admin, sequential)`,
      rows.get('filtered-admin'),
      rows.get('filtered-admin')?.result?.p50 ?? Number.NaN,
      'ms',
      bounds.filteredP50Ms,
      true,
    ),
    ratio(
      `5. Demo within ${bounds.demoWithin * 100}% of admin: 100,000-row filtered list p50, demo / admin ≤ ${1 + bounds.demoWithin}`,
      rows,
      {
        of: 'filtered-demo',
        to: 'filtered-admin',
        pick: p50,
        unit: 'ms',
        atMost: 1 + bounds.demoWithin,
      },
    ),
    // The issue bounds demo on the filtered list (above); the same ratio on the 7-field page is for information.
    ratio('5. For information: REST 7-field list req/s, demo / admin', rows, {
      of: 'rest-7-demo',
      to: 'rest-7',
      ...restRps,
    }),
  ];
}
