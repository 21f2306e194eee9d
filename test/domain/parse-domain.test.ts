import { describe, expect, it } from 'vitest';
import { DomainError, assertDomainValue, domainFromJson, parseDomain, printDomain } from '../../src/domain/index.js';

describe('domainFromJson (GraphQL JSON input)', () => {
  it('D-JSON-01 normalises a JSON array like the same domain written as text', () => {
    const json = ['|', ['state', '=', 'sale'], ['amount_total', '>', 100], ['tag_ids', 'in', 3]];
    expect(domainFromJson(json)).toEqual(parseDomain(JSON.stringify(json)));
    expect(printDomain(domainFromJson(json))).toBe(
      "['&', '|', ('state', '=', 'sale'), ('amount_total', '>', 100), ('tag_ids', 'in', [3])]",
    );
  });

  it('D-JSON-02 an empty array is the true domain', () => {
    expect(domainFromJson([])).toEqual({ kind: 'true' });
  });

  it.each<[unknown, string]>([
    ['[]', 'domain must be a list'],
    [{ domain: [] }, 'an object is not allowed; only strings, numbers, booleans, null and lists'],
    [[['a', '=', { id: 1 }]], 'an object is not allowed; only strings, numbers, booleans, null and lists'],
    [[['a', '=', undefined]], 'a value of type undefined is not allowed; only strings, numbers, booleans, null and lists'],
    [[['a', '=', 1n]], 'a value of type bigint is not allowed; only strings, numbers, booleans, null and lists'],
    [[['a', '=', Number.NaN]], 'number NaN is not allowed'],
    [[['a', '=', -Infinity]], 'number -Infinity is not allowed'],
    [[['a', 'xyz', 1]], "unknown operator 'xyz' in leaf ('a', 'xyz', 1)"],
  ])('D-JSON-03 rejects %s', (value, message) => {
    expect(() => domainFromJson(value)).toThrow(new DomainError(`invalid domain: ${message}`));
  });

  it('D-JSON-04 deep nesting is rejected, not a stack overflow', () => {
    let value: unknown = [];
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(() => domainFromJson(value)).toThrow('invalid domain: nesting deeper than 32 levels');
  });

  it('D-JSON-05 assertDomainValue accepts every literal form', () => {
    expect(() => assertDomainValue(['a', 1, -2.5, true, false, null, [[]]])).not.toThrow();
  });
});
