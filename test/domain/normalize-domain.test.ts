import { describe, expect, it } from 'vitest';
import {
  COMPARISON_OPERATORS,
  DomainError,
  FALSE_DOMAIN,
  MAX_DOMAIN_DEPTH,
  MAX_DOMAIN_LEAVES,
  TRUE_DOMAIN,
  normalizeDomain,
  parseDomain,
  type DomainNode,
} from '../../src/domain/index.js';

const leaf = (path: string, operator: string, value: unknown): DomainNode => ({ kind: 'leaf', path, operator, value }) as DomainNode;
const A = leaf('a', '=', 1);
const B = leaf('b', '=', 2);
const C = leaf('c', '=', 3);
const D = leaf('d', '=', 4);
const a = ['a', '=', 1];
const b = ['b', '=', 2];
const c = ['c', '=', 3];
const d = ['d', '=', 4];

function messageOf(value: unknown): string {
  try {
    normalizeDomain(value);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
}

describe('CONTRACT List/domain: "prefix & | !, implicit & between top-level terms"', () => {
  it('D-NORM-01 an empty domain is true', () => {
    expect(normalizeDomain([])).toBe(TRUE_DOMAIN);
  });

  it('D-NORM-02 a single leaf', () => {
    expect(normalizeDomain([a])).toEqual(A);
  });

  it.each<[string, unknown[], DomainNode]>([
    ['implicit & of two', [a, b], { kind: 'and', children: [A, B] }],
    ['implicit & of three, flattened', [a, b, c], { kind: 'and', children: [A, B, C] }],
    ['explicit &', ['&', a, b], { kind: 'and', children: [A, B] }],
    ['explicit |', ['|', a, b], { kind: 'or', children: [A, B] }],
    ['& & flattened (left)', ['&', '&', a, b, c], { kind: 'and', children: [A, B, C] }],
    ['& & flattened (right)', ['&', a, '&', b, c], { kind: 'and', children: [A, B, C] }],
    ['| | flattened', ['|', '|', a, b, '|', c, d], { kind: 'or', children: [A, B, C, D] }],
    ['| then implicit &', ['|', a, b, c], { kind: 'and', children: [{ kind: 'or', children: [A, B] }, C] }],
    ['implicit & with |', [a, '|', b, c], { kind: 'and', children: [A, { kind: 'or', children: [B, C] }] }],
    ['explicit & around implicit &', ['&', a, b, c, d], { kind: 'and', children: [A, B, C, D] }],
    ['& inside | kept', ['|', '&', a, b, c], { kind: 'or', children: [{ kind: 'and', children: [A, B] }, C] }],
    ['!', ['!', a], { kind: 'not', child: A }],
    ['! !', ['!', '!', a], { kind: 'not', child: { kind: 'not', child: A } }],
    ['! over |', ['!', '|', a, b], { kind: 'not', child: { kind: 'or', children: [A, B] } }],
    ['! inside &', ['&', '!', a, b], { kind: 'and', children: [{ kind: 'not', child: A }, B] }],
    [
      '! not flattened into &',
      ['&', '!', '&', a, b, c],
      {
        kind: 'and',
        children: [{ kind: 'not', child: { kind: 'and', children: [A, B] } }, C],
      },
    ],
    [
      'tuples and lists mix',
      [
        ['a', '=', 1],
        ['b', '=', 2],
      ],
      { kind: 'and', children: [A, B] },
    ],
  ])('D-NORM-03 %s', (_, domain, expected) => {
    expect(normalizeDomain(domain)).toEqual(expected);
  });
});

describe("CONTRACT List/domain: \"(1,'=',1) true and (0,'=',1) false\"", () => {
  it('D-NORM-04 TRUE_LEAF and FALSE_LEAF become true and false nodes, kept in place', () => {
    expect(normalizeDomain([[1, '=', 1]])).toEqual(TRUE_DOMAIN);
    expect(normalizeDomain([[0, '=', 1]])).toEqual(FALSE_DOMAIN);
    expect(normalizeDomain(['|', [0, '=', 1], a])).toEqual({ kind: 'or', children: [FALSE_DOMAIN, A] });
    expect(normalizeDomain(['!', [1, '=', 1]])).toEqual({ kind: 'not', child: TRUE_DOMAIN });
  });

  it('D-NORM-05 other numeric leaves are not special', () => {
    expect(messageOf([[2, '=', 1]])).toBe("invalid domain: invalid field path 2 in leaf (2, '=', 1)");
    expect(messageOf([[1, '=', 2]])).toBe("invalid domain: invalid field path 1 in leaf (1, '=', 2)");
  });
});

describe('CONTRACT List/domain: operators', () => {
  it.each(COMPARISON_OPERATORS.filter((op) => !['in', 'not in', 'any', 'not any', 'child_of', 'parent_of', '<>'].includes(op)))(
    'D-NORM-10 %s takes a scalar',
    (op) => {
      for (const value of ['x', 0, -1.5, true, false, null]) {
        expect(normalizeDomain([['f', op, value]])).toEqual(leaf('f', op, value));
      }
    },
  );

  it("D-NORM-11 '<>' is normalised to '!=', as Odoo's normalize_leaf does", () => {
    expect(normalizeDomain([['a', '<>', 1]])).toEqual(leaf('a', '!=', 1));
  });

  it('D-NORM-12 operators are compared trimmed and lowercased', () => {
    expect(normalizeDomain([['a', ' ILIKE ', 'x']])).toEqual(leaf('a', 'ilike', 'x'));
    expect(normalizeDomain([['a', 'Not In', [1]]])).toEqual(leaf('a', 'not in', [1]));
  });

  it("D-NORM-13 '=?' is kept as it is", () => {
    expect(normalizeDomain([['a', '=?', false]])).toEqual(leaf('a', '=?', false));
  });

  it.each(['in', 'not in'])('D-NORM-14 %s takes a list; a scalar is wrapped', (op) => {
    expect(normalizeDomain([['a', op, [1, 'x', false, null]]])).toEqual(leaf('a', op, [1, 'x', false, null]));
    expect(normalizeDomain([['a', op, []]])).toEqual(leaf('a', op, []));
    expect(normalizeDomain([['a', op, 5]])).toEqual(leaf('a', op, [5]));
    expect(normalizeDomain([['a', op, false]])).toEqual(leaf('a', op, [false]));
  });

  it.each(['child_of', 'parent_of'])('D-NORM-15 %s takes an id, a name, or a list of them', (op) => {
    expect(normalizeDomain([['parent_id', op, 3]])).toEqual(leaf('parent_id', op, 3));
    expect(normalizeDomain([['parent_id', op, 'Azure']])).toEqual(leaf('parent_id', op, 'Azure'));
    expect(normalizeDomain([['parent_id', op, [1, 'x']]])).toEqual(leaf('parent_id', op, [1, 'x']));
  });

  it.each(['any', 'not any'])('D-NORM-16 %s takes a sub-domain, normalised', (op) => {
    expect(
      normalizeDomain([
        [
          'order_line',
          op,
          [
            ['product_id', '=', 4],
            ['qty', '>', 1],
          ],
        ],
      ]),
    ).toEqual(leaf('order_line', op, { kind: 'and', children: [leaf('product_id', '=', 4), leaf('qty', '>', 1)] }));
    expect(normalizeDomain([['order_line', op, []]])).toEqual(leaf('order_line', op, TRUE_DOMAIN));
    expect(normalizeDomain([['partner_id', op, [['child_ids', op, ['|', ['x', '=', 1], ['y', '<>', 2]]]]]])).toEqual(
      leaf('partner_id', op, leaf('child_ids', op, { kind: 'or', children: [leaf('x', '=', 1), leaf('y', '!=', 2)] })),
    );
  });

  it('D-NORM-17 dotted paths are kept', () => {
    expect(normalizeDomain([['partner_id.country_id.code', '=', 'BE']])).toEqual(leaf('partner_id.country_id.code', '=', 'BE'));
  });

  it('D-NORM-18 list values are copies, not the input arrays', () => {
    const ids = [1, 2];
    const node = normalizeDomain([['a', 'in', ids]]);
    ids.push(3);
    expect(node).toEqual(leaf('a', 'in', [1, 2]));
  });
});

describe('CONTRACT List/domain: "Unknown field, wrong arity or unknown operator: 400 naming it"', () => {
  it.each<[unknown, string]>([
    ['[]', 'domain must be a list'],
    [{}, 'domain must be a list'],
    [null, 'domain must be a list'],
    [[['a', 'xyz', 1]], "unknown operator 'xyz' in leaf ('a', 'xyz', 1)"],
    [[['a', '==', 1]], "unknown operator '==' in leaf ('a', '==', 1)"],
    [[['a', 'not  in', [1]]], "unknown operator 'not  in' in leaf ('a', 'not  in', [1])"],
    [[['a', 5, 1]], "unknown operator 5 in leaf ('a', 5, 1)"],
    [[['a', null, 1]], "unknown operator None in leaf ('a', None, 1)"],
    [[['a..b', '=', 1]], "invalid field path 'a..b' in leaf ('a..b', '=', 1)"],
    [[['1abc', '=', 1]], "invalid field path '1abc' in leaf ('1abc', '=', 1)"],
    [[['', '=', 1]], "invalid field path '' in leaf ('', '=', 1)"],
    [[['a.', '=', 1]], "invalid field path 'a.' in leaf ('a.', '=', 1)"],
    [[['.a', '=', 1]], "invalid field path '.a' in leaf ('.a', '=', 1)"],
    [[['a b', '=', 1]], "invalid field path 'a b' in leaf ('a b', '=', 1)"],
    [[['a;drop', '=', 1]], "invalid field path 'a;drop' in leaf ('a;drop', '=', 1)"],
    [[['a"', '=', 1]], "invalid field path 'a\"' in leaf ('a\"', '=', 1)"],
    [[[['a'], '=', 1]], "invalid field path ['a'] in leaf (['a'], '=', 1)"],
    [[[true, '=', 1]], "invalid field path True in leaf (True, '=', 1)"],
    [[['a', '=']], "a leaf must have 3 items (path, operator, value), got 2 in ('a', '=')"],
    [[['a', '=', 1, 2]], "a leaf must have 3 items (path, operator, value), got 4 in ('a', '=', 1, 2)"],
    [[['a']], "a leaf must have 3 items (path, operator, value), got 1 in ('a',)"],
    [[[]], 'a leaf must have 3 items (path, operator, value), got 0 in ()'],
    [['|', a], "operator '|' expects 2 operands"],
    [['&', a], "operator '&' expects 2 operands"],
    [['&'], "operator '&' expects 2 operands"],
    [['!'], "operator '!' expects 1 operand"],
    [[a, '!'], "operator '!' expects 1 operand"],
    [[a, '|', b], "operator '|' expects 2 operands"],
    [['|', a, '&', b], "operator '&' expects 2 operands"],
    [['a', '=', 1], "unexpected term 'a'; expected '&', '|', '!' or a leaf (path, operator, value)"],
    [['and', a, b], "unexpected term 'and'; expected '&', '|', '!' or a leaf (path, operator, value)"],
    [[' & ', a, b], "unexpected term ' & '; expected '&', '|', '!' or a leaf (path, operator, value)"],
    [[a, 1], "unexpected term 1; expected '&', '|', '!' or a leaf (path, operator, value)"],
    [[a, { x: 1 }], "unexpected term <object>; expected '&', '|', '!' or a leaf (path, operator, value)"],
    [[['a', '=', [1, 2]]], "operator '=' expects a single value, not a list, in leaf ('a', '=', [1, 2]); use 'in'"],
    [[['a', '!=', [1]]], "operator '!=' expects a single value, not a list, in leaf ('a', '!=', [1]); use 'not in'"],
    [[['a', '<', []]], "operator '<' expects a single value, not a list, in leaf ('a', '<', [])"],
    [[['a', 'like', ['x']]], "operator 'like' expects a single value, not a list, in leaf ('a', 'like', ['x'])"],
    [[['a', '=', { id: 1 }]], "operator '=' expects a string, a number, a boolean or None in leaf ('a', '=', <object>)"],
    [[['a', '=', Number.NaN]], "operator '=' expects a string, a number, a boolean or None in leaf ('a', '=', NaN)"],
    [[['a', '=', undefined]], "operator '=' expects a string, a number, a boolean or None in leaf ('a', '=', <undefined>)"],
    [[['a', 'in', [[1]]]], "operator 'in' expects a list of strings, numbers, booleans or None in leaf ('a', 'in', [[1]])"],
    [[['a', 'in', {}]], "operator 'in' expects a list of strings, numbers, booleans or None in leaf ('a', 'in', <object>)"],
    [[['a', 'any', 1]], "operator 'any' expects a domain (a list of terms) in leaf ('a', 'any', 1)"],
    [[['a', 'not any', 'x']], "operator 'not any' expects a domain (a list of terms) in leaf ('a', 'not any', 'x')"],
    [[['a', 'any', [['b', 'xyz', 1]]]], "unknown operator 'xyz' in leaf ('b', 'xyz', 1)"],
    [[['a', 'any', ['|', ['b', '=', 1]]]], "operator '|' expects 2 operands"],
    [[['a', 'child_of', 1.5]], "operator 'child_of' expects an integer id, a name, or a list of them in leaf ('a', 'child_of', 1.5)"],
    [
      [['a', 'parent_of', [true]]],
      "operator 'parent_of' expects an integer id, a name, or a list of them in leaf ('a', 'parent_of', [True])",
    ],
    [[['a', 'child_of', null]], "operator 'child_of' expects an integer id, a name, or a list of them in leaf ('a', 'child_of', None)"],
  ])('D-NORM-20 rejects %j', (domain, message) => {
    expect(messageOf(domain)).toBe(`invalid domain: ${message}`);
  });

  it('D-NORM-21 the first bad leaf is the one named', () => {
    expect(
      messageOf([
        ['a', 'bad1', 1],
        ['b', 'bad2', 1],
      ]),
    ).toMatch(/'bad1'/);
  });

  it('D-NORM-22 long terms are shortened in messages', () => {
    const message = messageOf([
      ['a', 'in', 'x'.repeat(10_000)],
      ['b', 'nope', 1],
    ]);
    expect(message).toBe("invalid domain: unknown operator 'nope' in leaf ('b', 'nope', 1)");
    expect(messageOf([['a', 'x'.repeat(10_000), 1]]).length).toBeLessThan(400);
  });
});

describe('limits', () => {
  it(`D-NORM-30 accepts ${MAX_DOMAIN_LEAVES} leaves`, () => {
    const node = normalizeDomain(Array.from({ length: MAX_DOMAIN_LEAVES }, () => a));
    expect(node.kind === 'and' && node.children.length).toBe(MAX_DOMAIN_LEAVES);
  });

  it('D-NORM-31 rejects more leaves, sub-domains included', () => {
    expect(messageOf(Array.from({ length: MAX_DOMAIN_LEAVES + 1 }, () => a))).toBe('invalid domain: more than 500 leaves');
    const sub = Array.from({ length: 300 }, () => a);
    expect(
      messageOf([
        ['x', 'any', sub],
        ['y', 'any', sub],
      ]),
    ).toBe('invalid domain: more than 500 leaves');
  });

  it('D-NORM-32 a long chain of ! is rejected, not a stack overflow', () => {
    expect(messageOf([...Array.from({ length: 100_000 }, () => '!'), a])).toBe(
      `invalid domain: nested deeper than ${MAX_DOMAIN_DEPTH} levels`,
    );
  });

  it('D-NORM-33 deeply nested any is rejected, not a stack overflow', () => {
    let domain: unknown[] = [a];
    for (let i = 0; i < 100_000; i++) domain = [['x', 'any', domain]];
    expect(messageOf(domain)).toBe(`invalid domain: nested deeper than ${MAX_DOMAIN_DEPTH} levels`);
  });

  it('D-NORM-34 alternating & and | as deep as the leaf limit allows', () => {
    const terms: unknown[] = [];
    for (let i = 0; i < 120; i++) terms.push(i % 2 ? '&' : '|', a);
    terms.push(a);
    expect(messageOf(terms)).toBe(`invalid domain: nested deeper than ${MAX_DOMAIN_DEPTH} levels`);
    expect(() => normalizeDomain(terms.slice(-2 * 50 - 1))).not.toThrow();
  });

  it('D-NORM-35 a long flat domain written with explicit operators stays flat', () => {
    const terms: unknown[] = [];
    for (let i = 0; i < 400; i++) terms.push('|', a);
    terms.push(b);
    const node = normalizeDomain(terms);
    expect(node.kind === 'or' && node.children.length).toBe(401);
  });
});

describe('parseDomain', () => {
  it('D-NORM-40 parses and normalises text', () => {
    expect(parseDomain("[('state', '=', 'sale'), '|', ('a', '<>', 1), ('b', 'in', 2)]")).toEqual({
      kind: 'and',
      children: [leaf('state', '=', 'sale'), { kind: 'or', children: [leaf('a', '!=', 1), leaf('b', 'in', [2])] }],
    });
  });
});
