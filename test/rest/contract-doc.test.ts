/**
 * docs/rest-contract.md and test/rest/contract.test.ts name the same clauses: every clause of the
 * document has its test, and every test id is a clause of the document, so a failing test's id always
 * leads to the promise it checks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const ID = /\b(C-[A-Z]+-\d{2}|SEED-\d)\b/;

describe('the REST contract document and its tests', () => {
  it('CD-01 every clause id of docs/rest-contract.md has a test in test/rest/contract.test.ts, and every test id is a clause', () => {
    const clauses = [...read('docs/rest-contract.md').matchAll(new RegExp(`^- \\*\\*${ID.source}\\*\\*`, 'gm'))].map((m) => m[1]!);
    const tests = [
      ...read('test/rest/contract.test.ts').matchAll(new RegExp(`\\b(?:it|itNeeds\\([^,]+,)\\s*\\(?['"\`]${ID.source} `, 'g')),
    ].map((m) => m[1]!);
    expect(new Set(clauses).size, 'each clause id once').toBe(clauses.length);
    expect(clauses.length).toBeGreaterThanOrEqual(86); // 82 clauses and the 4 documented examples today
    expect([...new Set(tests)].sort()).toEqual([...clauses].sort());
  });
});
