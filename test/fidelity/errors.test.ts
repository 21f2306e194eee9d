/**
 * Differential test, part 3 (issue 14): bad input, answered by the embedded store, by a real Odoo 17 (the
 * lab's reference REST gateway) and by BACKEND=odoo in front of the same Odoo; the status codes are
 * compared (the class of the error: 400 bad input, 401 no credentials, 403, 404, 405), and each answer must
 * be the contract's `{"error": "<message>"}`. The messages themselves differ by nature and are only shown.
 *
 *   source ~/odoo-lab/live.env && npx vitest run test/fidelity/errors.test.ts
 *
 * Each side gets two partners of its own (a target for updates, one to delete), deleted at the end on the lab.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithLab, embeddedSide, facadeSide, odooSide, runMarker, type Side } from './support/sides.js';

interface Case {
  readonly id: string;
  readonly what: string;
  readonly method: string;
  /** `{target}` is a partner of the side's own, `{victim}` one made to be deleted. */
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly auth?: boolean;
  /**
   * Where the embedded store is expected to answer otherwise than Odoo, and why: docs/rest-contract.md
   * decides (it refuses what Odoo silently coerces), or Odoo crashes (5xx) on input that is simply bad.
   */
  readonly expect?: { readonly status: number; readonly why: string };
}

const CONTRACT_400 = {
  status: 400,
  why: 'docs/rest-contract.md, Create / Update (C-WRITE-07): "Unknown field, wrong type, ..., write to a read-only field (computed fields): 400 naming the field"; Odoo coerces or ignores it',
};
const ODOO_CRASHES = {
  status: 400,
  why: "Odoo answers 500 (an exception inside Odoo) to input that is bad: 400 is the contract's class for it",
};

const CONTRACT_MISSING_REFERENCE = {
  status: 400,
  why: 'docs/rest-contract.md C-WRITE-07: a relational value naming a record that does not exist is a bad value (400 naming the field); the reference gateway answers 404 as for a missing record in the URL',
};
const CONTRACT_LIST_WITH_EQUALS = {
  status: 400,
  why: "docs/rest-contract.md C-LIST-04: '=' takes one value ('in' takes a list); Odoo quietly reads a list with '=' as 'in'",
};

const LENIENT_IN = {
  status: 200,
  why: "README, Differences from Odoo: a single value with 'in' is read as a one-value list (the domain language is checked before the field types are known); Odoo refuses it on a plain field",
};

const q = (domain: string) => encodeURIComponent(domain);

const CASES: readonly Case[] = [
  { id: 'E01', what: 'unknown field in fields=', method: 'GET', path: '/api/res_partner?fields=name,no_such_field' },
  { id: 'E02', what: 'unknown field in a create body', method: 'POST', path: '/api/res_partner', body: { name: 'x', no_such_field: 1 } },
  { id: 'E03', what: 'unknown field in an update body', method: 'PUT', path: '/api/res_partner/{target}', body: { no_such_field: 1 } },
  { id: 'E04', what: 'unknown field in a domain', method: 'GET', path: `/api/res_partner?domain=${q("[('no_such_field', '=', 1)]")}` },
  {
    id: 'E05',
    what: 'a dotted path through a field that is not relational',
    method: 'GET',
    path: `/api/res_partner?domain=${q("[('name.id', '=', 1)]")}`,
    expect: ODOO_CRASHES,
  },
  {
    id: 'E06',
    what: 'wrong type: a number for a char field (Odoo converts it to text)',
    method: 'PUT',
    path: '/api/res_partner/{target}',
    body: { function: 123 },
    expect: CONTRACT_400,
  },
  {
    id: 'E07',
    what: 'wrong type: a list for a char field',
    method: 'PUT',
    path: '/api/res_partner/{target}',
    body: { function: ['a'] },
    expect: CONTRACT_400,
  },
  {
    id: 'E08',
    what: 'wrong type: a string for a boolean field',
    method: 'PUT',
    path: '/api/res_partner/{target}',
    body: { is_company: 'yes' },
    expect: CONTRACT_400,
  },
  { id: 'E09', what: 'wrong type: a string for a many2one', method: 'PUT', path: '/api/res_partner/{target}', body: { parent_id: 'abc' } },
  {
    id: 'E10',
    what: 'a many2one to a record that does not exist',
    method: 'PUT',
    path: '/api/res_partner/{target}',
    body: { country_id: 999999999 },
    expect: CONTRACT_MISSING_REFERENCE,
  },
  { id: 'E11', what: 'a selection value that does not exist', method: 'PUT', path: '/api/res_partner/{target}', body: { type: 'bogus' } },
  { id: 'E12', what: 'a string for an x2many', method: 'PUT', path: '/api/res_partner/{target}', body: { category_id: 'x' } },
  {
    id: 'E13',
    what: 'an unknown x2many command',
    method: 'PUT',
    path: '/api/res_partner/{target}',
    body: { category_id: [[9, 0, 0]] },
    expect: CONTRACT_400,
  },
  { id: 'E14', what: 'a date that is not a date', method: 'POST', path: '/api/crm_lead', body: { name: 'x', date_deadline: 'soon' } },
  { id: 'E15', what: 'a string for a float field', method: 'POST', path: '/api/crm_lead', body: { name: 'x', expected_revenue: 'lots' } },
  { id: 'E16', what: 'a required field missing', method: 'POST', path: '/api/sale_order', body: {} },
  {
    id: 'E17',
    what: 'writing a computed stored field (complete_name)',
    method: 'PUT',
    path: '/api/res_partner/{target}',
    body: { complete_name: 'x' },
    expect: CONTRACT_400,
  },
  {
    id: 'E18',
    what: 'writing display_name',
    method: 'PUT',
    path: '/api/res_partner/{target}',
    body: { display_name: 'x' },
    expect: CONTRACT_400,
  },
  { id: 'E19', what: 'domain: not Python', method: 'GET', path: `/api/res_partner?domain=${q('[(')}` },
  { id: 'E20', what: 'domain: not a list', method: 'GET', path: `/api/res_partner?domain=${q("{'a': 1}")}` },
  { id: 'E21', what: 'domain: unknown operator', method: 'GET', path: `/api/res_partner?domain=${q("[('name', '~', 'x')]")}` },
  { id: 'E22', what: 'domain: a leaf of two items', method: 'GET', path: `/api/res_partner?domain=${q("[('name', '=')]")}` },
  { id: 'E23', what: "domain: '|' with one operand", method: 'GET', path: `/api/res_partner?domain=${q("['|', ('name', '=', 'x')]")}` },
  {
    id: 'E24',
    what: 'domain: a string compared with an integer field',
    method: 'GET',
    path: `/api/res_partner?domain=${q("[('id', '=', 'abc')]")}`,
    expect: ODOO_CRASHES,
  },
  {
    id: 'E25',
    what: 'domain: a date that is not a date',
    method: 'GET',
    path: `/api/res_partner?domain=${q("[('create_date', '>', 'soon')]")}`,
    expect: ODOO_CRASHES,
  },
  {
    id: 'E26',
    what: "domain: 'in' with a single string",
    method: 'GET',
    path: `/api/res_partner?domain=${q("[('name', 'in', 'abc')]")}`,
    expect: LENIENT_IN,
  },
  {
    id: 'E47',
    what: "domain: '=' with a list (Odoo's normalize_leaf makes it 'in')",
    method: 'GET',
    path: `/api/res_partner?domain=${q("[('name', '=', ['a', 'b'])]")}`,
    expect: CONTRACT_LIST_WITH_EQUALS,
  },
  {
    id: 'E48',
    what: "domain: 'in' with a boolean (Odoo makes it '=')",
    method: 'GET',
    path: `/api/res_partner?domain=${q("[('is_company', 'in', True)]")}`,
  },
  {
    id: 'E49',
    what: "domain: 'in' with a name on a many2one (Odoo name-searches it)",
    method: 'GET',
    path: `/api/res_partner?domain=${q("[('parent_id', 'in', 'Azure')]")}`,
  },
  { id: 'E27', what: 'NUL in a value of a create body', method: 'POST', path: '/api/res_partner', body: { name: 'a\u0000b' } },
  { id: 'E28', what: 'NUL in a value of an update body', method: 'PUT', path: '/api/res_partner/{target}', body: { function: 'a\u0000b' } },
  {
    id: 'E29',
    what: 'NUL in a domain value, escaped (\\x00)',
    method: 'GET',
    path: `/api/res_partner?domain=${q("[('name', '=', 'a\\x00b')]")}`,
  },
  { id: 'E30', what: 'NUL in a domain, raw', method: 'GET', path: `/api/res_partner?domain=${q("[('name', '=', 'a\u0000b')]")}` },
  { id: 'E31', what: 'NUL in fields=', method: 'GET', path: '/api/res_partner?fields=name%00' },
  { id: 'E32', what: 'no credentials', method: 'GET', path: '/api/res_partner?limit=1', auth: false },
  {
    id: 'E33',
    what: 'a wrong Bearer key',
    method: 'GET',
    path: '/api/res_partner?limit=1',
    auth: false,
    headers: { authorization: 'Bearer 0123456789abcdef0123456789abcdef01234567' },
  },
  { id: 'E34', what: 'no credentials on a write', method: 'POST', path: '/api/res_partner', auth: false, body: { name: 'x' } },
  {
    id: 'E35',
    what: 'DELETE with Content-Type: application/json and no body',
    method: 'DELETE',
    path: '/api/res_partner/{victim}',
    headers: { 'content-type': 'application/json' },
  },
  {
    id: 'E36',
    what: 'a body that is not JSON',
    method: 'POST',
    path: '/api/res_partner',
    body: '{',
    headers: { 'content-type': 'application/json' },
  },
  {
    id: 'E37',
    what: 'a JSON body that is not an object',
    method: 'POST',
    path: '/api/res_partner',
    body: '[1, 2]',
    headers: { 'content-type': 'application/json' },
  },
  { id: 'E38', what: 'an unknown model', method: 'GET', path: '/api/no_such_model' },
  { id: 'E39', what: 'a record that does not exist (read)', method: 'GET', path: '/api/res_partner/999999999' },
  { id: 'E40', what: 'a record that does not exist (update)', method: 'PUT', path: '/api/res_partner/999999999', body: { name: 'x' } },
  { id: 'E41', what: 'a record that does not exist (delete)', method: 'DELETE', path: '/api/res_partner/999999999' },
  { id: 'E42', what: 'a method the collection does not take', method: 'DELETE', path: '/api/res_partner' },
  { id: 'E43', what: 'a negative limit', method: 'GET', path: '/api/res_partner?limit=-1' },
  { id: 'E44', what: 'a limit that is not a number', method: 'GET', path: '/api/res_partner?limit=abc' },
  { id: 'E45', what: 'an order on an unknown field', method: 'GET', path: '/api/res_partner?order=no_such_field%20desc' },
  { id: 'E46', what: 'an order that is not an order', method: 'GET', path: `/api/res_partner?order=${q('name; drop table x')}` },
];

describeWithLab(
  'fidelity: bad input, embedded store vs Odoo 17',
  CASES.map((c) => `${c.id} ${c.what}`),
  (env) => {
    const sides: Side[] = [];
    const targets = new Map<string, { target: number; victim: number }>();
    const answers = new Map<string, Map<string, { status: number; text: string; json: boolean }>>();
    const cleanup: Array<[Side, string, number]> = [];

    beforeAll(async () => {
      sides.push(await embeddedSide(), odooSide(env), await facadeSide(env));
      const marker = runMarker(14);
      for (const side of sides) {
        const make = async (name: string) => {
          const answer = await side.request('POST', '/api/res_partner?fields=id', { name: `${marker}-${side.name}-${name}` });
          if (answer.status !== 201) throw new Error(`${side.name}: create ${name}: ${answer.status} ${answer.text}`);
          return answer.body.id as number;
        };
        targets.set(side.name, { target: await make('target'), victim: await make('victim') });
        const perCase = new Map<string, { status: number; text: string; json: boolean }>();
        for (const c of CASES) {
          const { target, victim } = targets.get(side.name)!;
          const path = c.path.replace('{target}', String(target)).replace('{victim}', String(victim));
          const answer = await side.request(c.method, path, c.body, c.headers, c.auth ?? true);
          const json = answer.body !== undefined && typeof answer.body === 'object' && !Array.isArray(answer.body);
          perCase.set(c.id, { status: answer.status, text: answer.text.slice(0, 160).replace(/\s+/g, ' '), json });
          // A create that should have failed but did not: remember it for the cleanup.
          if (answer.status === 201 && answer.body?.id && side.name !== 'embedded') {
            const model = path.split('?')[0]!.split('/')[2]!;
            cleanup.push([side, model, answer.body.id]);
          }
        }
        answers.set(side.name, perCase);
      }
    }, 600_000);

    afterAll(async () => {
      for (const side of sides) {
        if (side.name === 'embedded') continue;
        const own = targets.get(side.name);
        for (const id of [own?.target, own?.victim]) if (id) await side.request('DELETE', `/api/res_partner/${id}`);
      }
      for (const [side, model, id] of cleanup) await side.request('DELETE', `/api/${model}/${id}`);
      for (const side of sides) await side.close();
    }, 300_000);

    for (const c of CASES) {
      it(`${c.id} ${c.what}`, () => {
        const odoo = answers.get('odoo')!.get(c.id)!;
        const embedded = answers.get('embedded')!.get(c.id)!;
        const facade = answers.get('facade')!.get(c.id)!;
        const line = `${c.id} ${c.method} ${c.what}: odoo ${odoo.status} ${odoo.text} | embedded ${embedded.status} ${embedded.text} | facade ${facade.status} ${facade.text}`;
        // The facade may pass Odoo's own answer on, or answer as the contract says.
        const wanted = c.expect?.status ?? odoo.status;
        const facadeOk = facade.status === odoo.status || facade.status === wanted;
        if (embedded.status !== odoo.status || facade.status !== odoo.status)
          console.info(`${line}${c.expect ? `\n    expected ${c.expect.status}: ${c.expect.why}` : ''}`);
        expect({ embedded: embedded.status, facade: facadeOk ? wanted : facade.status }, line).toEqual({
          embedded: wanted,
          facade: wanted,
        });
        // Errors in the contract's shape on every side ({"error": "..."}); a success is whatever the route answers.
        for (const [name, answer] of [
          ['embedded', embedded],
          ['facade', facade],
          ['odoo', odoo],
        ] as const) {
          if (answer.status >= 400)
            expect(answer.json && /^\{"error":/.test(answer.text.replace(/\s/g, '')), `${name}: ${answer.text}`).toBe(true);
        }
      });
    }
  },
);
