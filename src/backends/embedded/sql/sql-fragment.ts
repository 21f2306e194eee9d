/**
 * A piece of SQL with its bound parameters. Values never enter the SQL text: they travel in `params`.
 * Identifiers come only from the registry (declared models and fields) and are quoted with `ident`.
 */
export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export const SQL_TRUE: SqlFragment = { sql: '1', params: [] };
export const SQL_FALSE: SqlFragment = { sql: '0', params: [] };

/** Quotes an identifier taken from the registry. Throws on anything that is not a plain name. */
export function ident(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`refusing to quote identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

export function sql(text: string, ...params: unknown[]): SqlFragment {
  return { sql: text, params };
}

export function joinSql(parts: readonly SqlFragment[], separator: string): SqlFragment {
  return { sql: parts.map((p) => p.sql).join(separator), params: parts.flatMap((p) => p.params) };
}

export function andSql(parts: readonly SqlFragment[]): SqlFragment {
  const useful = parts.filter((p) => p.sql !== '1');
  if (useful.some((p) => p.sql === '0')) return SQL_FALSE;
  if (useful.length === 0) return SQL_TRUE;
  if (useful.length === 1) return useful[0]!;
  return joinBalanced(useful, ' AND ');
}

export function orSql(parts: readonly SqlFragment[]): SqlFragment {
  const useful = parts.filter((p) => p.sql !== '0');
  if (useful.some((p) => p.sql === '1')) return SQL_TRUE;
  if (useful.length === 0) return SQL_FALSE;
  if (useful.length === 1) return useful[0]!;
  return joinBalanced(useful, ' OR ');
}

/** Terms joined in a flat chain; longer lists are split in halves, each in parentheses. */
const FLAT_TERMS = 4;

/**
 * `(a) OR (b) OR ...` as a balanced tree of parenthesised halves. SQLite parses a flat chain as a
 * left-deep tree, one level per term, and refuses an expression deeper than 1000 levels (sub-queries
 * included): 500 OR-ed leaves nested in `any` sub-queries would reach it. Balanced, 500 terms are 9
 * levels deep. SQLite's planner flattens nested ANDs and ORs again, so the plan is the same.
 */
function joinBalanced(parts: readonly SqlFragment[], separator: string): SqlFragment {
  if (parts.length <= FLAT_TERMS) return joinSql(parts.map(paren), separator);
  const half = Math.ceil(parts.length / 2);
  return joinSql([joinBalanced(parts.slice(0, half), separator), joinBalanced(parts.slice(half), separator)].map(paren), separator);
}

export function notSql(part: SqlFragment): SqlFragment {
  if (part.sql === '1') return SQL_FALSE;
  if (part.sql === '0') return SQL_TRUE;
  return { sql: `NOT (${part.sql})`, params: part.params };
}

export function paren(part: SqlFragment): SqlFragment {
  return { sql: `(${part.sql})`, params: part.params };
}

/** `?, ?, ?` for a list of values. */
export function placeholders(values: readonly unknown[]): SqlFragment {
  return { sql: values.map(() => '?').join(', '), params: values };
}

/**
 * `<expression> IN (<ids>)` for a list of record ids, as one JSON parameter read with `json_each`:
 * the SQL text is the same whatever the number of ids, so its prepared statement is reused, and
 * SQLite probes the index once per id.
 */
export function idsIn(expression: string, ids: readonly number[]): SqlFragment {
  return { sql: `${expression} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(ids)] };
}
