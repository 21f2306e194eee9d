/**
 * Why the typed schema exists: @apollo/client's InMemoryCache (v3, in Node) normalises its records by
 * `__typename` and `id`, so a mutation's answer updates every cached query that shows the record, with
 * no refetch. The generic `records` API (JSON objects) cannot give that.
 */
import { ApolloClient, gql, HttpLink, InMemoryCache, type NormalizedCacheObject } from '@apollo/client/core/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServer } from '../../helpers/use-server.js';

const server = useServer();
let posts: number;
let client: ApolloClient<NormalizedCacheObject>;

beforeAll(() => {
  posts = 0;
  const countingFetch: typeof fetch = (input, init) => {
    posts += 1;
    return fetch(input, init);
  };
  client = new ApolloClient({
    link: new HttpLink({ uri: `${server.url}/graphql`, fetch: countingFetch, headers: { authorization: `Bearer ${server.key('admin')}` } }),
    cache: new InMemoryCache(),
  });
});

afterAll(() => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined when beforeAll failed before setting it
  client?.stop();
});

const ORDERS = gql`
  query Orders {
    saleOrderList(limit: 5, order: "id") {
      total
      results {
        id
        name
        client_order_ref
        partnerRecord {
          id
          display_name
        }
      }
    }
  }
`;

const SET_REFERENCE = gql`
  mutation SetReference($id: Int!, $ref: String) {
    updateSaleOrder(id: $id, values: { client_order_ref: $ref }) {
      id
      client_order_ref
    }
  }
`;

describe('@apollo/client InMemoryCache with the typed schema', () => {
  it('AC-01 records are normalised by __typename and id', async () => {
    const { data } = await client.query({ query: ORDERS });
    expect(data.saleOrderList.results).toHaveLength(5);
    const cache = client.cache.extract();
    for (const order of data.saleOrderList.results) {
      expect(order.__typename).toBe('SaleOrder');
      expect(cache[`SaleOrder:${order.id}`]).toMatchObject({ id: order.id, name: order.name });
      expect(cache[`ResPartner:${order.partnerRecord.id}`]).toMatchObject({ display_name: order.partnerRecord.display_name });
    }
  });

  it('AC-02 a list query, then an update mutation: the cached list shows the updated record without a refetch', async () => {
    const watched: Array<string | null> = [];
    const watch = client.watchQuery({ query: ORDERS, fetchPolicy: 'cache-first' });
    const subscription = watch.subscribe(({ data }) => watched.push(data.saleOrderList.results[2].client_order_ref));
    const { data } = await client.query({ query: ORDERS });
    const target = data.saleOrderList.results[2];
    const reference = `APOLLO-${Date.now()}`;
    expect(target.client_order_ref).not.toBe(reference);

    const postsBefore = posts;
    const gatewayBefore = server.app.graphql.gateway.requestCount;
    const { data: mutated } = await client.mutate({ mutation: SET_REFERENCE, variables: { id: target.id, ref: reference } });
    expect(mutated.updateSaleOrder).toEqual({ __typename: 'SaleOrder', id: target.id, client_order_ref: reference });
    // One POST /graphql (the mutation), one gateway request (PUT /api/sale_order/<id>): nothing refetched.
    expect(posts - postsBefore).toBe(1);
    expect(server.app.graphql.gateway.requestCount - gatewayBefore).toBe(1);

    const cached = client.readQuery({ query: ORDERS });
    expect(cached.saleOrderList.results[2]).toMatchObject({ id: target.id, client_order_ref: reference });
    const cacheOnly = await client.query({ query: ORDERS, fetchPolicy: 'cache-only' });
    expect(cacheOnly.data.saleOrderList.results[2].client_order_ref).toBe(reference);
    expect(posts - postsBefore).toBe(1);
    // The watching list was told, from the cache alone.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(watched.at(-1)).toBe(reference);
    subscription.unsubscribe();

    // And the server agrees.
    const rest = await server.request('admin', 'GET', `/api/sale_order/${target.id}?fields=client_order_ref`);
    expect(rest.body.client_order_ref).toBe(reference);
  });
});
