/**
 * Business actions through GraphQL (issue 17): the generic `callMethod` mutation answers what
 * `POST /api/<slug>/<id>/<method>` answers, through the REST route, with the REST refusals as coded errors.
 */
import { describe, expect, it } from 'vitest';
import { useServer } from '../helpers/use-server.js';
import { codes, graphql } from './graphql-client.js';

const server = useServer();

const CALL = `mutation Call($slug: String!, $id: Int!, $method: String!, $args: [JSON!], $kwargs: JSONObject, $fields: [String!]) {
  callMethod(slug: $slug, id: $id, method: $method, args: $args, kwargs: $kwargs, fields: $fields) { id result record }
}`;

async function draftOrder(): Promise<number> {
  const created = await server.request('admin', 'POST', '/api/sale_order?fields=id', { partner_id: 12 });
  expect(created.status, created.text).toBe(201);
  return created.body.id as number;
}

describe('callMethod', () => {
  it('calls the action and answers its result and the record read back, as REST does', async () => {
    const id = await draftOrder();
    const answer = await graphql(server, 'admin', CALL, { slug: 'sale_order', id, method: 'action_quotation_sent', fields: ['state'] });
    expect(answer.body.errors, JSON.stringify(answer.body.errors)).toBeUndefined();
    expect(answer.body.data?.callMethod).toEqual({ id, result: false, record: { id, state: 'sent' } });
    // The same call again: Odoo's guard, with its message.
    const again = await graphql(server, 'admin', CALL, { slug: 'sale_order', id, method: 'action_quotation_sent' });
    expect(codes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.body.errors?.[0]?.message).toBe('Only draft orders can be marked as sent directly.');
  });

  it('refusals carry the REST status as their code and its message', async () => {
    const id = await draftOrder();
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ method: 'write' }, 'BAD_USER_INPUT', /'write' is not a business action/],
      [{ method: '_compute_amounts' }, 'BAD_USER_INPUT', /private method/],
      [{ method: 'action_fly' }, 'NOT_FOUND', /sale\.order has no action 'action_fly'/],
      [{ method: 'action_quotation_sent', kwargs: { force: true } }, 'BAD_USER_INPUT', /unexpected keyword argument 'force'/],
      [{ method: 'action_quotation_sent', args: [1, { a: [true] }] }, 'BAD_USER_INPUT', /takes no positional args/],
      [{ method: 'action_quotation_sent', fields: ['no such'] }, 'BAD_USER_INPUT', /invalid field name 'no such'/],
    ];
    for (const [variables, code, message] of cases) {
      const answer = await graphql(server, 'admin', CALL, { slug: 'sale_order', id, ...variables });
      expect(codes(answer), JSON.stringify(variables)).toEqual([code]);
      expect(answer.body.errors?.[0]?.message).toMatch(message);
    }
    const portal = await graphql(server, 'portal', CALL, { slug: 'sale_order', id, method: 'action_quotation_sent' });
    expect(codes(portal)).toEqual(['FORBIDDEN']);
    const read = await server.request('admin', 'GET', `/api/sale_order/${id}?fields=state`);
    expect(read.body.state).toBe('draft');
  });

  it('JSON takes any value as an argument and refuses what no REST body may hold', async () => {
    const id = await draftOrder();
    // Nested deeper than any REST body may be (src/input/json-scan.ts).
    let deep: unknown = 1;
    for (let level = 0; level < 200; level++) deep = [deep];
    const answer = await graphql(server, 'admin', CALL, { slug: 'sale_order', id, method: 'action_quotation_sent', args: [deep] });
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
  });
});
