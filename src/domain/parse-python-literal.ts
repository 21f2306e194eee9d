import { DomainError } from './domain-error.js';
import { printPythonLiteral } from './print-domain.js';
import type { DomainValue } from './types.js';

/** Deepest nesting of lists and tuples accepted. Real domains, even with `any` sub-domains, stay below 10. */
export const MAX_LITERAL_DEPTH = 32;

const SPACE = /[ \t\n\r\f]*/y;
const NAME = /[\p{L}_][\p{L}\p{N}_]*/uy;
const RADIX_INT = /0(?:[xX](?:_?[0-9a-fA-F])+|[oO](?:_?[0-7])+|[bB](?:_?[01])+)/y;
const DECIMAL = /(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.?(?:[eE][+-]?\d(?:_?\d)*)?/y;
const NUMBER_TAIL = /[\w.]*/y;
const NUMBER_START = /\.?\d/y;
const RADIXES: Readonly<Record<string, number>> = { x: 16, o: 8, b: 2 };
const PLAIN_SINGLE = /[^'\\\n\r]+/y;
const PLAIN_DOUBLE = /[^"\\\n\r]+/y;
const OCTAL = /[0-7]{1,3}/y;
const HEX = /[0-9a-fA-F]+/y;
const CONSTANTS: ReadonlyMap<string, DomainValue> = new Map<string, DomainValue>([
  ['True', true],
  ['False', false],
  ['None', null],
  ['true', true],
  ['false', false],
  ['null', null],
]);
const STRING_PREFIXES = new Set(['r', 'b', 'f', 'br', 'rb', 'fr', 'rf']);
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '/': '/', // JSON's escape; Python would keep the backslash, but no one means that on purpose.
  '\n': '', // line continuation
};
const HEX_ESCAPE_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/**
 * Parses one Python literal, as `ast.literal_eval` would for the subset a domain needs (docs/rest-contract.md,
 * "List", `domain`): lists and tuples (both become arrays; `(x)` is just `x`), strings with `'`, `"` or a
 * `u` prefix and Python's escapes, integers (`_` separators, `0x`/`0o`/`0b`), floats, `True`/`False`/`None`
 * and JSON's `true`/`false`/`null`, so JSON arrays parse the same. Pure: nothing is ever evaluated.
 * Throws `DomainError` with the 0-based position for anything else: names, calls, operators, dicts, sets,
 * unterminated strings, trailing text, nesting deeper than `MAX_LITERAL_DEPTH`, integers beyond
 * `Number.MAX_SAFE_INTEGER`, floats that overflow.
 */
export function parsePythonLiteral(text: string): DomainValue {
  const parser = new LiteralParser(text);
  const value = parser.value(0);
  parser.expectEnd();
  return value;
}

class LiteralParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  value(depth: number): DomainValue {
    this.skipSpace();
    const start = this.pos;
    const c = this.text[start];
    if (c === '[' || c === '(') return this.sequence(depth + 1);
    if (c === "'" || c === '"') return this.strings();
    if (c === '-' || c === '+') {
      this.pos++;
      this.skipSpace();
      if (!this.atNumber()) throw this.unexpected();
      return this.number(start, c === '-' ? -1 : 1);
    }
    if (this.atNumber()) return this.number(start, 1);
    const name = this.match(NAME);
    if (name !== undefined) {
      const constant = CONSTANTS.get(name);
      if (constant !== undefined) return constant;
      const quote = this.text[this.pos];
      if (quote === "'" || quote === '"') {
        if (name === 'u' || name === 'U') return this.strings();
        if (STRING_PREFIXES.has(name.toLowerCase())) {
          throw this.error(`unsupported string prefix '${name}'`, start);
        }
      }
      this.pos = start;
    }
    throw this.unexpected();
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.pos < this.text.length) throw this.unexpected();
  }

  /** A list `[...]` or a tuple `(...)`; `(x)` without a comma is only a parenthesised `x`. */
  private sequence(depth: number): DomainValue {
    if (depth > MAX_LITERAL_DEPTH) throw this.error(`nesting deeper than ${MAX_LITERAL_DEPTH} levels`, this.pos);
    const close = this.text[this.pos] === '[' ? ']' : ')';
    this.pos++;
    const items: DomainValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) break;
      items.push(this.value(depth));
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === close) {
        if (close === ')' && items.length === 1) {
          this.pos++;
          return items[0] as DomainValue;
        }
        break;
      }
      if (next !== ',') throw this.unexpected();
      this.pos++;
    }
    this.pos++;
    return items;
  }

  /** One string literal, or several adjacent ones, which Python concatenates. */
  private strings(): string {
    let result = this.string();
    for (;;) {
      this.skipSpace();
      const start = this.pos;
      if (this.text[start] === 'u' || this.text[start] === 'U') this.pos++;
      const c = this.text[this.pos];
      if (c !== "'" && c !== '"') {
        this.pos = start;
        return result;
      }
      result += this.string();
    }
  }

  private string(): string {
    const start = this.pos;
    const quote = this.text[start] as string;
    if (this.text.startsWith(quote.repeat(3), start)) throw this.error('triple-quoted strings are not supported', start);
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n' || c === '\r') throw this.error('unterminated string starting', start);
      if (c === quote) {
        this.pos++;
        return out;
      }
      if (c === '\\') out += this.escape(start);
      else out += this.match(quote === "'" ? PLAIN_SINGLE : PLAIN_DOUBLE) as string;
    }
  }

  private escape(stringStart: number): string {
    const start = this.pos;
    this.pos++; // the backslash
    let c = this.text[this.pos];
    if (c === undefined) throw this.error('unterminated string starting', stringStart);
    if (c === '\r') {
      c = '\n';
      if (this.text[this.pos + 1] === '\n') this.pos++;
    }
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) {
      this.pos++;
      return simple;
    }
    const octal = this.match(OCTAL);
    if (octal !== undefined) return String.fromCodePoint(parseInt(octal, 8));
    const length = HEX_ESCAPE_LENGTH[c];
    if (length !== undefined) {
      this.pos++;
      const digits = (this.match(HEX) ?? '').slice(0, length);
      this.pos = start + 2 + digits.length;
      const code = parseInt(digits, 16);
      if (digits.length < length || code > 0x10ffff) throw this.error(`invalid \\${c} escape`, start);
      return String.fromCodePoint(code);
    }
    if (c === 'N') throw this.error('unsupported \\N{...} escape', start);
    return '\\'; // Python keeps unknown escapes as they are; the next character is read as itself.
  }

  private atNumber(): boolean {
    NUMBER_START.lastIndex = this.pos;
    return NUMBER_START.test(this.text);
  }

  /** A number literal at the current position; `start` is where its sign, if any, begins. */
  private number(start: number, sign: 1 | -1): number {
    const radix = this.match(RADIX_INT);
    const literal = radix ?? this.match(DECIMAL)!;
    const tail = this.match(NUMBER_TAIL) ?? '';
    const text = this.text.slice(start, this.pos);
    const digits = literal.replaceAll('_', '');
    const isFloat = radix === undefined && /[.eE]/.test(digits);
    if (tail !== '' || (radix === undefined && !isFloat && /^0+[1-9]/.test(digits))) {
      throw this.error(`invalid number literal '${clip(text)}'`, start);
    }
    if (isFloat) {
      const n = Number(digits);
      if (!Number.isFinite(n)) throw this.error(`float ${clip(text)} is out of range`, start);
      return sign * n; // keeps -0.0 negative, as Python does
    }
    const base = radix === undefined ? 10 : RADIXES[digits.charAt(1).toLowerCase()];
    const n = base === 10 ? Number(digits) : parseInt(digits.slice(2), base);
    if (!Number.isSafeInteger(n)) {
      throw this.error(`integer ${clip(text)} is outside the safe range ±${Number.MAX_SAFE_INTEGER}`, start);
    }
    return sign < 0 ? 0 - n : n; // integer -0 is 0
  }

  private skipSpace(): void {
    SPACE.lastIndex = this.pos;
    SPACE.test(this.text);
    this.pos = SPACE.lastIndex;
  }

  /** Matches a sticky pattern at the current position and moves past it. */
  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const m = pattern.exec(this.text);
    if (m === null || m[0] === '') return undefined;
    this.pos = pattern.lastIndex;
    return m[0];
  }

  private unexpected(): DomainError {
    return this.error(`unexpected ${this.describe()}`, this.pos);
  }

  private describe(): string {
    const start = this.pos;
    if (start >= this.text.length) return 'end of input';
    const name = this.match(NAME);
    const number = name === undefined && this.atNumber() ? this.match(NUMBER_TAIL) : undefined;
    this.pos = start;
    if (name !== undefined) return `name ${printPythonLiteral(clip(name))}`;
    if (number !== undefined) return `number ${clip(number)}`;
    const c = String.fromCodePoint(this.text.codePointAt(start) as number);
    if (c === "'" || c === '"') return 'string';
    return printPythonLiteral(c);
  }

  private error(what: string, position: number): DomainError {
    return new DomainError(`invalid domain: ${what} at position ${position}`, position);
  }
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
