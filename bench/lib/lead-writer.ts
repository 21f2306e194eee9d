/**
 * Another client writing while a row is measured: one `POST /api/crm_lead` every 1/perSecond s, paced
 * against the clock (a write that starts late does not push the next ones back), at most `maxInFlight`
 * at once so that a stalled server is not flooded. Every write changes the tags of the lists, so the
 * gateway cache's revalidations miss as they would beside a busy user.
 */

/** The lead of mrm_rest_api's documented example 2, as `POST /api/crm_lead` takes it. */
export const DOCUMENTED_LEAD = {
  name: 'New Opportunity',
  partner_id: { id: 12 },
  contact_name: 'John Doe',
  email_from: 'john@example.com',
  expected_revenue: 15000,
} as const;

export interface WriterFigures {
  /** Writes answered 201. */
  readonly written: number;
  /** Writes answered otherwise, or that failed on the socket. */
  readonly failed: number;
  readonly seconds: number;
  /** `written / seconds`, to one decimal. */
  readonly perSecond: number;
}

export interface LeadWriter {
  /** Stops starting writes, waits for those in flight, and gives the figures. */
  stop(): Promise<WriterFigures>;
}

export function startLeadWriter(
  url: string,
  headers: Record<string, string>,
  { perSecond = 20, maxInFlight = 4, body = DOCUMENTED_LEAD }: { perSecond?: number; maxInFlight?: number; body?: unknown } = {},
): LeadWriter {
  const interval = 1000 / perSecond;
  const started = performance.now();
  const pending = new Set<Promise<void>>();
  let due = 0;
  let written = 0;
  let failed = 0;
  const write = () => {
    const request = fetch(`${url}/api/crm_lead`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.status === 201) written += 1;
        else failed += 1;
      })
      // Counted, not thrown: unhandled, the rejection would end the benchmark.
      .catch(() => {
        failed += 1;
      })
      .finally(() => pending.delete(request));
    pending.add(request);
  };
  const timer = setInterval(() => {
    const owed = Math.floor((performance.now() - started) / interval) + 1;
    while (due < owed && pending.size < maxInFlight) {
      due += 1;
      write();
    }
    // What could not start for want of a free slot is dropped, not owed: the rate is a ceiling.
    due = Math.max(due, owed);
  }, interval / 2);
  return {
    async stop() {
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      await Promise.all(pending);
      return { written, failed, seconds: Math.round(seconds * 10) / 10, perSecond: Math.round((written / seconds) * 10) / 10 };
    },
  };
}
