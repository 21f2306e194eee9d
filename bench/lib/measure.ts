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
