/**
 * Opt-in: the change feed in front of a live Odoo 17 (the lab; issue 19), end to end: a BACKEND=odoo
 * server polling the lab every 300 ms, a client reading `GET /api/crm_lead/changes` as server-sent events,
 * and writes made in Odoo directly (as its own UI would): created, updated (twice in one second too),
 * archived (removed), each arriving as an event.
 *
 *   set -a && source ~/odoo-lab/live.env && set +a && npx vitest run test/backends/odoo/changes-live.test.ts
 *
 * Needs ODOO_URL, ODOO_DB, ODOO_LOGIN (admin) and ODOO_API_KEY. Without them: skipped, with one line.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import { testConfig } from '../../../src/config.js';
import { labCall } from '../../fidelity/support/lab-rpc.js';
import { describeWithLab, type LabEnv } from '../../fidelity/support/sides.js';

const MARK = `CHLIVE-${Date.now().toString(36)}`;

interface Event {
  event?: string;
  id?: string;
  data?: string;
}

describeWithLab('LIVE change feed in front of Odoo', ['CHL-01 created, updated, written twice in a second, archived'], (env: LabEnv) => {
  let app: App | undefined;
  let url: string;
  const leads: number[] = [];

  beforeAll(async () => {
    app = await createApp(
      testConfig({
        BACKEND: 'odoo',
        ODOO_URL: env.url,
        ODOO_DB: env.db,
        LOG_LEVEL: 'silent',
        CHANGES_ODOO_POLL_MS: 300,
        CHANGES_MAX_WAIT_S: 5,
      }),
    );
    url = await app.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    if (leads.length) await labCall(env, 'crm.lead', 'unlink', [leads]).catch(() => undefined);
    await app?.close();
  });

  it('CHL-01 created, updated, written twice in a second, archived', async () => {
    const controller = new AbortController();
    const query = new URLSearchParams({ domain: JSON.stringify([['name', '=like', `${MARK}%`]]), fields: 'name,expected_revenue' });
    const response = await fetch(`${url}/api/crm_lead/changes?${query}`, {
      headers: {
        accept: 'text/event-stream',
        authorization: `Basic ${Buffer.from(`${env.login}:${env.apiKey}`).toString('base64')}`,
      },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const events: Event[] = [];
    let buffer = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event: Event = {};
            for (const line of buffer.slice(0, end).split('\n')) {
              const match = /^(event|id|data): ?(.*)$/.exec(line);
              if (match) event[match[1] as 'event' | 'id' | 'data'] = match[2];
            }
            buffer = buffer.slice(end + 2);
            events.push(event);
          }
        }
      } catch {
        // aborted at the end of the test
      }
    })();
    const changes = () => events.filter((e) => e.event === 'change').map((e) => JSON.parse(e.data!));
    const until = async (predicate: () => boolean) => {
      for (let i = 0; i < 100 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(predicate(), JSON.stringify(events)).toBe(true);
    };
    try {
      await until(() => events.some((e) => e.id !== undefined));
      const id = (await labCall(env, 'crm.lead', 'create', [{ name: `${MARK} lead`, expected_revenue: 1 }])) as number;
      leads.push(id);
      await until(() => changes().some((c) => c.op === 'created' && c.id === id));
      // Two writes within one second: write_date does not move the second time, the content does.
      await labCall(env, 'crm.lead', 'write', [[id], { expected_revenue: 2 }]);
      await until(() => changes().some((c) => c.id === id && c.record?.expected_revenue === 2));
      await labCall(env, 'crm.lead', 'write', [[id], { expected_revenue: 3 }]);
      await until(() => changes().some((c) => c.id === id && c.record?.expected_revenue === 3));
      await labCall(env, 'crm.lead', 'write', [[id], { active: false }]);
      await until(() => changes().some((c) => c.op === 'removed' && c.id === id));
      const ops = changes().filter((c) => c.id === id);
      expect(ops[0]).toEqual({ op: 'created', id, record: { id, name: `${MARK} lead`, expected_revenue: 1 } });
      expect(ops.at(-1)).toEqual({ op: 'removed', id });
      expect(ops.map((c) => c.record?.expected_revenue).filter((v) => v !== undefined)).toEqual([1, 2, 3]);
    } finally {
      controller.abort();
      await reading;
    }
  }, 60_000);
});
