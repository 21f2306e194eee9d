/**
 * The scalars' behaviour (schema/scalars.graphql documents it), and the Many2One pass over generic
 * records: pure functions, tested directly.
 */
import { describe, expect, it } from 'vitest';
import { parseDomain } from '../../src/domain/parse-domain.js';
import { printDomain } from '../../src/domain/print-domain.js';
import { toGraphQLRecord } from '../../src/graphql/resolvers.js';
import { DomainScalar, JSONObjectScalar, parseDomainInput, parseMany2One, serializeMany2One } from '../../src/graphql/scalars.js';

function thrown(run: () => unknown): { message: string; extensions: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    return error as { message: string; extensions: Record<string, unknown> };
  }
  throw new Error('expected a throw');
}

describe('Many2One', () => {
  it('SC-01 output: {id, name} from {id, name} or [id, name]; false and null become null', () => {
    const value = { id: 12, name: 'Azure Interior' };
    expect(serializeMany2One(value)).toBe(value);
    expect(serializeMany2One([12, 'Azure Interior'])).toEqual(value);
    expect(serializeMany2One(false)).toBeNull();
    expect(serializeMany2One(null)).toBeNull();
    expect(() => serializeMany2One('Azure')).toThrow(/Many2One cannot represent "Azure"/);
    expect(() => serializeMany2One({ id: 12 })).toThrow(/Many2One cannot represent/);
  });
  it('SC-02 input: an id, {id}, {id, name} as output gives it, null or false; else BAD_USER_INPUT', () => {
    expect(parseMany2One(12)).toBe(12);
    expect(parseMany2One({ id: 12 })).toBe(12);
    expect(parseMany2One({ id: 12, name: 'Azure Interior' })).toBe(12);
    expect(parseMany2One(null)).toBeNull();
    expect(parseMany2One(false)).toBeNull();
    for (const bad of [0, -1, 1.5, '12', { id: '12' }, { id: 12, x: 1 }, [12, 'x'], true]) {
      expect(thrown(() => parseMany2One(bad)).extensions.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('Domain', () => {
  it('SC-10 a Python-literal string and its JSON twin give the same normalised domain', () => {
    const fromText = parseDomainInput("['|', ('state', '=', 'sale'), ('amount_total', '>', 1000)]");
    const fromJson = parseDomainInput(['|', ['state', '=', 'sale'], ['amount_total', '>', 1000]]);
    expect(fromJson).toEqual(fromText);
    expect(printDomain(fromText)).toBe("['|', ('state', '=', 'sale'), ('amount_total', '>', 1000)]");
    expect(DomainScalar.serialize(fromText)).toBe(printDomain(fromText));
    expect(parseDomain(printDomain(fromText))).toEqual(fromText);
  });
  it('SC-11 anything else is BAD_USER_INPUT naming the problem', () => {
    const syntax = thrown(() => parseDomainInput("[('a', '=', 1"));
    expect([syntax.extensions.code, syntax.message]).toEqual(['BAD_USER_INPUT', expect.stringMatching(/at position \d+/)]);
    expect(thrown(() => parseDomainInput([['a', '=', { b: 1 }]])).extensions.code).toBe('BAD_USER_INPUT');
    expect(thrown(() => parseDomainInput(true)).message).toMatch(/^Domain expects/);
  });
});

describe('JSONObject', () => {
  it("SC-20 graphql-scalars' behaviour, with input errors coded BAD_USER_INPUT", () => {
    expect(JSONObjectScalar.parseValue({ a: 1 })).toEqual({ a: 1 });
    expect(thrown(() => JSONObjectScalar.parseValue([1])).extensions.code).toBe('BAD_USER_INPUT');
    expect(JSONObjectScalar.serialize({ id: 1 })).toEqual({ id: 1 });
  });
});

describe('records through Many2One', () => {
  it('SC-30 Odoo pairs become {id, name}; the contract shape passes untouched, without a copy', () => {
    const contract = { id: 1, name: 'S00001', partner_id: { id: 12, name: 'Azure Interior' }, user_id: false, order_line: [3, 4] };
    expect(toGraphQLRecord(contract)).toBe(contract);
    const odoo = { id: 1, partner_id: [12, 'Azure Interior'], tag_ids: [1, 2], user_id: false };
    expect(toGraphQLRecord(odoo)).toEqual({ id: 1, partner_id: { id: 12, name: 'Azure Interior' }, tag_ids: [1, 2], user_id: false });
    expect(odoo.partner_id).toEqual([12, 'Azure Interior']);
  });
});
