/**
 * Typed operations worth naming: the issue's nested query (80 sale orders, each with its customer's name
 * and country and its lines' products), which the tests, `npm run bench:typed` and the README use, and
 * the flat `records` request of the same orders it is measured against.
 */
import { recordsRequest, type GraphQLRequestBody } from '../operations.js';

/** 80 sale orders with `partner { name country_id }` and `order_line { product { display_name } }`, in the typed schema's names. */
export const NESTED_ORDERS_QUERY = `query NestedOrders {
  saleOrderList(limit: 80) {
    total
    results {
      id
      name
      partnerRecord { name country_id }
      orderLineRecords { productRecord { display_name } }
    }
  }
}`;

/** The same 80 orders through the generic `records` query, with the fields the nested query reads of them. */
export const FLAT_ORDERS_REQUEST: GraphQLRequestBody = recordsRequest('sale_order', {
  fields: ['name', 'partner_id', 'order_line'],
  limit: 80,
});
