/** Runs autocannon against one URL and returns the figures we report. */
import autocannon from 'autocannon';

export interface Measurement {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

export async function measure(
  name: string,
  options: {
    url: string;
    headers?: Record<string, string>;
    connections?: number;
    duration?: number;
    method?: 'GET' | 'POST';
    body?: string;
  },
): Promise<Measurement> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    ...(options.body !== undefined ? { body: options.body } : {}),
    connections: options.connections ?? 10,
    duration: options.duration ?? 10,
  });
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export function printTable(rows: readonly Measurement[]): void {
  const header = '| benchmark | req/s | p50 ms | p99 ms | non-2xx | errors |';
  const lines = rows.map((r) => `| ${r.name} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} |`);
  process.stdout.write(`${[header, '|---|---|---|---|---|---|', ...lines].join('\n')}\n`);
}

/** Median and p99 latency in milliseconds (to the microsecond) of `count` sequential GETs (or POSTs, given a body). */
export async function sequentialLatency(
  name: string,
  url: string,
  headers: Record<string, string>,
  count = 2000,
  post?: { readonly body: string },
): Promise<Measurement> {
  const times: number[] = [];
  let non2xx = 0;
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const t = performance.now();
    const response = await fetch(url, post ? { method: 'POST', headers, body: post.body } : { headers });
    await response.arrayBuffer();
    times.push(performance.now() - t);
    if (response.status >= 300) non2xx += 1;
  }
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const at = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(3));
  return { name, requestsPerSecond: Math.round(count / elapsed), p50: at(0.5), p99: at(0.99), non2xx, errors: 0 };
}

/** The middle value (the upper one of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export interface SequentialTarget {
  readonly name: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  /** POSTed when given, else GET. */
  readonly body?: string;
}

/**
 * `sequentialLatency` of each target in `rounds` alternating rounds of `count / rounds` requests, so that
 * all of them see the same machine (a neighbour's burst lands on each alike); each figure is the median
 * of the rounds' figures. In the order of `targets`.
 */
export async function alternatingLatency(targets: readonly SequentialTarget[], count: number, rounds = 3): Promise<Measurement[]> {
  const runs = targets.map((): Measurement[] => []);
  const each = Math.max(1, Math.ceil(count / rounds));
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, target] of targets.entries()) {
      runs[index]!.push(
        await sequentialLatency(
          target.name,
          target.url,
          target.headers,
          each,
          target.body === undefined ? undefined : { body: target.body },
        ),
      );
    }
  }
  return targets.map((target, index) => {
    const list = runs[index]!;
    const sum = (pick: (m: Measurement) => number) => list.reduce((total, m) => total + pick(m), 0);
    return {
      name: target.name,
      requestsPerSecond: median(list.map((m) => m.requestsPerSecond)),
      p50: median(list.map((m) => m.p50)),
      p99: median(list.map((m) => m.p99)),
      non2xx: sum((m) => m.non2xx),
      errors: sum((m) => m.errors),
    };
  });
}
