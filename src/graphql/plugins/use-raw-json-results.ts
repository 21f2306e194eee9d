/**
 * Writes the answers of an HTTP request whose operations passed gateway JSON through (raw-json-results.ts)
 * with that request's `RawJsonResults`: yoga's result processors (JSON, SSE, multipart) write a result
 * with its own `stringify` when it has one. `resultsFor(request)` gives the context of an operation that
 * came over HTTP its `RawJsonResults` (one per request, shared by the operations of a batch).
 */
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { RawJsonResults } from '../raw-json-results.js';

export interface RawJsonResultsPlugin {
  readonly plugin: Plugin;
  /** The request's `RawJsonResults`, made on first use. */
  resultsFor(request: Request): RawJsonResults;
}

export function useRawJsonResults(): RawJsonResultsPlugin {
  const byRequest = new WeakMap<Request, RawJsonResults>();
  const resultsFor = (request: Request) => {
    let results = byRequest.get(request);
    if (!results) {
      results = new RawJsonResults();
      byRequest.set(request, results);
    }
    return results;
  };
  const withStringify = (result: object, raw: RawJsonResults) => ({ ...result, stringify: raw.stringify });
  return {
    resultsFor,
    plugin: {
      // eslint-disable-next-line @typescript-eslint/unbound-method -- yoga's setResult is a closure, not a method
      onResultProcess({ request, result, setResult }) {
        const raw = byRequest.get(request);
        if (!raw || raw.size === 0 || isAsyncIterable(result)) return;
        setResult(Array.isArray(result) ? result.map((one: object) => withStringify(one, raw)) : withStringify(result as object, raw));
      },
    },
  };
}
