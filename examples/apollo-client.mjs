#!/usr/bin/env node
// The GraphQL face from Node with @apollo/client (core, no React): the README's query, then a mutation.
//
//   BASE_URL=http://127.0.0.1:4000 KEY=<API key> node examples/apollo-client.mjs
//
// KEY: `npx odoo-graphql apikey create --login admin`. In this repository `npm install` brings
// @apollo/client; elsewhere `npm install @apollo/client graphql`. Exits non-zero on any error.
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client/core/index.js';

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:4000';
const KEY = process.env.KEY;
if (!KEY) {
  console.error('set KEY to an API key: npx odoo-graphql apikey create --login admin');
  process.exit(2);
}

const client = new ApolloClient({
  link: new HttpLink({ uri: `${BASE_URL}/graphql`, fetch, headers: { authorization: `Bearer ${KEY}` } }),
  cache: new InMemoryCache(),
});

const CONFIRMED_ORDERS = gql`
  query ConfirmedOrders {
    me {
      login
      name
    }
    records(slug: "sale_order", domain: "[('state', '=', 'sale')]", fields: ["name", "partner_id", "amount_total"], limit: 5) {
      total
      results
    }
  }
`;

const NEW_LEAD = gql`
  mutation NewLead($values: JSONObject!) {
    createRecord(slug: "crm_lead", values: $values) {
      id
      record
    }
  }
`;

try {
  const { data } = await client.query({ query: CONFIRMED_ORDERS });
  console.log(`me: ${data.me.login} (${data.me.name})`);
  console.log(`confirmed sale orders: ${data.records.total}`);
  for (const order of data.records.results) {
    console.log(`  ${order.name}  ${order.partner_id ? order.partner_id.name : '-'}  ${order.amount_total}`);
  }

  const values = {
    name: 'New Opportunity',
    partner_id: { id: 12 },
    contact_name: 'John Doe',
    email_from: 'john@example.com',
    expected_revenue: 15000,
  };
  const { data: created } = await client.mutate({ mutation: NEW_LEAD, variables: { values } });
  const lead = created.createRecord.record;
  console.log(
    `created crm.lead ${created.createRecord.id}: ${lead.name} for ${lead.partner_id.name}, expected revenue ${lead.expected_revenue}`,
  );
} catch (error) {
  // A GraphQL error carries extensions.code (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT...); a 401 comes as a network error.
  const errors = error.graphQLErrors?.length ? error.graphQLErrors : (error.networkError?.result?.errors ?? []);
  const detail = errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ');
  console.error(`FAILED: ${detail || error.message}`);
  process.exit(1);
}
