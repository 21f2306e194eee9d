/**
 * scanRecordPage (src/gateway/raw-record-page.ts): a page's records are left as the gateway's text only
 * where passing that text on gives byte for byte what parsing and writing it again (JSON.stringify) would;
 * anything else is left to the parser (undefined), which answers as before.
 */
import { describe, expect, it } from 'vitest';
import { scanRecordPage } from '../../src/gateway/raw-record-page.js';

const page = (results: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ count: results.length, total: 240, limit: 80, offset: 0, ...extra, results });

/** Records as JSON.stringify writes them, with the values a contract answer holds, and the odd ones. */
const RECORDS: unknown[] = [
  { id: 1, name: 'S00001', partner_id: { id: 124, name: 'Casa Paulista Móveis, Hannah Weber' }, state: 'sent', amount_total: 21271.2 },
  { id: 2, name: 'quote " and \\ backslash', note: 'line\nbreak\ttab\r\u0001\u001f\b\f', user_id: false, tag_ids: [1, 2, 3] },
  { id: 3, name: 'emoji 😀 and 中文 and \u2028 and \u007f', amount: 0, neg: -12.5, big: 1e21, small: 1e-7, sum: 0.1 + 0.2 },
  { id: 4, json: { nested: [{ a: null, b: true }, [], {}], 'key with "quote"': 1 }, lines: [[0, 0, { x: 1 }]], pair: [1, 2] },
  { id: 5, max: Number.MAX_SAFE_INTEGER, min: -Number.MAX_SAFE_INTEGER, exp: 1.5e300, tiny: 5e-324 },
];

describe('scanRecordPage', () => {
  it('RP-01 a page as JSON.stringify writes it: the four numbers, and the results exactly as written', () => {
    const text = page(RECORDS);
    const scanned = scanRecordPage(text);
    expect(scanned).toEqual({ count: 5, total: 240, limit: 80, offset: 0, resultsJson: JSON.stringify(RECORDS) });
    expect(JSON.stringify(JSON.parse(scanned!.resultsJson))).toBe(scanned!.resultsJson);
  });

  it('RP-02 keys in any order, other keys, and an empty page', () => {
    const text = '{"results":[{"id":7}],"offset":0,"limit":1,"note":{"a":[1]},"total":9,"count":1}';
    expect(scanRecordPage(text)).toEqual({ count: 1, total: 9, limit: 1, offset: 0, resultsJson: '[{"id":7}]' });
    expect(scanRecordPage(page([]))?.resultsJson).toBe('[]');
  });

  it.each([
    ['whitespace', '{"count":1, "total":1,"limit":1,"offset":0,"results":[{"id":1}]}'],
    ['whitespace in a record', page([]).replace('[]', '[{"id": 1}]')],
    ['an escaped slash', page([]).replace('[]', '[{"id":1,"a":"x\\/y"}]')],
    ['a \\u escape JSON.stringify would not write', page([]).replace('[]', '[{"id":1,"a":"\\u00e9"}]')],
    ['a short escape written long', page([]).replace('[]', '[{"id":1,"a":"\\u000a"}]')],
    ['uppercase hex', page([]).replace('[]', '[{"id":1,"a":"\\u001F"}]')],
    ['1.0', page([]).replace('[]', '[{"id":1,"a":1.0}]')],
    ['1.50', page([]).replace('[]', '[{"id":1,"a":1.50}]')],
    ['1E5', page([]).replace('[]', '[{"id":1,"a":1E5}]')],
    ['1e5', page([]).replace('[]', '[{"id":1,"a":1e5}]')],
    ['-0', page([]).replace('[]', '[{"id":1,"a":-0}]')],
    ['0.0000001', page([]).replace('[]', '[{"id":1,"a":0.0000001}]')],
    ['more digits than a double holds', page([]).replace('[]', '[{"id":1,"a":12345678901234567890}]')],
    ['a key starting with a digit (V8 orders those first)', page([]).replace('[]', '[{"id":1,"a":{"2":1,"1":2}}]')],
    ["Odoo's [id, name] many2one", page([]).replace('[]', '[{"id":1,"partner_id":[12,"Azure Interior"]}]')],
    ['a record without an id', page([]).replace('[]', '[{"name":"x"}]')],
    ['an id that is not an integer', page([]).replace('[]', '[{"id":"1"}]')],
    ['an id that is a list', page([]).replace('[]', '[{"id":[]}]')],
    ['a record that is not an object', page([]).replace('[]', '[null]')],
    ['a raw control character', page([]).replace('[]', '[{"id":1,"a":"x\ny"}]')],
    ['a lone surrogate (JSON.stringify escapes it; rare enough to be parsed)', page([{ id: 1, a: 'x\ud800y' }])],
    ['a lone surrogate written raw', page([]).replace('[]', '[{"id":1,"a":"x\ud800y"}]')],
    ['a missing number', '{"count":1,"total":1,"limit":1,"results":[{"id":1}]}'],
    ['a number as a string', '{"count":"1","total":1,"limit":1,"offset":0,"results":[{"id":1}]}'],
    ['no results', '{"count":1,"total":1,"limit":1,"offset":0}'],
    ['results twice', '{"count":1,"total":1,"limit":1,"offset":0,"results":[],"results":[]}'],
    ['trailing text', `${page([])} `],
    ['cut short', page(RECORDS).slice(0, -20)],
    ['not JSON', 'Internal Server Error'],
    ['empty', ''],
    ['too deep', page([]).replace('[]', `[{"id":1,"a":${'['.repeat(40)}${']'.repeat(40)}}]`)],
  ])('RP-03 left to the parser: %s', (_what, text) => {
    expect(scanRecordPage(text)).toBeUndefined();
  });

  it('RP-04 whatever it accepts, parsing and writing again gives the same text', () => {
    const samples = [
      ...RECORDS.map((record) => page([record])),
      page([{ id: 9, a: '\u0000\u0007\u000b\u000e' }]),
      page([{ id: 10, a: [1.5, 'x'], b: [0, 'x'], c: [-1, 'x'], d: [1, 'x', 2] }]),
      page([{ id: 0 }, { id: -3 }]),
    ];
    for (const text of samples) {
      const scanned = scanRecordPage(text);
      expect(scanned, text).toBeDefined();
      expect(JSON.stringify(JSON.parse(text).results)).toBe(scanned!.resultsJson);
    }
  });
});
