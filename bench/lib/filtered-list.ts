/**
 * The large-table figure: a filtered list on crm.lead grown to 100,000 rows (prepareData(BIG_TABLE_ROWS))
 * by an indexed field, one match, as sequential requests: the median to the microsecond.
 */
import { sequentialLatency, type Measurement } from './measure.js';

export const BIG_TABLE_ROWS = 100_000;

/** The path of the filtered list: the lead whose email is that of bench lead 54321. */
export const FILTERED_LIST_PATH = `/api/crm_lead?domain=${encodeURIComponent('[("email_from","=","lead-54321@bench.example")]')}`;

/** `count` sequential requests of the filtered list on the server at `url`, with `key`. */
export function filteredListLatency(name: string, url: string, key: string, count = 2000): Promise<Measurement> {
  return sequentialLatency(name, url + FILTERED_LIST_PATH, { authorization: `Bearer ${key}` }, count);
}
