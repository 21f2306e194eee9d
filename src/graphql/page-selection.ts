/**
 * Whether a page (`records`, `saleOrderList`: `count total limit offset results`) needs its rows read.
 * The REST list route answers `total` with a count and reads rows only for the page; asked with
 * `limit=0` it reads none and still counts (docs/rest-contract.md, C-LIST-15: "0 returns no records,
 * only total"). So a page whose selection is only `total` (and `offset`, echoed as sent) is asked with
 * `limit=0`: 15 aliases of `records(limit: 1000) { total }` are 15 counts, not 15,000 rows.
 * `count` and `limit` are the page as read (the gateway clamps `limit` to its own maximum, which this
 * side does not know), so they need the rows. The cost limit (operation-cost.ts) counts by the same
 * rule, before `@skip`/`@include` can be applied: never less than what is read.
 */
import type { FieldNode } from 'graphql';
import { subfields, type SelectionScope } from './typed/field-selection.js';

/** The fields of a page a `limit=0` answer gives as they would be with the rows. */
const ANSWERED_BY_THE_COUNT: ReadonlySet<string> = new Set(['total', 'offset', '__typename']);

/** True when one of these selected field names of a page needs its rows. */
export function readsRows(selected: Iterable<string>): boolean {
  for (const name of selected) {
    if (!ANSWERED_BY_THE_COUNT.has(name)) return true;
  }
  return false;
}

/** True when some selected field of the page (fragments followed, `@skip`/`@include` applied) needs its rows. */
export function pageReadsRows(nodes: readonly FieldNode[], scope: SelectionScope): boolean {
  return readsRows(subfields(nodes, scope).keys());
}

/** The page's list parameters as the gateway should get them: `limit: 0` when no row is needed. */
export function pageRequest<P extends { readonly limit?: number }>(params: P, nodes: readonly FieldNode[], scope: SelectionScope): P {
  return pageReadsRows(nodes, scope) ? params : { ...params, limit: 0 };
}
