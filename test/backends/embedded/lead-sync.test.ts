/**
 * A lead and its customer keep their email and phone in step, as in Odoo 17's crm.lead
 * (addons/crm/models/crm_lead.py): `_compute_email_from` / `_compute_phone` take the customer's when it has
 * one, `_inverse_email_from` / `_inverse_phone` write a lead's own different value back to the customer
 * (as the caller), and `_compute_contact_name` takes a person's name. Over the REST API on the embedded store.
 */
import { describe, expect, it } from 'vitest';
import { createdId } from '../../helpers/server.js';
import { useServer } from '../../helpers/use-server.js';

const server = useServer();

const create = (slug: string, values: Record<string, unknown>, login = 'admin') => createdId(server, slug, values, login);

async function write(slug: string, id: number, values: Record<string, unknown>, login = 'admin'): Promise<void> {
  const answer = await server.request(login, 'PUT', `/api/${slug}/${id}?fields=id`, values);
  expect(answer.status, answer.text).toBe(200);
}

async function read(slug: string, id: number, fields: string): Promise<Record<string, unknown>> {
  const answer = await server.request('admin', 'GET', `/api/${slug}/${id}?fields=${fields}`);
  expect(answer.status, answer.text).toBe(200);
  const { id: _id, ...record } = answer.body;
  return record;
}

const LEAD = 'email_from,phone,contact_name';

describe('from the customer to the lead', () => {
  it("a lead with a customer and no email or phone takes the customer's; its contact name is a person's name, never a company's", async () => {
    const acme = await create('res_partner', { name: 'LS1 Acme', is_company: true, email: 'info@acme.example', phone: '+32 2 111 11 11' });
    const alice = await create('res_partner', { name: 'LS1 Alice', parent_id: acme, email: 'alice@acme.example' });
    const fromAcme = await create('crm_lead', { name: 'LS1 lead Acme', partner_id: acme });
    expect(await read('crm_lead', fromAcme, LEAD)).toEqual({
      email_from: 'info@acme.example',
      phone: '+32 2 111 11 11',
      contact_name: false,
    });
    const fromAlice = await create('crm_lead', {
      name: 'LS1 lead Alice',
      partner_id: alice,
      phone: '+32 470 00 00 00',
      contact_name: 'Someone else',
    });
    expect(await read('crm_lead', fromAlice, LEAD)).toEqual({
      email_from: 'alice@acme.example',
      phone: '+32 470 00 00 00',
      contact_name: 'Someone else',
    });
    // That lead's own phone went to Alice (the inverse), so the next lead of Alice takes it.
    expect(await read('res_partner', alice, 'phone')).toEqual({ phone: '+32 470 00 00 00' });
    const named = await create('crm_lead', { name: 'LS1 lead Alice 2', partner_id: alice });
    expect(await read('crm_lead', named, LEAD)).toEqual({
      email_from: 'alice@acme.example',
      phone: '+32 470 00 00 00',
      contact_name: 'LS1 Alice',
    });
  });

  it("a change of the customer's email or phone reaches all its leads, whoever owns them", async () => {
    const partner = await create('res_partner', { name: 'LS3 Customer', email: 'old@customer.example' });
    const mine = await create('crm_lead', { name: 'LS3 lead', partner_id: partner, user_id: 3 });
    const unassigned = await create('crm_lead', { name: 'LS3 lead 2', partner_id: partner, user_id: false });
    await write('res_partner', partner, { email: 'new@customer.example', phone: '555-0100' }, 'manager');
    for (const lead of [mine, unassigned])
      expect(await read('crm_lead', lead, 'email_from,phone')).toEqual({ email_from: 'new@customer.example', phone: '555-0100' });
  });

  it('a lead given another customer takes its email and phone, unless an email is written with it', async () => {
    const first = await create('res_partner', { name: 'LS6 First', email: 'first@example.com', phone: '111' });
    const second = await create('res_partner', { name: 'LS6 Second', email: 'second@example.com' });
    const lead = await create('crm_lead', { name: 'LS6 lead', partner_id: first });
    await write('crm_lead', lead, { partner_id: second });
    // The phone stays: the new customer has none.
    expect(await read('crm_lead', lead, LEAD)).toEqual({ email_from: 'second@example.com', phone: '111', contact_name: 'LS6 Second' });
    await write('crm_lead', lead, { partner_id: first, email_from: 'mine@example.com' });
    expect(await read('crm_lead', lead, 'email_from')).toEqual({ email_from: 'mine@example.com' });
    expect(await read('res_partner', first, 'email')).toEqual({ email: 'mine@example.com' });
  });
});

describe('from the lead to the customer', () => {
  it("a lead's own email, different from its customer's, is written to the customer, and the customer's other leads follow", async () => {
    const alice = await create('res_partner', { name: 'LS2 Alice', email: 'alice@acme.example' });
    const older = await create('crm_lead', { name: 'LS2 older lead', partner_id: alice });
    const lead = await create('crm_lead', { name: 'LS2 lead', partner_id: alice, email_from: 'alice.new@acme.example' });
    expect(await read('res_partner', alice, 'email')).toEqual({ email: 'alice.new@acme.example' });
    expect(await read('crm_lead', lead, LEAD)).toEqual({ email_from: 'alice.new@acme.example', phone: false, contact_name: 'LS2 Alice' });
    expect(await read('crm_lead', older, 'email_from')).toEqual({ email_from: 'alice.new@acme.example' });
  });

  it("writing a lead's phone or email writes the customer's; the same address in other letters or with a name is no change", async () => {
    const partner = await create('res_partner', { name: 'LS4 Customer', email: 'Bob@Example.com', phone: '123' });
    const lead = await create('crm_lead', { name: 'LS4 lead', partner_id: partner });
    await write('crm_lead', lead, { phone: '456' });
    expect(await read('res_partner', partner, 'email,phone')).toEqual({ email: 'Bob@Example.com', phone: '456' });
    await write('crm_lead', lead, { email_from: '"Bob" <bob@example.COM>' });
    expect(await read('res_partner', partner, 'email')).toEqual({ email: 'Bob@Example.com' });
    expect(await read('crm_lead', lead, 'email_from')).toEqual({ email_from: '"Bob" <bob@example.COM>' });
    // Clearing the lead's email clears the customer's (Odoo: false differs from the customer's address).
    await write('crm_lead', lead, { email_from: false });
    expect(await read('res_partner', partner, 'email')).toEqual({ email: false });
  });

  it('a caller who may not read the customer cannot give the lead an email: Odoo reads the customer as the caller (403), and nothing changes', async () => {
    const chicago = server.backend.db
      .prepare(`SELECT id, email FROM res_partner WHERE company_id = 2 AND email IS NOT NULL AND active = 1 ORDER BY id LIMIT 1`)
      .get() as { id: number; email: string };
    // salesman2 (Audrey Peterson, id 6) works for San Francisco only (demo belongs to Chicago too, as in Odoo).
    const lead = await create('crm_lead', { name: 'LS5 lead', partner_id: chicago.id, user_id: 6, company_id: 1 });
    expect(await read('crm_lead', lead, 'email_from')).toEqual({ email_from: chicago.email });
    const answer = await server.request('salesman2', 'PUT', `/api/crm_lead/${lead}?fields=id`, { email_from: 'intruder@example.com' });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toContain("Sorry, Audrey Peterson (id=6) doesn't have 'read' access to:\n- Contact (res.partner)");
    expect(await read('crm_lead', lead, 'email_from')).toEqual({ email_from: chicago.email });
    expect(await read('res_partner', chicago.id, 'email')).toEqual({ email: chicago.email });
    // Without an email nothing is read as the caller: the lead is written.
    await write('crm_lead', lead, { expected_revenue: 100 }, 'salesman2');
  });
});
