/**
 * Odoo's context on the REST routes (issue 16; docs/rest.md, "Context"): the companies a request works in
 * (`context={"allowed_company_ids": [...]}`, `X-Company-Ids`, the web client's `cids` cookie), its time
 * zone and language, and a clear 400 for a malformed context. Companies and time zones as Odoo 17 treats
 * them (odoo/api.py `Environment.companies`, `fields.Date.context_today`), checked against the lab's Odoo:
 * an unknown company for the demo user is an AccessError on sale.order and nothing on res.country.
 */
import { describe, expect, it } from 'vitest';
import { useServer } from '../helpers/use-server.js';
import { credentials, expectError, rpc } from './support.js';

const server = useServer();

const SAN_FRANCISCO = 1;
const CHICAGO = 2;

/** `?context=` for these Odoo context keys. */
function context(value: unknown): string {
  return `context=${encodeURIComponent(JSON.stringify(value))}`;
}

async function total(login: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  const answer = await server.request(login, 'GET', path, undefined, headers);
  expect(answer.status, answer.text).toBe(200);
  return answer.body.total as number;
}

async function companiesOf(login: string, path: string, headers: Record<string, string> = {}): Promise<Set<number | false>> {
  const answer = await server.request(login, 'GET', path, undefined, headers);
  expect(answer.status, answer.text).toBe(200);
  return new Set((answer.body.results as Array<{ company_id: { id: number } | false }>).map((r) => r.company_id && r.company_id.id));
}

describe('allowed_company_ids: the companies a request works in', () => {
  it('without a context the admin sees every company of his; with one, only those', async () => {
    const all = await total('admin', '/api/sale_order?limit=0');
    const sf = await total('admin', `/api/sale_order?limit=0&${context({ allowed_company_ids: [SAN_FRANCISCO] })}`);
    const chicago = await total('admin', `/api/sale_order?limit=0&${context({ allowed_company_ids: [CHICAGO] })}`);
    expect(sf).toBeGreaterThan(0);
    expect(chicago).toBeGreaterThan(0);
    // An order belongs to exactly one company, so the two halves make the whole.
    expect(sf + chicago).toBe(all);
    expect(
      await companiesOf('admin', `/api/sale_order?limit=1000&fields=company_id&${context({ allowed_company_ids: [CHICAGO] })}`),
    ).toEqual(new Set([CHICAGO]));
  });

  it('the X-Company-Ids header and the cids cookie say the same as the context', async () => {
    const byContext = await total('admin', `/api/sale_order?limit=0&${context({ allowed_company_ids: [CHICAGO] })}`);
    expect(await total('admin', '/api/sale_order?limit=0', { 'x-company-ids': String(CHICAGO) })).toBe(byContext);
    expect(await total('admin', '/api/sale_order?limit=0', { cookie: `cids=${CHICAGO}` })).toBe(byContext);
    // Odoo 17's web client writes `1-2` in its URLs and `1,2` in the cookie: both are read.
    const all = await total('admin', '/api/sale_order?limit=0');
    expect(await total('admin', '/api/sale_order?limit=0', { cookie: 'cids=1-2' })).toBe(all);
    expect(await total('admin', '/api/sale_order?limit=0', { 'x-company-ids': '2, 1' })).toBe(all);
  });

  it('the context parameter wins over the header, the header over the cookie', async () => {
    const sf = await total('admin', `/api/sale_order?limit=0&${context({ allowed_company_ids: [SAN_FRANCISCO] })}`);
    const chicago = await total('admin', '/api/sale_order?limit=0', { 'x-company-ids': String(CHICAGO) });
    expect(sf).not.toBe(chicago);
    expect(
      await total('admin', `/api/sale_order?limit=0&${context({ allowed_company_ids: [SAN_FRANCISCO] })}`, {
        'x-company-ids': String(CHICAGO),
      }),
    ).toBe(sf);
    expect(await total('admin', '/api/sale_order?limit=0', { 'x-company-ids': String(CHICAGO), cookie: `cids=${SAN_FRANCISCO}` })).toBe(
      chicago,
    );
  });

  it('a new record takes the first allowed company as its company, as Odoo takes env.company', async () => {
    const path = `/api/crm_lead?fields=company_id&${context({ allowed_company_ids: [CHICAGO, SAN_FRANCISCO] })}`;
    const created = await server.request('admin', 'POST', path, { name: 'Context: lead created in Chicago' });
    expect(created.status, created.text).toBe(201);
    expect(created.body.record.company_id).toMatchObject({ id: CHICAGO });
    const plain = await server.request('admin', 'POST', '/api/crm_lead?fields=company_id', {
      name: 'Context: lead in the default company',
    });
    expect(plain.body.record.company_id).toMatchObject({ id: SAN_FRANCISCO });
  });

  it("a company the user does not belong to is Odoo's AccessError, raised where Odoo reads the companies", async () => {
    // salesman2 works in San Francisco only.
    for (const headers of [{}, { 'x-company-ids': String(CHICAGO) }] as Array<Record<string, string>>) {
      const path = Object.keys(headers).length ? '/api/sale_order' : `/api/sale_order?${context({ allowed_company_ids: [CHICAGO] })}`;
      expectError(await server.request('salesman2', 'GET', path, undefined, headers), 403, 'Access to unauthorized or invalid companies.');
    }
    expectError(
      await server.request('admin', 'GET', `/api/res_partner?${context({ allowed_company_ids: [1, 99] })}`),
      403,
      'Access to unauthorized or invalid companies.',
    );
    // Odoo reads env.companies lazily (record rules, company defaults): a model without company rules answers.
    const countries = await server.request('salesman2', 'GET', `/api/res_country?limit=1&${context({ allowed_company_ids: [99] })}`);
    expect(countries.status, countries.text).toBe(200);
  });

  it('a write refused for the companies changes nothing', async () => {
    const before = await total('admin', '/api/crm_lead?limit=0');
    expectError(
      await server.request('salesman2', 'POST', `/api/crm_lead?${context({ allowed_company_ids: [CHICAGO] })}`, {
        name: 'Context: refused',
      }),
      403,
      'Access to unauthorized or invalid companies.',
    );
    expect(await total('admin', '/api/crm_lead?limit=0')).toBe(before);
  });

  it('answers tagged for one set of companies are not answered 304 for another', async () => {
    const first = await server.request('admin', 'GET', '/api/sale_order?limit=0', undefined, { 'x-company-ids': '1' });
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const same = await server.request('admin', 'GET', '/api/sale_order?limit=0', undefined, {
      'x-company-ids': '1',
      'if-none-match': etag!,
    });
    expect(same.status).toBe(304);
    const other = await server.request('admin', 'GET', '/api/sale_order?limit=0', undefined, {
      'x-company-ids': '2',
      'if-none-match': etag!,
    });
    expect(other.status).toBe(200);
  });
});

describe("tz: the user's day", () => {
  /** The date in `zone` now, then `days` later: what Odoo's context_today gives plus the quotation validity. */
  function dateIn(zone: string, days: number): string {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      new Date(),
    );
    const date = new Date(`${today}T00:00:00Z`);
    date.setUTCDate(date.getUTCDate() + days);
    return date.toISOString().slice(0, 10);
  }

  it("a quotation is valid 30 days from today in the context's time zone, else the user's", async () => {
    // UTC+14 and UTC-11: never the same date.
    const validity = new Map<string, string>();
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const before = dateIn(zone, 30);
      const created = await server.request('admin', 'POST', `/api/sale_order?fields=validity_date&${context({ tz: zone })}`, {
        partner_id: 12,
      });
      expect(created.status, created.text).toBe(201);
      // A request that straddles midnight in that zone may take either day.
      expect([before, dateIn(zone, 30)]).toContain(created.body.record.validity_date);
      validity.set(zone, created.body.record.validity_date as string);
    }
    expect(validity.get('Pacific/Kiritimati')).not.toBe(validity.get('Pacific/Pago_Pago'));
    const before = dateIn('Europe/Brussels', 30);
    const plain = await server.request('admin', 'POST', '/api/sale_order?fields=validity_date', { partner_id: 12 });
    expect([before, dateIn('Europe/Brussels', 30)]).toContain(plain.body.record.validity_date);
  });

  it("the session info carries the user's language and time zone, as Odoo's", async () => {
    const answer = await rpc(server, '/web/session/authenticate', credentials('admin'));
    expect(answer.body.result.user_context).toEqual({ lang: 'en_US', tz: 'Europe/Brussels', uid: 2 });
    const portal = await rpc(server, '/web/session/authenticate', credentials('portal'));
    expect(portal.body.result.user_context).toMatchObject({ lang: 'en_US', tz: false });
  });
});

describe('lang: the installed languages', () => {
  it('a language that is installed is taken, one that is not is a 400 naming the installed ones', async () => {
    const ok = await server.request('admin', 'GET', `/api/res_partner?limit=1&${context({ lang: 'fr_FR' })}`);
    expect(ok.status, ok.text).toBe(200);
    expectError(
      await server.request('admin', 'GET', `/api/res_partner?${context({ lang: 'de_DE' })}`),
      400,
      "query parameter 'context': language 'de_DE' is not installed (installed: en_US, fr_FR)",
    );
  });

  it('an Accept-Language naming no installed language is no error: the user gets his own', async () => {
    const answer = await server.request('admin', 'GET', '/api/res_partner?limit=1', undefined, {
      'accept-language': 'de-DE, ja;q=0.5, *;q=0.1',
    });
    expect(answer.status, answer.text).toBe(200);
  });
});

describe('a malformed context is a 400 naming the problem, and changes nothing', () => {
  const cases: Array<[string, string, Record<string, string>, RegExp]> = [
    ['not JSON', 'context=%7Blang', {}, /^query parameter 'context': not JSON/],
    ['a list', `${context(['lang', 'fr_FR'])}`, {}, /^query parameter 'context': expected a JSON object$/],
    ['a string', `${context('fr_FR')}`, {}, /^query parameter 'context': expected a JSON object$/],
    ['an unknown key', `${context({ active_test: false })}`, {}, /unknown key 'active_test' \(supported: lang, tz, allowed_company_ids\)/],
    ['lang not a string', `${context({ lang: 7 })}`, {}, /'lang' must be a language code/],
    ['lang with SQL in it', `${context({ lang: "fr_FR'; DROP TABLE res_partner; --" })}`, {}, /'lang' must be a language code/],
    ['tz unknown', `${context({ tz: 'Mars/Olympus_Mons' })}`, {}, /'tz' must be a time zone/],
    ['tz a number', `${context({ tz: 1 })}`, {}, /'tz' must be a time zone/],
    ['companies empty', `${context({ allowed_company_ids: [] })}`, {}, /'allowed_company_ids' must be a list of 1 to 100 company ids/],
    ['companies not ids', `${context({ allowed_company_ids: ['1'] })}`, {}, /'allowed_company_ids' must be a list/],
    ['companies negative', `${context({ allowed_company_ids: [-1] })}`, {}, /'allowed_company_ids' must be a list/],
    ['companies a number', `${context({ allowed_company_ids: 1 })}`, {}, /'allowed_company_ids' must be a list/],
    ['companies too many', `${context({ allowed_company_ids: Array.from({ length: 101 }, (_, i) => i + 1) })}`, {}, /1 to 100 company ids/],
    ['context given twice', `${context({})}&${context({})}`, {}, /^query parameter 'context' must be given once$/],
    ['context too long', `context=${encodeURIComponent(JSON.stringify({ lang: 'x'.repeat(3000) }))}`, {}, /longer than 2000 characters/],
    ['header not ids', '', { 'x-company-ids': 'chicago' }, /^header 'x-company-ids' must be a list of 1 to 100 company ids/],
    ['header with a negative id', '', { 'x-company-ids': '1,,2' }, /^header 'x-company-ids' must be a list/],
    ['cookie not ids', '', { cookie: 'cids=a-b' }, /^cookie 'cids' must be a list/],
  ];
  it.each(cases)('%s', async (_name, query, headers, message) => {
    for (const [method, body] of [
      ['GET', undefined],
      ['POST', { name: 'Context: never created' }],
    ] as const) {
      const before = await total('admin', '/api/res_partner_category?limit=0');
      const answer = await server.request('admin', method, `/api/res_partner_category?${query}`, body, headers);
      expectError(answer, 400, message);
      expect(await total('admin', '/api/res_partner_category?limit=0')).toBe(before);
    }
  });
});
