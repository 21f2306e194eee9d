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
  return joinSql(useful.map(paren), ' AND ');
}

export function orSql(parts: readonly SqlFragment[]): SqlFragment {
  const useful = parts.filter((p) => p.sql !== '0');
  if (useful.some((p) => p.sql === '1')) return SQL_TRUE;
  if (useful.length === 0) return SQL_FALSE;
  if (useful.length === 1) return useful[0]!;
  return joinSql(useful.map(paren), ' OR ');
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
