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
  options: { url: string; headers?: Record<string, string>; connections?: number; duration?: number; method?: 'GET' | 'POST'; body?: string },
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
