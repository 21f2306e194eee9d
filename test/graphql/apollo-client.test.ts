/**
 * A real GraphQL client: @apollo/client (core, in Node) runs the README's example query and its
 * example mutation against /graphql, with a Bearer key and with a session cookie.
 */
import { readFileSync } from 'node:fs';
import { ApolloClient, ApolloError, gql, HttpLink, InMemoryCache } from '@apollo/client/core/index.js';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_MUTATION, EXAMPLE_QUERY } from '../../src/graphql/operations.js';
import { useServer } from '../helpers/use-server.js';
import { sessionCookie } from './graphql-client.js';

const server = useServer();

function apollo(headers: Record<string, string>) {
  return new ApolloClient({
    link: new HttpLink({ uri: `${server.url}/graphql`, fetch, headers }),
    cache: new InMemoryCache(),
  });
}

describe('@apollo/client against /graphql', () => {
  it("AP-01 runs the README's example query with a Bearer key", async () => {
    const client = apollo({ authorization: `Bearer ${server.key('demo')}` });
    const { data } = await client.query({ query: gql(EXAMPLE_QUERY) });
    const rest = await server.request(
      'demo',
      'GET',
      `/api/sale_order?domain=${encodeURIComponent("[('state', '=', 'sale')]")}&fields=name,partner_id,amount_total&limit=5`,
    );
    expect(data.me).toMatchObject({ login: 'demo' });
    expect(data.records.total).toBe(rest.body.total);
    expect(data.records.results).toEqual(rest.body.results);
    expect(data.records.results[0].partner_id).toEqual({ id: expect.any(Number), name: expect.any(String) });
  });

  it("AP-02 runs the README's example mutation with a session cookie", async () => {
    const cookie = await sessionCookie(server, 'demo');
    const client = apollo({ cookie });
    const values = {
      name: 'New Opportunity',
      partner_id: { id: 12 },
      contact_name: 'John Doe',
      email_from: 'john@example.com',
      expected_revenue: 15000,
    };
    const { data } = await client.mutate({ mutation: gql(EXAMPLE_MUTATION), variables: { values } });
    expect(data.createRecord.record).toMatchObject({
      id: data.createRecord.id,
      name: 'New Opportunity',
      partner_id: { id: 12, name: 'Azure Interior' },
      expected_revenue: 15000,
    });
    const rest = await server.request('demo', 'GET', `/api/crm_lead/${data.createRecord.id}`);
    expect(data.createRecord.record).toEqual(rest.body);
  });

  it('AP-03 sees a coded error as an ApolloError', async () => {
    const client = apollo({});
    const error = await client.query({ query: gql('{ me { uid } }') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApolloError);
    // A 401 answer reaches Apollo as a network error carrying the GraphQL errors.
    const result = (error as ApolloError).networkError as {
      statusCode?: number;
      result?: { errors?: Array<{ extensions?: { code?: string } }> };
    };
    expect(result.statusCode).toBe(401);
    expect(result.result?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const block = /```graphql\n([\s\S]*?)```/.exec(readme)?.[1];
  it("AP-04 the README's first GraphQL block is the example query run above", () => {
    expect(block, 'README.md has a ```graphql block').toBeDefined();
    expect(block).toBe(EXAMPLE_QUERY);
  });
});
