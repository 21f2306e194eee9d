/**
 * Bounded retries with exponential backoff and jitter, for requests that are safe to repeat (reads).
 * The caller decides what may be retried (`shouldRetry`); a write is never handed to this function.
 * Backoff before retry n (1-based) is a random delay in [backoffMs * 2^(n-1) / 2, backoffMs * 2^(n-1)],
 * so clients that failed together do not come back together. An aborted signal ends the wait at once
 * and the last error is thrown.
 *
 * Kept rather than undici's `interceptors.retry`, which cannot send a read again once its answer was cut
 * mid-body: it only resumes with a `Range` request, which our REST routes and Odoo do not serve, and
 * fails with "server does not support the range header" (tried on undici 7.30). Here the whole attempt
 * (slot, request, body read and parsed) is what is retried, so the caller also keeps its own error
 * mapping and the retry count metrics report.
 */

export interface RetryPolicy {
  /** Retries after the first attempt (0: none). */
  readonly retries: number;
  /** Base delay in milliseconds before the first retry; doubled for each further one. */
  readonly backoffMs: number;
}

export interface RetryOptions {
  readonly signal?: AbortSignal | undefined;
  /** Called before each retry, with the error that caused it and the retry's number (1-based). */
  readonly onRetry?: (error: unknown, retry: number) => void;
}

export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = policy.backoffMs * 2 ** (retry - 1);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Runs `attempt` until it succeeds, `shouldRetry` says no, the retries are used up, or `signal` aborts. */
export async function withRetries<T>(
  attempt: (retry: number) => Promise<T>,
  policy: RetryPolicy,
  shouldRetry: (error: unknown) => boolean,
  options: RetryOptions = {},
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(retry);
    } catch (error) {
      if (retry >= policy.retries || options.signal?.aborted || !shouldRetry(error)) throw error;
      options.onRetry?.(error, retry + 1);
      await sleep(backoffDelay(policy, retry + 1), options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}

/** Socket-level failures where a read may safely be sent again: nothing usable came back. */
export const RETRYABLE_TRANSPORT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The first `code` on an error or along its `cause` chain. */
export function errorCodeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
