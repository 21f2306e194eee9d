import { describe, expect, it } from 'vitest';
import { DomainError, MAX_LITERAL_DEPTH, parsePythonLiteral } from '../../src/domain/index.js';

/** The error `parsePythonLiteral` throws for `text`. */
function errorOf(text: string): DomainError {
  try {
    parsePythonLiteral(text);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('CONTRACT List/domain: "Lists and tuples, single- or double-quoted strings with escapes, integers, floats, True, False, None, nested lists"', () => {
  it.each([
    ['[]', []],
    ['[1, 2, 3]', [1, 2, 3]],
    ['[1, 2, 3,]', [1, 2, 3]],
    ['()', []],
    ['(1,)', [1]],
    ['(1, 2)', [1, 2]],
    ['(1, 2,)', [1, 2]],
    ['(1)', 1],
    ["('a')", 'a'],
    ['((1, 2))', [1, 2]],
    ['[[], [[]], ([],)]', [[], [[]], [[]]]],
    [" \t\n[ ( 'a' , '=' , 1 ) ]\r\n ", [['a', '=', 1]]],
    ['True', true],
    ['False', false],
    ['None', null],
  ])('D-LIT-01 lists, tuples, constants: %s', (text, expected) => {
    expect(parsePythonLiteral(text)).toEqual(expected);
  });

  it.each([
    ["'sale'", 'sale'],
    ['"sale"', 'sale'],
    ["''", ''],
    ["u'sale'", 'sale'],
    ['U"sale"', 'sale'],
    ["'it\\'s'", "it's"],
    ['"say \\"hi\\""', 'say "hi"'],
    ['"it\'s"', "it's"],
    ["'a\\\\b'", 'a\\b'],
    ["'\\n\\t\\r\\0'", '\n\t\r\0'],
    ["'\\a\\b\\f\\v'", '\x07\b\f\v'],
    ["'\\x41\\x7e'", 'A~'],
    ["'\\101\\7'", 'A\x07'],
    ["'\\u00e9\\u20AC'", 'é€'],
    ["'\\U0001F600'", '😀'],
    ["'\\d\\w'", '\\d\\w'], // unknown escapes keep the backslash
    ["'a\\\nb'", 'ab'], // line continuation
    ['"a\\/b"', 'a/b'], // JSON escape
    ["'a' 'b' u\"c\"", 'abc'], // adjacent literals concatenate
    ["'é 漢字 😀\t'", 'é 漢字 😀\t'],
  ])('D-LIT-02 strings: %s', (text, expected) => {
    expect(parsePythonLiteral(text)).toBe(expected);
  });

  it.each([
    ['0', 0],
    ['42', 42],
    ['-42', -42],
    ['+42', 42],
    ['- 42', -42],
    ['1_000_000', 1_000_000],
    ['0x1F', 31],
    ['0o17', 15],
    ['0b101', 5],
    ['0x_ff', 255],
    ['00', 0],
    ['-0', 0],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['-9007199254740991', Number.MIN_SAFE_INTEGER],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['1.', 1],
    ['1e3', 1000],
    ['1E+3', 1000],
    ['-2.5E-3', -0.0025],
    ['1_0.2_5', 10.25],
    ['01.5', 1.5],
    ['1e+21', 1e21],
  ])('D-LIT-03 numbers: %s', (text, expected) => {
    expect(parsePythonLiteral(text)).toBe(expected);
  });

  it('D-LIT-04 -0.0 stays a negative zero float, as in Python', () => {
    expect(Object.is(parsePythonLiteral('-0.0'), -0)).toBe(true);
  });
});

describe('CONTRACT List/domain: "JSON arrays parse the same"', () => {
  it('D-LIT-05 a JSON domain', () => {
    expect(parsePythonLiteral('[["state","=","sale"],["amount_total",">=",1.5e2]]')).toEqual([
      ['state', '=', 'sale'],
      ['amount_total', '>=', 150],
    ]);
  });

  it('D-LIT-06 true, false, null and JSON escapes', () => {
    expect(parsePythonLiteral('[true, false, null, "\\u00e9\\n\\"", -1]')).toEqual([true, false, null, 'é\n"', -1]);
  });

  it('D-LIT-07 agrees with JSON.parse on a JSON document', () => {
    const json = JSON.stringify(['|', ['a', 'in', [1, 2.5, 'x', null, true]], ['b', 'not ilike', 'q"\\\n\t/']]);
    expect(parsePythonLiteral(json)).toEqual(JSON.parse(json));
  });
});

describe('CONTRACT List/domain: "Anything else (names, calls, arithmetic, dicts, sets) is a 400 naming the position"', () => {
  it.each([
    ['foo', "unexpected name 'foo' at position 0"],
    ['[1, foo]', "unexpected name 'foo' at position 4"],
    ["__import__('os')", "unexpected name '__import__' at position 0"],
    ["[__import__('os').system('ls')]", "unexpected name '__import__' at position 1"],
    ['[open("/etc/passwd")]', "unexpected name 'open' at position 1"],
    ['[eval("1")]', "unexpected name 'eval' at position 1"],
    ['[().__class__]', "unexpected '.' at position 3"],
    ["['a'.upper()]", "unexpected '.' at position 4"],
    ['1+1', "unexpected '+' at position 1"],
    ['[1 + 1]', "unexpected '+' at position 3"],
    ['[2 * 3]', "unexpected '*' at position 3"],
    ['[1 - 1]', "unexpected '-' at position 3"],
    ['[--1]', "unexpected '-' at position 2"],
    ['[-True]', "unexpected name 'True' at position 2"],
    ['{}', "unexpected '{' at position 0"],
    ["[{'a': 1}]", "unexpected '{' at position 1"],
    ['[{1, 2}]', "unexpected '{' at position 1"],
    ['[1 == 1]', "unexpected '=' at position 3"],
    ['[1 < 2]', "unexpected '<' at position 3"],
    ['[lambda: 1]', "unexpected name 'lambda' at position 1"],
    ["[f'{x}']", "unsupported string prefix 'f' at position 1"],
    ["[b'x']", "unsupported string prefix 'b' at position 1"],
    ["[r'x']", "unsupported string prefix 'r' at position 1"],
    ["[x'1']", "unexpected name 'x' at position 1"],
    ["'abc", 'unterminated string starting at position 0'],
    ["['abc]", 'unterminated string starting at position 1'],
    ["['a\\']", 'unterminated string starting at position 1'],
    ["['a\nb']", 'unterminated string starting at position 1'],
    ["'''x'''", 'triple-quoted strings are not supported at position 0'],
    ["'\\x4'", 'invalid \\x escape at position 1'],
    ["'\\u12'", 'invalid \\u escape at position 1'],
    ["'\\U00110000'", 'invalid \\U escape at position 1'],
    ["'\\N{DASH}'", 'unsupported \\N{...} escape at position 1'],
    ['[1, 2', 'unexpected end of input at position 5'],
    ['', 'unexpected end of input at position 0'],
    ['   ', 'unexpected end of input at position 3'],
    ['[1 2]', 'unexpected number 2 at position 3'],
    ["[1 'a']", 'unexpected string at position 3'],
    ['[1,,2]', "unexpected ',' at position 3"],
    ['[,]', "unexpected ',' at position 1"],
    ['(1,2]', "unexpected ']' at position 4"],
    ['[1] [2]', "unexpected '[' at position 4"],
    ['[1], [2]', "unexpected ',' at position 3"],
    ['[1] # comment', "unexpected '#' at position 4"],
    ['[1];', "unexpected ';' at position 3"],
    ['[1j]', "invalid number literal '1j' at position 1"],
    ['[007]', "invalid number literal '007' at position 1"],
    ['[1__0]', "invalid number literal '1__0' at position 1"],
    ['[1_]', "invalid number literal '1_' at position 1"],
    ['[0x]', "invalid number literal '0x' at position 1"],
    ['[1.2.3]', "invalid number literal '1.2.3' at position 1"],
    ['[1e]', "invalid number literal '1e' at position 1"],
    ['[-1j]', "invalid number literal '-1j' at position 1"],
    ['[9007199254740992]', 'integer 9007199254740992 is outside the safe range ±9007199254740991 at position 1'],
    ['[-9007199254740993]', 'integer -9007199254740993 is outside the safe range ±9007199254740991 at position 1'],
    ['[0x20000000000000]', 'integer 0x20000000000000 is outside the safe range ±9007199254740991 at position 1'],
    ['[1e999]', 'float 1e999 is out of range at position 1'],
    ['[.]', "unexpected '.' at position 1"],
    ['[...]', "unexpected '.' at position 1"],
    ['[\u00a0]', "unexpected '\u00a0' at position 1"],
    ['[\u0000]', "unexpected '\\x00' at position 1"],
    ['[Ellipsis]', "unexpected name 'Ellipsis' at position 1"],
    ['[NaN]', "unexpected name 'NaN' at position 1"],
    ['[inf]', "unexpected name 'inf' at position 1"],
    ['[TRUE]', "unexpected name 'TRUE' at position 1"],
  ])('D-LIT-10 rejects %j', (text, message) => {
    const error = errorOf(text);
    expect(error.message).toBe(`invalid domain: ${message}`);
    expect(error.position).toBe(Number(/at position (\d+)$/.exec(message)?.[1]));
  });

  it('D-LIT-11 a name in the message is shortened', () => {
    expect(errorOf(`[${'x'.repeat(1000)}]`).message).toBe(`invalid domain: unexpected name '${'x'.repeat(40)}...' at position 1`);
  });
});

describe('nesting limit', () => {
  it(`D-LIT-20 accepts ${MAX_LITERAL_DEPTH} levels`, () => {
    const text = '['.repeat(MAX_LITERAL_DEPTH) + ']'.repeat(MAX_LITERAL_DEPTH);
    expect(() => parsePythonLiteral(text)).not.toThrow();
  });

  it.each([
    ['[', MAX_LITERAL_DEPTH + 1],
    ['(', MAX_LITERAL_DEPTH + 1],
    ['[', 10_000],
    ['(', 10_000],
    ['[(', 5_000],
  ])('D-LIT-21 rejects %j repeated %i times without blowing the stack', (open, count) => {
    const error = errorOf(open.repeat(count));
    expect(error.message).toBe(`invalid domain: nesting deeper than 32 levels at position ${MAX_LITERAL_DEPTH}`);
  });

  it('D-LIT-22 rejects 10,000 balanced brackets', () => {
    expect(errorOf('['.repeat(10_000) + ']'.repeat(10_000)).message).toMatch(/nesting deeper than 32 levels/);
  });
});
