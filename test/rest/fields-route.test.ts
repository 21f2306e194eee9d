/**
 * Extension to the contract: `GET /api/<slug>/fields`, the model's field metadata as the caller may see
 * it (Odoo's fields_get shape), over real HTTP. Admin and portal see different fields (`ref` and
 * `comment` of res.partner are employees only); the static segment `fields` is this route while any
 * other second segment is still a record id, which must be a positive integer.
 */
import { describe, expect, it } from 'vitest';
import { useServer } from '../helpers/use-server.js';
import { expectError } from './support.js';

const server = useServer();

const get = (path: string, user: string | null = 'admin') => server.request(user, 'GET', path);

describe('GET /api/<slug>/fields', () => {
  it("FLD-01 answers fields_get's shape: type, string, required, readonly, relation, selection", async () => {
    const answer = await get('/api/sale_order/fields');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.body.partner_id).toMatchObject({
      type: 'many2one',
      string: 'Customer',
      required: true,
      readonly: false,
      relation: 'res.partner',
    });
    expect(answer.body.state).toMatchObject({
      type: 'selection',
      string: 'Status',
      readonly: true,
      selection: [
        ['draft', 'Quotation'],
        ['sent', 'Quotation Sent'],
        ['sale', 'Sales Order'],
        ['cancel', 'Cancelled'],
      ],
    });
    expect(answer.body.order_line).toMatchObject({ type: 'one2many', relation: 'sale.order.line' });
    expect(answer.body.amount_total).toMatchObject({ type: 'monetary', readonly: true });
    expect(answer.body.id).toMatchObject({ type: 'integer', readonly: true });
    // The display name shows the model's rec name: the typed schema answers it from a many2one.
    expect(answer.body.display_name).toMatchObject({ type: 'char', depends: ['name'] });
  });

  it('FLD-02 the dotted model name works too, with the same answer', async () => {
    const [slug, dotted] = await Promise.all([get('/api/res_partner/fields'), get('/api/res.partner/fields')]);
    expect(dotted.status).toBe(200);
    expect(dotted.body).toEqual(slug.body);
  });

  it('FLD-03 admin sees the employees-only fields of res.partner; portal does not', async () => {
    const [admin, portal] = await Promise.all([get('/api/res_partner/fields', 'admin'), get('/api/res_partner/fields', 'portal')]);
    expect(admin.status).toBe(200);
    expect(portal.status).toBe(200);
    expect(admin.body).toHaveProperty('ref');
    expect(admin.body).toHaveProperty('comment');
    expect(portal.body).not.toHaveProperty('ref');
    expect(portal.body).not.toHaveProperty('comment');
    expect(
      Object.keys(admin.body)
        .filter((name) => !(name in portal.body))
        .sort(),
    ).toEqual(['comment', 'ref']);
    expect(portal.body.name).toEqual(admin.body.name);
  });

  it('FLD-04 never shows internal fields (res.users.password), not even to admin', async () => {
    const answer = await get('/api/res_users/fields');
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveProperty('login');
    expect(answer.body).not.toHaveProperty('password');
  });

  it('FLD-05 without credentials: 401 with WWW-Authenticate; unknown model: 404', async () => {
    expectError(await get('/api/sale_order/fields', null), 401, undefined, { 'www-authenticate': 'Bearer' });
    expectError(await get('/api/no_such_model/fields'), 404, /unknown model 'no_such_model'/);
  });

  it('FLD-06 other methods on /api/<slug>/fields: 405 with Allow: GET, HEAD; HEAD answers without a body', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const answer = await server.request('admin', method, '/api/sale_order/fields', method === 'DELETE' ? undefined : {});
      expectError(answer, 405);
      expect(answer.headers.get('allow')).toBe('GET, HEAD');
    }
    const head = await server.request('admin', 'HEAD', '/api/sale_order/fields');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });
});

describe('/api/<slug>/<id> beside /api/<slug>/fields', () => {
  it('FLD-07 a record id is still a positive integer: /api/sale_order/7 reads order 7', async () => {
    const answer = await get('/api/sale_order/7?fields=name');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({ id: 7, name: 'S00007' });
  });

  it('FLD-08 any other segment is an invalid record id (400), including near-misses of `fields`', async () => {
    for (const segment of ['field', 'fieldsx', 'Fields', '0', '-3', '7.5', 'abc']) {
      expectError(await get(`/api/sale_order/${segment}`), 400, /invalid record id/);
    }
    // Writes on such a path are refused the same way (and change nothing).
    expectError(await server.request('admin', 'PUT', '/api/sale_order/fieldsx', { note: 'x' }), 400, /invalid record id/);
  });
});
