/**
 * Operations worth naming: the README's example, and the GraphQL twin of a REST list request, which
 * the equivalence tests and `npm run bench:graphql` send (the same input as `GET /api/<slug>?...`).
 */
import type { ListQueryParams } from '../gateway/contract-types.js';

/** The README's example query (its "GraphQL" section shows exactly this text). */
export const EXAMPLE_QUERY = `query ConfirmedOrders {
  me { login name }
  records(slug: "sale_order", domain: "[('state', '=', 'sale')]", fields: ["name", "partner_id", "amount_total"], limit: 5) {
    total
    results
  }
}
`;

/** GraphiQL's first tab: the example, with a word on how to authenticate. */
export const GRAPHIQL_DEFAULT_QUERY = `# Your key goes in the Headers tab below:
#   {"Authorization": "Bearer <API key>"}
# (npx odoo-graphql apikey create --login admin)
# or log in at /web/session/authenticate first:
# the session cookie works here too. Run: Ctrl-Enter.
# Docs and completion need the schema, which callers with a key
# may read: re-fetch it (the circling arrows, lower left).
${EXAMPLE_QUERY}`;

/** The README's example mutation: a CRM lead for Azure Interior, as mrm_rest_api's second documented REST example. */
export const EXAMPLE_MUTATION = `mutation NewLead($values: JSONObject!) {
  createRecord(slug: "crm_lead", values: $values) {
    id
    record
  }
}
`;

/** `records` with every argument as a variable, selecting the whole page: the twin of `GET /api/<slug>`. */
export const RECORDS_OPERATION = `query Records($slug: String!, $domain: Domain, $fields: [String!], $limit: Int, $offset: Int, $order: String) {
  records(slug: $slug, domain: $domain, fields: $fields, limit: $limit, offset: $offset, order: $order) {
    count
    total
    limit
    offset
    results
  }
}`;

/** A GraphQL-over-HTTP request body (`POST /graphql`). */
export interface GraphQLRequestBody {
  readonly query: string;
  readonly operationName?: string;
  readonly variables?: Record<string, unknown>;
}

/**
 * The `POST /graphql` body that asks for what `GET /api/<slug>` with these parameters answers; its
 * `data.records` equals that REST answer. Example (the benchmark's): `recordsRequest('sale_order',
 * { fields: ['name', 'partner_id', 'amount_total'], limit: 80 })`.
 */
export function recordsRequest(slug: string, params: ListQueryParams = {}): GraphQLRequestBody {
  const variables: Record<string, unknown> = { slug };
  if (params.domain !== undefined) variables.domain = params.domain;
  if (params.fields !== undefined) variables.fields = [...params.fields];
  if (params.limit !== undefined) variables.limit = params.limit;
  if (params.offset !== undefined) variables.offset = params.offset;
  if (params.order !== undefined) variables.order = params.order;
  return { query: RECORDS_OPERATION, operationName: 'Records', variables };
}
