/**
 * Business actions over REST (issue 17; docs/rest.md, "Business actions"): `POST /api/<slug>/<id>/<method>`
 * and `GET /api/<slug>/actions` on the embedded store. Which names may be called, the answer's shape, the
 * refusals (Odoo's guard messages, access rights, bad input) and that a refused call changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { q } from '../helpers/server.js';
import { useServer } from '../helpers/use-server.js';
import { databaseFingerprint, expectError } from './support.js';

const server = useServer();

/** A sale order in `state` that `login` may write (created as admin when needed: a new draft). */
async function draftOrder(): Promise<number> {
  const created = await server.request('admin', 'POST', '/api/sale_order?fields=state', { partner_id: 12 });
  expect(created.status, created.text).toBe(201);
  expect(created.body.record.state).toBe('draft');
  return created.body.id as number;
}

describe('POST /api/<slug>/<id>/<method>', () => {
  it("calls the action and answers Odoo's return value with the record read back (fields as in a retrieve)", async () => {
    const id = await draftOrder();
    const answer = await server.request('admin', 'POST', `/api/sale_order/${id}/action_quotation_sent?fields=state,name`);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({ id, result: false, record: { id, state: 'sent', name: expect.any(String) } });
    const read = await server.request('admin', 'GET', `/api/sale_order/${id}?fields=state`);
    expect(read.body.state).toBe('sent');
  });

  it('takes an empty body, or args and kwargs', async () => {
    const id = await draftOrder();
    const answer = await server.request('admin', 'POST', `/api/sale_order/${id}/action_quotation_sent?fields=state`, {
      args: [],
      kwargs: {},
    });
    expect([answer.status, answer.body.record?.state], answer.text).toEqual([200, 'sent']);
  });

  it("refuses what Odoo's guard refuses, with Odoo's message, and changes nothing", async () => {
    const id = await draftOrder();
    await server.request('admin', 'POST', `/api/sale_order/${id}/action_quotation_sent`);
    const before = databaseFingerprint(server);
    expectError(
      await server.request('admin', 'POST', `/api/sale_order/${id}/action_quotation_sent`),
      400,
      'Only draft orders can be marked as sent directly.',
    );
    expect(databaseFingerprint(server)).toEqual(before);
  });

  it('a record the caller may not write is a 403; a portal user calls no write action', async () => {
    const id = await draftOrder();
    server.key('portal'); // made on first use: before the fingerprint
    const before = databaseFingerprint(server);
    const portal = await server.request('portal', 'POST', `/api/sale_order/${id}/action_quotation_sent`);
    expect(portal.status, portal.text).toBe(403);
    expect(databaseFingerprint(server)).toEqual(before);
  });

  it('a missing record is a 404', async () => {
    expectError(
      await server.request('admin', 'POST', '/api/sale_order/999999/action_quotation_sent'),
      404,
      /sale\.order record 999999 does not exist/,
    );
  });

  const refused: Array<[string, string, unknown, number, RegExp]> = [
    ['write', 'write', {}, 400, /'write' is not a business action: use the record routes/],
    ['unlink', 'unlink', {}, 400, /'unlink' is not a business action/],
    ['sudo', 'sudo', {}, 400, /'sudo' is not a business action: it is one of the ORM's own methods/],
    ['browse', 'browse', {}, 400, /'browse' is not a business action/],
    ['a private method', '_compute_amounts', {}, 400, /'_compute_amounts' is a private method/],
    ['a dunder', '__init__', {}, 400, /'__init__' is a private method/],
    ['a dotted name', 'action.confirm', {}, 400, /'action\.confirm' is not a method name/],
    ['an encoded slash', 'action%2Fconfirm', {}, 400, /is not a method name/],
    ['upper case', 'Action_Confirm', {}, 400, /is not a method name/],
    ['an unknown action', 'action_fly', {}, 404, /^sale\.order has no action 'action_fly' \(its actions: .*action_quotation_sent/],
    ['an unexpected kwarg', 'action_quotation_sent', { kwargs: { force: true } }, 400, /got an unexpected keyword argument 'force'/],
    ['positional args', 'action_quotation_sent', { args: [1] }, 400, /takes no positional args/],
    ['args not a list', 'action_quotation_sent', { args: 'x' }, 400, /request body 'args' must be array/],
    ['kwargs not an object', 'action_quotation_sent', { kwargs: [1] }, 400, /request body 'kwargs' must be object/],
    ['an unknown body member', 'action_quotation_sent', { values: {} }, 400, /request body must NOT have additional properties/],
    [
      'a context in kwargs',
      'action_quotation_sent',
      { kwargs: { context: { lang: 'fr_FR' } } },
      400,
      /give the context as the 'context' query parameter/,
    ],
    ['a body that is a list', 'action_quotation_sent', [1], 400, /request body/],
  ];
  it.each(refused)('refuses %s, changing nothing', async (_name, method, body, status, message) => {
    const id = await draftOrder();
    const before = databaseFingerprint(server);
    expectError(await server.request('admin', 'POST', `/api/sale_order/${id}/${method}`, body), status, message);
    expect(databaseFingerprint(server)).toEqual(before);
  });

  it('a bad id, or a model that does not exist, is refused as on the record routes', async () => {
    expectError(await server.request('admin', 'POST', '/api/sale_order/abc/action_confirm', {}), 400, /invalid record id 'abc'/);
    expectError(await server.request('admin', 'POST', '/api/no_model/1/action_confirm', {}), 404, "unknown model 'no_model'");
    expectError(await server.request(null, 'POST', '/api/sale_order/1/action_confirm', {}), 401);
  });
});

describe('GET /api/<slug>/actions', () => {
  it('lists the actions with their arguments', async () => {
    const answer = await server.request('admin', 'GET', '/api/sale_order/actions');
    expect(answer.status, answer.text).toBe(200);
    const names = (answer.body.actions as Array<{ name: string }>).map((action) => action.name);
    expect(names).toContain('action_quotation_sent');
    for (const action of answer.body.actions)
      expect(action).toMatchObject({ label: expect.any(String), description: expect.any(String), kwargs: expect.any(Array) });
  });

  it('other methods on /api/<slug>/actions and /api/<slug>/groups: 405 with Allow: GET, HEAD', async () => {
    for (const path of ['/api/sale_order/actions', '/api/sale_order/groups']) {
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const answer = await server.request('admin', method, path, method === 'DELETE' ? undefined : {});
        expectError(answer, 405, undefined, { allow: 'GET, HEAD' });
      }
    }
  });

  it('a model without actions has an empty list; the route needs a caller', async () => {
    expect((await server.request('admin', 'GET', '/api/res_country/actions')).body).toEqual({ actions: [] });
    expectError(await server.request(null, 'GET', `/api/sale_order/actions?${q({ x: 1 })}`), 401);
  });
});
