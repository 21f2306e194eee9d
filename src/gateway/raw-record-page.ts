/**
 * A page of records (`GET /api/<slug>`) read without parsing its records: the page's four numbers, and
 * its `results` as the gateway's own JSON text, to be passed on as they are (the GraphQL face splices
 * them into its answer: src/graphql/raw-json-results.ts). Parsing 80 records and writing them out again
 * costs more than everything else GraphQL adds to the REST request; checking the text costs a fraction.
 *
 * The text is used only where that gives exactly the answer parsing would: the scan accepts JSON that
 * `JSON.stringify(JSON.parse(text)) === text` holds for, as JSON.stringify writes it (what Fastify's
 * serializer writes), and answers `undefined` for anything else, which the caller then parses as before
 * (and refuses as before when it is not JSON, or not a page). Refused here, parsed there:
 * - whitespace between tokens, escapes JSON.stringify would not write (`\/`, `\u00e9`), numbers in
 *   another form than JavaScript writes them (`1.0`, `1e5`, `-0`, digits beyond a double's);
 * - keys starting with a digit (V8 puts integer keys first, so a parsed object would reorder them);
 * - a record without an integer `id`, a record that is not an object, and a value that is a many2one as
 *   Odoo's `[id, name]` pair (the GraphQL face turns it into `{id, name}`);
 * - nesting deeper than MAX_DEPTH.
 * A key written twice in one object (no JSON encoder of a map does) is not looked for: parsed, its last
 * value would be written once; passed on, both are, and a JSON parser keeps the last.
 */

/** Counts and limits of the page, and its `results` array as the gateway wrote it. */
export interface RawRecordPage {
  readonly count: number;
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  /** The `results` array, exactly as the gateway wrote it: `[{"id":1,...},...]`. */
  readonly resultsJson: string;
}

/** Deepest nesting scanned (the page is 1, a record 3); deeper values are parsed instead. */
const MAX_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** What a scanned value was, as far as the checks need to know. */
const Kind = { Other: 0, String: 1, PositiveInteger: 2 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

/** Thrown (and caught by scanRecordPage) where the text is not in the accepted form. */
class NotCanonical extends Error {}
const NOT_CANONICAL = new NotCanonical('not canonical JSON');

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** Escapes JSON.stringify writes as `\b \f \n \r \t`; other control characters it writes as `\u00XX`. */
const SHORT_ESCAPES = new Set([QUOTE, BACKSLASH, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const SHORT_ESCAPED_CODES = new Set([0x08, 0x0c, 0x0a, 0x0d, 0x09]);

class Scanner {
  pos = 0;

  constructor(readonly text: string) {}

  fail(): never {
    throw NOT_CANONICAL;
  }

  expect(c: number): void {
    if (this.text.charCodeAt(this.pos) !== c) this.fail();
    this.pos++;
  }

  value(depth: number): Kind {
    const c = this.text.charCodeAt(this.pos);
    if (c === QUOTE) {
      this.string();
      return Kind.String;
    }
    if (c === OPEN_BRACE) {
      this.object(depth + 1);
      return Kind.Other;
    }
    if (c === OPEN_BRACKET) {
      this.array(depth + 1);
      return Kind.Other;
    }
    if (c === MINUS || isDigit(c)) return this.number();
    if (this.text.startsWith('true', this.pos)) this.pos += 4;
    else if (this.text.startsWith('false', this.pos)) this.pos += 5;
    else if (this.text.startsWith('null', this.pos)) this.pos += 4;
    else this.fail();
    return Kind.Other;
  }

  /** A string as JSON.stringify writes it: only its own escapes, no lone surrogate. */
  string(): void {
    const { text } = this;
    let p = this.pos + 1;
    for (;;) {
      const c = text.charCodeAt(p);
      if (c >= 0x20 && c !== QUOTE && c !== BACKSLASH && (c < 0xd800 || c > 0xdfff)) {
        p++;
      } else if (c === QUOTE) {
        break;
      } else if (c === BACKSLASH) {
        const e = text.charCodeAt(p + 1);
        if (SHORT_ESCAPES.has(e)) p += 2;
        else if (e === 0x75 && this.controlEscape(p + 2)) p += 6;
        else this.fail();
      } else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(p + 1) & 0xfc00) === 0xdc00) {
        p += 2; // a surrogate pair, written as it is
      } else {
        this.fail(); // a control character, a lone surrogate, or the end of the text
      }
    }
    this.pos = p + 1;
  }

  /** `\u00XX` as JSON.stringify writes a control character without a short escape (lowercase hex). */
  controlEscape(at: number): boolean {
    const hex = this.text.slice(at, at + 4);
    if (!/^00[01][0-9a-f]$/.test(hex)) return false;
    return !SHORT_ESCAPED_CODES.has(parseInt(hex, 16));
  }

  /** A number as JavaScript writes it (checked by writing it again unless it is plainly so). */
  number(): Kind {
    const { text } = this;
    const start = this.pos;
    let p = start;
    if (text.charCodeAt(p) === MINUS) p++;
    const intStart = p;
    if (text.charCodeAt(p) === ZERO) p++;
    else if (isDigit(text.charCodeAt(p))) while (isDigit(text.charCodeAt(p))) p++;
    else this.fail();
    const intDigits = p - intStart;
    let fractionDigits = 0;
    let plain = true;
    if (text.charCodeAt(p) === DOT) {
      p++;
      const fractionStart = p;
      while (isDigit(text.charCodeAt(p))) p++;
      fractionDigits = p - fractionStart;
      if (fractionDigits === 0) this.fail();
      // `1.50` is written `1.5`; `0.0000001` is written `1e-7`.
      if (
        text.charCodeAt(p - 1) === ZERO ||
        (intDigits === 1 && text.charCodeAt(intStart) === ZERO && text.startsWith('000000', fractionStart))
      )
        plain = false;
    }
    const c = text.charCodeAt(p);
    if (c === 0x65 || c === 0x45) {
      plain = false;
      p++;
      const sign = text.charCodeAt(p);
      if (sign === 0x2b || sign === MINUS) p++;
      if (!isDigit(text.charCodeAt(p))) this.fail();
      while (isDigit(text.charCodeAt(p))) p++;
    }
    this.pos = p;
    // Up to 15 significant digits a double holds exactly, so JavaScript writes them back as they are.
    if (plain && intDigits + fractionDigits <= 15 && !(p - start === 2 && text.startsWith('-0', start))) {
      return start === intStart && fractionDigits === 0 && text.charCodeAt(start) !== ZERO ? Kind.PositiveInteger : Kind.Other;
    }
    const token = text.slice(start, p);
    if (String(Number(token)) !== token) this.fail();
    return Kind.Other;
  }

  /** A key: a string not starting with a digit (see above). */
  key(): void {
    if (this.text.charCodeAt(this.pos) !== QUOTE || isDigit(this.text.charCodeAt(this.pos + 1))) this.fail();
    this.string();
    this.expect(COLON);
  }

  object(depth: number): void {
    if (depth > MAX_DEPTH) this.fail();
    this.pos++;
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) {
      this.pos++;
      return;
    }
    for (;;) {
      this.key();
      this.value(depth);
      const c = this.text.charCodeAt(this.pos++);
      if (c === CLOSE_BRACE) return;
      if (c !== COMMA) this.fail();
    }
  }

  array(depth: number): void {
    if (depth > MAX_DEPTH) this.fail();
    this.pos++;
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      return;
    }
    for (;;) {
      this.value(depth);
      const c = this.text.charCodeAt(this.pos++);
      if (c === CLOSE_BRACKET) return;
      if (c !== COMMA) this.fail();
    }
  }

  /** A value of a record: an array that could be Odoo's `[id, name]` many2one is refused. */
  recordValue(): void {
    if (this.text.charCodeAt(this.pos) !== OPEN_BRACKET) {
      this.value(3);
      return;
    }
    this.pos++;
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      return;
    }
    const kinds: Kind[] = [];
    for (;;) {
      kinds.push(this.value(4));
      const c = this.text.charCodeAt(this.pos++);
      if (c === CLOSE_BRACKET) break;
      if (c !== COMMA) this.fail();
    }
    if (kinds.length === 2 && kinds[0] === Kind.PositiveInteger && kinds[1] === Kind.String) this.fail();
  }

  /** A record: an object with an integer `id`. */
  record(): void {
    this.expect(OPEN_BRACE);
    let hasId = false;
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) this.fail();
    for (;;) {
      const isId = this.text.startsWith('"id":', this.pos);
      this.key();
      if (isId) {
        const start = this.pos;
        const c = this.text.charCodeAt(start);
        if (!(c === MINUS || isDigit(c))) this.fail();
        if (this.number() !== Kind.PositiveInteger && !Number.isSafeInteger(Number(this.text.slice(start, this.pos)))) this.fail();
        hasId = true;
      } else {
        this.recordValue();
      }
      const c = this.text.charCodeAt(this.pos++);
      if (c === CLOSE_BRACE) break;
      if (c !== COMMA) this.fail();
    }
    if (!hasId) this.fail();
  }

  /** `[record, ...]`; answers where it started. */
  results(): number {
    const start = this.pos;
    this.expect(OPEN_BRACKET);
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      return start;
    }
    for (;;) {
      this.record();
      const c = this.text.charCodeAt(this.pos++);
      if (c === CLOSE_BRACKET) return start;
      if (c !== COMMA) this.fail();
    }
  }
}

const PAGE_NUMBERS = ['count', 'total', 'limit', 'offset'] as const;
type PageNumber = (typeof PAGE_NUMBERS)[number];

/**
 * The page in `text` (a 2xx answer of `GET /api/<slug>`) with its records left as text, or undefined
 * when the text is not a page in the form described above: then it is to be parsed (and checked) as
 * any answer is.
 */
export function scanRecordPage(text: string): RawRecordPage | undefined {
  const scanner = new Scanner(text);
  const numbers: Partial<Record<PageNumber, number>> = {};
  let results: string | undefined;
  try {
    scanner.expect(OPEN_BRACE);
    for (;;) {
      const keyStart = scanner.pos;
      scanner.key();
      const key = text.slice(keyStart + 1, scanner.pos - 2);
      const valueStart = scanner.pos;
      if (key === 'results') {
        if (results !== undefined) return undefined;
        scanner.results();
        results = text.slice(valueStart, scanner.pos);
      } else if ((PAGE_NUMBERS as readonly string[]).includes(key)) {
        const c = text.charCodeAt(valueStart);
        if (numbers[key as PageNumber] !== undefined || !(c === MINUS || isDigit(c))) return undefined;
        scanner.number();
        numbers[key as PageNumber] = Number(text.slice(valueStart, scanner.pos));
      } else {
        scanner.value(1);
      }
      const c = text.charCodeAt(scanner.pos++);
      if (c === CLOSE_BRACE) break;
      if (c !== COMMA) return undefined;
    }
    if (scanner.pos !== text.length) return undefined;
  } catch (error) {
    if (error === NOT_CANONICAL) return undefined;
    throw error;
  }
  const { count, total, limit, offset } = numbers;
  if (results === undefined || count === undefined || total === undefined || limit === undefined || offset === undefined) return undefined;
  return { count, total, limit, offset, resultsJson: results };
}
