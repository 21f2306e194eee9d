/**
 * The gateway's JSON passed through to the GraphQL answer without being parsed and written again
 * (issue 20): `records`' `results` (a leaf of JSON objects, which GraphQL passes on whole) are the
 * REST page's own text when src/gateway/raw-record-page.ts finds it in the form JSON.stringify would
 * write, so the answer is byte for byte the one parsing would give.
 *
 * How: for one HTTP request, each such page is given to GraphQL with a one-element `results` whose
 * element writes itself (`toJSON`) as a token that nothing else can write (a random string of this
 * process); the answer is written by JSON.stringify as always, then each `["<token>"]` is replaced by the
 * page's text. yoga writes every answer of an HTTP request (JSON, SSE, multipart, each of a batch) with
 * the result's own `stringify` when it has one (its `jsonStringifyResultWithoutInternals`): the plugin
 * (plugins/use-raw-json-results.ts) gives the results of a request that holds such pages theirs.
 * Operations that do not come over HTTP (WebSocket) get no `RawJsonResults`, and parse as before.
 */
import { randomBytes } from 'node:crypto';
import type { RawRecordPage } from '../gateway/raw-record-page.js';
import type { ContractRecord, RecordPage } from '../gateway/contract-types.js';

/** This process's token prefix: no value a gateway sends can be it, so only placeholders write it. */
const TOKEN_PREFIX = `raw-json:${randomBytes(12).toString('base64url')}:`;

/** A `results` element that JSON.stringify writes as its token. */
class Placeholder {
  constructor(readonly token: string) {}

  toJSON(): string {
    return this.token;
  }
}

/** The JSON texts of the pages given so far to one HTTP request's operations, by the placeholder JSON.stringify writes for them. */
export class RawJsonResults {
  readonly #texts = new Map<string, string>();
  #next = 0;

  get size(): number {
    return this.#texts.size;
  }

  /** The page as GraphQL resolves it: its `results` a placeholder for the gateway's text. */
  page(raw: RawRecordPage): RecordPage {
    const token = `${TOKEN_PREFIX}${this.#next++}`;
    this.#texts.set(JSON.stringify([token]), raw.resultsJson);
    const results = [new Placeholder(token) as unknown as ContractRecord];
    return { count: raw.count, total: raw.total, limit: raw.limit, offset: raw.offset, results };
  }

  /** JSON.stringify's text of `value`, each placeholder replaced by its page's text (an arrow: yoga calls it unbound). */
  readonly stringify = (value: unknown): string => {
    let text = JSON.stringify(value);
    for (const [placeholder, json] of this.#texts) {
      let at = text.indexOf(placeholder);
      while (at !== -1) {
        text = `${text.slice(0, at)}${json}${text.slice(at + placeholder.length)}`;
        at = text.indexOf(placeholder, at + json.length);
      }
    }
    return text;
  };
}
