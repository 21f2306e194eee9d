import { describe, expect, it } from 'vitest';
import {
  DomainError,
  FALSE_DOMAIN,
  TRUE_DOMAIN,
  normalizeDomain,
  parseDomain,
  parsePythonLiteral,
  printDomain,
  printPythonLiteral,
  type DomainNode,
  type DomainValue,
} from '../../src/domain/index.js';

describe('printPythonLiteral', () => {
  it.each<[DomainValue, string]>([
    [null, 'None'],
    [true, 'True'],
    [false, 'False'],
    [0, '0'],
    [-3, '-3'],
    [1.5, '1.5'],
    [-0, '-0.0'],
    [1e21, '1e+21'],
    [2 ** 53, '9.007199254740992e+15'],
    [1e-7, '1e-7'],
    ['', "''"],
    ['sale', "'sale'"],
    ["it's", "'it\\'s'"],
    ['say "hi"', '\'say "hi"\''],
    ['a\\b', "'a\\\\b'"],
    ['\n\r\t', "'\\n\\r\\t'"],
    ['\0\x07\x1f\x7f\x85', "'\\x00\\x07\\x1f\\x7f\\x85'"],
    ['\u2028', "'\\u2028'"],
    ['é 漢字 😀', "'é 漢字 😀'"],
    ['\ud800', "'\\ud800'"],
    ['x\udc00', "'x\\udc00'"],
    [[], '[]'],
    [[1, 'a', [null, [true]]], "[1, 'a', [None, [True]]]"],
  ])('D-PRINT-01 %j prints as %s', (value, text) => {
    expect(printPythonLiteral(value)).toBe(text);
  });

  it('D-PRINT-02 every printed literal parses back to the same value', () => {
    const values: DomainValue[] = [
      null,
      true,
      false,
      0,
      -0,
      7,
      -7,
      0.1,
      -2.5e-3,
      1e300,
      5e-324,
      2 ** 53,
      -(2 ** 60),
      Number.MAX_SAFE_INTEGER,
      '',
      "'",
      '"',
      '\\',
      '\\d',
      '\n',
      '\u0000\u0001\u007f\u0080\u009f\u00a0',
      '\u2028\u2029',
      '\ud83d\ude00',
      '\ud800',
      '\udfff',
      'mixed \'quotes\' and "more"',
      [[[]]],
      [1, [2, [3, ['x']]]],
    ];
    for (const value of values) expect(parsePythonLiteral(printPythonLiteral(value))).toEqual(value);
  });

  it('D-PRINT-03 non-finite numbers have no literal form', () => {
    expect(() => printPythonLiteral(Number.NaN)).toThrow(DomainError);
    expect(() => printPythonLiteral(Infinity)).toThrow('invalid domain: number Infinity has no literal form');
  });
});

describe('printDomain', () => {
  it.each<[DomainNode, string]>([
    [TRUE_DOMAIN, '[]'],
    [FALSE_DOMAIN, "[(0, '=', 1)]"],
    [{ kind: 'leaf', path: 'state', operator: '=', value: 'sale' }, "[('state', '=', 'sale')]"],
    [
      {
        kind: 'and',
        children: [
          { kind: 'leaf', path: 'state', operator: '=', value: 'sale' },
          { kind: 'leaf', path: 'amount_total', operator: '>', value: 100.5 },
        ],
      },
      "['&', ('state', '=', 'sale'), ('amount_total', '>', 100.5)]",
    ],
    [
      { kind: 'or', children: [TRUE_DOMAIN, FALSE_DOMAIN, { kind: 'not', child: TRUE_DOMAIN }] },
      "['|', '|', (1, '=', 1), (0, '=', 1), '!', (1, '=', 1)]",
    ],
    [
      {
        kind: 'leaf',
        path: 'order_line',
        operator: 'any',
        value: { kind: 'leaf', path: 'product_id', operator: 'in', value: [1, 2] },
      },
      "[('order_line', 'any', [('product_id', 'in', [1, 2])])]",
    ],
    [{ kind: 'leaf', path: 'order_line', operator: 'not any', value: TRUE_DOMAIN }, "[('order_line', 'not any', [])]"],
    [{ kind: 'and', children: [] }, "[(1, '=', 1)]"],
    [{ kind: 'or', children: [] }, "[(0, '=', 1)]"],
    [{ kind: 'or', children: [FALSE_DOMAIN] }, "[(0, '=', 1)]"],
  ])('D-PRINT-10 %j', (node, text) => {
    expect(printDomain(node)).toBe(text);
  });
});

describe('round trip: normalize(parse(print(x))) deep-equals x', () => {
  const domains = [
    '[]',
    "[('state', '=', 'sale')]",
    "[('state', '<>', 'sale')]",
    "[('state', '=', 'sale'), ('amount_total', '>', 100.0)]",
    "['|', ('state', '=', 'draft'), ('state', '=', 'sent')]",
    "['!', '!', ('active', '=', True)]",
    "['|', '&', ('a', '=', 1), ('b', '=', None), '!', '|', ('c', 'like', 'x%'), ('d', 'not ilike', 'Y')]",
    "[(1, '=', 1)]",
    "[(0, '=', 1)]",
    "['|', (0, '=', 1), '&', (1, '=', 1), ('x', '=?', False)]",
    "[('id', 'in', [1, 2, 3]), ('id', 'not in', ()), ('tag_ids', 'in', 7)]",
    "[('partner_id', 'child_of', 3), ('categ_id', 'parent_of', [1, 'All'])]",
    "[('order_line', 'any', [('product_id.default_code', '=like', 'FURN\\\\_%'), ('qty', '>=', 2.5)])]",
    "[('order_line', 'not any', []), ('x', 'any', ['|', ('y', '=', -0.0), ('z', '!=', 1e300)])]",
    "[('name', 'ilike', 'it\\'s \"quoted\" \\\\ \\n \\t \\x00 \\u2028 \\U0001F600 é')]",
    "[('amount', '<', -9007199254740991), ('ratio', '<=', 5e-324), ('big', '>', 1e21), ('f', '=', 2.0)]",
    "[('partner_id.country_id.code', '=ilike', 'be'), ('a', 'not like', '')]",
    "['&', '&', '|', ('a', '=', 1), ('b', '=', 2), '|', ('c', '=', 3), ('d', '=', 4), '!', ('e', '=', 5)]",
  ];

  it.each(domains)('D-PRINT-20 %s', (text) => {
    const x = parseDomain(text);
    const printed = printDomain(x);
    expect(normalizeDomain(parsePythonLiteral(printed))).toEqual(x);
    expect(printDomain(parseDomain(printed))).toBe(printed); // printing is a fixed point
  });

  it('D-PRINT-21 a generated set of domains', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const values: DomainValue[] = [0, 1, -5, 2.5, 'x', "o'k", '', true, false, null];
    const scalarOps = ['=', '!=', '<>', '>', '>=', '<', '<=', '=?', 'like', 'not like', 'ilike', 'not ilike', '=like', '=ilike'];
    const term = (depth: number): unknown[] => {
      const pick = random(depth > 3 ? 4 : 9);
      const value = values[random(values.length)] as DomainValue;
      switch (pick) {
        case 0:
          return [['f', scalarOps[random(scalarOps.length)], value]];
        case 1:
          return [['g.h', random(2) ? 'in' : 'not in', random(2) ? [value, 3] : value]];
        case 2:
          return [['p', random(2) ? 'child_of' : 'parent_of', random(2) ? 4 : ['n', 5]]];
        case 3:
          return [[random(2), '=', 1]];
        case 4:
          return ['!', ...term(depth + 1)];
        case 5:
          return ['&', ...term(depth + 1), ...term(depth + 1)];
        case 6:
          return ['|', ...term(depth + 1), ...term(depth + 1)];
        case 7:
          return [['lines', random(2) ? 'any' : 'not any', Array.from({ length: random(3) }, () => term(depth + 1)).flat()]];
        default:
          return [...term(depth + 1), ...term(depth + 1)];
      }
    };
    for (let i = 0; i < 300; i++) {
      const x = normalizeDomain(Array.from({ length: 1 + random(3) }, () => term(0)).flat());
      expect(normalizeDomain(parsePythonLiteral(printDomain(x)))).toEqual(x);
    }
  });
});
