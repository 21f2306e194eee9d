/**
 * Odoo's context through GraphQL (issue 16; docs/rest.md, "Context"): the headers a GraphQL request carries
 * (`Accept-Language`, `X-Company-Ids`, the web client's `cids` cookie) reach the REST routes its resolvers
 * call, on the generic and the typed schema, and the gateway's cache keeps answers of different contexts
 * apart.
 */
import { describe, expect, it } from 'vitest';
import { useServer } from '../helpers/use-server.js';
import { codes, graphql } from './graphql-client.js';

const server = useServer();

const TOTAL = `{ records(slug: "sale_order", limit: 0) { total } }`;

async function restTotal(headers: Record<string, string>): Promise<number> {
  const answer = await server.request('admin', 'GET', '/api/sale_order?limit=0', undefined, headers);
  expect(answer.status, answer.text).toBe(200);
  return answer.body.total as number;
}

describe('context headers through GraphQL', () => {
  it('X-Company-Ids and the cids cookie restrict the companies as on REST, and each context has its own answer', async () => {
    const all = await restTotal({});
    const chicago = await restTotal({ 'x-company-ids': '2' });
    expect(chicago).toBeLessThan(all);
    // Asked twice each, interleaved: a cached answer of one context must not serve the other.
    for (let round = 0; round < 2; round++) {
      const plain = await graphql(server, 'admin', TOTAL);
      expect(plain.body.data?.records.total).toBe(all);
      const header = await graphql(server, 'admin', TOTAL, undefined, { 'x-company-ids': '2' });
      expect(header.body.data?.records.total).toBe(chicago);
      const cookie = await graphql(server, 'admin', TOTAL, undefined, { cookie: 'cids=2' });
      expect(cookie.body.data?.records.total).toBe(chicago);
    }
  });

  it("a company the user does not belong to is FORBIDDEN with Odoo's message", async () => {
    const answer = await graphql(server, 'salesman2', TOTAL, undefined, { 'x-company-ids': '2' });
    expect(codes(answer)).toEqual(['FORBIDDEN']);
    expect(answer.body.errors?.[0]?.message).toBe('Access to unauthorized or invalid companies.');
  });

  it('the typed schema passes the companies on too', async () => {
    const query = `{ saleOrderList(limit: 200) { total results { company_id } } }`;
    const answer = await graphql(server, 'admin', query, undefined, { 'x-company-ids': '2' });
    expect(answer.body.errors, JSON.stringify(answer.body.errors)).toBeUndefined();
    const companies = new Set(answer.body.data?.saleOrderList.results.map((r: { company_id: { id: number } }) => r.company_id.id));
    expect(companies).toEqual(new Set([2]));
  });
});
