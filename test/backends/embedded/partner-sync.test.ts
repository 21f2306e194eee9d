/**
 * Odoo 17's partner synchronisation (odoo/addons/base/models/res_partner.py), over the REST API on the
 * embedded store: a contact takes its parent's address (`_fields_sync`, `onchange_parent_id`), a company
 * without address takes its first contact's (`_handle_first_contact_creation`), a parent's address change
 * reaches its contacts and stops there (`_children_sync`, `update_address`), the commercial fields (vat)
 * follow the commercial partner (`_commercial_sync_from_company`, `_commercial_sync_to_children`), and names
 * follow a renamed company. The expected values are what a real Odoo 17 answers (test/fidelity/writes.test.ts,
 * W1-W6); the access cases were measured on it with a user of one company.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createdId } from '../../helpers/server.js';
import { useServer } from '../../helpers/use-server.js';

const server = useServer();
const country = new Map<string, number>();

beforeAll(async () => {
  const answer = await server.request(
    'admin',
    'GET',
    `/api/res_country?fields=code&domain=${encodeURIComponent("[('code', 'in', ['BE', 'FR', 'US'])]")}`,
  );
  for (const r of answer.body.results) country.set(r.code, r.id);
});

const ADDRESS = 'street,city,zip,country_id';

const create = (values: Record<string, unknown>, login = 'admin') => createdId(server, 'res_partner', values, login);

async function write(id: number, values: Record<string, unknown>, login = 'admin'): Promise<void> {
  const answer = await server.request(login, 'PUT', `/api/res_partner/${id}?fields=id`, values);
  expect(answer.status, answer.text).toBe(200);
}

/** The partner as admin reads it, many2one as their names. */
async function read(id: number, fields = `${ADDRESS},vat`): Promise<Record<string, unknown>> {
  const answer = await server.request('admin', 'GET', `/api/res_partner/${id}?fields=${fields}`);
  expect(answer.status, answer.text).toBe(200);
  const { id: _id, ...record } = answer.body;
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, v && typeof v === 'object' && 'name' in v ? (v as { name: string }).name : v]),
  );
}

function address(street: string, city: string, zip: string, code: string) {
  return { street, city, zip, country_id: country.get(code)! };
}

describe('address from the parent, on create', () => {
  it('a contact takes the whole address of its parent, over the one sent; an invoice or delivery address keeps its own; every child takes the vat', async () => {
    const acme = await create({
      name: 'PS1 Acme',
      is_company: true,
      ...address('Rue Haute 1', 'Brussels', '1000', 'BE'),
      vat: 'BE0477472701',
    });
    const alice = await create({ name: 'PS1 Alice', parent_id: acme });
    const bob = await create({ name: 'PS1 Bob', parent_id: acme, ...address('Own street 5', 'Gent', '9000', 'FR') });
    const depot = await create({ name: 'PS1 Depot', parent_id: acme, type: 'delivery', ...address('Dock 3', 'Antwerp', '2000', 'BE') });
    const billing = await create({ parent_id: acme, type: 'invoice' });
    const acmeAddress = { street: 'Rue Haute 1', city: 'Brussels', zip: '1000', country_id: 'Belgium', vat: 'BE0477472701' };
    expect(await read(alice)).toEqual(acmeAddress);
    expect(await read(bob)).toEqual(acmeAddress);
    expect(await read(depot)).toEqual({ street: 'Dock 3', city: 'Antwerp', zip: '2000', country_id: 'Belgium', vat: 'BE0477472701' });
    expect(await read(billing)).toEqual({ street: false, city: false, zip: false, country_id: false, vat: 'BE0477472701' });
  });

  it("a company without address takes its first contact's address, and the next contact takes it from the company; so does a root partner that is no company", async () => {
    const nowhere = await create({ name: 'PS2 Nowhere', is_company: true });
    const carol = await create({ name: 'PS2 Carol', parent_id: nowhere, ...address('Carol street 7', 'Lyon', '69000', 'FR') });
    const dan = await create({ name: 'PS2 Dan', parent_id: nowhere, ...address('Dan street 8', 'Paris', '75000', 'FR') });
    const carolAddress = { street: 'Carol street 7', city: 'Lyon', zip: '69000', country_id: 'France', vat: false };
    expect(await read(nowhere)).toEqual(carolAddress);
    expect(await read(carol)).toEqual(carolAddress);
    expect(await read(dan)).toEqual(carolAddress);

    const loner = await create({ name: 'PS2 Loner' });
    await create({ name: 'PS2 LonerKid', parent_id: loner, ...address('Kid lane 1', 'Austin', '73301', 'US') });
    expect(await read(loner)).toEqual({ street: 'Kid lane 1', city: 'Austin', zip: '73301', country_id: 'United States', vat: false });
  });

  it("a person under a person under someone keeps the address up there: only a company or a root partner takes a first contact's address", async () => {
    const root = await create({ name: 'PS2b Root' });
    const middle = await create({ name: 'PS2b Middle', parent_id: root, ...address('Middle road 2', 'Lyon', '69000', 'FR') });
    expect(await read(root)).toMatchObject({ street: 'Middle road 2' });
    const stub = await create({ name: 'PS2b Stub', parent_id: root, type: 'other' });
    await create({ name: 'PS2b Leaf', parent_id: stub, ...address('Leaf alley 3', 'Gent', '9000', 'BE') });
    expect(await read(stub)).toEqual({ street: false, city: false, zip: false, country_id: false, vat: false });
    expect(await read(middle)).toMatchObject({ street: 'Middle road 2' });
  });

  it("a contact created through the parent's child_ids takes the address; a partner linked with [4, id] takes it too", async () => {
    const company = await create({
      name: 'PS6 Company',
      is_company: true,
      ...address('Main square 1', 'Ghent', '9000', 'BE'),
      vat: 'BE0123456789',
    });
    const outsider = await create({ name: 'PS6 Outsider', ...address('Far away 9', 'Paris', '75000', 'FR') });
    await write(company, {
      child_ids: [
        [0, 0, { name: 'PS6 Eve' }],
        [4, outsider],
      ],
    });
    const eve = (
      await server.request('admin', 'GET', `/api/res_partner?fields=id&domain=${encodeURIComponent("[('name', '=', 'PS6 Eve')]")}`)
    ).body.results[0].id;
    const companyAddress = { street: 'Main square 1', city: 'Ghent', zip: '9000', country_id: 'Belgium', vat: 'BE0123456789' };
    expect(await read(eve)).toEqual(companyAddress);
    expect(await read(outsider)).toEqual(companyAddress);
  });
});

describe('from a parent to its children, on write', () => {
  it('an address change reaches the contacts, not other address types, not contacts of contacts', async () => {
    const acme = await create({ name: 'PS3 Acme', is_company: true, ...address('Rue Haute 1', 'Brussels', '1000', 'BE') });
    const alice = await create({ name: 'PS3 Alice', parent_id: acme });
    const depot = await create({ name: 'PS3 Depot', parent_id: acme, type: 'delivery', ...address('Dock 3', 'Antwerp', '2000', 'BE') });
    const gina = await create({ name: 'PS3 Gina', parent_id: alice });
    await write(acme, { street: 'New street 99', city: 'Liège', zip: '4000' });
    expect(await read(alice, ADDRESS)).toEqual({ street: 'New street 99', city: 'Liège', zip: '4000', country_id: 'Belgium' });
    expect(await read(depot, ADDRESS)).toEqual({ street: 'Dock 3', city: 'Antwerp', zip: '2000', country_id: 'Belgium' });
    expect(await read(gina, ADDRESS)).toEqual({ street: 'Rue Haute 1', city: 'Brussels', zip: '1000', country_id: 'Belgium' });
  });

  it('the vat reaches every descendant that is not a company; a contact moved to another company takes its vat and its address', async () => {
    const acme = await create({
      name: 'PS5 Acme',
      is_company: true,
      ...address('Rue Haute 1', 'Brussels', '1000', 'BE'),
      vat: 'BE0477472701',
    });
    const alice = await create({ name: 'PS5 Alice', parent_id: acme });
    const depot = await create({ name: 'PS5 Depot', parent_id: acme, type: 'delivery' });
    const gina = await create({ name: 'PS5 Gina', parent_id: alice });
    const branch = await create({ name: 'PS5 Branch', parent_id: acme, is_company: true, vat: 'BE0555555555' });
    await write(acme, { vat: 'BE0999999999' });
    for (const id of [alice, depot, gina]) expect((await read(id, 'vat')).vat).toBe('BE0999999999');
    expect((await read(branch, 'vat')).vat).toBe('BE0555555555');

    const other = await create({ name: 'PS5 Other', is_company: true, ...address('Carol street 7', 'Lyon', '69000', 'FR') });
    await write(alice, { parent_id: other });
    expect(await read(alice)).toEqual({ street: 'Carol street 7', city: 'Lyon', zip: '69000', country_id: 'France', vat: false });
    // Gina follows the commercial partner (vat), not the address: Odoo's address write does not go further down.
    expect(await read(gina)).toEqual({ street: 'Rue Haute 1', city: 'Brussels', zip: '1000', country_id: 'Belgium', vat: false });
    expect(await read(gina, 'complete_name,commercial_partner_id')).toEqual({
      complete_name: 'PS5 Other, PS5 Gina',
      commercial_partner_id: 'PS5 Other',
    });
  });

  it('a company that becomes a contact of another company takes it along its whole tree: commercial partner, names and vat down to the last level, the address on itself only', async () => {
    const w = await create({ name: 'PS9 W', is_company: true, street: 'W street', vat: 'BE0111111111' });
    const x = await create({ name: 'PS9 X', is_company: true, street: 'X street', vat: 'BE0222222222' });
    const y = await create({ name: 'PS9 Y', parent_id: x });
    const z = await create({ name: 'PS9 Z', parent_id: y });
    await write(x, { is_company: false, parent_id: w });
    const fields = 'complete_name,commercial_partner_id,vat,street';
    expect(await read(x, fields)).toEqual({
      complete_name: 'PS9 W, PS9 X',
      commercial_partner_id: 'PS9 W',
      vat: 'BE0111111111',
      street: 'W street',
    });
    expect(await read(y, fields)).toEqual({
      complete_name: 'PS9 W, PS9 Y',
      commercial_partner_id: 'PS9 W',
      vat: 'BE0111111111',
      street: 'X street',
    });
    expect(await read(z, fields)).toEqual({
      complete_name: 'PS9 W, PS9 Z',
      commercial_partner_id: 'PS9 W',
      vat: 'BE0111111111',
      street: 'X street',
    });
  });

  it('renaming a company renames its contacts and theirs (complete_name, display_name, the names other records show)', async () => {
    const acme = await create({ name: 'PS4 Acme', is_company: true });
    const alice = await create({ name: 'PS4 Alice', parent_id: acme });
    const gina = await create({ name: 'PS4 Gina', parent_id: alice });
    const billing = await create({ parent_id: acme, type: 'invoice' });
    const lead = await server.request('admin', 'POST', '/api/crm_lead?fields=id', { name: 'PS4 lead', partner_id: gina });
    expect(lead.status, lead.text).toBe(201);
    await write(acme, { name: 'PS4 Acme Renamed' });
    expect(await read(alice, 'complete_name,display_name')).toEqual({
      complete_name: 'PS4 Acme Renamed, PS4 Alice',
      display_name: 'PS4 Acme Renamed, PS4 Alice',
    });
    expect(await read(gina, 'complete_name,parent_id')).toEqual({
      complete_name: 'PS4 Acme Renamed, PS4 Gina',
      parent_id: 'PS4 Acme Renamed, PS4 Alice',
    });
    expect(await read(billing, 'complete_name')).toEqual({ complete_name: 'PS4 Acme Renamed, Invoice Address' });
    const readBack = await server.request('admin', 'GET', `/api/crm_lead/${lead.body.id}?fields=partner_id`);
    expect(readBack.body.partner_id.name).toBe('PS4 Acme Renamed, PS4 Gina');
    // And the search by name finds them under the new name.
    const found = await server.request(
      'admin',
      'GET',
      `/api/res_partner?fields=id&domain=${encodeURIComponent("[('complete_name', '=like', 'PS4 Acme Renamed, %')]")}`,
    );
    expect(found.body.results.map((r: { id: number }) => r.id).sort()).toEqual([alice, gina, billing].sort());
  });
});

describe("access: as Odoo, with the caller's rights here and the superuser's there", () => {
  /** A Chicago customer company (company_id 2): `salesman2` works for San Francisco only and may not read it. */
  function chicagoCompany(): number {
    const row = server.backend.db
      .prepare(
        `SELECT id FROM res_partner WHERE company_id = 2 AND is_company = 1 AND street IS NOT NULL AND active = 1 ORDER BY id LIMIT 1`,
      )
      .get() as { id: number };
    return row.id;
  }

  it("a caller who may not read the parent cannot create a contact under it: Odoo reads the parent's address as the caller (403), and nothing is created", async () => {
    const parent = chicagoCompany();
    const before = server.backend.db.prepare('SELECT count(*) AS n FROM res_partner').get() as { n: number };
    const answer = await server.request('salesman2', 'POST', '/api/res_partner?fields=id', { name: 'PS7 Intruder', parent_id: parent });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toBe(
      "Uh-oh! Looks like you have stumbled upon some top-secret records.\n\nSorry, Audrey Peterson (id=6) doesn't have 'read' access to:\n- Contact (res.partner)\n\nIf you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.",
    );
    expect(server.backend.db.prepare('SELECT count(*) AS n FROM res_partner').get()).toEqual(before);
  });

  it("a company's new vat reaches contacts the caller cannot see (Odoo syncs it as superuser), its address does not (Odoo writes the contacts the caller sees); write_uid is the caller", async () => {
    const shared = await create({
      name: 'PS8 Shared',
      is_company: true,
      ...address('X street 1', 'Brussels', '1000', 'BE'),
      vat: 'BE0477472701',
    });
    const visible = await create({ name: 'PS8 Visible', parent_id: shared });
    const hidden = await create({ name: 'PS8 Hidden', parent_id: shared, company_id: 2 });
    const hiddenKid = await create({ name: 'PS8 HiddenKid', parent_id: visible, company_id: 2 });
    await write(shared, { street: 'New X street 2', vat: 'BE0888888888' }, 'salesman2');
    expect(await read(visible, 'street,vat,write_uid')).toEqual({
      street: 'New X street 2',
      vat: 'BE0888888888',
      write_uid: 'Audrey Peterson',
    });
    expect(await read(hidden, 'street,vat')).toEqual({ street: 'X street 1', vat: 'BE0477472701' });
    expect(await read(hiddenKid, 'street,vat,write_uid')).toEqual({
      street: 'X street 1',
      vat: 'BE0888888888',
      write_uid: 'Audrey Peterson',
    });
  });
});
