/**
 * Differential test (issue 16): Odoo's context — companies, time zone, language — on the embedded store and
 * through BACKEND=odoo in front of the lab's Odoo 17 (with French installed), each held to what Odoo itself
 * answers over JSON-RPC with the same context.
 *
 *   source ~/odoo-lab/live.env && source ~/odoo-lab/keys.env && ODOO_SECRETS=demo:$DEMO_KEY \
 *     npx vitest run test/fidelity/context.test.ts
 *
 * French is installed in the lab first if it is not (`base.language.install`, as Odoo's Settings do). The
 * two databases hold different records, so what is compared is what does not depend on them: the labels and
 * names of the demo data both have, the refusals, the day.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { embeddedSide, facadeSide, type Side } from './support/sides.js';
import { describeWithLab } from './support/sides.js';
import { ensureLabLanguage, labCall } from './support/lab-rpc.js';

const TESTS = [
  'X1 a company the user does not belong to: AccessError where rules read the companies, none on a model without company rules',
  'X2 allowed_company_ids restricts the admin to those companies, as Odoo counts them',
  'X3 the validity of a quotation is 30 days from today in the context time zone',
  'X4 fr_FR: selection labels and field labels of a sale order, as Odoo translates them',
  'X5 fr_FR: translatable values (stages, countries) and many2one names, from Accept-Language or the context',
];

function context(value: unknown): string {
  return `context=${encodeURIComponent(JSON.stringify(value))}`;
}

describeWithLab('fidelity: Odoo context (companies, tz, lang), embedded store and facade vs Odoo 17', TESTS, (env) => {
  let embedded: Side & { server: { authorization(login: string): string } };
  let facade: Side;
  const demoSecret = /(?:^|,)demo:([^,]+)/.exec(process.env.ODOO_SECRETS ?? '')?.[1];
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    await ensureLabLanguage(env, 'fr_FR');
    embedded = await embeddedSide();
    facade = await facadeSide(env);
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    await embedded.close();
    await facade.close();
  });

  /** A request as the side's demo user (Bearer key of the store, or Basic demo:<key> in front of Odoo). */
  function asDemo(side: Side, path: string): ReturnType<Side['request']> {
    const authorization =
      side === embedded ? embedded.server.authorization('demo') : `Basic ${Buffer.from(`demo:${demoSecret}`).toString('base64')}`;
    return side.request('GET', path, undefined, { authorization }, false);
  }

  it(TESTS[0]!, async () => {
    expect(demoSecret, 'set ODOO_SECRETS=demo:<key> (source ~/odoo-lab/keys.env)').toBeDefined();
    for (const side of [embedded, facade]) {
      const orders = await asDemo(side, `/api/sale_order?limit=1&${context({ allowed_company_ids: [99] })}`);
      expect([side.name, orders.status, orders.body]).toEqual([side.name, 403, { error: 'Access to unauthorized or invalid companies.' }]);
      const countries = await asDemo(side, `/api/res_country?limit=1&fields=code&${context({ allowed_company_ids: [99] })}`);
      expect([side.name, countries.status]).toEqual([side.name, 200]);
    }
  });

  it(TESTS[1]!, async () => {
    for (const companies of [[1], [2], [2, 1]]) {
      const odoo = (await labCall(env, 'sale.order', 'search_count', [[]], { context: { allowed_company_ids: companies } })) as number;
      const answer = await facade.request('GET', `/api/sale_order?limit=0&${context({ allowed_company_ids: companies })}`);
      expect([companies, answer.body.total]).toEqual([companies, odoo]);
      // The same through the header.
      const header = await facade.request('GET', '/api/sale_order?limit=0', undefined, { 'x-company-ids': companies.join(',') });
      expect(header.body.total).toBe(odoo);
      const mine = await embedded.request(
        'GET',
        `/api/sale_order?limit=1000&fields=company_id&${context({ allowed_company_ids: companies })}`,
      );
      const seen = new Set((mine.body.results as Array<{ company_id: { id: number } }>).map((r) => r.company_id.id));
      expect([...seen].every((id) => companies.includes(id))).toBe(true);
    }
  });

  it(TESTS[2]!, async () => {
    for (const tz of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const validity: Record<string, string> = {};
      for (const side of [embedded, facade]) {
        const partner =
          side === embedded
            ? 12
            : ((await labCall(env, 'res.partner', 'search', [[['is_company', '=', true]]], { limit: 1 })) as number[])[0];
        const created = await side.request('POST', `/api/sale_order?fields=validity_date&${context({ tz })}`, { partner_id: partner });
        expect(created.status, created.text).toBe(201);
        validity[side.name] = created.body.record.validity_date as string;
        cleanups.push(() => side.request('DELETE', `/api/sale_order/${created.body.id as number}`));
      }
      expect(validity.embedded, tz).toBe(validity.facade);
    }
  });

  it(TESTS[3]!, async () => {
    const odoo = (await labCall(env, 'sale.order', 'fields_get', [['state', 'partner_id', 'validity_date']], {
      attributes: ['string', 'selection'],
      context: { lang: 'fr_FR' },
    })) as Record<string, { string: string; selection?: unknown }>;
    for (const side of [embedded, facade]) {
      const answer = await side.request('GET', `/api/sale_order/fields?${context({ lang: 'fr_FR' })}`);
      expect(answer.status, answer.text).toBe(200);
      for (const [name, meta] of Object.entries(odoo)) {
        expect([side.name, name, answer.body[name]?.string]).toEqual([side.name, name, meta.string]);
        if (meta.selection) expect([side.name, name, answer.body[name]?.selection]).toEqual([side.name, name, meta.selection]);
      }
    }
  });

  it(TESTS[4]!, async () => {
    // The two databases have different stages and countries: each side's records are held to Odoo's French
    // for the English name (stages) or the code (countries) Odoo's demo data gives them.
    const stagesEn = (await labCall(env, 'crm.stage', 'search_read', [[]], { fields: ['name'] })) as Array<{ id: number; name: string }>;
    const stagesFr = (await labCall(env, 'crm.stage', 'search_read', [[]], { fields: ['name'], context: { lang: 'fr_FR' } })) as Array<{
      id: number;
      name: string;
    }>;
    const frenchStage = new Map(stagesEn.map((s) => [s.name, stagesFr.find((f) => f.id === s.id)!.name]));
    const countries = (await labCall(env, 'res.country', 'search_read', [[]], {
      fields: ['code', 'name'],
      context: { lang: 'fr_FR' },
    })) as Array<{
      code: string;
      name: string;
    }>;
    const frenchCountry = new Map(countries.map((c) => [c.code, c.name]));
    for (const side of [embedded, facade]) {
      const english = await side.request('GET', '/api/crm_stage?fields=name&limit=200');
      const englishName = new Map((english.body.results as Array<{ id: number; name: string }>).map((s) => [s.id, s.name]));
      let compared = 0;
      for (const headers of [{ 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' }, {}] as Array<Record<string, string>>) {
        const asked = Object.keys(headers).length ? '' : `&${context({ lang: 'fr_FR' })}`;
        const french = await side.request('GET', `/api/crm_stage?fields=name&limit=200${asked}`, undefined, headers);
        for (const stage of french.body.results as Array<{ id: number; name: string }>) {
          const expected = frenchStage.get(englishName.get(stage.id)!);
          if (expected === undefined) continue;
          expect([side.name, stage.name]).toEqual([side.name, expected]);
          compared++;
        }
        const theirs = await side.request('GET', `/api/res_country?fields=code,name&limit=300${asked}`, undefined, headers);
        for (const country of theirs.body.results as Array<{ code: string; name: string }>) {
          expect([side.name, country.code, country.name]).toEqual([side.name, country.code, frenchCountry.get(country.code)]);
          compared++;
        }
      }
      expect(compared, side.name).toBeGreaterThan(8);
      // A lead's stage reads under its French name, and a search by the French name finds it.
      const nouveau = frenchStage.get('New')!;
      const lead = await side.request(
        'GET',
        `/api/crm_lead?limit=1&fields=stage_id&domain=${encodeURIComponent(`[('stage_id', '=', '${nouveau}')]`)}&${context({ lang: 'fr_FR' })}`,
      );
      expect(lead.status, lead.text).toBe(200);
      expect([side.name, lead.body.results[0]?.stage_id?.name]).toEqual([side.name, nouveau]);
    }
  });
});
