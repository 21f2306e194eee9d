/**
 * Two things a JSON request body must not hold, found in one pass over its text before anything else
 * reads it (issue 13):
 * - nesting deeper than `MAX_JSON_DEPTH` levels. `JSON.parse` copes with any depth, but what comes after
 *   does not: `JSON.stringify` (error messages, the GraphQL face's gateway client) and every recursive walk
 *   overflow the stack near a few thousand levels, which was a 500. No record, domain or GraphQL variable
 *   needs more than a handful of levels;
 * - an unpaired UTF-16 surrogate escape (`"\ud800"`), which is not Unicode text (see src/input/text.ts).
 * The scan counts brackets outside strings and reads `\u` escapes; it allocates nothing. Only when it
 * finds something is the text parsed, to name where (`order_line[0][2].name`).
 */
import { isWellFormed } from './text.js';

export const MAX_JSON_DEPTH = 64;

export type JsonFlaw = 'depth' | 'surrogate';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LETTER_U = 0x75;

function hex4(text: string, at: number): number {
  const digits = text.slice(at, at + 4);
  return /^[0-9a-fA-F]{4}$/.test(digits) ? Number.parseInt(digits, 16) : -1;
}

/**
 * The first flaw of a JSON text, or undefined. Works on any text holding JSON (a Buffer read as latin1
 * will do: every byte JSON's structure depends on is ASCII). Malformed JSON is left to the parser.
 */
export function scanJson(text: string, maxDepth = MAX_JSON_DEPTH): JsonFlaw | undefined {
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < length; i++) {
        const d = text.charCodeAt(i);
        if (d === QUOTE) break;
        if (d !== BACKSLASH) continue;
        i++;
        if (text.charCodeAt(i) !== LETTER_U) continue;
        const unit = hex4(text, i + 1);
        i += 4;
        if (unit >= 0xd800 && unit <= 0xdbff) {
          // A high surrogate must be followed at once by an escaped low one.
          const low = text.charCodeAt(i + 1) === BACKSLASH && text.charCodeAt(i + 2) === LETTER_U ? hex4(text, i + 3) : -1;
          if (low < 0xdc00 || low > 0xdfff) return 'surrogate';
          i += 6;
        } else if (unit >= 0xdc00 && unit <= 0xdfff) return 'surrogate';
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return 'depth';
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

/** Where in a JSON value a flaw is: `variables.v.name[0][1]`, `order_line[0][2].name`. */
export interface JsonFlawAt {
  readonly flaw: JsonFlaw;
  /** Path segments from the root: keys and indexes. */
  readonly path: readonly (string | number)[];
  /** For a surrogate: in a key rather than in a string value. */
  readonly inKey?: boolean;
}

interface Visit {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Visit | undefined;
  readonly key: string | number | undefined;
}

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/**
 * Finds the first flaw of a parsed JSON value (or of a GraphQL input value: the same shapes), without
 * recursion: containers deeper than `maxDepth`, strings or keys that are not well-formed Unicode.
 */
export function findJsonFlaw(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonFlawAt | undefined {
  const stack: Visit[] = [{ value, depth: 0, parent: undefined, key: undefined }];
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const current = visit.value;
    if (typeof current === 'string') {
      if (!isWellFormed(current)) return { flaw: 'surrogate', path: pathOf(visit) };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const depth = visit.depth + 1;
    if (depth > maxDepth) return { flaw: 'depth', path: pathOf(visit) };
    // Pushed in reverse, so that the first flaw in document order is found first.
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], depth, parent: visit, key: i });
    } else {
      const keys = Object.keys(current);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const child: Visit = { value: (current as Record<string, unknown>)[key], depth, parent: visit, key };
        if (!isWellFormed(key)) return { flaw: 'surrogate', path: pathOf(child), inKey: true };
        stack.push(child);
      }
    }
  }
  return undefined;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const SHOWN_SEGMENTS = 6;

/** `order_line[0][2].name`, at most a few segments (then `…`), keys that are not names quoted as JSON. */
export function formatJsonPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const [i, segment] of path.slice(0, SHOWN_SEGMENTS).entries()) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += i === 0 ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment.length > 40 ? `${segment.slice(0, 40)}…` : segment)}]`;
  }
  return path.length > SHOWN_SEGMENTS ? `${text}…` : text;
}

/** The message for a flaw: `<where> is nested deeper than 64 levels, at 'name[0][0]…'`. */
export function jsonFlawMessage(where: string, found: JsonFlawAt | JsonFlaw, maxDepth = MAX_JSON_DEPTH): string {
  const flaw = typeof found === 'string' ? found : found.flaw;
  const at = typeof found === 'string' || found.path.length === 0 ? '' : `, at '${formatJsonPath(found.path)}'`;
  if (flaw === 'depth') return `${where} is nested deeper than ${maxDepth} levels${at}`;
  const what = typeof found !== 'string' && found.inKey ? 'a key' : 'a string';
  return `${where} holds ${what} with an unpaired UTF-16 surrogate${at}: send text as well-formed Unicode`;
}

/**
 * The message for a JSON text with a flaw (`scanJson`), or undefined when it has none. The text is parsed
 * only then, to say where; a text that does not parse is described without a place. A Buffer is scanned
 * as latin1 (no decoding) and parsed as UTF-8.
 */
export function jsonTextProblem(text: string | Buffer, where: string, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const flaw = scanJson(typeof text === 'string' ? text : text.toString('latin1'), maxDepth);
  if (!flaw) return undefined;
  let found: JsonFlawAt | undefined;
  try {
    found = findJsonFlaw(JSON.parse(typeof text === 'string' ? text : text.toString('utf8')), maxDepth);
  } catch {
    found = undefined;
  }
  return jsonFlawMessage(where, found ?? flaw, maxDepth);
}
