/**
 * Odoo read() records to the contract's shape: a many2one pair `[id, "name"]` becomes
 * `{"id": id, "name": "name"}`. x2many values are lists of ids and never a pair of a number and a
 * string, so the pair is recognised by its shape alone, whatever the backend.
 */
import type { OdooRecord } from '../backends/backend.js';

export function isMany2OnePair(value: unknown): value is [number, string] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string';
}

/**
 * A Backend's record (Odoo's read() shape) as the contract answers it: each many2one pair becomes
 * `{id, name}`; every other value as is. Always a new object. (The GraphQL face has its own step for the
 * records a gateway sends: src/graphql/resolvers.ts, `toGraphQLRecord`.)
 */
export function toContractRecord(record: OdooRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const value = record[key];
    out[key] = isMany2OnePair(value) ? { id: value[0], name: value[1] } : value;
  }
  return out;
}
